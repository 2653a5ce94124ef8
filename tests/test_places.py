"""Gazetteer, place mentions, jurisdiction and relative references (guanxi.loaders.places)."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import time

import pytest

from guanxi.loaders import places as P
from guanxi.loaders.lexicon import default_lexicon

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "seeds"

# Excerpts of the two seed documents (kept inline so the tests need nothing else).
SEED_002_TITLE = "唐山市政协召开协商议政大会"
SEED_002 = """长城新媒体集团  主办
当前位置: 书记·市长 > 书记

唐山市政协召开协商议政大会

来源: 唐山劳动日报  作者:李响
2020-09-08 10:19:48

市政协召开协商议政大会

实施创新驱动发展战略 培育科技型中小企业 不断开创唐山高质量发展新局面

  9月7日，市政协召开协商议政大会，围绕“实施创新驱动发展战略、培育壮大科技型中小企业”主题议政建言。

  省委常委、市委书记张古江，市委副书记、市长丁绣峰出席会议并讲话。市政协主席胡国辉主持会议。

  为深入贯彻落实市委、市政府相关决策部署，市政协把“实施创新驱动发展战略，培育壮大科技型中小企业”列为今年的“1号协商”。会上，北京市中小企业服务平台总经理刘洋、九三学社唐山市委副主委李存龙、河北华发教育科技股份有限公司董事长蒋超等8位专家学者、政协委员和企业家代表先后发言。

  张古江指出，这次协商议政会，主题选择高度契合唐山市发展实际，会议成果必将转化为推动唐山高质量发展的强大动力。是贯彻落实中央和省委决策部署的重要举措。

  胡国辉在主持会议时指出，议政大会是唐山政协独具特色的协商议政平台。全市各级政协组织和政协委员，要深入贯彻落实此次协商议政大会精神。

  市政协委员、专家学者、企业家代表，各民主党派负责同志，以及各县（市、区）、市各派出机构党政主要领导，市直有关部门负责同志参加会议。
关键词:唐山,会议"""

SEED_000 = """在与政协委员“面对面”专题协商活动上的讲话提纲

