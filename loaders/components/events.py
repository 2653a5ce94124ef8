"""Meetings and who took part in them, with which role.

A meeting is announced by a held verb (召开/举行) next to a name ending in a meeting suffix (协商议政大会,
国务院常务会议), or by 会见/会谈 between people. Participants come from sentences with role phrases
(出席会议并讲话, 主持, 先后发言 …, ``lexicons/verbs.toml``): the people named before the phrase take the role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..doc import Doc, Event, Participant
from ..model import Span
from ..registry import component
from ..text_units import sentences

_DATE_FULL = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_DATE_MD = re.compile(r"(\d{1,2})月(\d{1,2})日")
_DATE_D = re.compile(r"(?<![\d月])(\d{1,2})日")
_THEME = re.compile(r"围绕[“\"「]([^”\"」]{2,80})[”\"」]|以[“\"「]([^”\"」]{2,80})[”\"」]为主题|主题为[“\"「]([^”\"」]{2,80})[”\"」]")
_MEET_WITH = re.compile(r"会见|会谈|见面|通电话|通话")


Meeting = Event


def resolve_date(fragment: str, published: str | None) -> str | None:
    """9月7日 in a report published 2020-09-08 is 2020-09-07; a bare 10日 takes the publication month.
    A month after the publication month is taken as last year's."""
    m = _DATE_FULL.search(fragment)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if not published:
        return None
    pub = date.fromisoformat(published)
    m = _DATE_MD.search(fragment)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        year = pub.year - 1 if month > pub.month + 1 else pub.year
        return _safe_date(year, month, day)
    m = _DATE_D.search(fragment)
    if m:
        day = int(m.group(1))
        month, year = pub.month, pub.year
        if day > pub.day + 1:          # 28日 in a report of the 2nd: last month
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
        return _safe_date(year, month, day)
    return None


