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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pyoxigraph as ox

from guanxi.graph import resolution
from guanxi.graph.store import DEFAULT_STORE, GraphStore
from guanxi.ontology import iri
from guanxi.ontology.vocab import DCTERMS, GX, PREFIXES, PROV, RDF

ENV_STORE = "GUANXI_STORE"
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
        }


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Any]  # graph.validation.Violation: focus, path, message, severity
    triples: int


# ---- extraction in worker processes ------------------------------------------------------------------

def _work(record: Any, decisions_json: dict) -> tuple[str, Any, Any, Any] | tuple[str, Any, Any, Any, Any]:
    """Extract and emit one record (runs in a worker process): ('ok', doc_id, n-triples, cache payload)
    or ('error', file, record, reason, line).  Everything returned is plain bytes/str: picklable."""
    from guanxi.graph.store import FactsCache
    from guanxi.loaders.emit import emit
    from guanxi.loaders.model import GuanxiInputError
    from guanxi.loaders.pipeline import process_record

    try:
        doc = process_record(record)
        emission = emit(doc.facts, doc.text, resolution.Decisions.from_json(decisions_json))
        return ("ok", emission.doc_id, emission.to_ntriples(), FactsCache.pack(doc.facts, doc.text))
    except GuanxiInputError as exc:
        return ("error", exc.path, exc.record, exc.reason, exc.line if exc.line is not None else record.meta.get("line"))
    except Exception as exc:  # a bug in one document must not stop the batch: report it as its failure
        return ("error", record.path, record.record, f"extraction failed: {type(exc).__name__}: {exc}",
                record.meta.get("line"))


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
               progress: ProgressCallback | None = None, limit: int | None = None) -> IngestReport:
        """Extract documents and put each one's graph in the store: new documents are added, changed ones
        replaced, unchanged ones (same source text and extractor version) skipped.  With ``workers`` > 1
        extraction runs in that many processes; writes stay in this process, in input order.  ``limit``:
        only the first N input records."""
        started = time.perf_counter()
        report = IngestReport()
        decisions = self.store.decisions().to_json()
        notify = progress or (lambda event, what: None)
        window: deque[tuple[str, Any]] = deque()
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_spawn()) if workers > 1 else None
        try:
            for kind, payload in itertools.islice(self._plan(paths, options, report), limit):
                if kind == "work":
                    payload = pool.submit(_work, payload, decisions) if pool else _work(payload, decisions)
                window.append((kind, payload))
                # write finished results in input order; keep a bounded number in flight
                while window and (len(window) > 4 * max(workers, 1) or _ready(window[0][1])):
                    self._settle(*window.popleft(), report, notify)
            while window:
                self._settle(*window.popleft(), report, notify)
        except BaseException:
            if pool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            raise
        finally:
            if pool:
                pool.shutdown()
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

    def _settle(self, kind: str, payload: Any, report: IngestReport, notify: ProgressCallback) -> None:
        if kind == "unchanged":
            report.unchanged.append(payload)
            notify("unchanged", payload)
            return
        if kind == "failed":
            report.failed.append(payload)
            notify("failed", payload.file)
            return
        result = payload.result() if isinstance(payload, Future) else payload
        if result[0] == "error":
            failure = Failure(result[1], result[2], result[3], result[4])
            report.failed.append(failure)
            notify("failed", failure.file)
            return
        _, doc_id, ntriples, cached = result
        status = "changed" if self.store.document_state(doc_id) is not None else "new"
        self.store.cache.put(doc_id, cached)  # before the commit: a committed document is always re-emittable
        self.store.replace_document(doc_id, _parse_ntriples(ntriples))
        (report.changed if status == "changed" else report.new).append(doc_id)
        notify(status, doc_id)

    # ---- remove ----------------------------------------------------------------------------------------

    def remove(self, doc_id: str) -> bool:
        """Drop a document's graph; people only it mentioned disappear, others keep their other facts."""
        removed = self.store.remove_document(doc_id)
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

    # ---- manual resolution -----------------------------------------------------------------------------

    def person(self, ref: str) -> str:
        """A person IRI from an IRI or an unambiguous name."""
        if ref.startswith(iri.ID_BASE):
            if self.store.person_name(ref) is None:
                raise NotFoundError(f"no person {ref} in the store")
            return ref
        found = self.store.persons_named(ref)
        if not found:
            raise NotFoundError(f"no person named {ref} in the store")
        if len(found) > 1:
            raise AmbiguousError(f"{ref} is ambiguous: {len(found)} people have that name; give an IRI:\n  "
                              + "\n  ".join(found))
        return found[0]

    def merge(self, a: str, b: str, reason: str) -> list[str]:
        """Record that person ``a`` is ``b`` (``a`` merged into ``b``) and re-emit the documents naming
        ``a``; returns their ids.  Survives re-ingest: emission consults the manual graph."""
        if not reason or not reason.strip():
            raise GuanxiError("a merge needs a reason")
        source, target = self.person(a), self.person(b)
        decisions = self.store.decisions()
        if source == target or decisions.follow(target) == source:
            raise GuanxiError(f"cannot merge {iri.readable(source)} into {iri.readable(target)}: that would merge it into itself")
        documents = self.store.documents_of_person(source)
        link = iri.resolution_iri(source, target)
        self.store.add_manual([
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, DCTERMS.type, ox.Literal("merge")),
            _t(link, GX.mergedFrom, source),
            _t(link, GX.mergedInto, target),
            _t(link, GX.reason, ox.Literal(reason.strip())),
            _t(link, GX.decidedBy, ox.Literal("user")),
            # the target's name, so that a differently written source name becomes an alias of it
            _t(target, GX.name, ox.Literal(self.store.person_name(target) or "")),
            *[_t(link, GX.evidence, iri.document_iri(d)) for d in documents],
        ])
        self._reemit(documents)
        return documents

    def unmerge(self, person: str, document: str, reason: str | None = None) -> str:
        """Record that in ``document`` the name of ``person`` is someone else (an isolated node), re-emit
        that document, and return the new node's IRI."""
        node = self.person(person)
        if document not in self.store.documents_of_person(node):
            raise NotFoundError(f"{iri.readable(node)} is not named in document {document}")
        name = self.store.person_name(node) or ""
        isolated = iri.person_iri(name, resolution.isolated_key(document))
        if isolated == node:
            raise GuanxiError(f"{iri.readable(node)} is already isolated in document {document}")
        link = iri.resolution_iri(node, isolated)
        self.store.add_manual([
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, DCTERMS.type, ox.Literal("unmerge")),
            _t(link, DCTERMS.identifier, ox.Literal(document)),
            _t(link, GX.mergedFrom, node),
            _t(link, GX.mergedInto, isolated),
            _t(link, GX.reason, ox.Literal((reason or f"{name} in document {document} is not {iri.readable(node)}").strip())),
            _t(link, GX.decidedBy, ox.Literal("user")),
            _t(link, GX.evidence, iri.document_iri(document)),
            _t(link, PROV.wasDerivedFrom, iri.document_iri(document)),
        ])
        self._reemit([document])
        return isolated

    def _reemit(self, documents: list[str]) -> None:
        from guanxi.loaders.emit import emit

        decisions = self.store.decisions()
        missing = []
        for doc_id in documents:
            cached = self.store.cache.get(doc_id)
            if cached is None:
                missing.append(doc_id)
                continue
            facts, text = cached
            self.store.replace_document(doc_id, emit(facts, text, decisions).triples)
        self.store.refresh_resolution()
        if missing:
            raise IncompleteError("decision recorded, but these documents have no cached facts; ingest them again "
                              "to apply it: " + ", ".join(missing))


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
    return not isinstance(payload, Future) or payload.done()


def _spawn():
    # a fresh interpreter per worker: forking a process that holds RocksDB's threads and locks is unsafe
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _term(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float)):
        return ox.Literal(value)
    return ox.Literal(str(value))
