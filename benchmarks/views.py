"""Benchmark: query time (embedded store) and browser layout time of person views, for the most connected people.

    .venv/bin/python benchmarks/views.py --store xwlb-kg [--top 10] [--radius 2] [--max-nodes 150]

For each of the ``--top`` people with the most links (the ``links`` named query, degree of person nodes):

* ``profile``: ``person_profile`` (posts, meetings, directives with quotes) on the store;
* ``view``: building the ego-network ViewGraph (``neighbours`` queries, breadth first, capped);
* ``stable``: headless Chromium (Debian's, network blocked) opening the written page, until the layout is stable —
  ``window.guanxiStableMs`` (ms since navigation start, as the page measures it).

Pages go to ``test-output/bench-views/``; ``--json`` prints the figures as JSON.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="store directory (e.g. the xwlb 2025 graph)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--radius", type=int, default=2)
    parser.add_argument("--max-nodes", type=int, default=150)
    parser.add_argument("--out", default=str(REPO / "test-output" / "bench-views"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from guanxi.graph import networkx_graph as nxg
    from guanxi.queries import build_views as bv
    from guanxi.queries.api import Queries
    from guanxi.queries.views import write
    from tests.browser import BrowserSession

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with Queries.open("store", store_dir=args.store) as q:
        t = time.perf_counter()
        links = q.links()
        links_s = time.perf_counter() - t
        g = nxg.graph_from_links(links)
        people = [n for n, d in g.nodes(data=True) if d.get("kind") == "Person"]
        undirected = g.to_undirected(as_view=True)
        degree = {n: len(set(undirected.neighbors(n))) for n in people}
        top = sorted(people, key=lambda n: (-degree[n], g.nodes[n]["name"], n))[: args.top]
        with BrowserSession() as browser:
            for i, person in enumerate(top):
                t = time.perf_counter()
                profile = q.person_profile(person)
                profile_s = time.perf_counter() - t
                t = time.perf_counter()
                view = bv.person_view(q, person, radius=args.radius, max_nodes=args.max_nodes)
                view_s = time.perf_counter() - t
                path = write(view, out_dir / f"person-{i:02d}.html")
                page = browser.new_page()
                t = time.perf_counter()
                page.open(path)
                page.page.wait_for_function("window.guanxiStable === true", timeout=300_000)
                wall_s = time.perf_counter() - t
                stable_ms = page.page.evaluate("window.guanxiStableMs")
                problems = page.problems()
                page.close()
                results.append({
                    "person": profile.person.person_name, "iri": person, "degree": degree[person],
                    "rows": len(profile.rows), "profile_s": round(profile_s, 3), "view_s": round(view_s, 3),
                    "nodes": len(view.nodes), "edges": len(view.edges), "stable_ms": round(stable_ms),
                    "open_to_stable_s": round(wall_s, 3), "problems": problems,
                })
    summary = {
        "store": args.store, "links": len(links), "links_s": round(links_s, 3), "people": len(people),
        "median_profile_s": statistics.median(r["profile_s"] for r in results) if results else None,
        "median_view_s": statistics.median(r["view_s"] for r in results) if results else None,
        "median_stable_ms": statistics.median(r["stable_ms"] for r in results) if results else None,
        "max_stable_ms": max((r["stable_ms"] for r in results), default=None),
    }
    if args.json:
        print(json.dumps({"summary": summary, "people": results}, ensure_ascii=False, indent=2))
        return 0
    print(f"store {args.store}: {len(links)} links ({links_s:.1f} s for the links query), {len(people)} people")
    print(f"{'person':<10} {'degree':>6} {'rows':>5} {'profile s':>9} {'view s':>7} {'nodes':>5} {'edges':>5} {'stable ms':>9}")
    for r in results:
        print(f"{r['person']:<10} {r['degree']:>6} {r['rows']:>5} {r['profile_s']:>9.3f} {r['view_s']:>7.2f} "
              f"{r['nodes']:>5} {r['edges']:>5} {r['stable_ms']:>9}" + ("  PROBLEMS" if r["problems"] else ""))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
