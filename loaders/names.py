"""Where a Chinese or transliterated name starts and ends in running text. Pure functions of a lexicon.

A Chinese name is a surname (``surnames.txt``) and one or two given-name characters (two or three after a
compound surname); where it ends is decided by the next characters (a boundary character, a word that
follows names, a speech verb, a title: ``names.toml``, ``verbs.toml``, ``titles.toml``), with jieba's
dictionary as a hint for names the characters alone cannot delimit (胡/万宁). A transliterated name
(普京, 安东尼奥·古特雷斯) runs over joiners up to the first ordinary dictionary word.
"""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Iterator

import jieba

from .jieba_setup import configure_jieba

if TYPE_CHECKING:
    from .lexicon import Lexicon

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter would land in every command's stderr

# jieba's dictionary (word frequencies and part-of-speech tags) takes about 2.7 s to load.  It is loaded on
# first use, not at import: the ingesting parent imports the components to build the pipeline's fingerprint
# but never segments, and paid that load in every process.  Every function here that reads the dictionary
# loads all of it first, so a word's frequency never depends on whether something was segmented before.
_loaded: tuple[dict[str, str], Any] | None = None     # (jieba's word tags, jieba.posseg)


def _load_jieba() -> tuple[dict[str, str], Any]:
    """jieba's word tags and ``jieba.posseg``, the whole dictionary loaded on the first call."""
    global _loaded
    if _loaded is None:
        configure_jieba()
        import jieba.posseg as pseg

        jieba.initialize()
        _loaded = (pseg.dt.word_tag_tab, pseg)
    return _loaded


def pos_cut(text: str) -> Iterator[Any]:
    """``jieba.posseg.cut(text)``: its tokens (``.word``, ``.flag``), lazily."""
    return _load_jieba()[1].cut(text)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def all_cjk(s: str) -> bool:
    return bool(s) and all(is_cjk(c) for c in s)


def jieba_tag(word: str) -> str | None:
    """jieba's dictionary tag of a word, or None when the word is not in its dictionary."""
    return _load_jieba()[0].get(word)


def jieba_freq(word: str) -> int:
    _load_jieba()
    return jieba.get_FREQ(word) or 0


def is_boundary_at(text: str, pos: int, lex: "Lexicon") -> bool:
    """True when a name may end right before ``pos``."""
    if pos >= len(text) or text[pos] in lex.boundary:
        return True
    if lex.after_name_pattern.match(text, pos) or lex.speech_pattern.match(text, pos):
        return True
    return bool(lex.title_pattern.match(text, pos))


def post_taken_at(text: str, pos: int, lex: "Lexicon") -> bool:
    """True when ``pos`` starts a verb of appointment and the phrase after it, up to the next boundary, ends in
    a title (王小川研究员|任所长, 樊富珉教授|任执行负责人): a post taken, where the characters would read a name
    with the surname 任."""
    for verb in lex.appointment_verbs:
        if text.startswith(verb, pos):
            start = pos + len(verb)
            stop = start
            while stop < len(text) and text[stop] not in lex.boundary and stop - start < 16:
                stop += 1
                if lex.title_ending_at(text, stop) is not None and (
                        stop == len(text) or text[stop] in lex.boundary or not lex.title_pattern.match(text, stop)):
                    return stop - start >= 2
            return False
    return False


def surname_lengths(text: str, pos: int, lex: "Lexicon") -> list[int]:
    """Possible name lengths at pos, preferred first."""
    if text[pos:pos + 2] in lex.compound_surnames:
        return [3, 4]
    if text[pos:pos + 1] in lex.surnames:
        return [3, 2]
    return []


