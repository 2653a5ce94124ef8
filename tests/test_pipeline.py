"""The extraction pipeline: components by name, in the configured order, each given the lexicon it runs on."""
from __future__ import annotations

import re

import numpy as np
import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.components.ner import LacModel, pieces
from guanxi.loaders.doc import Doc
from guanxi.loaders.extract import extract
from guanxi.loaders.lexicon import Lexicon, LexiconError, default_lexicon
from guanxi.loaders.model import DocumentMeta
from guanxi.loaders.registry import Pipeline, PipelineConfigError, available, component

TEXT = "受大会主席团常务主席、全国人大常委会委员长赵乐际委托，李鸿忠主持会议。"


def _meta() -> DocumentMeta:
    return DocumentMeta(id="t", path="t.txt", published="2023-03-10")


def _people(text: str, pipeline: Pipeline) -> dict[str, list[str]]:
    facts = extract(clean(text), _meta(), pipeline)
    return {p["name"]: [pos["title"] for pos in p["positions"]] for p in facts["people"]}


def test_the_default_pipeline_is_assembled_in_the_configured_order():
    pipeline = Pipeline.from_config()
    assert pipeline.names[:4] == ["sentences", "jurisdiction", "ner", "redactions"]
    assert {"titles", "people", "mentions", "organizations", "events", "directives", "industries"} <= set(pipeline.names)
    assert set(pipeline.names) <= set(available()) | {"ner"}


def test_the_statistical_model_and_the_rules_can_be_swapped():
    with_model = Pipeline.from_config()
    rules_only = Pipeline.from_config({"components": {"ner": {"factory": "ner.none"}}})
    # the titled person is found either way; the untitled presider only with the model
    assert "赵乐际" in _people(TEXT, rules_only) and "李鸿忠" not in _people(TEXT, rules_only)
    assert {"赵乐际", "李鸿忠"} <= set(_people(TEXT, with_model))


def test_a_configuration_names_the_component_it_cannot_build():
    with pytest.raises(PipelineConfigError, match="no factory 'ner.bert'"):
        Pipeline.from_config({"components": {"ner": {"factory": "ner.bert"}}})
    with pytest.raises(PipelineConfigError, match="component 'ner': bad options"):
        Pipeline.from_config({"components": {"ner": {"beam_width": 3}}})
    with pytest.raises(PipelineConfigError, match="must be a list"):
        Pipeline.from_config({"pipeline": {"components": "ner"}})


def test_a_component_registered_by_a_user_runs_where_the_configuration_puts_it():
    seen: list[int] = []

    @component("test.count_people")
    def make(lexicon):
        def run(doc: Doc) -> None:
            seen.append(len(doc.people))
        return run

    names = Pipeline.from_config().names
    pipeline = Pipeline.from_config({"pipeline": {"components": names[: names.index("people") + 1] + ["test.count_people"]}})
    extract(clean(TEXT), _meta(), pipeline)
    assert seen == [2]


def test_a_component_can_be_given_its_own_lexicon_in_process():
    # no environment variable, no module cache: a lexicon object of our own, with one more title
    bundled = default_lexicon()
    texts = dict(bundled.texts)
    texts["titles.toml"] += '\n"首席观察员" = {}\n'
    mine = Lexicon(texts)
    text = "市政协首席观察员王大明出席会议。"
    assert "首席观察员" not in _people(text, Pipeline.from_config(lexicon=bundled)).get("王大明", [])
    assert _people(text, Pipeline.from_config(lexicon=mine))["王大明"] == ["首席观察员"]
    # and the bundled lexicon is unchanged by it
    assert "首席观察员" not in default_lexicon().titles


@pytest.mark.parametrize(
    "file, edit, message",
    [
        ("titles.toml", lambda t: t + '\n"省长" = {}\n', "titles.toml: Cannot overwrite"),
        ("titles.toml", lambda t: t + '\n"馆员" = { implie = "馆" }\n', "title '馆员': unknown options"),
        ("names.toml", lambda t: re.sub(r'function = ("[^"]*")', r'function = [\1]', t, count=1), "must be a string of characters"),
        ("verbs.toml", lambda t: t.replace("[speech]", "[spoken]"), "missing table \\[speech\\]"),
        ("foreign.txt", lambda t: t.replace("[abbreviations]", "[abbr]"), "missing \\[abbreviations\\]"),
        ("bodies.toml", lambda t: t + '\n[national.x]\nname = "x"\n', "national body 'x' needs name and kind"),
    ],
)
def test_a_broken_lexicon_file_is_named_with_what_is_wrong(file, edit, message):
    texts = dict(default_lexicon().texts)
    texts[file] = edit(texts[file])
    with pytest.raises(LexiconError, match=message):
        Lexicon(texts)


def test_a_lexicon_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(LexiconError, match="is not a folder"):
        Lexicon.load(tmp_path / "missing")


