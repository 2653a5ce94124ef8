"""Cleaned text + metadata → the facts of one document, each with its span. Pure.

The result is a plain dict in the shape ``guanxi extract`` prints (see docs/extraction.md). Every span
indexes ``text`` (the cleaned text); every fact carries its ``quote`` (= ``text[start:end]``).
"""
from __future__ import annotations

from typing import Any

from . import directives as directive_rules
from . import events, industries, organizations, people, places
from .model import CleanText, DocumentMeta, Span

EXTRACTOR_VERSION = "1"


def short_label(org: organizations.Organization) -> str:
    """中共唐山市委员会 → 唐山市委; 唐山市人民政府 → 唐山市政府; 政协唐山市委员会 → 唐山市政协."""
    name = org.name
    if name.startswith("中共") and name.endswith("委员会"):
        return name[2:-3] + "委"
    if name.startswith("中共") and "委" in name:
        return name[2:]
    if name.startswith("政协") and name.endswith("委员会"):
        return name[2:-3] + "政协"
    if name.endswith("人民政府"):
        return name[:-4] + "政府"
    return name


def _span(span: Span | None) -> list[int] | None:
    return [span[0], span[1]] if span else None


class _Organizations:
    """Collects the bodies a document names, one entry per canonical body."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str | None], organizations.Organization] = {}

    def add(self, org: organizations.Organization | None) -> organizations.Organization | None:
        if org is None:
            return None
        existing = self.by_key.get(org.key())
        if existing is None:
            self.by_key[org.key()] = org
            return org
        existing.aliases |= org.aliases
        existing.parent = existing.parent or org.parent
        return existing

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {
                "name": o.name,
                "aliases": sorted(o.aliases | {short_label(o)} - {o.name}),
                "kind": o.kind,
                "jurisdiction": o.jurisdiction,
                "jurisdiction_code": o.jurisdiction_code,
                "parent": o.parent,
            }
            for o in sorted(self.by_key.values(), key=lambda o: (o.kind, o.name))
        ]


def extract(clean: CleanText, meta: DocumentMeta) -> dict[str, Any]:
    text = clean.text
    jurisdiction = places.infer_jurisdiction(text, meta.title)
    meta.jurisdiction = jurisdiction.place.name if jurisdiction and jurisdiction.place else None
    orgs = _Organizations()

    titled = people.find_people(text, jurisdiction)
    persons: dict[str, dict[str, Any]] = {}
    for mention in titled:
        person = persons.setdefault(mention.name, {"name": mention.name, "redacted": False, "positions": [], "mentions": []})
        for item in mention.chain:
            org = orgs.add(item.organization)
            position = {
                "title": item.title.title,
                "title_as_written": text[item.span[1] - len(item.title.surface):item.span[1]],
                "organization": org.name if org else None,
                "organization_aliases": sorted(org.aliases) if org else [],
                "organization_kind": org.kind if org else None,
                "post": (short_label(org) + item.title.title) if org else item.title.title,
                "span": [item.span[0], mention.span[1]],
                "quote": text[item.span[0]:mention.span[1]],
            }
            if not any(p["title"] == position["title"] and p["organization"] == position["organization"] for p in person["positions"]):
                person["positions"].append(position)

    _add_bylines(text, meta, persons, orgs)
    for name, span in people.find_leader_mentions(text, set(persons)):
        person = persons.setdefault(name, {"name": name, "redacted": False, "positions": [], "mentions": []})
        person["mentions"].append(list(span))
    known = set(persons)
    for name, spans in people.find_name_mentions(text, known).items():
        person = persons[name]
        person["mentions"] = sorted({tuple(s) for s in person["mentions"]} | set(spans))
    for person in persons.values():
        person["mentions"] = [list(s) for s in sorted({tuple(s) for s in person["mentions"]})]

    mention_spans = {name: [tuple(s) for s in p["mentions"]] for name, p in persons.items()}
    meetings = events.find_meetings(text, meta.published, mention_spans)
    found_directives = directive_rules.extract_directives(text, known, meta.title)

    result = _finish(text, meta, jurisdiction, persons, orgs, meetings, found_directives)
    # (clean_start, original_start, length): how the spans map back to the original text
    result["document"]["offset_map"] = [list(segment) for segment in clean.offsets.segments]
    return result


def _finish(text, meta, jurisdiction, persons, orgs, meetings, found_directives) -> dict[str, Any]:
    events_json = [_meeting_json(text, m, jurisdiction, orgs) | {"id": f"e{i + 1}"} for i, m in enumerate(meetings)]
    directives_json = []
    for d in found_directives:
        directive = _directive_json(text, d, jurisdiction, persons, orgs)
        event = _meeting_of(d, events_json)
        directive["meeting"] = event["id"] if event else None
        if d.speaker.kind == "meeting" and event is not None:
            directive["speaker_organization"] = event["organizer"]   # 会议强调: the body that held it
        directives_json.append(directive)
    return {
        "document": _document_json(meta, jurisdiction),
        "people": list(persons.values()),
        "redactions": [{"text": r.text, "title": r.title, "span": _span(r.span)} for r in people.find_redactions(text)],
        "organizations": orgs.as_json(),
        "events": events_json,
        "directives": directives_json,
        "industries": _industries_json(text),
        "errors": [],
    }


def _meeting_of(d: directive_rules.Directive, events_json: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The meeting a directive was given at: the nearest meeting announced before it in the document
    (a meeting's statement, or a participant's), or the only meeting when it is announced after it."""
    meetings = [e for e in events_json if e["kind"] == "meeting"]
    before = [e for e in meetings if e["span"][0] <= d.span[0]]
    candidate = before[-1] if before else (meetings[0] if len(meetings) == 1 else None)
    if candidate is None:
        return None
    if d.speaker.kind == "meeting":
        return candidate
    if d.speaker.kind == "person" and any(p["name"] == d.speaker.name for p in candidate["participants"]):
        return candidate
    return None


