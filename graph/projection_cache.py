"""The store's property graph, kept up to date incrementally on disk: what ``guanxi sync`` writes to Neo4j.

Projecting a store reads a few quads per element through pyoxigraph (about 2 minutes for the seven xwlb
years), so the projection is kept next to the store, in ``<store>/projection.sqlite``, and brought up to date
from the store's change journal (:meth:`guanxi.graph.store.GraphStore.changes_since`):

* a document graph written since the cache was last updated: its old footprint (recorded here) and its new one
  (one scan of the graph) name the resources whose elements may have changed; mentions of the old and new
  version, the resources they attest and those whose path steps lead to a changed resource (the tenures of a
  post) are added; a resolution or manual graph entry names its subject;
* those elements are projected again from the store (:class:`guanxi.graph.projection.ScopeProjector`, index
  lookups: the same element functions as a full projection) and compared with the cached ones; a node that
  appears or disappears brings its relationships into the scope, until nothing new is found;
* what differs is written to the cache in one SQLite transaction, with a change log (one sequence number per
  update): the Neo4j sync writes exactly the elements changed since the sequence number a database holds.

So an update costs what changed, not the store.  The cache is derived data: deleting the file, a different
mapping (:func:`guanxi.graph.projection.projection_signature`), a journal that cannot answer (another store,
entries pruned) or ``guanxi sync --full`` rebuild it from a full projection.  Every value in it is a
parameter of a constant SQL statement.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from guanxi.graph import projection as pg
from guanxi.graph.projection import Node, PropertyGraph, Relationship, Scope

__all__ = ["CACHE_FILE", "ProjectionCache", "Changes", "RefreshReport", "open_cache"]

CACHE_FILE = "projection.sqlite"
SCHEMA = "1"
KEEP_UPDATES = 1000          # change-log entries older than this many updates are pruned
REBUILD_SHARE = 0.25         # more than this share of the documents written (and more than REBUILD_MIN of
REBUILD_MIN = 1000           # them): a full projection is cheaper than projecting each change

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (iri TEXT PRIMARY KEY, labels TEXT NOT NULL, hash TEXT NOT NULL, props TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rels (id TEXT PRIMARY KEY, type TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL,
                                 nary TEXT, hash TEXT NOT NULL, props TEXT NOT NULL) WITHOUT ROWID;
-- (the rels indexes: _REL_INDEXES)
CREATE TABLE IF NOT EXISTS documents (graph TEXT PRIMARY KEY, document TEXT, rows TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS footprints (graph TEXT NOT NULL, subject TEXT NOT NULL, PRIMARY KEY (graph, subject)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY, nonce TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS changes (seq INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, type TEXT,
                                    start TEXT, "end" TEXT);
CREATE INDEX IF NOT EXISTS changes_seq ON changes (seq);
"""
_REL_INDEXES = """
CREATE INDEX IF NOT EXISTS rels_start ON rels (start);
CREATE INDEX IF NOT EXISTS rels_end ON rels ("end");
CREATE INDEX IF NOT EXISTS rels_nary ON rels (nary) WHERE nary IS NOT NULL;
"""
_DROP_REL_INDEXES = ("DROP INDEX IF EXISTS rels_start", "DROP INDEX IF EXISTS rels_end", "DROP INDEX IF EXISTS rels_nary")
_SEP = "\x1f"


def _tag(value: Any) -> Any:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in the projection cache")


def _untag(obj: dict) -> Any:
    if len(obj) == 1 and "$date" in obj:
        return date.fromisoformat(obj["$date"])
    return obj


def dump_props(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"), default=_tag)


def load_props(text: str) -> dict[str, Any]:
    if '"$date"' not in text:          # most elements have no date: the plain (C) decoder
        return json.loads(text)
    return json.loads(text, object_hook=_untag)


def node_from_row(iri: str, labels: str, digest: str, props: str) -> Node:
    return Node.restore(iri, tuple(labels.split(_SEP)), load_props(props), digest)


def rel_from_row(rid: str, rtype: str, start: str, end: str, digest: str, props: str) -> Relationship:
    return Relationship.restore(rid, rtype, start, end, load_props(props), digest)


@dataclass
class Changes:
    """What changed between two cache updates: node IRIs, relationship ids with (type, start, end)."""

    nodes: set[str] = field(default_factory=set)
    relationships: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.relationships)


