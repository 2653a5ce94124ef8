"""Builds ``loaders/lexicons/model_places.txt``: names the statistical model reads as places or bodies far more
often than as persons across a corpus (赫尔松, 萨那, 哈马斯), for the cases where it tags them PER.

    .venv/bin/python benchmarks/build_place_lexicon.py ../shared/corpus/xwlb --every 2 > loaders/lexicons/model_places.txt

A name is listed when the model tags it LOC or ORG at least ``--min-count`` times and at least ``--ratio``
times as often as PER, and it is not already in the gazetteer of China's divisions. Within one document
the people component already drops a name the model reads as a place elsewhere in it; this list carries
the same evidence across documents. Reproducible: same corpus, same model, same list.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter

from guanxi.loaders.components.ner import LacModel, pieces
from guanxi.loaders.lexicon import default_lexicon
from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.readers import PRESETS, iter_records
from guanxi.loaders.text_units import sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--ratio", type=float, default=5.0)
    parser.add_argument("--every", type=int, default=1, help="read every Nth document (a faster, smaller sample)")
    args = parser.parse_args(argv)
    model = LacModel()
    lex = default_lexicon()
    place_like: Counter = Counter()
    person: Counter = Counter()
    documents = 0
    for i, item in enumerate(iter_records([args.corpus], PRESETS["xwlb"])):
        if isinstance(item, GuanxiInputError) or i % args.every:
            continue
        documents += 1
        text = item.text
        chunks = pieces(text, [s.span for s in sentences(text)], 160)
        if not chunks:
            continue
        for (offset, piece), tags in zip(chunks, model.tag([p for _, p in chunks])):
            for start, end, label in model.words(piece, tags):
                word = piece[start:end]
                if len(word) < 2:
                    continue
                if label in ("LOC", "ORG"):
                    place_like[word] += 1
                elif label == "PER":
                    person[word] += 1
    listed = sorted(w for w, n in person.items()
                    if place_like[w] >= args.min_count and place_like[w] >= args.ratio * n and not lex.places.lookup(w))
    print("# Names the statistical model (LAC) reads as a place or a body far more often than as a person, across")
    print(f"# {documents} documents of {args.corpus.rstrip('/').split('/')[-1]} (LOC/ORG >= {args.min_count} and >= {args.ratio} x PER),")
    print("# that it sometimes tags PER. Built by benchmarks/build_place_lexicon.py; rebuild rather than edit by hand.")
    print("# A name here is never a person on the model's word alone (a title before it still makes it one).")
    for word in listed:
        print(f"{word}\t# LOC/ORG {place_like[word]}, PER {person[word]}")
    print(f"{len(listed)} names from {documents} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
