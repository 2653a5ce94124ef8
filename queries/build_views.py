"""Named-query results -> :class:`~guanxi.queries.views.ViewGraph` (person, org, meeting, directives, overview) and
the one-page dossier of a person.

    from guanxi.queries.api import Queries
    from guanxi.queries import build_views as bv
    from guanxi.queries.views import write

    with Queries.open("store", store_dir="guanxi-data") as q:
        write(bv.person_view(q, "张古江", radius=2), "zhang.html")
        write(bv.directives_view(q, industry="生物医药"), "biomed.html")
        write(bv.overview(q, classes=("Person", "Meeting"), min_degree=2, max_nodes=200), "overview.html")
        bv.write_dossier(q, "张古江", "zhang-dossier.html")

Everything here only reads rows (through :class:`guanxi.queries.api.Queries`, so either backend) and builds
data; :mod:`guanxi.queries.views` renders it (escaped, offline).  Node ids are IRIs.  Tooltips carry the quoted
text and the document it comes from wherever the rows have them (the ego's own posts, meetings and directives,
a body's roster, a meeting's participants, every directive).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from guanxi.ontology.iri import readable
from guanxi.ontology.vocab import load_projection
from guanxi.queries.views import ViewEdge, ViewGraph, ViewNode, render

__all__ = [
    "ROLE_ZH", "EXPANDED_KINDS", "NODE_KINDS", "person_view", "organization_view", "meeting_view", "directives_view",
    "overview", "ego_view", "dossier_html", "write_dossier", "doc_label",
]

# role code -> its Chinese label, from the ontology (gx:neo4jValue and rdfs:label@zh of each gx:ParticipationRole)
ROLE_ZH = dict(load_projection().value_labels)
RELATION_ZH = {"HELD": "任职", "PARTICIPATED": "参会", "ORGANIZED": "主办", "ISSUED": "部署", "ON_BEHALF_OF": "代表",
               "ADDRESSED_TO": "要求", "CONCERNS": "涉及", "AT_MEETING": "会上", "PART_OF": "隶属"}
NODE_KINDS = ("Person", "Organization", "Meeting", "Directive", "Addressee", "Industry")
EXPANDED_KINDS = ("Person", "Organization", "Meeting", "Directive")  # industries and addressee groups are leaves
_PRIORITY = {"Person": 0, "Meeting": 1, "Organization": 2, "Directive": 3, "Addressee": 4, "Industry": 5}
_SEP = "\x1e"


def _short(text: str | None, limit: int = 24) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def doc_label(document: str | None, title: str | None = None, published: str | None = None) -> str:
    """How a source document is named in tooltips: its title and date, else its readable id."""
    if not document and not title:
        return ""
    name = title or _doc_id(document or "")
    return f"{name} ({published})" if published else name


def _doc_id(document: str) -> str:
    text = readable(document) if document else ""
    text = text.split("/", 1)[-1]
    return text.rsplit("-", 1)[0] if "-" in text else text


def _quote_lines(quotes: Iterable[str], limit: int = 3) -> list[str]:
    quotes = list(quotes)
    out = [f"「{q}」" for q in quotes[:limit]]
    if len(quotes) > limit:
        out.append(f"(+{len(quotes) - limit} more quotes)")
    return out


def _roles(roles: Iterable[str]) -> str:
    return "、".join(ROLE_ZH.get(r, r) for r in roles)


class _Builder:
    """Nodes and edges keyed by IRI / (source, relation, target), with what a cap left out."""

    def __init__(self, max_nodes: int | None = None):
        self.nodes: dict[str, ViewNode] = {}
        self.edges: dict[tuple[str, str, str], ViewEdge] = {}
        self.max_nodes = max_nodes
        self.left_out: dict[str, set[str]] = defaultdict(set)

    def full(self) -> bool:
        return self.max_nodes is not None and len(self.nodes) >= self.max_nodes

    def node(self, iri: str | None, name: str | None, kind: str, lines: Sequence[str] = (), *, force: bool = False,
             size: float | None = None) -> bool:
        """Add (or enrich) a node; False if the cap kept it out."""
        if not iri:
            return False
        if iri in self.nodes:
            node = self.nodes[iri]
            node.title_lines.extend(x for x in lines if x not in node.title_lines)
            if size:
                node.size = size
            return True
        if self.full() and not force:
            self.left_out[kind].add(iri)
            return False
        self.nodes[iri] = ViewNode(iri, name or readable(iri), kind, [kind, *lines], size=size,
                                   extra={"iri": iri})
        return True

    def edge(self, source: str | None, target: str | None, relation: str, label: str = "",
             lines: Sequence[str] = ()) -> None:
        if not source or not target or source not in self.nodes or target not in self.nodes:
            return
        key = (source, relation, target)
        if key in self.edges:
            edge = self.edges[key]
            edge.title_lines.extend(x for x in lines if x not in edge.title_lines)
            if label and not edge.label:
                edge.label = label
            return
        self.edges[key] = ViewEdge(source, target, label or RELATION_ZH.get(relation, relation), relation, list(lines))

    def note(self, extra: Sequence[str] = ()) -> str | None:
        parts = list(extra)
        if self.left_out:
            counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(self.left_out.items(), key=lambda kv: (-len(kv[1]), kv[0])))
            total = sum(len(v) for v in self.left_out.values())
            parts.append(f"showing {len(self.nodes)} of {len(self.nodes) + total} nodes (cap {self.max_nodes}); "
                         f"left out: {counts}")
        return "; ".join(parts) if parts else None

    def graph(self, title: str, note_parts: Sequence[str] = ()) -> ViewGraph:
        return ViewGraph(list(self.nodes.values()), list(self.edges.values()), title, self.note(note_parts))


def _link_lines(r: Any) -> list[str]:
    lines = []
    if r.labels:
        lines.append(_roles(r.labels) if r.relation == "PARTICIPATED" else "、".join(r.labels))
    if r.date:
        lines.append(str(r.date))
    return lines


def _link_label(r: Any) -> str:
    if r.relation == "PARTICIPATED" and r.labels:
        return _roles(r.labels)
    if r.relation == "HELD" and r.labels:
        return _short("、".join(r.labels), 16)
    return RELATION_ZH.get(r.relation, r.relation)


# --------------------------------------------------------------------------------------------------
# ego networks (person, body)
# --------------------------------------------------------------------------------------------------

def ego_view(q: Any, center: str, name: str, kind: str, *, radius: int = 2, max_nodes: int | None = 150,
             center_lines: Sequence[str] = ()) -> tuple[_Builder, int]:
    """Breadth-first over the ``neighbours`` query from ``center``, ``radius`` hops, at most ``max_nodes`` nodes
    (hubs first: people, meetings, bodies, then directives; industries and addressee groups are not expanded).
    Returns the builder and the number of queries run."""
    b = _Builder(max_nodes)
    b.node(center, name, kind, center_lines, force=True, size=30)
    frontier = [(center, kind)]
    seen = {center}
    queries = 0
    for depth in range(max(0, radius)):
        nxt: list[tuple[str, str]] = []
        deferred: list[tuple[Any, str, str, str]] = []   # beyond the ego's own: directives wait for room

        def take(r: Any, other: str, other_kind: str, other_name: str) -> None:
            label = _short(other_name, 30) if other_kind == "Directive" else other_name
            if b.node(other, label, other_kind, [other_name] if other_kind == "Directive" else []):
                b.edge(r.source, r.target, r.relation, _link_label(r), _link_lines(r))
                if other not in seen:
                    seen.add(other)
                    nxt.append((other, other_kind))

        for node, node_kind in sorted(frontier, key=lambda x: (_PRIORITY.get(x[1], 9), x[0])):
            if node_kind not in EXPANDED_KINDS or node not in b.nodes:
                continue
            if b.full() and depth > 0:
                break
            rows = q.neighbours(node)
            queries += 1
            rows = sorted(rows, key=lambda r: (_PRIORITY.get(r.target_kind if r.source == node else r.source_kind, 9),
                                               str(r.date or ""), r.source, r.target, r.relation))
            for r in rows:
                other, other_kind, other_name = ((r.target, r.target_kind, r.target_name) if r.source == node
                                                 else (r.source, r.source_kind, r.source_name))
                if depth > 0 and other_kind == "Directive" and other not in b.nodes:
                    deferred.append((r, other, other_kind, other_name))
                else:
                    take(r, other, other_kind, other_name)
        for r, other, other_kind, other_name in deferred:
            take(r, other, other_kind, other_name)
        frontier = nxt
        if b.full():
            break
    return b, queries


def person_view(q: Any, ref: str, *, radius: int = 2, max_nodes: int | None = 150) -> ViewGraph:
    """The person's ego network: posts, meetings, directives, and (radius 2) who else was there."""
    # every row (no limit): an edge drawn may be any of the person's facts, and it shows that fact's quotes
    profile = q.person_profile(ref, limit=None)
    person = profile.person
    center_lines = [f"posts: {'、'.join(person.posts)}" if person.posts else "",
                    f"places: {'、'.join(person.places)}" if person.places else "",
                    f"{person.documents} document(s), {person.first_seen or '?'} – {person.last_seen or '?'}"]
    b, _ = ego_view(q, person.person, person.person_name, "Person", radius=radius, max_nodes=max_nodes,
                    center_lines=[x for x in center_lines if x])
    _decorate_profile(b, profile)
    title = f"{person.person_name} — ego network (radius {radius})"
    return b.graph(title)


