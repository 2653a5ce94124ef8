"""The typed Python API over the named queries: people, bodies, meetings, directives, paths, timelines.

    from guanxi.queries.api import Queries, Ambiguous, NotFound

    with Queries.open("store", store_dir="guanxi-data") as q:      # or Queries.open("neo4j")
        try:
            profile = q.person_profile("张古江")
        except Ambiguous as exc:                                     # a name several people have
            for c in exc.candidates: print(c.person, c.posts, c.places, c.documents)
            profile = q.person_profile(exc.candidates[0].person)     # the caller picks, by IRI
        for post in profile.posts: print(post.label, post.date_from, post.date_to, post.quotes)

Every method runs named queries (``queries/*.rq`` / ``*.cypher``) through a backend
(:mod:`guanxi.queries.backends`), so the same call gives the same rows from the embedded store and from Neo4j.
Names are never resolved silently: a reference is an IRI, or a name that exactly one entity has; otherwise
:class:`Ambiguous` (with the candidates and what tells them apart) or :class:`NotFound` (with suggestions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from guanxi.ontology.iri import ID_BASE, parse_id
from guanxi.queries import registry
from guanxi.queries.registry import QueryError

__all__ = [
    "Queries", "Ambiguous", "NotFound", "PersonProfile", "OrganizationRoster", "MeetingDetail", "is_iri",
    "check_date",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotFound(QueryError):
    """Nothing matches a reference (``suggestions``: search hits for it, possibly empty)."""

    def __init__(self, message: str, suggestions: Sequence[Any] = ()):
        super().__init__(message)
        self.suggestions = list(suggestions)


class Ambiguous(QueryError):
    """Several entities match a name; ``candidates`` are the rows that tell them apart."""

    def __init__(self, message: str, kind: str, candidates: Sequence[Any]):
        super().__init__(message)
        self.kind = kind
        self.candidates = list(candidates)


def is_iri(ref: str) -> bool:
    """An IRI, or an id as the tables print it (``person/王海-0123456789abcdef``), rather than a name."""
    return ref.startswith(ID_BASE) or bool(re.match(r"^https?://\S+$", ref)) or parse_id(ref) is not None


def to_iri(ref: str) -> str:
    """The IRI of a reference :func:`is_iri` accepts (printed ids and decoded IRIs are encoded back)."""
    return parse_id(ref) or ref


def check_date(value: str | None, what: str = "date") -> str | None:
    """``value`` if it is a real date ``YYYY-MM-DD`` (or None); a :class:`QueryError` otherwise (2025-02-30 too)."""
    import datetime as dt

    if value is None or value == "":
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{what} must be a date YYYY-MM-DD, got {value!r}") from None
    return value


KINDS = ("post", "meeting", "directive")


@dataclass
class PersonProfile:
    person: Any                                   # a person_candidates row (name, aliases, posts, places...)
    posts: list = field(default_factory=list)     # person_profile rows of kind "post"
    meetings: list = field(default_factory=list)  # kind "meeting"
    directives: list = field(default_factory=list)  # kind "directive"
    # per kind, how many the person has in all (whatever the limit): {"post": {"facts": distinct items,
    # "rows": fact-and-document rows, "documents": distinct documents}, ...}
    counts: dict = field(default_factory=dict)
    limit: int | None = None                      # rows per kind asked for (None: all of them)

    @property
    def rows(self) -> list:
        return self.posts + self.meetings + self.directives

    def of_kind(self, kind: str) -> list:
        return {"post": self.posts, "meeting": self.meetings, "directive": self.directives}[kind]

    @property
    def complete(self) -> bool:
        """Every row of every kind is here (no limit, or no kind has more rows than the limit)."""
        return self.limit is None or all(c["rows"] <= self.limit for c in self.counts.values())

    def documents(self) -> list[tuple[str, str | None, str | None]]:
        """(document IRI, title, published) of every source, by date then IRI."""
        seen: dict[str, tuple[str, str | None, str | None]] = {}
        for r in self.rows:
            seen.setdefault(r.document, (r.document, r.document_title, r.published))
        return sorted(seen.values(), key=lambda d: (d[2] or "", d[0]))


def _window_days(person: Any, counts: dict[str, dict[str, int]], limit: int) -> int:
    """How many days back from the person's last date probably hold ``limit`` rows of every kind: each kind's
    rows spread evenly over the person's first to last date, and half as much again."""
    import datetime as dt

    if not person.first_seen or not person.last_seen:
        return 0                                       # no dates: no window (every row)
    span = (dt.date.fromisoformat(person.last_seen) - dt.date.fromisoformat(person.first_seen)).days + 1
    need = [span * min(1.0, limit / c["rows"]) for c in counts.values() if c["rows"]]
    return max(1, int(1.5 * max(need or [span])) + 1)


def _days_before(last: str | None, days: int) -> str | None:
    """The date ``days - 1`` days before ``last`` (a window of ``days`` days ending on it); None for no window."""
    import datetime as dt

    if not last or days <= 0:
        return None
    return (dt.date.fromisoformat(last) - dt.timedelta(days=days - 1)).isoformat()


