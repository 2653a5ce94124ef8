"""Backends that run the named queries (``queries/NAME.rq`` / ``queries/NAME.cypher``).

    from guanxi.queries.backends import StoreBackend, Neo4jBackend, open_backend
    from guanxi.queries.registry import run

    with open_backend("store", store_dir="guanxi-data") as backend:
        rows = run(backend, "person_profile", {"person": "https://w3id.org/guanxi/id/person/…"})

Both implement the registry's ``Backend`` protocol, ``run_named(query, params)``, yielding one dict per row
(column name -> raw value); :func:`guanxi.queries.registry.run` turns them into typed rows.

* :class:`StoreBackend` runs the SPARQL text over the embedded pyoxigraph store (``GraphStore.query``: the
  union of all graphs, prefixes predeclared).  Parameters are **substitutions** (pyoxigraph binds the
  variable ``?name``; the text is never edited).  A parameter whose description starts with ``IRI`` is bound
  as an IRI (``NamedNode``), others as plain literals (``int`` parameters as ``xsd:integer``).  Optional
  parameters that were not given are simply not bound; the queries read them through
  ``BIND(COALESCE(?param, "") AS ?f)`` — *not* ``BOUND(?param)``, which pyoxigraph's optimiser folds to
  false for a variable no pattern binds, even when it is substituted (``tests/test_queries.py`` checks this).
* :class:`Neo4jBackend` runs the Cypher text in a **read transaction** (``session.execute_read``, access mode
  READ) with every parameter passed as a Cypher ``$parameter`` (absent optional ones as ``null``).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from guanxi.queries.registry import NamedQuery, QueryError

__all__ = ["StoreBackend", "Neo4jBackend", "open_backend", "is_iri_param", "BACKENDS"]

BACKENDS = ("store", "neo4j")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_INTEGER_TYPES = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "unsignedInt",
              "unsignedLong", "unsignedShort", "unsignedByte", "negativeInteger", "nonPositiveInteger")
}


def is_iri_param(param: Any) -> bool:
    """A parameter bound as an IRI in SPARQL: its description starts with ``IRI``."""
    return param.description.split(None, 1)[:1] == ["IRI"]


def _term_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value (integers as int, everything else as its lexical form)."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value in _INTEGER_TYPES:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return term.value


class StoreBackend:
    """Named queries over a :class:`guanxi.graph.store.GraphStore` (or anything with ``.query(sparql, subs)``).

    ``StoreBackend(store)`` borrows an open store; ``StoreBackend.open(dir)`` opens (and on ``close()``
    closes) one."""

    name = "store"

    def __init__(self, store: Any):
        # a GraphStore (has .query), or a guanxi.api.Guanxi (its .store is the GraphStore)
        self.store = store if hasattr(store, "query") else store.store
        self._owned = False
        self._closer: Any = None

    @classmethod
    def open(cls, store_dir: str | None = None, *, read_only: bool = True) -> "StoreBackend":
        """Open the store in ``store_dir`` (it must exist); read-only by default: queries never write, and a
        read-only store runs while an ingest writes it."""
        from guanxi.api import Guanxi

        gx = Guanxi(store_dir, create=False, read_only=read_only)
        backend = cls(gx.store)
        backend._owned = True
        backend._closer = gx
        return backend

    def substitutions(self, query: NamedQuery, params: dict[str, Any]) -> dict[str, Any]:
        import pyoxigraph as ox

        subs: dict[str, Any] = {}
        for p in query.params:
            value = params.get(p.name)
            if value is None:
                continue
            if is_iri_param(p):
                text = str(value)
                if not _IRI.match(text):
                    raise QueryError(f"query {query.name}: parameter {p.name} must be an IRI, got {text!r}")
                subs[p.name] = ox.NamedNode(text)
            elif p.type == "int":
                subs[p.name] = ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD_INTEGER))
            else:
                subs[p.name] = ox.Literal(str(value))
        return subs

    def run_named(self, query: NamedQuery, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if query.user_file:
            from guanxi.graph.sparql_guard import refusal

            refused = refusal(query.sparql)
            if refused:
                raise QueryError(f"{query.user_file}: {refused}")
        subs = self.substitutions(query, params)
        names = [c.name for c in query.columns]
        for solution in self.store.query(query.sparql, subs):
            yield {n: _term_value(solution[n]) for n in names}

    def close(self) -> None:
        if self._owned and self._closer is not None:
            self._closer.close()
            self._closer = None

    def __enter__(self) -> "StoreBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Neo4jBackend:
    """Named queries over the Neo4j graph ``guanxi sync`` wrote, each in a read transaction."""

    name = "neo4j"

    def __init__(self, driver: Any, database: str | None = None, settings: Any = None, *, owned: bool = False):
        self.driver = driver
        self.database = database
        self.settings = settings
        self._owned = owned

    @classmethod
    def connect(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                database: str | None = None) -> "Neo4jBackend":
        """Connect with flags or ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``."""
        from guanxi.graph import neo4j_read

        conn = neo4j_read.settings(uri, user, password, database)
        driver = neo4j_read.open_driver(conn)
        return cls(driver, conn.database, conn, owned=True)

    def run_named(self, query: NamedQuery, params: dict[str, Any]) -> Iterable[dict[str, Any]]:
        from guanxi.graph import neo4j_read

        values = {p.name: params.get(p.name) for p in query.params}
        if query.user_file:  # the user's own file: checked like a query typed to `guanxi cypher`
            from guanxi.graph.cypher_guard import CypherRefused, run_user_read

            try:
                result = run_user_read(self.driver, query.cypher, values, self.database, self.settings)
            except CypherRefused as exc:
                raise QueryError(f"{query.user_file}: {exc}") from None
        else:
            result = neo4j_read.run_read(self.driver, query.cypher, values, self.database, self.settings)
        names = [c.name for c in query.columns]
        missing = [n for n in names if n not in result.keys]
        if missing:
            raise QueryError(f"query {query.name}: the Cypher returned no column(s) {', '.join(missing)}")
        return [{n: row[n] for n in names} for row in result.rows]

    def close(self) -> None:
        if self._owned and self.driver is not None:
            self.driver.close()
            self.driver = None

    def __enter__(self) -> "Neo4jBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_backend(kind: str = "store", *, store_dir: str | None = None, uri: str | None = None,
                 user: str | None = None, database: str | None = None) -> StoreBackend | Neo4jBackend:
    """``store`` (the embedded store in ``store_dir``) or ``neo4j`` (connection from flags / ``NEO4J_*``)."""
    if kind == "store":
        return StoreBackend.open(store_dir)
    if kind == "neo4j":
        return Neo4jBackend.connect(uri, user, None, database)
    raise QueryError(f"unknown backend {kind!r} (use one of {', '.join(BACKENDS)})")
