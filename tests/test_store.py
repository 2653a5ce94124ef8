"""The pyoxigraph store: transactions it relies on, atomic document replacement, crash recovery, validation."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from guanxi.api import Guanxi
from guanxi.graph import store as gstore
from guanxi.graph.store import GraphStore, StoreBusyError
from guanxi.loaders.emit import emit
from guanxi.loaders.pipeline import extract_paths
from guanxi.ontology import iri
from guanxi.ontology.vocab import GX, OA, XSD, validate

KG = Path(__file__).parent / "fixtures" / "kg"


def emitted(name: str):
    [doc] = list(extract_paths([str(KG / name)]))
    return doc, emit(doc.facts, doc.text)


def test_pyoxigraph_runs_a_multi_operation_update_in_one_transaction():
    """The assumption COMMIT_DOCUMENT rests on: a failing operation rolls back the earlier ones."""
    s = ox.Store()
    with pytest.raises(Exception, match="does not exist"):
        s.update("INSERT DATA { GRAPH <http://g/a> { <http://x> <http://p> 1 } } ; MOVE GRAPH <http://g/missing> TO <http://g/b>")
    assert len(s) == 0
    s.update("INSERT DATA { GRAPH <http://g/a> { <http://x> <http://p> 1 } } ; MOVE GRAPH <http://g/a> TO <http://g/b>")
    assert [q.graph_name.value for q in s] == ["http://g/b"]


def test_ontology_loaded_once_and_not_exported(tmp_path):
    with GraphStore(tmp_path / "s") as s:
        assert s.store.contains_named_graph(ox.NamedNode(iri.ONTOLOGY_GRAPH))
        n = len(s.store)
        assert n > 500
        assert s.canonical_nquads() == b""
    with GraphStore(tmp_path / "s") as s:
        assert len(s.store) == n


def test_second_writer_is_refused(tmp_path):
    with GraphStore(tmp_path / "s"):
        with pytest.raises(StoreBusyError):
            GraphStore(tmp_path / "s")


def test_replace_is_exact_and_other_graphs_untouched(tmp_path):
    _, a = emitted("tangshan_a.txt")
    _, b = emitted("tangshan_b.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        s.replace_document("tangshan_b", b.triples)
        graph_b = sorted(str(q) for q in s.store.quads_for_pattern(None, None, None, ox.NamedNode(b.graph)))
        # replace a with a subset: exactly the new triples remain
        subset = a.triples[: len(a.triples) // 2]
        s.replace_document("tangshan_a", subset)
        in_a = {ox.Triple(q.subject, q.predicate, q.object) for q in s.store.quads_for_pattern(None, None, None, ox.NamedNode(a.graph))}
        assert in_a == set(subset)
        assert sorted(str(q) for q in s.store.quads_for_pattern(None, None, None, ox.NamedNode(b.graph))) == graph_b
        # staging is empty after a commit
        for g in gstore.INTERNAL_GRAPHS[:3]:
            assert not list(s.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))


def test_kill_between_staging_and_commit_leaves_the_old_version(tmp_path):
    _, a = emitted("tangshan_a.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        before = s.canonical_nquads()
        # what replace_document does before its commit, then "crash" (no COMMIT_DOCUMENT)
        stage = ox.NamedNode(gstore.STAGE_DATA)
        s.store.extend([ox.Quad(t.subject, t.predicate, t.object, stage) for t in a.triples[:10]]
                       + [ox.Quad(ox.NamedNode(gstore.JOB), ox.NamedNode(gstore.TARGET), ox.NamedNode(a.graph),
                                  ox.NamedNode(gstore.STAGE_CONTROL))])
    with GraphStore(tmp_path / "s") as s:  # reopening discards the staged, uncommitted version
        assert s.canonical_nquads() == before
        assert not list(s.store.quads_for_pattern(None, None, None, ox.NamedNode(gstore.STAGE_DATA)))


def test_pending_resolution_survives_a_kill(tmp_path):
    _, a = emitted("tangshan_a.txt")
    _, b = emitted("tangshan_b.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        s.replace_document("tangshan_b", b.triples)
        assert s.pending() > 0
        # "killed" before refresh_resolution
    with GraphStore(tmp_path / "s") as s:
        assert s.pending() > 0
        s.refresh_resolution()
        assert s.pending() == 0
        interrupted = s.canonical_nquads()
    with GraphStore(tmp_path / "fresh") as s:
        s.replace_document("tangshan_b", b.triples)
        s.refresh_resolution()
        s.replace_document("tangshan_a", a.triples)
        s.refresh_resolution()
        assert s.canonical_nquads() == interrupted
    assert b"firstAttested" in interrupted  # (rule links come from corpus resolution: tests/test_resolution.py)


def test_remove_document(tmp_path):
    _, a = emitted("tangshan_a.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        s.refresh_resolution()
        assert s.document_state("tangshan_a") is not None
        assert s.remove_document("tangshan_a")
        s.refresh_resolution()
        assert s.document_state("tangshan_a") is None
        assert s.canonical_nquads() == b""
        assert not s.remove_document("tangshan_a")


def _pairs(violations) -> set[tuple[str, str]]:
    return {(v.focus, v.message) for v in violations}


def test_validation_matches_vocab_validate(tmp_path):
    """graph/validation.py runs the sh:sparql constraints on pyoxigraph: same findings as vocab.validate()."""
    with Guanxi(tmp_path / "kg") as gx:
        assert gx.ingest([str(KG / "baoding.txt")]).ok
        assert gx.validate().conforms
        raw = gx.store.store
        g = ox.NamedNode(iri.graph_iri("baoding"))

        class Both:
            """Corrupt the document graph and the default graph (the union queries read) alike."""

            quads_for_pattern = staticmethod(raw.quads_for_pattern)

            @staticmethod
            def add(q):
                raw.add(q)
                raw.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))

            @staticmethod
            def remove(q):
                raw.remove(q)
                raw.remove(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))

        s = Both
        # break one mention's quote, one tenure's organization, one directive's parent (a cycle), one name
        quote = next(q for q in s.quads_for_pattern(None, ox.NamedNode(OA.exact), None, g))
        s.remove(quote)
        s.add(ox.Quad(quote.subject, quote.predicate, ox.Literal(quote.object.value + "多"), g))
        tenure = next(q for q in s.quads_for_pattern(None, ox.NamedNode(GX.organization), None, g))
        other_org = next(q.subject for q in s.quads_for_pattern(None, ox.NamedNode(GX.name), ox.Literal("保定日报"), g))
        s.remove(tenure)
        s.add(ox.Quad(tenure.subject, tenure.predicate, other_org, g))
        directive = next(q.subject for q in s.quads_for_pattern(None, ox.NamedNode(GX.text), None, g))
        s.add(ox.Quad(directive, ox.NamedNode(GX.parentDirective), directive, g))
        person = next(q for q in s.quads_for_pattern(None, ox.NamedNode(GX.name), ox.Literal("周平"), g))
        s.add(ox.Quad(person.subject, person.predicate, ox.Literal("周平平"), g))

        report = gx.validate()
        union = rdflib.Graph()
        for q in gx.store.quads():
            union.parse(data=str(ox.Triple(q.subject, q.predicate, q.object)) + " .\n", format="nt")
        conforms, results, _ = validate(union)
    assert not conforms and not report.conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    expected = {(str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultMessage)))
                for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)}
    assert _pairs(report.violations) == expected
    messages = " ".join(m for _, m in expected)
    for needle in ("does not fit the span", "is not the gx:postIn", "own ancestor", "exactly one gx:name"):
        assert needle in messages


def test_rdflib_graph_equals_the_n_triples_route(tmp_path):
    from guanxi.graph.validation import rdflib_graph

    _, a = emitted("tangshan_a.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        quads = list(s.quads())
    extra = [ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), o, ox.DefaultGraph()) for o in (
        ox.Literal("plain"), ox.Literal("tagged", language="zh-Hans"), ox.Literal("2020-09-07", datatype=ox.NamedNode(XSD.date)),
        ox.Literal("7", datatype=ox.NamedNode(XSD.integer)), ox.Literal("bad", datatype=ox.NamedNode(XSD.integer)))]
    direct = rdflib_graph(quads + extra)
    parsed = rdflib.Graph()
    for q in quads + extra:
        parsed.parse(data=str(ox.Triple(q.subject, q.predicate, q.object)) + " .\n", format="nt")
    assert len(direct) == len(parsed) > 100
    assert set(direct) == set(parsed)

def test_staging_left_by_a_crash_is_cleared_on_open(tmp_path):
    """A kill between staging a replacement and committing it: the next open drops the staged graphs and
    the control graph; the document keeps its committed version and the union stays exact."""
    _, a = emitted("tangshan_a.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        before = sorted(map(str, s.quads()))
        stage = ox.NamedNode(gstore.STAGE_PREFIX + "deadbeef/data")
        control = ox.NamedNode(gstore.STAGE_CONTROL)
        s.store.extend([ox.Quad(t.subject, t.predicate, t.object, stage) for t in a.triples[:10]] + [
            ox.Quad(ox.NamedNode(gstore.JOB), ox.NamedNode(gstore.TARGET), ox.NamedNode(iri.graph_iri("tangshan_a")), control),
            ox.Quad(ox.NamedNode(gstore.JOB), ox.NamedNode(gstore.STAGED), stage, control)])
    with GraphStore(tmp_path / "s") as s:
        names = {g.value for g in s.store.named_graphs() if isinstance(g, ox.NamedNode)}
        assert not any(n.startswith(gstore.STAGE_PREFIX) for n in names) and gstore.STAGE_CONTROL not in names
        assert sorted(map(str, s.quads())) == before
        _union_invariant(s)
        # and replacements still work after it, leaving no staging graph behind
        s.replace_document("tangshan_a", a.triples[:-5])
        names = {g.value for g in s.store.named_graphs() if isinstance(g, ox.NamedNode)}
        assert not any(n.startswith(gstore.STAGE_PREFIX) for n in names)
        _union_invariant(s)

def _union_invariant(s: GraphStore) -> None:
    named = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in s.quads(include_ontology=True)}
    default = {str(ox.Triple(q.subject, q.predicate, q.object))
               for q in s.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == named


def test_default_graph_is_the_set_union(tmp_path):
    """Queries read the default graph: the union of the graphs as a set, kept exact by every write."""
    _, a = emitted("tangshan_a.txt")
    _, b = emitted("tangshan_b.txt")
    with GraphStore(tmp_path / "s") as s:
        _union_invariant(s)
        s.replace_document("tangshan_a", a.triples)
        s.replace_document("tangshan_b", b.triples)
        s.refresh_resolution()
        _union_invariant(s)
        # 丁绣峰 is in both documents: one match, not one per graph
        rows = list(s.query("SELECT ?p ?name WHERE { ?p a gx:Person ; gx:name ?name }", {"name": ox.Literal("丁绣峰")}))
        assert len(rows) == 1
        s.replace_document("tangshan_a", a.triples[: len(a.triples) // 3])
        s.refresh_resolution()
        _union_invariant(s)
        s.remove_document("tangshan_b")
        s.refresh_resolution()
        _union_invariant(s)


def test_a_rewrite_writes_only_what_changed_and_leaves_the_exact_new_version(tmp_path):
    """A document rewritten because one person changed identity keeps most of its triples: only the added
    triples are staged and only the gone ones removed, and the graph and the union end exactly right."""
    _, a = emitted("tangshan_a.txt")
    _, b = emitted("tangshan_b.txt")
    with GraphStore(tmp_path / "s") as s:
        s.replace_document("tangshan_a", a.triples)
        s.replace_document("tangshan_b", b.triples)
        person = next(t.subject for t in a.triples
                      if t.predicate.value == gstore.RDF_TYPE and t.object == ox.NamedNode(GX["Person"]))
        renamed = ox.NamedNode(person.value + "-renamed")

        def swap(term):
            return renamed if term == person else term

        rewritten = [ox.Triple(swap(t.subject), t.predicate, swap(t.object)) for t in a.triples]
        changed = set(rewritten) - set(a.triples)
        assert 0 < len(changed) < len(a.triples) // 2
        calls: list[int] = []

        class Spy:
            def __init__(self, inner):
                self.inner = inner

            def __getattr__(self, name):
                return getattr(self.inner, name)

            def extend(self, quads):
                quads = list(quads)
                calls.append(sum(1 for q in quads if q.graph_name.value.endswith("/data")))
                return self.inner.extend(quads)

        s.store = Spy(s.store)
        s.replace_document("tangshan_a", rewritten)
        s.store = s.store.inner
        assert sum(calls) == len(changed)  # the added triples only, not the whole document
        in_a = {ox.Triple(q.subject, q.predicate, q.object)
                for q in s.store.quads_for_pattern(None, None, None, ox.NamedNode(a.graph))}
        assert in_a == set(rewritten)
        _union_invariant(s)
        union = {ox.Triple(q.subject, q.predicate, q.object)
                 for q in s.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        gone = set(a.triples) - set(rewritten)
        assert gone and not (gone - set(b.triples)) & union  # left the union, unless b states them too
        assert gone & set(b.triples) <= union
        for g in s.store.named_graphs():
            assert not g.value.startswith(gstore.STAGE_PREFIX)


def test_the_writer_flushes_every_round_so_a_reader_opened_during_an_ingest_replays_little(tmp_path, monkeypatch):
    """A read-only open replays the write-ahead log written since the writer's last flush into memory (a quarter
    of news unflushed: a gigabyte of log, a reader killed for memory). The writer flushes after every round."""
    import json
    import subprocess
    import sys

    import guanxi.api as api

    monkeypatch.setattr(api, "BATCH", 2)
    flushes: list[int] = []
    original = GraphStore.flush
    monkeypatch.setattr(GraphStore, "flush", lambda self: (flushes.append(1), original(self))[1])
    files = sorted(KG.glob("*.txt"))
    with Guanxi(tmp_path / "s") as g:
        assert g.ingest([str(f) for f in files]).ok
        assert len(flushes) >= (len(files) + 1) // 2           # one per round of two documents
        # the writer still holds the store: a reader opens it and sees every document
        done = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(tmp_path / "s"), "stats", "--format", "json"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["documents"] == len(files)
        # and what it replays is the log since the last round only: compared with a writer that never flushed
        flushed = sum(f.stat().st_size for f in (tmp_path / "s" / "oxigraph").glob("*.log"))
    monkeypatch.setattr(GraphStore, "flush", lambda self: None)
    with Guanxi(tmp_path / "u") as g:
        assert g.ingest([str(f) for f in files]).ok
        unflushed = sum(f.stat().st_size for f in (tmp_path / "u" / "oxigraph").glob("*.log"))
    assert flushed * 3 < unflushed, (flushed, unflushed)


def test_the_bulk_path_for_new_documents_writes_what_the_transactional_path_writes(tmp_path):
    """New documents go to the bulk loader as N-Quads text: literals that need escaping, typed and language
    literals, a Tenure (its pending marker) and an empty document come out as replace_document writes them."""
    tenure = "https://w3id.org/guanxi/id/tenure/t-1"
    odd = ox.Literal('引号"、反斜杠\\、换行\n、回车\r、制表\t、分页\x0c、行分隔\u2028、段分隔\u2029、\x85、\x1c、𠀀 <b>&')
    docs = [("a", [ox.Triple(ox.NamedNode("https://w3id.org/guanxi/id/person/p"), ox.NamedNode(GX.name), odd),
                   ox.Triple(ox.NamedNode(tenure), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode(GX.Tenure)),
                   ox.Triple(ox.NamedNode(tenure), ox.NamedNode(GX.name), ox.Literal("x", language="zh")),
                   ox.Triple(ox.NamedNode(tenure), ox.NamedNode(OA.start), ox.Literal("3", datatype=ox.NamedNode(XSD.integer)))]),
            ("b", []),
            ("c", [ox.Triple(ox.NamedNode("https://w3id.org/guanxi/id/person/q"), ox.NamedNode(GX.name), ox.Literal("乙"))])]

    def written(directory, bulk: bool):
        with GraphStore(directory) as s:
            before = set(s.store)
            if bulk:
                s.add_new_documents(docs)
            else:
                for doc_id, triples in docs:
                    s.replace_document(doc_id, triples)
            return {q for q in s.store if q not in before and "internal/journal" not in str(q.graph_name)}, s.pending()

    bulk, bulk_pending = written(tmp_path / "bulk", True)
    one_by_one, pending = written(tmp_path / "tx", False)
    assert bulk == one_by_one
    assert bulk_pending == pending == 1
    assert ox.Quad(ox.NamedNode("https://w3id.org/guanxi/id/person/p"), ox.NamedNode(GX.name), odd,
                   ox.NamedNode(iri.graph_iri("a"))) in bulk
