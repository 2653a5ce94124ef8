"""guanxi.queries.views: offline, escaped, stabilising graph pages.

Fast static tests run everywhere; the ``browser`` ones drive Debian's chromium (scripts/setup-browser) with
all network requests blocked, and fail — not skip — when it is missing.
"""
from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser

import pytest

try:  # tests/ is a package (tests/__init__.py): import the harness through it
    from tests.browser import PageHandle, browser_page, chromium  # noqa: F401  (pytest fixtures)
except ImportError:  # run with tests/ itself on sys.path
    from browser import PageHandle, browser_page, chromium  # noqa: F401
from guanxi.ontology.vocab import GX, load_projection
from guanxi.queries import views
from guanxi.queries.views import ViewEdge, ViewGraph, ViewNode, render, write

XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '"><svg onload=window.__xss=3>',
    "</script><script>window.__xss=4</script>",
]
STABLE = "window.guanxiStable === true"


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------

def sample_graph() -> ViewGraph:
    nodes = [
        ViewNode("p:zhang", "张古江", "Person", ["省委常委、市委书记张古江", "唐山劳动日报 2020-09-08"]),
        ViewNode("o:swei", "中共唐山市委员会", "PartyCommittee", ["市委"]),
        ViewNode("o:zf", "唐山市人民政府", "Government"),
        ViewNode("m:xszy", "协商议政大会", "Meeting", ["2020-09-07"]),
        ViewNode("d:1", "一要提高政治站位", "Directive", ["“一要提高政治站位，……”"]),
        ViewNode("d:2", "二要加快发展战新产业", "Directive", ["“二要加快发展战新产业”"]),
        ViewNode("i:zx", "战略性新兴产业", "Industry", ["战新产业"]),
    ]
    edges = [
        ViewEdge("p:zhang", "o:swei", "书记", "HELD", ["省委常委、市委书记张古江"]),
        ViewEdge("p:zhang", "m:xszy", "presided", "PARTICIPATED"),
        ViewEdge("p:zhang", "d:1", "", "ISSUED"),
        ViewEdge("p:zhang", "d:2", "", "ISSUED"),
        ViewEdge("d:2", "d:1", "", "PART_OF"),
        ViewEdge("d:2", "i:zx", "", "CONCERNS"),
        ViewEdge("d:1", "m:xszy", "", "AT_MEETING"),
        ViewEdge("o:swei", "m:xszy", "", "ORGANIZED"),
        ViewEdge("o:zf", "o:swei", "", "ADDRESSED_TO"),
    ]
    return ViewGraph(nodes, edges, title="张古江 关系图", note="showing 7 of 7 nodes")


def xss_graph() -> ViewGraph:
    kinds = ["Person", "Meeting", "Directive", XSS_PAYLOADS[3]]
    nodes = [
        ViewNode(f"x{i}", payload, kinds[i], [f"quote {i}: {payload}", XSS_PAYLOADS[(i + 1) % 4]],
                 extra={"quote": payload})
        for i, payload in enumerate(XSS_PAYLOADS)
    ]
    edges = [ViewEdge(f"x{i}", f"x{(i + 1) % 4}", XSS_PAYLOADS[i], XSS_PAYLOADS[i], [XSS_PAYLOADS[i]])
             for i in range(4)]
    return ViewGraph(nodes, edges, title=XSS_PAYLOADS[0], note=XSS_PAYLOADS[1])


def random_graph(n_nodes: int, n_edges: int, seed: int = 20200907) -> ViewGraph:
    rng = random.Random(seed)
    kinds = ["Person", "PartyCommittee", "Government", "Meeting", "Directive", "Industry", "Place", "Document"]
    edge_kinds = ["HELD", "PARTICIPATED", "ISSUED", "CONCERNS", "PART_OF", "ORGANIZED"]
    nodes = [ViewNode(f"n{i}", f"节点{i}", kinds[i % len(kinds)], [f"第{i}号"]) for i in range(n_nodes)]
    edges = []
    for i in range(1, n_nodes):  # a spanning tree keeps it connected, then random extra edges
        edges.append(ViewEdge(f"n{rng.randrange(i)}", f"n{i}", "", rng.choice(edge_kinds)))
    while len(edges) < n_edges:
        a, b = rng.randrange(n_nodes), rng.randrange(n_nodes)
        if a != b:
            edges.append(ViewEdge(f"n{a}", f"n{b}", "", rng.choice(edge_kinds)))
    return ViewGraph(nodes, edges, title=f"random {n_nodes}", note=f"showing {n_nodes:,} of {n_nodes:,} nodes")


