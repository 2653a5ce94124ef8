"""A finished :class:`~guanxi.loaders.doc.Doc` → the JSON object ``guanxi extract`` prints (docs/extraction.md).

Every span indexes the cleaned text; every fact carries its ``quote`` (= ``text[start:end]``).
"""
from __future__ import annotations

from typing import Any

from . import organizations
from .doc import Directive, Doc, Event, Position
from .organizations import Organization

EXTRACTOR_VERSION = "5"


def short_label(org: Organization) -> str:
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


def _span(span) -> list[int] | None:
    return [span[0], span[1]] if span else None


def to_json(doc: Doc) -> dict[str, Any]:
    events = [_event_json(doc, e) | {"id": f"e{i + 1}"} for i, e in enumerate(doc.events)]
    directives = []
    for d in doc.directives:
        directive = _directive_json(doc, d)
        event = _event_of(d, events)
        directive["meeting"] = event["id"] if event else None
        if d.speaker.kind == "meeting" and event is not None and not directive["speaker_organization"]:
            directive["speaker_organization"] = event["organizer"]   # 会议强调: the body that held it
        directives.append(directive)
    result = {
        "document": _document_json(doc),
        "people": [_person_json(doc, p) for p in doc.people.values() if p.mentions or p.positions],
        "redactions": [{"text": r.text, "title": r.title, "span": _span(r.span)} for r in doc.redactions],
        "organizations": _organizations_json(doc),
        "events": events,
        "directives": directives,
        "industries": _industries_json(doc),
        "errors": [],
    }
    if doc.clean is not None:
        # (clean_start, original_start, length): how the spans map back to the original text
        result["document"]["offset_map"] = [list(segment) for segment in doc.clean.offsets.segments]
    return result


def _person_json(doc: Doc, person) -> dict[str, Any]:
    out = {
        "name": person.name,
        "redacted": False,
        "positions": [_position_json(doc, p) for p in person.positions],
        "mentions": [list(s) for s in sorted(person.mentions)],
        "found_by": sorted(person.found_by),
    }
    if person.original_mentions:
        out["original_mentions"] = [list(s) for s in person.original_mentions]
    if person.short_mentions:
        # 习主席: the person written by surname and title, not by name ([start, end) and what it quotes)
        out["short_mentions"] = [{"span": list(s), "quote": doc.text[s[0]:s[1]]} for s in sorted(person.short_mentions)]
    return out


def _position_json(doc: Doc, p: Position) -> dict[str, Any]:
    org = p.organization
    out = {
        "title": p.title,
        "title_as_written": p.title_as_written,
        "title_span": _span(p.title_span),
        "organization": org.name if org else None,
        "organization_aliases": sorted(org.aliases) if org else [],
        "organization_kind": org.kind if org else None,
        "post": ((short_label(org) if org else "") + p.title) if not p.from_byline or org else p.title,
        "span": _span(p.span),
        "quote": doc.text[p.span[0]:p.span[1]] if p.span else None,
        "how": p.how,
    }
    if p.from_byline:
        out["from_byline"] = True
    return out


def _organizations_json(doc: Doc) -> list[dict[str, Any]]:
    out = []
    for o in sorted(doc.organizations, key=lambda o: (o.kind, o.name)):
        spans = sorted(doc.organizations.spans.get(o.key(), ()))
        out.append({
            "name": o.name,
            "aliases": sorted(o.aliases | {short_label(o)} - {o.name}),
            "kind": o.kind,
            "jurisdiction": o.jurisdiction,
            "jurisdiction_code": o.jurisdiction_code,
            "parent": o.parent,
            "mentions": [list(s) for s in spans],
        })
    return out


def _document_json(doc: Doc) -> dict[str, Any]:
    meta, jurisdiction = doc.meta, doc.jurisdiction
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