def _decorate_profile(b: _Builder, profile: Any) -> None:
    """Quotes and documents of the ego's own facts onto its edges and the nodes they reach."""
    me = profile.person.person
    for r in profile.posts:
        lines = [f"{r.label} · {r.organization or ''}", f"attested {r.date_from or '?'} – {r.date_to or '?'}",
                 *_quote_lines(r.quotes), doc_label(r.document, r.document_title, r.published)]
        b.edge(me, r.organization_iri, "HELD", _short(r.label, 16), lines)
    for r in profile.meetings:
        lines = [f"{r.label} {r.date_from or ''}", _roles(r.roles), *_quote_lines(r.quotes),
                 doc_label(r.document, r.document_title, r.published)]
        b.edge(me, r.meeting_iri, "PARTICIPATED", _roles(r.roles), lines)
        if r.meeting_iri in b.nodes:
            b.node(r.meeting_iri, r.label, "Meeting", [f"{r.date_from or ''} {r.organization or ''}".strip(),
                                                          doc_label(r.document, r.document_title, r.published)])
    for r in profile.directives:
        lines = [*_quote_lines(r.quotes), doc_label(r.document, r.document_title, r.published)]
        if r.item in b.nodes:
            b.node(r.item, None, "Directive", [f"{r.date_from or ''} {r.meeting or ''}".strip(), *lines])
        b.edge(me, r.item, "ISSUED", "部署", lines)