**主席、各位副主席，秘书长，各位委员，同志们：
对于政协，总的来看，在**主席带领下，紧紧围绕县委、县政府决策部署和中心工作，充分发挥了广大政协委员的集体智慧。在此，代表县政府，向大家表示衷心的感谢。这次“面对面”专题协商活动，县政协和各位委员都非常用心。
比如，要聚焦智能汽车及关键零部件产业的发展，放大***的产业集聚优势。要聚焦生物医药产业的发展，积极探索在***引入生物医药等头部研发企业，并用好***化工园区这块“金字招牌”。整体来看，目前我县的产业平台，特别是创新平台，创新能力还不强。
由于我县资金有限，创新政策不能搞“大水漫灌”。目前我县“产学研用金、才政介美云”的十联动双创生态仍有薄弱环节。"""

XWLB_NATIONAL = """央视网消息（新闻联播）：中共中央办公厅、国务院办公厅近日印发《关于推进新型城市基础设施建设打造韧性城市的意见》。
《意见》指出，要以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中、三中全会精神，
坚持以人民为中心。各地区各部门要结合实际认真贯彻落实。"""


# ---------------------------------------------------------------------------------------------- gazetteer


def test_tangshan_is_a_prefecture_of_hebei():
    [tangshan] = P.lookup("唐山")
    assert (tangshan.name, tangshan.short, tangshan.level) == ("唐山市", "唐山", "prefecture")
    assert tangshan.code == "130200000000"
    assert P.parent(tangshan).name == "河北省"
    assert P.province_of(tangshan).name == "河北省"
    assert P.lookup("唐山市") == [tangshan]


def test_municipality_districts_hang_under_the_municipality():
    # the 市辖区 bookkeeping row between them is not a place
    for district, city in (("东城区", "北京市"), ("和平区", "天津市"), ("浦东新区", "上海市"), ("渝中区", "重庆市")):
        found = [p for p in P.lookup(district) if P.parent(p).name == city]
        assert found, district
        assert P.ancestors(found[0]) == [P.parent(found[0])]
    assert P.lookup("市辖区") == []
    # 重庆's counties sit under a pseudo-prefecture 县 (500200) in the table: they too go to the city
    [zhong] = P.lookup("忠县")
    assert P.parent(zhong).name == "重庆市"


def test_province_administered_county_level_units_hang_under_the_province():
    [xinji] = P.lookup("辛集市")
    assert xinji.level == "county" and P.parent(xinji).name == "河北省"
    assert P.lookup("省直辖县级行政区划") == []


def test_county_chain_and_province():
    [lubei] = P.lookup("路北区")
    assert [a.name for a in P.ancestors(lubei)] == ["唐山市", "河北省"]
    assert P.province_of(lubei).name == "河北省"
    assert P.province_of(P.NATIONAL) is None


@pytest.mark.parametrize("full, short", [
    ("河北省", "河北"), ("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"),
    ("香港特别行政区", "香港"), ("延边朝鲜族自治州", "延边"), ("海西蒙古族藏族自治州", "海西"), ("锡林郭勒盟", "锡林郭勒"),
    ("阿克苏地区", "阿克苏"), ("本溪满族自治县", "本溪"), ("浦东新区", "浦东"), ("神农架林区", "神农架"),
    ("忠县", "忠县"), ("城区", "城区"),
])
def test_short_names(full, short):
    assert P.short_name(full) == short


def test_no_short_name_is_a_single_character():
    assert all(len(p.short) >= 2 for p in default_lexicon().places.by_code.values())


def test_ambiguous_names_return_most_senior_first():
    levels = [p.level for p in P.lookup("吉林")]
    assert levels == ["province", "prefecture"]
    assert [p.level for p in P.lookup("海南")][0] == "province"
    assert P.lookup("中国") == [P.NATIONAL]
    assert P.lookup("中华人民共和国") == [P.NATIONAL]


def test_autonomous_prefectures_get_their_everyday_form():
    assert P.lookup("海西州")[0].name == "海西蒙古族藏族自治州"


def test_reading_the_table_does_not_import_cpca_or_pandas():
    # in a fresh interpreter: other tests may have imported pandas for their own reasons
    code = ("import sys; from guanxi.loaders import places as P; P.find_places('唐山'); "
            "print('cpca' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# ------------------------------------------------------------------------------------------ find_places


def test_find_places_spans_are_exact():
    text = "河北唐山、天津市河北区和北京朝阳"
    found = P.find_places(text)
    gazetteer = default_lexicon().places
    assert all(text[s:e] in (p.name, p.short) or text[s:e] in gazetteer.generated_aliases(p) for s, e, p in found)
    assert [(text[s:e], p.name) for s, e, p in found] == [
        ("河北", "河北省"), ("唐山", "唐山市"), ("天津市", "天津市"), ("河北区", "河北区"),
        ("北京", "北京市"), ("朝阳", "朝阳区")]


@pytest.mark.parametrize("text", [
    "新华社记者报道", "城关镇的干部", "走在长安街上", "东方红", "江南水乡", "坚持和平发展道路",
    "各市和县级政府", "提高县域经济", "实现长治久安", "祝大家幸福安康", "拿出真金白银", "中外来宾欢聚一堂",
    "世界大同", "取得重大理论成果", "日本北海道大雪", "建设沿海城市", "创新乡村治理",
])
def test_find_places_does_not_match_ordinary_words(text):
    assert P.find_places(text) == []


def test_risky_names_match_after_their_province():
    text = "陕西安康、山西大同和甘肃白银"
    assert [p.name for _s, _e, p in P.find_places(text)] == ["陕西省", "安康市", "山西省", "大同市", "甘肃省", "白银市"]


def test_county_short_names_need_a_qualifier_or_an_allowlist():
    assert [p.name for *_s, p in P.find_places("浙江安吉")] == ["浙江省", "安吉县"]
    assert P.find_places("安吉") == []                       # not on the allowlist
    assert [p.name for *_s, p in P.find_places("义乌小商品")] == ["义乌市"]  # on the allowlist


def test_ships_named_after_cities_are_not_places():
    assert P.find_places("延安舰、湛江舰编队") == []


def test_ambiguous_full_name_resolved_by_province_in_text():
    # 朝阳区 exists in 北京 and in 长春
    beijing = "北京市召开会议，朝阳区作了发言。"
    jilin = "吉林长春召开会议，朝阳区作了发言。"
    pick = lambda t: next(m for m in P.resolve_mentions(t) if m.surface == "朝阳区")  # noqa: E731
    assert P.parent(pick(beijing).place).name == "北京市"
    assert P.parent(pick(jilin).place).name == "长春市"
    assert pick(jilin).reason == "context" and len(pick(jilin).candidates) == 2


def test_province_reading_wins_for_province_names():
    # 海南 is also a prefecture of 青海, but a list of provinces means the province
    text = "青海、海南、广东等地"
    assert [p.name for *_s, p in P.find_places(text)] == ["青海省", "海南省", "广东省"]


def test_find_places_is_fast_on_a_long_text():
    text = (SEED_002 + XWLB_NATIONAL) * 400   # ~0.6 M characters
    P.find_places("预热")
    t = time.perf_counter()
    found = P.find_places(text)
    assert time.perf_counter() - t < 3
    assert len(found) >= 400


# ---------------------------------------------------------------------------------------- jurisdiction


def test_seed_002_jurisdiction_is_tangshan():
    j = P.infer_jurisdiction(SEED_002, SEED_002_TITLE)
    assert j is not None and j.level == "prefecture"
    assert j.place.name == "唐山市" and P.parent(j.place).name == "河北省"
    assert "唐山市" in j.evidence
    assert P.infer_jurisdiction(SEED_002).place.name == "唐山市"   # without the separate title too


def test_county_text_with_redacted_county():
    j = P.infer_jurisdiction(SEED_000)
    assert j is not None and (j.level, j.place) == ("county", None)
    assert "我县" in j.evidence


def test_national_text():
    j = P.infer_jurisdiction(XWLB_NATIONAL, "中办国办印发《意见》")
    assert j is not None and j.level == "national" and j.place == P.NATIONAL


def test_no_cues_no_jurisdiction():
    assert P.infer_jurisdiction("俄罗斯总统普京13日表示，俄方支持停火提议。") is None


def test_named_bodies_are_not_bare_cues():
    # every body here is named: none says which city the text is about
    text = "唐山市委、唐山市政府和邯郸市政协负责同志出席。"
    assert P.infer_jurisdiction(text) is None


def test_province_text():
    text = "河北省委召开常委会议。会议强调，全省上下要认真落实省委、省政府部署，河北要走在前列。"
    j = P.infer_jurisdiction(text)
    assert j.level == "province" and j.place.name == "河北省"


def test_county_level_city_text():
    text = "义乌市委召开常委会。市委书记强调，全市上下要抓好落实，市政府要加强统筹。义乌要勇立潮头。"
    j = P.infer_jurisdiction(text)
    assert j.place.name == "义乌市" and j.level == "county"


def test_municipality_text():
    text = "北京市委常委会召开会议。会议强调，全市上下要认真贯彻市委部署，北京要当好表率。"
    j = P.infer_jurisdiction(text)
    assert j.place.name == "北京市" and j.level == "province"


def test_cue_exclusions():
    # 全市场 and 城市长远 contain 全市 and 市长 but are not cues
    assert P.infer_jurisdiction("推动全市场统一，谋划城市长远发展，完善全市场监管。") is None


# ------------------------------------------------------------------------------------ resolve_relative


def test_resolve_relative_in_a_tangshan_text():
    j = P.infer_jurisdiction(SEED_002, SEED_002_TITLE)
    assert P.resolve_relative("市", j).name == "唐山市"
    assert P.resolve_relative("省", j).name == "河北省"
    assert P.resolve_relative("县", j) is None


def test_resolve_relative_from_a_county():
    [lubei] = P.lookup("路北区")
    j = P.Jurisdiction(lubei, "county", "test")
    assert P.resolve_relative("区", j) == lubei
    assert P.resolve_relative("市", j).name == "唐山市"
    assert P.resolve_relative("省", j).name == "河北省"


def test_resolve_relative_without_a_place():
    j = P.infer_jurisdiction(SEED_000)
    assert P.resolve_relative("县", j) is None
    assert P.resolve_relative("市", j) is None
    assert P.resolve_relative("市", None) is None
    assert P.resolve_relative("省", P.Jurisdiction(P.NATIONAL, "national", "")) is None


# ------------------------------------------------------------------------------- the full seed fixtures


@pytest.mark.skipif(not (FIXTURES / "002_a9ec4e6a3a1afbe8.txt").exists(), reason="seed fixture not present")
def test_full_seed_002():
    j = P.infer_jurisdiction((FIXTURES / "002_a9ec4e6a3a1afbe8.txt").read_text(encoding="utf-8"))
    assert (j.level, j.place.name) == ("prefecture", "唐山市")


@pytest.mark.skipif(not (FIXTURES / "000_3b541c3cffdbfa2f.txt").exists(), reason="seed fixture not present")
def test_full_seed_000():
    j = P.infer_jurisdiction((FIXTURES / "000_3b541c3cffdbfa2f.txt").read_text(encoding="utf-8"))
    assert (j.level, j.place) == ("county", None)


def test_a_national_body_written_in_full_is_the_same_body_as_its_short_form():
    # 中共中央书记处 written in full used to fall through to the suffix rules and come out as "other", while
    # 中央书记处 was a party committee: one IRI with two kinds in the graph (a SHACL violation on the corpus)
    from guanxi.loaders import organizations as O

    lex = default_lexicon()
    full, short = O.resolve("中共中央书记处", None, lex), O.resolve("中央书记处", None, lex)
    assert (full.name, full.kind) == (short.name, short.kind) == ("中共中央书记处", "party_committee")
    for surface, entry in lex.bodies["national"].items():
        by_name = O.resolve(entry["name"], None, lex)
        assert (by_name.name, by_name.kind) == (entry["name"], entry["kind"]), surface