class _Parsed(HTMLParser):
    """Tags, attributes and script bodies of a page (script content is raw text for HTMLParser)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self._buf: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script, self._buf = dict(attrs), []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)
        else:
            self.text.append(data)


def data_block(html: str) -> dict:
    parsed = _Parsed(html)
    blocks = [body for attrs, body in parsed.scripts if attrs.get("id") == "gx-data"]
    assert len(blocks) == 1
    assert blocks[0] and blocks[0] == parsed.scripts[1][1], "the data block is the second script element"
    return json.loads(blocks[0])


# --------------------------------------------------------------------------------------------------
# Fast tests (no browser)
# --------------------------------------------------------------------------------------------------

def test_script_json_escapes_markup_characters():
    value = {"a": XSS_PAYLOADS, "b": "x\u2028y\u2029z & <!-- -->"}
    text = views.script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_render_escapes_every_text():
    html = render(xss_graph())
    for payload in XSS_PAYLOADS:
        assert payload not in html
    parsed = _Parsed(html)
    # no element or event-handler attribute came from the data
    allowed = {"html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2", "main", "div",
               "aside", "p", "span", "ul", "li", "svg", "circle", "rect", "ellipse", "polygon", "line"}
    assert {tag for tag, _ in parsed.tags} <= allowed
    assert not [(tag, a) for tag, attrs in parsed.tags for a in attrs if a.lower().startswith("on")]
    # exactly our three scripts: vis-network, the JSON data block, the page glue — and no src attributes
    assert len(parsed.scripts) == 3
    assert [attrs for attrs, _ in parsed.scripts] == [{}, {"type": "application/json", "id": "gx-data"}, {}]
    assert all("src" not in attrs for _, attrs in parsed.tags)
    # the texts survive literally: title, note, legend kind, data
    text = "".join(parsed.text)
    assert XSS_PAYLOADS[0] in text                     # <title>/<h1>
    assert XSS_PAYLOADS[1] in text                     # note
    assert XSS_PAYLOADS[3] in text                     # unknown kind in the legend
    data = data_block(html)
    assert [n["label"] for n in data["nodes"]] == XSS_PAYLOADS
    assert [n["extra"]["quote"] for n in data["nodes"]] == XSS_PAYLOADS
    assert all(XSS_PAYLOADS[i] in n["title"] for i, n in enumerate(data["nodes"]))
    assert [e["label"] for e in data["edges"]] == XSS_PAYLOADS


def test_render_is_offline():
    html = render(sample_graph())
    assert views.remote_references(html) == []
    parsed = _Parsed(html)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            assert not attrs.get(name), f"<{tag} {name}=…> in an offline page"
    assert not any(tag in ("link", "iframe", "img", "object", "embed") for tag, _ in parsed.tags)
    # outside the vendored vis-network text there is no URL at all
    assets = views._assets()
    rest = html.replace(assets["vis_js"], "").replace(assets["vis_css"], "")
    assert not re.search(r"https?://|//cdn", rest), re.findall(r".{40}https?://.{40}", rest)[:3]
    assert '<meta charset="utf-8">' in html


def test_urls_in_text_are_only_text():
    url_text = 'see <img src=https://example.org/a.png> and src=http://example.org/b.js'
    html = render(ViewGraph([ViewNode("a", url_text, "Document", [url_text])], [], title=url_text, note=url_text))
    assert not any(tag in ("img", "link") or "src" in attrs for tag, attrs in _Parsed(html).tags)
    assert data_block(html)["nodes"][0]["fullLabel"] == url_text


def test_remote_references_finds_fetches():
    # pages are parsed as a browser parses them: CSS counts inside <style> and style="", not as page text
    for bad in ('<script src="https://cdn.example/x.js"></script>', "<link href='//cdn.example/x.css'>",
                "<style>a{background:url( https://x/y.png)}</style>", '<style>@import "http://x/y.css";</style>',
                '<p style="background:url(//x/y.png)">', '<img srcset="https://x/a.png 1x">',
                '<meta http-equiv="refresh" content="0;url=x">'):
        assert views.remote_references(bad), bad
    for ok in ('<p>see https://example.org</p>', 'xmlns="http://www.w3.org/2000/svg"', "url(data:image/png;base64,AA)",
               "<p>a{background:url( https://x/y.png)} src=https://x/y.png</p>"):
        assert not views.remote_references(ok), ok


def test_styles_come_from_the_ontology():
    projection = load_projection()
    for cls in ("Person", "Organization", "PartyCommittee", "Meeting", "Directive", "Industry", "Document",
                "Addressee", "Place"):
        spec = projection.nodes[GX[cls]]
        style = views.node_style(cls)
        assert (style.shape, style.color, style.known) == (spec.shape, spec.color, True)
    assert views.node_style("party_committee") == views.node_style("PartyCommittee")
    assert views.node_style(GX.Government) == views.node_style("Government")
    unknown = views.node_style("Spaceship")
    assert (unknown.known, unknown.shape, unknown.color) == (False, views.DEFAULT_SHAPE, views.DEFAULT_COLOR)
    held = projection.edges[GX.Tenure]
    assert views.edge_color("HELD") == held.color
    assert views.edge_color("NO_SUCH_TYPE") == views.DEFAULT_EDGE_COLOR


def test_render_sample_structure(tmp_path):
    graph = sample_graph()
    path = write(graph, tmp_path / "sub" / "sample.html")
    html = path.read_text(encoding="utf-8")
    assert 'data-node-count="7"' in html and 'data-edge-count="9"' in html
    data = data_block(html)
    assert len(data["nodes"]) == 7 and len(data["edges"]) == 9
    person = next(n for n in data["nodes"] if n["id"] == "p:zhang")
    assert (person["shape"], person["color"]) == (views.node_style("Person").shape, views.node_style("Person").color)
    assert person["title"].splitlines() == ["张古江", "[Person]", "省委常委、市委书记张古江", "唐山劳动日报 2020-09-08"]
    assert data["config"]["physicsStop"] is True
    legend = re.findall(r'<li class="gx-kind" data-kind="([^"]*)" data-shape', html)
    assert legend == ["Person", "PartyCommittee", "Government", "Meeting", "Directive", "Industry"]


def test_render_rejects_bad_input():
    with pytest.raises(ValueError, match="duplicate"):
        render(ViewGraph([ViewNode("a", "A", "Person"), ViewNode("a", "B", "Person")], []))
    with pytest.raises(ValueError, match="unknown node"):
        render(ViewGraph([ViewNode("a", "A", "Person")], [ViewEdge("a", "b", "", "HELD")]))
    with pytest.raises(ValueError, match="height"):
        render(sample_graph(), height="1px;}body{display:none")


def test_large_graph_gets_cheaper_physics():
    small = data_block(render(random_graph(50, 80)))["options"]
    large = data_block(render(random_graph(1000, 1500)))["options"]
    assert large["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]
    assert large["layout"]["improvedLayout"] is False and large["edges"]["smooth"] is False


# --------------------------------------------------------------------------------------------------
# Browser tests
# --------------------------------------------------------------------------------------------------

def _node_dom_point(handle: PageHandle, node_id: str) -> tuple[float, float]:
    return tuple(handle.page.evaluate(
        """(id) => {
            const net = window.guanxiNetwork;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.getElementById('gx-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        node_id,
    ))


