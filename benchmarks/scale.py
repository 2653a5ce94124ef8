"""Cost against corpus size: years of xwlb ingested into one store, quarter by quarter.

    .venv/bin/python benchmarks/scale.py ../shared/corpus/xwlb --out benchmarks/results/scale \\
        [--steps 1,2,4,7] [--workers 2] [--days-per-quarter N] [--sync] [--queries]

Step k ingests the years that make the corpus k years long (newest first: 2025, 2023, 2022, 2021, …), each
quarter as its own `guanxi ingest` (a fresh process, as a daily or quarterly job would run), into the same
store. For every quarter: documents, wall time, documents/s, the part spent in resolution, peak RSS of the
ingesting process (sampled with psutil; its workers are reported apart). For every step: the corpus size, the
store's size on disk and its data quads, and optionally the time of a full `guanxi sync` (--sync, needs the
Neo4j of scripts/neo4j-local or NEO4J_* settings) and the named queries' p50/p95 on both backends (--queries:
runs benchmarks/queries.py of the Neo4j work when it is there). At the end: re-ingesting everything unchanged.

Writes OUT.json, OUT.md (a Markdown table) and OUT.png (cost against size, matplotlib). --days-per-quarter N
takes the first N day files of every quarter: a scaled-down run with the same shape (say so when quoting it).
Ratios are against the first quarter measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR_ORDER = ("2025", "2023", "2022", "2021", "2020", "2019", "2018")


def quarters(corpus: Path, years: list[str], days: int | None) -> list[tuple[str, list[Path]]]:
    out = []
    for year in years:
        by_quarter: dict[int, list[Path]] = defaultdict(list)
        for f in sorted((corpus / year).glob("*.json")):
            month = int(f.stem[4:6])
            by_quarter[(month - 1) // 3 + 1].append(f)
        for q in sorted(by_quarter):
            files = by_quarter[q][:days] if days else by_quarter[q]
            out.append((f"{year}Q{q}", files))
    return out


def run_ingest(store: Path, files: list[Path], workers: int, tmp: Path) -> dict:
    """One `guanxi ingest` of ``files`` (through a folder of links), with its peak memory."""
    import psutil

    folder = tmp / f"in-{time.monotonic_ns()}"
    folder.mkdir()
    for f in files:
        (folder / f.name).symlink_to(f.resolve())
    cmd = [sys.executable, "-m", "guanxi", "--store", str(store), "ingest", "--preset", "xwlb", str(folder),
           "--workers", str(workers), "--format", "json"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    main = psutil.Process(proc.pid)
    peak_main = peak_workers = 0
    while proc.poll() is None:
        try:
            peak_main = max(peak_main, main.memory_info().rss)
            peak_workers = max(peak_workers, sum(c.memory_info().rss for c in main.children(recursive=True)))
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {err[-2000:]}")
    report = json.loads(out)
    docs = report["documents"]
    written = docs["new"] + docs["changed"]
    return {"documents": written, "unchanged": docs["unchanged"], "failed": docs["failed"], "wall_s": round(wall, 2),
            "ingest_s": report["seconds"], "resolution_s": report.get("resolution_seconds", 0.0),
            "docs_per_s": round(written / wall, 2) if wall else 0.0, "peak_rss_mb": round(peak_main / 2**20),
            "peak_workers_rss_mb": round(peak_workers / 2**20)}


def store_figures(store: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "stats", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True)
    stats = json.loads(done.stdout) if done.returncode == 0 else {}
    # stats' store_bytes counts each file once (GraphStore.size_bytes: the reader snapshot hard-links the store's
    # table files, which a plain walk counted twice)
    return {"store_mb": round(stats.get("store_bytes", 0) / 2**20), "quads": stats.get("quads"), "documents": stats.get("documents"),
            "people": stats.get("people")}


def sync_time(store: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "sync", "--full", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return {"skipped": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "sync failed"}
    report = json.loads(done.stdout)
    return {"seconds": round(time.perf_counter() - started, 2), "report": report}


def query_latency(store: Path) -> dict:
    """The named queries' p50/p95 on both backends, by benchmarks/queries.py (the Neo4j work) when present."""
    script = ROOT / "benchmarks" / "queries.py"
    if not script.exists():
        return {"skipped": "benchmarks/queries.py is not in this tree yet"}
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        target = Path(fh.name)
    done = subprocess.run([sys.executable, str(script), "--store", str(store), "--json", str(target)], cwd=ROOT,
                          capture_output=True, text=True)
    # exit status 1 says a profile-style query missed its target: the figures were written all the same
    if done.returncode not in (0, 1) or not target.stat().st_size:
        target.unlink(missing_ok=True)
        return {"skipped": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    finally:
        target.unlink(missing_ok=True)


def markdown(result: dict) -> str:
    lines = ["| step | years | documents | step time | docs/s | resolution | peak RSS (main / workers) | store | quads | sync |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for s in result["steps"]:
        sync = s.get("sync", {})
        lines.append(f"| {s['years']} | {', '.join(s['added'])} | {s['corpus_documents']:,} | {s['seconds']:.0f} s | "
                     f"{s['docs_per_s']:.1f} | {s['resolution_s']:.0f} s | {s['peak_rss_mb']} / {s['peak_workers_rss_mb']} MB | "
                     f"{s['store']['store_mb']:,} MB | {s['store']['quads'] or 0:,} | "
                     f"{str(sync['seconds']) + ' s' if 'seconds' in sync else '–'} |")
    q = result["quarters"]
    lines += ["", f"First quarter {q[0]['quarter']}: {q[0]['wall_s']} s for {q[0]['documents']} documents "
              f"({q[0]['docs_per_s']} docs/s); last {q[-1]['quarter']}: {q[-1]['wall_s']} s for {q[-1]['documents']} "
              f"({q[-1]['docs_per_s']} docs/s); time per document last/first: {result['last_over_first']:.2f}.",
              f"Re-ingesting all {result['reingest']['unchanged']:,} documents unchanged: {result['reingest']['wall_s']} s."]
    return "\n".join(lines) + "\n"


def plot(result: dict, path: Path) -> None:
    try:
        import matplotlib
    except ImportError:  # an hour of measurement is not lost for want of the plot: JSON and Markdown are written
        print(f"no plot: matplotlib is not installed (.venv/bin/pip install -e '.[bench]'); {path} not written")
        return

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    q = result["quarters"]
    size = [x["corpus_documents"] for x in q]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    a.plot(size, [1000 * x["wall_s"] / max(1, x["documents"]) for x in q], marker="o", label="ingest")
    a.plot(size, [1000 * x["resolution_s"] / max(1, x["documents"]) for x in q], marker=".", label="of which resolution")
    a.set_xlabel("documents in the store")
    a.set_ylabel("ms per document (quarter by quarter)")
    a.legend()
    a.set_ylim(bottom=0)
    b.plot(size, [x["peak_rss_mb"] for x in q], marker="o", label="ingest process")
    b.plot(size, [x["store_mb"] for x in q], marker="s", label="store on disk")
    b.set_xlabel("documents in the store")
    b.set_ylabel("MB")
    b.legend()
    b.set_ylim(bottom=0)
    fig.suptitle("guanxi ingest: cost against corpus size (xwlb)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the xwlb folder (one sub-folder per year)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale")
    parser.add_argument("--steps", default="1,2,4,7", help="corpus sizes in years (default 1,2,4,7)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--days-per-quarter", type=int, help="a scaled-down run: the first N days of every quarter")
    parser.add_argument("--store", type=Path, help="the store to build (default: a temporary folder)")
    parser.add_argument("--sync", action="store_true", help="time a full guanxi sync after each step")
    parser.add_argument("--queries", action="store_true", help="named queries' p50/p95 after the last step")
    args = parser.parse_args(argv)
    available = [y for y in YEAR_ORDER if (args.corpus / y).is_dir()]
    steps = [int(s) for s in args.steps.split(",")]
    if max(steps) > len(available):
        parser.error(f"{args.corpus} has {len(available)} years, not {max(steps)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guanxi-scale-") as tmp_name:
        tmp = Path(tmp_name)
        store = args.store or tmp / "store"
        result: dict = {"corpus": str(args.corpus), "workers": args.workers, "days_per_quarter": args.days_per_quarter,
                        "cpus": os.cpu_count(), "steps": [], "quarters": []}
        done_years: list[str] = []
        corpus_docs = 0
        for years in steps:
            added = available[len(done_years):years]
            step = {"years": years, "added": added, "seconds": 0.0, "resolution_s": 0.0, "documents": 0,
                    "peak_rss_mb": 0, "peak_workers_rss_mb": 0}
            for label, files in quarters(args.corpus, added, args.days_per_quarter):
                q = run_ingest(store, files, args.workers, tmp)
                corpus_docs += q["documents"]
                q.update(quarter=label, corpus_documents=corpus_docs, store_mb=store_figures(store)["store_mb"])
                result["quarters"].append(q)
                print(f"{label}: {q['documents']} docs in {q['wall_s']} s ({q['docs_per_s']} docs/s, resolution "
                      f"{q['resolution_s']} s), peak RSS {q['peak_rss_mb']} MB (+{q['peak_workers_rss_mb']} MB workers), "
                      f"store {q['store_mb']} MB", flush=True)
                step["seconds"] += q["wall_s"]
                step["resolution_s"] += q["resolution_s"]
                step["documents"] += q["documents"]
                step["peak_rss_mb"] = max(step["peak_rss_mb"], q["peak_rss_mb"])
                step["peak_workers_rss_mb"] = max(step["peak_workers_rss_mb"], q["peak_workers_rss_mb"])
            done_years += added
            step.update(corpus_documents=corpus_docs, docs_per_s=step["documents"] / step["seconds"] if step["seconds"] else 0.0,
                        store=store_figures(store))
            if args.sync:
                step["sync"] = sync_time(store)
            result["steps"].append(step)
            print(f"step {years} year(s): {corpus_docs:,} documents, {step['seconds']:.0f} s, store {step['store']}",
                  flush=True)
        all_files = [f for label, files in quarters(args.corpus, done_years, args.days_per_quarter) for f in files]
        result["reingest"] = run_ingest(store, all_files, args.workers, tmp)
        q = result["quarters"]
        per_doc = [x["wall_s"] / x["documents"] for x in q if x["documents"]]
        result["last_over_first"] = per_doc[-1] / per_doc[0] if per_doc else 0.0
        result["median_ms_per_document"] = round(1000 * statistics.median(per_doc), 1) if per_doc else None
        if args.queries:
            result["queries"] = query_latency(store)
    args.out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    plot(result, args.out.with_suffix(".png"))
    print(markdown(result))
    print(f"wrote {args.out.with_suffix('.json')}, .md and .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
