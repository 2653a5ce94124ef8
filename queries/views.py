"""Interactive graph views: a :class:`ViewGraph` in, one self-contained offline HTML page out.

Pure rendering — no store access. The data layer builds a :class:`ViewGraph` (nodes, edges, a title and an
optional note such as ``"showing 200 of 1,234 nodes; left out: …"``) and calls :func:`render` or
:func:`write`::

    from guanxi.queries.views import ViewGraph, ViewNode, ViewEdge, write

    g = ViewGraph(
        nodes=[ViewNode("p1", "张古江", "Person", ["市委书记"]), ViewNode("o1", "中共唐山市委员会", "PartyCommittee")],
        edges=[ViewEdge("p1", "o1", "书记", "HELD", ["2020-09-07 唐山劳动日报"])],
        title="张古江",
    )
    write(g, "zhang.html")

Node shape and colour come from the ontology (``gx:viewShape`` / ``gx:viewColor`` read by
:func:`guanxi.ontology.vocab.load_projection`); a node's ``kind`` may be a Neo4j label (``"Person"``,
``"PartyCommittee"``), an organization kind code (``"party_committee"``) or a class IRI. Edge colours come
from the relationship type (``"HELD"``, ``"ISSUED"``…). Unknown kinds get a neutral default.

Guarantees (tested in ``tests/test_views_browser.py``, described in ``docs/views.md``):

* **offline** — vis-network's JS and CSS are inlined from the installed pyvis package and the page CSS/JS
  from ``queries/assets/``; the page has no ``src``/``href``/``url()`` pointing at the network
  (:func:`remote_references` finds any).
* **escaped** — all text (labels, tooltips, title, note, kind names) is HTML-escaped in markup, and the
  node/edge data sits in a ``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
  U+2029 written as ``\\uXXXX``; tooltips are plain-text strings, which vis-network 9 shows with
  ``innerText``; labels are drawn on a canvas.
* **stable** — physics runs the initial stabilisation, then (``physics_stop=True``) is switched off;
  ``window.guanxiStable`` / ``window.guanxiStableMs`` tell tests when.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

__all__ = [
    "ViewNode", "ViewEdge", "ViewGraph", "NodeStyle", "render", "write", "node_style", "edge_color",
    "remote_references", "script_json", "VIS_VERSION", "LARGE_GRAPH",
]

VIS_VERSION = "9.1.2"          # the vis-network bundled with pyvis that gets inlined
LARGE_GRAPH = 300              # above this many nodes: cheaper physics and fewer stabilisation iterations
MAX_LABEL_CHARS = 80           # longer labels are shortened on the canvas (the tooltip has them in full)
MAX_TOOLTIP_LINES = 30
MAX_TOOLTIP_LINE_CHARS = 400

# Neutral styling for kinds the ontology does not know (not a per-kind colour table).
DEFAULT_SHAPE = "dot"
DEFAULT_COLOR = "#9e9e9e"
DEFAULT_EDGE_COLOR = "#8c8c8c"

FONT_FACE = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", '
             '"WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif')

# vis-network shapes; the ones in _LABEL_INSIDE draw the label inside the node.
_SHAPES = frozenset({
    "dot", "ellipse", "circle", "database", "box", "text", "diamond", "star", "triangle", "triangleDown",
    "hexagon", "square",
})
_LABEL_INSIDE = frozenset({"ellipse", "circle", "database", "box", "text"})
_COLOR_RE = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30})$")
_HEIGHT_RE = re.compile(r"^\d+(\.\d+)?(px|%|vh|em|rem)$")


# --------------------------------------------------------------------------------------------------
# Data contract
# --------------------------------------------------------------------------------------------------

@dataclass
class ViewNode:
    """A node to draw. ``title_lines`` become the tooltip (quotes, documents…), one line each, as text."""

    id: str
    label: str
    kind: str
    title_lines: list[str] = field(default_factory=list)
    size: float | None = None
    group: str | None = None                          # free-form cluster name, carried as data (no styling)
    extra: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable data kept on the vis node (`extra`)


@dataclass
class ViewEdge:
    """A directed edge ``source -> target``; ``kind`` is the relationship type (``HELD``, ``ISSUED``…)."""

    source: str
    target: str
    label: str = ""
    kind: str = ""
    title_lines: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ViewGraph:
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    title: str = "guanxi"
    note: str | None = None    # e.g. "showing 200 of 1,234 nodes; left out: …"


# --------------------------------------------------------------------------------------------------
# Styling from the ontology
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NodeStyle:
    name: str       # display name of the kind in the legend (the ontology's label when known)
    shape: str
    color: str
    known: bool     # False: the kind is not in the ontology and got the default style


def _safe_color(color: str | None, default: str) -> str:
    return color if color and _COLOR_RE.match(color) else default


@functools.lru_cache(maxsize=1)
def _styles() -> tuple[Mapping[str, NodeStyle], Mapping[str, str]]:
    """kind key -> NodeStyle, and relationship type -> colour, from the ontology projection."""
    from guanxi.ontology.vocab import load_projection

    projection = load_projection()
    nodes: dict[str, NodeStyle] = {}
    for iri, spec in projection.nodes.items():
        style = NodeStyle(
            name=spec.label,
            shape=spec.shape if spec.shape in _SHAPES else DEFAULT_SHAPE,
            color=_safe_color(spec.color, DEFAULT_COLOR),
            known=True,
        )
        keys = [iri, spec.label, iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]]
        if spec.kind:
            keys.append(spec.kind)
        for key in keys:
            nodes.setdefault(key, style)
            nodes.setdefault(key.lower(), style)
    for code, iri in projection.kinds.items():
        if iri in nodes:
            nodes.setdefault(code, nodes[iri])
            nodes.setdefault(code.lower(), nodes[iri])
    edges: dict[str, str] = {}
    specs = list(projection.relationships.values()) + list(projection.edges.values())
    for spec in specs:
        if spec.color and _COLOR_RE.match(spec.color):
            edges.setdefault(spec.type, spec.color)
            edges.setdefault(spec.type.upper(), spec.color)
    return nodes, edges


def node_style(kind: str) -> NodeStyle:
    """Shape and colour of a node kind per the ontology (a neutral default for unknown kinds)."""
    styles, _ = _styles()
    style = styles.get(kind) or styles.get(kind.lower())
    return style or NodeStyle(name=kind, shape=DEFAULT_SHAPE, color=DEFAULT_COLOR, known=False)


def edge_color(kind: str) -> str:
    """Colour of a relationship type per the ontology (a neutral default otherwise)."""
    _, colors = _styles()
    return colors.get(kind) or colors.get(kind.upper()) or DEFAULT_EDGE_COLOR


def _font_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (for shapes with the label inside)."""
    m = re.fullmatch(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})", background)
    if not m:
        return "#222222"
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#ffffff" if luminance < 0.35 else "#222222"


