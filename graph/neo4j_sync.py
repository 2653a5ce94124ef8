"""Write the store's property graph (:mod:`guanxi.graph.projection`) to Neo4j: idempotent, incremental, resumable.

    from guanxi.graph.neo4j_sync import sync
    report = sync(store, driver, database="neo4j")        # store: a GraphStore (or Guanxi(...).store)

How it works:

1. **The projection.**  The store's property graph is kept in ``<store>/projection.sqlite``
   (:mod:`guanxi.graph.projection_cache`) and brought up to date from the store's change journal: only the
   elements of what changed since the last update are projected again.  Each update of that cache has a
   sequence number and logs the elements it changed.  (A store whose folder cannot hold the cache is
   projected in full every time.)
2. **Fast path.**  The cache's store generation (a fingerprint of the documents, see
   :func:`guanxi.graph.projection.store_generation`) equals the ``store_generation`` of the
   ``(:GuanxiSyncState {key: "guanxi"})`` node and the number of ``Entity`` nodes equals the number the last
   sync wrote: nothing to do.
3. The state is marked in progress (its generation cleared: an interrupted sync never looks complete; the
   cache position of the last complete sync is kept).
4. **What to write.**  When the database holds an earlier update of the same cache (``cache_id``,
   ``cache_seq`` and that update's random ``cache_nonce``) and its node count is what that sync left (or that
   sync was interrupted): the elements the cache logged since, compared with what Neo4j holds of them — the
   cost follows the change.  When the database holds no ``Entity`` node: every element, created.  Otherwise
   (another store, a log that no longer reaches back, a graph edited by hand, ``full``): the ``iri`` /
   ``_gx_id`` and ``_gx_hash`` of every element guanxi wrote are read back and compared with the whole
   projection.  Either way the result is what to create, update (hash differs), delete and leave alone.
5. **Writes.**  Batches of ``batch_size`` rows, one transaction each, one constant query text per label set or
   relationship type and property-key set: ``UNWIND $rows AS row CREATE (n:Entity:Person {iri: row[0],
   _gx_hash: row[1], name: row[2], …})`` for new nodes, ``MATCH (n:Entity {iri: row[0]}) SET n = {…}`` for changed
   ones, ``MATCH (a:Entity {iri: row[0]}) MATCH (b:Entity {iri: row[1]}) CREATE (a)-[r:HELD {…}]->(b)`` and
   ``MATCH (a …)-[r:HELD {_gx_id: row[2]}]->(b …) SET r = {…}`` for relationships; ``DELETE`` /
   ``DETACH DELETE`` for what is gone.  Rows are lists (keys in the query text).  Labels, types and keys come
   from the ontology and are checked against ``^[A-Za-z_][A-Za-z0-9_]*$`` and backtick-quoted; every value
   travels as a parameter.  Order: deletions, nodes, relationships.  Into an empty database only the ``Entity``
   uniqueness constraint exists while writing; the per-label ones are created after the data (one index
   build instead of an index update per node).
6. The state node gets the new generation and cache position **last**.  A sync interrupted anywhere leaves
   Neo4j partly updated and the state in progress; the next sync replays the cache's changes since the last
   complete sync (or compares everything), so it finishes exactly what is missing.

``full=True`` rebuilds the projection from the store and rewrites every element regardless of the stored
hashes (for a database edited by hand).  Run one sync per database at a time.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from guanxi.graph.projection import (
    PROJECTION_VERSION, Node, PropertyGraph, Relationship, all_labels, check_name, project, store_generation,
)
from guanxi.graph.projection_cache import ProjectionCache, open_cache
from guanxi.ontology.vocab import load_projection

__all__ = [
    "STATE_LABEL", "STATE_KEY", "Tally", "SyncReport", "SyncInterrupted", "sync", "ensure_constraints",
    "read_state", "wipe", "DEFAULT_BATCH_SIZE", "content_fingerprint",
]

STATE_LABEL = "GuanxiSyncState"
STATE_KEY = "guanxi"
DEFAULT_BATCH_SIZE = 2000
READ_CHUNK = 10000           # iris / ids per read-back query of an incremental sync

ProgressCallback = Callable[[str, int, int], None]     # (phase, rows done, rows in total; 0 = not known yet)
BatchHook = Callable[[int], None]                       # called with the number of batches committed so far


class SyncInterrupted(RuntimeError):
    """Raised by a test hook to simulate a failure between batches."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def to_json(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "deleted": self.deleted, "unchanged": self.unchanged}

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class SyncReport:
    nodes: Tally = field(default_factory=Tally)
    relationships: Tally = field(default_factory=Tally)
    up_to_date: bool = False        # the fast path: the store had not changed since the last sync
    full: bool = False
    mode: str = ""                  # "up to date", "incremental", "into an empty database", "full comparison"
    generation: str = ""
    batches: int = 0
    compared: int = 0               # elements read back from Neo4j to compare
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    projection: dict[str, Any] = field(default_factory=dict)   # how the projection was brought up to date

    @property
    def written(self) -> int:
        return self.nodes.written + self.relationships.written

    def to_json(self) -> dict[str, Any]:
        return {"nodes": self.nodes.to_json(), "relationships": self.relationships.to_json(),
                "up_to_date": self.up_to_date, "full": self.full, "mode": self.mode, "generation": self.generation,
                "batches": self.batches, "compared": self.compared, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}, "projection": self.projection}


