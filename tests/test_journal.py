"""The store's change journal (GraphStore.change_token / changes_since): every write says which graphs it touched."""
from __future__ import annotations

from pathlib import Path

import pytest

from guanxi.api import Guanxi
from guanxi.graph import store as store_module
from guanxi.ontology import iri

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
OUTLINE = SEEDS / "000_3b541c3cffdbfa2f.txt"
REPORT = SEEDS / "002_a9ec4e6a3a1afbe8.txt"


def _graphs(entries):
    return {g for g, s in entries if not s}


def test_writes_are_journaled(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        start = g.store.change_token()
        assert g.store.changes_since(start) == []
        g.ingest([str(OUTLINE), str(REPORT)])
        after_ingest = g.store.change_token()
        entries = g.store.changes_since(start)
        assert _graphs(entries) == {iri.graph_iri(OUTLINE.stem), iri.graph_iri(REPORT.stem)}
        # the resolution facts recomputed for the people and tenures of the new documents, by subject
        resolved = {s for gr, s in entries if gr == iri.RESOLUTION_GRAPH}
        assert resolved and all(s.startswith(iri.ID_BASE) for s in resolved)

        g.ingest([str(OUTLINE), str(REPORT)])      # unchanged documents are not written
        assert g.store.change_token() == after_ingest and g.store.changes_since(after_ingest) == []

        g.remove(OUTLINE.stem)
        assert _graphs(g.store.changes_since(after_ingest)) == {iri.graph_iri(OUTLINE.stem)}
        after_remove = g.store.change_token()

        g.unmerge("张古江", REPORT.stem)            # a decision and the re-emitted document
        entries = g.store.changes_since(after_remove)
        assert _graphs(entries) == {iri.graph_iri(REPORT.stem)}
        assert any(gr == iri.MANUAL_GRAPH for gr, _ in entries)
        # everything since the first token, in order, is the concatenation
        assert g.store.changes_since(start)[: len(g.store.changes_since(start)) - len(entries)] + entries == \
            g.store.changes_since(start)


def test_journal_is_bookkeeping_not_data(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(REPORT)])
        graphs = {q.graph_name.value for q in g.store.quads()}
        assert store_module.JOURNAL_GRAPH not in graphs
        assert g.store.data_quads() == sum(1 for _ in g.store.quads())
        assert store_module.JOURNAL_GRAPH.encode() not in g.store.canonical_nquads()


def test_a_token_the_journal_cannot_answer(tmp_path, monkeypatch):
    with Guanxi(tmp_path / "a") as a, Guanxi(tmp_path / "b") as b:
        a.ingest([str(REPORT)])
        b.ingest([str(REPORT)])
        token_a = a.store.change_token()
        assert b.store.changes_since(token_a) is None          # another store's token
        assert a.store.changes_since("not a token") is None
        assert a.store.changes_since(token_a.split(":")[0] + ":999999") is None   # from the future

    # old entries are pruned: a consumer further behind is told so, not given a partial answer
    monkeypatch.setattr(store_module, "JOURNAL_BUCKET", 2)
    monkeypatch.setattr(store_module, "JOURNAL_KEEP", 2)
    with Guanxi(tmp_path / "c") as c:
        c.ingest([str(REPORT)])
        early = c.store.change_token()
        for name in ("x", "y", "z", "w"):
            text = REPORT.read_text(encoding="utf-8")
            path = tmp_path / f"{name}.txt"
            path.write_text(text + f"\n{name}\n", encoding="utf-8")
            c.ingest([str(path)])
        assert c.store.changes_since(early) is None
        recent = c.store.change_token()
        assert c.store.changes_since(recent) == []


def test_journal_survives_reopening(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(REPORT)])
        token = g.store.change_token()
    with Guanxi(tmp_path / "s") as g:
        assert g.store.change_token() == token
        g.ingest([str(OUTLINE)])
        assert _graphs(g.store.changes_since(token)) == {iri.graph_iri(OUTLINE.stem)}


def test_a_write_is_numbered_and_read_on_its_own_and_an_older_store_reads_the_same(tmp_path, monkeypatch):
    """A write numbers itself beside its entries, and its entries have a node of their own, so neither the
    journal's position nor the changes since a recent token need every entry of the bucket; a store written
    before (entries on the bucket's node, no numbers) answers the same; pruned buckets take both with them."""
    import pyoxigraph as ox

    monkeypatch.setattr(store_module, "JOURNAL_BUCKET", 2)
    monkeypatch.setattr(store_module, "JOURNAL_KEEP", 4)
    with Guanxi(tmp_path / "s") as g:
        tokens = []
        for name in ("x", "y", "z", "w", "v"):
            path = tmp_path / f"{name}.txt"
            path.write_text(REPORT.read_text(encoding="utf-8") + f"\n{name}\n", encoding="utf-8")
            g.ingest([str(path)])
            tokens.append(g.store.change_token())
        token = g.store.change_token()
        assert int(token.rsplit(":", 1)[1]) >= 5
        answers = [g.store.changes_since(t) for t in tokens]
        assert answers[-1] == [] and answers[-2] and answers[0] is None   # the first is older than what is kept
        assert len(answers[-3]) > len(answers[-2])   # two writes' entries, then one's
        graph = ox.NamedNode(store_module.JOURNAL_GRAPH)
        journal = list(g.store.store.quads_for_pattern(None, None, None, graph))
        kept = {int(q.subject.value.rsplit("/", 2)[1]) for q in journal if q.predicate.value in
                (store_module.JOURNAL_NUMBER, store_module.JOURNAL_ENTRY)}
        assert len(kept) <= store_module.JOURNAL_KEEP   # the pruned buckets' entries and numbers went with them
        # as a store written before: the entries on their bucket's node, no numbers
        for q in journal:
            if q.predicate.value == store_module.JOURNAL_NUMBER:
                g.store.store.remove(q)
            elif q.predicate.value == store_module.JOURNAL_ENTRY:
                g.store.store.remove(q)
                bucket = ox.NamedNode(q.subject.value.rsplit("/", 1)[0])
                g.store.store.add(ox.Quad(bucket, q.predicate, q.object, graph))
        assert g.store.change_token() == token
        assert [g.store.changes_since(t) for t in tokens] == answers