def organization_view(q: Any, ref: str, *, radius: int = 2, max_nodes: int | None = 150) -> ViewGraph:
    """A body's network: who held posts there, meetings it organized, directives for or to it, and around."""
    roster = q.organization_roster(ref)
    org = roster.organization
    lines = [f"kind: {org.kind}" if org.kind else "", f"place: {org.place}" if org.place else "",
             f"part of {org.parent}" if org.parent else "", f"{org.members} people held posts here"]
    b, _ = ego_view(q, org.organization, org.organization_name, "Organization", radius=radius, max_nodes=max_nodes,
                    center_lines=[x for x in lines if x])
    for r in roster.roster:
        docs = [doc_label(d) for d in r.documents]
        b.edge(r.person, org.organization, "HELD", _short(r.post or "", 16),
               [f"{r.person_name} · {r.post}", f"attested {r.first_seen or '?'} – {r.last_seen or '?'}",
                *_quote_lines(r.quotes), *docs])
    return b.graph(f"{org.organization_name} — network (radius {radius})")


# --------------------------------------------------------------------------------------------------
# meeting, directives
# --------------------------------------------------------------------------------------------------

def meeting_view(q: Any, ref: str | None = None, *, date: str | None = None, max_nodes: int | None = 300) -> ViewGraph:
    """A meeting: its organizer, participants (with roles and quotes), and the directives given there."""
    detail = q.meeting_detail(ref, date)
    m = detail.meeting
    b = _Builder(max_nodes)
    docs = [doc_label(d) for d in m.documents]
    b.node(m.meeting, m.meeting_name, "Meeting", [f"{m.meeting_date or ''}", f"theme: {m.theme}" if m.theme else "",
                                                  *docs], force=True, size=30)
    if m.organizer:
        b.node(m.organizer, m.organizer_name, "Organization", ["organizer"])
        b.edge(m.organizer, m.meeting, "ORGANIZED", "主办")
    for r in detail.participants:
        if b.node(r.person, r.person_name, "Person", ["、".join(r.posts)] if r.posts else []):
            b.edge(r.person, m.meeting, "PARTICIPATED", _roles(r.roles),
                   [f"{r.person_name}: {_roles(r.roles)}", *_quote_lines(r.quotes), *[doc_label(d) for d in r.documents]])
    _add_directives(b, detail.directives, link_meeting=True)
    return b.graph(f"{m.meeting_name} {m.meeting_date or ''}".strip(),
                   [f"{len(detail.participants)} participants, {len(detail.directives)} directives"])


