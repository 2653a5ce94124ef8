"""Acceptance tests of extraction on the two seed documents the project was founded on."""
from __future__ import annotations

from pathlib import Path

import pytest

from guanxi.loaders.pipeline import ExtractedDocument, extract_paths

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
REPORT = SEEDS / "002_a9ec4e6a3a1afbe8.txt"
OUTLINE = SEEDS / "000_3b541c3cffdbfa2f.txt"


def _extract(path: Path) -> ExtractedDocument:
    [doc] = list(extract_paths([str(path)]))
    assert isinstance(doc, ExtractedDocument), doc
    return doc


@pytest.fixture(scope="module")
def report() -> ExtractedDocument:
    return _extract(REPORT)


@pytest.fixture(scope="module")
def outline() -> ExtractedDocument:
    return _extract(OUTLINE)


def _person(doc: ExtractedDocument, name: str) -> dict:
    matches = [p for p in doc.facts["people"] if p["name"] == name]
    assert matches, f"{name} not found among {[p['name'] for p in doc.facts['people']]}"
    return matches[0]


def _posts(doc: ExtractedDocument, name: str) -> set[tuple[str, str]]:
    return {(p["title"], p["organization"]) for p in _person(doc, name)["positions"]}


# ---------------------------------------------------------------------------------------------- 002


EXPECTED_PEOPLE = {
    "张古江", "丁绣峰", "胡国辉", "陈学民", "王海", "王连灵", "胡万宁", "白春明", "杨永山", "崔武成", "张会春",
    "甄德恩", "李长远", "刘洋", "李存龙", "蒋超",  # the 16 officials and speakers
    "李响",  # the reporter
    "杜宇昕",  # the editor
}


def test_report_has_exactly_the_eighteen_people(report):
    names = [p["name"] for p in report.facts["people"]]
    assert sorted(names) == sorted(EXPECTED_PEOPLE)
    assert len(names) == len(set(names)) == 18


def test_report_metadata(report):
    document = report.facts["document"]
    assert document["title"] == "唐山市政协召开协商议政大会"
    assert document["published"] == "2020-09-08"
    assert document["source"] == "唐山劳动日报"
    assert document["authors"] == ["李响"]
    assert document["editor"] == "杜宇昕"
    assert document["jurisdiction"] == "唐山市"


def test_chained_titles_attach_to_the_right_person_and_body(report):
    assert _posts(report, "张古江") == {("常委", "中共河北省委员会"), ("书记", "中共唐山市委员会")}
    assert _posts(report, "丁绣峰") == {("副书记", "中共唐山市委员会"), ("市长", "唐山市人民政府")}
    assert _posts(report, "胡国辉") == {("主席", "政协唐山市委员会")}
    assert _posts(report, "陈学民") == {
        ("常委", "中共唐山市委员会"),
        ("部长", "中共唐山市委组织部"),
        ("部长", "中共唐山市委统战部"),
    }
    assert _posts(report, "王海") == {("副市长", "唐山市人民政府")}
    assert _posts(report, "李长远") == {("秘书长", "政协唐山市委员会")}


def test_one_title_shared_by_a_list_of_names(report):
    for name in ["王连灵", "胡万宁", "白春明", "杨永山", "崔武成", "张会春", "甄德恩"]:
        assert _posts(report, name) == {("领导", "政协唐山市委员会")}, name


def test_body_title_name_items(report):
    assert _posts(report, "刘洋") == {("总经理", "北京市中小企业服务平台")}
    assert _posts(report, "李存龙") == {("副主委", "九三学社唐山市委员会")}
    assert _posts(report, "蒋超") == {("董事长", "河北华发教育科技股份有限公司")}


def test_bylines_are_people_at_the_publisher(report):
    assert _posts(report, "李响") == {("记者", "唐山劳动日报")}
    assert _posts(report, "杜宇昕") == {("责任编辑", "唐山劳动日报")}
    # the editor line is page chrome: its provenance points into the original file
    editor = _person(report, "杜宇昕")
    [[s, e]] = editor["original_mentions"]
    assert report.record.text[s:e] == "杜宇昕"


