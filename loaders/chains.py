"""Title chains: 省委常委、市委书记张古江 → [(省委, 常委), (市委, 书记)], each item resolved to a body.

The chain before a name is read right to left across 、; each item is an optional body phrase and a title
from ``titles.toml``. Where a body phrase starts is decided by jieba's tags over the few characters before
the title (a verb, preposition or particle ends it; ``names.toml`` [body_phrase]), never across a foreign
state's name or a conjunction that is not inside a body's own name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import organizations, places
from .lexicon import TitleInfo
from .model import Span
from .names import is_cjk

if TYPE_CHECKING:
    from .lexicon import Lexicon


@dataclass
class TitleItem:
    body_surface: str          # as written before the title ('' when none)
    title: TitleInfo
    span: Span                 # the item: body + title
    organization: organizations.Organization | None = None

    @property
    def title_span(self) -> Span:
        return (self.span[1] - len(self.title.surface), self.span[1])


def body_start(text: str, title_start: int, lex: "Lexicon", bodies: dict[int, int] | None = None) -> int:
    """Where the body phrase before a title starts (受|大会主席团常务主席 → after 受).

    ``bodies``: end → start of the places and bodies the model read; a run of them ending right before the
    title is the body even where jieba tags a word inside it as a verb (日本国际贸易|促进|协会|会长)."""
    start = title_start
    while start > 0 and title_start - start < lex.max_body_phrase and text[start - 1] not in lex.boundary:
        start -= 1
    if start == title_start:
        return start
    phrase = text[start:title_start]
    offset = 0
    cut = 0
    for word, flag in lex.pos_tokens(phrase):
        offset += len(word)
        if word in lex.body_stop_words:
            cut = offset
        elif (flag.startswith(lex.body_stop_tags) and flag not in lex.body_tags and word not in lex.stop_tag_allowed
              and not _looks_like_body_word(word, lex)):
            cut = offset
    start += cut
    named_tail = _named_tail_start(text, title_start, lex)   # 埃及|总理: never split a state's name
    start = min(start, named_tail, _model_body_start(text, title_start, bodies, lex))
    if start > 0 and text[start - 1] == "驻":
        # 中国驻朝鲜|大使: the mission belongs to the sending state before 驻
        start -= 1
        while start > 0 and title_start - start < lex.max_body_phrase and is_cjk(text[start - 1]) and text[start - 1] not in lex.boundary:
            start -= 1
    # 广东省委书记黄坤明和省长孟凡利: a body never runs across 和/与/及 unless the conjunction is inside a
    # body's own name (全国人大宪法和法律委员会); a conjunction that opens the phrase has nothing of a name before it
    # (韩正|和|国务院副总理胡春华)
    for i in range(named_tail - 1, start - 1, -1):
        if text[i] in lex.body_conjunctions and (i == start or not text[i + 1:title_start].endswith(lex.conjunction_ok_before)):
            return i + 1
    return start


def _model_body_start(text: str, title_start: int, bodies: dict[int, int] | None, lex: "Lexicon") -> int:
    pos = title_start
    while bodies and pos in bodies and title_start - bodies[pos] <= lex.max_body_phrase:
        if any(c in lex.boundary for c in text[bodies[pos]:pos]):
            break
        pos = bodies[pos]
    return pos


def _named_tail_start(text: str, title_start: int, lex: "Lexicon") -> int:
    """Where a foreign state or an international body that ends right before the title starts (加纳|总统):
    jieba may tag its first characters as a verb, but the name is the body."""
    for length in range(min(10, title_start), 1, -1):
        tail = text[title_start - length:title_start]
        if (tail in lex.foreign_states or tail in lex.international_bodies) and all(c not in lex.boundary for c in tail):
            return title_start - length
    return title_start


def _looks_like_body_word(word: str, lex: "Lexicon") -> bool:
    bodies = lex.bodies
    return (
        word in bodies["national"]
        or any(word.endswith(s) for s in bodies["suffixes"])
        or bool(lex.places.lookup(word))
        or word in lex.bare_bodies
    )


def read_chain(text: str, name_start: int, lex: "Lexicon", bodies: dict[int, int] | None = None,
               persons: dict[int, int] | None = None) -> list[tuple[str, TitleInfo, Span]]:
    """Title items before a name, in reading order: (body surface, title, item span).

    ``bodies`` and ``persons``: end → start of the model's body/place and person spans. A title that stands
    for a person (``of_person``: 国家主席习近平|特别代表) takes the titled name before it as its body."""
    items: list[tuple[str, TitleInfo, Span]] = []
    end = name_start
    while True:
        title = lex.title_ending_at(text, end)
        if title is None:
            break
        title_start = end - len(title.surface)
        if title.of_person:
            start = _titled_person_start(text, title_start, lex, persons or {})
            if start < title_start:
                items.insert(0, (text[start:title_start], title, (start, end)))
                break
        start = body_start(text, title_start, lex, bodies)
        body_end = title_start
        qian = title_start - 1
        if qian >= 0 and text[qian] == "前" and not (qian > 0 and text[qian - 1] in lex.time_before_qian):
            # 美国前总统X / 前总统X: a former post, recorded as such rather than as the post
            title = TitleInfo(title.surface, "前" + title.title, None, None, False)
            body_end = qian
            start = body_start(text, qian, lex)
        items.insert(0, (text[start:body_end], title, (start, end)))
        if start > 0 and text[start - 1] in lex.title_separators:
            end = start - 1
            continue
        break
    return items


def _titled_person_start(text: str, pos: int, lex: "Lexicon", persons: dict[int, int]) -> int:
    """Start of '[title] name [title]' ending at pos (国家主席习近平, 习近平主席), else pos."""
    start = pos
    title = lex.title_ending_at(text, start)
    if title is not None and title.after_name and start - len(title.surface) in persons:
        start = persons[start - len(title.surface)]          # 习近平主席|特别代表
    elif start in persons:
        start = persons[start]                                # 国家主席习近平|特别代表
        before = read_chain(text, start, lex)
        if before:
            start = before[0][2][0]
    else:
        return pos
    return start


def resolve_chain(items: list[tuple[str, TitleInfo, Span]], jurisdiction: places.Jurisdiction | None, lex: "Lexicon",
                  foreign: bool = False) -> list[TitleItem]:
    """Each item's body: the body written before its title, else the body the title implies (市长 → 市政府),
    else the previous item's body (市政协副主席、秘书长X: 秘书长 of the same 市政协) unless the title names its own
    (国务委员兼外长王毅: not the 国务院's)."""
    resolved: list[TitleItem] = []
    previous: organizations.Organization | None = None
    party: organizations.Organization | None = None
    foreign_prefix = next((_foreign_name_in(body, lex) for body, _, _ in items if body and lex.foreign_kind(body)), None)
    state = _state_of(items, lex) if foreign else None
    for body_surface, title, span in items:
        org: organizations.Organization | None = None
        if title.of_person and body_surface:
            resolved.append(TitleItem(body_surface, title, span, None))     # the envoy of a person, not of a body
            previous = None
            continue
        if body_surface and title.implies and title.under and not foreign:
            # 中央|纪委书记 → 中央纪委, 市委|组织部长 → 市委组织部
            org = organizations.resolve(body_surface + title.implies, jurisdiction, lex)
        elif body_surface:
            org = organizations.resolve(body_surface, jurisdiction, lex)
            if foreign and foreign_prefix and org.jurisdiction_code == places.NATIONAL.code and not body_surface.startswith(foreign_prefix):
                # 越共中央政治局委员、中央组织部部长: the foreign party's 中央组织部, not China's
                org = organizations.Organization(foreign_prefix + body_surface, org.kind, None, None, {body_surface})
        elif title.implies and not foreign:     # 总理马德布利 is not a premier of the State Council
            org = organizations.resolve(title.implies, jurisdiction, lex,
                                        party_context=party if title.under == "party_committee" else None)
        elif title.of_state and state is not None:
            # 越共中央总书记、国家主席苏林: the state's 主席, not the party's
            org = organizations.resolve(state, jurisdiction, lex)
        elif previous is not None and not title.own_body:
            org = previous
        if org is not None and org.kind == "party_committee":
            party = org
        resolved.append(TitleItem(body_surface, title, span, org))
        previous = org
    return resolved


def _state_of(items: list[tuple[str, TitleInfo, Span]], lex: "Lexicon") -> str | None:
    """The foreign state a chain's first written body belongs to: its name starts with the state's (古巴共产党),
    or it is a party the lexicon maps to its state (越共中央 → 越南)."""
    for body, _, _ in items:
        if not body:
            continue
        for party in lex.parties_with_states:
            if body.startswith(party):
                return lex.party_states[party]
        for length in range(min(len(body), 10), 1, -1):
            if body[:length] in lex.foreign_states:
                return body[:length]
    return None


def _foreign_name_in(body: str, lex: "Lexicon") -> str | None:
    """The foreign state or party a body's name starts with, shortest first (越共中央 → 越共)."""
    for length in range(2, min(len(body), 10) + 1):
        if body[:length] in lex.foreign_states or body[:length] in lex.international_bodies:
            return body[:length]
    return None


def is_foreign_chain(items: list[tuple[str, TitleInfo, Span]], lex: "Lexicon") -> bool:
    return any(body and lex.foreign_kind(body) is not None for body, _, _ in items)