def _q(name: str) -> str:
    return f"`{check_name(name)}`"


# ---- constant query texts (labels / types substituted only after check_name) ---------------------------

READ_STATE = (f"MATCH (s:{STATE_LABEL} {{key: $key}}) RETURN s.store_generation AS generation, s.nodes AS nodes, "
              "s.cache_id AS cache_id, s.cache_seq AS cache_seq, s.cache_nonce AS cache_nonce, "
              "s.in_progress AS in_progress")
MARK_IN_PROGRESS = (f"MERGE (s:{STATE_LABEL} {{key: $key}}) SET s.store_generation = null, s.started_at = datetime(), "
                    "s.in_progress = $generation")
WRITE_STATE = (f"MERGE (s:{STATE_LABEL} {{key: $key}}) SET s.store_generation = $generation, "
               "s.synced_at = datetime(), s.in_progress = null, s.nodes = $nodes, s.relationships = $relationships, "
               "s.projection_version = $version, s.cache_id = $cache_id, s.cache_seq = $cache_seq, "
               "s.cache_nonce = $cache_nonce")
COUNT_NODES = "MATCH (n:`{base}`) RETURN count(n) AS n"


def _read_nodes(base: str) -> str:
    return f"MATCH (n:{_q(base)}) WHERE n._gx_hash IS NOT NULL RETURN n.iri AS iri, n._gx_hash AS hash, labels(n) AS labels"


def _read_rels(base: str) -> str:
    return (f"MATCH (a:{_q(base)})-[r]->(b) WHERE r._gx_id IS NOT NULL "
            "RETURN r._gx_id AS id, r._gx_hash AS hash, type(r) AS type, a.iri AS start, b.iri AS end")


def _read_some_nodes(base: str) -> str:
    return (f"UNWIND $iris AS iri MATCH (n:{_q(base)} {{iri: iri}}) WHERE n._gx_hash IS NOT NULL "
            "RETURN n.iri AS iri, n._gx_hash AS hash, labels(n) AS labels")


def _read_some_rels(base: str, rtype: str) -> str:
    """Rows ``[start iri, end iri, id]``."""
    return (f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}})-[r:{_q(rtype)} {{_gx_id: row[2]}}]->"
            f"(b:{_q(base)} {{iri: row[1]}}) RETURN r._gx_id AS id, r._gx_hash AS hash")


