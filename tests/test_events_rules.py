"""Events, table-driven: talks, calls, letters, inspections and who took which part, from real sentences of
the 新闻联播 transcripts (2018–2022; the 2025 gold readings are not used here), through the whole pipeline."""
from __future__ import annotations

import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta


def events(text: str, published: str) -> list[dict]:
    return extract(clean(text), DocumentMeta(id="t", path="t.txt", published=published))["events"]


def roles(event: dict) -> dict[str, set[str]]:
    return {p["name"]: set(p["roles"]) for p in event["participants"]}


@pytest.mark.parametrize("text, published, kind, date, place, expected", [
    # 会见 abroad, local time; those who 参加会见 in the next sentence attend the same talk
    ("国家主席习近平当地时间27日在日本大阪会见韩国总统文在寅。丁薛祥、刘鹤、杨洁篪、王毅、何立峰等参加会见。",
     "2019-06-27", "talks", "2019-06-27", "日本大阪",
     {"习近平": {"met"}, "文在寅": {"met"}, "丁薛祥": {"attended"}, "何立峰": {"attended"}}),
    # 同X通电话: the other side is written before the trigger
    ("国家主席习近平6月24日同塞尔维亚总统武契奇通电话。", "2021-06-24", "talks", "2021-06-24", None,
     {"习近平": {"met"}, "武契奇": {"met"}}),
    # 应约 and a time of day between the date and the trigger
    ("国务院总理李克强9月4日晚应约同德国总理默克尔通电话。", "2019-09-05", "talks", "2019-09-04", None,
     {"李克强": {"met"}, "默克尔": {"met"}}),
    # a month only: no day is invented
    ("今年4月和6月，习近平主席在北京和大阪先后两次会见联合国秘书长古特雷斯。", "2019-08-04", "talks", "2019-04", "北京",
     {"习近平": {"met"}, "古特雷斯": {"met"}}),
    # 近日 is no date; 陪同考察 joins the inspection announced before, it is not a second one
    ("中共中央政治局常委、国务院总理李克强近日在山东考察。山东省委书记刘家义陪同考察。", "2018-06-20", "inspection", None, "山东",
     {"李克强": {"inspected"}, "刘家义": {"attended", "accompanied"}}),
])
def test_events(text, published, kind, date, place, expected):
    [event] = events(text, published)
    assert (event["kind"], event["date"], event["place"]) == (kind, date, place)
    for name, want in expected.items():
        assert roles(event).get(name) == want, (name, roles(event))


def test_a_letter_has_its_sender_and_its_recipient_written_before_the_trigger():
    [event] = events("国家主席习近平向第四届中国—阿拉伯国家博览会致贺信。", "2019-09-05")
    assert event["kind"] == "letter"
    assert roles(event) == {"习近平": {"wrote"}}
    assert event["addressee"] == "第四届中国—阿拉伯国家博览会"
    start, end = event["addressee_span"]
    assert clean("国家主席习近平向第四届中国—阿拉伯国家博览会致贺信。").text[start:end] == event["addressee"]


def test_a_talk_named_as_a_noun_is_no_event():
    # 会见厅, 考察团: the trigger word is part of a noun
    assert events("代表团一行参观了会见厅。考察团成员走访了企业。", "2019-06-27") == []


def test_every_participant_has_the_span_of_its_name():
    text = "国家主席习近平当地时间27日在日本大阪会见韩国总统文在寅。丁薛祥、刘鹤等参加会见。"
    [event] = events(text, "2019-06-27")
    text = clean(text).text
    for p in event["participants"]:
        assert all(text[s:e] == p["name"] for s, e in p["evidence"])
