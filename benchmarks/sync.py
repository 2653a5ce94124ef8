"""Neo4j sync cost: full syncs, a one-day change, the no-op and comparing re-syncs, neo4j-admin import, a naive
baseline — same store, same server, same run.

    .venv/bin/python benchmarks/sync.py --store /tmp/xwlb-kg [--corpus ../shared/corpus/xwlb/2025]
                                        [--batch-size 2000] [--repeats 3] [--naive-sample 3000] [--import] [--json FILE]

If the store is empty it is filled first with ``guanxi ingest --preset xwlb CORPUS --workers 2 --store DIR``.
Neo4j: ``NEO4J_URI`` & co. when set, else the local server (``scripts/neo4j-local``, started if needed).
**The benchmark wipes guanxi's nodes in that database** (Community has a single user database), and changes the
store for the one-day step (the day's documents are removed, then ingested again: the store ends as it began).

The cold sync runs first (its first-use costs on the server are small beside it, and it warms the server up for
what follows; the naive sync gets a small warm-up of its own).  In elements (nodes + relationships) per second:

1. **cold full sync**: into an empty database with the projection cache deleted first — the whole store projected
   (reading it is most of this), the cache written, every element created (once: it is the slow one);
2. **full sync**: into an empty database with the projection up to date (``--repeats`` times, median): the cost
   of writing the whole graph;
3. **no-op re-sync** (the store unchanged) and its share of the full sync;
4. **full-comparison re-sync**: the database's cache position made stale, so every element is read back and
   compared (nothing to write);
5. **one-day change**: the documents of the corpus's last day removed from the store, synced, ingested again,
   synced: both incremental syncs timed, each compared with the full sync, with what they projected and wrote;
6. ``--import``: ``guanxi neo4j-import`` of the whole projection into the emptied database (local server only:
   it stops and starts it);
7. **naive baseline**: one auto-commit ``MERGE`` per element for ``--naive-sample`` elements (relationships in id
   order plus their endpoints), extrapolated to the graph, plus the cold projection: the end-to-end ratio.

Targets: full sync >= 50,000 elements/s; one-day change < 5 % of the full sync; no-op < 5 %; batched >= 10 x
naive.  Exit status 1 when one is missed.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guanxi.graph import neo4j_local  # noqa: E402
from guanxi.graph import neo4j_read as nr  # noqa: E402
from guanxi.graph import neo4j_sync as ns  # noqa: E402
from guanxi.graph.projection import PropertyGraph, check_name  # noqa: E402
from guanxi.graph.projection_cache import CACHE_FILE, ProjectionCache  # noqa: E402


def connect() -> tuple[object, str, bool]:
    if os.environ.get("NEO4J_URI"):
        conn = nr.settings(interactive=False)
        return nr.open_driver(conn), conn.database, False
    info = neo4j_local.ensure_started()
    conn = nr.Settings(info.uri, info.user, info.password, info.database)
    return nr.open_driver(conn), conn.database, True


def guanxi(*args: str) -> None:
    cmd = [str(ROOT / ".venv" / "bin" / "guanxi"), *args]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def ensure_ingested(store: Path, corpus: str) -> None:
    if (store / "oxigraph").exists():
        return
    print(f"store is empty; ingesting {corpus}", file=sys.stderr)
    started = time.perf_counter()
    guanxi("--store", str(store), "ingest", "--preset", "xwlb", corpus, "--workers", "2", "--format", "json")
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


def cache_graph(store_dir: Path) -> PropertyGraph:
    with ProjectionCache(store_dir / CACHE_FILE) as cache:
        return cache.graph()


SOURCES = "SELECT ?id ?path WHERE { ?d a gx:Document ; dcterms:identifier ?id ; gx:sourcePath ?path }"


def last_day(store, corpus: str) -> tuple[Path, list[str]]:
    """The corpus's last day file and the ids of the store's documents read from it."""
    day = sorted(Path(corpus).glob("*.json"))[-1]
    ids = sorted({r["id"].value for r in store.query(SOURCES)
                  if Path(r["path"].value.split("#")[0]).name == day.name
                  and Path(r["path"].value.split("#")[0]).parent.name == day.parent.name})
    return day, ids


def line(what: str, seconds: float, elements: int | None, note: str) -> None:
    rate = f"{elements / seconds:10,.0f} el/s" if elements and seconds else " " * 15
    print(f"{what:26} {seconds:8.2f} s {rate}   {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a guanxi store directory (filled from --corpus if empty)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "xwlb" / "2025"),
                        help="the corpus ingested into an empty store, and whose last day is the one-day change")
    parser.add_argument("--batch-size", type=int, default=ns.DEFAULT_BATCH_SIZE)
    parser.add_argument("--repeats", type=int, default=3, help="full syncs from the cache to time (the median)")
    parser.add_argument("--naive-sample", type=int, default=3000,
                        help="elements the naive sync writes (extrapolated to the graph; 0: all of them)")
    parser.add_argument("--import", dest="do_import", action="store_true", help="also time guanxi neo4j-import")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON ('-': stdout)")
    args = parser.parse_args()

    from guanxi.graph.store import GraphStore

    store_dir = Path(args.store)
    ensure_ingested(store_dir, args.corpus)
    driver, database, local = connect()
    base = check_name(ns.load_projection().base_label)
    results: dict = {"store": str(store_dir), "batch_size": args.batch_size}
    try:
        with GraphStore(store_dir) as store:
            results["documents"] = len(store.documents())
            day, day_ids = last_day(store, args.corpus)

        # the cold sync runs first, on a cold server: at this size its first-use costs (planning, JIT) are lost
        # in the noise, and it warms the server up for the syncs after it
        with GraphStore(store_dir) as store:
            ns.ensure_constraints(driver, database)
            # 1. cold full sync: no cache, empty database
            ns.wipe(driver, database)
            for suffix in ("", "-wal", "-shm"):
                Path(str(store_dir / CACHE_FILE) + suffix).unlink(missing_ok=True)
            gc.collect()
            cold = ns.sync(store, driver, database, batch_size=args.batch_size)
            elements = cold.nodes.created + cold.relationships.created
            results.update(nodes=cold.nodes.created, relationships=cold.relationships.created, elements=elements,
                           cold_full_sync_s=round(cold.seconds, 2), cold_full_sync_rate=round(elements / cold.seconds),
                           cold_timings={k: round(v, 2) for k, v in cold.timings.items()})
            print(f"store {store_dir}: {results['documents']:,} documents -> {cold.nodes.created:,} nodes + "
                  f"{cold.relationships.created:,} relationships = {elements:,} elements; batches of {args.batch_size}")
            line("cold full sync", cold.seconds, elements,
                 ", ".join(f"{k} {v:.1f} s" for k, v in cold.timings.items()) + " (projection from the store)")

            # 2. full syncs from the cache
            fulls = []
            for _ in range(max(1, args.repeats)):
                ns.wipe(driver, database)
                gc.collect()
                fulls.append(ns.sync(store, driver, database, batch_size=args.batch_size))
            full = sorted(fulls, key=lambda r: r.seconds)[len(fulls) // 2]
            assert full.mode == "into an empty database" and full.nodes.created + full.relationships.created == elements
            results.update(full_sync_s=round(full.seconds, 2), full_sync_rate=round(elements / full.seconds),
                           full_sync_all_s=[round(r.seconds, 2) for r in fulls],
                           full_timings={k: round(v, 2) for k, v in full.timings.items()})
            line("full sync", full.seconds, elements, f"median of {', '.join(f'{r.seconds:.1f}' for r in fulls)} s; "
                 + ", ".join(f"{k} {v:.1f} s" for k, v in full.timings.items()))

            # 3. no-op
            noop = ns.sync(store, driver, database, batch_size=args.batch_size)
            assert noop.up_to_date and noop.written == 0
            results.update(noop_s=round(noop.seconds, 3), noop_share=round(noop.seconds / full.seconds, 4))
            line("no-op re-sync", noop.seconds, None, f"= {100 * noop.seconds / full.seconds:.2f} % of the full sync")

            # 4. full comparison
            driver.execute_query(f"MATCH (s:{ns.STATE_LABEL}) SET s.store_generation = 'stale', s.cache_id = 'stale'",
                                 database_=database)
            compare = ns.sync(store, driver, database, batch_size=args.batch_size)
            assert compare.mode == "full comparison" and compare.written == 0, compare.to_json()
            results.update(compare_s=round(compare.seconds, 2), compare_rate=round(elements / compare.seconds))
            line("full-comparison re-sync", compare.seconds, elements, "every element read back and compared")

        # 5. one-day change: the day's documents removed, synced; ingested again, synced
        day_results = {}
        if day_ids:
            with GraphStore(store_dir) as store:
                for doc in day_ids:
                    store.remove_document(doc)
                store.refresh_resolution()
                removed = ns.sync(store, driver, database, batch_size=args.batch_size)
            guanxi("--store", str(store_dir), "ingest", "--preset", "xwlb", str(day), "--format", "json")
            with GraphStore(store_dir) as store:
                added = ns.sync(store, driver, database, batch_size=args.batch_size)
            for what, r in (("day removed", removed), ("day added", added)):
                assert r.mode == "incremental", r.to_json()
                day_results[what] = {"s": round(r.seconds, 3), "share_of_full": round(r.seconds / full.seconds, 4),
                                     "graphs": r.projection.get("graphs"), "projected": r.projection.get("projected"),
                                     "lookups": r.projection.get("lookups"), "written": r.written,
                                     "timings": {k: round(v, 3) for k, v in r.timings.items()},
                                     "projection_s": r.projection.get("seconds")}
                line(f"one-day change ({what})", r.seconds, None,
                     f"{len(day_ids)} documents of {day.name}: {r.projection.get('projected'):,} elements projected, "
                     f"{r.written:,} written = {100 * r.seconds / full.seconds:.2f} % of the full sync")
        results["one_day"] = day_results

        # 6. neo4j-admin import
        if args.do_import and local:
            from guanxi.graph import neo4j_import

            ns.wipe(driver, database)
            driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)
            driver.close()
            with GraphStore(store_dir) as store:
                imp = neo4j_import.initial_import(store)
            driver, database, local = connect()
            results.update(import_s=round(imp.seconds, 2), import_rate=round(elements / imp.seconds),
                           import_timings={k: round(v, 2) for k, v in imp.timings.items()},
                           import_csv_bytes=imp.csv_bytes)
            line("neo4j-admin import", imp.seconds, elements, ", ".join(f"{k} {v:.1f} s" for k, v in imp.timings.items()))
            with GraphStore(store_dir) as store:
                assert ns.sync(store, driver, database).up_to_date

        # 7. naive (after a small warm-up of its own)
        graph = cache_graph(store_dir)
        subset = sample(graph, args.naive_sample if args.naive_sample > 0 else len(graph))
        ns.wipe(driver, database)
        naive_sync(driver, database, sample(subset, 300), base)
        ns.wipe(driver, database)
        naive_write_s = naive_sync(driver, database, subset, base)
        naive_write_all = naive_write_s * len(graph) / len(subset)
        project_s = cold.timings.get("project", 0.0)
        naive_s = project_s + naive_write_all
        ratio = naive_s / cold.seconds
        write_ratio = naive_write_all / full.timings["write"]
        results.update(naive_elements=len(subset), naive_write_s=round(naive_write_all, 1), naive_s=round(naive_s, 1),
                       naive_rate=round(elements / naive_s), cold_vs_naive=round(ratio, 1),
                       writes_vs_naive=round(write_ratio, 1))
        line("naive sync", naive_s, elements, f"cold projection {project_s:.1f} s + one auto-commit MERGE per element "
             f"({len(subset):,} written in {naive_write_s:.1f} s, extrapolated to {len(graph):,})")
        print(f"{'cold sync / naive':26} {ratio:8.1f} x   (writes alone: {write_ratio:.1f} x)")
        # leave the database synced
        with GraphStore(store_dir) as store:
            ns.sync(store, driver, database, batch_size=args.batch_size)
    finally:
        driver.close()

    day_share = max((d["share_of_full"] for d in results["one_day"].values()), default=0.0)
    results["targets"] = {"full_sync_rate>=50000": results["full_sync_rate"] >= 50000,
                          "one_day<5%": day_share < 0.05, "noop<5%": results["noop_share"] < 0.05,
                          "cold_vs_naive>=10": results["cold_vs_naive"] >= 10}
    print("targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in results["targets"].items()))
    if args.json == "-":
        print(json.dumps(results))
    elif args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(results["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