@dataclass
class RefreshReport:
    """How the cache was brought up to date."""

    mode: str = "current"        # "current" (nothing to do), "incremental" or "rebuilt"
    reason: str = ""             # why it was rebuilt
    graphs: int = 0              # document graphs re-read
    projected: int = 0           # elements projected again (incremental) or in total (rebuilt)
    changed: int = 0             # elements created, updated or deleted in the cache
    lookups: int = 0             # store index lookups of an incremental update
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "reason": self.reason, "graphs": self.graphs, "projected": self.projected,
                "changed": self.changed, "lookups": self.lookups, "seconds": round(self.seconds, 3)}


def open_cache(store: Any) -> "ProjectionCache | None":
    """The projection cache of a :class:`~guanxi.graph.store.GraphStore`, or None when its directory cannot
    hold one (not writable): the sync then projects the whole store every time."""
    directory = getattr(store, "directory", None)
    if directory is None:
        return None
    path = Path(directory) / CACHE_FILE
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return None
    try:
        return ProjectionCache(path)
    except sqlite3.Error:
        return None


class ProjectionCache:
    """``<store>/projection.sqlite``: the projected elements, each graph's footprint, and a change log."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.db = sqlite3.connect(str(self.path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size=-65536")
        self.db.executescript(_TABLES)
        self.db.executescript(_REL_INDEXES)
        if self._meta("schema") not in (None, SCHEMA):
            self._clear()
        self.projection = pg.load_projection()
        self.directions = pg.relationship_directions(self.projection)
        self.edge_types = frozenset(e.type for e in self.projection.edges.values())

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "ProjectionCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- meta ------------------------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, **values: Any) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            [(k, str(v)) for k, v in values.items()])

    @property
    def cache_id(self) -> str:
        return self._meta("cache_id") or ""

    @property
    def seq(self) -> int:
        return int(self._meta("seq") or 0)

    @property
    def generation(self) -> str:
        return self._meta("generation") or ""

    def nonce(self, seq: int) -> str | None:
        """The random tag of update ``seq`` (a database records it, so a copy of the store that diverged later
        is not mistaken for the cache it synced from)."""
        row = self.db.execute("SELECT nonce FROM updates WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    def is_valid(self) -> bool:
        return self._meta("schema") == SCHEMA and self._meta("signature") == pg.projection_signature() and bool(self.cache_id)

    def counts(self) -> tuple[int, int]:
        nodes = self.db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        rels = self.db.execute("SELECT count(*) FROM rels").fetchone()[0]
        return nodes, rels

    def _clear(self) -> None:
        for table in ("meta", "nodes", "rels", "documents", "footprints", "updates", "changes"):
            self.db.execute(f"DELETE FROM {table}")  # constant table names

    # ---- bringing the cache up to date ---------------------------------------------------------------------
    def refresh(self, store: Any, *, rebuild: bool = False, graph: PropertyGraph | None = None) -> RefreshReport:
        """Make the cache equal to the projection of ``store``: incrementally from the store's journal, or by a
        full projection (``rebuild``, an invalid cache, a journal that cannot answer, a large change)."""
        started = time.perf_counter()
        report = RefreshReport()
        token = store.change_token()
        entries = None
        if rebuild:
            report.reason = "requested"
        elif not self.is_valid():
            report.reason = "no valid cache"
        else:
            entries = store.changes_since(self._meta("store_token") or "")
            if entries is None:
                report.reason = "the store's journal does not reach back to the cache"
        if entries is None:
            self._rebuild(store, token, report, graph)
        elif entries:
            written = {g for g, s in entries if not s}
            documents = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
            if len(written) > max(REBUILD_MIN, REBUILD_SHARE * documents):
                report.reason = f"{len(written)} of {documents} documents written"
                self._rebuild(store, token, report, graph)
            else:
                self._incremental(store, token, entries, report)
        report.seconds = time.perf_counter() - started
        return report

    def _generation_rows(self, raw: ox.Store, graph: str | None = None) -> dict[str, list[list[str]]]:
        subs = {ox.Variable("g"): ox.NamedNode(graph)} if graph else None
        out: dict[str, list[list[str]]] = defaultdict(list)
        for r in raw.query(pg._GENERATION_DOCUMENTS, substitutions=subs):
            out[r["g"].value].append(["" if r[k] is None else r[k].value for k in ("hash", "sha", "version")])
        return out

    def _finish_generation(self, raw: ox.Store) -> str:
        rows = []
        for graph, text in self.db.execute("SELECT graph, rows FROM documents"):
            rows.extend("\t".join([graph, *row]) for row in json.loads(text))
        return pg.generation_of(rows, pg.generation_sizes(raw))

    def _new_update(self) -> int:
        seq = self.seq + 1
        self.db.execute("INSERT OR REPLACE INTO updates (seq, nonce, at) VALUES (?, ?, ?)",
                        (seq, uuid.uuid4().hex, time.time()))
        old = seq - KEEP_UPDATES
        if old > 0:
            self.db.execute("DELETE FROM changes WHERE seq <= ?", (old,))
            self.db.execute("DELETE FROM updates WHERE seq <= ?", (old,))
        return seq

    def _rebuild(self, store: Any, token: str, report: RefreshReport, graph: PropertyGraph | None) -> None:
        report.mode = "rebuilt"
        raw = store.store
        if graph is None:
            graph = pg.project(store, self.projection)
        rows = self._generation_rows(raw)
        report.projected = len(graph)
        report.graphs = len(graph.documents)
        db = self.db
        db.execute("BEGIN")
        try:
            self._clear()
            for statement in _DROP_REL_INDEXES:   # built once after the rows: faster than row by row
                db.execute(statement)
            db.executemany("INSERT INTO nodes (iri, labels, hash, props) VALUES (?, ?, ?, ?)",
                           ((n.iri, _SEP.join(n.labels), n.hash, dump_props(n.props)) for n in graph.nodes.values()))
            db.executemany('INSERT INTO rels (id, type, start, "end", nary, hash, props) VALUES (?, ?, ?, ?, ?, ?, ?)',
                           ((r.id, r.type, r.start, r.end, self._nary(r), r.hash, dump_props(r.props))
                            for r in graph.relationships.values()))
            graphs = set(rows) | set(graph.documents) | set(graph.footprints)
            db.executemany("INSERT INTO documents (graph, document, rows) VALUES (?, ?, ?)",
                           ((g, graph.documents.get(g), json.dumps(rows.get(g, []))) for g in sorted(graphs)))
            db.executemany("INSERT INTO footprints (graph, subject) VALUES (?, ?)",
                           ((g, s) for g, subjects in graph.footprints.items() for s in subjects))
            for statement in _REL_INDEXES.strip().split(";"):
                if statement.strip():
                    db.execute(statement)
            self._set_meta(schema=SCHEMA, signature=pg.projection_signature(), cache_id=uuid.uuid4().hex,
                           store_token=token, seq=0)
            seq = self._new_update()
            self._set_meta(seq=seq, generation=self._finish_generation(raw))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        report.changed = len(graph)

    def _nary(self, rel: Relationship) -> str | None:
        return rel.props.get("iri") if rel.type in self.edge_types else None

    # ---- incremental -----------------------------------------------------------------------------------------
    def _incremental(self, store: Any, token: str, entries: list[tuple[str, str]], report: RefreshReport) -> None:
        report.mode = "incremental"
        raw = store.store
        reader = pg.StoreReader(raw, self.projection)
        projector = pg.ScopeProjector(reader, self.projection)
        written = sorted({g for g, s in entries if not s})
        side = {s for g, s in entries if s}
        report.graphs = len(written)

        seeds: set[str] = set(side)
        mentions: set[str] = set()
        new_documents: dict[str, tuple[str | None, set[str]]] = {}
        for graph in written:
            old_document = self._document(graph)
            seeds |= self._footprint(graph)
            if old_document:
                seeds.add(old_document)
                mentions |= self._mentions_in(old_document)
            footprint, found, document = pg.graph_footprint(raw, graph, self.projection)
            new_documents[graph] = (document, footprint)
            seeds |= footprint
            mentions |= found
            if document:
                seeds.add(document)
        # the resources the mentions attest (old ones from the cache, current ones from the store)
        seeds |= self._attested_by(mentions)
        seeds |= projector.attested_by(mentions)
        # resources whose path steps reach a changed one (the tenures of a post)
        seeds |= projector.backward_steps(seeds)
        scope = Scope(nodes=seeds | mentions, nary=set(seeds), rel_subjects=set(seeds), mentions=set(mentions))

        seen_nodes: set[str] = set()
        while True:
            new = projector.project(scope)
            old = self._elements(scope)
            appeared = set(new.nodes) - set(old.nodes) - seen_nodes
            vanished = set(old.nodes) - set(new.nodes) - seen_nodes
            if not appeared and not vanished:
                break
            seen_nodes |= appeared | vanished
            grown = len(scope)
            for x in appeared:
                projector.around_new_node(x, scope)
            for x in vanished:
                for rid, rtype, start, end in self._incident(x):
                    scope.rel_ids.add(rid)
                    if rtype == pg.ATTESTED_BY:
                        scope.mentions.add(end)
                        scope.nodes.add(end)
            if len(scope) == grown:
                break
        report.projected = len(new)
        report.lookups = reader.lookups

        changes = _diff(old, new)
        report.changed = len(changes)
        db = self.db
        db.execute("BEGIN")
        try:
            seq = self._new_update()
            for iri in sorted(changes.nodes):
                node = new.nodes.get(iri)
                if node is None:
                    db.execute("DELETE FROM nodes WHERE iri = ?", (iri,))
                else:
                    db.execute("INSERT OR REPLACE INTO nodes (iri, labels, hash, props) VALUES (?, ?, ?, ?)",
                               (iri, _SEP.join(node.labels), node.hash, dump_props(node.props)))
                db.execute("INSERT INTO changes (seq, kind, key) VALUES (?, 'n', ?)", (seq, iri))
            for rid, (rtype, start, end) in sorted(changes.relationships.items()):
                rel = new.relationships.get(rid)
                if rel is None:
                    db.execute("DELETE FROM rels WHERE id = ?", (rid,))
                else:
                    db.execute('INSERT OR REPLACE INTO rels (id, type, start, "end", nary, hash, props) '
                               'VALUES (?, ?, ?, ?, ?, ?, ?)',
                               (rid, rel.type, rel.start, rel.end, self._nary(rel), rel.hash, dump_props(rel.props)))
                db.execute('INSERT INTO changes (seq, kind, key, type, start, "end") VALUES (?, \'r\', ?, ?, ?, ?)',
                           (seq, rid, rtype, start, end))
            for graph in written:
                document, footprint = new_documents[graph]
                rows = self._generation_rows(raw, graph).get(graph, [])
                db.execute("DELETE FROM footprints WHERE graph = ?", (graph,))
                if document is None and not footprint and not rows:
                    db.execute("DELETE FROM documents WHERE graph = ?", (graph,))
                    continue
                db.execute("INSERT OR REPLACE INTO documents (graph, document, rows) VALUES (?, ?, ?)",
                           (graph, document, json.dumps(rows)))
                db.executemany("INSERT INTO footprints (graph, subject) VALUES (?, ?)",
                               ((graph, s) for s in sorted(footprint)))
            self._set_meta(seq=seq, store_token=token, generation=self._finish_generation(raw))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _document(self, graph: str) -> str | None:
        row = self.db.execute("SELECT document FROM documents WHERE graph = ?", (graph,)).fetchone()
        return row[0] if row else None

    def _footprint(self, graph: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT subject FROM footprints WHERE graph = ?", (graph,))}

    def _mentions_in(self, document: str) -> set[str]:
        return {r[0] for r in self.db.execute('SELECT start FROM rels WHERE "end" = ? AND type = ?',
                                              (document, pg.IN_DOCUMENT))}

    def _attested_by(self, mentions: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for m in mentions:
            out |= {r[0] for r in self.db.execute('SELECT start FROM rels WHERE "end" = ? AND type = ?',
                                                  (m, pg.ATTESTED_BY))}
        return out

    def _incident(self, iri: str) -> list[tuple[str, str, str, str]]:
        return list(self.db.execute('SELECT id, type, start, "end" FROM rels WHERE start = ? UNION '
                                    'SELECT id, type, start, "end" FROM rels WHERE "end" = ?', (iri, iri)))

    def _elements(self, scope: Scope) -> PropertyGraph:
        """The cached elements of ``scope`` (the same selection rules as the projector's)."""
        out = PropertyGraph()
        db = self.db
        for iri in scope.nodes:
            row = db.execute("SELECT iri, labels, hash, props FROM nodes WHERE iri = ?", (iri,)).fetchone()
            if row:
                out.nodes[iri] = node_from_row(*row)
        columns = 'id, type, start, "end", hash, props, nary'
        candidates: dict[str, tuple] = {}
        for s in scope.rel_subjects:
            for row in db.execute(f"SELECT {columns} FROM rels WHERE start = ? UNION SELECT {columns} FROM rels "
                                  'WHERE "end" = ?', (s, s)):
                candidates[row[0]] = row
        for t in scope.nary:
            for row in db.execute(f"SELECT {columns} FROM rels WHERE nary = ?", (t,)):
                candidates[row[0]] = row
        for m in scope.mentions:
            for row in db.execute(f"SELECT {columns} FROM rels WHERE start = ? UNION SELECT {columns} FROM rels "
                                  'WHERE "end" = ?', (m, m)):
                candidates[row[0]] = row
        for rid in scope.rel_ids:
            row = db.execute(f"SELECT {columns} FROM rels WHERE id = ?", (rid,)).fetchone()
            if row:
                candidates[rid] = row
        for rid, rtype, start, end, digest, props, nary in candidates.values():
            if pg.in_scope(scope, rtype, start, end, nary, rid, self.directions):
                out.relationships[rid] = rel_from_row(rid, rtype, start, end, digest, props)
        return out

    # ---- reading, for the sync ---------------------------------------------------------------------------------
    def changes_since(self, seq: int) -> Changes | None:
        """Everything changed after update ``seq`` (None: the log no longer reaches back that far)."""
        if seq > self.seq:
            return None
        if seq < self.seq and self.nonce(seq + 1) is None:
            return None
        out = Changes()
        for kind, key, rtype, start, end in self.db.execute(
                'SELECT kind, key, type, start, "end" FROM changes WHERE seq > ?', (seq,)):
            if kind == "n":
                out.nodes.add(key)
            else:
                out.relationships[key] = (rtype, start, end)
        return out

    def nodes(self, iris: Iterable[str]) -> dict[str, Node]:
        out = {}
        for iri in iris:
            row = self.db.execute("SELECT iri, labels, hash, props FROM nodes WHERE iri = ?", (iri,)).fetchone()
            if row:
                out[iri] = node_from_row(*row)
        return out

    def relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        out = {}
        for rid in ids:
            row = self.db.execute('SELECT id, type, start, "end", hash, props FROM rels WHERE id = ?', (rid,)).fetchone()
            if row:
                out[rid] = rel_from_row(*row)
        return out

    def iter_nodes(self) -> Iterator[Node]:
        """Every cached node, grouped by label set."""
        for row in self.db.execute("SELECT iri, labels, hash, props FROM nodes ORDER BY labels, iri"):
            yield node_from_row(*row)

    def iter_relationships(self) -> Iterator[Relationship]:
        """Every cached relationship, grouped by type."""
        for row in self.db.execute('SELECT id, type, start, "end", hash, props FROM rels ORDER BY type, id'):
            yield rel_from_row(*row)

    def hashes(self) -> tuple[dict[str, str], dict[str, str]]:
        """(node iri -> hash, relationship id -> hash) of every cached element."""
        return (dict(self.db.execute("SELECT iri, hash FROM nodes")), dict(self.db.execute("SELECT id, hash FROM rels")))

    def graph(self) -> PropertyGraph:
        """The whole cached projection in memory (tests, small stores)."""
        out = PropertyGraph()
        for n in self.iter_nodes():
            out.nodes[n.iri] = n
        for r in self.iter_relationships():
            out.relationships[r.id] = r
        return out


def _diff(old: PropertyGraph, new: PropertyGraph) -> Changes:
    out = Changes()
    for iri in set(old.nodes) | set(new.nodes):
        a, b = old.nodes.get(iri), new.nodes.get(iri)
        if a is None or b is None or a.hash != b.hash:
            out.nodes.add(iri)
    for rid in set(old.relationships) | set(new.relationships):
        a, b = old.relationships.get(rid), new.relationships.get(rid)
        if a is None or b is None or a.hash != b.hash:
            r = b or a
            out.relationships[rid] = (r.type, r.start, r.end)
    return out