def plausible(name: str, lex: "Lexicon") -> bool:
    """Could this string be a person's name (not a word, a title, a place or a verb phrase)?"""
    if len(name) < 2 or not all_cjk(name):
        return False
    if name in lex.non_names or name[:2] in lex.non_names or (len(name) == 3 and name[1:] in lex.non_names):
        return False                        # 干部, 向|国家: a word, or a surname-like character and a word
    if name in lex.titles or lex.places.lookup(name) or name in lex.foreign_states or name in lex.international_bodies:
        return False                        # 乌克兰 (which jieba tags nr), 黎巴嫩, 唐山: a state or a place
    if len(name) == 2 and name[1] in lex.function_chars:
        return False                        # 国|为, 王|在: a surname-like character and a function word
    if any(c in lex.pronouns for c in name[1:]):
        return False                        # 迎进他: a verb phrase
    if name[1:] in lex.bare_bodies or name[-2:] in lex.bare_bodies:
        return False                        # 李|省委(书记): a body, not a given name
    if any(name.endswith(w) for w in lex.speech_verbs if len(w) > 1) or name.endswith("时"):
        return False                        # 教育界委员|时强调, 会见越共中央总书记苏林|时
    tag = jieba_tag(name)
    if tag is not None and not tag.startswith(("nr", "ns", "nz", "t")) and jieba_freq(name) > 50:
        return False                        # 主席|郑重宣布, 习主席|敬礼: a common word, not a name (周恩来 is a 't')
    return True


def name_at(text: str, pos: int, lex: "Lexicon", known: frozenset[str] = frozenset(), strict: bool = False) -> int | None:
    """End of a Chinese name starting at pos, or None. ``strict`` (for bare names in lists) requires the name
    to be followed by a boundary rather than falling back on jieba."""
    if pos >= len(text):
        return None
    lengths = [n for n in surname_lengths(text, pos, lex) if pos + n <= len(text)]
    if not lengths:
        return None
    for length in lengths:
        if text[pos:pos + length] in known:
            return pos + length
    fits = [n for n in lengths if plausible(text[pos:pos + n], lex) and is_boundary_at(text, pos + n, lex)]
    if len(fits) == 2:
        longer, shorter = max(fits), min(fits)
        # 李强说 / 张三等: the third character is a function word that follows the name
        return pos + (shorter if text[pos + longer - 1] in lex.function_chars else longer)
    if fits:
        return pos + fits[0]
    if strict:
        return None
    return _name_by_jieba(text, pos, lengths, lex)


def _name_by_jieba(text: str, pos: int, lengths: list[int], lex: "Lexicon") -> int | None:
    window = text[pos:pos + 8]
    tokens = lex.pos_tokens(window)
    if not tokens:
        return None
    word, flag = tokens[0]
    if flag.startswith("nr") and len(word) in lengths and plausible(word, lex):
        return pos + len(word)
    # jieba splits some names in two: 胡/万宁, 李/长远
    if len(word) in (1, 2) and flag.startswith("nr") and word == text[pos:pos + len(word)] and len(tokens) > 1:
        total = len(word) + len(tokens[1][0])
        if total in lengths and plausible(text[pos:pos + total], lex) and tokens[1][1] in (
                "nr", "nrfg", "nrt", "ns", "d", "a", "n", "ng", "nz", "m", "vn"):
            return pos + total
    return None


def is_common_word(word: str, flag: str) -> bool:
    """A jieba dictionary word that is not a name (本月初, 此前, 敬礼)."""
    if flag.startswith(("nr", "ns", "nz")) or len(word) < 2 and flag == "x":
        return False                 # transliterations are often tagged as place names (布利, 内尔)
    tag = jieba_tag(word)
    # transliterations are not in jieba's dictionary at all; any dictionary word (弹劾案, 通话) ends a name
    return tag is not None and not tag.startswith("nr") and jieba_freq(word) > 0