# --------------------------------------------------------------------------------------------------
# Escaping and offline checks
# --------------------------------------------------------------------------------------------------

_SCRIPT_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_JSON_RE = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> str:
    """JSON safe to put between ``<script>`` tags: no ``<``, ``>`` or ``&`` (so no ``</script>`` or
    ``<!--``), and no U+2028/U+2029. ``json.loads`` of the result equals ``value``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_JSON_RE.sub(lambda m: _SCRIPT_JSON_ESCAPES[m.group(0)], text)


_REMOTE_PATTERNS = (
    # in raw CSS or JS text (the inlined assets): attributes that make a browser fetch (or navigate on load)
    re.compile(r"""\b(?:src|href|srcset|poster|data|action|formaction|background|manifest|ping)\s*=\s*["']?\s*(?:https?:)?//""",
               re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),                  # CSS url(...)
    re.compile(r"""@import\s+(?:url\(\s*)?["']?\s*(?:https?:)?//""", re.IGNORECASE),  # CSS @import
    re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?refresh""", re.IGNORECASE),
)
_CSS_REMOTE = _REMOTE_PATTERNS[1:3]
# attributes whose value is a URL the browser fetches or navigates to
_URL_ATTRIBUTES = frozenset({"src", "href", "srcset", "poster", "data", "action", "formaction", "background",
                             "manifest", "ping", "xlink:href", "cite", "longdesc", "codebase", "archive", "icon"})
_REMOTE_URL = re.compile(r"^\s*(?:(?:https?|wss?|ftp):|//|\\\\)", re.IGNORECASE)


def _remote_in_text(text: str) -> list[str]:
    """Snippets of raw CSS or JS text that would fetch something over the network."""
    found = []
    for pattern in _REMOTE_PATTERNS:
        for m in pattern.finditer(text):
            found.append(text[max(0, m.start() - 20): m.end() + 60])
    return found


class _References(HTMLParser):
    """The page's real references, as a browser reads them: attributes of elements (the text of the page,
    escaped, is data and never one), CSS in <style> and style="", meta refresh, and iframe srcdoc documents.
    Script text is not read: the pages' scripts are the vendored files, checked when loaded (``_assets``), and
    JSON data blocks, where documents' text lives."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES:
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if name == "srcset" else [value]
                self.found += [f"<{tag} {name}={u}>" for u in urls if _REMOTE_URL.match(u)]
            elif name == "style":
                self.found += [f"<{tag} style={s}>" for p in _CSS_REMOTE for s in p.findall(value)]
            elif name == "srcdoc":  # a whole document the browser renders inside the page
                self.found += remote_references(value)
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta" and attributes.get("http-equiv", "").strip().lower() == "refresh":
            self.found.append(f"<meta http-equiv=refresh content={attributes.get('content', '')}>")
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [m.group(0) for p in _CSS_REMOTE for m in p.finditer(data)]


