"""The projection cache (graph/projection_cache.py): after any change of the store, its incremental update equals a
full projection from scratch, element for element, and it projects again only what the change touches."""
from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from guanxi.api import Guanxi
from guanxi.graph import projection as pg
from guanxi.graph import projection_cache as pc
from guanxi.graph.projection_cache import ProjectionCache

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(FIXTURES.joinpath("seeds").glob("*.txt"))
KG = sorted(FIXTURES.joinpath("kg").glob("*.txt"))
OUTLINE, REPORT = SEEDS


def hashes(graph: pg.PropertyGraph) -> tuple[dict[str, str], dict[str, str]]:
    return ({k: n.hash for k, n in graph.nodes.items()}, {k: r.hash for k, r in graph.relationships.items()})


def assert_equals_full_projection(g: Guanxi, cache: ProjectionCache) -> None:
    full = pg.project(g.store)
    cached = cache.graph()
    assert hashes(cached) == hashes(full)
    assert cache.generation == pg.store_generation(g.store)
    # the footprints recorded incrementally are those a full projection records
    recorded = {}
    for graph, subject in cache.db.execute("SELECT graph, subject FROM footprints"):
        recorded.setdefault(graph, set()).add(subject)
    assert recorded == {k: set(v) for k, v in full.footprints.items() if v}


def variant(tmp_path: Path, source: Path, name: str, cut: str | None = None, extra: str = "") -> Path:
    """A copy of a fixture under another name (another document), optionally cut before ``cut``."""
    text = source.read_text(encoding="utf-8")
    if cut:
        text = text[: text.index(cut)] + "\n"
    path = tmp_path / "inputs" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_scope_of_everything_is_the_full_projection(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(p) for p in SEEDS + KG])
        raw = g.store.store
        subjects = {q.subject.value for q in raw.quads_for_pattern(None, None, None, None)
                    if type(q.subject) is ox.NamedNode and not q.subject.value.startswith(str(pg.GX))}
        scope = pg.Scope(nodes=set(subjects), nary=set(subjects), rel_subjects=set(subjects), mentions=set(subjects))
        part = pg.ScopeProjector(pg.StoreReader(raw, pg.load_projection())).project(scope)
        assert hashes(part) == hashes(pg.project(g.store))


def test_incremental_updates_equal_a_full_projection(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(p) for p in SEEDS])
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        assert cache.refresh(g.store).mode == "rebuilt"
        assert_equals_full_projection(g, cache)
        assert cache.refresh(g.store).mode == "current"

        steps = [
            ("add three documents", lambda: g.ingest([str(p) for p in KG])),
            ("change one (its last paragraphs cut)",
             lambda: g.ingest([str(variant(tmp_path, REPORT, REPORT.name, cut="胡国辉在主持会议时指出"))])),
            ("change it back", lambda: g.ingest([str(REPORT)])),
            ("remove one", lambda: g.remove(OUTLINE.stem)),
            ("unmerge", lambda: g.unmerge("张古江", REPORT.stem)),
            ("merge", lambda: g.merge(_person(g, "王海", 0), _person(g, "王海", 1), reason="test")),
            ("add one back", lambda: g.ingest([str(OUTLINE)])),
            ("remove two", lambda: (g.remove(KG[0].stem), g.remove(KG[1].stem))),
        ]
        for what, change in steps:
            seq = cache.seq
            change()
            report = cache.refresh(g.store)
            assert report.mode == "incremental", what
            assert cache.seq == seq + 1
            assert_equals_full_projection(g, cache)


def _person(g: Guanxi, name: str, index: int) -> str:
    return sorted(g.store.persons_named(name))[index]


def test_resolution_links_and_decisions_reach_the_cache(tmp_path):
    """Untitled mentions joined to the titled identity by resolution (links written into the resolution graph,
    documents emitted again with the identity) reach the cache like any document change."""
    from guanxi.loaders.readers import options_from_dict

    xwlb = options_from_dict({"preset": "xwlb"}, "--preset")
    files = sorted((FIXTURES / "resolution").glob("*.json"))
    titled = [str(f) for f in files if "_titled" in f.name]
    untitled = [str(f) for f in files if "untitled" in f.name]
    with Guanxi(tmp_path / "s") as g:
        g.ingest(untitled[:1], options=xwlb)
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        cache.refresh(g.store)
        for what, change in [
            ("the titled item: the untitled mention joins it", lambda: g.ingest(titled, options=xwlb)),
            ("two more untitled items", lambda: g.ingest(untitled[1:], options=xwlb)),
            ("one removed", lambda: g.remove(g.store.documents()[0][1])),
        ]:
            change()
            assert cache.refresh(g.store).mode == "incremental", what
            assert_equals_full_projection(g, cache)
        assert len(g.store.persons_named("习近平")) == 1


