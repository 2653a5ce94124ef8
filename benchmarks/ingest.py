"""Ingest throughput on a corpus, against extraction alone, in the same run.

    .venv/bin/python benchmarks/ingest.py ../shared/corpus/xwlb/2025 [--preset xwlb] [--limit N] [--workers N]

Prints documents/s of ``guanxi ingest`` into a fresh store (reading, extraction, emission, atomic writes,
resolution) and of extraction alone (reading + ``process_record``, with the same number of worker
processes), the ratio ingest/extract, peak memory (``resource.getrusage``: this process and the largest
worker) and the store's size on disk.
"""
from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from guanxi.api import Guanxi, _spawn
from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.pipeline import process_record
from guanxi.loaders.readers import PRESETS, ReaderOptions, iter_records


def _extract(record) -> bool:
    try:
        process_record(record)
        return True
    except GuanxiInputError:
        return False


def extract_only(corpus: str, options: ReaderOptions, limit: int | None, workers: int) -> tuple[int, float]:
    started = time.perf_counter()
    records = (r for r in iter_records([corpus], options) if not isinstance(r, GuanxiInputError))
    records = itertools.islice(records, limit)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_spawn()) as pool:
            n = sum(1 for _ in pool.map(_extract, records, chunksize=8))
    else:
        n = sum(1 for r in records if _extract(r) or True)
    return n, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a file or directory of documents")
    parser.add_argument("--preset", default=None, help="reader preset (default: xwlb when the path says so)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--workers", type=int, default=1, help="extraction processes (both sides)")
    parser.add_argument("--store", default=None, help="store directory (default: a fresh temporary one, deleted)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args()

    preset = args.preset or ("xwlb" if "xwlb" in os.path.abspath(args.corpus) else None)
    options = PRESETS[preset] if preset else ReaderOptions()
    store_dir = args.store or tempfile.mkdtemp(prefix="guanxi-bench-")
    print(f"corpus: {args.corpus} ({preset or 'no preset'}), limit {args.limit or 'none'}, workers {args.workers}, store {store_dir}")

    started = time.perf_counter()
    with Guanxi(store_dir) as gx:
        report = gx.ingest([args.corpus], options, workers=args.workers, limit=args.limit)
    ingest_seconds = time.perf_counter() - started
    # measured closed: an open store also holds RocksDB's write-ahead log
    size = sum(f.stat().st_size for f in Path(store_dir).rglob("*") if f.is_file())
    ingested = len(report.new) + len(report.changed) + len(report.unchanged) + len(report.failed)

    n_extract, extract_seconds = extract_only(args.corpus, options, args.limit, args.workers)

    ingest_rate, extract_rate = ingested / ingest_seconds, n_extract / extract_seconds
    print(f"ingest  : {ingest_rate:8.1f} documents/s ({ingested} documents in {ingest_seconds:.1f} s: "
          f"{len(report.new)} new, {len(report.changed)} changed, {len(report.unchanged)} unchanged, {len(report.failed)} failed)")
    print(f"extract : {extract_rate:8.1f} documents/s ({n_extract} documents in {extract_seconds:.1f} s)")
    print(f"ratio (ingest / extract): {ingest_rate / extract_rate:.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MiB (this process), {children:.0f} MiB (largest worker)")
    print(f"store size: {size / 2**20:.1f} MiB; {report.counts}")
    if not args.store and not args.keep:
        shutil.rmtree(store_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
