"""Directives (the commitments): who said what must be done, to whom, about which industry.

A directive is a sentence in a speaker's statement (X强调，… ; 会议指出，… ; or the whole body of a speech
whose speaker is unnamed) that carries a modality word (要, 必须, 着力 …, ``lexicons/verbs.toml``), or a
numbered item (1、 / 一是 / 一要 …) under such a directive. Numbered items nest by marker family; a
heading repeated in a table of contents and in the body is one directive with two mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import industries as industry_vocab
from ..doc import Addressee, Directive, Doc, Speaker
from ..model import Span
from ..registry import component
from ..text_units import paragraphs, sentences

_CN = "[一二三四五六七八九十]{1,3}"
# marker family -> pattern; the family decides nesting, the number the ordinal
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("paren_arabic", re.compile(r"[（(](\d{1,2})[）)]")),
    ("paren_cn", re.compile(rf"[（(]({_CN})[）)]")),
    ("arabic", re.compile(r"(\d{1,2})[、.．](?!\d)")),
    ("cn_dun", re.compile(rf"({_CN})、")),
    ("shi", re.compile(rf"({_CN})是(?=要|[^\s，。])")),
    ("yao", re.compile(rf"({_CN})(?=要)")),
    ("di", re.compile(rf"第({_CN})[，,、]")),
]
TOC_START = re.compile(r"(目录|提纲)\s*[:：]")
TOC_END = re.compile(r"^[…\.。\s]+$")
_ADDRESSEE_SPLIT_KEEP = re.compile(r"\s+")


def cn_number(s: str, digits: dict[str, int]) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + digits.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return digits.get(tens, 0) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(s, 0)


def find_modality(text: str, start: int, end: int, lex) -> tuple[str, str, int] | None:
    """First modality word in text[start:end] that is not part of a non-modal word (重要)."""
    best: tuple[str, str, int] | None = None
    for word, strength in lex.modality.items():
        pos = text.find(word, start, end)
        while pos != -1:
            if not _inside_non_modal(text, pos, word, lex):
                if best is None or pos < best[2] or (pos == best[2] and len(word) > len(best[0])):
                    best = (word, strength, pos)
                break
            pos = text.find(word, pos + 1, end)
    return best


def _inside_non_modal(text: str, pos: int, word: str, lex) -> bool:
    for nm in lex.not_modal:
        offset = nm.find(word)
        while offset != -1:
            if text.startswith(nm, pos - offset):
                return True
            offset = nm.find(word, offset + 1)
    return False


def match_marker(text: str, pos: int, lex) -> tuple[str, int, int] | None:
    """(family, ordinal, marker end) when a numbered marker starts at pos."""
    for family, pattern in MARKERS:
        m = pattern.match(text, pos)
        if m:
            return family, cn_number(m.group(1), lex.cn_digits), m.end()
    return None


def speech_intro(text: str, start: int, end: int, known_names: set[str], lex) -> tuple[Speaker, int] | None:
    """X强调， / X在主持会议时指出， / 他说， / 会议指出， at the start of a sentence: the speaker and where
    the statement starts."""
    head = text[start:min(end, start + 40)]
    for verb in lex.speech_verbs:
        idx = head.find(verb)
        while idx != -1:
            after = start + idx + len(verb)
            if after < len(text) and text[after] in "，,：:" or verb == "说" and after < len(text) and text[after] in "，,：:“":
                who_text = head[:idx]
                who_text = re.sub(r"在[^，。]{1,30}?时$", "", who_text)  # 胡国辉在主持会议时指出
                for adverb in lex.speaker_trailing:
                    if who_text.endswith(adverb):
                        who_text = who_text[: -len(adverb)]
                        break
                speaker = _speaker_from(who_text, start, known_names, lex)
                if speaker is not None:
                    return speaker, after + 1
            idx = head.find(verb, idx + 1)
    return None


def _speaker_from(who: str, start: int, known_names: set[str], lex) -> Speaker | None:
    if who in known_names:
        return Speaker("person", name=who, span=(start, start + len(who)))
    if who in lex.pronouns:
        return Speaker("person", name=None, span=(start, start + len(who)))
    if who.endswith(lex.meeting_speakers):
        return Speaker("meeting", span=(start, start + len(who)))
    return None


def find_toc(text: str) -> Span | None:
    """The table of contents block (目录/提纲:… up to a line of dots), if any."""
    m = TOC_START.search(text)
    if not m:
        return None
    pos = text.find("\n", m.end())
    if pos == -1:
        return None
    for p_start, p_end in paragraphs(text):
        if p_start > pos and TOC_END.match(text[p_start:p_end]):
            return (m.start(), p_end)
    return None


def _normalise_heading(s: str) -> str:
    return re.sub(r"[\s，。、；：,.;:！？!?“”\"']", "", s)


def document_voice(text: str, title: str | None, lex, known_names: set[str] = frozenset()) -> Speaker | None:
    """Who speaks where no statement says so: the person a title names (习近平在…时强调), or the unnamed
    speaker of a speech or outline (讲话提纲) and the body they speak for (代表县政府)."""
    if not title:
        return None
    named = [n for n in known_names if n in title and re.search(n + r".{0,30}(强调|指出|讲话|致辞|表示|发言|要求|主持)", title)]
    if named:
        name = min(named, key=title.index)
        return Speaker("person", name=name)
    if not any(w in title for w in lex.speech_titles) or speech_intro_anywhere(text, known_names, lex):
        return None
    m = re.search(r"代表([\u4e00-\u9fff]{2,12}?)(?:[，,、]|向|对|感谢)", text)
    organization = m.group(1) if m else None
    span = (m.start(1), m.end(1)) if m else None
    return Speaker("unnamed", organization=organization, span=span)


def _last_named_before(text: str, pos: int, known_names: set[str]) -> str | None:
    found = [(text.rfind(n, 0, pos), n) for n in known_names]
    found = [f for f in found if f[0] != -1]
    return max(found)[1] if found else None


def speech_intro_anywhere(text: str, known_names: set[str], lex) -> bool:
    return any(speech_intro(text, s.span[0], s.span[1], known_names, lex) for s in sentences(text))


def extract_directives(text: str, known_names: set[str], lex, title: str | None = None) -> list[Directive]:
    voice = document_voice(text, title, lex, known_names)
    toc = find_toc(text)
    directives: list[Directive] = []
    by_heading: dict[str, Directive] = {}
    stack: list[tuple[str, str]] = []            # (marker family, directive id)
    current: Speaker | None = voice
    last_person: str | None = None
    paragraph_lead: dict[int, str] = {}           # paragraph -> last unnumbered directive id in it
    previous_paragraph = -1
    in_toc_before = False

    for sentence in sentences(text):
        s, e = sentence.span
        in_toc = toc is not None and toc[0] <= s < toc[1]
        if in_toc_before and not in_toc:
            stack.clear()                         # the body restarts the numbering the TOC used
        in_toc_before = in_toc
        if sentence.paragraph != previous_paragraph:
            previous_paragraph = sentence.paragraph
            current = voice                       # a news report restates its speaker each paragraph
        intro = speech_intro(text, s, e, known_names, lex)
        if intro is not None:
            speaker, s = intro
            if speaker.kind == "person" and speaker.name is None:
                # 他强调: the last speaker, else the title's speaker, else the last person named before
                speaker.name = last_person or (voice.name if voice else None) or _last_named_before(text, s, known_names)
            if speaker.kind == "person" and speaker.name:
                last_person = speaker.name
            current = speaker
            stack.clear()
        if current is None or s >= e:
            continue
        marker = match_marker(text, s, lex)
        modal = find_modality(text, s, e, lex)
        parent_id: str | None = None
        ordinal: int | None = None
        family: str | None = None
        if marker is not None:
            family, ordinal, _ = marker
            families = [f for f, _ in stack]
            if family in families:
                while stack and stack[-1][0] != family:
                    stack.pop()
                stack.pop()
            if stack:
                parent_id = stack[-1][1]
            elif ordinal == 1 or sentence.paragraph in paragraph_lead:
                parent_id = paragraph_lead.get(sentence.paragraph)
            parent_is_directive = parent_id is not None
            if modal is None and not parent_is_directive:
                continue
        else:
            if modal is None:
                continue
            parent_id = stack[-1][1] if stack else None

        heading = _normalise_heading(text[s:e])
        existing = by_heading.get(heading) if marker is not None or in_toc else None
        if existing is not None and existing.in_toc and not in_toc:
            # the body's copy of a TOC heading: one directive, two mentions; the body is the main span
            existing.mentions.append((s, e))
            existing.span = (s, e)
            if marker is not None:
                stack.append((family, existing.id))
            continue
        directive = Directive(
            id=f"d{len(directives) + 1}",
            span=(s, e),
            speaker=current,
            modality=modal[0] if modal else None,
            strength=modal[1] if modal else None,
            ordinal=ordinal,
            marker_family=family,
            parent=parent_id,
            addressees=find_addressees(text, s, modal[2] if modal else s, lex),
            industries=[_shift(m, s) for m in industry_vocab.find_industries(text[s:e], lex.industries)],
            mentions=[(s, e)],
            in_toc=in_toc,
        )
        directives.append(directive)
        if in_toc or marker is not None:
            by_heading.setdefault(heading, directive)
        if marker is not None:
            stack.append((family, directive.id))
        else:
            paragraph_lead[sentence.paragraph] = directive.id
    return directives


def _shift(mention: industry_vocab.IndustryMention, offset: int) -> industry_vocab.IndustryMention:
    return industry_vocab.IndustryMention(mention.start + offset, mention.end + offset, mention.concept, mention.label, mention.surface)


def find_addressees(text: str, start: int, modal_pos: int, lex) -> list[Addressee]:
    """各级各单位要… / 科技局、人才办等单位要… / 全市各级政协组织和政协委员，要…: the subject before the
    modal verb, when it names a group or a body."""
    if modal_pos <= start:
        return []
    subject_start = start
    marker = match_marker(text, start, lex)
    if marker is not None:
        subject_start = marker[2]
    subject_end = modal_pos
    while subject_end > subject_start and text[subject_end - 1] in "，, ":
        subject_end -= 1
    comma = max(text.rfind("，", subject_start, subject_end), text.rfind(",", subject_start, subject_end))
    if comma != -1:
        subject_start = comma + 1
    subject = text[subject_start:subject_end]
    if not subject or len(subject) > 40:
        return []
    if not (subject.startswith(lex.addressee_starts) or subject.endswith(lex.addressee_ends) or _names_a_body(subject, lex)):
        return []
    for suffix in lex.addressee_strip:
        if subject.endswith(suffix):
            subject_end -= len(suffix)
            subject = subject[: -len(suffix)]
            break
    pattern = re.compile("|".join(map(re.escape, lex.addressee_separators)))
    out: list[Addressee] = []
    pos = subject_start
    for part in pattern.split(subject):
        part_start = text.find(part, pos, subject_end) if part else -1
        if part and part_start != -1:
            out.append(Addressee(part, (part_start, part_start + len(part))))
            pos = part_start + len(part)
    return out


def _names_a_body(subject: str, lex) -> bool:
    first = re.split("、|和|及", subject)[0]
    return 2 <= len(first) <= 12 and first.endswith(lex.addressee_body_endings)


@component("directives")
def make_directives(lexicon):
    def run(doc: Doc) -> None:
        doc.directives = extract_directives(doc.text, set(doc.people), lexicon, doc.meta.title)

    return run