def remote_references(html: str) -> list[str]:
    """What in the page ``html`` would make a browser fetch something over the network (empty: offline).

    Parsed, not pattern-matched: text that merely *mentions* ``src=https://…`` (a document title, a quote, shown
    escaped) is no reference; an element's attribute, CSS, a meta refresh or an embedded srcdoc page is."""
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found


# --------------------------------------------------------------------------------------------------
# Assets
# --------------------------------------------------------------------------------------------------

def _assets_dir() -> Path:
    return Path(str(resources.files(__package__ or "guanxi.queries").joinpath("assets")))


def _pyvis_lib_dir() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"


def _check_inline(text: str, closing: str, what: str) -> str:
    """Refuse library text that would end its inline <script>/<style> element early."""
    lowered = text.lower()
    if closing in lowered or "<!--" in lowered:
        raise RuntimeError(f"{what} contains {closing!r} or '<!--' and cannot be inlined safely")
    return text


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    lib = _pyvis_lib_dir()
    js_path, css_path = lib / "vis-network.min.js", lib / "vis-network.css"
    if not js_path.is_file() or not css_path.is_file():
        raise RuntimeError(f"vis-network {VIS_VERSION} not found in the pyvis package at {lib}")
    assets = _assets_dir()
    out = {
        "vis_js": _check_inline(js_path.read_text(encoding="utf-8"), "</script", "vis-network.min.js"),
        "vis_css": _check_inline(css_path.read_text(encoding="utf-8"), "</style", "vis-network.css"),
        "view_js": _check_inline((assets / "view.js").read_text(encoding="utf-8"), "</script", "view.js"),
        "view_css": _check_inline((assets / "view.css").read_text(encoding="utf-8"), "</style", "view.css"),
    }
    for name in ("vis_css", "view_css", "view_js"):
        if _remote_in_text(out[name]):
            raise RuntimeError(f"{name} references remote resources: {_remote_in_text(out[name])[:3]}")
    return out


