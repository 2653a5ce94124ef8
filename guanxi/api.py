"""The public Python API of guanxi's knowledge graph.

    from guanxi.api import Guanxi
    with Guanxi("guanxi-data") as gx:
        report = gx.ingest(["examples/"], workers=2)
        rows = gx.sparql("SELECT ?name WHERE { ?p a gx:Person ; gx:name ?name }")
        gx.merge("王海", "https://w3id.org/guanxi/id/person/...", reason="same deputy mayor, moved city")

Every method that changes the store leaves it consistent if the process is killed at any moment (see
``graph/store.py``); every SPARQL string is a constant, user values are bound through substitutions.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import pyoxigraph as ox

from guanxi.graph import resolution
from guanxi.graph.store import DEFAULT_STORE, GraphStore
from guanxi.ontology import iri
from guanxi.ontology.vocab import DCTERMS, GX, PREFIXES, PROV, RDF

if TYPE_CHECKING:
    from guanxi.executors import Executor

ENV_STORE = "GUANXI_STORE"
# documents per resolve-emit-write round of an ingest (GUANXI_INGEST_BATCH overrides: smaller rounds commit
# sooner, larger ones resolve a name's block fewer times)
BATCH = int(os.environ.get("GUANXI_INGEST_BATCH") or 256)
# extraction tasks (GROUP records each) submitted ahead of the writer, per worker: while the writer resolves
# and writes a round of BATCH documents (seconds), the workers extract what is queued. With 4 they ran dry
# once extraction got faster than writing; 16 (1,024 documents for 2 workers) took 2025 Q1's ingest from
# 31.9 to 28.7 s, same run, for 14 MB more in the parent (docs/scaling.md)
IN_FLIGHT_PER_WORKER = 16
SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(PREFIXES.items()))

COUNTS = SPARQL_PREFIXES + """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { gx:Document gx:Person gx:Organization gx:Post gx:Tenure gx:Meeting gx:Participation
                  gx:Directive gx:Industry gx:Place gx:Mention gx:RedactedMention gx:Addressee gx:ResolutionLink }
  ?x a ?class .
} GROUP BY ?class
"""
ORGANIZATION_COUNT = SPARQL_PREFIXES + """
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?kind . ?kind rdfs:subClassOf gx:Organization }
"""
LINKS_BY_DECIDER = SPARQL_PREFIXES + """
SELECT ?by (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a gx:ResolutionLink ; gx:decidedBy ?by } GROUP BY ?by
"""



def _written_from(state: Any, facts: dict[str, Any]) -> bool:
    """Whether a stored document (its :class:`~guanxi.graph.store.DocumentState`) was emitted from ``facts`` by
    this version of the extractor: same version tag, same source hash and path."""
    from guanxi.loaders.emit import version_tag

    document = facts.get("document", {})
    record = document.get("record")
    path = document.get("path")
    if path and record is not None:
        path = f"{path}#{record}"
    return (state.version == version_tag() and state.source_sha256 == document.get("content_sha256")
            and state.source_path == (path or None))


def _plan_links(plan: "ResolutionPlan", links: Iterable[Any], old_links: dict[str, tuple]) -> set[str]:
    """Put into ``plan`` the links whose signature changed against ``old_links`` (key -> (signature, IRI)):
    the old version removed, the new one added and recorded; returns the keys of ``links``."""
    seen: set[str] = set()
    for link in links:
        seen.add(link.key)
        signature = link.signature
        before = old_links.get(link.key)
        if before is not None and before[0] == signature:
            continue
        if before is not None:
            plan.removed_links.append(before[1])
        plan.added_triples += link.triples()
        # filed under the merged-away node's own name: the block that name is in always finds it again
        plan.link_changes[link.key] = (link.source[1], signature, link.iri, link.merged_from, link.record)
    return seen

class GuanxiError(Exception):
    """A request the store cannot satisfy (unknown person, ambiguous name, read-only violation...).

    ``exit_code``: what the command line exits with (2: a request that cannot be made, such as a refused or
    malformed query; the subclasses below: 1)."""

    exit_code = 2


class NotFoundError(GuanxiError):
    """Nothing in the store matches (no person of that name, not named in that document)."""

    exit_code = 1


class AmbiguousError(GuanxiError):
    """A name several people have: the message lists their IRIs; no choice is made."""

    exit_code = 1


class IncompleteError(GuanxiError):
    """The request was carried out only in part (the message says what is left, and how to finish it)."""

    exit_code = 1


def default_store_dir() -> str:
    return os.environ.get(ENV_STORE) or DEFAULT_STORE


@dataclass
class Failure:
    file: str
    record: int | None
    reason: str
    line: int | None = None   # the line of a JSONL record

    def describe(self) -> str:
        where = self.file + ("" if self.record is None else f" record {self.record}") + (
            "" if self.line is None else f" line {self.line}")
        return f"{where}: {self.reason}"


@dataclass
class Collision:
    """Two inputs that would get the same document id.  In one ingest: with ``same_content`` the second is the
    same document again (skipped as unchanged), otherwise it is refused (a failure), so that neither replaces
    the other.  ``earlier``: the id belongs to a document of an earlier ingest whose source file still exists
    and is another file; the new one replaced it (it may be an edited copy), and the summary says so."""
    doc_id: str
    first: str          # the input that has the id (``earlier``: a document already in the store, read from there)
    second: str         # the input that was refused or skipped
    same_content: bool
    earlier: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"id": self.doc_id, "first": self.first, "second": self.second, "same_content": self.same_content,
                "earlier_ingest": self.earlier}


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    resolution_seconds: float = 0.0  # resolving names, rewriting documents whose people changed, writing links

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged),
                          "failed": len(self.failed)},
            "failures": [{"file": f.file, "record": f.record, "line": f.line, "reason": f.reason} for f in self.failed],
            "collisions": [c.to_json() for c in self.collisions],
            "store": self.counts,
            "seconds": round(self.seconds, 3),
            "resolution_seconds": round(self.resolution_seconds, 3),
        }


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Any]  # graph.validation.Violation: focus, path, message, severity
    triples: int


# ---- extraction in worker processes ------------------------------------------------------------------

def _work(records: list[Any]) -> list[tuple[str, Any, Any, Any, Any]]:
    """Extract a group of records together (runs in a worker process; the model reads their sentences in one
    pass), per record: ('ok', doc_id, facts, text, resolution records as JSON) or ('error', file, record,
    reason, line of a JSONL record).  Everything returned is plain data: picklable."""
    from guanxi.loaders.emit import person_records
    from guanxi.loaders.model import GuanxiInputError
    from guanxi.loaders.pipeline import process_records

    out = []
    for record, doc in zip(records, process_records(records)):
        try:
            if isinstance(doc, GuanxiInputError):
                raise doc
            people = [r.to_json() for r in person_records(doc.facts, doc.text)]
            out.append(("ok", doc.facts["document"]["id"], doc.facts, doc.text, people))
        except GuanxiInputError as exc:
            out.append(("error", exc.path, exc.record, exc.reason,
                        exc.line if exc.line is not None else record.meta.get("line")))
        except Exception as exc:  # a bug in one document must not stop the batch: report it as its failure
            out.append(("error", record.path, record.record, f"extraction failed: {type(exc).__name__}: {exc}",
                        record.meta.get("line")))
    return out


def _grouped(items: Iterable[tuple[str, Any]], size: int, workers: int = 1) -> Iterator[tuple[str, Any]]:
    """The plan with consecutive ('work', record) items joined into ('work', [records]); the other items as
    they are, in input order. Groups start at 8 records and double every ``workers`` groups up to ``size``,
    so that a small ingest still spreads over every worker (the pool starts a worker per waiting task)."""
    group: list[Any] = []
    made = 0

    def limit() -> int:
        return min(size, 8 * 2 ** (made // max(workers, 1)))

    for kind, payload in items:
        if kind == "work":
            group.append(payload)
            if len(group) >= limit():
                yield "work", group
                group, made = [], made + 1
            continue
        if group:
            yield "work", group
            group, made = [], made + 1
        yield kind, payload
    if group:
        yield "work", group


def _parse_ntriples(data: bytes) -> list[Any]:
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)) if data else []


def _t(s: str, p: str, o: Any) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o)


ProgressCallback = Callable[[str, str], None]  # (event: new/changed/unchanged/failed, document or file)


class Guanxi:
    """A guanxi knowledge-graph store directory (default ``./guanxi-data`` or ``$GUANXI_STORE``).

    ``create``: make the store when the folder has none (else :class:`~guanxi.graph.store.StoreMissingError`).
    ``read_only``: open it for queries only; readers take no lock and run while an ingest writes the store."""

    def __init__(self, store_dir: str | os.PathLike[str] | None = None, *, create: bool = True,
                 read_only: bool = False):
        self.store_dir = Path(store_dir or default_store_dir())
        self.store = GraphStore(self.store_dir, create=create, read_only=read_only)

    def __enter__(self) -> "Guanxi":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # ---- ingest ----------------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str], options: Any = None, workers: int = 1,
               progress: ProgressCallback | None = None, limit: int | None = None,
               executor: "Executor | str | None" = None, scheduler: str | None = None) -> IngestReport:
        """Extract documents and put each one's graph in the store: new documents are added, changed ones
        replaced, unchanged ones (same source text and extractor version) skipped.  Extraction runs on
        ``executor`` (see :mod:`guanxi.executors`: ``"local"``, a pool of ``workers`` processes, the default;
        ``"dask"``, a Dask cluster at ``scheduler`` or a LocalCluster; or an executor object, which the caller
        shuts down); writes stay in this process, in input order.  Every :data:`BATCH` documents, the names
        they contain are resolved across the store (see :mod:`guanxi.graph.resolution`) and the documents are
        emitted and written.  ``limit``: only the first N input records."""
        from guanxi.executors import make_executor
        from guanxi.loaders.pipeline import GROUP  # records per extraction task, read by the model together

        started = time.perf_counter()
        report = IngestReport()
        notify = progress or (lambda event, what: None)
        window: deque[tuple[str, Any]] = deque()
        batch: list[tuple[str, dict, str, str]] = []
        owned = executor is None or isinstance(executor, str)
        pool = make_executor(executor if isinstance(executor, str) else None, workers, scheduler) if owned else executor
        in_flight = IN_FLIGHT_PER_WORKER * max(pool.workers, 1)
        try:
            for kind, payload in _grouped(itertools.islice(self._plan(paths, options, report), limit), GROUP, pool.workers):
                if kind == "work":
                    payload = pool.submit(_work, payload)
                window.append((kind, payload))
                # settle finished results in input order; keep a bounded number in flight
                while window and (len(window) > in_flight or _ready(window[0][1])):
                    self._settle(*window.popleft(), report, batch, notify)
            while window:
                self._settle(*window.popleft(), report, batch, notify)
        except BaseException:
            if owned:
                pool.shutdown(cancel=True)
                owned = False
            raise
        finally:
            if owned:
                pool.shutdown()
        self._flush(batch, report, notify)
        self.store.refresh_resolution()
        report.counts = self.counts()
        report.seconds = time.perf_counter() - started
        return report

    def _plan(self, paths: Iterable[str], options: Any, report: IngestReport) -> Iterator[tuple[str, Any]]:
        """Per input record: ('unchanged', doc_id), ('failed', Failure) or ('work', record).  Two inputs with
        one document id are a collision (``report.collisions``): the second is skipped when it is the same
        text, refused otherwise, so that neither silently replaces the other."""
        from guanxi.loaders.emit import version_tag
        from guanxi.loaders.metadata import document_id
        from guanxi.loaders.model import GuanxiInputError
        from guanxi.loaders.readers import iter_records

        version = version_tag()
        seen: dict[str, tuple[str, str]] = {}  # doc id -> (input, source sha) in this ingest
        for item in iter_records(list(paths), options):
            if isinstance(item, GuanxiInputError):
                yield "failed", Failure(item.path, item.record, item.reason, item.line)
                continue
            doc_id = document_id(item)
            sha = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
            origin = _origin(item)
            if doc_id in seen:
                first, first_sha = seen[doc_id]
                report.collisions.append(Collision(doc_id, first, origin, first_sha == sha))
                if first_sha == sha:
                    yield "unchanged", doc_id
                else:
                    yield "failed", Failure(item.path, item.record, _collision_reason(doc_id, first),
                                            item.meta.get("line"))
                continue
            seen[doc_id] = (origin, sha)
            state = self.store.document_state(doc_id)
            if state is not None and state.source_sha256 == sha and state.version == version:
                yield "unchanged", doc_id
                continue
            if state is not None and state.source_sha256 != sha and "id" not in item.meta:
                earlier = _still_another_file(state.source_path, item)
                if earlier:  # an edited copy elsewhere, or another document with the same name: say so
                    report.collisions.append(Collision(doc_id, earlier, origin, False, earlier=True))
            yield "work", item

    def _settle(self, kind: str, payload: Any, report: IngestReport, batch: list, notify: ProgressCallback) -> None:
        """Take one result in input order: record failures and unchanged documents; put an extracted
        document's facts and records in the index (its names become dirty) and queue it for the flush, which
        runs every BATCH documents."""
        if kind == "unchanged":
            report.unchanged.append(payload)
            notify("unchanged", payload)
            return
        if kind == "failed":
            report.failed.append(payload)
            notify("failed", payload.file)
            return
        for result in payload.result() if hasattr(payload, "result") else payload:
            self._settle_extracted(result, report, batch, notify)
            if len(batch) >= BATCH:
                self._flush(batch, report, notify)

    def _settle_extracted(self, result: tuple, report: IngestReport, batch: list, notify: ProgressCallback) -> None:
        from guanxi.graph.resolution import Record
        from guanxi.graph.store import FactsCache

        if result[0] == "error":
            failure = Failure(result[1], result[2], result[3], result[4])
            report.failed.append(failure)
            notify("failed", failure.file)
            return
        _, doc_id, facts, text, records = result
        if any(doc_id == queued[0] for queued in batch):
            self._flush(batch, report, notify)  # the same id twice in one batch: the later one wins
        status = "changed" if self.store.document_state(doc_id) is not None else "new"
        # before the graph is committed: a committed document is always re-emittable and resolvable
        self.store.cache.put(doc_id, FactsCache.pack(facts, text))
        self.store.index.put(doc_id, [Record.from_json(r) for r in records])
        batch.append((doc_id, facts, text, status))

    def _flush(self, batch: list, report: IngestReport | None = None,
               notify: ProgressCallback | None = None) -> list[str]:
        """Resolve the dirty names, then emit and write the queued documents and every other document whose
        people changed identity; returns the ids of the documents written besides the queued ones.

        Order (for a kill at any point): documents first, then the rule links, then the index's record of
        what was decided, which also clears the dirty names — until then the next write does it all again."""
        try:
            return self._write_round(batch, report, notify)
        except BaseException:
            # what is stored may now be ahead of what the index records: read graphs back from here on
            self.store.index.graphs_as_recorded = False
            raise

    def _write_round(self, batch: list, report: IngestReport | None, notify: ProgressCallback | None) -> list[str]:
        from guanxi.loaders.emit import emit

        started = time.perf_counter()
        plan = self._resolve_dirty()
        resolving = time.perf_counter() - started
        queued = {doc_id for doc_id, *_ in batch}
        new: list[tuple[str, list]] = []
        for doc_id, facts, text, status in batch:
            assignment = self.store.index.assigned_in(doc_id) | plan.assignment_in(doc_id)
            triples = emit(facts, text, assignment).triples
            if status == "new":
                new.append((doc_id, triples))  # all at once below, through the bulk loader
            else:
                self.store.replace_document(doc_id, triples)  # one transaction: atomic, crash-safe
        if new:
            self.store.add_new_documents(new)
        for doc_id, facts, text, status in batch:
            if report is not None:
                (report.changed if status == "changed" else report.new).append(doc_id)
            if notify is not None:
                notify(status, doc_id)
        missing, rewritten = [], []
        started = time.perf_counter()
        for doc_id in sorted(plan.changed_documents - queued):
            cached = self.store.cache.get(doc_id)
            state = self.store.document_state(doc_id)
            if cached is None or state is None:
                missing.append(doc_id)
                continue
            facts, text = cached
            recorded = self.store.index.assigned_in(doc_id)
            previous = None
            if self.store.index.graphs_as_recorded and _written_from(state, facts):
                # the graph is these facts emitted with the recorded identities: diff against that, unread
                previous = emit(facts, text, recorded).triples
            self.store.replace_document(doc_id, emit(facts, text, recorded | plan.assignment_in(doc_id)).triples,
                                        previous)
            rewritten.append(doc_id)
        self.store.write_links(plan.removed_links, plan.added_triples)
        self.store.index.commit(plan.names, plan.assignment_changes, plan.link_changes)
        if report is not None:
            report.resolution_seconds += resolving + time.perf_counter() - started
        self.store.index.unstage(queued)
        self.store.flush()  # readers replay only what was written since: see GraphStore.flush
        batch.clear()
        return rewritten

    def _resolve_dirty(self) -> "ResolutionPlan":
        """Resolve the block of every dirty name (with the names a user merged into it) from the index, and
        work out what changed against what the index says was written: records that changed identity (their
        documents are rewritten) and links that changed (only those are built and written)."""
        from guanxi.graph.resolution import load_model, resolve

        plan = ResolutionPlan()
        dirty = self.store.index.dirty()
        if not dirty:
            return plan
        decisions = self.store.decisions()
        model = load_model()
        done: set[str] = set()
        for name in dirty:
            if name in done:
                continue
            names = decisions.linked_names({name})
            done |= names
            plan.names |= names
            if names == {name} and decisions.for_names(names).empty and self._resolve_added(name, plan, model):
                continue
            result = resolve(self.store.index.records(names), decisions.for_names(names), model)
            old = self.store.index.assigned(names)
            for key, value in result.assignment.items():
                plan.assignment[key] = value
                if old.get(key) != value:
                    plan.assignment_changes[key] = value
                    plan.changed_documents.add(key[0])
            for key in old.keys() - result.assignment.keys():
                plan.assignment_changes[key] = None
            old_links = self.store.index.links(names)
            seen = _plan_links(plan, result.links, old_links)
            for key in old_links.keys() - seen:
                plan.removed_links.append(old_links[key][1])
                plan.link_changes[key] = None
        return plan

    def _resolve_added(self, name: str, plan: "ResolutionPlan", model: Any) -> bool:
        """The fast path, for a name with one identity that has posts (习近平 on any day): when all that changed
        is new records, the new ones with a post fall in groups the name already had, and resolving the titled
        records with the new ones leaves that one identity as it was, then the old records without a post
        stand exactly as before (each was placed on its own against that identity, in words that do not depend
        on dates) and need not be read.  Returns False when a condition fails: the caller resolves the whole
        block.  Tested against full resolution in tests/test_resolution.py."""
        from guanxi.graph.resolution import Decisions, resolve

        added = self.store.index.only_added(name)
        if not added:
            return False
        new = [self.store.index.record((doc_id, name)) for doc_id in added]
        if any(r is None for r in new):
            return False
        new_keys = {r.key for r in new}  # type: ignore[union-attr]
        titled = self.store.index.titled_records(name)  # old and new
        old_titled = [r for r in titled if r.key not in new_keys]
        old = self.store.index.assigned([name])
        identities = {old.get(r.key) for r in old_titled}
        if len(identities) != 1 or None in identities:
            return False
        homes = {r.home.key for r in old_titled if r.home}
        if any(r.home is not None and r.home.key not in homes for r in new):  # type: ignore[union-attr]
            return False
        result = resolve(titled + [r for r in new if r.home is None], Decisions(), model)  # type: ignore[operator,union-attr]
        (identity,) = identities
        if any(result.assignment[r.key] != identity for r in titled if r.key not in new_keys) or \
                any(result.assignment[k] != identity for k in new_keys):
            return False
        for r in new:
            plan.assignment[r.key] = plan.assignment_changes[r.key] = identity  # type: ignore[union-attr]
            plan.changed_documents.add(r.doc_id)  # type: ignore[union-attr]
        _plan_links(plan, result.links, self.store.index.links([name]))
        return True

    # ---- remove ----------------------------------------------------------------------------------------

    def remove(self, doc_id: str) -> bool:
        """Drop a document's graph; people only it mentioned disappear, others keep their other facts."""
        removed = self.store.remove_document(doc_id)
        self._flush([])
        self.store.refresh_resolution()
        return removed

    # ---- queries ---------------------------------------------------------------------------------------

    def sparql(self, query: str, bindings: dict[str, Any] | None = None) -> Any:
        """Run a read-only SPARQL query over the union of all graphs (gx:, oa:, prov:... prefixes predeclared).

        Returns pyoxigraph's result: QuerySolutions (SELECT), QueryBoolean (ASK) or QueryTriples.

        ``bindings``: variable name -> value (a pyoxigraph term, or a str / int / float / bool, made a
        literal); bound with pyoxigraph substitutions, never pasted into the query text."""
        from guanxi.graph.sparql_guard import refusal

        refused = refusal(query)
        if refused:
            raise GuanxiError(refused)
        subs = {name: _term(value) for name, value in (bindings or {}).items()}
        try:
            return self.store.query(query, subs)
        except SyntaxError as exc:
            raise GuanxiError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            from guanxi.graph.store import READ_AGAIN, vanished_file

            if isinstance(exc, OSError) or vanished_file(exc):
                raise IncompleteError(f"reading the store failed ({exc}); {READ_AGAIN}") from exc
            if "projection" in str(exc):  # pyoxigraph binds only variables the SELECT returns (SEP-0007)
                raise GuanxiError(f"{exc}: a bound variable must be in the SELECT clause (or use SELECT *)") from exc
            raise GuanxiError(f"the query failed: {exc}") from exc

    def counts(self) -> dict[str, int]:
        """How many of each kind of thing the store holds."""
        by_class = {r["class"].value: int(r["n"].value) for r in self.store.query(COUNTS)}
        orgs = next(iter(self.store.query(ORGANIZATION_COUNT)))
        names = {"Document": "documents", "Person": "people", "Post": "posts", "Tenure": "tenures",
                 "Meeting": "meetings", "Participation": "participations", "Directive": "directives",
                 "Industry": "industries", "Place": "places", "Mention": "mentions",
                 "RedactedMention": "redacted_mentions", "Addressee": "addressees",
                 "ResolutionLink": "resolution_links"}
        out = {key: by_class.get(GX[cls], 0) for cls, key in names.items()}
        out["organizations"] = int(orgs["n"].value)
        return out

    def stats(self) -> dict[str, Any]:
        """Counts, resolution links by who decided them, quads and the store's size on disk."""
        out: dict[str, Any] = self.counts()
        for r in self.store.query(LINKS_BY_DECIDER):
            out[f"resolution_links_{r['by'].value}"] = int(r["n"].value)
        out["quads"] = self.store.data_quads()
        out["pending_resolution"] = self.store.pending()
        out["store_bytes"] = self.store.size_bytes()
        out["store"] = str(self.store_dir)
        return out

    def validate(self) -> ValidationReport:
        """SHACL-validate the union of all data graphs (documents, resolution, manual) against shapes.ttl.

        Same shapes and options as ``vocab.validate()``; the sh:sparql constraints run on pyoxigraph (see
        graph/validation.py for why)."""
        from guanxi.graph import validation

        graph = validation.rdflib_graph(self.store.quads())
        triples = len(graph)
        violations = validation.core_violations(graph, disposable=True) + validation.sparql_violations(self.store.query)
        violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
        return ValidationReport(not violations, violations, triples)

    def export(self, fmt: str, out: Any) -> None:
        """Write the data graphs to ``out`` (a binary file object) as ttl, trig, nq, jsonld or graphml."""
        from guanxi.graph.export import export

        export(self.store, fmt, out)

    # ---- manual resolution ----------------------------------------------------------------------------

    def person(self, ref: str) -> str:
        """A person IRI from an IRI, an id as the tables print it (``person/王海-0123456789abcdef``), or a name
        only one person has."""
        node = iri.parse_id(ref)
        if node is not None:
            if (self.store.person_name(node) is None and self.store.index.link_record(node) is None
                    and self.store.manual_record(node) is None):
                raise NotFoundError(f"no person {iri.readable(node)} in the store")
            return node
        found = self.store.persons_named(ref)
        if not found:
            raise NotFoundError(f"no person named {ref} in the store")
        if len(found) > 1:
            raise AmbiguousError(f"{ref} is ambiguous: {len(found)} people have that name; give an id:\n  "
                              + "\n  ".join(iri.readable(f) for f in found))
        return found[0]

    def _record_of(self, node: str) -> tuple[str, str]:
        """The record a decision about ``node`` names: a person's earliest record with a post (else its
        earliest), or the record a rule link's merged-away node stands for."""
        from guanxi.graph.resolution import _sort_key

        keys = self.store.index.records_of(node)
        if not keys:
            key = self.store.index.link_record(node) or self.store.manual_record(node)
            if key is None:
                raise GuanxiError(f"no record of {iri.readable(node)} in the store's resolution index "
                                  "(ingest its documents again)")
            return key
        records = [r for r in (self.store.index.record(k) for k in keys) if r is not None]
        titled = [r for r in records if r.home is not None]
        return min(titled or records, key=_sort_key).key

    def merge(self, a: str, b: str, reason: str) -> list[str]:
        """Record that person ``a`` is ``b`` (``a`` merged into ``b``, whose name is kept) and re-resolve;
        returns the ids of the documents rewritten.  The decision names records (document, name), so it
        survives re-ingest and re-resolution."""
        return self.decide("merge", a, b, reason)

    def reject(self, a: str, b: str, reason: str) -> list[str]:
        """Record that ``a`` and ``b`` are different people: resolution never puts them together again."""
        return self.decide("reject", a, b, reason)

    def decide(self, kind: str, a: str, b: str, reason: str) -> list[str]:
        """Apply one ``merge`` or ``reject`` decision (see :meth:`merge`, :meth:`reject`)."""
        self._record_decision(kind, a, b, reason)
        rewritten = self._flush([])
        self.store.refresh_resolution()
        return rewritten

    def _record_decision(self, kind: str, a: str, b: str, reason: str) -> None:
        from guanxi.graph.store import record_literal

        if kind not in ("merge", "reject"):
            raise GuanxiError(f"unknown decision {kind!r}: merge, reject or unmerge")
        if not reason or not reason.strip():
            raise GuanxiError(f"a {kind} needs a reason")
        source, target = self.person(a), self.person(b)
        if source == target:
            what = "merge it into itself" if kind == "merge" else "reject a person as different from itself"
            raise GuanxiError(f"{iri.readable(source)} and {iri.readable(target)} are one node: cannot {what}")
        from_rec, into_rec = self._record_of(source), self._record_of(target)
        if from_rec == into_rec:
            raise GuanxiError(f"{iri.readable(source)} and {iri.readable(target)} stand for the same record")
        # one decision per pair of records: a new one replaces what was decided before
        self.store.remove_manual(self.store.manual_links_between(from_rec, into_rec))
        link = iri.mint("resolution", kind, from_rec[0], from_rec[1], into_rec[0], into_rec[1], slug=f"{kind}-{from_rec[1]}")
        documents = sorted({d for d, _ in self.store.index.records_of(source)} | {from_rec[0], into_rec[0]})
        self.store.add_manual([
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, DCTERMS.type, ox.Literal(kind)),
            _t(link, GX.mergedFrom, source),
            _t(link, GX.mergedInto, target),
            _t(link, GX.fromRecord, record_literal(from_rec)),
            _t(link, GX.intoRecord, record_literal(into_rec)),
            _t(link, GX.reason, ox.Literal(reason.strip())),
            _t(link, GX.decidedBy, ox.Literal("user")),
            *[_t(link, GX.evidence, iri.document_iri(d)) for d in documents],
        ])
        self.store.index.mark_dirty({from_rec[1], into_rec[1]})

    def unmerge(self, person: str, document: str, reason: str | None = None) -> str:
        """Record that in ``document`` the name of ``person`` is someone else (a node of its own), re-resolve,
        and return the new node's IRI."""
        from guanxi.graph.store import record_literal

        node = self.person(person)
        keys = [k for k in self.store.index.records_of(node) if k[0] == document]
        if not keys:
            raise NotFoundError(f"{iri.readable(node)} is not named in document {document}")
        key = keys[0]
        isolated = resolution.document_local_iri(key[1], document)
        if isolated == node:
            raise GuanxiError(f"{iri.readable(node)} is already a node of its own in document {document}")
        link = iri.resolution_iri(node, isolated)
        self.store.add_manual([
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, DCTERMS.type, ox.Literal("unmerge")),
            _t(link, DCTERMS.identifier, ox.Literal(document)),
            _t(link, GX.mergedFrom, node),
            _t(link, GX.mergedInto, isolated),
            _t(link, GX.fromRecord, record_literal(key)),
            _t(link, GX.reason, ox.Literal((reason or f"{key[1]} in document {document} is not {iri.readable(node)}").strip())),
            _t(link, GX.decidedBy, ox.Literal("user")),
            _t(link, GX.evidence, iri.document_iri(document)),
            _t(link, PROV.wasDerivedFrom, iri.document_iri(document)),
        ])
        self.store.index.mark_dirty({key[1]})
        self._flush([])
        self.store.refresh_resolution()
        return isolated

    def apply_decisions(self, path: str | os.PathLike[str]) -> "DecisionsReport":
        """Apply a CSV of decisions (``decision,a,b,reason``: merge / reject with two people, unmerge with a
        person and a document id), all checked before any is recorded; then re-resolve once."""
        rows = read_decisions(path)
        for row in rows:  # check every reference first: a bad line changes nothing
            try:
                self.person(row.a)
                if row.decision != "unmerge":
                    self.person(row.b)
            except GuanxiError as exc:
                raise GuanxiError(f"{path}, line {row.line}: {exc}") from None
        report = DecisionsReport()
        for row in rows:
            try:
                if row.decision == "unmerge":
                    self.unmerge(row.a, row.b, row.reason or None)
                else:
                    self._record_decision(row.decision, row.a, row.b, row.reason)
            except GuanxiError as exc:
                raise GuanxiError(f"{path}, line {row.line}: {exc}") from None
            report.applied.append(row)
        report.rewritten = self._flush([])
        self.store.refresh_resolution()
        return report

    def candidates(self, name: str | None = None, min_score: float | None = None,
                   limit: int | None = None) -> list[Any]:
        """The review queue: pairs of people with one name that resolution kept apart, most mentions first,
        with their best score and what it rests on (:class:`guanxi.graph.resolution.Candidate`)."""
        from guanxi.graph.resolution import load_model, resolve

        decisions = self.store.decisions()
        names = [name] if name else self.store.index.ambiguous_names()
        out: list[Any] = []
        done: set[str] = set()
        for n in names:
            if n in done:
                continue
            block = decisions.linked_names({n})
            done |= block
            result = resolve(self.store.index.records(block), decisions.for_names(block), load_model(),
                             with_candidates=True, min_score=min_score)
            out += result.candidates
        out.sort(key=lambda c: (-c.mentions, -c.score, c.a.iri, c.b.iri))
        return out[:limit] if limit else out


