"""The on-disk knowledge graph: a pyoxigraph store plus a cache of extracted facts. All I/O lives here.

Layout of a store directory (default ``./guanxi-data``)::

    oxigraph/       the RocksDB-backed pyoxigraph Store (all named graphs)
    facts.sqlite    per document: the facts + cleaned text emission used (to re-emit after merge/unmerge)

Named graphs: one per document (``iri.graph_iri(doc_id)``), ``iri.ONTOLOGY_GRAPH`` (guanxi.ttl, loaded on
first open), ``iri.RESOLUTION_GRAPH`` (facts derived from several documents), ``iri.MANUAL_GRAPH`` (the
user's merge/unmerge decisions), and internal graphs under ``graph/internal/`` that are never exported:
the staging area and the "pending" list of entities whose resolution facts must be recomputed.  The
default graph is the set union of all other non-internal graphs, maintained by every write in the same
transaction; queries read it (pyoxigraph's ``use_default_graph_as_union`` is a bag, and joins over triples
that thousands of documents repeat explode).

**Atomicity.**  ``Store.update()`` runs a whole SPARQL Update request, all its operations, in one RocksDB
transaction (``Store::update_opt`` wraps ``evaluate_update`` in ``storage.transaction``; a failing last
operation rolls the earlier ones back, see ``tests/test_store.py``), and ``Store.extend()`` is one
transaction too.  New documents go through the bulk loader (``bulk_load``), which is not transactional:
the resolution index lists them as staged before and unstages them after (see ``add_new_documents``).  A document already in the store is replaced in two transactions:
(1) ``extend`` writes its new triples into the staging graph with a control triple naming the target
graph; (2) one constant SPARQL Update marks the entities of the old and new version as pending, deletes
the old graph's triples, copies the staged triples in, and empties the staging graphs.  A kill
before (2) leaves only staging data, discarded on the next open (the document is then not in the store and
is ingested again); a kill after (2) leaves the document wholly in.  Resolution facts are recomputed from
the pending list the same way (stage, then one swap update that also clears the list), so a kill between a
document's commit and the recompute is repaired by the next write: the pending list survives in the store.

Every SPARQL string here is a module constant; values go in through ``substitutions`` or staged data.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from guanxi.graph import resolution, snapshots
from guanxi.graph.resolution_index import ResolutionIndex
from guanxi.ontology import iri
from guanxi.ontology.vocab import ONTOLOGY_IRI, PREFIXES, ontology_path

DEFAULT_STORE = "guanxi-data"
INTERNAL = iri.ID_BASE + "graph/internal/"
STAGE_DATA = INTERNAL + "staging-data"
STAGE_CONTROL = INTERNAL + "staging-control"
STAGE_RESOLUTION = INTERNAL + "staging-resolution"
# each replacement stages into graphs of its own (STAGE_PREFIX + a fresh token): RocksDB keeps the tombstones of
# deleted keys until compaction, and one fixed staging graph, filled and emptied per document, made every later
# scan of it skip all earlier rounds' tombstones (a corpus re-ingest slowed down quadratically)
STAGE_PREFIX = INTERNAL + "staging/"
PENDING_GRAPH = INTERNAL + "pending"
# the change journal: every write records which graphs (and, for the resolution and manual graphs, which
# subjects) it touches, so a consumer such as the Neo4j sync asks what changed since it last looked instead
# of comparing the whole store (GraphStore.change_token / changes_since)
JOURNAL_GRAPH = INTERNAL + "journal"
JOURNAL_BUCKET = 1024        # entries per journal subject (a bucket is read with one index lookup)
JOURNAL_KEEP = 512           # buckets kept; an older token is answered "unknown" (None)
_I = iri.ID_BASE + "internal#"
JOB, TARGET, PENDING, ENTITY = _I + "job", _I + "target", _I + "pending", _I + "entity"
STAGED, DROPS, REMOVES = _I + "staged", _I + "drops", _I + "removes"
JOURNAL, JOURNAL_SEQ, JOURNAL_ID, JOURNAL_FIRST, JOURNAL_ENTRY, JOURNAL_NUMBER = (
    _I + "journal", _I + "journalBucket", _I + "journalId", _I + "journalFirstBucket", _I + "journalEntry",
    _I + "journalNumber")
INTERNAL_GRAPHS = (STAGE_DATA, STAGE_CONTROL, STAGE_RESOLUTION, PENDING_GRAPH, JOURNAL_GRAPH)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GX_RESOLUTION_LINK = "https://w3id.org/guanxi/ontology#ResolutionLink"
# entities whose resolution-graph facts are recomputed from the document graphs (first/last attested); persons'
# links come from resolution itself (graph/resolution.py, written by write_links)
RESOLVED_TYPES = frozenset({"https://w3id.org/guanxi/ontology#Tenure"})
# how the N-Triples line of "<x> a <a resolved type>" ends (minted subjects are IRIs, never blank nodes)
_RESOLVED_TYPE_ENDINGS = tuple(f"> <{RDF_TYPE}> <{t}> ." for t in sorted(RESOLVED_TYPES))
NOT_EXPORTED = frozenset(INTERNAL_GRAPHS + (iri.ONTOLOGY_GRAPH, iri.SHAPES_GRAPH))


def is_internal(graph: str) -> bool:
    """A graph of the store's own bookkeeping (staging, pending list): never data, never in the union."""
    return graph in INTERNAL_GRAPHS or graph.startswith(STAGE_PREFIX)


