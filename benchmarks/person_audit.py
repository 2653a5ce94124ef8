"""Every person name extraction gives on a corpus, checked against what a name can never be.

    .venv/bin/python benchmarks/person_audit.py ../shared/corpus/xwlb/2025 [--format text|json] [--top 60]

Runs ``guanxi extract`` over the corpus and counts person names by document. A name is flagged when it is

* ``state``: a foreign state or an international body (乌克兰, 黎巴嫩, 联合国);
* ``place``: a place of China's administrative divisions (唐山, 河北);
* ``fragment``: the tail of a title (长金正恩 from 委员长金正恩: a title ends at its first character), a
  title or body word itself (主席国), a surname and a function word (国为), a body (…委员会, …部), or a
  common dictionary word (杨柳).

The flagged list is what must be empty (issue: "no person named after a state, place or fragment"); the
most frequent names are printed too, to read.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict

from guanxi.loaders.lexicon import default_lexicon
from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.names import jieba_freq, jieba_tag
from guanxi.loaders.pipeline import process_record
from guanxi.loaders.readers import PRESETS, ReaderOptions, iter_records


def why_not_a_name(name: str, lex) -> str | None:
    if name in lex.foreign_states or name in lex.international_bodies:
        return "state"
    if lex.places.lookup(name):
        return "place"
    if len(name) > 1 and lex.title_ending_at(name, 1) is not None:
        return "fragment: title tail"
    if name in lex.titles or lex.title_pattern.fullmatch(name):
        return "fragment: title"
    if len(name) == 2 and name[1] in lex.function_chars:
        return "fragment: function word"
    if name.endswith(tuple(s for s in lex.bodies["suffixes"] if len(s) > 1)):
        return "fragment: body"
    if name in lex.non_names:
        return "fragment: listed non-name"
    tag = jieba_tag(name)
    if tag is not None and not tag.startswith("nr") and jieba_freq(name) >= 200:
        return "fragment: common word"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a file or folder of documents")
    parser.add_argument("--preset", default=None, help="reader preset (default: xwlb when the path says so)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--top", type=int, default=60, help="most frequent names printed")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    preset = args.preset or ("xwlb" if "xwlb" in args.corpus else None)
    options = PRESETS[preset] if preset else ReaderOptions()
    lex = default_lexicon()
    names: Counter = Counter()
    example: dict[str, str] = {}
    documents = failed = 0
    started = time.perf_counter()
    for item in iter_records([args.corpus], options):
        if isinstance(item, GuanxiInputError):
            failed += 1
            continue
        try:
            extracted = process_record(item)
        except GuanxiInputError:
            failed += 1
            continue
        documents += 1
        text = extracted.text
        for person in extracted.facts["people"]:
            names[person["name"]] += 1
            if person["name"] not in example and person["mentions"]:
                s, e = person["mentions"][0]
                example[person["name"]] = f"{extracted.meta.id}: {text[max(0, s - 10):s]}[{text[s:e]}]{text[e:e + 10]}"
        if args.limit and documents >= args.limit:
            break
    flagged: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, count in names.most_common():
        reason = why_not_a_name(name, lex)
        if reason:
            flagged[reason].append((name, count))
    seconds = time.perf_counter() - started
    if args.format == "json":
        print(json.dumps({"documents": documents, "failed": failed, "seconds": round(seconds, 1),
                          "distinct_names": len(names), "flagged": {k: v for k, v in flagged.items()},
                          "top": names.most_common(args.top)}, ensure_ascii=False, indent=1))
        return 0
    print(f"{documents} documents ({failed} failed) in {seconds:.0f} s: {sum(names.values())} person entries, "
          f"{len(names)} distinct names")
    total = sum(c for v in flagged.values() for _, c in v)
    print(f"flagged as never a name: {total} entries, {sum(len(v) for v in flagged.values())} names")
    for reason, items in sorted(flagged.items()):
        print(f"  {reason}: " + ", ".join(f"{n}×{c}" for n, c in items))
        for n, _ in items[:8]:
            print(f"      {example.get(n, '')}")
    print(f"\nmost frequent names:\n  " + ", ".join(f"{n}×{c}" for n, c in names.most_common(args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
