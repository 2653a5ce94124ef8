"""The workbench over HTTP (a real `guanxi serve` in a subprocess, the seeds plus a month of news): search, pages,
the document viewer's spans, the JSON/CSV API against the CLI, errors, headers, read-only opening."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest

from tests.workbench_server import SEEDS, build_store, start_server, workbench  # noqa: F401  (fixture)
from guanxi.queries.views import remote_references
from guanxi.workbench.search import fold

ZHANG = "张古江"


class Links(HTMLParser):
    """Every <a href> with its text, and every <script> (src, type) of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.style_attrs = 0
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.style_attrs += 1
        if tag == "a" and a.get("href"):
            self._href, self._text = a["href"], []
        if tag == "script":
            self.scripts.append({"src": a.get("src"), "type": a.get("type")})

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def person_url(workbench, name: str) -> str:
    status, _, html = workbench.get("/search?" + urlencode({"q": name, "kind": "Person"}))
    assert status == 200
    hrefs = [h for h, text in parse(html).links if h.startswith("/id/person/") and text == name]
    assert hrefs, f"no link to {name} on the search page"
    return hrefs[0]


def test_search_links_to_zhang_whose_page_shows_both_posts_with_quotes(workbench):
    status, headers, html = workbench.get("/search?q=" + ZHANG)
    assert status == 200 and "text/html" in headers["content-type"]
    people = [h for h, t in parse(html).links if h.startswith("/id/person/") and t == ZHANG]
    assert len(people) == 1
    status, _, page = workbench.get(people[0])
    assert status == 200
    posts = page[page.index('id="gx-posts"'):page.index('id="gx-meetings"')]
    assert "河北省委常委" in posts and "唐山市委书记" in posts
    # each post with its quote, each quote a link to the viewer at its span
    assert re.search(r'href="/id/doc/[^"]+\?at=\d+-\d+#at">「省委常委、市委书记张古江」', posts)
    assert re.search(r'href="/id/doc/[^"]+\?at=\d+-\d+#at">「市委书记张古江」', posts)
    # who he met: each meeting named by its own date and name, linking to its page
    meetings = dict((h, t) for h, t in parse(page[page.index('id="gx-meetings"'):page.index('id="gx-directives"')]).links
                    if h.startswith("/id/meeting/"))
    met = [(h, t) for h, t in parse(page[page.index('id="gx-co"'):page.index('id="gx-documents"')]).links
           if h.startswith("/id/meeting/")]
    assert len(met) >= 10 and all(meetings.get(h) and t == "2020-09-07 " + meetings[h] for h, t in met)


def test_a_person_page_shows_the_most_recent_rows_with_the_totals_and_all_on_request(workbench):
    url = person_url(workbench, "丁绣峰")       # a mayor in several documents
    def section(page, start, end):
        return page[page.index(f'id="{start}"'):page.index(f'id="{end}"')]
    def dates(meetings):
        return re.findall(r'<tr class="gx-meeting"><td>([0-9-]*)</td>', meetings)
    status, _, full = workbench.get(url)
    assert status == 200 and 'id="gx-profile-limit"' not in full   # a few rows: under the page's limit
    full_meetings, full_directives = section(full, "gx-meetings", "gx-directives"), section(full, "gx-directives", "gx-co")
    assert len(dates(full_meetings)) >= 3 and full_directives.count('class="gx-directive"') >= 9
    status, _, one = workbench.get(url + "?limit=1")
    assert status == 200 and 'id="gx-profile-limit"' in one and 'href="?all=1"' in one
    meetings, directives = section(one, "gx-meetings", "gx-directives"), section(one, "gx-directives", "gx-co")
    assert dates(meetings) == [max(dates(full_meetings))]                      # the newest only
    assert directives.count('class="gx-directive"') == 1
    count = re.compile(r'<span class="gx-count">(\d+)</span>')
    assert count.findall(meetings) == count.findall(full_meetings)            # with the totals
    assert count.findall(directives) == count.findall(full_directives)
    status, _, every = workbench.get(url + "?limit=1&all=1")
    assert status == 200 and 'id="gx-profile-limit"' not in every
    assert section(every, "gx-directives", "gx-co") == full_directives


def test_every_quote_link_opens_the_viewer_at_exactly_that_text(workbench):
    _, _, page = workbench.get(person_url(workbench, ZHANG))
    quote_links = [(h, t) for h, t in parse(page).links if "?at=" in h]
    assert len(quote_links) >= 10
    for href, text in quote_links:
        m = re.match(r"^(/id/doc/[^?]+)\?at=(\d+)-(\d+)#at$", href)
        assert m, href
        doc, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        assert text.startswith("「") and text.endswith("」")
        status, _, viewer = workbench.get(href.split("#")[0])
        assert status == 200
        segments = re.findall(r'class="gx-seg[^"]*gx-target[^"]*"[^>]*data-start="(\d+)" data-end="(\d+)"', viewer)
        assert segments, href
        assert int(segments[0][0]) == start and int(segments[-1][1]) == end


