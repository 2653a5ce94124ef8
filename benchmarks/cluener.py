"""Person names and titles on CLUENER2020: span F1 on a fixed held-out split of 1,000 sentences.

    .venv/bin/python benchmarks/cluener.py ../shared/corpus/cluener/train.json [--format text|json] [--show N]
    .venv/bin/python benchmarks/cluener.py TRAIN_JSON --split rest      # the other sentences (for development)
    .venv/bin/python benchmarks/cluener.py TRAIN_JSON --split dev       # 1,000 of those, for model selection

CLUENER's ``train.json`` holds JSON lines ``{"text", "label": {type: {entity: [[start, end], ...]}}}`` whose
end index is *inclusive*. The held-out split is 1,000 line numbers drawn once with a fixed seed
(``random.Random(20200925).sample``); nothing in guanxi is tuned on it — use ``--split rest`` to look at
errors. ``rest`` is cut once more, with its own seed, into ``dev`` (1,000 sentences that select models and
settings) and ``train`` (what ``benchmarks/train_person_head.py`` learns from). Each sentence goes through the same pipeline as ``guanxi extract`` (as a document of its own) and is
scored at the level of exact spans:

* ``name``: every mention span of every extracted person against the gold ``name`` spans;
* ``position``: the span of each extracted title as written (``positions[].title_span``) against the gold
  ``position`` spans. CLUENER's positions are broad (记者, 专家, 主持人, 教练 …) where guanxi reads official
  posts, so this figure says how far the title lexicon reaches beyond government text.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from guanxi.loaders.model import GuanxiInputError, SourceRecord
from guanxi.loaders.pipeline import process_record

from _pipelines import add_ner_option, pipeline_for

HELD_OUT = 1000
SEED = 20200925
DEV = 1000
DEV_SEED = 7
SPLITS = ("held-out", "rest", "dev", "train")


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                row = json.loads(line)
                row["line"] = number
                rows.append(row)
    return rows


def split(rows: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    """``held-out`` (the benchmark's), ``rest`` (everything else) = ``dev`` + ``train``."""
    if which not in SPLITS:
        raise ValueError(f"unknown split {which!r}: one of {', '.join(SPLITS)}")
    held = set(random.Random(SEED).sample(range(len(rows)), HELD_OUT))
    if which == "held-out":
        return [r for i, r in enumerate(rows) if i in held]
    rest = [r for i, r in enumerate(rows) if i not in held]
    if which == "rest":
        return rest
    dev = set(random.Random(DEV_SEED).sample(range(len(rest)), DEV))
    return [r for i, r in enumerate(rest) if (i in dev) == (which == "dev")]


def gold_spans(row: dict[str, Any], label: str) -> set[tuple[int, int]]:
    return {(s, e + 1) for spans in row.get("label", {}).get(label, {}).values() for s, e in spans}


def extracted_spans(doc) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Spans in the sentence as given (cleaning may have removed characters: map back)."""
    names, titles = set(), set()
    to_original = doc.clean.offsets.span_to_original
    for person in doc.facts["people"]:
        names.update(to_original(tuple(s)) for s in person.get("mentions", []))
        for position in person.get("positions", []):
            if position.get("title_span"):
                titles.add(to_original(tuple(position["title_span"])))
    return names, titles


def prf(tp: int, gold: int, extracted: int) -> dict[str, float]:
    p = tp / extracted if extracted else 1.0
    r = tp / gold if gold else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "found": tp, "gold": gold, "extracted": extracted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train_json", type=Path)
    parser.add_argument("--split", choices=SPLITS, default="held-out")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--show", type=int, default=15, help="misses and false hits printed (text format)")
    add_ner_option(parser)
    args = parser.parse_args(argv)
    pipeline = pipeline_for(args.ner)
    if not args.train_json.is_file():
        print(f"cluener.py: {args.train_json} is not a file", file=sys.stderr)
        return 2
    rows = split(load(args.train_json), args.split)
    counts = {"name": [0, 0, 0], "position": [0, 0, 0]}
    misses: list[str] = []
    false_hits: list[str] = []
    failures: list[str] = []
    started = time.perf_counter()
    for row in rows:
        record = SourceRecord(path=f"cluener:{row['line']}", text=row["text"], format="txt")
        try:
            names, titles = extracted_spans(process_record(record, pipeline))
        except GuanxiInputError:
            names, titles = set(), set()
        except Exception as exc:  # a crash is a finding; the rest is still measured
            failures.append(f"{row['line']}: {type(exc).__name__}: {exc}")
            names, titles = set(), set()
        for label, found in (("name", names), ("position", titles)):
            gold = gold_spans(row, label)
            c = counts[label]
            c[0] += len(gold & found)
            c[1] += len(gold)
            c[2] += len(found)
            if label == "name":
                text = row["text"]
                for s, e in sorted(gold - found):
                    misses.append(f"{row['line']}: {text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 8]}")
                for s, e in sorted(found - gold):
                    false_hits.append(f"{row['line']}: {text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 8]}")
    seconds = time.perf_counter() - started
    result = {"split": args.split, "sentences": len(rows), "seconds": round(seconds, 2),
              "failures": failures, "name": prf(*counts["name"]), "position": prf(*counts["position"])}
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"CLUENER {args.split}: {len(rows)} sentences, {seconds:.1f} s, {len(failures)} crashed")
    for line in failures[: args.show]:
        print("  crashed: " + line)
    for label in ("name", "position"):
        r = result[label]
        print(f"{label:<9} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}"
              f"   (found {r['found']}/{r['gold']}, extracted {r['extracted']})")
    print(f"\nname misses: {len(misses)}")
    for line in misses[: args.show]:
        print("  " + line)
    print(f"\nname false hits: {len(false_hits)}")
    for line in false_hits[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