def is_data_graph(graph: Any) -> bool:
    """A named graph of documents, resolution or manual facts (not the ontology, shapes or bookkeeping)."""
    return isinstance(graph, ox.NamedNode) and graph.value not in NOT_EXPORTED and not is_internal(graph.value)

_P = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(PREFIXES.items()))

# Variables bound through substitutions must be in the SELECT projection (pyoxigraph follows SEP-0007).

# one transaction, after staging the new triples, the old ones no other graph states (to leave the default graph,
# the union) and the entities to recompute (pending): drop the union's lost triples and the old graph, copy the
# staged triples in, clear staging
COMMIT_DOCUMENT = _P + f"""
DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{STAGE_CONTROL}> {{ <{JOB}> <{DROPS}> ?d }} GRAPH ?d {{ ?s ?p ?o }} }} ;
DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{STAGE_CONTROL}> {{ <{JOB}> <{TARGET}> ?g ; <{REMOVES}> ?r }} GRAPH ?r {{ ?s ?p ?o }} }} ;
INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{STAGE_CONTROL}> {{ <{JOB}> <{TARGET}> ?g ; <{STAGED}> ?st }} GRAPH ?st {{ ?s ?p ?o }} }} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{STAGE_CONTROL}> {{ <{JOB}> <{STAGED}> ?st }} GRAPH ?st {{ ?s ?p ?o }} }} ;
DROP SILENT GRAPH <{STAGE_CONTROL}>
"""

# one transaction: replace the resolution facts of every pending entity by the staged ones, clear the list
COMMIT_RESOLUTION = _P + f"""
DELETE {{ ?e ?p ?o }}
WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?e }} GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?e ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH ?h {{ ?e ?p ?o }} FILTER (?h != <{iri.RESOLUTION_GRAPH}>) }} }} ;
DELETE {{ ?l ?p ?o }}
WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?e }}
        GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?l gx:mergedInto ?e . ?l ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH ?h {{ ?l ?p ?o }} FILTER (?h != <{iri.RESOLUTION_GRAPH}>) }} }} ;
DELETE {{ GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?e ?p ?o }} }}
WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?e }} GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?e ?p ?o }} }} ;
DELETE {{ GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?l ?p ?o }} }}
WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?e }}
        GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?l gx:mergedInto ?e . ?l ?p ?o }} }} ;
INSERT {{ GRAPH <{iri.RESOLUTION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{STAGE_RESOLUTION}> {{ ?s ?p ?o }} }} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{STAGE_RESOLUTION}> {{ ?s ?p ?o }} }} ;
DROP SILENT GRAPH <{STAGE_RESOLUTION}> ;
DROP SILENT GRAPH <{PENDING_GRAPH}>
"""

CLEAR_STAGING = f"""
DROP SILENT GRAPH <{STAGE_DATA}> ;
DROP SILENT GRAPH <{STAGE_CONTROL}> ;
DROP SILENT GRAPH <{STAGE_RESOLUTION}>
"""

# the default graph is the set union of all other non-internal graphs (ontology included)
HAS_UNION = f"ASK {{ <{ONTOLOGY_IRI}> a <http://www.w3.org/2002/07/owl#Ontology> }}"
BUILD_UNION = f"""
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER (?g NOT IN (<{STAGE_DATA}>, <{STAGE_CONTROL}>, <{STAGE_RESOLUTION}>, <{PENDING_GRAPH}>, <{JOURNAL_GRAPH}>)
          && !STRSTARTS(STR(?g), "{STAGE_PREFIX}")) }}
"""

# what document_state reads from a document's graph: its gx:Document, and that one's source hash, version, path
_DOCUMENT_CLASS = ox.NamedNode(PREFIXES["gx"] + "Document")
_STATE_PREDICATES = tuple(ox.NamedNode(PREFIXES[ns] + local) for ns, local in
                          (("schema", "sha256"), ("schema", "version"), ("gx", "sourcePath")))

PENDING_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?e }} }}"

TENURE_DATES = _P + f"""
SELECT ?t (MIN(?d) AS ?first) (MAX(?d) AS ?last)
WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING}> <{ENTITY}> ?t }}
        GRAPH ?g {{ ?t a gx:Tenure . ?doc a gx:Document ; gx:published ?d }} }}
GROUP BY ?t
"""

MANUAL_DECISIONS = _P + f"""
SELECT ?link ?type ?from ?into ?fromrec ?intorec
WHERE {{ GRAPH <{iri.MANUAL_GRAPH}> {{ ?link a gx:ResolutionLink ; dcterms:type ?type ; gx:mergedFrom ?from ; gx:mergedInto ?into .
        OPTIONAL {{ ?link gx:fromRecord ?fromrec }} OPTIONAL {{ ?link gx:intoRecord ?intorec }} }} }}
ORDER BY ?link
"""

DOCUMENTS_OF_PERSON = _P + """
SELECT DISTINCT ?p ?docid WHERE { GRAPH ?g { ?p a gx:Person . ?doc a gx:Document ; dcterms:identifier ?docid } } ORDER BY ?docid
"""

PERSONS_NAMED = _P + """
SELECT DISTINCT ?name ?p WHERE { GRAPH ?g { ?p a gx:Person ; gx:name ?name } } ORDER BY ?p
"""

PERSON_NAME = _P + """
SELECT ?p ?name WHERE { GRAPH ?g { ?p a gx:Person ; gx:name ?name } } ORDER BY ?name LIMIT 1
"""

