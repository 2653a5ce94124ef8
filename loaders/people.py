"""People and their posts: 省委常委、市委书记张古江 → 张古江 holds 常委 in 河北省委 and 书记 in 唐山市委.

A person is found where a title from ``lexicons/titles.toml`` stands right before a surname-led name
(市长丁绣峰), or after such a name in a list that shares the title (市政协领导王连灵、胡万宁、…). The
title chain before the name is read right to left across 、 (市委常委、组织部长、统战部长陈学民), each item
an optional body and a title. jieba's part-of-speech tags are used only as hints: to decide where a body
phrase starts, and for names the rules cannot delimit.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache

import jieba
import jieba.posseg as pseg

from . import organizations, places
from .jieba_setup import configure_jieba
from .lexicon import TitleInfo, lexicon
from .model import Span

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter would land in every command's stderr
configure_jieba()  # jieba's dictionary cache in the user's own folder, never the shared /tmp

BOUNDARY = set("，。、；：？！“”‘’（）()《》〈〉【】[]「」『』 \t\n\r\u3000,.;:?!\"'…—-·/|")
# single characters that end a name when they follow it (王海|在, 张三|等); a 3-character reading that
# ends in one of these loses to the 2-character one
_FUNCTION_CHARS = set("等在和与及向对说是的将曾也还就又并则为把从到给受率任作于同")
# jieba tags after which a body phrase cannot continue leftwards (a verb, preposition, particle ...)
_STOP_TAGS = ("v", "p", "u", "r", "d", "m", "q", "t", "f", "y", "e", "o", "nr", "x", "w")
_BODY_TAGS_DESPITE_PREFIX = ("vn",)   # 教育 (vn) in 河北华发教育科技股份有限公司
_STOP_TAG_ALLOWED = {"服务", "管理", "发展", "改革", "建设", "合作", "监督", "研究", "学习", "执行", "代表", "常务", "副", "执法", "检察", "人民", "中共", "中国共产党", "共产党", "协商", "主席", "中央"}
MAX_BODY_CHARS = 30
# words a body phrase never runs across, whatever jieba tags them (在北京|会见|韩国国会副议长)
_BODY_STOP_WORDS = {"时任", "现任", "曾任", "历任", "会见", "会晤", "会谈", "同", "与", "在", "向", "对", "受", "由", "陪同", "听取", "了", "的", "称", "表示", "指出", "致电", "致信", "接见", "看望", "出席", "主持", "是", "为"}
MAX_FOREIGN_NAME = 10
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class TitleItem:
    body_surface: str          # as written before the title ('' when none)
    title: TitleInfo
    span: Span                 # the item: body + title
    organization: organizations.Organization | None = None


@dataclass
class PersonMention:
    name: str
    span: Span
    chain: list[TitleItem] = field(default_factory=list)
    chain_span: Span | None = None        # first title item through the name


@dataclass
class Redaction:
    text: str
    span: Span
    title: str | None


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _is_boundary_at(text: str, pos: int) -> bool:
    if pos >= len(text) or text[pos] in BOUNDARY:
        return True
    lex = lexicon()
    for word in lex.after_name:
        if text.startswith(word, pos):
            return True
    for word in lex.speech_verbs:
        if text.startswith(word, pos):
            return True
    if lex.title_pattern.match(text, pos):
        return True
    return False


def _surname_lengths(text: str, pos: int) -> list[int]:
    """Possible name lengths at pos, preferred first."""
    lex = lexicon()
    if text[pos:pos + 2] in lex.compound_surnames:
        return [3, 4]
    if text[pos:pos + 1] in lex.surnames:
        return [3, 2]
    return []


def _plausible(name: str) -> bool:
    if len(name) < 2 or not all(is_cjk(c) for c in name):
        return False
    lex = lexicon()
    if name in lex.non_names or name[:2] in lex.non_names:
        return False
    if name in lex.titles or places.lookup(name):
        return False
    if any(name.endswith(w) for w in lex.speech_verbs if len(w) > 1) or name.endswith("时"):
        return False                        # 教育界委员|时强调, 会见越共中央总书记苏林|时
    tag = pseg.dt.word_tag_tab.get(name)
    if tag is not None and not tag.startswith(("nr", "ns", "nz")) and (jieba.get_FREQ(name) or 0) > 50:
        return False                        # 主席|郑重宣布, 习主席|敬礼: a common word, not a name
    return True


def name_at(text: str, pos: int, known: frozenset[str] = frozenset(), strict: bool = False) -> int | None:
    """End of a name starting at pos, or None. ``strict`` (for bare names in lists) requires the name to
    be followed by a boundary rather than falling back on jieba."""
    lengths = _surname_lengths(text, pos)
    if not lengths:
        return None
    for length in lengths:
        if text[pos:pos + length] in known:
            return pos + length
    fits = [n for n in lengths if _plausible(text[pos:pos + n]) and _is_boundary_at(text, pos + n)]
    if len(fits) == 2:
        longer, shorter = max(fits), min(fits)
        # 李强说 / 张三等: the third character is a function word that follows the name
        return pos + (shorter if text[pos + longer - 1] in _FUNCTION_CHARS else longer)
    if fits:
        return pos + fits[0]
    if strict:
        return None
    return _name_by_jieba(text, pos, lengths)


def _name_by_jieba(text: str, pos: int, lengths: list[int]) -> int | None:
    window = text[pos:pos + 8]
    tokens = [(t.word, t.flag) for t in pseg.cut(window)]
    if not tokens:
        return None
    word, flag = tokens[0]
    if flag.startswith("nr") and len(word) in lengths and _plausible(word):
        return pos + len(word)
    # jieba splits some names in two: 胡/万宁, 李/长远
    if len(word) in (1, 2) and flag.startswith("nr") and word == text[pos:pos + len(word)] and len(tokens) > 1:
        total = len(word) + len(tokens[1][0])
        if total in lengths and _plausible(text[pos:pos + total]) and tokens[1][1] in ("nr", "nrfg", "nrt", "ns", "d", "a", "n", "ng", "nz", "m", "vn"):
            return pos + total
    return None


_TIME_CHARS = set("本此该其已未都曾时后前")
_NAME_JOINERS = {"·", "-", "－", "•", "‧"}
_NOT_FOREIGN_NAME_START = set("馆官人任会府邸们级衔职处团和与及、，。")


def _foreign_name_at(text: str, pos: int) -> int | None:
    """Names written after a title that do not start with a Chinese surname (普京, 安东尼奥·古特雷斯):
    jieba's tokens up to the first ordinary dictionary word (特朗普|本月初, 普京|未)."""
    if pos >= len(text) or text[pos] in _NOT_FOREIGN_NAME_START:
        return None
    end = pos
    for word, flag in ((t.word, t.flag) for t in pseg.cut(text[pos:pos + MAX_FOREIGN_NAME + 4])):
        if word in _NAME_JOINERS or (end > pos and text[end - 1] in _NAME_JOINERS):
            end += len(word)           # 迪亚斯-卡内尔, 汤姆·弗莱彻
            continue
        if end > pos and _is_boundary_at(text, end):
            break
        if (len(word) > 1 and _is_common_word(word, flag)) or not all(is_cjk(c) for c in word):
            break
        if len(word) == 1 and end > pos and word in _FUNCTION_CHARS | _TIME_CHARS:
            break                      # 特朗普|本月初, 普京|未
        end += len(word)
        if end - pos >= MAX_FOREIGN_NAME:
            return None
    while end > pos and text[end - 1] in _NAME_JOINERS:
        end -= 1
    if end - pos >= 2 and _plausible("".join(c for c in text[pos:end] if c not in _NAME_JOINERS)):
        return end
    return None


