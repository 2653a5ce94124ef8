"""The workbench's network views: an ego network around a person, body, meeting, directive, industry or
addressee, filtered by node class, link dates, radius and minimum degree, capped, with what was left out said.

Built from the ``neighbours`` named query (breadth first, like ``guanxi view``), drawn by ``static/graph.js``
with the vis-network bundle served from the installed pyvis package. Readable at realistic size:

* the centre is drawn last (on top), pinned in the middle, with the biggest label on a white halo;
* directive nodes carry no label on the canvas (their text is in the tooltip, the table under the graph and on
  a toggle), which is what buried the centre before (104 directive labels in a radius-2 view of one month);
* links are drawn without labels above 60 edges (the relation stays in each edge's tooltip).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence

from guanxi.queries.build_views import EXPANDED_KINDS, NODE_KINDS, RELATION_ZH, ROLE_ZH
from guanxi.queries.views import edge_color, node_style

__all__ = ["GraphFilters", "GraphData", "ego_graph", "vis_data", "DEFAULT_CLASSES"]

DEFAULT_CLASSES = NODE_KINDS
_PRIORITY = {"Person": 0, "Meeting": 1, "Organization": 2, "Directive": 3, "Addressee": 4, "Industry": 5}
EDGE_LABELS_UP_TO = 60


@dataclass
class GraphFilters:
    radius: int = 2
    classes: tuple[str, ...] = DEFAULT_CLASSES
    since: str | None = None
    until: str | None = None
    min_degree: int = 1
    max_nodes: int = 150


@dataclass
class GraphNode:
    id: str
    label: str
    kind: str
    lines: list[str] = field(default_factory=list)
    centre: bool = False
    found: bool = False


@dataclass
class GraphEdge:
    source: str
    target: str
    relation: str
    label: str
    lines: list[str] = field(default_factory=list)


@dataclass
class GraphData:
    centre: str
    nodes: dict[str, GraphNode]
    edges: dict[tuple[str, str, str], GraphEdge]
    left_out: dict[str, Counter]        # reason -> kind -> how many
    queries: int = 0

    def note(self, filters: GraphFilters) -> str:
        parts = [f"showing {len(self.nodes)} nodes and {len(self.edges)} links (radius {filters.radius}, "
                 f"classes {', '.join(filters.classes)}"
                 + (f", dated {filters.since or '…'} – {filters.until or '…'}" if filters.since or filters.until else "")
                 + (f", min degree {filters.min_degree}" if filters.min_degree > 1 else "")
                 + f", cap {filters.max_nodes})"]
        for reason, counts in self.left_out.items():
            if counts:
                parts.append(f"left out {sum(counts.values())} {reason}: "
                             + ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
        return "; ".join(parts)


def _roles(labels: Sequence[str]) -> str:
    return "、".join(ROLE_ZH.get(r, r) for r in labels)


def _edge_label(r: Any) -> str:
    if r.relation == "PARTICIPATED" and r.labels:
        return _roles(r.labels)
    if r.relation == "HELD" and r.labels:
        return "、".join(r.labels)[:16]
    return RELATION_ZH.get(r.relation, r.relation)


def ego_graph(q: Any, centre: str, centre_name: str, centre_kind: str, filters: GraphFilters,
              find: str | None = None) -> GraphData:
    """Breadth first from ``centre`` over ``neighbours``: nodes of the chosen classes only, links dated inside
    the range (undated links kept), at most ``max_nodes`` (people, meetings and bodies expanded before
    directives), then nodes with fewer than ``min_degree`` links in the drawn graph removed (the centre stays)."""
    from guanxi.workbench.search import fold

    classes = set(filters.classes) | {centre_kind}
    nodes: dict[str, GraphNode] = {centre: GraphNode(centre, centre_name, centre_kind, centre=True)}
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    left: dict[str, dict[str, set[str]]] = {"of other classes": defaultdict(set), "outside the dates": defaultdict(set),
                                            "over the cap": defaultdict(set), "below the minimum degree": defaultdict(set)}
    frontier = [(centre, centre_kind)]
    seen = {centre}
    queries = 0
    for depth in range(max(0, filters.radius)):
        nxt: list[tuple[str, str]] = []
        deferred: list[tuple[Any, str, str, str]] = []

        def take(r: Any, other: str, kind: str, name: str) -> None:
            if other not in nodes:
                if len(nodes) >= filters.max_nodes:
                    left["over the cap"][kind].add(other)
                    return
                label = name or other
                nodes[other] = GraphNode(other, label, kind, [label] if kind == "Directive" else [])
            key = (r.source, r.relation, r.target)
            if key not in edges:
                lines = [x for x in (_roles(r.labels) if r.relation == "PARTICIPATED" else "、".join(r.labels),
                                     str(r.date or "")) if x]
                edges[key] = GraphEdge(r.source, r.target, r.relation, _edge_label(r), lines)
            if other not in seen:
                seen.add(other)
                nxt.append((other, kind))

        for node, kind in sorted(frontier, key=lambda x: (_PRIORITY.get(x[1], 9), x[0])):
            if (kind not in EXPANDED_KINDS and node != centre) or node not in nodes:
                continue   # industries and addressee groups are leaves, except at the centre
            if depth > 0 and len(nodes) >= filters.max_nodes:
                break
            rows = q.neighbours(node)
            queries += 1
            for r in sorted(rows, key=lambda r: (_PRIORITY.get(r.target_kind if r.source == node else r.source_kind, 9),
                                                 str(r.date or ""), r.source, r.target, r.relation)):
                other, other_kind, other_name = ((r.target, r.target_kind, r.target_name) if r.source == node
                                                 else (r.source, r.source_kind, r.source_name))
                if other_kind not in classes:
                    left["of other classes"][other_kind].add(other)
                    continue
                if r.date and ((filters.since and str(r.date) < filters.since) or (filters.until and str(r.date) > filters.until)):
                    if other not in nodes:
                        left["outside the dates"][other_kind].add(other)
                    continue
                if depth > 0 and other_kind == "Directive" and other not in nodes:
                    deferred.append((r, other, other_kind, other_name))
                else:
                    take(r, other, other_kind, other_name)
        for item in deferred:
            take(*item)
        frontier = nxt
        if len(nodes) >= filters.max_nodes:
            break
    # minimum degree in the drawn graph, repeatedly (removing a node lowers its neighbours' degrees)
    if filters.min_degree > 1:
        while True:
            degree: Counter = Counter()
            for s, _, t in edges:
                degree[s] += 1
                degree[t] += 1
            drop = [n for n in nodes if n != centre and degree[n] < filters.min_degree]
            if not drop:
                break
            for n in drop:
                left["below the minimum degree"][nodes[n].kind].add(n)
                del nodes[n]
            edges = {k: e for k, e in edges.items() if k[0] in nodes and k[2] in nodes}
    if find:
        needle = fold(find)
        for n in nodes.values():
            n.found = bool(needle) and needle in fold(n.label)
    # a node both drawn and left out for some reason (reached twice) counts as drawn
    counts = {reason: Counter({kind: len(ids - nodes.keys()) for kind, ids in by_kind.items() if ids - nodes.keys()})
              for reason, by_kind in left.items()}
    return GraphData(centre, nodes, edges, counts, queries)


def vis_data(graph: GraphData, href: Any) -> dict[str, Any]:
    """The JSON the page's graph.js draws: vis-network nodes and edges (centre last: drawn on top), options."""
    from guanxi.queries.views import _options  # the same physics as guanxi view, tuned for its sizes

    nodes = []
    degree: Counter = Counter()
    for s, _, t in graph.edges:
        degree[s] += 1
        degree[t] += 1
    ordered = sorted(graph.nodes.values(), key=lambda n: (n.centre, _PRIORITY.get(n.kind, 9) * -1, n.id))
    for n in ordered:
        style = node_style(n.kind)
        tooltip = "\n".join([n.label, f"[{style.name}]", *(n.lines[1:] if n.kind == "Directive" else n.lines)])
        node: dict[str, Any] = {
            "id": n.id, "label": "" if n.kind == "Directive" and not n.centre else n.label[:40],
            "fullLabel": n.label, "kind": n.kind, "title": tooltip, "shape": style.shape, "color": style.color,
            "href": href(n.id), "found": n.found, "centre": n.centre, "degree": degree[n.id],
            "size": 34 if n.centre else 10 + min(14, 2 * degree[n.id]),
            "font": {"size": 22, "strokeWidth": 6, "strokeColor": "#ffffff", "bold": True} if n.centre
            else {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
        }
        if n.centre:
            node.update({"x": 0, "y": 0, "physics": False, "borderWidth": 3})
        nodes.append(node)
    edges = []
    show_labels = len(graph.edges) <= EDGE_LABELS_UP_TO
    for i, e in enumerate(graph.edges.values()):
        color = edge_color(e.relation)
        edges.append({"id": f"e{i}", "from": e.source, "to": e.target, "kind": e.relation,
                      "label": e.label if show_labels else "", "fullLabel": e.label,
                      "title": "\n".join([e.label or e.relation, f"[{e.relation}]", *e.lines]),
                      "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                      "color": {"color": color, "highlight": color, "hover": color, "opacity": 0.8}})
    options = _options(len(nodes), len(edges))
    options["nodes"]["font"]["size"] = 13
    return {"nodes": nodes, "edges": edges, "options": options, "centre": graph.centre}
