"""Benchmark: the workbench's search (OpenCC folding and the substring index) and its pages, on a store.

    .venv/bin/python benchmarks/workbench.py --store xwlb-kg [--queries 李强,國務院,生物医药,高质量发展]

Prints, measured in the same run:

* ``fold``: OpenCC t2s over every document text of the store (characters per second), against ``str.lower`` over
  the same texts (the baseline: what a search without folding would spend);
* ``index``: building the search index (the ``searchable`` and ``documents`` queries, the texts, folding);
* ``search``: each query against the index, against a plain ``str.find`` over the unfolded texts (baseline);
* ``pages``: the person page of the most documented people, the document viewer of their first documents and a
  radius-2 graph page, through a real ``guanxi serve`` (wall time per request).

The choice of the ``opencc`` package (C++ OpenCC with its dictionaries in the wheel) over
``opencc-python-reimplemented`` (pure Python) is documented with figures in docs/workbench.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _time(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--queries", default="李强,國務院,生物医药,高质量发展,张古江")
    parser.add_argument("--people", type=int, default=5)
    args = parser.parse_args(argv)

    from guanxi.queries import registry
    from guanxi.queries.backends import StoreBackend
    from guanxi.workbench.reader import StoreReader
    from guanxi.workbench.search import SearchIndex, fold
    from tests.workbench_server import start_server

    snap = StoreReader(args.store).current()
    texts = [t for _, t in snap.texts()]
    chars = sum(map(len, texts))
    fold("预热")
    t_fold, _ = _time(lambda: [fold(t) for t in texts])
    t_lower, _ = _time(lambda: [t.lower() for t in texts])
    print(f"texts: {len(texts)} documents, {chars:,} characters")
    print(f"fold (full width → ASCII, OpenCC t2s, lower case): {t_fold:.3f} s = {chars / t_fold / 1e6:.1f} M chars/s; "
          f"baseline str.lower {t_lower:.3f} s; ratio {t_fold / t_lower:.1f}x")
    backend = StoreBackend(snap)
    t_index, index = _time(lambda: SearchIndex.build(registry.run(backend, "searchable"), registry.run(backend, "documents"),
                                                       snap.texts()), repeat=1)
    print(f"index: {len(index.entries):,} entries built in {t_index:.2f} s")
    for q in args.queries.split(","):
        t_search, hits = _time(lambda: index.search(q))
        t_plain, plain = _time(lambda: sum(1 for t in texts if q in t))
        n = hits.totals
        print(f"search {q}: {t_search * 1000:.1f} ms {n}; baseline str.find {t_plain * 1000:.1f} ms ({plain} documents "
              f"contain the exact string); ratio {t_search / max(t_plain, 1e-9):.1f}x")

    server = start_server(Path(args.store))
    try:
        people = registry.run(backend, "people")[: args.people]
        times: dict[str, list[float]] = {"person": [], "viewer": [], "graph": []}
        for p in people:
            path = "/id/" + p.person[len("https://w3id.org/guanxi/id/"):]
            for kind, url in (("person", path), ("graph", "/graph?" + urlencode({"center": p.person}))):
                t0 = time.perf_counter()
                status, _, html = server.get(url)
                times[kind].append(time.perf_counter() - t0)
                assert status == 200, (url, status)
                if kind == "person":
                    import re

                    doc = re.search(r'href="(/id/doc/[^"?#]+)"', html)
                    if doc:
                        t0 = time.perf_counter()
                        server.get(doc.group(1))
                        times["viewer"].append(time.perf_counter() - t0)
        for kind, values in times.items():
            if values:
                print(f"pages {kind}: median {statistics.median(values):.2f} s, max {max(values):.2f} s ({len(values)} requests)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
