"""Entity resolution on an ingested store: person nodes per distinct name, the most-mentioned names and how
many nodes each is, the three acceptance names, the time of `guanxi person NAME`, and the cost of resolving
one more day against ingesting it.

    .venv/bin/python benchmarks/resolution.py STORE_DIR [--top 50] [--day ../shared/corpus/xwlb/2025/20251231.json]
                                               [--json out.json]

With --day, the day's file is ingested into a copy of the store (the store itself is left as it was) and the
time inside resolution (resolving the dirty names, rewriting the documents whose people changed identity,
writing the links) is reported against the whole ingest of that day, measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guanxi.api import Guanxi  # noqa: E402

PERSONS = "SELECT ?p ?name WHERE { ?p a gx:Person ; gx:name ?name }"
MENTIONS = "SELECT ?p (COUNT(DISTINCT ?m) AS ?n) WHERE { ?p a gx:Person ; gx:attestedBy ?m } GROUP BY ?p"
ACCEPTANCE = ("习近平", "李强", "王毅")


def figures(store: Path, top: int) -> dict:
    with Guanxi(store) as gx:
        by_name: dict[str, set[str]] = defaultdict(set)
        for r in gx.sparql(PERSONS):
            by_name[r["name"].value].add(r["p"].value)
        mentions = {r["p"].value: int(r["n"].value) for r in gx.sparql(MENTIONS)}
        # a name's mentions in the text: what the index holds, whatever node they went to
        text_mentions: Counter = Counter()
        records_of: Counter = Counter()
        for r in gx.store.index.records(list(by_name)):
            text_mentions[r.name] += len(r.mentions)
            records_of[r.name] += 1
        nodes = sum(len(v) for v in by_name.values())
        ranked = sorted(by_name, key=lambda n: (-text_mentions[n], n))[:top]
        rows = [{"name": n, "nodes": len(by_name[n]), "mentions": text_mentions[n], "documents": records_of[n],
                 "mentions_on_nodes": sorted((mentions.get(p, 0) for p in by_name[n]), reverse=True)} for n in ranked]
        acceptance = {n: {"nodes": len(by_name.get(n, ())), "mentions_in_text": text_mentions[n],
                          "mentions_on_the_node": sum(mentions.get(p, 0) for p in by_name.get(n, ()))}
                      for n in ACCEPTANCE}
    return {"person_nodes": nodes, "distinct_names": len(by_name), "nodes_per_name": round(nodes / max(1, len(by_name)), 4),
            "top": rows, "split_in_top": [r for r in rows if r["nodes"] > 1], "acceptance": acceptance}


def person_time(store: Path, name: str, runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "person", name, "--format", "json"],
                              capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            return {"error": done.stderr.strip()[:300], "exit": done.returncode}
    profile = json.loads(done.stdout)
    return {"median_s": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times],
            "posts": len(profile.get("posts", [])), "meetings": len(profile.get("meetings", [])),
            "directives": len(profile.get("directives", [])), "limit": profile.get("limit"),
            "counts": profile.get("counts")}


def one_more_day(store: Path, day: Path) -> dict:
    """Ingest one day's file into a copy of the store: the ingest's wall time and, inside it, the time spent
    resolving (the dirty names' blocks, rewriting documents whose people changed identity, the links)."""
    from guanxi.loaders.readers import options_from_dict

    with tempfile.TemporaryDirectory(prefix="guanxi-day-") as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(store, copy)
        with Guanxi(copy) as gx:
            report = gx.ingest([str(day)], options=options_from_dict({"preset": "xwlb"}, "--preset"))
    return {"documents": len(report.new) + len(report.changed), "ingest_s": round(report.seconds, 3),
            "resolution_s": round(report.resolution_seconds, 3),
            "ratio": round(report.resolution_seconds / report.seconds, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--day", type=Path, help="a day's file to ingest into a copy of the store")
    parser.add_argument("--person", default="习近平", help="the profile to time (default 习近平)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    out = figures(args.store, args.top)
    print(f"person nodes {out['person_nodes']:,} for {out['distinct_names']:,} distinct names: "
          f"{out['nodes_per_name']:.4f} nodes per name")
    for name, a in out["acceptance"].items():
        print(f"  {name}: {a['nodes']} node(s), {a['mentions_on_the_node']} of {a['mentions_in_text']} mentions on it")
    print(f"top {args.top}: {len(out['split_in_top'])} name(s) on more than one node: "
          + ", ".join(f"{r['name']} ({r['nodes']})" for r in out["split_in_top"]))
    out["person"] = person_time(args.store, args.person)
    print(f"guanxi person {args.person}: {out['person']}")
    if args.day:
        out["one_more_day"] = one_more_day(args.store, args.day)
        d = out["one_more_day"]
        print(f"one more day ({args.day.name}, {d['documents']} documents): ingest {d['ingest_s']} s, of which "
              f"resolution {d['resolution_s']} s ({100 * d['ratio']:.1f} %)")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
