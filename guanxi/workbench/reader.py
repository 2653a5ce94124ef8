"""Read-only access to a store directory for the workbench: the RDF store and the cleaned texts.

The workbench never writes. It opens the newest snapshot the writer published (``graph/snapshots.py``) with
``Store.read_only`` (RocksDB's read-only mode: no lock is taken on the database, so ``guanxi ingest`` can run while
the workbench serves) and the facts cache
(``facts.sqlite``, where each document's cleaned text lives) with SQLite's ``mode=ro``. A read-only store sees
the data as it was when it was opened, so :meth:`StoreReader.current` reopens it when the store's files have
changed (checked at most every ``recheck_seconds``).
"""
from __future__ import annotations

import gzip
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from guanxi.graph import snapshots
from guanxi.ontology import iri
from guanxi.ontology.vocab import PREFIXES

__all__ = ["StoreReader", "Snapshot", "NoStoreError"]


class NoStoreError(RuntimeError):
    """The directory holds no guanxi store (or one that cannot be read)."""


def _fingerprint(directory: Path) -> tuple:
    """Names, sizes and modification times of the store's files: changes whenever RocksDB or SQLite write. Not the
    files that merely opening for reading touches: SQLite's shared-memory index (``-shm``) and RocksDB's info logs
    (``LOG``, ``LOG.old.*``)."""
    out = []
    for sub in (directory / "oxigraph", directory):
        try:
            for entry in sorted(sub.iterdir(), key=lambda e: e.name):
                if entry.name.endswith("-shm") or entry.name.startswith("LOG"):
                    continue
                if entry.is_file():
                    st = entry.stat()
                    out.append((entry.name, st.st_size, st.st_mtime_ns))
        except OSError:
            pass
    out.append(("snapshots",) + tuple(snapshots.numbered(directory)))   # a writer published a newer state
    return tuple(out)


@dataclass
class Snapshot:
    """One consistent read-only view: ``query`` for named queries, ``text`` for documents' cleaned texts."""

    store: Any
    db: sqlite3.Connection
    doc_ids: dict[str, str]          # document IRI -> document id (the facts cache's key)
    generation: int
    lock: threading.Lock

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """Same contract as :meth:`guanxi.graph.store.GraphStore.query` (default graph = the union)."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, substitutions=subs or None, prefixes=dict(PREFIXES))

    def doc_id(self, document: str) -> str | None:
        return self.doc_ids.get(document)

    def text(self, document: str) -> str | None:
        """The cleaned text a document's spans index, or None when the store has no text for it."""
        doc_id = self.doc_ids.get(document)
        if doc_id is None:
            return None
        with self.lock:
            row = self.db.execute("SELECT payload FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        return json.loads(gzip.decompress(row[0]))["text"]

    def texts(self):
        """(document IRI, cleaned text) of every document, one at a time."""
        for document in sorted(self.doc_ids):
            text = self.text(document)
            if text is not None:
                yield document, text


class StoreReader:
    """A store directory opened for reading; :meth:`current` gives an up-to-date :class:`Snapshot`."""

    def __init__(self, directory: str | Path, *, recheck_seconds: float = 2.0):
        self.directory = Path(directory)
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._fingerprint: tuple = ()
        self._checked = 0.0
        self._generation = 0
        self._held: snapshots.Held | None = None
        self._previous_held: snapshots.Held | None = None
        self.current()  # fail now, with a clear message, when there is no store

    def _open(self) -> Snapshot:
        oxigraph = self.directory / "oxigraph"
        facts = self.directory / "facts.sqlite"
        if not oxigraph.is_dir() or not facts.is_file():
            raise NoStoreError(f"{self.directory} is not a guanxi store (no oxigraph/ and facts.sqlite); "
                               f"create one with: guanxi --store {self.directory} ingest FILES")
        try:
            # the newest snapshot the writer published (graph/snapshots.py), never the database it changes
            held = snapshots.open_newest(self.directory)
            store = held.store if held is not None else ox.Store.read_only(str(oxigraph))
        except (OSError, RuntimeError) as exc:
            raise NoStoreError(f"cannot open the store in {oxigraph} for reading: {exc}") from exc
        # keep the snapshot before this one locked too: a request may still be reading it
        if self._previous_held is not None:
            self._previous_held.release()
        self._previous_held, self._held = self._held, held
        try:
            db = sqlite3.connect(f"{facts.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            doc_ids = {iri.document_iri(d): d for (d,) in db.execute("SELECT doc_id FROM documents")}
        except sqlite3.Error as exc:
            raise NoStoreError(f"cannot read the documents' texts in {facts}: {exc}") from exc
        self._generation += 1
        return Snapshot(store, db, doc_ids, self._generation, threading.Lock())

    def current(self) -> Snapshot:
        """The snapshot, reopened first if the store changed since it was opened."""
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and now - self._checked < self.recheck_seconds:
                return self._snapshot
            self._checked = now
            fingerprint = _fingerprint(self.directory)
            if self._snapshot is None or fingerprint != self._fingerprint:
                self._snapshot = self._open()
                self._fingerprint = _fingerprint(self.directory)  # as it is once open
            return self._snapshot