def _safe_date(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _meeting_pattern(lex) -> re.Pattern[str]:
    suffixes = "|".join(map(re.escape, lex.meeting_suffixes))
    held = "|".join(map(re.escape, lex.meeting_held))
    time_words = "(?:" + "|".join(map(re.escape, lex.time_of_day)) + ")?"
    date_part = rf"(?:\d{{4}}年)?(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?{time_words}"
    # (organiser)(date)(召开|举行)(name)   or   (name)(date)(在place)(召开|举行)
    return re.compile(
        rf"(?P<org>[\u4e00-\u9fff]{{2,16}}?)(?P<d1>{date_part})(?:在[\u4e00-\u9fff]{{2,12}})?(?:主持)?(?P<held>{held})(?P<name>[\u4e00-\u9fff“”《》0-9]{{0,30}}?(?:{suffixes}))"
        rf"|(?P<name2>[\u4e00-\u9fff“”《》0-9]{{2,40}}?(?:{suffixes}))(?P<d2>{date_part})(?:在[\u4e00-\u9fff]{{2,20}}?)?(?P<held2>{held})"
    )


def find_meetings(text: str, published: str | None, people: dict[str, list[Span]], lex, pattern: re.Pattern[str]) -> list[Meeting]:
    meetings: list[Meeting] = []
    person_spans = sorted((s, e, name) for name, spans in people.items() for s, e in spans)
    for sentence in sentences(text):
        s, e = sentence.span
        m = pattern.search(text, s, e)
        meeting = _meeting_from_match(text, m, (s, e), published, list(people), lex) if m else None
        if meeting is not None:
            meetings.append(meeting)
            continue
        bilateral = _bilateral(text, (s, e), person_spans, published)
        if bilateral is not None:
            meetings.append(bilateral)
    meetings = _dedupe(meetings)
    if meetings:
        _assign_roles(text, meetings, person_spans, lex)
    return meetings


def _clean_name(name: str, people: list[str], lex) -> str:
    # a meeting's name never runs across these (国家主席习近平将出席|会议, 外交部就…出席|中拉论坛…会议)
    cuts = re.compile(".*(?:" + "|".join(map(re.escape, lex.meeting_name_cuts)) + ")")
    name = cuts.sub("", name)
    for person in people:
        if person in name:
            name = name[name.rindex(person) + len(person):]
    return name.strip("“”《》")


def _valid_organizer(surface: str | None, people: list[str], lexicon) -> bool:
    """An organiser is a body: a national body, a place + body core, or a name with a body suffix."""
    if not surface or any(p in surface for p in people):
        return False
    lex = lexicon.bodies
    if surface in lex["national"]:
        return True
    if re.search(r"[年月日时]|上午|下午|晚", surface):
        return False
    return surface.endswith(tuple(lex["suffixes"]) + tuple(lex["cores"]) + ("委", "政协", "人大", "政府", "中央", "国务院", "政治局"))


def _meeting_from_match(text: str, m: re.Match[str], sentence: Span, published: str | None, people: list[str], lex) -> Meeting | None:
    s, e = sentence
    if m.group("name") is not None:
        organizer: str | None = _strip_lead(m.group("org"), lex)
        org_end = m.end("org")
        if not _valid_organizer(organizer, people, lex):
            organizer = None
        name = _clean_name(m.group("name"), people, lex)
        if name in lex.generic_meeting_names and organizer:
            name = organizer + name            # 中共中央政治局召开会议 → 中共中央政治局会议
        meeting = Meeting(name, (s, e), None, organizer=organizer, organizer_span=(org_end - len(organizer), org_end) if organizer else None)
    else:
        name = _clean_name(_strip_lead(m.group("name2"), lex), people, lex)
        meeting = Meeting(name, (s, e), None)
    if name in lex.generic_meeting_names or len(name) < 3:
        return None                            # 会议 with no organiser names nothing a reader could find again
    written = resolve_date(text[s:e], published)
    meeting.date = written or published
    meeting.date_explicit = written is not None
    theme = _THEME.search(text, s, e)
    if theme:
        group = next(i for i in (1, 2, 3) if theme.group(i))
        meeting.theme = theme.group(group)
        meeting.theme_span = theme.span(group)
    return meeting


def _strip_lead(s: str, lex) -> str:
    # drop a leading date or adverb glued to the organiser (近日市政协 → 市政协)
    for word in lex.meeting_lead_words:
        if s.startswith(word):
            return s[len(word):]
    return s


def _bilateral(text: str, sentence: Span, person_spans: list[tuple[int, int, str]], published: str | None) -> Meeting | None:
    s, e = sentence
    m = _MEET_WITH.search(text, s, e)
    if not m:
        return None
    before = [p for p in person_spans if s <= p[0] and p[1] <= m.start()]
    after = [p for p in person_spans if m.end() <= p[0] and p[1] <= e]
    if not before or not after:
        return None
    host, guest = before[0], after[0]
    meeting = Meeting(f"{host[2]}{m.group()}{guest[2]}", (s, e), resolve_date(text[s:e], published) or published, kind="bilateral")
    meeting.add(host[2], "attended", (host[0], host[1]))
    meeting.add(guest[2], "attended", (guest[0], guest[1]))
    return meeting


def _dedupe(meetings: list[Meeting]) -> list[Meeting]:
    """A headline and the body announce the same meeting: one meeting per name (and written date), the
    body's sentence with a written date taking precedence."""
    out: list[Meeting] = []
    for meeting in meetings:
        same = next((m for m in out if _same_meeting(m, meeting)), None)
        if same is None:
            out.append(meeting)
            continue
        if meeting.date_explicit and not same.date_explicit:
            same.span, same.date, same.date_explicit = meeting.span, meeting.date, True
            same.organizer = meeting.organizer or same.organizer
            same.organizer_span = meeting.organizer_span or same.organizer_span
        if meeting.theme and not same.theme:
            same.theme, same.theme_span = meeting.theme, meeting.theme_span
        for p in meeting.participants.values():
            for role in p.roles:
                for ev in p.evidence:
                    same.add(p.name, role, ev)
    return out


def _same_meeting(a: Meeting, b: Meeting) -> bool:
    if a.kind != b.kind:
        return False
    if not (a.name == b.name or a.name.endswith(b.name) or b.name.endswith(a.name)):
        return False
    return a.date == b.date or not (a.date_explicit and b.date_explicit)


def _role_phrases(text: str, start: int, end: int, lex) -> list[tuple[int, int, str]]:
    phrases = sorted(lex.roles, key=len, reverse=True)
    found: list[tuple[int, int, str]] = []
    pos = start
    while pos < end:
        for phrase in phrases:
            if text.startswith(phrase, pos) and pos + len(phrase) <= end:
                found.append((pos, pos + len(phrase), lex.roles[phrase]))
                pos += len(phrase)
                break
        else:
            pos += 1
    return found


def _assign_roles(text: str, meetings: list[Meeting], person_spans: list[tuple[int, int, str]], lex) -> None:
    """People named before a role phrase in a sentence take that role at the nearest meeting announced
    at or before the sentence (or the first meeting, for a headline above the announcement)."""
    for sentence in sentences(text):
        s, e = sentence.span
        bilateral = [m for m in meetings if m.kind == "bilateral" and m.span == (s, e)]
        if bilateral:
            continue
        candidates = [m for m in meetings if m.kind == "meeting" and m.span[0] <= s]
        meeting = candidates[-1] if candidates else next((m for m in meetings if m.kind == "meeting"), None)
        if meeting is None:
            continue
        group: list[tuple[int, int, str]] = []
        cursor = s
        previous_end = None
        for p_start, p_end, role in _role_phrases(text, s, e, lex):
            people = [p for p in person_spans if cursor <= p[0] and p[1] <= p_start]
            if people:
                group = people
            elif not (previous_end is not None and text[previous_end:p_start].strip("，, ") in ("并", "并作", "")):
                group = []                     # 其他4名同志提交了书面发言: nobody named
            for p in group:
                meeting.add(p[2], role, (p[0], p_end))
            cursor = p_end
            previous_end = p_end


@component("events")
def make_events(lexicon):
    pattern = _meeting_pattern(lexicon)

    def run(doc: Doc) -> None:
        spans = {name: sorted(p.mentions) for name, p in doc.people.items()}
        doc.events = find_meetings(doc.text, doc.meta.published, spans, lexicon, pattern)

    return run