def _add_directives(b: _Builder, rows: Sequence[Any], *, link_meeting: bool = False) -> int:
    """Speaker -> directive -> addressees / industries (+ the body spoken for, the meeting). Returns how many
    directives were drawn."""
    drawn = 0
    for r in rows:
        lines = [f"{r.date or ''} {r.meeting_name or ''}".strip(), *_quote_lines(r.quotes),
                 doc_label(r.document, r.document_title, r.date)]
        if r.parent_content:
            lines.append(f"under: {r.parent_content}")
        if not b.node(r.directive, _short(r.content, 30), "Directive", [r.content, *lines]):
            continue
        drawn += 1
        if r.speaker_iri and b.node(r.speaker_iri, r.speaker_name, "Person"):
            b.edge(r.speaker_iri, r.directive, "ISSUED", "部署", [r.speaker_name or ""])
        if r.body_iri and b.node(r.body_iri, r.body_name, "Organization",
                                 [] if r.speaker_iri else ["spoken for by an unnamed speaker"]):
            b.edge(r.directive, r.body_iri, "ON_BEHALF_OF",
                   "代表" if r.speaker_iri else "代表 (未具名讲话人)",
                   [f"speaking for {r.body_name}" + ("" if r.speaker_iri else " (speaker not named)")])
        if link_meeting and r.meeting_iri and r.meeting_iri in b.nodes:
            b.edge(r.directive, r.meeting_iri, "AT_MEETING", "会上")
        for target in r.targets:
            parts = target.split(_SEP)
            if len(parts) != 4:
                continue
            relation, iri, kind, name = parts
            if b.node(iri, name, kind):
                b.edge(r.directive, iri, relation, RELATION_ZH.get(relation, relation), [name])
    return drawn


def directives_view(q: Any, *, speaker: str | None = None, addressee: str | None = None, industry: str | None = None,
                    text: str | None = None, since: str | None = None, until: str | None = None,
                    meeting: str | None = None, max_nodes: int | None = 300) -> ViewGraph:
    """The directives map: speaker (or the body spoken for) -> directive -> addressees and industries."""
    rows = q.directives(speaker=speaker, addressee=addressee, industry=industry, text=text, since=since,
                        until=until, meeting=meeting)
    b = _Builder(max_nodes)
    drawn = _add_directives(b, rows)
    filters = [f"{k} {v}" for k, v in (("speaker", speaker), ("addressee", addressee), ("industry", industry),
                                        ("text", text), ("since", since), ("until", until)) if v]
    parts = [f"{len(rows)} directive(s)" + (f" matching {', '.join(filters)}" if filters else "")]
    if drawn < len(rows):
        parts.append(f"drew {drawn} of {len(rows)} directives")
    return b.graph("directives" + (f": {', '.join(filters)}" if filters else ""), parts)


# --------------------------------------------------------------------------------------------------
# overview
# --------------------------------------------------------------------------------------------------