def _is_common_word(word: str, flag: str) -> bool:
    """A jieba dictionary word that is not a name (本月初, 此前, 敬礼)."""
    if flag.startswith(("nr", "ns", "nz")) or len(word) < 2 and flag == "x":
        return False                 # transliterations are often tagged as place names (布利, 内尔)
    tag = pseg.dt.word_tag_tab.get(word)
    # transliterations are not in jieba's dictionary at all; any dictionary word (弹劾案, 通话) ends a name
    return tag is not None and not tag.startswith("nr") and (jieba.get_FREQ(word) or 0) > 0


@cache
def _title_anywhere() -> re.Pattern[str]:
    return re.compile("(?=(" + lexicon().title_pattern.pattern + "))")


@cache
def _titles_by_length() -> list[int]:
    return sorted({len(t) for t in lexicon().titles}, reverse=True)


def title_ending_at(text: str, end: int) -> TitleInfo | None:
    titles = lexicon().titles
    for length in _titles_by_length():
        if end - length >= 0 and text[end - length:end] in titles:
            return titles[text[end - length:end]]
    return None


def body_start(text: str, title_start: int) -> int:
    """Where the body phrase before a title starts (受|大会主席团常务主席 → after 受)."""
    start = title_start
    while start > 0 and title_start - start < MAX_BODY_CHARS and text[start - 1] not in BOUNDARY:
        start -= 1
    if start == title_start:
        return start
    phrase = text[start:title_start]
    tokens = [(t.word, t.flag) for t in pseg.cut(phrase)]
    offset = 0
    cut = 0
    for word, flag in tokens:
        offset += len(word)
        if word in _BODY_STOP_WORDS:
            cut = offset
        elif flag.startswith(_STOP_TAGS) and flag not in _BODY_TAGS_DESPITE_PREFIX and word not in _STOP_TAG_ALLOWED and not _looks_like_body_word(word):
            cut = offset
    start += cut
    named_tail = _named_tail_start(text, title_start, title_start)   # 埃及|总理: never split a state's name
    start = min(start, named_tail)
    if start > 0 and text[start - 1] == "驻":
        # 中国驻朝鲜|大使: the mission belongs to the sending state before 驻
        start -= 1
        while start > 0 and title_start - start < MAX_BODY_CHARS and is_cjk(text[start - 1]) and text[start - 1] not in BOUNDARY:
            start -= 1
    # 广东省委书记黄坤明和省长孟凡利: a body never runs across 和/与/及 unless the conjunction is inside a
    # body's own name (全国人大宪法和法律委员会)
    for i in range(named_tail - 1, start - 1, -1):
        if text[i] in "和与及同" and not text[i + 1:title_start].endswith(("委员会", "部", "局", "厅", "会", "院", "所", "中心")):
            return i + 1
    return start