def test_organizations_have_kinds_jurisdictions_and_aliases(report):
    orgs = {o["name"]: o for o in report.facts["organizations"]}
    assert orgs["中共唐山市委员会"]["kind"] == "party_committee"
    assert orgs["中共唐山市委员会"]["jurisdiction"] == "唐山市"
    assert "市委" in orgs["中共唐山市委员会"]["aliases"]
    assert orgs["中共河北省委员会"]["jurisdiction"] == "河北省"
    assert "省委" in orgs["中共河北省委员会"]["aliases"]
    assert orgs["政协唐山市委员会"]["kind"] == "cppcc"
    assert orgs["唐山市人民政府"]["kind"] == "government"
    assert orgs["九三学社唐山市委员会"]["kind"] == "democratic_party"
    assert orgs["河北华发教育科技股份有限公司"]["kind"] == "enterprise"
    assert orgs["唐山劳动日报"]["kind"] == "media"
    assert orgs["中共唐山市委组织部"]["kind"] == "department"
    assert orgs["中共唐山市委组织部"]["parent"] == "中共唐山市委员会"


def test_the_meeting_with_each_participants_roles(report):
    [meeting] = report.facts["events"]
    assert meeting["name"] == "协商议政大会"
    assert meeting["date"] == "2020-09-07"
    assert meeting["organizer"] == "政协唐山市委员会"
    assert meeting["theme"] == "实施创新驱动发展战略、培育壮大科技型中小企业"
    roles = {p["name"]: set(p["roles"]) for p in meeting["participants"]}
    assert roles.pop("胡国辉") == {"presided"}
    assert roles.pop("张古江") == {"attended", "spoke"}
    assert roles.pop("丁绣峰") == {"attended", "spoke"}
    for name in ["刘洋", "李存龙", "蒋超"]:
        assert roles.pop(name) == {"spoke"}, name
    assert roles == {name: {"attended"} for name in ["陈学民", "王海", "王连灵", "胡万宁", "白春明", "杨永山", "崔武成", "张会春", "甄德恩", "李长远"]}


def _directives_of(doc: ExtractedDocument, speaker: str) -> list[dict]:
    return [d for d in doc.facts["directives"] if d["speaker"] == speaker]


def test_zhang_gujiang_nine_numbered_directives_and_others(report):
    mine = _directives_of(report, "张古江")
    numbered = [d for d in mine if d["ordinal"] is not None]
    assert [d["ordinal"] for d in numbered] == list(range(1, 10))
    assert numbered[0]["text"].startswith("一要着力在强化企业创新主体上实现新突破")
    assert numbered[8]["text"].startswith("九要着力在优化企业发展环境上实现新突破")
    # the nine hang under the lead sentence 要聚焦关键环节、科学精准发力…
    [lead_id] = {d["parent"] for d in numbered}
    lead = next(d for d in mine if d["id"] == lead_id)
    assert lead["text"].startswith("要聚焦关键环节、科学精准发力")
    others = [d for d in mine if d["ordinal"] is None]
    texts = [d["text"] for d in others]
    assert any(t.startswith("要坚持政治站位、分析研判形势") for t in texts)
    assert any(t.startswith("要强化协调联动、凝聚工作合力") for t in texts)
    assert any(t.startswith("要加强组织领导、密切协同合作") for t in texts)
    # the assessment after 张古江指出 has no modality and is not a directive
    assert not any("政协议政会既是" in t for t in texts)
    assert all(d["speaker_organization"] == "中共唐山市委员会" for d in mine)


def test_ding_xiufeng_directives_with_addressees(report):
    mine = _directives_of(report, "丁绣峰")
    by_start = {d["text"][:5]: d for d in mine}
    assert by_start["各级各单位"]["addressees"] == ["各级各单位"]
    assert by_start["各位企业家"]["addressees"] == ["各位企业家"]
    assert any(d["text"].startswith("要以深化战新产业") for d in mine)
    assert all(d["speaker_organization"] == "唐山市人民政府" for d in mine)


def test_hu_guohui_directive_with_addressees(report):
    [directive] = _directives_of(report, "胡国辉")
    assert directive["addressees"] == ["全市各级政协组织", "政协委员"]
    assert directive["text"].startswith("全市各级政协组织和政协委员,要深入贯彻落实此次协商议政大会精神")


