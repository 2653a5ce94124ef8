"""Neo4j sync throughput: batched incremental sync vs a naive one-statement-per-element sync, same data, same run.

    .venv/bin/python benchmarks/sync.py --store /tmp/xwlb-kg [--corpus ../shared/corpus/xwlb/2025]
                                        [--batch-size 1000] [--repeats 3] [--naive-sample N] [--json]

If the store is empty it is filled first with ``guanxi ingest --preset xwlb CORPUS --workers 2 --store DIR``.
Neo4j: ``NEO4J_URI`` & co. when set, else the local server (``scripts/neo4j-local``, started if needed).
**The benchmark wipes guanxi's nodes in that database** (Community has a single user database).

Both methods are first run once on a small sample (server warm-up: Cypher planning, JIT, page cache), so
neither pays first-use costs inside its timing.  It prints, in nodes+relationships per second:

1. the full sync into an empty database (store generation, projection, diff and batched ``UNWIND … MERGE``
   writes, all timed), ``--repeats`` times, the median reported with every run's time;
2. a no-op re-sync (the store unchanged: the generation check) and its share of the full sync's time;
3. a re-sync that must diff (the sync state made stale): projection + reading Neo4j's hashes, nothing written;
4. the naive sync, end to end like the batched one: the same projection of the store, then one auto-commit
   ``MERGE`` per element (nodes, then relationships) after wiping — all of them by default, or with
   ``--naive-sample N`` a fixed sample of about N elements (relationships in id order plus their endpoint
   nodes), whose write time is then extrapolated to the whole graph (the output says so).  The ratio of the
   writes alone is printed too.
   Targets: batched >= 10x naive; no-op re-sync < 5 % of the full sync.  Exit status 1 when one is missed.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guanxi.graph import neo4j_local  # noqa: E402
from guanxi.graph import neo4j_read as nr  # noqa: E402
from guanxi.graph import neo4j_sync as ns  # noqa: E402
from guanxi.graph.projection import PropertyGraph, check_name, project  # noqa: E402
from guanxi.graph.store import GraphStore  # noqa: E402


def connect() -> tuple[object, str]:
    if os.environ.get("NEO4J_URI"):
        conn = nr.settings(interactive=False)
    else:
        info = neo4j_local.ensure_started()
        conn = nr.Settings(info.uri, info.user, info.password, info.database)
    return nr.open_driver(conn), conn.database


def ensure_ingested(store: Path, corpus: str) -> None:
    if (store / "oxigraph").exists():
        return
    cmd = [str(ROOT / ".venv" / "bin" / "guanxi"), "ingest", "--preset", "xwlb", corpus, "--workers", "2",
           "--store", str(store), "--format", "json"]
    print("store is empty; ingesting:", " ".join(cmd), file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    print(f"ingested in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def sample(graph: PropertyGraph, size: int) -> PropertyGraph:
    """A deterministic sub-graph of about ``size`` elements: relationships in id order (ids are hashes, so this
    is a spread over all types) plus their endpoints."""
    if len(graph) <= size:
        return graph
    out = PropertyGraph()
    for rid in sorted(graph.relationships):
        rel = graph.relationships[rid]
        out.relationships[rid] = rel
        for end in (rel.start, rel.end):
            out.nodes.setdefault(end, graph.nodes[end])
        if len(out) >= size:
            break
    return out


def naive_sync(driver, database: str, graph: PropertyGraph, base: str) -> float:
    """One auto-commit MERGE per element; returns seconds."""
    started = time.perf_counter()
    with driver.session(database=database) as session:
        for node in graph.nodes.values():
            extra = ":".join(f"`{check_name(x)}`" for x in node.labels if x != base)
            query = f"MERGE (n:`{base}` {{iri: $iri}}) SET n = $props" + (f" SET n:{extra}" if extra else "")
            session.run(query, iri=node.iri, props={**node.props, "_gx_hash": node.hash}).consume()
        for rel in graph.relationships.values():
            query = (f"MATCH (a:`{base}` {{iri: $start}}) MATCH (b:`{base}` {{iri: $end}}) "
                     f"MERGE (a)-[r:`{check_name(rel.type)}` {{_gx_id: $id}}]->(b) SET r = $props")
            session.run(query, start=rel.start, end=rel.end, id=rel.id,
                        props={**rel.props, "_gx_id": rel.id, "_gx_hash": rel.hash}).consume()
    return time.perf_counter() - started


def _timed_full_sync(store, driver, database: str, batch_size: int):
    """A full sync into an empty database (wiped first, outside the timing)."""
    ns.wipe(driver, database)
    gc.collect()
    return ns.sync(store, driver, database, batch_size=batch_size)


def warm_up(store, driver, database: str, batch_size: int, base: str, size: int = 3000) -> None:
    """Both methods once on a small sample, so that neither pays the server's first-use costs (Cypher
    planning, JIT, page cache) inside its timing; then the database is wiped."""
    graph = project(store)
    small = sample(graph, size)
    ns.wipe(driver, database)
    ns.sync(store, driver, database, batch_size=batch_size, graph=small, full=True)
    ns.wipe(driver, database)
    naive_sync(driver, database, sample(graph, size // 10), base)
    ns.wipe(driver, database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a guanxi store directory (filled from --corpus if empty)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "xwlb" / "2025"))
    parser.add_argument("--batch-size", type=int, default=ns.DEFAULT_BATCH_SIZE)
    parser.add_argument("--repeats", type=int, default=3, help="full syncs to time (the median is reported)")
    parser.add_argument("--naive-sample", type=int, default=0,
                        help="elements the naive sync writes (default 0: all of them; ~6 min for xwlb 2025)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()

    store_dir = Path(args.store)
    ensure_ingested(store_dir, args.corpus)
    driver, database = connect()
    try:
        with GraphStore(store_dir) as store:
            documents = len(store.documents())
            quads = sum(1 for _ in store.quads())
            base = check_name(ns.load_projection().base_label)
            ns.ensure_constraints(driver, database)  # once, outside the timings
            warm_up(store, driver, database, args.batch_size, base)

            # 1. full syncs into an empty database: store generation, projection, diff, batched writes
            fulls = [_timed_full_sync(store, driver, database, args.batch_size) for _ in range(max(1, args.repeats))]
            full = sorted(fulls, key=lambda r: r.seconds)[len(fulls) // 2]
            elements = full.nodes.created + full.relationships.created
            print(f"store {store_dir}: {documents:,} documents, {quads:,} quads -> {full.nodes.created:,} nodes + "
                  f"{full.relationships.created:,} relationships = {elements:,} elements")
            # 2. no-op re-sync (the database holds the last full sync)
            noop = ns.sync(store, driver, database, batch_size=args.batch_size)
            assert noop.up_to_date and noop.written == 0
            # 3. re-sync that has to diff (nothing to write)
            driver.execute_query(f"MATCH (s:{ns.STATE_LABEL}) SET s.store_generation = 'stale'", database_=database)
            diff = ns.sync(store, driver, database, batch_size=args.batch_size)
            assert diff.written == 0, diff.to_json()

            # 4. naive, end to end like the batched sync: read the store, then one statement per element
            ns.wipe(driver, database)
            gc.collect()
            started = time.perf_counter()
            graph = project(store)
            naive_project_s = time.perf_counter() - started
            assert len(graph) == elements
            subset = sample(graph, args.naive_sample if args.naive_sample > 0 else elements)
            del graph
            naive_write_s = naive_sync(driver, database, subset, base)
            # leave the database synced
            ns.sync(store, driver, database, batch_size=args.batch_size)
    finally:
        driver.close()

    extrapolated = len(subset) < elements
    naive_write_all_s = naive_write_s * elements / len(subset)   # = naive_write_s when not extrapolated
    naive_s = naive_project_s + naive_write_all_s
    full_write_s = full.timings["write"]
    ratio = naive_s / full.seconds
    write_ratio = naive_write_all_s / full_write_s
    results = {
        "documents": documents, "quads": quads, "nodes": full.nodes.created,
        "relationships": full.relationships.created, "batch_size": args.batch_size,
        "full_sync_s": round(full.seconds, 2), "full_sync_rate": round(elements / full.seconds),
        "full_sync_all_s": [round(r.seconds, 2) for r in fulls],
        "full_sync_timings": {k: round(v, 2) for k, v in full.timings.items()},
        "noop_resync_s": round(noop.seconds, 3), "noop_resync_rate": round(elements / noop.seconds),
        "noop_share_of_full": round(noop.seconds / full.seconds, 4),
        "diff_resync_s": round(diff.seconds, 2), "diff_resync_rate": round(elements / diff.seconds),
        "naive_elements": len(subset), "naive_extrapolated": extrapolated,
        "naive_project_s": round(naive_project_s, 2), "naive_write_s": round(naive_write_all_s, 2),
        "naive_s": round(naive_s, 2), "naive_rate": round(elements / naive_s),
        "batched_vs_naive": round(ratio, 1), "batched_vs_naive_writes_only": round(write_ratio, 1),
    }
    runs = ", ".join(f"{r.seconds:.1f}" for r in fulls)
    print(f"full sync        {full.seconds:8.2f} s  {elements / full.seconds:10,.0f} elements/s   median of "
          f"{len(fulls)} ({runs} s); {', '.join(f'{k} {v:.1f} s' for k, v in full.timings.items())}; "
          f"{full.batches} batches of {args.batch_size}")
    print(f"no-op re-sync    {noop.seconds:8.3f} s  {elements / noop.seconds:10,.0f} elements/s   "
          f"= {100 * noop.seconds / full.seconds:.2f} % of the full sync (target < 5 %)")
    print(f"diffing re-sync  {diff.seconds:8.2f} s  {elements / diff.seconds:10,.0f} elements/s   "
          f"(state made stale: projection + read-back, nothing written)")
    what = (f"{len(subset):,} of {elements:,} elements written in {naive_write_s:.1f} s, extrapolated to all"
            if extrapolated else f"all {elements:,} elements")
    print(f"naive sync       {naive_s:8.2f} s  {elements / naive_s:10,.0f} elements/s   (project {naive_project_s:.1f} s "
          f"+ one auto-commit MERGE per element {naive_write_all_s:.1f} s; {what})")
    print(f"batched / naive  {ratio:8.1f} x  (target >= 10 x; writes alone: {full_write_s:.1f} s vs "
          f"{naive_write_all_s:.1f} s = {write_ratio:.1f} x)")
    if args.json:
        print(json.dumps(results))
    ok = ratio >= 10 and noop.seconds / full.seconds < 0.05
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