def _hover_tooltip(handle: PageHandle, node_id: str, expect: str) -> str:
    """Move the mouse onto a node and return the text of the tooltip vis-network shows."""
    page = handle.page
    page.mouse.move(2, 2)
    page.wait_for_timeout(50)
    x, y = _node_dom_point(handle, node_id)
    page.mouse.move(x - 1, y - 1)
    page.mouse.move(x, y)
    page.wait_for_function(
        """(expect) => {
            const t = document.querySelector('div.vis-tooltip');
            return t && t.style.visibility === 'visible' && t.innerText.includes(expect);
        }""",
        arg=expect, timeout=5_000,
    )
    return page.evaluate("document.querySelector('div.vis-tooltip').innerText")


@pytest.mark.browser
def test_sample_graph_renders_offline(browser_page, tmp_path):
    graph = sample_graph()
    path = write(graph, tmp_path / "sample.html")
    browser_page.open(path)
    page = browser_page.page
    page.wait_for_function(STABLE, timeout=30_000)
    assert page.evaluate("window.guanxiNetwork.body.data.nodes.length") == len(graph.nodes)
    assert page.evaluate("window.guanxiNetwork.body.data.edges.length") == len(graph.edges)
    assert page.evaluate("document.getElementById('gx-network').dataset.nodeCount") == str(len(graph.nodes))
    assert page.evaluate("document.getElementById('gx-network').dataset.edgeCount") == str(len(graph.edges))
    assert page.evaluate("window.guanxiNetwork.physics.options.enabled") is False
    assert page.evaluate("window.guanxiNetwork.body.data.nodes.get('p:zhang').label") == "张古江"
    kinds = page.eval_on_selector_all("#gx-node-kinds .gx-kind-name", "els => els.map(e => e.textContent)")
    assert sorted(kinds) == sorted({views.node_style(n.kind).name for n in graph.nodes})
    edge_kinds = page.eval_on_selector_all("#gx-edge-kinds .gx-kind-name", "els => els.map(e => e.textContent)")
    assert sorted(edge_kinds) == sorted({e.kind for e in graph.edges})
    assert page.inner_text("#gx-note") == graph.note
    assert page.inner_text("#gx-title") == graph.title
    # the canvas is drawn (not blank) and the tooltip of 张古江 shows his quote
    assert page.evaluate("""() => {
        const c = document.querySelector('#gx-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
        return false;
    }""")
    text = _hover_tooltip(browser_page, "p:zhang", "省委常委、市委书记张古江")
    assert text.splitlines()[0] == "张古江"
    shot = browser_page.screenshot("views_sample")
    assert shot.stat().st_size > 10_000
    browser_page.assert_clean()