def overview(q: Any, *, classes: Sequence[str] = ("Person", "Organization", "Meeting"), since: str | None = None,
             until: str | None = None, min_degree: int = 1, max_nodes: int = 300, links: Sequence[Any] | None = None) -> ViewGraph:
    """The whole graph, filtered: node kinds ``classes``, links dated within ``since``..``until`` (undated links
    are kept), nodes with at least ``min_degree`` links left, at most ``max_nodes`` (the most connected); the
    note says what was left out."""
    from guanxi.queries.api import check_date

    since, until = check_date(since, "--since"), check_date(until, "--until")
    unknown = [c for c in classes if c not in NODE_KINDS]
    if unknown:
        from guanxi.queries.registry import QueryError

        raise QueryError(f"unknown class(es) {', '.join(unknown)}; use {', '.join(NODE_KINDS)}")
    rows = list(q.links() if links is None else links)
    keep_kinds = set(classes)
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    all_nodes: dict[str, str] = {}
    edges = []
    for r in rows:
        all_nodes[r.source], all_nodes[r.target] = r.source_kind, r.target_kind
        if r.source_kind not in keep_kinds or r.target_kind not in keep_kinds:
            continue
        if r.date and ((since and str(r.date) < since) or (until and str(r.date) > until)):
            continue
        kinds[r.source], kinds[r.target] = r.source_kind, r.target_kind
        names[r.source], names[r.target] = r.source_name, r.target_name
        edges.append(r)
    degree: Counter = Counter()
    pairs = set()
    for r in edges:
        if (r.source, r.target) not in pairs and (r.target, r.source) not in pairs:
            degree[r.source] += 1
            degree[r.target] += 1
        pairs.add((r.source, r.target))
    eligible = [n for n in kinds if degree[n] >= min_degree]
    eligible.sort(key=lambda n: (-degree[n], _PRIORITY.get(kinds[n], 9), names.get(n) or "", n))
    shown = eligible[:max_nodes] if max_nodes else eligible
    shown_set = set(shown)
    b = _Builder(None)
    biggest = max((degree[n] for n in shown), default=1) or 1
    for n in shown:
        label = _short(names.get(n), 30) if kinds[n] == "Directive" else names.get(n)
        b.node(n, label, kinds[n], [names.get(n) or "", f"{degree[n]} link(s)"] if kinds[n] == "Directive"
               else [f"{degree[n]} link(s)"], size=10 + 25 * (degree[n] / biggest) ** 0.5)
    for r in edges:
        if r.source in shown_set and r.target in shown_set:
            b.edge(r.source, r.target, r.relation, _link_label(r), _link_lines(r))
    left: Counter = Counter()
    for n, kind in all_nodes.items():
        if n not in shown_set:
            left[kind] += 1
    total = len(all_nodes)
    filters = [f"classes {', '.join(classes)}"]
    if since or until:
        filters.append(f"dated {since or '…'} – {until or '…'}")
    if min_degree > 1:
        filters.append(f"min degree {min_degree}")
    note = f"showing {len(shown)} of {total} nodes ({'; '.join(filters)}; cap {max_nodes})"
    if left:
        reasons = []
        if len(eligible) > len(shown):
            reasons.append(f"{len(eligible) - len(shown)} over the cap (least connected)")
        out_kind = sum(c for k, c in left.items() if k not in keep_kinds)
        if out_kind:
            reasons.append(f"{out_kind} of other classes")
        rest = sum(left.values()) - out_kind - (len(eligible) - len(shown))
        if rest > 0:
            reasons.append(f"{rest} below min degree or outside the dates")
        note += "; left out: " + ", ".join(f"{c} {k}" for k, c in sorted(left.items(), key=lambda kv: (-kv[1], kv[0])))
        note += " — " + ", ".join(reasons)
    graph = b.graph("overview")
    graph.note = note
    return graph


# --------------------------------------------------------------------------------------------------
# dossier
# --------------------------------------------------------------------------------------------------

@dataclass
class _Bar:
    label: str
    organization: str
    start: str
    end: str
    x: float
    width: float
    y: float