def test_traditional_and_simplified_fold_together(workbench):
    assert fold("李強") == fold("李强") and fold("國務院") == "国务院"
    for query, name in (("張古江", ZHANG), ("李強", "李强")):
        status, _, html = workbench.get("/search?" + urlencode({"q": query}))
        assert status == 200
        assert any(t == name for h, t in parse(html).links if h.startswith("/id/person/")), query


def test_search_groups_results_by_kind_with_counts(workbench):
    _, _, html = workbench.get("/search?q=唐山")
    groups = dict(re.findall(r'data-kind="(\w+)" data-count="(\d+)"', html))
    assert {"Organization", "Directive", "Document"} <= set(groups), groups
    assert all(int(n) > 0 for n in groups.values())
    # full text: a phrase that is in a document's text but is no name
    _, _, html = workbench.get("/search?" + urlencode({"q": "实到2082人"}))
    assert re.search(r'data-kind="Document" data-count="1"', html) and "<mark>实到2082人</mark>" in html
    # the match links to the viewer at its offsets, where exactly that text is outlined
    link = re.search(r'<a class="gx-snippet-link" href="([^"]+)"><mark>实到2082人</mark>', html).group(1)
    _, _, viewer = workbench.get(link.replace("&amp;", "&").split("#")[0])
    outlined = re.findall(r'class="gx-seg[^"]*gx-target[^"]*"[^>]*>([^<]*)<', viewer)
    assert "".join(outlined) == "实到2082人"


def test_an_ambiguous_name_lists_the_candidates_and_what_tells_them_apart(workbench):
    status, _, html = workbench.get("/person?name=王海")
    assert status == 300
    rows = re.findall(r"<tr><td><a href=\"(/id/person/[^\"]+)\">王海</a>.*?</tr>", html, re.S)
    assert len(rows) == 2
    assert "保定市" in html and "唐山市" in html            # the places that tell them apart
    _, _, search = workbench.get("/search?q=王海")
    assert 'id="gx-namesakes"' in search and "2 people are named 王海" in search
    status, headers, _ = workbench.get("/person?name=" + ZHANG)
    assert status == 303 and headers["location"].startswith("/id/person/")


def test_listings_with_counts(workbench):
    for path, marker in (("/people", ZHANG), ("/organizations", "中共唐山市委员会"), ("/industries", "生物医药"),
                         ("/documents", "唐山市政协召开协商议政大会")):
        status, _, html = workbench.get(path)
        assert status == 200 and marker in html, path
        count = int(re.search(r'id="gx-listing-count">(\d+)<', html).group(1))
        assert count == html.count("<tr>") - 1 >= 3, path


def test_api_lists_queries_and_returns_the_cli_rows(workbench):
    status, headers, body = workbench.get("/api/queries")
    assert status == 200 and headers["content-type"].startswith("application/json")
    queries = {q["name"]: q for q in json.loads(body)["queries"]}
    assert "person_profile" in queries
    assert queries["person_profile"]["params"][0]["name"] == "person"
    iri = "https://w3id.org/guanxi/id/" + person_url(workbench, ZHANG)[len("/id/"):]
    cli = [sys.executable, "-m", "guanxi", "--store", str(workbench.store), "query", "person_profile",
           "--param", f"person={iri}"]
    for fmt in ("json", "csv"):
        expected = subprocess.run(cli + ["--format", fmt], capture_output=True, text=True, check=True).stdout
        status, headers, body = workbench.get("/api/queries/person_profile?" + urlencode({"person": iri, "format": fmt}))
        assert status == 200
        assert body == expected, fmt
    rows = list(csv.DictReader(io.StringIO(expected)))
    assert {r["label"] for r in rows if r["kind"] == "post"} == {"河北省委常委", "唐山市委书记"}


def test_api_errors_are_json_with_a_message(workbench):
    status, _, body = workbench.get("/api/queries/no_such_query")
    assert status == 404 and "no named query" in json.loads(body)["error"]
    status, _, body = workbench.get("/api/queries/person_profile")
    assert status == 400 and "parameter person is required" in json.loads(body)["error"]
    status, _, body = workbench.get("/api/queries/person_profile?person=not-an-iri")
    assert status == 400 and "must be an IRI" in json.loads(body)["error"]
    status, _, body = workbench.get("/api/queries/search?text=唐山&colour=red")
    assert status == 400 and "unknown parameter" in json.loads(body)["error"]
    status, _, body = workbench.get("/api/queries/search?text=唐山&format=xml")
    assert status == 400 and "format" in json.loads(body)["error"]


