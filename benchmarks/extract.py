"""Extraction throughput on a corpus, against plain jieba.posseg over the same texts, in the same run.

    .venv/bin/python benchmarks/extract.py ../shared/corpus/xwlb/2025 [--preset xwlb] [--limit N]

Prints documents/s and characters/s for guanxi's extraction (cleaning, metadata and every pipeline
component: the statistical model, people, bodies, events, directives, industries) and characters/s of
``jieba.posseg.cut`` alone, with the ratio, then each component's share of the pipeline's time.
Documents are extracted as ``guanxi ingest`` and ``guanxi extract`` do, in groups whose sentences the model
reads together (``--group``, default ``loaders.pipeline.GROUP``); ``--group 1`` is one document at a time.
Target: ratio >= 1.0 on one core. Reading and HTML conversion are done once, before timing, so both
sides are timed on the same in-memory texts.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import jieba
import jieba.posseg

from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.pipeline import GROUP, process_record, process_records
from guanxi.loaders.readers import PRESETS, ReaderOptions, iter_records

from _pipelines import add_ner_option, pipeline_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a file or directory of documents")
    parser.add_argument("--preset", default=None, help="reader preset (default: xwlb when the corpus looks like it)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--group", type=int, default=GROUP, help=f"documents extracted together (default {GROUP})")
    add_ner_option(parser)
    args = parser.parse_args()
    pipeline = pipeline_for(args.ner)

    preset = args.preset or ("xwlb" if "xwlb" in os.path.abspath(args.corpus) else None)
    options = PRESETS[preset] if preset else ReaderOptions()
    records = []
    failed_reading = 0
    for item in iter_records([args.corpus], options):
        if isinstance(item, GuanxiInputError):
            failed_reading += 1
            continue
        records.append(item)
        if args.limit and len(records) >= args.limit:
            break
    characters = sum(len(r.text) for r in records)
    print(f"corpus: {args.corpus} ({preset or 'no preset'}): {len(records)} documents, {characters:,} characters, {failed_reading} unreadable")

    jieba.initialize()
    # warm up both sides (lexicons, jieba's dictionary, compiled patterns) outside the timings
    for record in records[:3]:
        process_record(record, pipeline)
        list(jieba.posseg.cut(record.text))

    # the two are timed group by group, in turn, on the same texts: the machine is shared and its speed drifts
    # by half within minutes, so timing one side after the other made the ratio move with the load
    groups = [records[k:k + args.group] for k in range(0, len(records), max(args.group, 1))]
    ours = baseline = 0.0
    failed = 0
    for group in groups:
        started = time.perf_counter()
        failed += sum(isinstance(r, GuanxiInputError) for r in process_records(group, pipeline))
        ours += time.perf_counter() - started
        started = time.perf_counter()
        for record in group:
            for _ in jieba.posseg.cut(record.text):
                pass
        baseline += time.perf_counter() - started

    # a second pass with each component timed (timing itself costs a little: the ratio uses the first pass)
    shares: dict[str, float] = {}
    for group in groups:
        process_records(group, pipeline, timings=shares)

    ours_cps = characters / ours
    base_cps = characters / baseline
    print(f"guanxi extract : {len(records) / ours:10.1f} documents/s {ours_cps:12,.0f} characters/s ({ours:.1f} s, {failed} failed)")
    print(f"jieba.posseg   : {len(records) / baseline:10.1f} documents/s {base_cps:12,.0f} characters/s ({baseline:.1f} s)")
    print(f"ratio (extract / posseg): {ours_cps / base_cps:.2f}  (target >= 1.0)")
    total = sum(shares.values()) or 1.0
    print("share of the pipeline's time by component: " + ", ".join(
        f"{name} {100 * seconds / total:.0f}%" for name, seconds in sorted(shares.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