def test_random_changes(tmp_path):
    """Documents added, changed, removed in a random order: after every step the cache is the full projection."""
    pool = {p.stem: p for p in SEEDS + KG}
    rng = random.Random(12)
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(pool[k]) for k in sorted(pool)[:2]])
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        cache.refresh(g.store)
        present = set(sorted(pool)[:2])
        for step in range(14):
            name = rng.choice(sorted(pool))
            if name in present and rng.random() < 0.5:
                g.remove(name)
                present.discard(name)
            elif name in present:
                text = pool[name].read_text(encoding="utf-8").splitlines()
                keep = rng.randint(max(1, len(text) // 3), len(text))
                path = tmp_path / "inputs" / f"{step}" / f"{name}.txt"
                path.parent.mkdir(parents=True)
                path.write_text("\n".join(text[:keep]) + "\n", encoding="utf-8")
                g.ingest([str(path)])
            else:
                g.ingest([str(pool[name])])
                present.add(name)
            assert cache.refresh(g.store).mode in ("incremental", "current")
            assert_equals_full_projection(g, cache)


def test_an_update_projects_what_changed_not_the_store(tmp_path):
    """The same one-document change in a store of 5 and a store of 15 documents projects the same elements."""
    extra = [variant(tmp_path, p, f"copy{i}-{p.name}", extra=f"\n附：第{i}稿。\n") for i in range(2) for p in SEEDS + KG]
    changed = variant(tmp_path, KG[2], KG[2].name, extra="\n（完）\n")
    projected = {}
    for size, inputs in (("small", SEEDS + KG), ("large", SEEDS + KG + extra)):
        with Guanxi(tmp_path / size) as g:
            g.ingest([str(p) for p in inputs])
            cache = ProjectionCache(tmp_path / size / pc.CACHE_FILE)
            cache.refresh(g.store)
            total = len(pg.project(g.store))
            g.ingest([str(changed)])
            report = cache.refresh(g.store)
            assert report.mode == "incremental" and report.graphs == 1
            assert_equals_full_projection(g, cache)
            projected[size] = (report.projected, total)
    (small, small_total), (large, large_total) = projected["small"], projected["large"]
    assert large_total > 2.5 * small_total
    assert small < small_total / 2            # a fraction of the store
    assert large <= small * 1.2               # and no more in a store three times the size


def test_what_rebuilds_the_cache(tmp_path):
    with Guanxi(tmp_path / "s") as g, Guanxi(tmp_path / "other") as other:
        g.ingest([str(REPORT)])
        other.ingest([str(OUTLINE)])
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        cache.refresh(g.store)
        first_id = cache.cache_id
        assert cache.refresh(g.store, rebuild=True).reason == "requested"
        assert cache.cache_id != first_id
        # another store's journal cannot tell the cache what changed
        report = cache.refresh(other.store)
        assert report.mode == "rebuilt" and "journal" in report.reason
        assert_equals_full_projection(other, cache)
        # a cache of another mapping (or another version of this module's schema) is not used
        cache.db.execute("UPDATE meta SET value = 'x' WHERE key = 'signature'")
        assert cache.refresh(other.store).reason == "no valid cache"


def test_change_log(tmp_path):
    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(OUTLINE), str(REPORT)])
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        cache.refresh(g.store)
        seq = cache.seq
        before = cache.graph()
        g.remove(OUTLINE.stem)
        cache.refresh(g.store)
        after = cache.graph()
        changes = cache.changes_since(seq)
        gone = set(before.nodes) - set(after.nodes)
        assert gone and gone <= changes.nodes
        changed = {k for k in after.nodes if k in before.nodes and before.nodes[k].hash != after.nodes[k].hash}
        assert changed <= changes.nodes
        assert set(before.relationships) - set(after.relationships) <= set(changes.relationships)
        assert cache.changes_since(cache.seq) is not None and len(cache.changes_since(cache.seq)) == 0
        assert cache.changes_since(cache.seq + 1) is None


def test_an_update_keeps_no_hold_on_the_store(tmp_path):
    """The partial projection's reader is freed with the update: once closed, the store can be opened again
    (a reference cycle kept pyoxigraph's store, and its RocksDB lock, alive until the garbage collector ran)."""
    import gc

    with Guanxi(tmp_path / "s") as g:
        g.ingest([str(OUTLINE)])
        cache = ProjectionCache(tmp_path / "s" / pc.CACHE_FILE)
        cache.refresh(g.store)
        g.ingest([str(REPORT)])
        assert cache.refresh(g.store).mode == "incremental"
        cache.close()
    enabled = gc.isenabled()
    gc.disable()
    try:
        with Guanxi(tmp_path / "s") as again:
            assert len(again.store.documents()) == 2
    finally:
        if enabled:
            gc.enable()