def _event_json(doc: Doc, e: Event) -> dict[str, Any]:
    organizer = doc.organizations.add(organizations.resolve(e.organizer, doc.jurisdiction, doc.lexicon), e.organizer_span) \
        if e.organizer else None
    return {
        "name": e.name,
        "kind": e.kind,
        "date": e.date,
        "end_date": e.end_date,
        "date_precision": e.date_precision,
        "date_written": e.date_explicit,
        "date_span": _span(e.date_span),
        "organizer": organizer.name if organizer else None,
        "organizer_as_written": e.organizer,
        "theme": e.theme,
        "theme_span": _span(e.theme_span),
        "place": e.place,
        "place_span": _span(e.place_span),
        "addressee": e.addressee,
        "addressee_span": _span(e.addressee_span),
        "trigger": e.trigger,
        "participants": [
            {"name": p.name, "roles": p.roles, "evidence": [list(s) for s in p.evidence]} for p in e.participants.values()
        ],
        "span": _span(e.span),
        "quote": doc.text[e.span[0]:e.span[1]],
    }


def _event_of(d: Directive, events_json: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The event a directive was given at: the nearest event announced before it in the document (an
    event's statement, or a participant's), or the only event when it is announced after it."""
    before = [e for e in events_json if e["span"][0] <= d.span[0]]
    candidate = before[-1] if before else (events_json[0] if len(events_json) == 1 else None)
    if candidate is None:
        return None
    if d.speaker.kind == "meeting":
        return candidate if candidate["kind"] in ("meeting", "conference") else None
    if d.speaker.kind == "person" and any(p["name"] == d.speaker.name for p in candidate["participants"]):
        return candidate
    return None


def _speaker_organization(doc: Doc, d: Directive) -> str | None:
    if d.speaker.organization:
        org = doc.organizations.add(organizations.resolve(d.speaker.organization, doc.jurisdiction, doc.lexicon))
        return org.name if org else None
    person = doc.people.get(d.speaker.name) if d.speaker.kind == "person" and d.speaker.name else None
    if person is not None:
        chains = [p for p in person.positions if p.organization and not p.from_byline]
        if chains:
            return chains[-1].organization.name if len(chains) < 2 else _leading_post(doc, chains).organization.name
    return None


def _leading_post(doc: Doc, positions: list[Position]) -> Position:
    """The post a person acts in (省委常委、市委书记 → 市委书记)."""
    for p in positions:
        if p.title in doc.lexicon.leading_titles:
            return p
    return positions[-1]


def _directive_json(doc: Doc, d: Directive) -> dict[str, Any]:
    lex = doc.lexicon
    addressee_orgs = []
    for a in d.addressees:
        if a.text.endswith(lex.addressee_body_endings) and not a.text.startswith(lex.addressee_group_starts):
            org = doc.organizations.add(organizations.resolve(a.text, doc.jurisdiction, lex), a.span)
            addressee_orgs.append(org.name if org else None)
        else:
            addressee_orgs.append(None)
    text = doc.text
    return {
        "id": d.id,
        "kind": d.kind,
        "speaker": d.speaker.name if d.speaker.kind == "person" else None,
        "speaker_kind": d.speaker.kind,
        "speaker_organization": _speaker_organization(doc, d),
        "speaker_as_written": text[d.speaker.span[0]:d.speaker.span[1]] if d.speaker.span else None,
        "text": text[d.span[0]:d.span[1]],
        "sentence": text[d.sentence[0]:d.sentence[1]] if d.sentence else None,
        "sentence_span": _span(d.sentence),
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
        "quantities": [{"kind": q.kind, "text": q.text, "span": _span(q.span), "value": q.value, "unit": q.unit} for q in d.quantities],
        "span": _span(d.span),
        "mentions": [list(s) for s in d.mentions],
        "in_toc": d.in_toc,
    }


def _industries_json(doc: Doc) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for m in doc.industries:
        entry = by_id.setdefault(m.concept, {"id": m.concept, "name": m.label, "aliases": [], "mentions": []})
        if m.surface != m.label and m.surface not in entry["aliases"]:
            entry["aliases"].append(m.surface)
        entry["mentions"].append([m.start, m.end])
    return list(by_id.values())