DOCUMENT_GRAPHS = _P + """
SELECT DISTINCT ?g ?docid WHERE { GRAPH ?g { ?doc a gx:Document ; dcterms:identifier ?docid } } ORDER BY ?docid
"""


DATA_QUAD_COUNT = f"""
SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER (?g NOT IN (<{iri.ONTOLOGY_GRAPH}>, <{iri.SHAPES_GRAPH}>, <{STAGE_DATA}>, <{STAGE_CONTROL}>, <{STAGE_RESOLUTION}>, <{PENDING_GRAPH}>, <{JOURNAL_GRAPH}>)
          && !STRSTARTS(STR(?g), "{STAGE_PREFIX}")) }}
"""


class StoreError(RuntimeError):
    """A store that cannot be opened: missing, not a store, damaged, unreadable, busy.  The message is one line
    naming the store folder and what is wrong."""


class StoreBusyError(StoreError):
    """Another process has the store open for writing."""


class StoreMissingError(StoreError):
    """No store where one was asked for (only ``ingest`` creates a store)."""


@dataclass(frozen=True)
class DocumentState:
    source_sha256: str | None
    version: str | None
    source_path: str | None = None   # the file it was read from, as given then (``path#record`` for a record)


class FactsCache:
    """doc id -> (facts, cleaned text), gzip-compressed JSON in SQLite: what emission needs to re-emit a
    document after a merge/unmerge without the source file.  Written before the document's graph is
    committed, so a committed document always has its entry (a leftover entry for an uncommitted one is
    overwritten when the document is ingested again)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, payload BLOB NOT NULL)")

    def put(self, doc_id: str, payload: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO documents (doc_id, payload) VALUES (?, ?)", (doc_id, payload))

    def get(self, doc_id: str) -> tuple[dict[str, Any], str] | None:
        row = self.db.execute("SELECT payload FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(gzip.decompress(row[0]))
        return data["facts"], data["text"]

    def delete(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def pack(facts: dict[str, Any], text: str) -> bytes:
        # mtime=0: the same facts always pack to the same bytes
        return gzip.compress(json.dumps({"facts": facts, "text": text}, ensure_ascii=False).encode("utf-8"), mtime=0)


READ_RETRIES = 5  # a read-only open can race the writer's compaction (a table file it lists is deleted)


def _check_layout(directory: Path, data: Path, *, create: bool) -> None:
    """Refuse, in one line, a store folder that is not one (before RocksDB gives an OS error about it)."""
    if directory.exists() and not directory.is_dir():
        raise StoreMissingError(f"{directory} is a file, not a guanxi store folder (give --store a folder)")
    if data.exists() and not data.is_dir():
        raise StoreMissingError(f"{directory} is not a guanxi store: {data} is a file, where the store's database "
                         "folder should be")
    if not (data / "CURRENT").exists() and not create:
        what = "does not exist" if not directory.exists() else "holds no guanxi store"
        raise StoreMissingError(f"no guanxi store at {directory} (the folder {what}); `guanxi ingest` creates "
                                "one, and --store or GUANXI_STORE chooses another")


def _open_oxigraph(directory: Path, data: Path, read_only: bool) -> tuple[Any, "snapshots.Held | None"]:
    """The pyoxigraph store (and, for a reader, the snapshot it holds), or a StoreError saying what is wrong.

    A reader opens the newest snapshot the writer published (``graph/snapshots.py``), never the database a
    writer may be changing; only a store no writer of this version has opened (it has no snapshot) is opened
    itself, read-only.

    A read-only open lists the table files of the current MANIFEST and then opens them; a writer's compaction
    can delete one in between, which RocksDB reports as ``No such file`` (as an IO error, or as "Corruption: …
    MANIFEST may be corrupted"): nothing is damaged, the open is tried again on the newer state."""
    for attempt in range(READ_RETRIES if read_only else 1):
        try:
            if read_only:
                held = snapshots.open_newest(directory)
                if held is not None:
                    return held.store, held
                return ox.Store.read_only(str(data)), None
            return ox.Store(str(data)), None
        except (OSError, RuntimeError) as exc:
            message = str(exc)
            raced = read_only and "No such file" in message and (data / "CURRENT").exists()
            if raced and attempt + 1 < READ_RETRIES:
                time.sleep(0.05 * (attempt + 1))  # the writer removed a file while we opened: open again
                continue
            if raced:
                raise StoreError(f"the store at {directory} kept changing while it was being opened (an ingest "
                                 f"is compacting it: {_short(message)}); run the command again") from None
            if isinstance(exc, RuntimeError):  # pyoxigraph reports RocksDB corruption as RuntimeError
                raise StoreError(f"the store at {directory} is damaged ({_short(message)}); restore it from a "
                                 "backup, or ingest the documents into a new store") from None
            if not read_only and "lock" in message.lower():
                raise StoreBusyError(f"{directory} is in use by another guanxi process (one writer at a time; "
                                     "readers do not wait)") from None
            if isinstance(exc, PermissionError) or "Permission denied" in message:
                need = ("readable" if read_only else "writable, to change the store (commands that only read it, "
                        "such as stats, sparql and person, open it read-only and still work)")
                raise StoreError(f"cannot open the store at {directory}: permission denied ({_short(message)}); "
                                 f"its folder and files must be {need}") from None
            raise StoreError(f"cannot open the store at {directory}: {_short(message)}") from None
    raise AssertionError("unreachable")


def vanished_file(exc: BaseException) -> bool:
    """Whether ``exc`` is RocksDB finding a table file gone: a read-only store read while a writer compacted
    (pyoxigraph raises it as OSError, or as RuntimeError "Corruption: … No such file")."""
    return isinstance(exc, (OSError, RuntimeError)) and not isinstance(exc, BrokenPipeError) and (
        "No such file" in str(exc))


READ_AGAIN = "if an ingest is writing the store, run the command again"


def _short(message: str) -> str:
    return " ".join(message.split())[:300]


def _journal_write(bucket: int, seq: int) -> str:
    """The journal node holding one write's entries."""
    return f"{JOURNAL}/{bucket}/{seq}"


class _ChunkReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte strings (what the bulk loader reads from)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._chunk, self._at = chunks, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._chunk):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._chunk, self._at = chunk, 0
        n = min(len(buffer), len(self._chunk) - self._at)
        buffer[:n] = self._chunk[self._at:self._at + n]
        self._at += n
        return n


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def record_literal(key: resolution.RecordKey) -> ox.Literal:
    """A record (document, name) as the literal of gx:fromRecord / gx:intoRecord: ``doc_id<TAB>name``."""
    return ox.Literal(f"{key[0]}\t{key[1]}")


