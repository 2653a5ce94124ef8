"""The store's resolution index: the records resolution reads and what it last decided, in SQLite.

Lives in the store's ``facts.sqlite`` next to the facts cache:

    records    (name, doc_id) -> a resolution record (graph.resolution.Record as JSON)
    assigned   (name, doc_id) -> the person IRI and canonical name the document's graph was emitted with
    links      rule ResolutionLink (by what it merges) -> digest of its content, its IRI, block name, the
               record it stands for
    dirty      names whose block must be resolved again (a document naming them was added, changed or
               removed, or a decision touched them)
    staged     documents whose records are in but whose graph may not be committed yet
    meta       the resolution fingerprint (code + model) the assignments were computed with

A name's block is resolved from ``records`` alone, so one more document costs the blocks of the names it
contains, whatever the size of the store.  The RDF store stays the truth for what was emitted; every step
here is ordered so that a kill at any point leaves names dirty (or documents staged) and the next write
finishes the job (see ``GraphStore`` and ``Guanxi._flush``).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping

from guanxi.graph.resolution import MODEL_PATH, Record, RecordKey

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (name TEXT NOT NULL, doc_id TEXT NOT NULL, payload TEXT NOT NULL,
                                    PRIMARY KEY (name, doc_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_doc ON records (doc_id);
CREATE TABLE IF NOT EXISTS assigned (name TEXT NOT NULL, doc_id TEXT NOT NULL, entity TEXT NOT NULL,
                                     canonical TEXT NOT NULL, PRIMARY KEY (name, doc_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS assigned_by_entity ON assigned (entity);
CREATE INDEX IF NOT EXISTS assigned_by_doc ON assigned (doc_id);
CREATE TABLE IF NOT EXISTS links (link_key TEXT PRIMARY KEY, name TEXT NOT NULL, digest TEXT NOT NULL,
                                  link TEXT NOT NULL, merged_from TEXT NOT NULL, rec_doc TEXT, rec_name TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_by_name ON links (name);
CREATE INDEX IF NOT EXISTS links_by_from ON links (merged_from);
CREATE TABLE IF NOT EXISTS dirty (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (doc_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


SCHEMA_VERSION = "2"  # of the derived tables (assigned, links); records survive a change of it


def fingerprint() -> str:
    """What the assignments depend on besides the records: the resolution code and its model file."""
    digest = hashlib.sha256()
    for path in (Path(__file__).with_name("resolution.py"), MODEL_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ResolutionIndex:
    CACHED_RECORDS = 300_000  # records of big blocks kept decoded between rounds of one ingest

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        # name -> its records, decoded, for blocks resolved again round after round (习近平's, in every round);
        # kept in step by put() and drop(), so it is never stale
        self._cache: dict[str, dict[str, Record]] = {}
        self._cached = 0
        # since the last commit of a name, in this process: the new documents that only added a record without
        # a post to it (the fast path of resolution), and the names that changed in any other way
        self.added: dict[str, set[str]] = {}
        self.changed: set[str] = set()
        self.reset = False  # True when the derived tables were dropped: the store drops its rule links too
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        older = row is None and self.db.execute("SELECT 1 FROM meta WHERE key = 'fingerprint'").fetchone() is not None
        if older or (row is not None and row[0] != SCHEMA_VERSION):
            with self.transaction():
                self.db.execute("DROP TABLE IF EXISTS assigned")
                self.db.execute("DROP TABLE IF EXISTS links")
            self.reset = True
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
        if self.reset:
            self.mark_dirty(r[0] for r in self.db.execute("SELECT DISTINCT name FROM records").fetchall())
        current = fingerprint()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != current:
            # new resolution code or model: every block is resolved again on the next write
            with self.transaction():
                self.db.execute("INSERT OR IGNORE INTO dirty (name) SELECT DISTINCT name FROM records")
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)", (current,))
        # whether every stored document graph is what emitting its cached facts with the identities recorded
        # here gives: true unless a writer stopped between writing documents and recording what it decided
        # (names left dirty, documents left staged) or new code will resolve everything again.  While it holds,
        # a document rewritten for an identity change is diffed against its emitted old version instead of
        # being read back from the store (GraphStore.replace_document's ``previous``).  A flush that fails
        # part-way clears it for the rest of the process.
        self.graphs_as_recorded = not self.dirty() and not self.staged()

    def transaction(self):
        return _Transaction(self.db, self._cache)

    # ---- records ------------------------------------------------------------------------------------------

    def put(self, doc_id: str, records: Iterable[Record]) -> None:
        """Make ``records`` the document's records; the names of the old and the new ones become dirty."""
        records = list(records)
        with self.transaction():
            old = [r[0] for r in self.db.execute("SELECT name FROM records WHERE doc_id = ?", (doc_id,))]
            self._uncache(doc_id, old, records)
            if old:
                self.changed.update(old)
                self.changed.update(r.name for r in records)
            else:
                for r in records:
                    self.added.setdefault(r.name, set()).add(doc_id)
            self.db.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
            self.db.executemany("INSERT INTO records (name, doc_id, payload) VALUES (?, ?, ?)",
                                [(r.name, doc_id, json.dumps(r.to_json(), ensure_ascii=False, separators=(",", ":")))
                                 for r in records])
            self.db.executemany("INSERT OR IGNORE INTO dirty (name) VALUES (?)",
                                [(n,) for n in sorted(set(old) | {r.name for r in records})])
            self.db.execute("INSERT OR IGNORE INTO staged (doc_id) VALUES (?)", (doc_id,))

    def drop(self, doc_id: str) -> None:
        """Forget a removed document's records (their names become dirty)."""
        with self.transaction():
            names = self.db.execute("SELECT name FROM records WHERE doc_id = ?", (doc_id,)).fetchall()
            self._uncache(doc_id, [n for (n,) in names], [])
            self.changed.update(n for (n,) in names)
            self.db.executemany("INSERT OR IGNORE INTO dirty (name) VALUES (?)", names)
            self.db.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))

    def records(self, names: Iterable[str]) -> list[Record]:
        out: list[Record] = []
        for name in sorted(set(names)):
            cached = self._cache.get(name)
            if cached is None:
                block = [Record.from_json(json.loads(p)) for (p,) in
                         self.db.execute("SELECT payload FROM records WHERE name = ?", (name,))]
                if len(block) >= 200 and self._cached + len(block) <= self.CACHED_RECORDS:
                    self._cache[name] = {r.doc_id: r for r in block}
                    self._cached += len(block)
                out += block
            else:
                out += cached.values()
        return out

    def _uncache(self, doc_id: str, old_names: Iterable[str], new: Iterable[Record]) -> None:
        """Keep the decoded blocks in step with a document's records being replaced."""
        for name in old_names:
            block = self._cache.get(name)
            if block is not None and block.pop(doc_id, None) is not None:
                self._cached -= 1
        for r in new:
            block = self._cache.get(r.name)
            if block is not None:
                self._cached += doc_id not in block
                block[doc_id] = r

    def only_added(self, name: str) -> list[str] | None:
        """The new documents whose records are all that changed for ``name`` since it was last resolved in
        this process, or None when anything else did (or this process does not know)."""
        if name in self.changed or name not in self.added:
            return None
        return sorted(self.added[name])

    def titled_records(self, name: str) -> list[Record]:
        """The records of ``name`` that have a post (what the clustering of its groups depends on)."""
        return [Record.from_json(json.loads(p)) for (p,) in self.db.execute(
            "SELECT payload FROM records WHERE name = ? AND payload NOT LIKE '%\"h\":null%'", (name,))]

    def record(self, key: RecordKey) -> Record | None:
        row = self.db.execute("SELECT payload FROM records WHERE name = ? AND doc_id = ?", (key[1], key[0])).fetchone()
        return Record.from_json(json.loads(row[0])) if row else None

    def names_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM records WHERE doc_id = ? ORDER BY name", (doc_id,))]

    def record_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    # ---- bookkeeping ---------------------------------------------------------------------------------------

    def dirty(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM dirty ORDER BY name")]

    def mark_dirty(self, names: Iterable[str]) -> None:
        names = list(names)
        self.changed.update(names)
        with self.transaction():
            self.db.executemany("INSERT OR IGNORE INTO dirty (name) VALUES (?)", [(n,) for n in sorted(set(names))])

    def staged(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM staged ORDER BY doc_id")]

    def unstage(self, doc_ids: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM staged WHERE doc_id = ?", [(d,) for d in doc_ids])

    # ---- what was decided --------------------------------------------------------------------------------

    def assigned(self, names: Iterable[str]) -> dict[RecordKey, tuple[str, str]]:
        out: dict[RecordKey, tuple[str, str]] = {}
        for name in sorted(set(names)):
            for doc_id, entity, canonical in self.db.execute(
                    "SELECT doc_id, entity, canonical FROM assigned WHERE name = ?", (name,)):
                out[(doc_id, name)] = (entity, canonical)
        return out

    def assigned_in(self, doc_id: str) -> dict[str, tuple[str, str]]:
        """name -> (person IRI, canonical name) for one document."""
        return {name: (entity, canonical) for name, entity, canonical in
                self.db.execute("SELECT name, entity, canonical FROM assigned WHERE doc_id = ?", (doc_id,))}

    def records_of(self, entity: str) -> list[RecordKey]:
        return [(d, n) for d, n in self.db.execute(
            "SELECT doc_id, name FROM assigned WHERE entity = ? ORDER BY doc_id, name", (entity,))]

    def entities_named(self, name: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT entity FROM assigned WHERE name = ? ORDER BY entity", (name,))]

    def ambiguous_names(self) -> list[str]:
        """Names that more than one identity has (what the review queue looks at)."""
        return [r[0] for r in self.db.execute(
            "SELECT name FROM assigned GROUP BY name HAVING COUNT(DISTINCT entity) > 1 ORDER BY name")]

    def link_record(self, merged_from: str) -> RecordKey | None:
        row = self.db.execute("SELECT rec_doc, rec_name FROM links WHERE merged_from = ? AND rec_doc IS NOT NULL "
                              "ORDER BY link LIMIT 1", (merged_from,)).fetchone()
        return (row[0], row[1]) if row else None

    def links(self, names: Iterable[str]) -> dict[str, tuple[str, str]]:
        """link key -> (digest, link IRI), for the blocks of ``names``."""
        out: dict[str, tuple[str, str]] = {}
        for name in sorted(set(names)):
            for key, digest, link in self.db.execute("SELECT link_key, digest, link FROM links WHERE name = ?", (name,)):
                out[key] = (digest, link)
        return out

    def commit(self, names: Iterable[str], assignment: Mapping[RecordKey, tuple[str, str] | None],
               links: Mapping[str, tuple[str, str, str, str, RecordKey | None] | None]) -> None:
        """Record what changed in the blocks of ``names`` (after their documents and links were written) and
        clear them from the dirty list.  ``assignment``: record -> (IRI, canonical name), None when gone;
        ``links``: link key -> (block name, digest, link IRI, merged_from, record), None when gone."""
        with self.transaction():
            self.db.executemany("DELETE FROM assigned WHERE name = ? AND doc_id = ?",
                                [(k[1], k[0]) for k, v in assignment.items() if v is None])
            self.db.executemany("INSERT OR REPLACE INTO assigned (name, doc_id, entity, canonical) VALUES (?, ?, ?, ?)",
                                [(k[1], k[0], v[0], v[1]) for k, v in sorted(assignment.items()) if v is not None])
            self.db.executemany("DELETE FROM links WHERE link_key = ?", [(k,) for k, v in links.items() if v is None])
            self.db.executemany(
                "INSERT OR REPLACE INTO links (link_key, name, digest, link, merged_from, rec_doc, rec_name) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(key, name, digest, link, source, rec[0] if rec else None, rec[1] if rec else None)
                 for key, (name, digest, link, source, rec) in sorted((k, v) for k, v in links.items() if v is not None)])
            self.db.executemany("DELETE FROM dirty WHERE name = ?", [(n,) for n in sorted(set(names))])
        for n in set(names):
            self.added.pop(n, None)
            self.changed.discard(n)


class _Transaction:
    """BEGIN … COMMIT on an autocommit connection (ROLLBACK on an exception)."""

    def __init__(self, db: sqlite3.Connection, cache: dict | None = None):
        self.db = db
        self.cache = cache

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *exc: object) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        if exc_type is not None and self.cache is not None:
            self.cache.clear()  # the decoded blocks may have moved ahead of what was rolled back
