"""The workbench in headless Chromium against a running `guanxi serve` (seeds + a month of news): the journey
search → person → directive → document viewer with the quote highlighted at its span; a graph view with filters
applied and search in the graph; the XSS fixture shown as text, never run; no request leaves 127.0.0.1.
Screenshots go to test-output/screenshots/workbench_*.png."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import PageHandle, chromium  # noqa: F401  (pytest fixture)
from tests.workbench_server import workbench  # noqa: F401  (pytest fixture)

pytestmark = pytest.mark.browser

STABLE = '#gx-network[data-stable="true"]'
NO_XSS = "typeof window.__xss === 'undefined'"


@pytest.fixture()
def page(chromium, workbench):  # noqa: F811
    handle = chromium.new_page(allow=(workbench.base + "/",))
    requests: list[str] = []
    handle.page.on("request", lambda r: requests.append(r.url))
    handle.page.on("dialog", lambda d: (handle.page_errors.append(f"dialog opened: {d.message}"), d.dismiss()))
    handle.requests = requests  # type: ignore[attr-defined]
    try:
        yield handle
        outside = [u for u in requests if not u.startswith((workbench.base + "/", "data:", "about:"))]
        assert not outside, f"requests left 127.0.0.1: {outside}"
        handle.assert_clean()       # no console errors (CSP violations are), page errors, blocked requests
    finally:
        handle.close()


def _go(handle: PageHandle, url: str) -> None:
    response = handle.page.goto(url, wait_until="networkidle")   # (so the favicon is not cut off by the next page)
    assert response is not None and response.status == 200, (url, response and response.status)


def test_search_person_directive_viewer(page, workbench):
    p = page.page
    _go(page, workbench.base + "/")
    p.fill("form.gx-search-big input[name=q]", "张古江")
    p.press("form.gx-search-big input[name=q]", "Enter")
    p.wait_for_url(re.compile(r"/search\?q="))
    page.screenshot("workbench_search")
    person = p.locator("#gx-results-Person a.gx-hit-link", has_text="张古江")
    assert person.count() == 1
    person.click()
    p.wait_for_url(re.compile(r"/id/person/"))
    person_path = urlparse(p.url).path
    assert p.inner_text("#gx-person") == "张古江"
    posts = p.inner_text("#gx-posts")
    assert "河北省委常委" in posts and "唐山市委书记" in posts
    assert "「省委常委、市委书记张古江」" in posts and "「市委书记张古江」" in posts
    assert p.locator("#gx-post-timeline rect").count() == 2
    # his network, drawn on his page (radius 1): him, his bodies, the meeting, his directives
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    drawn = p.evaluate("window.guanxiNetwork.body.data.nodes.get().map(n => n.kind)")
    assert len(drawn) == int(p.get_attribute("#gx-network", "data-node-count")) >= 10
    assert {"Person", "Meeting", "Directive"} <= set(drawn)
    page.screenshot("workbench_person")

    directive = p.locator("#gx-directives a.gx-directive-link").first
    directive_text = directive.inner_text()
    directive.click()
    p.wait_for_url(re.compile(r"/id/directive/"))
    assert p.inner_text("#gx-directive") == directive_text
    assert p.inner_text("#gx-speaker") == "张古江"
    page.screenshot("workbench_directive")

    source = p.locator("#gx-directive-sources a.gx-src").first
    quote = source.inner_text().strip("「」")
    source.click()
    p.wait_for_url(re.compile(r"/id/doc/.+\?at=\d+-\d+#at$"))
    p.wait_for_load_state("load")
    start, end = map(int, parse_qs(urlparse(p.url).query)["at"][0].split("-"))
    got = p.evaluate("""() => {
        const segs = [...document.querySelectorAll('#gx-text .gx-target')];
        const text = document.getElementById('gx-text').textContent;
        const first = document.getElementById('at').getBoundingClientRect();
        return {joined: segs.map(s => s.textContent).join(''), start: +segs[0].dataset.start,
                end: +segs[segs.length - 1].dataset.end, slice: text.slice(segs[0].dataset.start, segs[segs.length - 1].dataset.end),
                visible: first.top > 0 && first.bottom < window.innerHeight, links: segs.map(s => s.getAttribute('href'))};
    }""")
    assert got["joined"] == quote == got["slice"]           # the highlighted text is the quote, at its offsets
    assert (got["start"], got["end"]) == (start, end)
    assert got["visible"], "the viewer did not scroll to the span"
    assert all(h and h.startswith(("/id/directive/", "/id/person/", "/id/industry/", "/id/addressee/")) for h in got["links"])
    # every highlight links to its entity: his name in the text leads back to his page
    names = p.locator("#gx-text a.gx-k-Person", has_text="张古江")
    assert names.count() >= 3 and names.first.get_attribute("href") == person_path
    assert p.locator("#gx-fact-table tbody tr").count() > 50
    page.screenshot("workbench_viewer", full_page=False)


def test_graph_view_with_filters_and_search_in_the_graph(page, workbench):
    p = page.page
    _go(page, workbench.base + "/people")
    top = p.locator("#gx-listing tbody tr a").first       # the most documented person of the month
    name = top.inner_text()
    top.click()
    p.click("#gx-network-link")
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    data = p.evaluate("""() => {
        const nodes = window.guanxiNetwork.body.data.nodes.get();
        return {n: nodes.length, last: nodes[nodes.length - 1], directives: nodes.filter(n => n.kind === 'Directive'),
                sizes: nodes.filter(n => !n.centre).map(n => n.font.size)};
    }""")
    assert data["n"] > 60 and data["directives"], "a realistic ego network, with directives"
    assert data["last"]["centre"] and data["last"]["label"] == name          # drawn last: on top of everything
    assert data["last"]["font"]["size"] > max(data["sizes"])
    assert all(d["label"] == "" for d in data["directives"])                 # no directive label buries it
    page.screenshot("workbench_graph", full_page=False)

    p.uncheck("#gx-filters input[name=classes][value=Directive]")
    p.fill("#gx-filters input[name=min_degree]", "2")
    p.fill("#gx-filters input[name=since]", "2025-03-01")
    p.fill("#gx-filters input[name=until]", "2025-03-20")
    p.click("#gx-apply")
    p.wait_for_url(re.compile(r"min_degree=2"))
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    query = parse_qs(urlparse(p.url).query)
    assert "Directive" not in query["classes"] and query["since"] == ["2025-03-01"]
    filtered = p.evaluate("""() => {
        const nodes = window.guanxiNetwork.body.data.nodes.get(), edges = window.guanxiNetwork.body.data.edges.get();
        const degree = {};
        edges.forEach(e => { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
        return {kinds: [...new Set(nodes.map(n => n.kind))], low: nodes.filter(n => !n.centre && (degree[n.id] || 0) < 2).length,
                n: nodes.length, labels: nodes.map(n => n.fullLabel)};
    }""")
    assert "Directive" not in filtered["kinds"] and filtered["low"] == 0 and filtered["n"] > 3
    note = p.inner_text("#gx-note")
    assert "min degree 2" in note and "dated 2025-03-01 – 2025-03-20" in note and "of other classes" in note
    page.screenshot("workbench_graph_filtered", full_page=False)

    other = next(label for label in filtered["labels"] if label != name)
    p.fill("#gx-find", other)
    p.click("#gx-apply")
    p.wait_for_url(re.compile(r"find="))
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    assert re.match(r"^\d+ node\(s\) match", p.inner_text("#gx-found"))
    selected = p.evaluate("() => window.guanxiNetwork.getSelectedNodes().map(id => window.guanxiNetwork.body.data.nodes.get(id).fullLabel)")
    assert other in selected


def test_xss_document_is_shown_as_text_and_never_runs(page, workbench):
    p = page.page
    _go(page, workbench.base + "/search?q=__xss")
    assert p.evaluate(NO_XSS)
    assert "<script>window.__xss" in p.inner_text("#gx-main")       # shown, as text
    p.locator("#gx-results-Document a.gx-hit-link").first.click()
    p.wait_for_url(re.compile(r"/id/doc/"))
    assert "<script>window.__xss=1</script>" in p.inner_text("#gx-doc-title")
    assert p.evaluate("document.querySelectorAll('#gx-main img, #gx-main svg, #gx-main script, #gx-main iframe').length") == 0
    for i in range(min(p.locator("#gx-text .gx-hl").count(), 25)):
        p.locator("#gx-text .gx-hl").nth(i).hover()
    assert p.evaluate(NO_XSS)
    page.screenshot("workbench_xss_viewer", full_page=False)
    _go(page, workbench.base + "/person?name=丁绣峰")
    assert "<script>window.__xss=3</script>" in p.inner_text("#gx-directives")
    assert p.evaluate(NO_XSS)
    p.click("#gx-network-link")
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    labels = p.evaluate("window.guanxiNetwork.body.data.nodes.get().map(n => n.fullLabel + n.title)")
    assert any("__xss" in t for t in labels)
    assert p.evaluate(NO_XSS)
    page.screenshot("workbench_xss_graph", full_page=False)


def test_every_request_stays_on_the_loopback_server(page, workbench):
    p = page.page
    for path in ("/", "/people", "/organizations", "/industries", "/documents", "/api/docs", "/search?q=李強"):
        _go(page, workbench.base + path)
    _go(page, workbench.base + "/organization?name=唐山市委")
    p.click("#gx-network-link")
    p.wait_for_selector(STABLE, state="attached", timeout=90_000)
    page.screenshot("workbench_organization_graph", full_page=False)
    assert any(u.endswith("/static/vis/vis-network.min.js") for u in page.requests)
    assert all(u.startswith(workbench.base + "/") for u in page.requests), page.requests