def _enough(rows: Sequence[Any], counts: dict[str, dict[str, int]], limit: int) -> bool:
    """Rows since a date hold every kind's ``limit`` most recent rows when each kind has ``limit`` of them (or
    all it has): the rows left out are older, or undated."""
    for kind, c in counts.items():
        have = len({(r.item, r.document) for r in rows if r.kind == kind})
        if have < min(limit, c["rows"]):
            return False
    return True


def _most_recent(rows: Sequence[Any], limit: int) -> list[Any]:
    """The rows of the ``limit`` most recent (item, document) pairs of each kind, in their original order."""
    keep: set[tuple[str, str, str]] = set()
    for kind in KINDS:
        pairs = {(r.published or "", r.document or "", r.item or ""): r for r in rows if r.kind == kind}
        keep.update((kind, item, document) for _, document, item in sorted(pairs, reverse=True)[:limit])
    return [r for r in rows if (r.kind, r.item, r.document) in keep]


def _counts(rows: Sequence[Any]) -> dict[str, dict[str, int]]:
    """person_profile_counts rows as {kind: {"facts", "rows", "documents"}}, every kind present."""
    counts = {kind: {"facts": 0, "rows": 0, "documents": 0} for kind in KINDS}
    for r in rows:
        counts[r.kind] = {"facts": r.facts, "rows": r.rows, "documents": r.documents}
    return counts


@dataclass
class OrganizationRoster:
    organization: Any       # an organization_candidates row
    roster: list = field(default_factory=list)
    timeline: list = field(default_factory=list)


@dataclass
class MeetingDetail:
    meeting: Any            # a meetings row
    participants: list = field(default_factory=list)
    directives: list = field(default_factory=list)