def _record_key(term: Any) -> resolution.RecordKey | None:
    if term is None or "\t" not in term.value:
        return None
    doc_id, name = term.value.rsplit("\t", 1)
    return (doc_id, name)


class GraphStore:
    """A guanxi store directory. One writer at a time (RocksDB's lock); open it with ``with``.

    ``create``: make the store if the folder has none (only ``guanxi ingest`` does; every other command says
    which store it looked for).  ``read_only``: open it for reading: the newest snapshot the writer published
    (``graph/snapshots.py``: at its open, after every ingest round, at its close) with pyoxigraph
    ``Store.read_only``, which takes no lock, so readers run while a writer (an ingest) has the store and never
    open the database it changes; a reader sees the store as of the last round before it opened, and writes
    through it are refused."""

    def __init__(self, directory: str | os.PathLike[str], *, create: bool = True, read_only: bool = False):
        self.directory = Path(directory)
        self.read_only = read_only
        data = self.directory / "oxigraph"
        _check_layout(self.directory, data, create=create and not read_only)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.store, self._snapshot = _open_oxigraph(self.directory, data, read_only)
        self._cache: FactsCache | None = None
        self._index: ResolutionIndex | None = None
        if read_only:
            return  # a reader changes nothing: the writer that made the store loaded the ontology and the union
        self._cache = FactsCache(self.directory / "facts.sqlite")
        self._index = ResolutionIndex(self._cache.db)
        if self._index.reset:  # the index forgot which rule links it wrote: drop them all, resolution rewrites them
            self.write_links(sorted({q.subject.value for q in self.store.quads_for_pattern(
                None, _n(RDF_TYPE), _n(GX_RESOLUTION_LINK), _n(iri.RESOLUTION_GRAPH))}), [])
        if not self.store.contains_named_graph(_n(iri.ONTOLOGY_GRAPH)):
            self.store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=_n(iri.ONTOLOGY_GRAPH))
        # a kill between staging and commit leaves staged data: drop it (the document was not committed)
        self._clear_document_staging()
        self.store.update(CLEAR_STAGING)
        if not self.store.query(HAS_UNION):  # a new store, or one written before the union existed
            self.store.update(BUILD_UNION)
        self._settle_staged()
        self.publish()  # readers from now on open this state, not the database this writer changes

    def _settle_staged(self) -> None:
        """Documents whose records went in but whose graph a kill kept out: forget the records (their names
        stay dirty, so the next write resolves them again; the document is new to the next ingest)."""
        staged = self.index.staged()
        for doc_id in staged:
            if self.document_state(doc_id) is None:
                self.index.drop(doc_id)
                self.cache.delete(doc_id)
        self.index.unstage(staged)

    @property
    def cache(self) -> FactsCache:
        if self._cache is None:
            raise StoreError(f"{self.directory} is open read-only: its facts cache is only for writers")
        return self._cache

    @property
    def index(self) -> ResolutionIndex:
        if self._index is None:
            raise StoreError(f"{self.directory} is open read-only: its resolution index is only for writers")
        return self._index

    def _clear_document_staging(self) -> None:
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGE_PREFIX):
                self.store.remove_graph(graph)

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Write the store's memtables to its files.  Called by the writer after every ingest round: a reader
        (``read_only``) opening the store replays the write-ahead log written since the last flush into memory,
        and a quarter of news unflushed is about a gigabyte of log — measured, a reader then took 50 s and 1 GB
        to open 630 MB of it (0.5 s and 62 MB after a flush), and ran out of memory on the seven-year store."""
        if not self.read_only:
            self.store.flush()
            self.publish()

    def publish(self) -> None:
        """Publish the store as it is now as the snapshot readers open (``graph/snapshots.py``): a checkpoint
        of hard links, milliseconds; older snapshots no reader holds are deleted."""
        if not self.read_only:
            snapshots.publish(self.store, self.directory)

    def close(self) -> None:
        if not self.read_only:
            self.store.flush()
            self.publish()
        if self._cache is not None:
            self._cache.close()
        del self.store
        if self.read_only:
            if self._snapshot is not None:
                self._snapshot.release()  # the writer may delete this snapshot once a newer one exists
            return  # a reader wrote nothing: no logs to drop, and it must not take the writer's lock
        # RocksDB deletes write-ahead logs made obsolete by the flush only when it next opens the database; a
        # corpus ingest leaves gigabytes of them.  Opening it again here (milliseconds) lets it do so now, so
        # the store's size on disk is its data's.
        try:
            ox.Store(str(self.directory / "oxigraph")).flush()
        except OSError:
            pass  # another process took the lock in between: it will clean up when it closes

    # ---- documents -----------------------------------------------------------------------------------

    def document_state(self, doc_id: str) -> DocumentState | None:
        # index lookups, not a SPARQL query: this runs once per input record, and parsing and planning the query
        # was most of re-reading an unchanged corpus's 39,000 documents (0.8 ms each)
        graph = _n(iri.graph_iri(doc_id))
        doc = next(iter(self.store.quads_for_pattern(None, _n(RDF_TYPE), _DOCUMENT_CLASS, graph)), None)
        if doc is None:
            return None
        values = [next(iter(self.store.quads_for_pattern(doc.subject, p, None, graph)), None) for p in _STATE_PREDICATES]
        return DocumentState(*(None if q is None else q.object.value for q in values))

    def replace_document(self, doc_id: str, triples: Iterable[ox.Triple],
                         previous: Iterable[ox.Triple] | None = None) -> None:
        """Atomically make the document's graph exactly ``triples`` (empty: remove the document).

        ``previous``: what the graph holds now, when the caller knows it without reading (a document rewritten
        for an identity change: its cached facts emitted with the identities it was written with).  Reading a
        graph back costs 15-45 µs a quad (pyoxigraph decodes every term through RocksDB lookups), about four
        times emitting it again (docs/scaling.md)."""
        graph = _n(iri.graph_iri(doc_id))
        self._record_changes([(graph.value, "")])  # before the write: a crash in between only over-reports
        triples = list(triples)
        if previous is not None:
            old = set(previous)
        else:
            old = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, graph)}
        if not old:
            # a new document: one extend() is one transaction, with its pending markers; no staging needed
            # (3x fewer writes: this is the common case of a first ingest)
            typed = {t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object.value in RESOLVED_TYPES}
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
            quads += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
            quads += [ox.Quad(_n(PENDING), _n(ENTITY), e, _n(PENDING_GRAPH)) for e in sorted(typed, key=str)]
            if quads:
                self.store.extend(quads)
            return
        token = uuid.uuid4().hex
        stage, drop = _n(f"{STAGE_PREFIX}{token}/data"), _n(f"{STAGE_PREFIX}{token}/drop")
        remove = _n(f"{STAGE_PREFIX}{token}/remove")
        # only the difference is written: a document rewritten because one of its people changed identity
        # keeps most of its triples, and deleting and re-inserting those (in the graph and the union, in
        # every index) made such rewrites cost 0.1-0.2 s each (docs/scaling.md)
        new = set(triples)
        quads = [ox.Quad(t.subject, t.predicate, t.object, stage) for t in new if t not in old]
        # the old triples that leave the union: stated by no other graph and not by the new version.  Index
        # lookups here; the same test as a SPARQL FILTER NOT EXISTS { GRAPH ?h … } visited every named graph
        # per triple, which made a re-ingest of the corpus quadratic.  (This process holds the store's lock:
        # nothing changes between this read and the commit.)
        for triple in old - new:
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, remove))
            for other in self.store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None):
                name = other.graph_name
                if name != graph and isinstance(name, ox.NamedNode) and not is_internal(name.value):
                    break
            else:
                quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, drop))
        control = _n(STAGE_CONTROL)
        quads += [ox.Quad(_n(JOB), _n(TARGET), graph, control), ox.Quad(_n(JOB), _n(STAGED), stage, control),
                  ox.Quad(_n(JOB), _n(DROPS), drop, control), ox.Quad(_n(JOB), _n(REMOVES), remove, control)]
        # the entities whose resolution facts must be recomputed: those typed in the old or the new graph (both
        # read above; a SPARQL join did it in time growing with the store); marking them before the commit is
        # safe: a crash in between only leaves extra entities to recompute
        typed = {t.subject for t in old | new if t.predicate.value == RDF_TYPE and t.object.value in RESOLVED_TYPES}
        quads += [ox.Quad(_n(PENDING), _n(ENTITY), e, _n(PENDING_GRAPH)) for e in sorted(typed, key=str)]
        self.store.extend(quads)  # the control graph is empty: cleared on open and by every commit
        self.store.update(COMMIT_DOCUMENT)
        for staged in (stage, drop, remove):  # a kill before these: removed on the next open
            self.store.remove_graph(staged)

    def add_new_documents(self, documents: Iterable[tuple[str, Iterable[ox.Triple]]]) -> None:
        """Write documents that are not in the store yet, all at once, through pyoxigraph's bulk loader: their
        graphs, their triples in the union and their pending markers.

        The bulk loader writes sorted files that RocksDB ingests in one step per chunk of a million quads
        (a round is far below that) instead of one transaction per document: several times faster, and no
        memtable to grow.  It is not a transaction, so the caller lists the documents as staged in the
        index before and unstages them after; on open, a staged document whose graph is there was written
        whole (the ingestion is atomic), one whose graph is missing was not written at all."""
        # As N-Quads text, not Quad objects: building a Quad (or reading a Triple's terms) in Python costs
        # 1-7 µs a term, more than the bulk loader's parse of the same line; each N-Triples line of a triple
        # becomes its line in the union and, with the graph's name before the final " .", in the document's graph
        documents = list(documents)
        # each graph's name is the one IRI of the text not written by pyoxigraph's serialiser: checked here,
        # so that the load can skip checking every term again (``lenient``: 15-30 % of the load's time)
        graphs = [_n(iri.graph_iri(doc_id)).value for doc_id, _ in documents]
        pending: set[str] = set()

        def nquads() -> Iterator[bytes]:  # one document at a time: a round's text is never whole in memory
            for graph, (_, triples) in zip(graphs, documents):
                if not triples:
                    continue
                # split on "\n" only: the serialiser escapes it, but not U+2028, U+0085 and the other characters
                # str.splitlines() also breaks at, which a scraped text can hold
                lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").split("\n")[:-1]
                named = f" <{graph}> .\n"
                yield ("".join(line[:-2] + named for line in lines) + "\n".join(lines) + "\n").encode("utf-8")
                pending.update(line[1:line.index(">")] for line in lines if line.endswith(_RESOLVED_TYPE_ENDINGS))
            yield "".join(f"<{PENDING}> <{ENTITY}> <{e}> <{PENDING_GRAPH}> .\n" for e in sorted(pending)).encode("utf-8")

        self._record_changes([(g, "") for g in graphs])  # before the write: a crash in between only over-reports
        if any(triples for _, triples in documents):
            self.store.bulk_load(_ChunkReader(nquads()), format=ox.RdfFormat.N_QUADS, lenient=True)

    def is_stored(self, doc_id: str) -> bool:
        """Whether the document has a graph (cheaper than :meth:`document_state`)."""
        graph = _n(iri.graph_iri(doc_id))
        return next(iter(self.store.quads_for_pattern(None, None, None, graph)), None) is not None

    def remove_document(self, doc_id: str) -> bool:
        if self.document_state(doc_id) is None:
            return False
        self.index.drop(doc_id)  # first: a kill after it leaves the names dirty, and the next write resolves them
        self.replace_document(doc_id, [])
        self.store.remove_graph(_n(iri.graph_iri(doc_id)))  # the (now empty) graph's name
        self.cache.delete(doc_id)
        return True

    def documents(self) -> list[tuple[str, str]]:
        """(graph IRI, doc id) of every document, by id."""
        return [(r["g"].value, r["docid"].value) for r in self.store.query(DOCUMENT_GRAPHS)]

    def documents_of_person(self, person: str) -> list[str]:
        return [r["docid"].value for r in self.store.query(DOCUMENTS_OF_PERSON, substitutions={ox.Variable("p"): _n(person)})]

    def persons_named(self, name: str) -> list[str]:
        return [r["p"].value for r in self.store.query(PERSONS_NAMED, substitutions={ox.Variable("name"): ox.Literal(name)})]

    def person_name(self, person: str) -> str | None:
        rows = list(self.store.query(PERSON_NAME, substitutions={ox.Variable("p"): _n(person)}))
        return rows[0]["name"].value if rows else None

    # ---- manual decisions ----------------------------------------------------------------------------

    def decisions(self) -> resolution.Decisions:
        """The user's judgements (merge / reject / unmerge), on records (document, name)."""
        merges: set[tuple[resolution.RecordKey, resolution.RecordKey]] = set()
        rejects: set[tuple[resolution.RecordKey, resolution.RecordKey]] = set()
        isolated: set[resolution.RecordKey] = set()
        for r in self.store.query(MANUAL_DECISIONS):
            kind = r["type"].value
            a, b = _record_key(r["fromrec"]), _record_key(r["intorec"])
            if kind == "merge" and a and b:
                merges.add((a, b))
            elif kind == "reject" and a and b:
                rejects.add((a, b))
            elif kind == "unmerge" and a:
                isolated.add(a)
        return resolution.Decisions(frozenset(merges), frozenset(rejects), frozenset(isolated))

    def manual_record(self, node: str) -> resolution.RecordKey | None:
        """The record a user's decision named for ``node`` (a person since merged away, say)."""
        for r in self.store.query(MANUAL_DECISIONS):
            if r["from"].value == node and _record_key(r["fromrec"]):
                return _record_key(r["fromrec"])
            if r["into"].value == node and _record_key(r["intorec"]):
                return _record_key(r["intorec"])
        return None

    def manual_links_between(self, a: resolution.RecordKey, b: resolution.RecordKey) -> list[str]:
        """The manual links (merge or reject) that name the records ``a`` and ``b`` (either way round)."""
        out = []
        for r in self.store.query(MANUAL_DECISIONS):
            pair = {_record_key(r["fromrec"]), _record_key(r["intorec"])}
            if pair == {a, b}:
                out.append(r["link"].value)
        return out

    def remove_manual(self, links: Iterable[str]) -> None:
        graph = _n(iri.MANUAL_GRAPH)
        links = list(links)
        self._record_changes(self._touched(iri.MANUAL_GRAPH, links, ()))
        for link in links:
            for q in list(self.store.quads_for_pattern(_n(link), None, None, graph)):
                self.store.remove(q)
                self._drop_from_union(q)

    def _drop_from_union(self, q: ox.Quad) -> None:
        """Remove a removed quad's triple from the default graph unless another data graph states it."""
        for other in self.store.quads_for_pattern(q.subject, q.predicate, q.object, None):
            name = other.graph_name
            if isinstance(name, ox.NamedNode) and not is_internal(name.value):
                return
        self.store.remove(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))

    def add_manual(self, triples: Iterable[ox.Triple]) -> None:
        triples = list(triples)
        self._record_changes([(iri.MANUAL_GRAPH, t.subject.value) for t in triples])
        self.store.extend([ox.Quad(t.subject, t.predicate, t.object, g) for g in (_n(iri.MANUAL_GRAPH), ox.DefaultGraph())
                           for t in triples])

    # ---- resolution graph ----------------------------------------------------------------------------

    def pending(self) -> int:
        return int(next(iter(self.store.query(PENDING_COUNT)))["n"].value)

    def refresh_resolution(self) -> int:
        """Recompute the resolution facts of every pending tenure (first / last attested); returns how many
        entities were pending."""
        count = self.pending()
        if not count:
            return 0
        triples: list[ox.Triple] = []
        for r in self.store.query(TENURE_DATES):
            if r["first"] is not None:
                triples += resolution.tenure_dates(r["t"].value, r["first"].value, r["last"].value)
        stage = _n(STAGE_RESOLUTION)
        # the commit rewrites the resolution facts of the pending entities (and of the links into them)
        self._record_changes([(iri.RESOLUTION_GRAPH, q.object.value) for q in
                              self.store.quads_for_pattern(_n(PENDING), _n(ENTITY), None, _n(PENDING_GRAPH))])
        self.store.update(CLEAR_STAGING)
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, stage) for t in triples)
        self.store.update(COMMIT_RESOLUTION)
        return count

    def write_links(self, removed: Iterable[str], added: Iterable[ox.Triple]) -> None:
        """Take the rule links ``removed`` (IRIs) out of the resolution graph and put ``added`` in.  Not one
        transaction: the caller keeps the blocks dirty until this returned, and both steps are idempotent."""
        graph = _n(iri.RESOLUTION_GRAPH)
        removed, added = list(removed), list(added)
        self._record_changes(self._touched(iri.RESOLUTION_GRAPH, removed, added))
        for link in removed:
            for q in list(self.store.quads_for_pattern(_n(link), None, None, graph)):
                self.store.remove(q)
                self._drop_from_union(q)
        quads = []
        for t in added:
            quads += [ox.Quad(t.subject, t.predicate, t.object, graph), ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())]
        if quads:
            self.store.extend(quads)

    # ---- the change journal ----------------------------------------------------------------------------

    def _touched(self, graph: str, removed: list[str], added: list[ox.Triple]) -> list[tuple[str, str]]:
        """Journal entries for links leaving and entering ``graph``: each link and the resources it names (a
        link projects onto the people it joins, so the sync must look at them again)."""
        subjects = set(removed)
        for link in removed:
            subjects.update(q.object.value for q in self.store.quads_for_pattern(_n(link), None, None, _n(graph))
                            if isinstance(q.object, ox.NamedNode))
        for t in added:
            subjects.add(t.subject.value)
            if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE:
                subjects.add(t.object.value)
        return [(graph, s) for s in sorted(subjects)]

    def _journal_state(self) -> tuple[str, int, int]:
        """(journal id, last sequence number, first bucket kept); ("", 0, 0) before the first entry.  The last
        number is the largest entry of the newest bucket (the bucket is recorded when it starts: one write per
        JOURNAL_BUCKET entries, not one per entry)."""
        graph, head = _n(JOURNAL_GRAPH), _n(JOURNAL)
        ids = [q.object.value for q in self.store.quads_for_pattern(head, _n(JOURNAL_ID), None, graph)]
        buckets = [int(q.object.value) for q in self.store.quads_for_pattern(head, _n(JOURNAL_SEQ), None, graph)]
        firsts = [int(q.object.value) for q in self.store.quads_for_pattern(head, _n(JOURNAL_FIRST), None, graph)]
        seq = 0
        if buckets:
            # each write also numbers itself on the bucket's ``/numbers`` node (at most JOURNAL_BUCKET small
            # quads); reading the largest entry instead meant decoding every entry of the bucket, a second and
            # more at hundreds of documents a write.  A bucket written before the numbers were: its entries
            numbers = _n(f"{JOURNAL}/{max(buckets)}/numbers")
            seq = max((int(q.object.value) for q in self.store.quads_for_pattern(numbers, _n(JOURNAL_NUMBER), None, graph)),
                      default=0)
            if not seq:
                for q in self.store.quads_for_pattern(_n(f"{JOURNAL}/{max(buckets)}"), _n(JOURNAL_ENTRY), None, graph):
                    seq = max(seq, int(q.object.value.split("\t", 1)[0]))
        return (min(ids) if ids else "", seq, max(firsts, default=0))

    def _record_changes(self, changes: list[tuple[str, str]]) -> None:
        """Append (graph, subject) entries to the journal ("" subject: the whole graph) under one new sequence
        number.  Every writer of data graphs calls this before writing.  This process holds the store's lock, so
        the journal's position is kept in memory after the first read: one write per call."""
        if not changes:
            return
        if getattr(self, "_journal", None) is None:
            self._journal = list(self._journal_state())
        journal_id, seq, first = self._journal
        graph, head = _n(JOURNAL_GRAPH), _n(JOURNAL)
        seq += 1
        bucket = seq // JOURNAL_BUCKET
        # each write's entries on a node of their own, so that a consumer reads only the writes it has not seen
        # (on the bucket's node, as before 2026-12-03, a sync after one write decoded the whole bucket: 1.2 s
        # for 56 entries among 96,225 on 2023+2025)
        quads = [ox.Quad(_n(_journal_write(bucket, seq)), _n(JOURNAL_ENTRY), ox.Literal(f"{seq}\t{g}\t{s}"), graph)
                 for g, s in sorted(set(changes))]
        quads.append(ox.Quad(_n(f"{JOURNAL}/{bucket}/numbers"), _n(JOURNAL_NUMBER), ox.Literal(str(seq)), graph))
        new_bucket = seq == 1 or seq % JOURNAL_BUCKET == 0
        if new_bucket:
            quads.append(ox.Quad(head, _n(JOURNAL_SEQ), ox.Literal(str(bucket)), graph))
        if not journal_id:
            journal_id = uuid.uuid4().hex
            quads.append(ox.Quad(head, _n(JOURNAL_ID), ox.Literal(journal_id), graph))
        self.store.extend(quads)
        self._journal = [journal_id, seq, first]
        if not new_bucket:
            return
        for q in list(self.store.quads_for_pattern(head, _n(JOURNAL_SEQ), None, graph)):
            if int(q.object.value) < bucket:
                self.store.remove(q)
        # keep JOURNAL_KEEP buckets: a consumer further behind is told the journal cannot answer
        if bucket - first >= JOURNAL_KEEP:
            keep = bucket - JOURNAL_KEEP + 1
            for old in range(first, keep):
                subjects = [f"{JOURNAL}/{old}", f"{JOURNAL}/{old}/numbers"]
                subjects += [_journal_write(old, n) for n in range(old * JOURNAL_BUCKET, (old + 1) * JOURNAL_BUCKET)]
                for subject in subjects:
                    for q in list(self.store.quads_for_pattern(_n(subject), None, None, graph)):
                        self.store.remove(q)
            self.store.extend([ox.Quad(head, _n(JOURNAL_FIRST), ox.Literal(str(keep)), graph)])
            for q in list(self.store.quads_for_pattern(head, _n(JOURNAL_FIRST), None, graph)):
                if int(q.object.value) < keep:
                    self.store.remove(q)
            self._journal[2] = keep

    def change_token(self) -> str:
        """Where the journal stands: ``"<journal id>:<sequence>"`` (``":0"`` before the first write)."""
        journal_id, seq, _ = self._journal_state()
        return f"{journal_id}:{seq}"

    def changes_since(self, token: str) -> list[tuple[str, str]] | None:
        """The (graph, subject) entries written after ``token`` (a :meth:`change_token`), in order; subject ""
        means the whole graph (a document written or removed).  None when the journal cannot tell: a token
        of another store, or older than the entries kept."""
        journal_id, seq, first = self._journal_state()
        their_id, _, their_seq = token.rpartition(":")
        if not their_seq.isdigit() or (their_id != journal_id and int(their_seq) > 0):
            return None
        since = int(their_seq)
        if since > seq or (since and since // JOURNAL_BUCKET < first) or (since == 0 and first > 0):
            return None
        entries: list[tuple[int, str, str]] = []
        graph, entry = _n(JOURNAL_GRAPH), _n(JOURNAL_ENTRY)
        for bucket in range(since // JOURNAL_BUCKET, seq // JOURNAL_BUCKET + 1):
            whole = _n(f"{JOURNAL}/{bucket}")  # entries written before each write had a node of its own
            for q in self.store.quads_for_pattern(whole, entry, None, graph):
                n, g, s = q.object.value.split("\t", 2)
                if int(n) > since:
                    entries.append((int(n), g, s))
        for number in range(since + 1, seq + 1):
            for q in self.store.quads_for_pattern(_n(_journal_write(number // JOURNAL_BUCKET, number)), entry, None, graph):
                n, g, s = q.object.value.split("\t", 2)
                entries.append((int(n), g, s))
        entries.sort()
        return [(g, s) for _, g, s in entries]

    # ---- reading -------------------------------------------------------------------------------------

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """A read query whose default graph is the union of all graphs, as a set (so patterns need no GRAPH
        clause, and a triple stated by many documents matches once; GRAPH ?g still reaches each graph)."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, substitutions=subs or None, prefixes=dict(PREFIXES))

    def quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the data graphs (documents, resolution, manual), never the internal ones."""
        ontology = {iri.ONTOLOGY_GRAPH, iri.SHAPES_GRAPH}
        for quad in self.store:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or is_internal(graph.value) or (
                    not include_ontology and graph.value in ontology):
                continue  # the default graph is the union: its quads are already in a named graph
            yield quad

    def data_quads(self) -> int:
        """How many quads the data graphs hold (what :meth:`quads` yields)."""
        return int(next(iter(self.store.query(DATA_QUAD_COUNT)))["n"].value)

    def canonical_nquads(self) -> bytes:
        """Sorted N-Quads of the data graphs: byte-identical for the same documents and decisions.

        The ontology is left out (its blank nodes have no stable labels); there are no blank nodes in
        the data graphs, so sorting the lines is a canonical form."""
        # str(Quad) is the N-Quads form of the quad without the final " ."
        lines = sorted(str(q).encode("utf-8") + b" .\n" for q in self.quads())
        return b"".join(lines)

    def size_bytes(self) -> int:
        """Bytes on disk, each file once: a snapshot's table files are hard links to the store's."""
        seen: set[tuple[int, int]] = set()
        total = 0
        for f in self.directory.rglob("*"):
            if f.is_file():
                st = f.stat()
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_size
        return total
