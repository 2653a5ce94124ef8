"""Named queries: ``NAME.rq`` (SPARQL, embedded store) and ``NAME.cypher`` (Neo4j) side by side.

Both files start with a header of ``#`` comment lines (``//`` in Cypher) that declare the query::

    # name: directives
    # description: Directives, filtered by speaker, addressee, industry, text and date range.
    # param: speaker str optional   the speaker's name or IRI
    # column: directive str
    # column: date date

The two files of a query must declare the same parameters and columns; ``load()`` refuses them
otherwise. User values only ever travel as parameters (SPARQL substitutions, Cypher ``$params``):
Python never assembles query text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Protocol

TYPES: dict[str, Callable[[Any], Any]] = {}
_HEADER = re.compile(r"^\s*(?:#|//)\s*(name|description|param|column|order)\s*:\s*(.*?)\s*$")


class QueryError(Exception):
    """A named query is missing, malformed, or was given bad parameters."""


def _to_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _to_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _to_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _to_date(value: Any) -> str | None:
    """Dates travel as ISO strings so both backends compare equal (xsd:date, neo4j.time.Date)."""
    if value is None:
        return None
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _to_list(value: Any) -> tuple[str, ...]:
    """Lists travel sorted, so the two backends' aggregation order does not matter."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(sorted(v for v in value.split("\x1f") if v))
    return tuple(sorted(str(v) for v in value))


TYPES.update({"str": _to_str, "int": _to_int, "float": _to_float, "date": _to_date, "list": _to_list})


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    sparql: str
    cypher: str
    row_type: type = field(compare=False, repr=False, default=tuple)
    # None: one of guanxi's own queries (the registry); else the user's file it was read from (``query --file``),
    # whose text the backends check like any other user query (no SERVICE, no writes, no administration)
    user_file: str | None = field(compare=False, default=None)

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Checks and converts the user's parameters: unknown names and missing required ones are errors;
        optional ones not given are None."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"query {self.name}: unknown parameter(s) {', '.join(unknown)}; it takes {', '.join(known) or 'none'}")
        bound: dict[str, Any] = {}
        for p in self.params:
            value = given.get(p.name)
            if value is None or value == "":
                if not p.optional:
                    raise QueryError(f"query {self.name}: parameter {p.name} is required ({p.description})")
                bound[p.name] = None
                continue
            try:
                bound[p.name] = int(value) if p.type == "int" else str(value)
            except ValueError:
                raise QueryError(f"query {self.name}: parameter {p.name} must be {p.type}, got {value!r}") from None
        return bound

    def row(self, values: dict[str, Any]) -> tuple:
        return self.row_type(*(TYPES[c.type](values.get(c.name)) for c in self.columns))


class Backend(Protocol):
    def run_named(self, query: NamedQuery, params: dict[str, Any]) -> Iterable[dict[str, Any]]: ...


def _parse_header(text: str, where: str) -> dict[str, Any]:
    header: dict[str, Any] = {"param": [], "column": [], "name": None, "description": ""}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            if line.strip() and not line.lstrip().startswith(("#", "//")):
                break
            continue
        key, value = m.groups()
        if key in ("param", "column"):
            header[key].append(value)
        else:
            header[key] = value
    if not header["name"]:
        raise QueryError(f"{where}: no '# name:' header")
    return header


def _params(lines: list[str], where: str) -> tuple[Param, ...]:
    out = []
    for line in lines:
        parts = line.split(None, 3)
        if len(parts) < 2 or parts[1] not in ("str", "int", "date"):
            raise QueryError(f"{where}: bad param line {line!r} (want: NAME TYPE [optional] DESCRIPTION)")
        optional = len(parts) > 2 and parts[2] == "optional"
        description = " ".join(parts[3 if optional else 2:])
        out.append(Param(parts[0], parts[1], optional, description))
    return tuple(out)


def _columns(lines: list[str], where: str) -> tuple[Column, ...]:
    out = []
    for line in lines:
        parts = line.split()
        if len(parts) != 2 or parts[1] not in TYPES:
            raise QueryError(f"{where}: bad column line {line!r} (want: NAME TYPE with TYPE in {', '.join(TYPES)})")
        out.append(Column(parts[0], parts[1]))
    return tuple(out)


def query_dir() -> Path:
    return Path(str(resources.files("guanxi.queries")))


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def load_query(name: str, folder: Path | None = None) -> NamedQuery:
    if not _NAME.fullmatch(name):
        raise QueryError(f"{name!r} is not a query name (letters, digits, _ and -; `guanxi query --list` shows them)")
    folder = folder or query_dir()
    rq, cy = folder / f"{name}.rq", folder / f"{name}.cypher"
    if not rq.is_file() or not cy.is_file():
        raise QueryError(f"no named query {name!r} (need both {rq.name} and {cy.name}); known: {', '.join(names(folder))}")
    sparql, cypher = rq.read_text(encoding="utf-8"), cy.read_text(encoding="utf-8")
    h_rq, h_cy = _parse_header(sparql, rq.name), _parse_header(cypher, cy.name)
    for key in ("name", "param", "column"):
        if h_rq[key] != h_cy[key]:
            raise QueryError(f"query {name}: {rq.name} and {cy.name} declare different {key}s: {h_rq[key]} vs {h_cy[key]}")
    columns = _columns(h_rq["column"], rq.name)
    row_type = NamedTuple(f"{name.title().replace('_', '')}Row", [(c.name, Any) for c in columns])  # type: ignore[misc]
    return NamedQuery(name, h_rq["description"], _params(h_rq["param"], rq.name), columns, sparql, cypher, row_type)


def names(folder: Path | None = None) -> list[str]:
    folder = folder or query_dir()
    return sorted(p.stem for p in folder.glob("*.rq") if (folder / f"{p.stem}.cypher").is_file())


@cache
def registry() -> dict[str, NamedQuery]:
    return {name: load_query(name) for name in names()}


def named(name: str) -> NamedQuery:
    """A registered named query (only those: a name never reaches the file system beyond ``queries/``)."""
    query = registry().get(name)
    if query is None:
        raise QueryError(f"no named query {name!r}; known: {', '.join(registry())} (a query file of your own "
                         "runs with `guanxi query --file PATH.rq`)")
    return query


def load_user_query(path: str | Path) -> NamedQuery:
    """The query pair the user names explicitly (``guanxi query --file dir/NAME.rq``): ``NAME.rq`` and
    ``NAME.cypher`` side by side, with the same header as the named queries."""
    p = Path(path)
    if p.suffix in (".rq", ".cypher"):
        p = p.with_suffix("")
    try:
        query = load_query(p.name, p.parent)
    except OSError as exc:
        raise QueryError(f"cannot read {path}: {exc.strerror or exc}") from None
    from dataclasses import replace

    return replace(query, user_file=str(path))


def run(backend: Backend, name: str | NamedQuery, params: dict[str, Any] | None = None) -> list[tuple]:
    """Runs a named query (a registered name, or a :class:`NamedQuery` such as :func:`load_user_query`'s) on a
    backend and returns typed rows, in the order the query defines."""
    query = name if isinstance(name, NamedQuery) else named(name)
    bound = query.bind(params or {})
    return [query.row(values) for values in backend.run_named(query, bound)]
