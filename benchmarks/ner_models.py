"""Which statistical model proposes person names: each candidate alone, on the same texts, in the same run.

    .venv/bin/python benchmarks/ner_models.py ../shared/corpus/cluener/train.json ../shared/corpus/gold/xwlb2025
        [--models lac,jiagu,jieba] [--format text|json]

For each model, its person spans alone (no rules, no fusion):

* CLUENER held-out (the fixed 1,000 sentences of ``benchmarks/cluener.py``): span precision, recall, F1 of the
  ``name`` label;
* a gold folder (``F.txt`` + ``F.json``): precision, recall, F1 of the set of names per document (micro);
* throughput in characters per second over both, one core, model loading excluded.

Models: ``lac`` (Baidu LAC on ONNX Runtime, the runtime guanxi ships: ``ner.lac`` without the person head),
``jiagu`` (``pip install jiagu``: ``ner`` over its own ``seg``), ``jieba`` (``jieba.posseg``'s ``nr`` words). A model whose
package is missing is reported as such, not an error. This is how the ``ner`` component's model was chosen
(``docs/extraction-quality.md``).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).parent))
from cluener import gold_spans, load, split  # noqa: E402

Spans = list[tuple[int, int]]


def lac_model() -> Callable[[list[str]], list[Spans]]:
    from guanxi.loaders.components.ner import LacModel, pieces

    model = LacModel()

    def run(texts: list[str]) -> list[Spans]:
        out = []
        for text in texts:
            chunks = pieces(text, [(0, len(text))], 160)
            spans = []
            for (offset, piece), tags in zip(chunks, model.tag([p for _, p in chunks])):
                spans += [(offset + s, offset + e) for s, e, label in model.words(piece, tags) if label == "PER"]
            out.append(spans)
        return out

    return run


def jiagu_model() -> Callable[[list[str]], list[Spans]]:
    import jiagu

    jiagu.init()

    def run(texts: list[str]) -> list[Spans]:
        out = []
        for text in texts:
            # jiagu tags the words of its own segmentation, one tag per word
            words = jiagu.seg(text)
            spans, pos, start = [], 0, None
            for word, tag in zip(words + [""], list(jiagu.ner(words)) + ["O"]):
                if start is not None and tag != "I-PER":
                    spans.append((start, pos))
                    start = None
                if tag == "B-PER":
                    start = pos
                pos += len(word)
            out.append(spans)
        return out

    return run


def jieba_model() -> Callable[[list[str]], list[Spans]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()

    def run(texts: list[str]) -> list[Spans]:
        out = []
        for text in texts:
            spans, pos = [], 0
            for word, flag in jieba.posseg.cut(text):
                if flag == "nr" and len(word) >= 2:
                    spans.append((pos, pos + len(word)))
                pos += len(word)
            out.append(spans)
        return out

    return run


MODELS = {"lac": lac_model, "jiagu": jiagu_model, "jieba": jieba_model}


def prf(tp: int, gold: int, found: int) -> dict[str, float]:
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def gold_documents(folder: Path) -> list[tuple[str, set[str]]]:
    from guanxi.loaders.readers import ReaderOptions, iter_records

    out = []
    for path in sorted(folder.glob("*.json")):
        [record] = list(iter_records([str(path.with_suffix(".txt"))], ReaderOptions()))
        out.append((record.text, set(json.loads(path.read_text(encoding="utf-8")).get("people", {}))))
    return out


def measure(name: str, cluener_rows: list[dict], gold_docs: list[tuple[str, set[str]]]) -> dict:
    try:
        run = MODELS[name]()
    except ImportError as exc:
        return {"model": name, "missing": str(exc)}
    sentences = [r["text"] for r in cluener_rows]
    started = time.perf_counter()
    found = run(sentences)
    news = run([text for text, _ in gold_docs])
    seconds = time.perf_counter() - started
    tp = sum(len(set(f) & gold_spans(r, "name")) for f, r in zip(found, cluener_rows))
    cluener = prf(tp, sum(len(gold_spans(r, "name")) for r in cluener_rows), sum(len(set(f)) for f in found))
    names = [{text[s:e] for s, e in spans} for spans, (text, _) in zip(news, gold_docs)]
    tp = sum(len(n & g) for n, (_, g) in zip(names, gold_docs))
    gold = prf(tp, sum(len(g) for _, g in gold_docs), sum(len(n) for n in names))
    chars = sum(map(len, sentences)) + sum(len(t) for t, _ in gold_docs)
    return {"model": name, "cluener_name": cluener, "gold_people": gold, "chars_per_second": round(chars / seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cluener", type=Path, help="CLUENER train.json")
    parser.add_argument("gold_dir", type=Path, help="a folder of F.txt + F.json gold readings")
    parser.add_argument("--models", default="lac,jiagu,jieba")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    rows = split(load(args.cluener), "held-out")
    docs = gold_documents(args.gold_dir)
    results = [measure(m.strip(), rows, docs) for m in args.models.split(",") if m.strip()]
    if args.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"{len(rows)} CLUENER held-out sentences, {len(docs)} gold documents ({args.gold_dir.name})")
    print(f"{'model':8} {'CLUENER name P / R / F1':>26} {'gold people P / R / F1':>26} {'chars/s':>10}")
    for r in results:
        if "missing" in r:
            print(f"{r['model']:8} not installed ({r['missing']})")
            continue
        c, g = r["cluener_name"], r["gold_people"]
        print(f"{r['model']:8} {c['precision']:>8.3f} {c['recall']:.3f} {c['f1']:.3f}"
              f"       {g['precision']:>8.3f} {g['recall']:.3f} {g['f1']:.3f} {r['chars_per_second']:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