def _timeline_bars(posts: Sequence[Any]) -> tuple[list[_Bar], str, str, float]:
    """Bars of the posts over time (SVG coordinates in a 700-wide plot) and the date range."""
    import datetime as dt

    dated: dict[str, Any] = {}
    for r in posts:  # one bar per tenure (rows are per tenure and document)
        cur = dated.get(r.item)
        if cur is None:
            dated[r.item] = r
    items = [r for r in dated.values() if r.date_from]
    if not items:
        return [], "", "", 0
    def parse(s: str) -> dt.date:
        return dt.date.fromisoformat(s[:10])
    lo = min(parse(r.date_from) for r in items)
    hi = max(parse(r.date_to or r.date_from) for r in items)
    span = max((hi - lo).days, 1)
    bars = []
    for i, r in enumerate(sorted(items, key=lambda r: (r.date_from, r.label, r.item))):
        a, z = parse(r.date_from), parse(r.date_to or r.date_from)
        x = 200 + 480 * (a - lo).days / span
        w = max(480 * (z - a).days / span, 6)
        bars.append(_Bar(r.label, r.organization or "", r.date_from, r.date_to or r.date_from, round(x, 1),
                         round(w, 1), 30 + 26 * i))
    return bars, lo.isoformat(), hi.isoformat(), 30 + 26 * len(bars) + 20


@dataclass
class _Fact:
    """One post or meeting of the dossier, its rows (one per document) merged."""

    item: str
    label: str
    organization: str | None
    date_from: str | None
    date_to: str | None
    roles: tuple[str, ...]
    quotes: list[str]
    documents: list[str]


def _by_item(rows: Sequence[Any]) -> list[_Fact]:
    facts: dict[str, _Fact] = {}
    for r in rows:
        doc = doc_label(r.document, r.document_title, r.published)
        fact = facts.get(r.item)
        if fact is None:
            facts[r.item] = _Fact(r.item, r.label, r.organization, r.date_from, r.date_to, tuple(r.roles),
                                  list(r.quotes), [doc])
            continue
        fact.quotes.extend(q for q in r.quotes if q not in fact.quotes)
        if doc not in fact.documents:
            fact.documents.append(doc)
        fact.date_from = min(x for x in (fact.date_from, r.date_from) if x) if (fact.date_from or r.date_from) else None
        fact.date_to = max(x for x in (fact.date_to, r.date_to) if x) if (fact.date_to or r.date_to) else None
    return sorted(facts.values(), key=lambda f: (f.date_from or "", f.label, f.item))


def dossier_html(q: Any, ref: str, *, radius: int = 2, max_nodes: int = 120) -> str:
    """One self-contained, offline, escaped page about a person: posts over time, meetings and roles,
    directives with quotes, the ego network (the view page, embedded), and the sources."""
    import jinja2

    from guanxi.queries.views import remote_references

    profile = q.person_profile(ref, limit=None)   # a dossier is the whole record: every row of every kind
    view = person_view(q, profile.person.person, radius=radius, max_nodes=max_nodes)
    view_html = render(view, height="560px")
    bars, lo, hi, height = _timeline_bars(profile.posts)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "assets")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("dossier.html.j2")
    posts = _by_item(profile.posts)
    meetings = _by_item(profile.meetings)
    directives = sorted(profile.directives, key=lambda r: (r.date_from or "", r.document, r.position or 0, r.item))
    html = template.render(
        person=profile.person, iri=profile.person.person, posts=posts, bars=bars, lo=lo, hi=hi,
        svg_height=height, meetings=meetings, directives=directives,
        roles=_roles, doc_label=doc_label, documents=profile.documents(), view_html=view_html, view_note=view.note,
        view_counts=(len(view.nodes), len(view.edges)), readable=readable,
    )
    problems = remote_references(html)  # the page's parsed attributes and CSS: escaped text never counts
    if problems:  # the vendored view text is checked when loaded; this guards the dossier template
        raise RuntimeError(f"dossier would reference remote resources: {problems[:3]}")
    return html


def write_dossier(q: Any, ref: str, path: str | Path, **kwargs: Any) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dossier_html(q, ref, **kwargs), encoding="utf-8")
    return out