def _named_tail_start(text: str, start: int, title_start: int) -> int:
    """Where a foreign state or a place that ends right before the title starts (加纳|总统): jieba may
    tag its first characters as a verb, but the name is the body."""
    states, international = _foreign_bodies()
    for length in range(min(10, title_start), 1, -1):
        tail = text[title_start - length:title_start]
        if tail in states or tail in international:
            if all(c not in BOUNDARY for c in tail):
                return title_start - length
    return start


def _looks_like_body_word(word: str) -> bool:
    lex = lexicon()
    bodies = lex.bodies
    return (
        word in bodies["national"]
        or any(word.endswith(s) for s in bodies["suffixes"])
        or bool(places.lookup(word))
        or word in ("市委", "省委", "县委", "区委", "市政府", "省政府", "县政府", "市政协", "省政协", "县政协")
    )


def read_chain(text: str, name_start: int) -> list[tuple[str, TitleInfo, Span]]:
    """Title items before a name, in reading order: (body surface, title, item span)."""
    items: list[tuple[str, TitleInfo, Span]] = []
    end = name_start
    while True:
        title = title_ending_at(text, end)
        if title is None:
            break
        title_start = end - len(title.surface)
        start = body_start(text, title_start)
        body_end = title_start
        qian = title_start - 1
        if qian >= 0 and text[qian] == "前" and not _in_word_with_qian(text, qian):
            # 美国前总统X / 前总统X: a former post, recorded as such rather than as the post
            title = TitleInfo(title.surface, "前" + title.title, None, None, False)
            body_end = qian
            start = body_start(text, qian)
        items.insert(0, (text[start:body_end], title, (start, end)))
        if start > 0 and text[start - 1] == "、":
            end = start - 1
            continue
        break
    return items