@functools.lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_assets_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("view.html.j2")


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------

def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tooltip(head: str, kind: str, lines: Sequence[str]) -> str:
    """Plain-text tooltip (vis-network shows string titles with innerText, newlines kept by CSS)."""
    out = [head]
    if kind:
        out.append(f"[{kind}]")
    shown = [_clip(str(line), MAX_TOOLTIP_LINE_CHARS) for line in lines[:MAX_TOOLTIP_LINES]]
    out.extend(shown)
    if len(lines) > MAX_TOOLTIP_LINES:
        out.append(f"… {len(lines) - MAX_TOOLTIP_LINES} more")
    return "\n".join(out)


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    large = n_nodes > LARGE_GRAPH
    if n_nodes <= LARGE_GRAPH:
        iterations = 600
    elif n_nodes <= 2000:
        iterations = 200
    else:
        iterations = 100
    return {
        "autoResize": True,
        "nodes": {
            "font": {"face": FONT_FACE, "size": 14},
            "size": 16,
            "widthConstraint": {"maximum": 220},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_FACE, "size": 11, "align": "middle", "strokeWidth": 3},
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": (
                {"theta": 0.8, "gravitationalConstant": -4000, "centralGravity": 0.3, "springLength": 110,
                 "springConstant": 0.04, "damping": 0.3, "avoidOverlap": 0}
                if large else
                {"gravitationalConstant": -6000, "centralGravity": 0.3, "springLength": 140,
                 "springConstant": 0.04, "damping": 0.12, "avoidOverlap": 0.2}
            ),
            "minVelocity": 1.0 if large else 0.75,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
    }


def _svg_swatch(shape: str, color: str) -> str:
    """Inline SVG of a vis shape for the legend (colour validated by _COLOR_RE; no user text)."""
    c = f'fill="{color}" stroke="#555555" stroke-width="0.8"'

    def poly(points: Iterable[tuple[float, float]]) -> str:
        return f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" {c}/>'

    def regular(n: int, r: float, rotation: float, step: int = 1, inner: float | None = None) -> list[tuple[float, float]]:
        pts = []
        count = n * (2 if inner else 1)
        for i in range(count):
            radius = inner if inner and i % 2 else r
            a = rotation + 2 * math.pi * i / count
            pts.append((9 + radius * math.cos(a), 9 + radius * math.sin(a)))
        return pts

    if shape in ("box", "database", "text"):
        return f'<rect x="1.5" y="4" width="15" height="10" rx="2.5" {c}/>'
    if shape == "ellipse":
        return f'<ellipse cx="9" cy="9" rx="8" ry="5" {c}/>'
    if shape == "square":
        return f'<rect x="3" y="3" width="12" height="12" {c}/>'
    if shape == "diamond":
        return poly([(9, 1.5), (16.5, 9), (9, 16.5), (1.5, 9)])
    if shape == "triangle":
        return poly([(9, 2), (16.5, 15.5), (1.5, 15.5)])
    if shape == "triangleDown":
        return poly([(1.5, 2.5), (16.5, 2.5), (9, 16)])
    if shape == "hexagon":
        return poly(regular(6, 7.5, 0))
    if shape == "star":
        return poly(regular(5, 8, -math.pi / 2, inner=3.5))
    return f'<circle cx="9" cy="9" r="6.5" {c}/>'