def _map_literal(fixed: Iterable[tuple[str, str]], keys: Iterable[str], first: int) -> str:
    """``{iri: row[0], _gx_hash: row[1], `name`: row[2], …}``: a row is a list, its keys are in the query text."""
    items = [f"{key}: {expr}" for key, expr in fixed]
    items += [f"{_q(key)}: row[{first + i}]" for i, key in enumerate(keys)]
    return "{" + ", ".join(items) + "}"


def _create_nodes(base: str, labels: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """Rows ``[iri, hash, value of keys[0], …]`` (a null value sets no property)."""
    props = _map_literal((("iri", "row[0]"), ("_gx_hash", "row[1]")), keys, 2)
    extra = "".join(":" + _q(label) for label in labels if label != base)
    return f"UNWIND $rows AS row CREATE (n:{_q(base)}{extra} {props})"


def _update_nodes(base: str, labels: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """Rows ``[iri, hash, value of keys[0], …]``.  ``SET n = {…}`` replaces every property (a null removes it)."""
    extra = [label for label in labels if label != base]
    props = _map_literal((("iri", "row[0]"), ("_gx_hash", "row[1]")), keys, 2)
    text = f"UNWIND $rows AS row MATCH (n:{_q(base)} {{iri: row[0]}}) SET n = {props}"
    if extra:
        text += " SET n:" + ":".join(_q(label) for label in extra)
    return text


def _remove_labels(base: str, labels: tuple[str, ...]) -> str:
    """Rows: iris."""
    return f"UNWIND $rows AS iri MATCH (n:{_q(base)} {{iri: iri}}) REMOVE n:" + ":".join(_q(x) for x in labels)


def _delete_nodes(base: str) -> str:
    """Rows: iris."""
    return f"UNWIND $rows AS iri MATCH (n:{_q(base)} {{iri: iri}}) DETACH DELETE n"


def _create_rels(base: str, rtype: str, keys: tuple[str, ...]) -> str:
    """Rows ``[start iri, end iri, id, hash, value of keys[0], …]``."""
    props = _map_literal((("_gx_id", "row[2]"), ("_gx_hash", "row[3]")), keys, 4)
    return (f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}}) MATCH (b:{_q(base)} {{iri: row[1]}}) "
            f"CREATE (a)-[r:{_q(rtype)} {props}]->(b)")


def _update_rels(base: str, rtype: str, keys: tuple[str, ...]) -> str:
    """Rows ``[start iri, end iri, id, hash, value of keys[0], …]``."""
    props = _map_literal((("_gx_id", "row[2]"), ("_gx_hash", "row[3]")), keys, 4)
    return (f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}})-[r:{_q(rtype)} {{_gx_id: row[2]}}]->"
            f"(b:{_q(base)} {{iri: row[1]}}) SET r = {props}")


def _delete_rels(base: str, rtype: str) -> str:
    """Rows ``[start iri, end iri, id]``."""
    return (f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}})-[r:{_q(rtype)} {{_gx_id: row[2]}}]->"
            f"(b:{_q(base)} {{iri: row[1]}}) DELETE r")


# ---- schema ---------------------------------------------------------------------------------------------

def constraint_statements(labels: Iterable[str]) -> list[str]:
    return [f"CREATE CONSTRAINT {_q('guanxi_' + label + '_iri')} IF NOT EXISTS FOR (n:{_q(label)}) REQUIRE n.iri IS UNIQUE"
            for label in labels]


