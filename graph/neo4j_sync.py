"""Write the store's property graph (:mod:`guanxi.graph.projection`) to Neo4j: idempotent, incremental, resumable.

    from guanxi.graph.neo4j_sync import sync
    report = sync(store, driver, database="neo4j")        # store: a GraphStore (or Guanxi(...).store)

How it works:

1. **Fast path.**  :func:`guanxi.graph.projection.store_generation` (a cheap fingerprint) is compared with the
   ``store_generation`` of the ``(:GuanxiSyncState {key: "guanxi"})`` node, and the number of ``Entity`` nodes
   with the number the last sync wrote; equal (and no ``full``): nothing to do, no projection is computed and
   nothing is written.
2. Uniqueness constraints on ``iri`` for the base label and every label (``CREATE CONSTRAINT … IF NOT EXISTS``),
   and the state node's generation is cleared (an interrupted sync must never look complete).
3. The projection is computed, and the ``iri`` / ``_gx_id`` and ``_gx_hash`` of every element guanxi wrote are
   read back from Neo4j.  The diff says what to create, update (hash differs), delete (no longer projected:
   relationships ``DELETE``, nodes ``DETACH DELETE``) and leave alone.
4. Batches of ``batch_size`` rows, one transaction each: ``UNWIND $rows AS row MERGE (n:Entity {iri: row[0]})
   SET n = {iri: row[0], _gx_hash: row[1], name: row[2], …} SET n:Label…``, grouped by label set / relationship
   type so each query text is constant per group (rows are lists: half the values a map would take to
   encode).  Labels, types and keys come from the ontology and are checked against ``^[A-Za-z_][A-Za-z0-9_]*$``
   and backtick-quoted; every value travels as a parameter.  Order: deletions, nodes, relationships.
5. The state node gets the new generation **last**.  A sync interrupted anywhere (an exception, a lost
   connection, a stopped server) leaves Neo4j partly updated and the generation cleared; the next sync's diff
   then finishes exactly what is missing.

``full=True`` skips the fast path and rewrites every projected element regardless of the stored hashes
(for a database edited by hand); deletions are computed the same way.  Run one sync per database at a time.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from guanxi.graph.projection import (
    PROJECTION_VERSION, PropertyGraph, all_labels, check_name, project, store_generation,
)
from guanxi.ontology.vocab import load_projection

__all__ = [
    "STATE_LABEL", "STATE_KEY", "Tally", "SyncReport", "SyncInterrupted", "sync", "ensure_constraints",
    "read_state", "wipe",
]

STATE_LABEL = "GuanxiSyncState"
STATE_KEY = "guanxi"
DEFAULT_BATCH_SIZE = 1000

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
    generation: str = ""
    batches: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return self.nodes.written + self.relationships.written

    def to_json(self) -> dict[str, Any]:
        return {"nodes": self.nodes.to_json(), "relationships": self.relationships.to_json(),
                "up_to_date": self.up_to_date, "full": self.full, "generation": self.generation,
                "batches": self.batches, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}


def _q(name: str) -> str:
    return f"`{check_name(name)}`"


# ---- constant query texts (labels / types substituted only after check_name) ---------------------------

READ_STATE = f"MATCH (s:{STATE_LABEL} {{key: $key}}) RETURN s.store_generation AS generation, s.nodes AS nodes"
CLEAR_STATE = (f"MERGE (s:{STATE_LABEL} {{key: $key}}) SET s.store_generation = null, s.started_at = datetime(), "
               "s.in_progress = $generation")
WRITE_STATE = (f"MERGE (s:{STATE_LABEL} {{key: $key}}) SET s.store_generation = $generation, "
               "s.synced_at = datetime(), s.in_progress = null, s.nodes = $nodes, s.relationships = $relationships, "
               "s.projection_version = $version")


def _read_nodes(base: str) -> str:
    return f"MATCH (n:{_q(base)}) WHERE n._gx_hash IS NOT NULL RETURN n.iri AS iri, n._gx_hash AS hash, labels(n) AS labels"


def _read_rels(base: str) -> str:
    return (f"MATCH (a:{_q(base)})-[r]->() WHERE r._gx_id IS NOT NULL "
            "RETURN r._gx_id AS id, r._gx_hash AS hash, type(r) AS type, a.iri AS start")


def _map_literal(fixed: Iterable[tuple[str, str]], keys: Iterable[str], first: int) -> str:
    """``{iri: row[0], _gx_hash: row[1], `name`: row[2], …}``: a row is a list, its keys are in the query text."""
    items = [f"{key}: {expr}" for key, expr in fixed]
    items += [f"{_q(key)}: row[{first + i}]" for i, key in enumerate(keys)]
    return "{" + ", ".join(items) + "}"


def _upsert_nodes(base: str, labels: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """Rows ``[iri, hash, value of keys[0], …]``.  ``SET n = {…}`` replaces every property (a null removes it)."""
    extra = [label for label in labels if label != base]
    props = _map_literal((("iri", "row[0]"), ("_gx_hash", "row[1]")), keys, 2)
    text = f"UNWIND $rows AS row MERGE (n:{_q(base)} {{iri: row[0]}}) SET n = {props}"
    if extra:
        text += " SET n:" + ":".join(_q(label) for label in extra)
    return text


def _remove_labels(base: str, labels: tuple[str, ...]) -> str:
    """Rows: iris."""
    return f"UNWIND $rows AS iri MATCH (n:{_q(base)} {{iri: iri}}) REMOVE n:" + ":".join(_q(x) for x in labels)


def _delete_nodes(base: str) -> str:
    """Rows: iris."""
    return f"UNWIND $rows AS iri MATCH (n:{_q(base)} {{iri: iri}}) DETACH DELETE n"


def _upsert_rels(base: str, rtype: str, keys: tuple[str, ...]) -> str:
    """Rows ``[start iri, end iri, id, hash, value of keys[0], …]``."""
    props = _map_literal((("_gx_id", "row[2]"), ("_gx_hash", "row[3]")), keys, 4)
    return (f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}}) MATCH (b:{_q(base)} {{iri: row[1]}}) "
            f"MERGE (a)-[r:{_q(rtype)} {{_gx_id: row[2]}}]->(b) SET r = {props}")


def _delete_rels(base: str, rtype: str) -> str:
    """Rows ``[start iri, id]``."""
    return f"UNWIND $rows AS row MATCH (a:{_q(base)} {{iri: row[0]}})-[r:{_q(rtype)} {{_gx_id: row[1]}}]->() DELETE r"


# ---- schema ---------------------------------------------------------------------------------------------

def constraint_statements(labels: Iterable[str]) -> list[str]:
    return [f"CREATE CONSTRAINT {_q('guanxi_' + label + '_iri')} IF NOT EXISTS FOR (n:{_q(label)}) REQUIRE n.iri IS UNIQUE"
            for label in labels]


def ensure_constraints(driver: Any, database: str | None, labels: Iterable[str] | None = None) -> None:
    """A uniqueness constraint on ``iri`` for the base label and for every projected label."""
    for statement in constraint_statements(labels or all_labels()):
        driver.execute_query(statement, database_=database)


def read_state(driver: Any, database: str | None) -> str | None:
    """The store generation of the last complete sync (None: never synced, or the last sync did not finish)."""
    records, _, _ = driver.execute_query(READ_STATE, key=STATE_KEY, database_=database)
    return records[0]["generation"] if records else None


def _up_to_date(driver: Any, database: str | None, generation: str, base: str) -> bool:
    """The last complete sync was of this generation, and its nodes are still there (a count from Neo4j's
    count store, O(1): catches a database wiped by hand since)."""
    records, _, _ = driver.execute_query(READ_STATE, key=STATE_KEY, database_=database)
    if not records or records[0]["generation"] != generation:
        return False
    count, _, _ = driver.execute_query(f"MATCH (n:{_q(base)}) RETURN count(n) AS n", database_=database)
    return count[0]["n"] == records[0]["nodes"]


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


# ---- the sync -------------------------------------------------------------------------------------------

@dataclass
class _Step:
    phase: str          # "delete relationships", "delete nodes", "nodes", "relationships"
    query: str
    rows: list[Any]


def _keys(props: Iterable[dict[str, Any]], positional: tuple[str, ...]) -> tuple[str, ...]:
    """The property keys of a group (minus those passed by position), sorted, each a checked name."""
    keys: set[str] = set()
    for p in props:
        keys.update(p)
    return tuple(sorted(check_name(k) for k in keys - set(positional)))


def _counted_write(tally: Tally, known: tuple | None, new_hash: str, full: bool) -> bool:
    """Whether an element must be written (absent from Neo4j, changed, or ``full``), counted in ``tally``;
    ``known`` is what Neo4j holds of it, its hash first."""
    if known is None:
        tally.created += 1
        return True
    if known[0] == new_hash and not full:
        tally.unchanged += 1
        return False
    tally.updated += 1
    return True


def _plan(graph: PropertyGraph, existing_nodes: dict[str, tuple[str, list[str]]],
          existing_rels: dict[str, tuple[str, str, str]], base: str, full: bool,
          report: SyncReport) -> list[_Step]:
    """The batches to run, as (phase, constant query text, rows): rows are lists, not maps (half the values to
    encode: the driver's pure-Python packer is the bottleneck of a sync)."""
    steps: list[_Step] = []
    # relationships no longer projected
    gone_rels: dict[str, list[list[str]]] = defaultdict(list)
    for rid, (_hash, rtype, start) in existing_rels.items():
        if rid not in graph.relationships:
            gone_rels[rtype].append([start, rid])
    for rtype in sorted(gone_rels):
        steps.append(_Step("delete relationships", _delete_rels(base, rtype), sorted(gone_rels[rtype])))
        report.relationships.deleted += len(gone_rels[rtype])
    # nodes no longer projected
    gone_nodes = [i for i in sorted(existing_nodes) if i not in graph.nodes]
    if gone_nodes:
        steps.append(_Step("delete nodes", _delete_nodes(base), gone_nodes))
        report.nodes.deleted += len(gone_nodes)
    # nodes to write, grouped by label set; labels to take off nodes whose kind changed
    upserts: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    removals: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for node_iri in sorted(graph.nodes):
        node = graph.nodes[node_iri]
        known = existing_nodes.get(node_iri)
        if not _counted_write(report.nodes, known, node.hash, full):
            continue
        if known is not None:
            stale = tuple(sorted(set(known[1]) - set(node.labels)))
            if stale:
                removals[stale].append(node_iri)
        upserts[node.labels].append(node)
    for labels in sorted(removals):
        steps.append(_Step("nodes", _remove_labels(base, labels), removals[labels]))
    for labels in sorted(upserts):
        nodes = upserts[labels]
        keys = _keys((n.props for n in nodes), ("iri", "_gx_hash"))
        rows = [[n.iri, n.hash, *(n.props.get(k) for k in keys)] for n in nodes]
        steps.append(_Step("nodes", _upsert_nodes(base, labels, keys), rows))
    # relationships to write, grouped by type
    rels: dict[str, list[Any]] = defaultdict(list)
    for rid in sorted(graph.relationships):
        rel = graph.relationships[rid]
        known_rel = existing_rels.get(rid)
        if _counted_write(report.relationships, known_rel, rel.hash, full):
            rels[rel.type].append(rel)
    for rtype in sorted(rels):
        group = rels[rtype]
        keys = _keys((r.props for r in group), ("_gx_id", "_gx_hash"))
        rows = [[r.start, r.end, r.id, r.hash, *(r.props.get(k) for k in keys)] for r in group]
        steps.append(_Step("relationships", _upsert_rels(base, rtype, keys), rows))
    return steps


def sync(store: Any, driver: Any, database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
         full: bool = False, progress: ProgressCallback | None = None, after_batch: BatchHook | None = None,
         graph: PropertyGraph | None = None) -> SyncReport:
    """Make Neo4j hold exactly the projection of ``store`` (see the module docstring); returns what was done.

    ``progress(phase, done, total)`` is called after each batch; ``after_batch(n)`` after the n-th committed
    batch (a test hook: raising there interrupts the sync like a crash would).  ``graph`` is a precomputed
    projection of ``store`` (benchmarks)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    report = SyncReport(full=full)
    base = check_name(load_projection().base_label)

    t = time.perf_counter()
    generation = store_generation(store)
    report.generation = generation
    if not full and _up_to_date(driver, database, generation, base):
        report.up_to_date = True
        report.timings["check"] = time.perf_counter() - t
        report.seconds = time.perf_counter() - started
        return report
    report.timings["check"] = time.perf_counter() - t

    t = time.perf_counter()
    ensure_constraints(driver, database)
    driver.execute_query(CLEAR_STATE, key=STATE_KEY, generation=generation, database_=database)
    report.timings["schema"] = time.perf_counter() - t

    t = time.perf_counter()
    if progress:
        progress("projecting the store", 0, 0)
    if graph is None:
        graph = project(store)
    report.timings["project"] = time.perf_counter() - t

    t = time.perf_counter()
    if progress:
        progress("reading Neo4j", 0, 0)
    existing_nodes: dict[str, tuple[str, list[str]]] = {}
    existing_rels: dict[str, tuple[str, str, str]] = {}
    with driver.session(database=database) as session:
        for r in session.run(_read_nodes(base)):
            existing_nodes[r["iri"]] = (r["hash"], r["labels"])
        for r in session.run(_read_rels(base)):
            existing_rels[r["id"]] = (r["hash"], r["type"], r["start"])
    report.timings["read"] = time.perf_counter() - t

    t = time.perf_counter()
    steps = _plan(graph, existing_nodes, existing_rels, base, full, report)
    total = sum(len(s.rows) for s in steps)
    done = 0
    with driver.session(database=database) as session:
        for step in steps:
            for i in range(0, len(step.rows), batch_size):
                batch = step.rows[i:i + batch_size]
                session.execute_write(_run_batch, step.query, batch)
                report.batches += 1
                done += len(batch)
                if progress:
                    progress(step.phase, done, total)
                if after_batch:
                    after_batch(report.batches)
    report.timings["write"] = time.perf_counter() - t

    driver.execute_query(WRITE_STATE, key=STATE_KEY, generation=generation, nodes=len(graph.nodes),
                         relationships=len(graph.relationships), version=PROJECTION_VERSION, database_=database)
    report.seconds = time.perf_counter() - started
    return report


def _run_batch(tx: Any, query: str, rows: list[Any]) -> None:
    tx.run(query, rows=rows).consume()