@pytest.mark.browser
def test_xss_payloads_stay_text(browser_page, tmp_path):
    graph = xss_graph()
    path = write(graph, tmp_path / "xss.html")
    browser_page.open(path)
    page = browser_page.page
    page.wait_for_function(STABLE, timeout=30_000)
    assert page.evaluate("typeof window.__xss") == "undefined"
    for i, node in enumerate(graph.nodes):
        assert page.evaluate("(id) => window.guanxiNetwork.body.data.nodes.get(id).label", node.id) == node.label
        text = _hover_tooltip(browser_page, node.id, f"quote {i}: {node.label}")
        assert text.splitlines()[0] == node.label
        assert page.evaluate("typeof window.__xss") == "undefined"
    # innerText turns newlines into <br>; nothing else may appear in the tooltip
    assert page.evaluate("[...document.querySelector('div.vis-tooltip').children].every(c => c.tagName === 'BR')")
    assert page.evaluate("document.querySelectorAll('img, svg[onload], [onerror], [onload]').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert page.inner_text("#gx-title") == graph.title
    assert page.title() == graph.title
    assert page.inner_text("#gx-note") == graph.note
    browser_page.screenshot("views_xss")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    browser_page.assert_clean()


@pytest.mark.browser
def test_empty_graph_is_stable_at_once(browser_page, tmp_path):
    path = write(ViewGraph([], [], title="空"), tmp_path / "empty.html")
    browser_page.open(path)
    browser_page.page.wait_for_function(STABLE, timeout=10_000)
    assert browser_page.page.evaluate("window.guanxiNetwork.body.data.nodes.length") == 0
    browser_page.assert_clean()


@pytest.mark.browser
def test_thousand_nodes_stabilise_and_stop(browser_page, tmp_path):
    graph = random_graph(1000, 1500)
    path = write(graph, tmp_path / "random1000.html")
    browser_page.open(path)
    page = browser_page.page
    page.wait_for_function(STABLE, timeout=120_000)
    stable_ms = page.evaluate("window.guanxiStableMs")
    assert page.evaluate("window.guanxiNetwork.body.data.nodes.length") == 1000
    assert page.evaluate("window.guanxiNetwork.physics.options.enabled") is False
    sample = [f"n{i}" for i in range(0, 1000, 37)]
    before = page.evaluate("(ids) => window.guanxiNetwork.getPositions(ids)", sample)
    page.wait_for_timeout(1_000)
    after = page.evaluate("(ids) => window.guanxiNetwork.getPositions(ids)", sample)
    assert before == after, "nodes still move after stabilisation"
    xs = [p["x"] for p in after.values()]
    assert max(xs) - min(xs) > 100, "layout collapsed"
    browser_page.screenshot("views_random1000")
    print(f"1,000 nodes / 1,500 edges stable after {stable_ms:.0f} ms")
    browser_page.assert_clean()
