"""People/post rules, each from a pattern seen in news transcripts (sentences shaped like the xwlb corpus)."""
from __future__ import annotations

import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta


def people(text: str) -> dict[str, list[str]]:
    facts = extract(clean(text), DocumentMeta(id="t", path="t.txt", published="2025-03-10"))
    return {p["name"]: [pos["post"] for pos in p["positions"]] for p in facts["people"]}


@pytest.mark.parametrize(
    "text, expected",
    [
        # a national leader's long chain works like a local one
        ("中共中央总书记、国家主席、中央军委主席习近平出席会议并讲话。",
         {"习近平": ["中国共产党中央委员会总书记", "中华人民共和国主席", "中华人民共和国中央军事委员会主席"]}),
        # 受…委托: the verb before the chain is not part of the body
        ("受大会主席团常务主席、全国人大常委会委员长赵乐际委托，李鸿忠主持会议。",
         {"赵乐际": ["大会主席团常务主席", "全国人民代表大会常务委员会委员长"]}),
        # 会议听取了…: the body starts after the verb and particle
        ("会议听取了全国人大宪法和法律委员会主任委员信春鹰作的报告。",
         {"信春鹰": ["全国人大宪法和法律委员会主任委员"]}),
        # transliterated names run across · and -, and stop at an ordinary word
        ("古巴国家主席迪亚斯-卡内尔表示，", {"迪亚斯-卡内尔": ["古巴主席"]}),
        ("美国总统特朗普本月初表示，", {"特朗普": ["美国总统"]}),
        ("俄罗斯总理米舒斯京出席。", {"米舒斯京": ["俄罗斯总理"]}),
        # a foreign premier is not the State Council's
        ("马达加斯加总理马德布利说，", {"马德布利": ["马达加斯加总理"]}),
        # former posts are recorded as former
        ("美国前总统拜登表示，", {"拜登": ["美国前总统"]}),
        # a mission belongs to the sending state
        ("中国驻朝鲜大使王亚军出席。", {"王亚军": ["中国驻朝鲜大使"]}),
        # a name written before the leader's title; nothing after that title is a name
        ("习近平主席曾来到这里。", {"习近平": []}),
        # a body never runs across 和 into the previous person (with no jurisdiction known, 省长 is of 省政府)
        ("广东省委书记黄坤明和省长王伟中出席。", {"黄坤明": ["广东省委书记"], "王伟中": ["省政府省长"]}),
        # ordinary words after a title are not names
        ("首相官邸前聚集了很多人。县政协和各位委员都非常用心。", {}),
        ("国家领导人达成共识。", {}),
    ],
)
def test_people_and_posts(text, expected):
    assert people(text) == expected


def test_a_list_of_names_stops_at_the_next_chain():
    found = people("会上，北京市中小企业服务平台总经理刘洋、九三学社唐山市委副主委李存龙等先后发言。")
    assert found == {"刘洋": ["北京市中小企业服务平台总经理"], "李存龙": ["九三学社唐山市委员会副主委"]}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("会见越共中央总书记苏林时，赵乐际说", {"苏林": ["越共中央总书记"]}),
        ("李强在开罗同埃及总理马德布利举行会谈。", {"马德布利": ["埃及总理"]}),
        ("中共中央政治局常委、中央纪委书记李希出席", {"李希": ["中国共产党中央委员会政治局常委", "中国共产党中央纪律检查委员会书记"]}),
        ("向老挝人民革命党中央委员会总书记、国家主席通伦致贺电。",
         {"通伦": ["老挝人民革命党中央委员会总书记", "老挝人民革命党中央委员会主席"]}),
        ("韩国宪法法院今天举行韩国总统尹锡悦弹劾案第二次辩论", {"尹锡悦": ["韩国总统"]}),
        ("习近平总书记在看望民盟、民进、教育界委员时强调，", {"习近平": []}),
        ("俄罗斯总统新闻秘书佩斯科夫13日表示，俄美总统通话后，俄方", {}),
    ],
)
def test_patterns_from_the_second_precision_sample(text, expected):
    assert people(text) == expected