def _in_word_with_qian(text: str, pos: int) -> bool:
    """目前/此前/当前/之前/日前/提前/会前: 前 that belongs to a time word, not to the title."""
    return pos > 0 and text[pos - 1] in "目此当之日提先会赛节年月前以"


def resolve_chain(items: list[tuple[str, TitleInfo, Span]], jurisdiction: places.Jurisdiction | None, foreign: bool = False) -> list[TitleItem]:
    resolved: list[TitleItem] = []
    previous: organizations.Organization | None = None
    party: organizations.Organization | None = None
    for body_surface, title, span in items:
        org: organizations.Organization | None = None
        if body_surface and title.implies and title.under and not foreign:
            # 中央|纪委书记 → 中央纪委, 市委|组织部长 → 市委组织部
            org = organizations.resolve(body_surface + title.implies, jurisdiction)
        elif body_surface:
            org = organizations.resolve(body_surface, jurisdiction)
        elif title.implies and not foreign:     # 总理马德布利 is not a premier of the State Council
            org = organizations.resolve(title.implies, jurisdiction, party_context=party if title.under == "party_committee" else None)
        elif previous is not None:
            org = previous           # 市政协副主席、秘书长X: 秘书长 of the same body
        if org is not None and org.kind == "party_committee":
            party = org
        resolved.append(TitleItem(body_surface, title, span, org))
        previous = org
    return resolved


def find_people(text: str, jurisdiction: places.Jurisdiction | None) -> list[PersonMention]:
    """Titled mentions and the bare names that share their titles. Pure."""
    mentions: list[PersonMention] = []
    taken: set[int] = set()
    leader_name_ends = {span[1] for _, span in find_leader_mentions(text, set())}
    for match in _title_anywhere().finditer(text):
        # every title start, overlapping, longest title there (常委会委员长: both 常委 and 委员长)
        end = match.start() + len(match.group(1))
        if end in taken:
            continue
        if end - len(match.group(1)) in leader_name_ends:
            continue                                # 习近平主席|曾来: the name is before this title
        chain_probe = read_chain(text, end)
        foreign = False
        if chain_probe and any(_country_like(body) for body, _, _ in chain_probe):
            # 法国总统马克龙: a transliterated name, read to the next boundary
            name_end = _foreign_name_at(text, end)
            foreign = name_end is not None
            name_end = name_end or name_at(text, end)
        else:
            name_end = name_at(text, end)
            if name_end is None and not _surname_lengths(text, end):
                name_end = _foreign_name_at(text, end) if _title_is_bare(chain_probe) else None
                foreign = name_end is not None
        if name_end is None:
            continue
        items = resolve_chain(chain_probe, jurisdiction, foreign=foreign)
        if not items:
            continue
        taken.add(end)
        chain_span = (items[0].span[0], name_end)
        mentions.append(PersonMention(text[end:name_end], (end, name_end), items, chain_span))
        # 市政协领导王连灵、胡万宁、白春明: bare names after a titled one share its titles
        pos = name_end
        while pos < len(text) and text[pos] == "、":
            next_end = name_at(text, pos + 1, strict=True)
            if next_end is None:
                break
            if lexicon().title_pattern.match(text, next_end):   # 、张三主任 is another chain
                break
            mentions.append(PersonMention(text[pos + 1:next_end], (pos + 1, next_end), items, (items[0].span[0], next_end)))
            taken.add(pos + 1)
            pos = next_end
    return mentions