@dataclass
class ResolutionPlan:
    """What resolving the dirty names decided, before it is written (see :meth:`Guanxi._flush`)."""

    names: set[str] = field(default_factory=set)
    assignment: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    assignment_changes: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)
    changed_documents: set[str] = field(default_factory=set)
    link_changes: dict[str, tuple[str, str, str, str, Any] | None] = field(default_factory=dict)
    removed_links: list[str] = field(default_factory=list)
    added_triples: list[Any] = field(default_factory=list)
    _by_doc: dict[str, dict[str, tuple[str, str]]] | None = None

    def assignment_in(self, doc_id: str) -> dict[str, tuple[str, str]]:
        if self._by_doc is None:
            self._by_doc = {}
            for (d, name), value in self.assignment.items():
                self._by_doc.setdefault(d, {})[name] = value
        return self._by_doc.get(doc_id, {})


@dataclass
class DecisionRow:
    line: int
    decision: str
    a: str
    b: str
    reason: str


@dataclass
class DecisionsReport:
    applied: list[DecisionRow] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)


DECISION_COLUMNS = ("decision", "a", "b", "reason")


def read_decisions(path: str | os.PathLike[str]) -> list[DecisionRow]:
    """Rows of a decisions CSV (header ``decision,a,b,reason``); a :class:`GuanxiError` naming the file, the
    line and the problem for anything malformed."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
    except OSError as exc:
        raise GuanxiError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise GuanxiError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        raise GuanxiError(f"{path}: not valid CSV: {exc}") from None
    if not lines:
        raise GuanxiError(f"{path}: empty; expected a header line {','.join(DECISION_COLUMNS)}")
    header = [h.strip().lower() for h in lines[0]]
    if header[:3] != list(DECISION_COLUMNS[:3]):
        raise GuanxiError(f"{path}, line 1: the header must be {','.join(DECISION_COLUMNS)}, got {','.join(lines[0])}")
    rows: list[DecisionRow] = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < 3 or len(cells) > 4:
            raise GuanxiError(f"{path}, line {number}: expected {len(DECISION_COLUMNS)} columns "
                              f"({','.join(DECISION_COLUMNS)}), got {len(cells)}")
        decision, a, b = (c.strip() for c in cells[:3])
        reason = cells[3].strip() if len(cells) > 3 else ""
        if decision not in ("merge", "reject", "unmerge"):
            raise GuanxiError(f"{path}, line {number}: unknown decision {decision!r} (merge, reject or unmerge)")
        if not a or not b:
            raise GuanxiError(f"{path}, line {number}: {'a' if not a else 'b'} is empty")
        if decision != "unmerge" and not reason:
            raise GuanxiError(f"{path}, line {number}: a {decision} needs a reason")
        rows.append(DecisionRow(number, decision, a, b, reason))
    return rows


def _digest(triples: Iterable[Any]) -> str:
    h = hashlib.sha256()
    for line in sorted(str(t) for t in triples):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


def _origin(record: Any) -> str:
    """An input as the user would name it: the file, and the record in it."""
    if record.path == "-":
        return "standard input" + ("" if record.record is None else f" record {record.record}")
    return record.path + ("" if record.record is None else f" record {record.record}")


def _collision_reason(doc_id: str, first: str) -> str:
    return (f"document id {doc_id} is already that of {first} (earlier in this ingest) and the texts differ; not "
            "stored, so that neither replaces the other. Ingest them from their common folder (ids are paths "
            "relative to the folder given: a/report, b/report) or map an id field (--id-field)")


def _still_another_file(stored: str | None, record: Any) -> str | None:
    """The stored document's source file, when it still exists and is not the file now read (so the two are
    different documents that got the same id, not one document that changed); else None."""
    if not stored or record.path == "-":
        return None
    stored_file = re.sub(r"#\d+$", "", stored)
    try:
        if os.path.samefile(stored_file, record.path):
            return None
    except OSError:  # the stored path is gone (moved, renamed) or unreadable: a changed document
        return None
    return stored


def _ready(payload: Any) -> bool:
    return not hasattr(payload, "done") or payload.done()


def _term(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float)):
        return ox.Literal(value)
    return ox.Literal(str(value))
