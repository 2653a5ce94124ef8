"""The incremental sync against the real Neo4j: after adding, changing or removing one document (or a decision), the
database holds exactly what a full sync of the store from scratch writes — same node and relationship counts, same
content hash — and the sync projected, compared and wrote only what the change touched."""
from __future__ import annotations

from pathlib import Path

import pytest

from guanxi.api import Guanxi
from guanxi.graph import neo4j_sync as ns
from guanxi.graph.projection import predict_counts, project

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(FIXTURES.joinpath("seeds").glob("*.txt"))
KG = sorted(FIXTURES.joinpath("kg").glob("*.txt"))
OUTLINE, REPORT = SEEDS


@pytest.fixture
def db(neo4j_server):
    with neo4j_server.driver(notifications_min_severity="OFF") as driver:
        ns.wipe(driver, neo4j_server.database)
        yield driver


def copies(tmp_path: Path, n: int) -> list[Path]:
    """More documents (the fixtures under other names, with a line of their own), so that one document is a small
    part of the store."""
    out = []
    for i in range(n):
        for p in SEEDS + KG:
            path = tmp_path / "copies" / f"c{i}-{p.name}"
            path.parent.mkdir(exist_ok=True)
            path.write_text(p.read_text(encoding="utf-8") + f"\n附：第{i}稿。\n", encoding="utf-8")
            out.append(path)
    return out


def from_scratch(g: Guanxi, driver, database) -> dict:
    """The content of a database synced from an empty one with a projection of the whole store (no cache)."""
    ns.wipe(driver, database)
    report = ns.sync(g.store, driver, database, use_cache=False)
    assert report.mode == "into an empty database"
    return ns.content_fingerprint(driver, database)


def test_incremental_sync_equals_a_full_sync_from_scratch(tmp_path, db, neo4j_server):
    database = neo4j_server.database
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(p) for p in SEEDS + KG[:2] + copies(tmp_path, 2)])
        first = ns.sync(g.store, db, database)
        assert first.mode == "into an empty database"
        total = len(project(g.store))
        changed = tmp_path / "changed" / REPORT.name
        changed.parent.mkdir()
        text = REPORT.read_text(encoding="utf-8")
        changed.write_text(text[: text.index("胡国辉在主持会议时指出")] + "\n", encoding="utf-8")
        steps = [
            ("add a document", lambda: g.ingest([str(KG[2])])),
            ("change a document", lambda: g.ingest([str(changed)])),
            ("remove a document", lambda: g.remove(OUTLINE.stem)),
            ("unmerge", lambda: g.unmerge("张古江", REPORT.stem)),
        ]
        for what, change in steps:
            change()
            report = ns.sync(g.store, db, database)
            assert report.mode == "incremental", what
            assert report.projection["mode"] == "incremental" and report.projection["graphs"] == 1, what
            # it projected, compared and wrote a fraction of the graph
            assert 0 < report.written <= report.projection["changed"] < total / 4, (what, report.to_json())
            assert report.compared <= report.projection["changed"], what
            incremental = ns.content_fingerprint(db, database)
            nodes, rels = predict_counts(g.store)
            assert (incremental["nodes"], incremental["relationships"]) == (nodes["Entity"], sum(rels.values()))
            assert incremental == from_scratch(g, db, database), what
            # back to a database synced through the cache, for the next step
            ns.wipe(db, database)
            ns.sync(g.store, db, database)
            assert ns.sync(g.store, db, database).up_to_date


def test_an_interrupted_incremental_sync_is_completed(tmp_path, db, neo4j_server):
    database = neo4j_server.database
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(p) for p in SEEDS + KG])
        ns.sync(g.store, db, database)
        g.remove(KG[0].stem)
        g.ingest([str(KG[0])])  # the same document back: nothing to write
        assert ns.sync(g.store, db, database).written == 0
        g.remove(KG[1].stem)

        def fail(batches: int) -> None:
            raise ns.SyncInterrupted("simulated failure after the first batch")

        with pytest.raises(ns.SyncInterrupted):
            ns.sync(g.store, db, database, batch_size=3, after_batch=fail)
        assert ns.read_state(db, database) is None
        resumed = ns.sync(g.store, db, database, batch_size=3)
        assert resumed.mode == "incremental" and resumed.written > 0
        done = ns.content_fingerprint(db, database)
        assert done == from_scratch(g, db, database)


def test_a_sync_of_another_store_compares_everything(tmp_path, db, neo4j_server):
    database = neo4j_server.database
    with Guanxi(tmp_path / "a") as a, Guanxi(tmp_path / "b") as b:
        a.ingest([str(p) for p in SEEDS])
        b.ingest([str(p) for p in SEEDS + KG[:1]])
        ns.sync(a.store, db, database)
        report = ns.sync(b.store, db, database)
        assert report.mode == "full comparison"
        assert report.nodes.unchanged > 0 and report.nodes.created > 0
        assert ns.content_fingerprint(db, database) == from_scratch(b, db, database)