def test_strategic_emerging_industries_normalised(report):
    [directive] = [d for d in _directives_of(report, "丁绣峰") if d["text"].startswith("要以深化战新产业")]
    assert directive["industries"] == ["战略性新兴产业"]
    industry = next(i for i in report.facts["industries"] if i["name"] == "战略性新兴产业")
    assert "战新产业" in industry["aliases"]


# ---------------------------------------------------------------------------------------------- 000


def test_outline_four_numbered_directives_and_nine_sub_items_each_once(outline):
    directives = outline.facts["directives"]
    top = [d for d in directives if d["ordinal"] is not None and d["parent"] is None]
    assert [d["ordinal"] for d in top] == [1, 2, 3, 4]
    assert [d["text"].lstrip("1234、.")[:6] for d in top] == ["要用心呵护每", "要持续建强与", "要精准实施契", "要积极打造全"]
    by_id = {d["id"]: d for d in directives}
    subs = [d for d in directives if d["ordinal"] is not None and d["parent"] is not None]
    assert len(subs) == 9
    grouped: dict[int, list[int]] = {}
    for d in subs:
        grouped.setdefault(by_id[d["parent"]]["ordinal"], []).append(d["ordinal"])
    assert grouped == {1: [1, 2, 3], 2: [1, 2, 3], 4: [1, 2, 3]}
    headings = [d["text"].rstrip("。") for d in top + subs]
    assert len(headings) == len(set(h.lstrip("1234、.") for h in headings))


def test_heading_in_toc_and_body_is_one_directive_with_two_mentions(outline):
    text = outline.text
    [platform] = [d for d in outline.facts["directives"] if d["text"].startswith("2.要持续建强") or d["text"].startswith("2、要持续建强")]
    assert len(platform["mentions"]) == 2
    quotes = [text[s:e] for s, e in platform["mentions"]]
    assert quotes[0].startswith("2、要持续建强与产业体系相匹配的创新平台")
    assert quotes[1].startswith("2.要持续建强与产业体系相匹配的创新平台")


def test_outline_directives_are_the_county_governments_unnamed_speaker(outline):
    for d in outline.facts["directives"]:
        assert d["speaker"] is None
        assert d["speaker_kind"] == "unnamed"
        assert d["speaker_organization"] == "县人民政府"


def test_policy_publicity_directive_addressees(outline):
    [directive] = [d for d in outline.facts["directives"] if "加强政策宣传" in d["text"]]
    assert directive["addressees"] == ["科技局", "人才办"]


def test_outline_industries(outline):
    industries = {i["name"] for i in outline.facts["industries"]}
    assert {"智能汽车及关键零部件", "生物医药"} <= industries
    concerning = {name for d in outline.facts["directives"] for name in d["industries"]}
    assert {"智能汽车及关键零部件", "生物医药"} <= concerning


def test_redactions_are_not_people(outline):
    assert outline.facts["people"] == []
    redactions = outline.facts["redactions"]
    assert [r["title"] for r in redactions if r["title"]] == ["主席", "主席"]
    assert all(outline.text[s:e] == r["text"] for r in redactions for s, e in [r["span"]])


def test_outline_metadata(outline):
    document = outline.facts["document"]
    assert document["title"] == "在与政协委员“面对面”专题协商活动上的讲话提纲"
    assert document["published"] == "2023-08-22"
    assert document["jurisdiction_level"] == "county"
    assert document["jurisdiction"] is None  # the county is never named in the text


def test_outline_bodies_of_the_unnamed_county(outline):
    kinds = {o["name"]: (o["kind"], o["jurisdiction"]) for o in outline.facts["organizations"]}
    assert kinds["中共县委员会"] == ("party_committee", None)     # 县委: the county is redacted, nothing invented
    assert kinds["县人民政府"] == ("government", None)
    assert kinds["政协县委员会"] == ("cppcc", None)
    assert kinds["科技局"][0] == kinds["人才办"][0] == "department"
    assert kinds["政协"][0] == "cppcc"                            # 政协委员: the body written bare