def foreign_name_at(text: str, pos: int, lex: "Lexicon") -> int | None:
    """Names written after a title that do not start with a Chinese surname (普京, 安东尼奥·古特雷斯):
    jieba's tokens up to the first ordinary dictionary word (特朗普|本月初, 普京|未)."""
    if pos >= len(text) or text[pos] in lex.not_foreign_start or text[pos] in lex.function_chars:
        return None                    # 负责人|对|江泽民: a preposition, not the start of a name
    end = pos
    # read lazily: most names end within the first tokens, and the window is rarely seen twice
    for word, flag in ((t.word, t.flag) for t in pos_cut(text[pos:pos + lex.max_foreign_name + 4])):
        if word in lex.joiners or (end > pos and text[end - 1] in lex.joiners):
            end += len(word)           # 迪亚斯-卡内尔, 汤姆·弗莱彻
            continue
        if end > pos and is_boundary_at(text, end, lex):
            break
        if (len(word) > 1 and is_common_word(word, flag)) or not all_cjk(word):
            break
        if len(word) == 1 and end > pos and word in lex.name_end_chars:
            break                      # 特朗普|本月初, 普京|未
        end += len(word)
        if end - pos >= lex.max_foreign_name:
            return None
    while end > pos and text[end - 1] in lex.joiners:
        end -= 1
    if end - pos >= 2 and plausible("".join(c for c in text[pos:end] if c not in lex.joiners), lex):
        return end
    return None


def extend_over_joiners(text: str, start: int, end: int, lex: "Lexicon", pieces: list[tuple[int, int]]) -> int:
    """A transliterated name written in pieces (哈拉-阿霍, 哈那哈提·木哈买提): the end of the last piece
    that follows ``end`` across a joiner. ``pieces``: other name-like spans the caller knows of."""
    by_start = {s: e for s, e in pieces}
    while end < len(text) - 1 and text[end] in lex.joiners and is_cjk(text[end + 1]):
        nxt = by_start.get(end + 1)
        if nxt is None:
            # no known piece: read CJK characters that are not a boundary, up to a limit
            stop = end + 1
            while stop < len(text) and is_cjk(text[stop]) and stop - end <= 6 and not is_boundary_at(text, stop, lex):
                stop += 1
            if stop == end + 1:
                break
            nxt = stop
        end = nxt
    return end


def looks_chinese(name: str, lex: "Lexicon") -> bool:
    """A surname and one or two given-name characters (two or three after a compound surname) that are not
    all transliteration characters (莫尔多, 卢甘斯克 are transliterations that start with a surname)."""
    compound = name[:2] in lex.compound_surnames
    if not (compound or name[:1] in lex.surnames) or any(j in name for j in lex.joiners):
        return False
    given = name[2:] if compound else name[1:]
    if not 1 <= len(given) <= 2:
        return False
    if len(given) == 2 and all(c in lex.transliteration_wide for c in given):
        return False
    return sum(c in lex.transliteration_strict for c in name) < 2


def mend_model_spans(text: str, spans: list[tuple[int, int]], lex: "Lexicon") -> list[tuple[int, int]]:
    """The model's person spans with the slips its boundaries are known to make mended: a preposition or
    conjunction taken into the name is dropped (对|江泽民, 习近平|和); a transliteration cut into two touching
    pieces (阿布都|克力木·艾则孜, 加|卢先科) is joined; a surname tagged alone (何|报翔) takes its given name.
    No name is one character long."""
    mended = []
    for start, end in spans:
        head = text[start]
        if end - start >= 3 and (head in lex.function_chars or head in lex.before_leader_name):
            if head not in lex.surnames or (end - start == 4 and plausible(text[start + 1:end], lex)):
                start += 1
        if end - start >= 3 and text[end - 1] in lex.function_chars and plausible(text[start:end - 1], lex):
            end -= 1
        if end - start == 1 and head in lex.surnames:
            # 何|报翔: the model tags the surname alone; the characters delimit the whole name
            whole = name_at(text, start, lex, strict=True)
            if whole is not None and whole - start >= 2:
                end = whole
        mended.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(mended):
        if merged and merged[-1][1] == start:
            left, right = text[merged[-1][0]:merged[-1][1]], text[start:end]
            if len(left) == 1 or any(j in left + right for j in lex.joiners) or (
                    not looks_chinese(left, lex) and not looks_chinese(right, lex)
                    and any(c in lex.transliteration_wide for c in left) and any(c in lex.transliteration_wide for c in right)):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return [(s, e) for s, e in merged if e - s >= 2]