def _network(graph: ViewGraph, height: str):
    """Build the pyvis Network (pyvis normalises node/edge dicts; the page template is ours)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading=graph.title)
    seen: set[str] = set()
    for n in graph.nodes:
        node_id = str(n.id)
        if node_id in seen:
            raise ValueError(f"duplicate node id {node_id!r}")
        seen.add(node_id)
        style = node_style(n.kind)
        label = str(n.label) if n.label not in (None, "") else node_id
        opts: dict[str, Any] = {
            "title": _tooltip(label, style.name, list(n.title_lines)),
            "kind": n.kind,
            "fullLabel": label,
            "color": style.color,
        }
        if style.shape in _LABEL_INSIDE:
            opts["font"] = {"color": _font_color(style.color)}
        if n.size is not None:
            opts["size"] = float(n.size)
        if n.group is not None:
            opts["gxGroup"] = str(n.group)
        if n.extra:
            opts["extra"] = dict(n.extra)
        # add_node keeps only the first node per id; ids were checked above
        net.add_node(node_id, label=_clip(label, MAX_LABEL_CHARS), shape=style.shape, **opts)
    for i, e in enumerate(graph.edges):
        source, target = str(e.source), str(e.target)
        for end in (source, target):
            if end not in seen:
                raise ValueError(f"edge {i} ({source!r} -> {target!r}) refers to unknown node {end!r}")
        color = edge_color(e.kind) if e.kind else DEFAULT_EDGE_COLOR
        opts = {
            "id": f"e{i}",
            "label": _clip(str(e.label), MAX_LABEL_CHARS) if e.label else "",
            "title": _tooltip(str(e.label or e.kind), e.kind if e.label else "", list(e.title_lines)),
            "kind": e.kind,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": color, "highlight": color, "hover": color, "opacity": 0.85},
        }
        if e.extra:
            opts["extra"] = dict(e.extra)
        # Network.add_edge checks endpoints with a linear scan per edge; ids are checked above already
        net.edges.append(Edge(source, target, directed=True, **opts).options)
    net.options = _options(len(graph.nodes), len(graph.edges))
    return net


def _legend(graph: ViewGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    node_kinds: dict[str, dict[str, Any]] = {}
    for n in graph.nodes:
        style = node_style(n.kind)
        item = node_kinds.setdefault(style.name, {
            "name": style.name, "shape": style.shape, "color": style.color, "count": 0,
            "svg": _svg_swatch(style.shape, style.color),
        })
        item["count"] += 1
    edge_kinds: dict[str, dict[str, Any]] = {}
    for e in graph.edges:
        name = e.kind or "(untyped)"
        item = edge_kinds.setdefault(name, {"name": name, "color": edge_color(e.kind) if e.kind else DEFAULT_EDGE_COLOR,
                                             "count": 0})
        item["count"] += 1
    return list(node_kinds.values()), list(edge_kinds.values())


def render(graph: ViewGraph, *, physics_stop: bool = True, height: str = "800px") -> str:
    """The view of ``graph`` as one self-contained, offline HTML page (UTF-8 text).

    ``physics_stop``: switch physics off once the initial stabilisation is done (the layout then stays put).
    ``height``: CSS height of the network area (``"800px"``, ``"90vh"``…).
    """
    if not _HEIGHT_RE.match(height):
        raise ValueError(f"height must be a CSS length like '800px' or '90vh', not {height!r}")
    net = _network(graph, height)
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    node_kinds, edge_kinds = _legend(graph)
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options_json),
        "config": {"physicsStop": bool(physics_stop), "largeGraph": len(nodes) > LARGE_GRAPH},
    }
    assets = _assets()
    html = _template().render(
        title=str(graph.title),
        note=str(graph.note) if graph.note else None,
        height=height,
        node_count=len(nodes),
        edge_count=len(edges),
        node_kinds=node_kinds,
        edge_kinds=edge_kinds,
        data_json=script_json(data),
        **assets,
    )
    # The assets are checked in _assets(); remote_references() parses pages (the tests check rendered pages,
    # write_dossier checks every dossier)
    return html


def write(graph: ViewGraph, path: str | Path, **kwargs: Any) -> Path:
    """Render ``graph`` (keyword arguments as for :func:`render`) and write it to ``path`` as UTF-8."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(graph, **kwargs), encoding="utf-8")
    return path