def _document_json(meta: DocumentMeta, jurisdiction: places.Jurisdiction | None) -> dict[str, Any]:
    return {
        "id": meta.id,
        "path": meta.path,
        "record": meta.record,
        "title": meta.title,
        "published": meta.published,
        "published_at": meta.published_at,
        "source": meta.source,
        "authors": list(meta.authors),
        "editor": meta.editor,
        "url": meta.url,
        "jurisdiction": meta.jurisdiction,
        "jurisdiction_level": jurisdiction.level if jurisdiction else None,
        "jurisdiction_code": jurisdiction.place.code if jurisdiction and jurisdiction.place else None,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _add_bylines(text: str, meta: DocumentMeta, persons: dict[str, dict[str, Any]], orgs: _Organizations) -> None:
    """The reporter and the editor are people too, at the publishing body when it is named."""
    source_org = orgs.add(organizations.resolve(meta.source, None)) if meta.source else None
    bylines = [(name, "记者", span) for name, span in zip(meta.authors, meta.author_spans + [None] * len(meta.authors))]
    if meta.editor:
        bylines.append((meta.editor, "责任编辑", meta.editor_span))
    original_spans = {meta.editor: getattr(meta, "editor_original_span", None)} if meta.editor else {}
    for name, title, span in bylines:
        if not name or not people.is_cjk(name[0]):
            continue
        person = persons.setdefault(name, {"name": name, "redacted": False, "positions": [], "mentions": []})
        if span:
            person["mentions"].append(list(span))
        position = {
            "title": title,
            "title_as_written": title,
            "organization": source_org.name if source_org else None,
            "organization_aliases": sorted(source_org.aliases) if source_org else [],
            "organization_kind": source_org.kind if source_org else None,
            "post": (short_label(source_org) if source_org else "") + title,
            "span": _span(span),
            "quote": text[span[0]:span[1]] if span else None,
            "from_byline": True,
        }
        person["positions"].append(position)
        if span is None and original_spans.get(name):
            # the byline was page chrome, removed from the cleaned text: point into the original instead
            person.setdefault("original_mentions", []).append(list(original_spans[name]))


def _meeting_json(text: str, m: events.Meeting, jurisdiction, orgs: _Organizations) -> dict[str, Any]:
    organizer = orgs.add(organizations.resolve(m.organizer, jurisdiction)) if m.organizer else None
    return {
        "name": m.name,
        "kind": m.kind,
        "date": m.date,
        "date_written": m.date_explicit,
        "organizer": organizer.name if organizer else None,
        "organizer_as_written": m.organizer,
        "theme": m.theme,
        "theme_span": _span(m.theme_span),
        "participants": [
            {"name": p.name, "roles": p.roles, "evidence": [list(s) for s in p.evidence]} for p in m.participants.values()
        ],
        "span": _span(m.span),
        "quote": text[m.span[0]:m.span[1]],
    }


def _speaker_organization(d: directive_rules.Directive, jurisdiction, persons, orgs: _Organizations) -> str | None:
    if d.speaker.organization:
        org = orgs.add(organizations.resolve(d.speaker.organization, jurisdiction))
        return org.name if org else None
    if d.speaker.kind == "person" and d.speaker.name in persons:
        positions = [p for p in persons[d.speaker.name]["positions"] if p["organization"]]
        # the last post in a chain is the one the person acts in (省委常委、市委书记 → 市委)
        chains = [p for p in positions if not p.get("from_byline")]
        if chains:
            return chains[-1]["organization"] if len(chains) < 2 else _leading_post(chains)["organization"]
    return None


def _leading_post(positions: list[dict[str, Any]]) -> dict[str, Any]:
    for p in positions:
        if p["title"] in ("书记", "市长", "省长", "县长", "主席", "总书记", "总理", "委员长"):
            return p
    return positions[-1]


def _directive_json(text: str, d: directive_rules.Directive, jurisdiction, persons, orgs: _Organizations) -> dict[str, Any]:
    addressee_orgs = []
    for a in d.addressees:
        if a.text.endswith(("局", "办", "委", "厅", "部", "院", "中心", "政府", "党委")) and not a.text.startswith(("各", "全", "广大", "有关", "相关")):
            org = orgs.add(organizations.resolve(a.text, jurisdiction))
            addressee_orgs.append(org.name if org else None)
        else:
            addressee_orgs.append(None)
    return {
        "id": d.id,
        "speaker": d.speaker.name if d.speaker.kind == "person" else None,
        "speaker_kind": d.speaker.kind,
        "speaker_organization": _speaker_organization(d, jurisdiction, persons, orgs),
        "text": text[d.span[0]:d.span[1]],
        "ordinal": d.ordinal,
        "parent": d.parent,
        "modality": d.modality,
        "modality_strength": d.strength,
        "addressees": [a.text for a in d.addressees],
        "addressee_details": [
            {"text": a.text, "span": _span(a.span), "organization": org} for a, org in zip(d.addressees, addressee_orgs)
        ],
        "industries": sorted({m.label for m in d.industries}),
        "industry_mentions": [{"id": m.concept, "label": m.label, "span": [m.start, m.end], "quote": m.surface} for m in d.industries],
        "span": _span(d.span),
        "mentions": [list(s) for s in d.mentions],
        "in_toc": d.in_toc,
    }


def _industries_json(text: str) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for m in industries.find_industries(text):
        entry = by_id.setdefault(m.concept, {"id": m.concept, "name": m.label, "aliases": [], "mentions": []})
        if m.surface != m.label and m.surface not in entry["aliases"]:
            entry["aliases"].append(m.surface)
        entry["mentions"].append([m.start, m.end])
    return list(by_id.values())
