"""Views built from the knowledge graph (guanxi view / guanxi dossier), opened in headless Chromium with the
network blocked: every view type loads, shows the expected nodes and a legend, stabilises; a document whose
title and quotes carry <script>, <img onerror> and <svg onload> is ingested and viewed without executing them."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import PageHandle, browser_page, chromium  # noqa: F401  (pytest fixtures)
from guanxi.api import Guanxi
from guanxi.queries import build_views as bv
from guanxi.queries.api import Queries
from guanxi.queries.backends import StoreBackend
from guanxi.queries.views import remote_references, write

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
KG = sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))
XSS = str(FIXTURES / "xss" / "xss_report.txt")
STABLE = "window.guanxiStable === true"
NO_XSS = "typeof window.__xss === 'undefined'"


@pytest.fixture(scope="module")
def q(tmp_path_factory):
    directory = tmp_path_factory.mktemp("views-data") / "store"
    with Guanxi(directory) as g:
        assert g.ingest(SEEDS + KG + [XSS]).ok
        yield Queries(StoreBackend(g.store))


def _open(handle: PageHandle, graph, path: Path, shot: str) -> None:
    write(graph, path)
    html = path.read_text(encoding="utf-8")
    assert not remote_references(html)
    handle.open(path)
    page = handle.page
    page.wait_for_function(STABLE, timeout=60_000)
    assert page.evaluate("window.guanxiNetwork.body.data.nodes.length") == len(graph.nodes)
    assert page.evaluate("document.getElementById('gx-network').dataset.nodeCount") == str(len(graph.nodes))
    assert page.evaluate("window.guanxiNetwork.body.data.edges.length") == len(graph.edges)
    legend = page.eval_on_selector_all("#gx-node-kinds li", "els => els.map(e => e.dataset.kind)")
    assert legend and set(legend) >= {n.kind for n in graph.nodes} - {"Organization"}
    assert page.eval_on_selector_all("#gx-edge-kinds li", "els => els.length") >= 1
    if graph.note:
        assert page.inner_text("#gx-note") == graph.note
    assert page.evaluate(NO_XSS)
    handle.screenshot(shot)
    handle.assert_clean()


def _hover_all(handle: PageHandle, ids: list[str]) -> None:
    page = handle.page
    for node_id in ids:
        x, y = page.evaluate(
            """(id) => {
                const net = window.guanxiNetwork;
                net.focus(id, {scale: 1.0});
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const r = document.getElementById('gx-network').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""", node_id)
        page.mouse.move(x - 1, y - 1)
        page.mouse.move(x, y)
        page.wait_for_timeout(120)
        assert page.evaluate(NO_XSS), f"script ran after hovering {node_id}"


def test_person_view(browser_page, q, tmp_path):
    graph = bv.person_view(q, "张古江", radius=1)
    assert len(graph.nodes) == 18          # him, 2 bodies, 1 meeting, 14 directives
    _open(browser_page, graph, tmp_path / "person.html", "view_person_zhang")
    page = browser_page.page
    held = page.evaluate("""() => window.guanxiNetwork.body.data.edges.get().filter(e => e.gxKind === 'HELD' || (e.title || '').includes('唐山市委书记')).map(e => e.title)""")
    assert any("「市委书记张古江」" in t for t in held)


def test_org_meeting_directives_overview_views(browser_page, q, tmp_path):
    org = bv.organization_view(q, "唐山市委", radius=1)
    assert sum(n.kind == "Person" for n in org.nodes) == 3
    _open(browser_page, org, tmp_path / "org.html", "view_org")
    meeting = bv.meeting_view(q, date="2020-09-07")
    assert sum(n.kind == "Person" for n in meeting.nodes) == 16
    _open(browser_page, meeting, tmp_path / "meeting.html", "view_meeting")
    directives = bv.directives_view(q, industry="生物医药")
    kinds = sorted(n.kind for n in directives.nodes)
    assert kinds.count("Directive") == 2 and "Industry" in kinds
    _open(browser_page, directives, tmp_path / "directives.html", "view_directives_biomed")
    labels = browser_page.page.evaluate("window.guanxiNetwork.body.data.nodes.get().map(n => n.label)")
    assert "县人民政府" in labels
    overview = bv.overview(q, classes=("Person", "Organization", "Meeting"), min_degree=1, max_nodes=25)
    assert len(overview.nodes) == 25 and "left out" in overview.note
    _open(browser_page, overview, tmp_path / "overview.html", "view_overview")


def test_xss_document_does_not_execute(browser_page, q, tmp_path):
    rows = q.directives(text="项目为王")
    assert any("<script>window.__xss=3</script>" in r.content for r in rows)
    graph = bv.directives_view(q, since="2020-10-11", until="2020-10-12")
    payload_nodes = [n for n in graph.nodes if "__xss" in n.label or any("__xss" in x for x in n.title_lines)]
    assert len(payload_nodes) >= 3
    _open(browser_page, graph, tmp_path / "xss-directives.html", "view_xss_directives")
    page = browser_page.page
    texts = page.evaluate("window.guanxiNetwork.body.data.nodes.get().map(n => (n.fullLabel || n.label) + '\\n' + n.title)")
    assert any("<script>window.__xss=3</script>" in text for text in texts)   # kept literally, as text
    assert any(label.startswith("<img src=x onerror") for label in texts) or any("onerror" in t for t in texts)
    _hover_all(browser_page, [n.id for n in payload_nodes])
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.evaluate("document.querySelectorAll('img, svg:not(.gx-swatch)').length") == 0

    meeting = bv.meeting_view(q, "全市重点项目建设推进会")
    _open(browser_page, meeting, tmp_path / "xss-meeting.html", "view_xss_meeting")
    _hover_all(browser_page, [n.id for n in meeting.nodes if n.kind == "Meeting"])
    person = bv.person_view(q, "丁绣峰", radius=1)
    _open(browser_page, person, tmp_path / "xss-person.html", "view_xss_person")


def test_dossier_is_one_offline_page(browser_page, q, tmp_path):
    path = bv.write_dossier(q, "丁绣峰", tmp_path / "dossier.html")
    html = path.read_text(encoding="utf-8")
    assert not remote_references(html) and "<script>window.__xss" not in html.split("srcdoc=")[0]
    browser_page.open(path)
    page = browser_page.page
    assert page.inner_text("#gx-person") == "丁绣峰"
    assert "唐山市委副书记" in page.inner_text("#gx-post-table")
    assert page.eval_on_selector_all("#gx-post-timeline rect", "els => els.length") >= 2
    assert "协商议政大会" in page.inner_text("#gx-meeting-table")
    directives = page.inner_text("#gx-directives")
    assert "<script>window.__xss=3</script>" in directives          # the quote, as text
    assert "唐山市召开<script>window.__xss=1</script>推进会" in page.inner_text("#gx-source-table")
    page.wait_for_load_state("load")
    frame = None
    for _ in range(100):
        frame = next((f for f in page.frames if f.url == "about:srcdoc"), None)
        if frame is not None:
            break
        page.wait_for_timeout(100)
    assert frame is not None, "the embedded ego network did not load"
    # an off-screen cross-origin (sandboxed) iframe gets no animation frames: bring it into view, poll by time
    page.locator("#gx-view").scroll_into_view_if_needed()
    frame.wait_for_function(STABLE, polling=100, timeout=60_000)
    assert frame.evaluate("window.guanxiNetwork.body.data.nodes.length") > 10
    assert frame.evaluate(NO_XSS) and page.evaluate(NO_XSS)
    browser_page.screenshot("dossier_ding")
    browser_page.assert_clean()