def test_openapi_describes_each_named_query(workbench):
    status, _, body = workbench.get("/openapi.json")
    spec = json.loads(body)
    op = spec["paths"]["/api/queries/person_profile"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["person", "since", "format"] and op["parameters"][0]["required"]
    assert not op["parameters"][1]["required"]                           # since: optional
    status, _, html = workbench.get("/api/docs")
    assert status == 200 and "GET /api/queries/person_profile" in html


def test_unknown_ids_and_bad_parameters_are_pages_not_tracebacks(workbench):
    cases = [("/id/person/nobody-0123456789abcdef", 404, "no person"),
             ("/id/doc/nothing-0123456789abcdef", 404, "no document"),
             ("/id/directive/x-0123456789abcdef", 404, "no directive"),
             ("/no/such/page", 404, "no such page"),
             ("/graph?center=x", 400, "center must be"),
             ("/graph?center=https://w3id.org/guanxi/id/person/a-0123456789abcdef&radius=9", 400, "radius must be between"),
             ("/graph?center=https://w3id.org/guanxi/id/person/a-0123456789abcdef&since=2025-13", 400, "YYYY-MM-DD"),
             ("/graph?center=https://w3id.org/guanxi/id/person/a-0123456789abcdef&classes=Planet", 400, "unknown class"),
             ("/search?q=x&kind=Planet", 400, "kind must be"),
             ("/person?name=", 400, "give a person"),
             ("/person?name=没有这个人", 404, "no person named")]
    for path, code, message in cases:
        status, headers, html = workbench.get(path)
        assert status == code, (path, status)
        assert "text/html" in headers["content-type"] and message in html, path
        assert "Traceback" not in html and "File \"" not in html
    doc = [h for h, _ in parse(workbench.get("/documents")[2]).links if h.startswith("/id/doc/")][0]
    for at, message in (("9-2", "outside"), ("abc", "START-END"), ("0-99999999", "outside")):
        status, _, html = workbench.get(f"{doc}?at={at}")
        assert status == 400 and message in html, at


def test_every_page_has_the_csp_and_no_inline_script_or_remote_reference(workbench):
    zhang = person_url(workbench, ZHANG)
    _, _, page = workbench.get(zhang)
    paths = ["/", "/search?q=唐山", "/people", "/organizations", "/industries", "/documents", "/api/docs", zhang]
    paths += [h for h, _ in parse(page).links if h.startswith(("/id/org/", "/id/meeting/", "/id/directive/", "/graph"))][:6]
    paths += [h.split("#")[0] for h, _ in parse(page).links if "?at=" in h][:1]
    for path in paths:
        status, headers, html = workbench.get(path.replace("&amp;", "&"))
        assert status == 200, path
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        links = parse(html)
        inline = [s for s in links.scripts if not s["src"] and s["type"] != "application/json"]
        assert not inline, (path, inline)
        assert all(s["src"] is None or s["src"].startswith("/static/") for s in links.scripts)
        assert links.style_attrs == 0, path            # the CSP forbids them: nothing may rely on them
        assert not remote_references(html), path
        assert not [h for h, _ in links.links if h.startswith(("http:", "https:", "//"))], path


def test_the_host_header_must_be_loopback(workbench):
    status, _, body = workbench.get("/", headers={"Host": "attacker.example"})
    assert status == 400 and "unknown Host" in body


def test_xss_document_is_escaped_in_every_page(workbench):
    _, _, html = workbench.get("/search?q=__xss")
    assert "<script>window.__xss" not in html and "&lt;script&gt;window.__xss" in html
    docs = [h for h, t in parse(html).links if h.startswith("/id/doc/")]
    assert docs
    _, _, viewer = workbench.get(docs[0])
    assert "<script>window" not in viewer and "<img src=x" not in viewer and "<svg onload" not in viewer
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in viewer


def test_serving_reads_the_store_while_an_ingest_writes_it(tmp_path):
    """The workbench opens the store read-only: an ingest can run beside it, and its documents show up."""
    store = build_store(tmp_path / "store", month=False)
    server = start_server(store)
    try:
        new = tmp_path / "new.txt"
        new.write_text("唐山劳动日报 2020年12月1日讯\n11月30日,市委书记张古江主持召开市委常委会议,市委副书记、市长丁绣峰出席。"
                       "会议强调,要扎实做好冬季安全生产工作。新来的人名卢森堡同志出席。\n", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "ingest", str(new), "--format", "json"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["documents"]["new"] == 1
        deadline = time.monotonic() + 20
        while True:
            _, _, html = server.get("/search?" + urlencode({"q": "冬季安全生产"}))
            if 'data-kind="Document"' in html:
                break
            assert time.monotonic() < deadline, "the new document never showed up"
            time.sleep(0.5)
    finally:
        server.stop()


def test_serve_without_a_store_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(tmp_path / "none"), "serve", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "is not a guanxi store" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    import signal

    server = start_server(build_store(tmp_path / "store", month=False))
    try:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
        assert "Traceback" not in server.process.stderr.read()
    finally:
        server.stop()


def test_an_industry_is_the_centre_of_its_network(workbench):
    _, _, listing = workbench.get("/industries")
    biomed = next(h for h, t in parse(listing).links if t == "生物医药")
    _, _, page = workbench.get(biomed)
    graph = next(h for h, _ in parse(page).links if h.startswith("/graph?"))
    status, _, html = workbench.get(graph.replace("&amp;", "&"))
    assert status == 200
    kinds = re.findall(r'<tr data-kind="(\w+)"', html)
    assert kinds[0] == "Industry" and kinds.count("Directive") >= 2   # the centre first, the directives concerning it