def index_statements(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, statement) of the range index on each (label, property key) the ontology marks gx:neo4jIndexed."""
    return [(f"guanxi_{label}_{key}", f"CREATE INDEX {_q('guanxi_' + label + '_' + key)} IF NOT EXISTS "
             f"FOR (n:{_q(check_name(label))}) ON (n.{_q(check_name(key))})") for label, key in pairs]


def ensure_constraints(driver: Any, database: str | None, labels: Iterable[str] | None = None) -> None:
    """A uniqueness constraint on ``iri`` for the base label and for every projected label, and the indexes the
    ontology asks for (``name``, ``aliases``: person_candidates and organization lookups by name without a scan
    of every node). Only the missing ones are created: two round trips when they all exist."""
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=database)
    existing = {r["name"] for r in records}
    for label in (labels or all_labels()):
        if f"guanxi_{label}_iri" not in existing:
            driver.execute_query(constraint_statements([label])[0], database_=database)
    if labels is not None:
        return             # the base label only (an empty database before a bulk load): indexes come after
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name RETURN name", database_=database)
    existing = {r["name"] for r in records}
    for name, statement in index_statements(load_projection().indexed):
        if name not in existing:
            driver.execute_query(statement, database_=database)


@dataclass
class _State:
    generation: str | None = None
    nodes: int | None = None
    cache_id: str | None = None
    cache_seq: int | None = None
    cache_nonce: str | None = None
    in_progress: str | None = None


def _state(driver: Any, database: str | None) -> _State:
    records, _, _ = driver.execute_query(READ_STATE, key=STATE_KEY, database_=database)
    return _State(**records[0].data()) if records else _State()


def read_state(driver: Any, database: str | None) -> str | None:
    """The store generation of the last complete sync (None: never synced, or the last sync did not finish)."""
    return _state(driver, database).generation


def _count(driver: Any, database: str | None, base: str) -> int:
    """The number of base-label nodes (Neo4j's count store: O(1))."""
    records, _, _ = driver.execute_query(COUNT_NODES.format(base=check_name(base)), database_=database)
    return records[0]["n"]


def wipe(driver: Any, database: str | None, batch_size: int = 10000) -> None:
    """Delete every node guanxi wrote (``Entity``) and the sync state, in batches (tests and benchmarks)."""
    base = load_projection().base_label
    while True:
        records, _, _ = driver.execute_query(
            f"MATCH (n:{_q(base)}) WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c", n=batch_size,
            database_=database)
        if not records or records[0]["c"] == 0:
            break
    driver.execute_query(f"MATCH (s:{STATE_LABEL}) DELETE s", database_=database)


def _plain(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def content_fingerprint(driver: Any, database: str | None) -> dict[str, Any]:
    """What Neo4j holds of guanxi's graph, as counts and one SHA-256 over every node (labels, properties) and
    relationship (type, end points' iris, properties), bookkeeping properties included: two databases with
    the same fingerprint hold the same graph.  (Reads everything: tests and benchmarks.)"""
    base = _q(load_projection().base_label)
    lines: list[str] = []
    with driver.session(database=database) as session:
        for r in session.run(f"MATCH (n:{base}) RETURN labels(n) AS labels, properties(n) AS props"):
            props = {k: _plain(v) for k, v in r["props"].items()}
            lines.append(json.dumps(["n", sorted(r["labels"]), sorted(props.items())], ensure_ascii=False))
        nodes = len(lines)
        for r in session.run(f"MATCH (a:{base})-[r]->(b:{base}) RETURN type(r) AS type, a.iri AS start, "
                             "b.iri AS end, properties(r) AS props"):
            props = {k: _plain(v) for k, v in r["props"].items()}
            lines.append(json.dumps(["r", r["type"], r["start"], r["end"], sorted(props.items())], ensure_ascii=False))
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8") + b"\n")
    return {"nodes": nodes, "relationships": len(lines) - nodes, "sha256": digest.hexdigest()}


# ---- planning -------------------------------------------------------------------------------------------

@dataclass
class _Batch:
    phase: str          # "delete relationships", "delete nodes", "nodes", "relationships"
    query: str
    rows: list[Any]


def _keys(props: Iterable[dict[str, Any]], positional: tuple[str, ...]) -> tuple[str, ...]:
    """The property keys of a group (minus those passed by position), sorted, each a checked name."""
    keys: set[str] = set()
    for p in props:
        keys.update(p)
    return tuple(sorted(check_name(k) for k in keys - set(positional)))


class _Plan:
    """Turns the elements to write into batches, counting them in a report."""

    def __init__(self, base: str, batch_size: int, report: SyncReport):
        self.base, self.batch_size, self.report = base, batch_size, report
        self.deletions: list[_Batch] = []
        self.total = 0

    # deletions are known in full before any write
    def delete_relationships(self, gone: dict[str, tuple[str, str, str]]) -> None:
        by_type: dict[str, list[list[str]]] = defaultdict(list)
        for rid, (rtype, start, end) in gone.items():
            by_type[rtype].append([start, end, rid])
        for rtype in sorted(by_type):
            rows = sorted(by_type[rtype])
            self._chunks("delete relationships", _delete_rels(self.base, rtype), rows, self.deletions)
            self.report.relationships.deleted += len(rows)

    def delete_nodes(self, gone: Iterable[str]) -> None:
        rows = sorted(gone)
        if rows:
            self._chunks("delete nodes", _delete_nodes(self.base), rows, self.deletions)
            self.report.nodes.deleted += len(rows)

    def _chunks(self, phase: str, query: str, rows: list[Any], out: list[_Batch]) -> None:
        for i in range(0, len(rows), self.batch_size):
            out.append(_Batch(phase, query, rows[i:i + self.batch_size]))
        self.total += len(rows)

    # writes are streamed: nodes grouped by label set, relationships by type
    def node_batches(self, nodes: Iterable[Node], existing: dict[str, tuple[str, list[str]]] | None,
                     full: bool) -> Iterator[_Batch]:
        """Batches creating / updating ``nodes`` (``existing``: iri -> (hash, labels) in Neo4j; None: none
        exists)."""
        tally = self.report.nodes
        pending: dict[tuple[tuple[str, ...], bool], list[Node]] = defaultdict(list)
        removals: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for node in nodes:
            known = existing.get(node.iri) if existing is not None else None
            if known is None:
                tally.created += 1
                group = (node.labels, True)
            elif known[0] == node.hash and not full:
                tally.unchanged += 1
                continue
            else:
                tally.updated += 1
                group = (node.labels, False)
                stale = tuple(sorted(set(known[1]) - set(node.labels)))
                if stale:
                    removals[stale].append(node.iri)
            if removals and sum(len(v) for v in removals.values()) >= self.batch_size:
                yield from self._flush_removals(removals)
            batch = pending[group]
            batch.append(node)
            if len(batch) >= self.batch_size:
                yield self._node_batch(group, batch)
                pending[group] = []
        yield from self._flush_removals(removals)
        for group in sorted(pending):
            if pending[group]:
                yield self._node_batch(group, pending[group])

    def _flush_removals(self, removals: dict[tuple[str, ...], list[str]]) -> Iterator[_Batch]:
        for labels in sorted(removals):
            rows = removals[labels]
            for i in range(0, len(rows), self.batch_size):
                yield _Batch("nodes", _remove_labels(self.base, labels), rows[i:i + self.batch_size])
        removals.clear()

    def _node_batch(self, group: tuple[tuple[str, ...], bool], nodes: list[Node]) -> _Batch:
        labels, create = group
        keys = _keys((n.props for n in nodes), ("iri", "_gx_hash"))
        rows = [[n.iri, n.hash, *(n.props.get(k) for k in keys)] for n in nodes]
        query = (_create_nodes if create else _update_nodes)(self.base, labels, keys)
        return _Batch("nodes", query, rows)

    def relationship_batches(self, rels: Iterable[Relationship], existing: dict[str, tuple] | None,
                             full: bool) -> Iterator[_Batch]:
        tally = self.report.relationships
        pending: dict[tuple[str, bool], list[Relationship]] = defaultdict(list)
        for rel in rels:
            known = existing.get(rel.id) if existing is not None else None
            if known is None:
                tally.created += 1
                group = (rel.type, True)
            elif known[0] == rel.hash and not full:
                tally.unchanged += 1
                continue
            else:
                tally.updated += 1
                group = (rel.type, False)
            batch = pending[group]
            batch.append(rel)
            if len(batch) >= self.batch_size:
                yield self._rel_batch(group, batch)
                pending[group] = []
        for group in sorted(pending):
            if pending[group]:
                yield self._rel_batch(group, pending[group])

    def _rel_batch(self, group: tuple[str, bool], rels: list[Relationship]) -> _Batch:
        rtype, create = group
        keys = _keys((r.props for r in rels), ("_gx_id", "_gx_hash"))
        rows = [[r.start, r.end, r.id, r.hash, *(r.props.get(k) for k in keys)] for r in rels]
        query = (_create_rels if create else _update_rels)(self.base, rtype, keys)
        return _Batch("relationships", query, rows)


# ---- reading Neo4j ----------------------------------------------------------------------------------------

def _read_all(driver: Any, database: str | None, base: str) -> tuple[dict[str, tuple[str, list[str]]], dict[str, tuple]]:
    nodes: dict[str, tuple[str, list[str]]] = {}
    rels: dict[str, tuple] = {}
    with driver.session(database=database) as session:
        for r in session.run(_read_nodes(base)):
            nodes[r["iri"]] = (r["hash"], r["labels"])
        for r in session.run(_read_rels(base)):
            rels[r["id"]] = (r["hash"], r["type"], r["start"], r["end"])
    return nodes, rels


def _read_some(driver: Any, database: str | None, base: str, iris: Iterable[str],
               rels: dict[str, tuple[str, str, str]]) -> tuple[dict[str, tuple[str, list[str]]], dict[str, tuple]]:
    """What Neo4j holds of the given nodes and relationships (id -> (type, start, end))."""
    found_nodes: dict[str, tuple[str, list[str]]] = {}
    found_rels: dict[str, tuple] = {}
    iris = sorted(iris)
    by_type: dict[str, list[list[str]]] = defaultdict(list)
    for rid, (rtype, start, end) in rels.items():
        by_type[rtype].append([start, end, rid])
    with driver.session(database=database) as session:
        for i in range(0, len(iris), READ_CHUNK):
            for r in session.run(_read_some_nodes(base), iris=iris[i:i + READ_CHUNK]):
                found_nodes[r["iri"]] = (r["hash"], r["labels"])
        for rtype in sorted(by_type):
            rows = sorted(by_type[rtype])
            for i in range(0, len(rows), READ_CHUNK):
                for r in session.run(_read_some_rels(base, rtype), rows=rows[i:i + READ_CHUNK]):
                    start, end = rels[r["id"]][1:]
                    found_rels[r["id"]] = (r["hash"], rtype, start, end)
    return found_nodes, found_rels


# ---- the sync -------------------------------------------------------------------------------------------

class _Source:
    """The projection being synced: the cache (streamed from disk) or a graph in memory."""

    def __init__(self, cache: ProjectionCache | None, graph: PropertyGraph | None):
        self.cache, self.graph = cache, graph

    def counts(self) -> tuple[int, int]:
        if self.graph is not None:
            return len(self.graph.nodes), len(self.graph.relationships)
        return self.cache.counts()

    def nodes(self) -> Iterable[Node]:
        if self.graph is not None:
            return (self.graph.nodes[k] for k in sorted(self.graph.nodes, key=lambda k: (self.graph.nodes[k].labels, k)))
        return self.cache.iter_nodes()

    def relationships(self) -> Iterable[Relationship]:
        if self.graph is not None:
            rels = self.graph.relationships
            return (rels[k] for k in sorted(rels, key=lambda k: (rels[k].type, k)))
        return self.cache.iter_relationships()


def sync(store: Any, driver: Any, database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
         full: bool = False, progress: ProgressCallback | None = None, after_batch: BatchHook | None = None,
         graph: PropertyGraph | None = None, use_cache: bool = True) -> SyncReport:
    """Make Neo4j hold exactly the projection of ``store`` (see the module docstring); returns what was done.

    ``progress(phase, done, total)`` is called after each batch; ``after_batch(n)`` after the n-th committed
    batch (a test hook: raising there interrupts the sync like a crash would).  ``graph``: a precomputed
    projection of ``store`` to write instead (benchmarks; the cache is then left alone); ``use_cache=False``
    projects the whole store in memory without the cache."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    report = SyncReport(full=full)
    base = check_name(load_projection().base_label)

    # 1. the projection
    t = time.perf_counter()
    if progress:
        progress("projecting the store", 0, 0)
    cache = open_cache(store) if graph is None and use_cache else None
    try:
        if cache is not None:
            refresh = cache.refresh(store, rebuild=full)
            report.projection = refresh.to_json()
            generation = cache.generation
        else:
            if graph is None:
                graph = project(store)
            report.projection = {"mode": "in memory", "projected": len(graph)}
            generation = store_generation(store)
        report.generation = generation
        report.timings["project"] = time.perf_counter() - t
        return _sync(store, driver, database, cache, graph, generation, base, batch_size, full, progress,
                     after_batch, report, started)
    finally:
        if cache is not None:
            cache.close()


def _sync(store: Any, driver: Any, database: str | None, cache: ProjectionCache | None, graph: PropertyGraph | None,
          generation: str, base: str, batch_size: int, full: bool, progress: ProgressCallback | None,
          after_batch: BatchHook | None, report: SyncReport, started: float) -> SyncReport:
    # 2. fast path
    t = time.perf_counter()
    state = _state(driver, database)
    count = _count(driver, database, base)
    cache_id, cache_seq = (cache.cache_id, cache.seq) if cache is not None else (None, None)
    cache_nonce = cache.nonce(cache_seq) if cache is not None else None
    source = _Source(cache, graph)
    n_nodes, n_rels = source.counts()
    if not full and state.generation == generation and not state.in_progress and count == state.nodes:
        report.up_to_date = True
        report.mode = "up to date"
        ensure_constraints(driver, database)   # a schema a newer guanxi asks for (an index) on unchanged data
        if cache is not None and (state.cache_id, state.cache_seq) != (cache_id, cache_seq):
            driver.execute_query(WRITE_STATE, key=STATE_KEY, generation=generation, nodes=n_nodes,
                                 relationships=n_rels, version=PROJECTION_VERSION, cache_id=cache_id,
                                 cache_seq=cache_seq, cache_nonce=cache_nonce, database_=database)
        report.timings["check"] = time.perf_counter() - t
        report.seconds = time.perf_counter() - started
        return report
    report.timings["check"] = time.perf_counter() - t

    # 3. schema, state in progress
    t = time.perf_counter()
    empty = count == 0
    ensure_constraints(driver, database, [base] if empty else None)
    driver.execute_query(MARK_IN_PROGRESS, key=STATE_KEY, generation=generation, database_=database)
    report.timings["schema"] = time.perf_counter() - t

    # 4. what to write
    t = time.perf_counter()
    if progress:
        progress("reading Neo4j", 0, 0)
    plan = _Plan(base, batch_size, report)
    changes = None
    if (cache is not None and not full and state.cache_id == cache_id and state.cache_seq is not None
            and cache.nonce(state.cache_seq) == state.cache_nonce and (state.in_progress or count == state.nodes)):
        changes = cache.changes_since(state.cache_seq)
    if changes is not None:
        report.mode = "incremental"
        existing_nodes, existing_rels = _read_some(driver, database, base, changes.nodes, changes.relationships)
        report.compared = len(existing_nodes) + len(existing_rels)
        new_nodes = cache.nodes(changes.nodes)
        new_rels = cache.relationships(changes.relationships)
        plan.delete_relationships({rid: v[1:] for rid, v in existing_rels.items() if rid not in new_rels})
        plan.delete_nodes(iri for iri in existing_nodes if iri not in new_nodes)
        node_source: Iterable[Node] = sorted(new_nodes.values(), key=lambda n: (n.labels, n.iri))
        rel_source: Iterable[Relationship] = sorted(new_rels.values(), key=lambda r: (r.type, r.id))
        n_write, r_write = len(new_nodes), len(new_rels)
    elif empty:
        report.mode = "into an empty database"
        existing_nodes, existing_rels = None, None
        node_source, rel_source = source.nodes(), source.relationships()
        n_write, r_write = n_nodes, n_rels
    else:
        report.mode = "full comparison"
        existing_nodes, existing_rels = _read_all(driver, database, base)
        report.compared = len(existing_nodes) + len(existing_rels)
        if cache is not None:
            node_hashes, rel_hashes = cache.hashes()
        else:
            node_hashes = {k: n.hash for k, n in graph.nodes.items()}
            rel_hashes = {k: r.hash for k, r in graph.relationships.items()}
        plan.delete_relationships({rid: v[1:] for rid, v in existing_rels.items() if rid not in rel_hashes})
        plan.delete_nodes(iri for iri in existing_nodes if iri not in node_hashes)
        if full:
            node_source, rel_source = source.nodes(), source.relationships()
            n_write, r_write = n_nodes, n_rels
        else:
            # only what differs is read from the cache (most of a comparison finds its element unchanged)
            stale_nodes = [k for k, h in node_hashes.items() if existing_nodes.get(k, ("",))[0] != h]
            stale_rels = [k for k, h in rel_hashes.items() if existing_rels.get(k, ("",))[0] != h]
            report.nodes.unchanged = n_nodes - len(stale_nodes)
            report.relationships.unchanged = n_rels - len(stale_rels)
            if cache is not None:
                node_source = sorted(cache.nodes(stale_nodes).values(), key=lambda n: (n.labels, n.iri))
                rel_source = sorted(cache.relationships(stale_rels).values(), key=lambda r: (r.type, r.id))
            else:
                node_source = sorted((graph.nodes[k] for k in stale_nodes), key=lambda n: (n.labels, n.iri))
                rel_source = sorted((graph.relationships[k] for k in stale_rels), key=lambda r: (r.type, r.id))
            n_write, r_write = len(stale_nodes), len(stale_rels)
    report.timings["read"] = time.perf_counter() - t

    # 5. writes
    t = time.perf_counter()
    total = plan.total + n_write + r_write   # an upper bound until the unchanged ones are skipped
    done = 0

    def batches() -> Iterator[_Batch]:
        yield from plan.deletions
        yield from plan.node_batches(node_source, existing_nodes, full)
        yield from plan.relationship_batches(rel_source, existing_rels, full)

    with driver.session(database=database) as session:
        for batch in batches():
            session.execute_write(_run_batch, batch.query, batch.rows)
            report.batches += 1
            done += len(batch.rows)
            if progress:
                progress(batch.phase, done, max(total, done))
            if after_batch:
                after_batch(report.batches)
    report.timings["write"] = time.perf_counter() - t
    if changes is not None:   # everything the log did not name is unchanged by construction
        report.nodes.unchanged = n_nodes - report.nodes.created - report.nodes.updated
        report.relationships.unchanged = n_rels - report.relationships.created - report.relationships.updated
    if empty:
        t = time.perf_counter()
        ensure_constraints(driver, database)   # the per-label constraints, built once over the loaded data
        report.timings["constraints"] = time.perf_counter() - t

    driver.execute_query(WRITE_STATE, key=STATE_KEY, generation=generation, nodes=n_nodes, relationships=n_rels,
                         version=PROJECTION_VERSION, cache_id=cache_id, cache_seq=cache_seq,
                         cache_nonce=cache_nonce, database_=database)
    report.seconds = time.perf_counter() - started
    return report


def _run_batch(tx: Any, query: str, rows: list[Any]) -> None:
    tx.run(query, rows=rows).consume()
