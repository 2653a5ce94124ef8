"""Industry vocabulary and mentions (guanxi.loaders.industries)."""
from __future__ import annotations

import re
import time

import pytest

from guanxi.loaders import industries as I


def ids(text: str) -> list[str]:
    return [m.concept for m in I.find_industries(text)]


@pytest.mark.parametrize("sentence, surface, concept", [
    ("要聚焦智能汽车及关键零部件产业的发展", "智能汽车及关键零部件", "smart_vehicles"),
    ("要聚焦生物医药产业的发展", "生物医药产业", "biomedicine"),
    ("要以深化战新产业“攻坚提速年”活动为抓手", "战新产业", "strategic_emerging"),
    ("加快发展战略性新兴产业", "战略性新兴产业", "strategic_emerging"),
    ("新能源汽车产销量连续十年全球第一", "新能源汽车", "new_energy_vehicles"),
    ("培育壮大低空经济", "低空经济", "low_altitude"),
    ("推动集成电路产业发展", "集成电路产业", "integrated_circuits"),
])
def test_seed_sentences_and_longest_match(sentence, surface, concept):
    [m] = I.find_industries(sentence)
    assert (m.surface, m.concept) == (surface, concept)
    assert sentence[m.start:m.end] == m.surface
    assert m.label == {c.id: c.label for c in I.vocabulary()}[concept]


def test_ministry_is_not_agriculture():
    assert ids("农业农村部部署春耕生产") == []
    assert ids("推进农业现代化") == ["modern_agriculture"]
    assert ids("发展特色农业和农业生产") == ["modern_agriculture", "agriculture"]


def test_financial_institutions_are_finance():
    assert ids("各家金融机构加大信贷投放") == ["finance"]
    assert ids("中国农业发展银行投放贷款") == ["finance"]   # a bank, not agriculture


@pytest.mark.parametrize("text", [
    "扎实开展学习教育",               # a Party campaign, not the education sector
    "推动现代化工作取得实效",          # 化工 across a word boundary
    "国家电网公司",                   # 家电 across a word boundary
    "发展多种业态",                   # 种业 across a word boundary
    "国家能源局今天发布",              # a government body
])
def test_no_false_hits(text):
    assert I.find_industries(text) == []


def test_spans_are_exact_and_non_overlapping():
    text = ("要聚焦智能汽车及关键零部件产业的发展，要聚焦生物医药产业的发展，大力发展数字经济、人工智能、"
            "集成电路、新材料、新能源、现代物流、文化旅游和金融业，农业农村部、教育部负责同志出席。")
    found = I.find_industries(text)
    assert len(found) >= 10
    last_end = 0
    for m in found:
        assert text[m.start:m.end] == m.surface
        assert m.start >= last_end
        last_end = m.end


def test_vocabulary_is_well_formed():
    concepts = I.vocabulary()
    assert 40 <= len(concepts) <= 80
    by_id = {c.id: c for c in concepts}
    assert len(by_id) == len(concepts)
    for c in concepts:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", c.id)
        assert c.label and c.label_en
        assert c.broader is None or c.broader in by_id
    assert by_id["smart_vehicles"].broader == "automotive"
    chain = [c.id for c in I._packaged().broader_chain("smart_vehicles")]
    assert chain == ["automotive", "manufacturing"]


@pytest.mark.parametrize("toml_text, problem", [
    ('[concepts.Bad-Id]\nlabel = "x"', "slug"),
    ('[concepts.a]\nlabel = "甲"\nbroader = "nope"', "unknown broader"),
    ('[concepts.a]\nlabel = "甲"\n[concepts.b]\nlabel = "乙"\naliases = ["甲"]', "both"),
    ('[concepts.a]\nlabel = "甲"\nbroader = "b"\n[concepts.b]\nlabel = "乙"\nbroader = "a"', "cycle"),
])
def test_bad_vocabulary_is_rejected(toml_text, problem):
    with pytest.raises(ValueError, match=problem):
        I.parse_vocabulary(toml_text)


def test_a_user_vocabulary_can_be_used():
    vocab = I.parse_vocabulary('[concepts.tea]\nlabel = "茶产业"\nlabel_en = "Tea"\naliases = ["茶叶"]\n'
                               'exclude = ["茶叶蛋"]')
    found = I.find_industries("发展茶叶，不卖茶叶蛋，壮大茶产业", vocab)
    assert [(m.concept, m.surface) for m in found] == [("tea", "茶叶"), ("tea", "茶产业")]


def test_fast_on_a_long_text():
    text = "要聚焦智能汽车及关键零部件产业的发展，推进农业农村现代化，发展数字经济和现代服务业。" * 20000  # ~0.8 M chars
    I.find_industries("预热")
    t = time.perf_counter()
    found = I.find_industries(text)
    assert time.perf_counter() - t < 3
    assert len(found) == 4 * 20000
