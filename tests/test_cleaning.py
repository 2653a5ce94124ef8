"""Tests for guanxi.loaders.cleaning: chrome removed, content kept, offsets exact."""
from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.loaders.cleaning import clean, load_chrome_patterns
from guanxi.loaders.model import CleanText

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_000 = (SEEDS / "000_3b541c3cffdbfa2f.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS / "002_a9ec4e6a3a1afbe8.txt").read_text(encoding="utf-8")


def assert_exact_map(original: str, cleaned: CleanText) -> None:
    """Every cleaned character maps to the same character of the original, and the cleaned text plus
    the removed ranges account for the whole original, with no overlap."""
    for i, ch in enumerate(cleaned.text):
        assert original[cleaned.offsets.to_original(i)] == ch, i
    removed = sorted(cleaned.removed)
    for (s1, e1, _), (s2, _, _) in zip(removed, removed[1:]):
        assert e1 <= s2
    assert all(s < e for s, e, _ in removed)
    assert len(cleaned.text) + sum(e - s for s, e, _ in removed) == len(original)
    rebuilt, pos = [], 0
    for s, e, _ in removed:
        rebuilt.append(original[pos:s])
        pos = e
    rebuilt.append(original[pos:])
    assert "".join(rebuilt) == cleaned.text


# ----------------------------------------------------------------------------- the seeds

def test_seed_000_chrome_gone_toc_and_body_kept():
    c = clean(SEED_000)
    assert_exact_map(SEED_000, c)
    for chrome in ("您的位置", "新文秘网", "发表时间", "2023/8/22", "省略670字", "正式会员", "未完", "全文共2959字",
                   "收藏《"):
        assert chrome not in c.text, chrome
    # the title heads the cleaned text; the TOC marker and every TOC item stay
    assert c.text.startswith("在与政协委员“面对面”专题协商活动上的讲话提纲\n")
    assert "目录/提纲:……\n1、要用心呵护每一个创新团队和创新项目\n一是要有陪伴成长的耐心\n" in c.text
    assert "三要着力破解科技成果转化难题\n……\n" in c.text
    assert "**主席、各位副主席,秘书长,各位委员,同志们:" in c.text
    # text around the paywall marker is joined by exactly one newline; the truncated end is kept
    assert "问题点得很准,\n来的效益却是非常惊人的。" in c.text
    assert c.text.endswith("要在深化科金融合上做出更大探索,进")
    reasons = {why for _, _, why in c.removed}
    assert {"breadcrumb", "date", "paywall", "truncation"} <= reasons


def test_seed_002_chrome_gone_inline_byline_kept():
    c = clean(SEED_002)
    assert_exact_map(SEED_002, c)
    for chrome in ("长城新媒体集团", "主办\n", "当前位置", "来源:", "作者:李响", "2020-09-08 10:19:48", "分享:",
                   "关键词", "责任编辑", "杜宇昕"):
        assert chrome not in c.text, chrome
    assert c.text.startswith("唐山市政协召开协商议政大会\n")
    assert "\n市政协召开协商议政大会\n" in c.text
    assert "  9月7日,市政协召开协商议政大会" in c.text  # paragraph indentation untouched
    assert c.text.endswith("负责同志参加会议。(记者 李响)")
    assert c.text.count("\n") >= 20  # paragraphs kept
    # the glued keyword+editor line is one removal that covers both
    tail = [r for r in c.removed if SEED_002[r[0]:r[1]].startswith("关键词")]
    assert tail and SEED_002[tail[0][0]:tail[0][1]] == "关键词:唐山,会议责任编辑:杜宇昕"
    assert "keywords" in tail[0][2] and "editor" in tail[0][2]


def test_removed_byline_line_maps_back():
    c = clean(SEED_002)
    i = c.text.index("市政协召开协商议政大会\n\n实施")
    o = c.offsets.to_original(i)
    assert SEED_002[o:o + 11] == "市政协召开协商议政大会"
    span = (i, i + 11)
    assert c.offsets.span_from_original(c.offsets.span_to_original(span)) == span


# ----------------------------------------------------------------------------- specific patterns

def test_xwlb_prefix_removed_rest_of_paragraph_kept():
    text = "央视网消息（新闻联播）：近日，国家主席习近平致电祝贺。\n习近平指出，中格关系发展良好。"
    c = clean(text)
    assert c.text == "近日，国家主席习近平致电祝贺。\n习近平指出，中格关系发展良好。"
    assert_exact_map(text, c)


def test_content_lookalikes_are_kept():
    text = ("会议通知\n时间：2023年5月6日上午9时\n本次活动由市委宣传部主办\n"
            "2023年8月22日\n资金来源：市财政\n本报讯（记者 张三）市委召开全会。")
    c = clean(text)
    assert c.text == text


def test_leading_and_trailing_whitespace_removed():
    text = "\n\u3000 市委召开常委会。\n\n  "
    c = clean(text)
    assert c.text == "市委召开常委会。"
    assert {why for _, _, why in c.removed} == {"whitespace"}
    assert_exact_map(text, c)


def test_crlf_lines():
    text = "当前位置: 首页 > 新闻\r\n市委召开常委会。\r\n分享:\r\n市长讲话。"
    c = clean(text)
    assert c.text == "市委召开常委会。\r\n市长讲话。"
    assert_exact_map(text, c)


def test_only_chrome_gives_empty_text():
    c = clean("分享:\n关键词:唐山\n")
    assert c.text == "" and c.offsets.span_from_original((0, 2)) is None


def test_user_patterns_extend_the_defaults(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text("# our site's footer\n[[pattern]]\nname = \"footer\"\nregex = '''^扫码关注[^\\n]*$'''\n",
                 encoding="utf-8")
    patterns = load_chrome_patterns() + load_chrome_patterns(p)
    c = clean("市委召开常委会。\n扫码关注我们的公众号\n分享:", patterns)
    assert c.text == "市委召开常委会。"


def test_long_inputs_are_linear():
    text = ("当前位置: 首页 > 新闻\n市政府召开常务会议，研究部署重点工作。\n" * 100_000) + " " * 1_000_000 + "(" * 200_000
    t0 = time.perf_counter()
    c = clean(text)
    assert time.perf_counter() - t0 < 15
    assert "当前位置" not in c.text and c.text.count("市政府召开常务会议") == 100_000


# ----------------------------------------------------------------------------- properties

CHROME_LINES = [
    "当前位置: 书记·市长 > 书记",
    "您的位置:新文秘网>>政协/政协讲话/>>正文",
    "分享:",
    "关键词:唐山,会议责任编辑:杜宇昕",
    "长城新媒体集团\xa0\xa0主办",
    "来源: 唐山劳动日报  作者:李响",
    "发表时间:2023/8/22 21:52:28",
    "2020-09-08 10:19:48",
]
CHROME_INLINE = ["……(新文秘网http://www.wm114.cn省略670字,正式会员可完整阅读)……", "央视网消息（新闻联播）："]
MARKERS = ("当前位置", "您的位置", "分享", "关键词", "责任编辑", "主办", "来源", "发表时间", "2020-09-08", "省略", "央视网消息")
BODY = st.text(alphabet="市委书记政府会议召开强调要一二三，。、 \n\u3000", max_size=40)


@st.composite
def documents_with_chrome(draw):
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["body", "line", "inline"]))
        if kind == "line":
            parts.append("\n" + draw(st.sampled_from(CHROME_LINES)) + "\n")
        elif kind == "inline":
            parts.append(draw(st.sampled_from(CHROME_INLINE)))
        else:
            parts.append(draw(BODY))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(documents_with_chrome())
def test_property_chrome_removed_offsets_exact(doc):
    c = clean(doc)
    assert_exact_map(doc, c)
    for marker in MARKERS:
        assert marker not in c.text
    assert c.text == c.text.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_property_any_text_maps_exactly(doc):
    assert_exact_map(doc, clean(doc))