def test_the_model_tags_a_batch_exactly_as_one_sentence_at_a_time():
    # the exported LAC encoder ignored its lengths: padding changed the backward GRU's states and the tags
    model = LacModel()
    text = ("国家主席习近平在北京人民大会堂会见越南国家主席苏林。石泰峰、王东峰等参加会见。"
            "新华社记者王新庆摄。刘庆是江苏省产业技术研究院院长，他说，研究院将继续加大投入。")
    sentences = [p for _, p in pieces(text, [(0, len(text))], 30)]
    assert len({len(s) for s in sentences}) > 1
    batched = model.tag(sentences, batch_size=8)
    for sentence, tags in zip(sentences, batched):
        (alone,) = model.tag([sentence], batch_size=1)
        assert np.array_equal(tags, alone), sentence


def test_long_sentences_are_cut_for_the_model_at_clause_punctuation():
    text = "，".join(["中共中央政治局常委"] * 30) + "。"
    cut = pieces(text, [(0, len(text))], 40)
    assert all(len(p) <= 40 for _, p in cut)
    assert "".join(p for _, p in cut) == text
    assert all(text[offset:offset + len(p)] == p for offset, p in cut)


def test_words_in_is_the_words_starting_in_the_range():
    from guanxi.loaders.cleaning import clean
    from guanxi.loaders.extract import default_pipeline, run_pipeline
    from guanxi.loaders.model import DocumentMeta
    text = "国家主席习近平当地时间27日在日本大阪会见韩国总统文在寅。丁薛祥、王毅等参加会见。"
    doc = run_pipeline(clean(text), DocumentMeta(id="t", path="t.txt", published="2019-06-27"), default_pipeline())
    for start, end in [(0, len(doc.text)), (3, 9), (10, 11), (20, 20), (27, 40)]:
        assert doc.words_in(start, end) == [w for w in sorted(doc.words) if start <= w[0] < end]
    doc.words.append((len(doc.text), len(doc.text) + 1, "w"))   # the index follows a change of the words
    assert doc.words_in(len(doc.text), len(doc.text) + 1) == [(len(doc.text), len(doc.text) + 1, "w")]


def _records():
    from guanxi.loaders.readers import PRESETS, iter_records

    fixtures = __import__("pathlib").Path(__file__).parent / "fixtures"
    records = list(iter_records([str(fixtures / "xwlb" / "xwlb_2025_03.json")], PRESETS["xwlb"]))
    records += list(iter_records([str(fixtures / "seeds")]))
    return records


def test_documents_read_together_get_the_facts_they_get_one_at_a_time():
    # the model reads a group's sentences in one pass, sorted by length across documents: no fact may move
    from guanxi.loaders.pipeline import process_record, process_records

    records = _records()
    assert len(records) >= 10
    together = process_records(records)
    for record, doc in zip(records, together):
        assert doc.facts == process_record(record).facts, record.path
    assert sum(len(doc.facts["people"]) for doc in together) > 20


def test_one_bad_document_in_a_group_fails_alone_in_its_place():
    from guanxi.loaders.model import GuanxiInputError, SourceRecord
    from guanxi.loaders.pipeline import process_record, process_records

    good = _records()[:3]
    empty = SourceRecord(path="empty.txt", text="   \n", format="txt")
    results = process_records([good[0], empty, good[1], good[2]])
    assert isinstance(results[1], GuanxiInputError) and "no text left" in results[1].reason
    assert [r.facts for r in (results[0], results[2], results[3])] == [process_record(r).facts for r in good]


class _Flaky:
    """A batch component whose predict fails for any group holding a document that mentions 炸, and whose
    annotation fails on that document alone."""

    def __init__(self):
        self.groups: list[int] = []

    def predict(self, docs):
        self.groups.append(len(docs))
        if any("炸" in d.text for d in docs):
            raise RuntimeError("a group with the bad document")
        return [len(d.text) for d in docs]

    def set_annotations(self, doc, length):
        doc.meta.title = f"{length} characters"

    def __call__(self, doc):
        self.set_annotations(doc, self.predict([doc])[0])


def test_a_batch_component_that_fails_for_the_group_is_rerun_one_document_at_a_time():
    from guanxi.loaders.registry import Step

    flaky = _Flaky()
    pipeline = Pipeline([Step("flaky", "test.flaky", flaky)], default_lexicon())
    docs = [Doc(text=t, meta=DocumentMeta(id=t, path=t), lexicon=default_lexicon())
            for t in ("甲乙", "炸了", "丙丁戊")]
    results = pipeline.pipe(docs)
    assert results[0] is docs[0] and results[2] is docs[2]
    assert isinstance(results[1], RuntimeError)
    assert [docs[0].meta.title, docs[2].meta.title] == ["2 characters", "3 characters"]
    assert flaky.groups == [3, 1, 1, 1]   # the group, then each document alone