class Queries:
    """Named queries on one backend, with name resolution."""

    def __init__(self, backend: Any):
        self.backend = backend

    @classmethod
    def open(cls, kind: str = "store", *, store_dir: str | None = None, uri: str | None = None,
             user: str | None = None, database: str | None = None) -> "Queries":
        from guanxi.queries.backends import open_backend

        return cls(open_backend(kind, store_dir=store_dir, uri=uri, user=user, database=database))

    def close(self) -> None:
        close = getattr(self.backend, "close", None)
        if close:
            close()

    def __enter__(self) -> "Queries":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- generic -----------------------------------------------------------------------------------------

    def run(self, query: str, /, **params: Any) -> list[Any]:
        """Rows of a named query (typed named tuples); ``None`` parameters are left out."""
        return registry.run(self.backend, query, {k: v for k, v in params.items() if v is not None})

    def search(self, text: str, type: str | None = None) -> list[Any]:
        if not text:
            raise QueryError("search needs some text")
        return self.run("search", text=text, type=type)

    # ---- people ------------------------------------------------------------------------------------------

    def person_candidates(self, name: str) -> list[Any]:
        """The person_card rows of everyone named (or aliased) ``name``, by name then IRI.  Found by IRI first
        and carded one by one: the candidates query aggregates over every person of the store before it
        joins on the name (3 s on a three-year store), a card is bound to its person (milliseconds)."""
        rows = [row for r in self.run("person_ids", name=name) for row in self.run("person_card", person=r.person)]
        return sorted(rows, key=lambda r: (r.person_name or "", r.person))

    def resolve_person(self, ref: str) -> Any:
        """The person_candidates row of an IRI or of a name exactly one person has."""
        if not ref:
            raise QueryError("give a person's name or IRI")
        if is_iri(ref):
            ref = to_iri(ref)
            rows = self.run("person_card", person=ref)
            if not rows:
                raise NotFound(f"no person {ref}")
            return rows[0]
        rows = self.person_candidates(ref)
        if not rows:
            raise NotFound(f"no person named {ref}", self.search(ref, "Person"))
        if len(rows) > 1:
            raise Ambiguous(f"{ref} is ambiguous: {len(rows)} people have that name; pick one by IRI (--id)",
                            "person", rows)
        return rows[0]

    def person_profile(self, ref: str, limit: int | None = None) -> PersonProfile:
        """A person's posts, meetings and directives, one row per fact and document, with the quotes.

        ``limit=N``: only the N most recent rows of each kind (by the document's publication date, then
        document and item IRI, newest first; rows of undated documents count as oldest), still in the
        query's order; ``profile.counts`` has the totals either way (``person_profile_counts``). The cost then
        follows N, not the person's record: person_profile runs with ``since`` a date that leaves at least N
        rows of each kind (estimated from the counts and the person's first and last dates, widened until it
        does), and its rows are cut to N per kind. ``None`` or 0: every row."""
        if limit is not None and limit < 0:
            raise QueryError(f"limit must be 0 (all) or more, got {limit}")
        person = self.resolve_person(ref)
        counts = _counts(self.run("person_profile_counts", person=person.person))
        limit = limit or None
        if limit is None or all(c["rows"] <= limit for c in counts.values()):
            rows = self.run("person_profile", person=person.person)
        else:
            days = _window_days(person, counts, limit)
            while True:
                since = _days_before(person.last_seen, days)
                if since is not None and person.first_seen and since <= person.first_seen:
                    since = None                               # the window holds all of it
                rows = self.run("person_profile", person=person.person, since=since)
                if since is None or _enough(rows, counts, limit):
                    break
                days *= 2
            rows = _most_recent(rows, limit)
        profile = PersonProfile(person, counts=counts, limit=limit)
        for r in rows:
            profile.of_kind(r.kind).append(r)
        return profile

    def co_attendance(self, person: str | None = None) -> list[Any]:
        iri = self.resolve_person(person).person if person else None
        return self.run("co_attendance", person=iri)

    def connection_path(self, a: str, b: str) -> list[Any]:
        source, target = self.resolve_person(a), self.resolve_person(b)
        if source.person == target.person:
            raise QueryError("give two different people")
        return self.run("connection_path", source=source.person, target=target.person)

    # ---- bodies ------------------------------------------------------------------------------------------

    def organization_candidates(self, name: str) -> list[Any]:
        return self.run("organization_candidates", name=name)

    def resolve_organization(self, ref: str) -> Any:
        if not ref:
            raise QueryError("give a body's name or IRI")
        if is_iri(ref):
            ref = to_iri(ref)
            rows = self.run("organization_card", organization=ref)
            if not rows:
                raise NotFound(f"no body {ref}")
            return rows[0]
        rows = self.organization_candidates(ref)
        exact = [r for r in rows if r.exact]
        pick = exact or rows
        if not pick:
            raise NotFound(f"no body named {ref}", self.search(ref, "Organization"))
        if len(pick) > 1:
            raise Ambiguous(f"{ref} matches {len(pick)} bodies; pick one by IRI (--id)", "organization", pick)
        return pick[0]

    def organization_roster(self, ref: str) -> OrganizationRoster:
        org = self.resolve_organization(ref)
        return OrganizationRoster(org, self.run("organization_roster", organization=org.organization),
                                  self.run("timeline", entity=org.organization))

    # ---- meetings ----------------------------------------------------------------------------------------

    def meetings(self, name: str | None = None, date: str | None = None, since: str | None = None,
                 until: str | None = None) -> list[Any]:
        return self.run("meetings", name=name or None, date=check_date(date, "--date"),
                        since=check_date(since, "--since"), until=check_date(until, "--until"))

    def resolve_meeting(self, ref: str | None = None, date: str | None = None) -> Any:
        if ref and is_iri(ref):
            ref = to_iri(ref)
            rows = self.run("meetings", meeting=ref)
            if not rows:
                raise NotFound(f"no meeting {ref}")
            return rows[0]
        if not ref and not date:
            raise QueryError("give a meeting's name, --date or --id")
        rows = self.meetings(name=ref, date=date)
        if not rows:
            raise NotFound(f"no meeting matching {ref or ''} {date or ''}".strip(),
                           self.search(ref, "Meeting") if ref else [])
        exact = [r for r in rows if ref and r.meeting_name == ref]
        pick = exact if len(exact) == 1 else rows
        if len(pick) > 1:
            raise Ambiguous(f"{len(pick)} meetings match; pick one by IRI (--id) or narrow with --date", "meeting", pick)
        return pick[0]

    def meeting_detail(self, ref: str | None = None, date: str | None = None) -> MeetingDetail:
        meeting = self.resolve_meeting(ref, date)
        return MeetingDetail(meeting, self.run("meeting_detail", meeting=meeting.meeting),
                             self.run("directives", meeting=meeting.meeting))

    # ---- directives --------------------------------------------------------------------------------------

    def directives(self, speaker: str | None = None, addressee: str | None = None, industry: str | None = None,
                   text: str | None = None, since: str | None = None, until: str | None = None,
                   meeting: str | None = None) -> list[Any]:
        """Directives filtered by any of: speaker (a person's name or IRI, or the body spoken for), addressee,
        industry, text (substrings), date range, meeting IRI.  A speaker name several people share is
        :class:`Ambiguous` (a body name is taken as is)."""
        if speaker and is_iri(speaker):
            speaker = to_iri(speaker)
        elif speaker:
            people = self.person_candidates(speaker)
            if len(people) > 1:
                raise Ambiguous(f"speaker {speaker} is ambiguous: {len(people)} people have that name; "
                                "give the IRI", "person", people)
            if len(people) == 1:
                speaker = people[0].person
        return self.run("directives", speaker=speaker or None, addressee=addressee or None,
                        industry=industry or None, text=text or None, since=check_date(since, "--since"),
                        until=check_date(until, "--until"), meeting=meeting or None)

    # ---- timelines and graph -----------------------------------------------------------------------------

    def timeline(self, ref: str) -> list[Any]:
        if is_iri(ref):
            return self.run("timeline", entity=to_iri(ref))
        try:
            return self.run("timeline", entity=self.resolve_person(ref).person)
        except NotFound:
            return self.run("timeline", entity=self.resolve_organization(ref).organization)

    def links(self) -> list[Any]:
        return self.run("links")

    def neighbours(self, node: str) -> list[Any]:
        return self.run("neighbours", node=to_iri(node))
