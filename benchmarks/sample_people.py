"""Draw a reproducible random sample of extracted (person, position) pairs for a precision spot-check.

    .venv/bin/python benchmarks/sample_people.py ../shared/corpus/xwlb/2025 --seed 2025 --n 30

Runs ``guanxi.loaders.pipeline.extract_paths`` over EVERY document of the corpus (with the ``xwlb``
reader preset when the path contains "xwlb", or the preset given with ``--preset``), reports how many
documents were extracted and how many failed (with each failure's reason), counts people and positions,
then draws ``--n`` positions uniformly at random (``random.Random(seed).sample``) from all extracted
positions except byline ones (``from_byline``: reporter / editor from the page metadata).

For each sampled position it prints a Markdown table row: document id, the person's name, ``post``,
``title``, ``organization``, the ``quote`` and ~40 characters of context from the cleaned text
(``ExtractedDocument.text``) around the position's span, with the span itself in 【】. The rows end in
empty judgment columns (name / title / body) to be filled in by hand.

The population is ordered by extraction order (files walked in sorted order, records in file order,
people and positions in the order the extractor emits them), so the same corpus, extractor and seed
give the same sample.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter

from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.pipeline import extract_paths
from guanxi.loaders.readers import PRESETS, ReaderOptions


def _cell(value: object) -> str:
    """A value made safe for a Markdown table cell."""
    if value is None:
        return "—"
    s = str(value).replace("\r", " ").replace("\n", "⏎").replace("|", "\\|")
    return s if s else "—"


def _context(text: str, span: list[int] | None, width: int) -> str:
    if not span:
        return ""
    start, end = span
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return ("…" if start - width > 0 else "") + left + "【" + text[start:end] + "】" + right + ("…" if end + width < len(text) else "")


# Heuristic flags for error patterns seen in the hand-judged samples. They are string tests, not judgments:
# each count is of positions that match the test (most, not all, of them are errors), to size a pattern.
def _patterns(text: str, name: str, position: dict) -> list[str]:
    start, end = position["span"]
    org = position.get("organization") or ""
    before = text[max(0, start - 3):start]
    flags = []
    if text[end:end + 1] in ("·", "•", "-"):
        flags.append("name cut at an interpunct (X·Y kept as X)")
    if text[max(0, start - 3):start].endswith("习近平"):
        flags.append("word after 习近平+title taken as a name (习近平总书记曾来 → 曾来)")
    if org == "中华人民共和国国务院" and position.get("title") == "总理" and name != "李强":
        flags.append("foreign 总理 resolved to 中华人民共和国国务院")
    if before.endswith("前"):
        flags.append("前 (former) dropped before the title")
    if "驻" in before or "驻" in (position.get("quote") or "")[:6]:
        flags.append("ambassador/consul (驻…): body is the host country or missing")
    written = text[start:end]
    if "外交部长" in written and position.get("title") == "部长" and org and "部" not in org:
        flags.append("外交部长 → 部长 at the country (ministry dropped)")
    if not org:
        flags.append("no organization")
    if org.startswith(("以及", "和", "与", "同", "及")):
        flags.append("conjunction kept in the organization")
    if org.startswith("大会") or org.startswith("自治区") or org in ("公司", "旅", "武装", "国", "轮值", "国务", "国防", "财政", "科技有限公司"):
        flags.append("organization is a bare/truncated head (大会…, 自治区…, 公司, 旅, 武装, 国, 轮值…)")
    return flags


def _print_patterns(population: list[tuple[int, str, dict, dict]], texts: dict[int, str]) -> None:
    counts: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = {}
    for doc_index, _, person, position in population:
        for flag in _patterns(texts[doc_index], person["name"], position):
            counts[flag] += 1
            examples.setdefault(flag, Counter())[f"{person['name']} ({position.get('post')})"] += 1
    print("## Heuristic pattern counts (all non-byline positions)\n")
    print("| pattern | positions | most frequent |")
    print("|---|---|---|")
    for flag, count in counts.most_common():
        top = ", ".join(f"{e} ×{c}" for e, c in examples[flag].most_common(4))
        print(f"| {_cell(flag)} | {count} | {_cell(top)} |")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a file or directory of documents")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--n", type=int, default=30, help="sample size (default 30)")
    parser.add_argument("--preset", default=None, help="reader preset (default: xwlb when the path contains 'xwlb')")
    parser.add_argument("--context", type=int, default=20, help="characters of context on each side of the span (default 20)")
    parser.add_argument("--patterns", action="store_true",
                        help="also print corpus-wide counts of suspicious positions found by simple string heuristics")
    args = parser.parse_args()

    preset = args.preset or ("xwlb" if "xwlb" in os.path.abspath(args.corpus) else None)
    options = PRESETS[preset] if preset else ReaderOptions()

    started = time.perf_counter()
    ok = 0
    failures: list[GuanxiInputError] = []
    texts: dict[tuple[str, int], str] = {}
    population: list[tuple[int, str, dict, dict]] = []  # (doc index, doc id, person, position)
    people_total = 0
    people_with_positions = 0
    positions_total = 0
    byline_positions = 0
    distinct_names: set[str] = set()
    for item in extract_paths([args.corpus], options):
        if isinstance(item, GuanxiInputError):
            failures.append(item)
            continue
        doc_index = ok
        ok += 1
        facts = item.facts
        doc_id = facts["document"]["id"]
        texts[doc_index] = item.text
        for person in facts["people"]:
            people_total += 1
            distinct_names.add(person["name"])
            non_byline = [p for p in person["positions"] if not p.get("from_byline")]
            if non_byline:
                people_with_positions += 1
            for position in person["positions"]:
                positions_total += 1
                if position.get("from_byline"):
                    byline_positions += 1
                    continue
                population.append((doc_index, doc_id, person, position))
    elapsed = time.perf_counter() - started

    print(f"# Sample of extracted people/posts\n")
    print(f"- corpus: `{args.corpus}` (preset: {preset or 'none'})")
    print(f"- command: `.venv/bin/python benchmarks/sample_people.py {args.corpus} --seed {args.seed} --n {args.n}"
          + (f" --preset {args.preset}" if args.preset else "") + (" --patterns" if args.patterns else "") + "`")
    print(f"- documents extracted: {ok}; failed: {len(failures)}; time: {elapsed:.1f} s")
    for f in failures:
        print(f"  - FAILED: {f.describe()}")
    print(f"- people (per-document person entries): {people_total}; distinct names: {len(distinct_names)}; "
          f"with at least one non-byline position: {people_with_positions}")
    print(f"- positions: {positions_total} total; {byline_positions} from bylines (excluded); "
          f"{len(population)} sampled from")
    titles = Counter(p["title"] for _, _, _, p in population)
    print(f"- most frequent titles: " + ", ".join(f"{t} {c}" for t, c in titles.most_common(10)))
    print()

    if args.patterns:
        _print_patterns(population, texts)

    n = min(args.n, len(population))
    rng = random.Random(args.seed)
    sample = rng.sample(population, n)
    print(f"## {n} random positions (seed {args.seed})\n")
    print("| # | document | name | post | title | organization | quote | context | name ok | title ok | body ok | note |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for i, (doc_index, doc_id, person, position) in enumerate(sample, 1):
        ctx = _context(texts[doc_index], position.get("span"), args.context)
        print("| " + " | ".join([
            str(i), _cell(doc_id), _cell(person["name"]), _cell(position.get("post")), _cell(position.get("title")),
            _cell(position.get("organization")), _cell(position.get("quote")), _cell(ctx), "", "", "", "",
        ]) + " |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
