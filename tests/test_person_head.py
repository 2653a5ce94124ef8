"""The CLUENER person head: shipped with the package, run inside LAC's ONNX graph, fused with the rules."""
from __future__ import annotations

import numpy as np
import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.components.ner import LacModel, PersonHead, pieces
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta
from guanxi.loaders.registry import Pipeline, PipelineConfigError

# sentences of CLUENER's training part (train.json lines 1, 373, 1457, 769; none in the benchmark's held-out)
SENTENCES = {
    "浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。叶老桂认为，对目前国内商业银行而言，": {"叶老桂"},
    "杰克逊生前的音乐总监BradBuxer曾在接受法国杂志《黑与白》": {"杰克逊", "BradBuxer"},
    "不过主帅奥尼尔对球队再度从杯赛中早早出局不以为忤，": {"奥尼尔"},
    "TH000与xigua分获魔兽3和星际2项目冠军。": {"TH000", "xigua"},
}
NEWS = ("国家主席习近平在北京人民大会堂会见越南国家主席苏林。石泰峰、王东峰等参加会见。"
        "眼下，贵州270多万亩李子树陆续进入盛花期。新华社记者王新庆摄。")


@pytest.fixture(scope="module")
def model() -> LacModel:
    return LacModel(head=PersonHead())


def test_the_head_ships_with_the_package_and_loads_without_a_network(model):
    head = model.head
    assert head.input == LacModel.FIRST_LAYER and head.layers >= 1
    assert head.tags[0] == "O" and {"B-name", "I-name", "B-organization"} <= set(head.tags)
    # trained on the benchmark's train split only, selected on its dev split
    assert head.meta["train_sentences"] > 8000 and head.meta["dev_sentences"] == 1000


@pytest.mark.parametrize("text,names", list(SENTENCES.items()))
def test_the_head_finds_the_names_of_real_sentences(model, text, names):
    ((_, tags),) = model.tag_with_head([text])
    assert names <= {text[s:e] for s, e in model.head.names(tags)}


def test_the_head_tags_a_batch_exactly_as_one_sentence_at_a_time(model):
    text = "".join(SENTENCES) + NEWS
    sentences = [p for _, p in pieces(text, [(0, len(text))], 24)]
    assert len({len(s) for s in sentences}) > 1
    batched = model.tag_with_head(sentences, batch_size=8)
    for sentence, (lac, head) in zip(sentences, batched):
        ((lac_alone, head_alone),) = model.tag_with_head([sentence], batch_size=1)
        assert np.array_equal(lac, lac_alone) and np.array_equal(head, head_alone), sentence
    # and LAC's own tags are those of the model without a head
    assert all(np.array_equal(a, b) for a, b in zip([lac for lac, _ in batched], LacModel().tag(sentences, batch_size=8)))


def _people(text: str, pipeline: Pipeline) -> set[str]:
    facts = extract(clean(text), DocumentMeta(id="t", path="t.txt", published="2025-03-15"), pipeline)
    return {p["name"] for p in facts["people"]}


def test_the_pipeline_with_the_head_reads_untitled_and_latin_letter_names():
    with_head = Pipeline.from_config({"components": {"ner": {"person_head": "join"}}})
    without = Pipeline.from_config({"components": {"ner": {"person_head": "off"}}})
    text = "杰克逊生前的音乐总监BradBuxer曾在接受法国杂志《黑与白》"
    assert {"杰克逊", "BradBuxer"} <= _people(text, with_head)
    assert "杰克逊" not in _people(text, without)             # an untitled transliteration needs context there
    news = _people(NEWS, with_head)
    assert {"习近平", "苏林", "石泰峰", "王东峰", "王新庆"} <= news and "李子树" not in news


def test_an_unknown_head_mode_is_refused_with_the_choices():
    with pytest.raises(PipelineConfigError, match="person_head must be one of off, replace, join"):
        Pipeline.from_config({"components": {"ner": {"person_head": "yes"}}})


def _brute_force_viterbi(scores, length, trans, start, end):
    """Every tag against every previous one, one row: the textbook pass the fast one must equal."""
    import numpy as np

    best = scores[0] + (start if start is not None else 0)
    back = []
    for t in range(1, length):
        candidates = best[:, None] + trans                      # (from, to)
        back.append(candidates.argmax(axis=0))
        best = candidates.max(axis=0) + scores[t]
    if end is not None:
        best = best + end
    path = [int(best.argmax())]
    for pointer in reversed(back):
        path.append(int(pointer[path[-1]]))
    return path[::-1]


def test_the_viterbi_pass_equals_the_full_comparison_also_when_tags_are_close():
    # the fast pass compares all tags only where the second best is within the transitions' span of the best;
    # rows of random scores scaled from flat (every step close: the full comparison) to peaked (the shortcut),
    # with ties, of lengths 1 to the batch's, with and without start/end scores as the two CRFs have them
    import numpy as np

    from guanxi.loaders.components.ner import viterbi

    rng = np.random.default_rng(7)
    for k, scale in ((59, 0.01), (59, 0.3), (59, 5.0), (21, 1.0), (21, 20.0)):
        trans = rng.uniform(-0.2, 0.2, (k, k)).astype(np.float32)
        scores = (rng.normal(size=(40, 30, k)) * scale).astype(np.float32)
        scores[3, :, :] = 0.0                                   # all tied: the lowest tag wins, as argmax
        lengths = rng.integers(1, 31, size=40)
        lengths[0] = 30
        for start, end in ((None, None), (rng.normal(size=k).astype(np.float32), rng.normal(size=k).astype(np.float32))):
            paths = viterbi(scores, lengths, trans, start, end)
            for row in range(40):
                assert list(paths[row]) == _brute_force_viterbi(scores[row], int(lengths[row]), trans, start, end)


def test_the_model_tags_the_same_whatever_rows_are_decoded_together():
    # LAC's and the head's CRFs are decoded over DECODE_ROWS rows stacked from several model batches (padded
    # to the longest): the tags must not depend on which rows share a pass
    import numpy as np

    from guanxi.loaders.components.ner import LacModel, PersonHead

    texts = ["中", "习近平", "国家主席习近平在北京人民大会堂会见越南国家主席苏林。",
             "石泰峰、王东峰等参加会见。新华社记者王新庆摄。", "BradBuxer表示，他将参加比赛。"] * 3
    model = LacModel(head=PersonHead())
    alone = [model.tag_with_head([text], 1)[0] for text in texts]
    model.DECODE_ROWS = 4
    together = model.tag_with_head(texts, 2)
    for (lac, head), (lac_alone, head_alone) in zip(together, alone):
        assert np.array_equal(lac, lac_alone) and np.array_equal(head, head_alone)
