"""The document that flows through the extraction pipeline, and the typed facts components add to it.

A :class:`Doc` starts as the cleaned text and its metadata; each component (``loaders/components/``) reads
what earlier components found and adds facts of its own: sentences, the jurisdiction, place mentions, the
statistical model's entity spans, titled mentions, people with their posts, bodies, events, directives,
industries. Every fact carries the span ``[start, end)`` of the cleaned text that supports it.
:func:`guanxi.loaders.output.to_json` turns a finished document into the JSON ``guanxi extract`` prints.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from .model import CleanText, DocumentMeta, Span
from .organizations import Organization
from .places import Jurisdiction, PlaceMention

if TYPE_CHECKING:
    from .chains import TitleItem
    from .industries import IndustryMention
    from .lexicon import Lexicon


@dataclass(frozen=True)
class EntitySpan:
    """A span a component proposes as a person (PER), a body (ORG) or a place (LOC)."""

    start: int
    end: int
    label: str
    source: str            # the component that proposed it ('ner.lac', …)

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass
class TitledMention:
    """A name read with the title chain before it (市委书记张古江), by the title rules."""

    name: str
    span: Span
    chain: list["TitleItem"] = field(default_factory=list)
    foreign: bool = False
    shared: bool = False   # a bare name in a list after a titled one, sharing its titles


@dataclass
class Position:
    """A post a person holds as the text gives it: a title, at a body when one is written or implied."""

    title: str
    title_as_written: str
    title_span: Span | None
    organization: Organization | None
    span: Span | None                 # the title item through the name (or the name through a title after it)
    from_byline: bool = False
    how: str = "title before name"    # which pattern gave it

    def same_post(self, other: "Position") -> bool:
        return self.title == other.title and _org_name(self.organization) == _org_name(other.organization)


def _org_name(org: Organization | None) -> str | None:
    return org.name if org else None


@dataclass
class Person:
    name: str
    mentions: set[Span] = field(default_factory=set)
    positions: list[Position] = field(default_factory=list)
    found_by: set[str] = field(default_factory=set)      # the patterns that found the person
    original_mentions: list[Span] = field(default_factory=list)
    short_mentions: set[Span] = field(default_factory=set)    # 习主席 for 习近平: a mention that is not the name

    def add_position(self, position: Position) -> None:
        if not any(p.same_post(position) for p in self.positions):
            self.positions.append(position)


class Organizations:
    """The bodies a document names, one entry per canonical body, each with every span it is written at."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str | None], Organization] = {}
        self.spans: dict[tuple[str, str | None], set[Span]] = {}

    def add(self, org: Organization | None, span: Span | None = None) -> Organization | None:
        if org is None:
            return None
        key = org.key()
        existing = self.by_key.get(key)
        if existing is None:
            self.by_key[key] = existing = org
        else:
            existing.aliases |= org.aliases
            existing.parent = existing.parent or org.parent
        if span is not None:
            self.spans.setdefault(key, set()).add(span)
        return existing

    def __iter__(self) -> Iterator[Organization]:
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)

    def names(self) -> set[str]:
        return {o.name for o in self.by_key.values()}


@dataclass
class Redaction:
    text: str
    span: Span
    title: str | None


@dataclass
class Participant:
    name: str
    roles: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Event:
    name: str
    span: Span
    date: str | None
    kind: str = "meeting"             # meeting | talks | inspection | conference | ceremony | letter | other
    organizer: str | None = None      # body as written
    organizer_span: Span | None = None
    theme: str | None = None
    theme_span: Span | None = None
    date_explicit: bool = False       # the date was written, not taken from the publication date
    end_date: str | None = None
    date_precision: str = "day"       # day | month | year
    date_span: Span | None = None
    place: str | None = None
    place_span: Span | None = None
    addressee: str | None = None      # the recipient of a letter or message
    addressee_span: Span | None = None
    trigger: str | None = None        # the verb that announced it (会见, 考察, 致信 …)
    participants: dict[str, Participant] = field(default_factory=dict)

    def add(self, name: str, role: str, evidence: Span) -> None:
        p = self.participants.setdefault(name, Participant(name))
        if role not in p.roles:
            p.roles.append(role)
        if evidence not in p.evidence:
            p.evidence.append(evidence)


@dataclass
class Speaker:
    kind: str                       # 'person' | 'unnamed' | 'meeting' | 'body'
    name: str | None = None         # person name
    organization: str | None = None  # the body the speaker speaks for, as written (县政府, 外交部)
    span: Span | None = None        # where the speaker is named


@dataclass
class Addressee:
    text: str
    span: Span


@dataclass
class Quantity:
    """A target, amount or deadline a commitment states (到2027年, 1000亿元, 3个百分点)."""

    kind: str          # 'deadline' | 'amount' | 'percent' | 'count' | 'multiple'
    text: str
    span: Span
    value: float | None = None
    unit: str | None = None


@dataclass
class Directive:
    id: str
    span: Span
    speaker: Speaker
    modality: str | None
    strength: str | None
    kind: str = "instruction"         # 'instruction' | 'pledge'
    ordinal: int | None = None
    marker_family: str | None = None
    parent: str | None = None
    addressees: list[Addressee] = field(default_factory=list)
    industries: list["IndustryMention"] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    in_toc: bool = False
    sentence: Span | None = None
    quantities: list[Quantity] = field(default_factory=list)


@dataclass
class Doc:
    """One document in the pipeline: its text, metadata, and the facts found so far."""

    text: str
    meta: DocumentMeta
    lexicon: "Lexicon"
    clean: CleanText | None = None
    sentences: list = field(default_factory=list)
    jurisdiction: Jurisdiction | None = None
    places: list[PlaceMention] = field(default_factory=list)
    entities: list[EntitySpan] = field(default_factory=list)
    words: list[tuple[int, int, str]] = field(default_factory=list)   # the model's words: (start, end, tag)
    titled: list[TitledMention] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    organizations: Organizations = field(default_factory=Organizations)
    redactions: list[Redaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    industries: list["IndustryMention"] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def person(self, name: str) -> Person:
        person = self.people.get(name)
        if person is None:
            person = self.people[name] = Person(name)
        return person

    def words_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The model's words that start in [start, end), in text order (a bisection, not a scan of the text's
        words: components ask this for every sentence and trigger)."""
        key = (id(self.words), len(self.words))
        if getattr(self, "_word_index", (None,))[0] != key:
            ordered = sorted(self.words)
            self._word_index = (key, ordered, [w[0] for w in ordered])
        _, ordered, starts = self._word_index
        return ordered[bisect_left(starts, start):bisect_left(starts, end)]

    def entities_of(self, label: str) -> list[EntitySpan]:
        return [e for e in self.entities if e.label == label]

    def person_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, name) of every person mention, in text order."""
        return sorted((s, e, p.name) for p in self.people.values() for s, e in p.mentions)