_BEFORE_LEADER_NAME = set("向同对和与在是将由请给陪")


@cache
def _leader_title_pattern() -> re.Pattern[str]:
    leaders = sorted((t for t, info in lexicon().titles.items() if info.leader), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, leaders)))


def find_leader_mentions(text: str, known: set[str]) -> list[tuple[str, Span]]:
    """Names written before a leader's title (习近平总书记, 李强总理). Only names jieba knows as names, or
    names already found with a title, are taken: the left edge of a name has no other evidence."""
    out: list[tuple[str, Span]] = []
    for match in _leader_title_pattern().finditer(text):
        title_start = match.start()
        for length in (3, 2, 4):
            start = title_start - length
            if start < 0 or not _surname_lengths(text, start) or length not in _surname_lengths(text, start):
                continue
            if start > 0 and text[start - 1] not in BOUNDARY and text[start - 1] not in _BEFORE_LEADER_NAME:
                continue
            name = text[start:title_start]
            tag = pseg.dt.word_tag_tab.get(name)
            if name in known or (tag is not None and tag.startswith("nr") and _plausible(name)):
                out.append((name, (start, title_start)))
                break
    return out


@cache
def _foreign_bodies() -> tuple[frozenset[str], frozenset[str]]:
    from .lexicon import lexicon_text

    sections: dict[str, set[str]] = {"states": set(), "international": set()}
    current = None
    for line in lexicon_text("foreign.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif line and current in sections:
            sections[current].update(line.split())
    return frozenset(sections["states"]), frozenset(sections["international"])


def foreign_kind(body_surface: str) -> str | None:
    """'state' or 'international' when the body as written ends with a foreign state or body."""
    states, international = _foreign_bodies()
    for length in range(min(len(body_surface), 10), 0, -1):
        for piece in (body_surface[-length:], body_surface[:length] if length > 1 else ""):
            if piece in states:
                return "state"     # 美国 / 老挝人民革命党中央委员会
            if piece in international:
                return "international"
    return None


def _title_is_bare(chain: list[tuple[str, TitleInfo, Span]]) -> bool:
    """Only a title with a foreign body may take a non-surname name; a bare 总统 is left alone."""
    return False


def _country_like(body_surface: str) -> bool:
    return bool(body_surface) and foreign_kind(body_surface) is not None


def find_name_mentions(text: str, names: set[str]) -> dict[str, list[Span]]:
    """Every occurrence of an already known name, longest names first, not inside a longer name."""
    found: dict[str, list[Span]] = {n: [] for n in names}
    if not names:
        return found
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    for match in pattern.finditer(text):
        name = match.group()
        start, end = match.span()
        if len(name) == 2 and not _is_boundary_at(text, end):
            continue
        if start > 0 and is_cjk(text[start - 1]) and text[start - 1] in lexicon().surnames and not _is_after_title_or_verb(text, start):
            # 欧阳X inside a longer name we do not know: skip only when the previous char plus name is a name
            if text[start - 1:end] not in names and len(name) == 2:
                continue
        found[name].append((start, end))
    return found


def _is_after_title_or_verb(text: str, pos: int) -> bool:
    return title_ending_at(text, pos) is not None


REDACTION = re.compile(r"[*＊×]{2,}")


def find_redactions(text: str) -> list[Redaction]:
    """Masked names (**主席) are kept as redacted mentions, never as people."""
    out: list[Redaction] = []
    for match in REDACTION.finditer(text):
        start, end = match.span()
        title_match = lexicon().title_pattern.match(text, end)
        title = title_match.group() if title_match else None
        span_end = title_match.end() if title_match else end
        out.append(Redaction(text[start:span_end], (start, span_end), title))
    return out
