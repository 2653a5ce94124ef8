"""Property: every span extraction reports indexes the cleaned text and quotes exactly what it stands for."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.loaders.cleaning import clean
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def span_claims(facts: dict[str, Any]) -> Iterator[tuple[tuple[int, int], str]]:
    """(span, the text the span must quote) for every span in an extraction result."""
    for person in facts["people"]:
        for s, e in person["mentions"]:
            yield (s, e), person["name"]
        for short in person.get("short_mentions", []):
            yield tuple(short["span"]), short["quote"]
        for position in person["positions"]:
            if position["span"]:
                yield tuple(position["span"]), position["quote"]
                assert person["name"] in position["quote"]
            if position.get("title_span"):
                yield tuple(position["title_span"]), position["title_as_written"]
    for org in facts["organizations"]:
        for s, e in org.get("mentions", []):
            yield (s, e), None
    for redaction in facts["redactions"]:
        yield tuple(redaction["span"]), redaction["text"]
    for event in facts["events"]:
        yield tuple(event["span"]), event["quote"]
        if event["theme_span"]:
            yield tuple(event["theme_span"]), event["theme"]
        for key in ("date_span", "place_span", "addressee_span"):
            if event.get(key):
                yield tuple(event[key]), None
    for directive in facts["directives"]:
        yield tuple(directive["span"]), directive["text"]
        if directive.get("sentence_span"):
            yield tuple(directive["sentence_span"]), directive["sentence"]
        for quantity in directive.get("quantities", []):
            yield tuple(quantity["span"]), quantity["text"]
        for detail in directive["addressee_details"]:
            yield tuple(detail["span"]), detail["text"]
        for mention in directive["industry_mentions"]:
            yield tuple(mention["span"]), mention["quote"]
    for industry in facts["industries"]:
        for s, e in industry["mentions"]:
            yield (s, e), None  # an alias or the label; checked below


def check_spans(text: str, facts: dict[str, Any]) -> int:
    checked = 0
    for (s, e), quote in span_claims(facts):
        assert 0 <= s < e <= len(text), (s, e, len(text))
        if quote is not None:
            assert text[s:e] == quote, (s, e, text[s:e], quote)
        checked += 1
    for industry in facts["industries"]:
        surfaces = {industry["name"], *industry["aliases"]}
        for s, e in industry["mentions"]:
            assert text[s:e] in surfaces
    return checked


def _run(raw: str, title: str | None = None, published: str | None = "2020-09-08") -> tuple[str, dict[str, Any]]:
    cleaned = clean(raw)
    meta = DocumentMeta(id="t", path="t.txt", title=title, published=published)
    return cleaned.text, extract(cleaned, meta)


def test_seed_spans_quote_their_text():
    for path in SEEDS.glob("*.txt"):
        raw = path.read_text(encoding="utf-8")
        text, facts = _run(raw, title=raw.splitlines()[0])
        assert check_spans(text, facts) > 10, path


FRAGMENTS = [
    "省委常委、市委书记张古江", "市委副书记、市长丁绣峰", "出席会议并讲话。", "市政协主席胡国辉主持会议。",
    "市政协领导王连灵、胡万宁、白春明", "，", "。", "\n", "9月7日，市政协召开协商议政大会，", "张古江强调，",
    "要聚焦关键环节、科学精准发力。", "一要着力在强化企业创新主体上实现新突破。", "二要着力破解融资难题。",
    "各级各单位要强化目标导向。", "科技局、人才办等单位要加强政策宣传。", "要聚焦生物医药产业的发展。",
    "**主席", "***的产业集聚优势", "分享:", "关键词:唐山,会议责任编辑:杜宇昕", "（记者 李响）",
    "当前位置: 书记·市长 > 书记", "2020-09-08 10:19:48", "来源: 唐山劳动日报  作者:李响", "abc", " ", "王海",
    "中共中央总书记、国家主席、中央军委主席习近平", "习近平强调，", "战新产业", "全国人大常委会委员长赵乐际",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(min_size=0, max_size=6), min_size=1, max_size=25))
def test_random_documents_spans_quote_their_text(parts):
    raw = "".join(parts)
    text, facts = _run(raw, title="讲话" if len(parts) % 2 else None)
    check_spans(text, facts)


# Short documents of titles, names and punctuation: the shapes that once read past the end of the text
# (a document ending in a title and a two-character name: 本报记者王楚).
TITLES = ["省委书记", "市长", "本报记者", "主席", "总理", "副部长", "新华社记者", "委员长", "党首", "特使"]
NAMES = ["张三", "王楚", "李", "欧阳", "司马光", "普京", "哈拉-阿霍", "习近平", "刘"]
PUNCTUATION = ["，", "。", "、", "\n", "：", "等", "摄", "是", "主持召开会议"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TITLES + NAMES + PUNCTUATION), min_size=1, max_size=8))
def test_short_documents_of_titles_and_names_never_crash(parts):
    raw = "".join(parts)
    if not raw.strip():
        return
    text, facts = _run(raw)
    check_spans(text, facts)


def test_a_document_ending_in_a_title_and_a_two_character_name():
    text, facts = _run("本报讯 省委书记张三主持召开会议。\n本报记者王楚")
    assert {p["name"] for p in facts["people"]} >= {"张三", "王楚"}
    check_spans(text, facts)
