"""``guanxi serve``: the workbench, a local read-only web application over a store directory.

Server-rendered pages (Jinja2, autoescaped) that read without JavaScript; the network views add vis-network,
served from the installed pyvis package. Every page carries a Content-Security-Policy that allows scripts,
styles, images and connections from the page's own origin only (no inline script at all: data travels in
``<script type="application/json">`` blocks, which are never executed), and nothing references another host.

Routes (all GET): ``/`` and ``/search?q=``; ``/people``, ``/organizations``, ``/industries``, ``/documents``;
``/person?name=`` (``/organization?name=``) resolving a name — one match redirects, several list the
candidates and what tells them apart (300), none says so (404); entity pages at ``/id/<kind>/<…>``, the path of
the entity's IRI under ``https://w3id.org/guanxi/id/``; the document viewer at ``/id/doc/<…>?at=START-END``;
``/graph?center=IRI&…`` (filters); ``/api/queries``, ``/api/queries/NAME?param=…[&format=csv]``,
``/openapi.json`` and ``/api/docs``.
"""
from __future__ import annotations

import csv
import io
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from guanxi.ontology.iri import ID_BASE, readable
from guanxi.queries import registry
from guanxi.queries.api import Ambiguous, NotFound, Queries, check_date
from guanxi.queries.backends import StoreBackend
from guanxi.queries.build_views import NODE_KINDS, ROLE_ZH
from guanxi.queries.registry import QueryError
from guanxi.workbench import graphs
from guanxi.workbench.reader import StoreReader
from guanxi.workbench.search import KINDS, SearchIndex, fold

__all__ = ["create_app", "CSP", "entity_url"]

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
PAGE_KINDS = {"person": "Person", "org": "Organization", "meeting": "Meeting", "directive": "Directive",
              "industry": "Industry", "addressee": "Addressee"}
KIND_PATH = {v: k for k, v in PAGE_KINDS.items()} | {"Document": "doc"}
KIND_ZH = {"Person": "人物 people", "Organization": "机构 bodies", "Meeting": "会议 meetings", "Directive": "部署 directives",
           "Industry": "产业 industries", "Addressee": "对象 addressees", "Document": "文档 documents"}
SECTION_ROWS = 150     # rows per section of an entity page unless ?all=1 (a hub has thousands: pages of megabytes)
_SPAN = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_IRI_PATH = re.compile(r"^[A-Za-z0-9%._~-]+$")


class BadRequest(Exception):
    """A bad parameter: answered 400 with the message."""


class PageNotFound(Exception):
    """An unknown id or name: answered 404 with the message (and suggestions)."""

    def __init__(self, message: str, suggestions: list[Any] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def entity_url(iri: str | None) -> str | None:
    """The workbench page of an entity IRI (``/id/…``), or None for IRIs outside guanxi's namespace."""
    if not iri or not iri.startswith(ID_BASE):
        return None
    rest = iri[len(ID_BASE):]
    kind, _, tail = rest.partition("/")
    if kind not in PAGE_KINDS and kind != "doc" or not _IRI_PATH.match(tail):
        return None
    return "/id/" + rest


def viewer_url(document: str | None, start: int | None = None, end: int | None = None) -> str | None:
    """The document viewer at a span: ``/id/doc/…?at=START-END#at``."""
    base = entity_url(document)
    if base is None:
        return None
    if start is None or end is None:
        return base
    return f"{base}?at={int(start)}-{int(end)}#at"


# --------------------------------------------------------------------------------------------------
# state shared by the requests: the store snapshot, its queries and search index
# --------------------------------------------------------------------------------------------------

@dataclass
class _Cache:
    generation: int
    index: SearchIndex | None = None
    listings: dict[str, list] | None = None


class Workbench:
    def __init__(self, store_dir: str | Path):
        self.reader = StoreReader(store_dir)
        self.store_dir = Path(store_dir)
        self._cache: _Cache | None = None
        self._lock = threading.Lock()

    def snapshot(self):
        return self.reader.current()

    def queries(self) -> Queries:
        return Queries(StoreBackend(self.snapshot()))

    def _state(self) -> _Cache:
        snap = self.snapshot()
        with self._lock:
            if self._cache is None or self._cache.generation != snap.generation:
                self._cache = _Cache(snap.generation)
            return self._cache

    def listing(self, name: str) -> list:
        state = self._state()
        with self._lock:
            if state.listings is None:
                state.listings = {}
            if name not in state.listings:
                state.listings[name] = registry.run(StoreBackend(self.snapshot()), name)
            return state.listings[name]

    def warm(self) -> None:
        """Build the listings and the search index (run in the background when the app starts)."""
        try:
            for name in ("people", "organizations", "industries", "documents"):
                self.listing(name)
            self.index()
        except Exception:  # a request will meet the same problem and report it
            pass

    def index(self) -> SearchIndex:
        state = self._state()
        with self._lock:
            if state.index is None:
                snap = self.snapshot()
                backend = StoreBackend(snap)
                state.index = SearchIndex.build(registry.run(backend, "searchable"), registry.run(backend, "documents"),
                                                snap.texts())
            return state.index


# --------------------------------------------------------------------------------------------------
# helpers used by the templates
# --------------------------------------------------------------------------------------------------

def _roles(roles: Any) -> str:
    return "、".join(f"{ROLE_ZH.get(r, r)}" for r in roles or ())


class Evidence:
    """The spans of an entity's facts (the ``evidence`` query), to link every quote to the viewer."""

    def __init__(self, rows: list[Any]):
        self.by_item_doc: dict[tuple[str, str], list[Any]] = {}
        for r in rows:
            self.by_item_doc.setdefault((r.item, r.document), []).append(r)

    def quotes(self, item: str, document: str, quotes: Any = ()) -> list[tuple[str, str | None]]:
        """(quote, viewer URL at its span) for each quote of a fact in a document."""
        spans = self.by_item_doc.get((item, document), [])
        out = []
        for text in quotes or ():
            match = next((s for s in spans if s.exact == text), None)
            out.append((text, viewer_url(document, match.start, match.end) if match else viewer_url(document)))
        if not quotes:
            out = [(s.exact, viewer_url(document, s.start, s.end)) for s in spans]
        return out


def _query_params_multi(request: Request, name: str) -> list[str]:
    values = []
    for v in request.query_params.getlist(name):
        values.extend(x.strip() for x in v.split(",") if x.strip())
    return values


def _int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, got {raw!r}") from None
    if not lo <= value <= hi:
        raise BadRequest(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _date_param(request: Request, name: str) -> str | None:
    try:
        return check_date(request.query_params.get(name) or None, name)
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


# --------------------------------------------------------------------------------------------------
# the application
# --------------------------------------------------------------------------------------------------

def create_app(store_dir: str | Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The workbench over the store in ``store_dir`` (opened read-only; fails at once if there is none)."""
    import jinja2
    from guanxi.queries.views import VIS_VERSION, _pyvis_lib_dir, script_json

    from guanxi import __version__

    wb = Workbench(store_dir)
    # the search index and the listings of a big store take seconds: build them now, not on the first request
    threading.Thread(target=wb.warm, name="guanxi-warm", daemon=True).start()
    app = FastAPI(title="guanxi workbench", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Read-only access to a guanxi knowledge graph: the named queries (the same rows as "
                              "`guanxi query NAME --format json`), and the workbench's pages.")
    app.state.workbench = wb
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(entity_url=entity_url, viewer_url=viewer_url, readable=readable, roles=_roles,
                       KIND_ZH=KIND_ZH, version=__version__, urlencode=urlencode)
    vis_dir = _pyvis_lib_dir()
    hosts = set(allowed_hosts or ["127.0.0.1", "localhost", "[::1]"])

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status)

    @app.middleware("http")
    async def security(request: Request, call_next: Callable) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0] if not (request.headers.get("host") or "").startswith("[") \
            else (request.headers.get("host") or "").split("]")[0] + "]"
        if host not in hosts:
            # DNS rebinding: a page on another site resolving its name to 127.0.0.1 must not read the graph
            response: Response = Response(f"unknown Host {host!r}", status_code=400, media_type="text/plain")
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    # ---- errors: pages for people, JSON for the API, never a traceback --------------------------------------

    def _wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(BadRequest)
    @app.exception_handler(QueryError)
    async def bad_request(request: Request, exc: Exception) -> Response:
        if isinstance(exc, NotFound):
            return await not_found(request, PageNotFound(str(exc), exc.suggestions))
        if _wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return page("error.html.j2", 400, title="bad request", message=str(exc), suggestions=[])

    @app.exception_handler(PageNotFound)
    async def not_found(request: Request, exc: PageNotFound) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return page("error.html.j2", 404, title="not found", message=str(exc), suggestions=exc.suggestions)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return page("error.html.j2", exc.status_code, title=message, message=f"{request.url.path}: {message}", suggestions=[])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return await bad_request(request, BadRequest("; ".join(str(e.get("msg")) for e in exc.errors())))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        message = f"the workbench failed on this request ({type(exc).__name__}); the store was not changed"
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=500)
        return page("error.html.j2", 500, title="error", message=message, suggestions=[])

    # ---- static assets -----------------------------------------------------------------------------------

    app.mount("/static/gx", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/static/vis/{name}", include_in_schema=False)
    def vis_asset(name: str) -> FileResponse:
        files = {"vis-network.min.js": "application/javascript", "vis-network.css": "text/css"}
        if name not in files:
            raise PageNotFound(f"no asset {name}")
        return FileResponse(vis_dir / name, media_type=files[name])

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/gx/favicon.svg", status_code=301)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        snap = wb.snapshot()
        return JSONResponse({"ok": True, "documents": len(snap.doc_ids), "vis": VIS_VERSION})

    # ---- home, search, listings ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        counts = {"people": len(wb.listing("people")), "organizations": len(wb.listing("organizations")),
                  "industries": len(wb.listing("industries")), "documents": len(wb.listing("documents"))}
        top = wb.listing("people")[:15]
        return page("home.html.j2", title="guanxi", counts=counts, top=top, q="")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: str = "", kind: str = "") -> HTMLResponse:
        q = q.strip()
        if kind and kind not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if len(q) > 200:
            raise BadRequest("the search text is longer than 200 characters")
        results = wb.index().search(q, kind or None) if q else {}
        people = {r.person: r for r in wb.listing("people")}
        orgs = {r.organization: r for r in wb.listing("organizations")}
        docs = {r.document: r for r in wb.listing("documents")}
        namesakes: list[Any] = []
        folded = fold(q)
        exact = [h for h in results.get("Person", []) if any(fold(m) == folded for m in [h.label, *h.matched])]
        if len(exact) > 1:  # several people are named exactly so: list what tells them apart (an 0.8 s query on a year)
            name = next(m for m in [exact[0].label, *exact[0].matched] if fold(m) == folded)
            namesakes = wb.queries().person_candidates(name)
        return page("search.html.j2", title=f"{q} — search" if q else "search", q=q, kind=kind, results=results,
                    people=people, orgs=orgs, docs=docs, namesakes=namesakes if len(namesakes) > 1 else [], KINDS=KINDS)

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page() -> HTMLResponse:
        return page("listing.html.j2", title="people", rows=wb.listing("people"), what="people")

    @app.get("/organizations", response_class=HTMLResponse, include_in_schema=False)
    def organizations_page() -> HTMLResponse:
        return page("listing.html.j2", title="bodies", rows=wb.listing("organizations"), what="organizations")

    @app.get("/industries", response_class=HTMLResponse, include_in_schema=False)
    def industries_page() -> HTMLResponse:
        return page("listing.html.j2", title="industries", rows=wb.listing("industries"), what="industries")

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page() -> HTMLResponse:
        return page("listing.html.j2", title="documents", rows=wb.listing("documents"), what="documents")

    # ---- names to pages: one match redirects, several are listed, none is a 404 -----------------------------

    @app.get("/person", include_in_schema=False)
    def person_by_name(name: str = "") -> Response:
        if not name.strip():
            raise BadRequest("give a person's name: /person?name=…")
        try:
            row = wb.queries().resolve_person(name.strip())
        except Ambiguous as exc:
            return page("candidates.html.j2", 300, title=f"{name} — {len(exc.candidates)} people", name=name,
                        message=str(exc).replace(" (--id)", ""), kind="person", candidates=exc.candidates)
        return RedirectResponse(entity_url(row.person) or "/", status_code=303)

    @app.get("/organization", include_in_schema=False)
    def organization_by_name(name: str = "") -> Response:
        if not name.strip():
            raise BadRequest("give a body's name: /organization?name=…")
        try:
            row = wb.queries().resolve_organization(name.strip())
        except Ambiguous as exc:
            return page("candidates.html.j2", 300, title=f"{name} — {len(exc.candidates)} bodies", name=name,
                        message=str(exc).replace(" (--id)", ""), kind="organization", candidates=exc.candidates)
        return RedirectResponse(entity_url(row.organization) or "/", status_code=303)

    # ---- entity pages ---------------------------------------------------------------------------------------

    def embedded(q: Queries, kind: str, iri: str, name: str) -> dict[str, Any]:
        """The radius-1 network drawn on an entity's own page (the /graph page has the filters)."""
        filters = graphs.GraphFilters(radius=1, max_nodes=80)
        data = graphs.ego_graph(q, iri, name, kind, filters)
        return {"json": script_json(graphs.vis_data(data, entity_url)), "note": data.note(filters),
                "nodes": len(data.nodes), "edges": len(data.edges), "iri": iri}

    def _iri(request: Request, kind: str, rest: str) -> str:
        raw = request.scope.get("raw_path", b"").decode("ascii", "replace")
        tail = raw.split(f"/id/{kind}/", 1)[1] if f"/id/{kind}/" in raw else quote(rest, safe="-_.~")
        if not _IRI_PATH.match(tail):
            raise PageNotFound(f"/id/{kind}/{rest} is not a guanxi id")
        return f"{ID_BASE}{kind}/{tail}"

    @app.get("/id/person/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, rest: str, all: str = "", limit: int = SECTION_ROWS) -> HTMLResponse:
        iri = _iri(request, "person", rest)
        q = wb.queries()
        try:
            # the `limit` (default SECTION_ROWS) most recent rows of each kind, unless ?all=1: a hub has tens of
            # thousands (seconds to query, megabytes of page)
            profile = q.person_profile(iri, limit=None if all else max(1, limit))
        except NotFound:
            raise PageNotFound(f"no person {readable(iri)} in this store") from None
        evidence = Evidence(q.run("evidence", entity=iri))
        co = q.run("co_attendance", person=iri)
        # the co-attendance rows list meeting IRIs and labels as two sorted lists: name each IRI from the profile
        meeting_names = {r.meeting_iri: f"{r.date_from or ''} {r.label}".strip() for r in profile.meetings}
        return page("person.html.j2", title=profile.person.person_name, p=profile.person, profile=profile,
                    meeting_names=meeting_names, limit=None if all else SECTION_ROWS,
                    posts=_group(profile.posts), meetings=_group(profile.meetings), directives=profile.directives,
                    co=co, documents=profile.documents(), ev=evidence, bars=_bars(_group(profile.posts)), iri=iri,
                    network=embedded(q, "Person", iri, profile.person.person_name))

    @app.get("/id/org/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def org_page(request: Request, rest: str) -> HTMLResponse:
        iri = _iri(request, "org", rest)
        q = wb.queries()
        try:
            roster = q.organization_roster(iri)
        except NotFound:
            raise PageNotFound(f"no body {readable(iri)} in this store") from None
        evidence = Evidence(q.run("evidence", entity=iri))
        directives = q.directives(speaker=iri) + q.run("directives", addressee=iri)
        return page("organization.html.j2", title=roster.organization.organization_name, o=roster.organization,
                    roster=roster.roster, timeline=[t for t in roster.timeline if t.kind not in ("post",)],
                    directives=_unique(directives, "directive", "document"), ev=evidence, iri=iri,
                    bars=_bars_roster(roster.roster),
                    network=embedded(q, "Organization", iri, roster.organization.organization_name))

    @app.get("/id/meeting/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def meeting_page(request: Request, rest: str) -> HTMLResponse:
        iri = _iri(request, "meeting", rest)
        q = wb.queries()
        try:
            detail = q.meeting_detail(iri)
        except NotFound:
            raise PageNotFound(f"no meeting {readable(iri)} in this store") from None
        evidence = Evidence(q.run("evidence", entity=iri))
        return page("meeting.html.j2", title=detail.meeting.meeting_name, m=detail.meeting,
                    participants=detail.participants, directives=detail.directives, ev=evidence, iri=iri,
                    network=embedded(q, "Meeting", iri, detail.meeting.meeting_name))

    @app.get("/id/directive/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def directive_page(request: Request, rest: str) -> HTMLResponse:
        iri = _iri(request, "directive", rest)
        q = wb.queries()
        rows = q.run("directive_card", directive=iri)
        if not rows:
            raise PageNotFound(f"no directive {readable(iri)} in this store")
        evidence = Evidence(q.run("evidence", entity=iri))
        children = [r for r in q.run("neighbours", node=iri) if r.relation == "PART_OF" and r.target == iri]
        return page("directive.html.j2", title=rows[0].content[:40], d=rows[0], rows=rows, ev=evidence, iri=iri,
                    targets=_targets(rows[0].targets), children=children)

    @app.get("/id/industry/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def industry_page(request: Request, rest: str) -> HTMLResponse:
        iri = _iri(request, "industry", rest)
        row = next((r for r in wb.listing("industries") if r.industry == iri), None)
        if row is None:
            raise PageNotFound(f"no industry {readable(iri)} in this store")
        q = wb.queries()
        directives = q.run("directives", industry=iri)
        return page("industry.html.j2", title=row.industry_name, i=row, directives=directives,
                    ev=Evidence(q.run("evidence", entity=iri)), iri=iri)

    @app.get("/id/addressee/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def addressee_page(request: Request, rest: str) -> HTMLResponse:
        iri = _iri(request, "addressee", rest)
        q = wb.queries()
        directives = q.run("directives", addressee=iri)
        names = [r for r in q.run("neighbours", node=iri) if r.target == iri]
        if not directives and not names:
            raise PageNotFound(f"no addressee {readable(iri)} in this store")
        name = names[0].target_name if names else readable(iri)
        return page("industry.html.j2", title=name, i=None, name=name, directives=directives,
                    ev=Evidence(q.run("evidence", entity=iri)), iri=iri)

    @app.get("/id/doc/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, rest: str, at: str = "") -> HTMLResponse:
        iri = _iri(request, "doc", rest)
        q = wb.queries()
        rows = q.run("documents", document=iri)
        if not rows:
            raise PageNotFound(f"no document {readable(iri)} in this store")
        text = wb.snapshot().text(iri)
        if text is None:
            raise PageNotFound(f"the store has no text for {readable(iri)} (ingest it again)")
        target = None
        if at:
            m = _SPAN.match(at)
            if not m:
                raise BadRequest(f"at must be START-END (character offsets), got {at!r}")
            target = (int(m.group(1)), int(m.group(2)))
            if not 0 <= target[0] < target[1] <= len(text):
                raise BadRequest(f"at={at} is outside the document's text (0–{len(text)})")
        facts = q.run("document_facts", document=iri)
        from guanxi.workbench.highlight import highlight

        body = highlight(text, facts, target, entity_url)
        return page("document.html.j2", title=rows[0].title or readable(iri), d=rows[0], body=body, facts=facts,
                    target=target, doc_id=wb.snapshot().doc_id(iri), text_length=len(text), iri=iri)

    # ---- graph views ----------------------------------------------------------------------------------------

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(request: Request, center: str = "", find: str = "") -> HTMLResponse:
        if not center:
            raise BadRequest("give the centre of the network: /graph?center=IRI")
        kind_path = center[len(ID_BASE):].split("/", 1)[0] if center.startswith(ID_BASE) else ""
        kind = PAGE_KINDS.get(kind_path)
        if kind is None:
            raise BadRequest(f"center must be the IRI of a person, body, meeting, directive, industry or addressee, got {center!r}")
        classes = _query_params_multi(request, "classes") or list(graphs.DEFAULT_CLASSES)
        unknown = [c for c in classes if c not in NODE_KINDS]
        if unknown:
            raise BadRequest(f"unknown class(es) {', '.join(unknown)}; use {', '.join(NODE_KINDS)}")
        filters = graphs.GraphFilters(radius=_int_param(request, "radius", 2, 1, 3), classes=tuple(classes),
                                      since=_date_param(request, "since"), until=_date_param(request, "until"),
                                      min_degree=_int_param(request, "min_degree", 1, 1, 50),
                                      max_nodes=_int_param(request, "max_nodes", 150, 10, 1000))
        if filters.since and filters.until and filters.since > filters.until:
            raise BadRequest(f"since {filters.since} is after until {filters.until}")
        q = wb.queries()
        name = _name_of(q, wb, kind, center)
        data = graphs.ego_graph(q, center, name, kind, filters, find=find.strip() or None)
        vis = graphs.vis_data(data, entity_url)
        found = [n for n in data.nodes.values() if n.found]
        return page("graph.html.j2", title=f"{name} — network", name=name, center=center, kind=kind, filters=filters,
                    data=data, data_json=script_json(vis), note=data.note(filters), find=find, found=found,
                    NODE_KINDS=NODE_KINDS)

    # ---- the API --------------------------------------------------------------------------------------------

    def _describe(query: Any) -> dict[str, Any]:
        return {"name": query.name, "description": query.description,
                "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                           for p in query.params],
                "columns": [{"name": c.name, "type": c.type} for c in query.columns],
                "url": f"/api/queries/{query.name}"}

    @app.get("/api/queries", tags=["queries"], summary="The named queries, with their parameters and columns")
    def list_queries() -> JSONResponse:
        return JSONResponse({"queries": [_describe(q) for q in registry.registry().values()]})

    def _run_query(name: str, request: Request) -> Response:
        query = registry.registry().get(name)
        if query is None:
            raise PageNotFound(f"no named query {name!r}; GET /api/queries lists them")
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest(f"format must be json or csv, got {fmt!r}")
        rows = registry.run(StoreBackend(wb.snapshot()), name, params)
        if fmt == "csv":
            return Response(rows_csv(rows, [c.name for c in query.columns]), media_type="text/csv; charset=utf-8")
        return Response(rows_json(rows), media_type="application/json")

    for query in registry.registry().values():
        parameters = [{"name": p.name, "in": "query", "required": not p.optional, "description": p.description,
                       "schema": {"type": "integer" if p.type == "int" else "string",
                                  **({"format": "date"} if p.type == "date" else {})}} for p in query.params]
        parameters.append({"name": "format", "in": "query", "required": False, "description": "json (default) or csv",
                           "schema": {"type": "string", "enum": ["json", "csv"]}})
        columns = {c.name: {"type": "array", "items": {"type": "string"}} if c.type == "list"
                   else {"type": "integer" if c.type == "int" else "string", "nullable": True} for c in query.columns}

        app.add_api_route(f"/api/queries/{query.name}", _endpoint(query.name, _run_query), methods=["GET"], tags=["queries"],
                          summary=query.description, name=f"query_{query.name}",
                          openapi_extra={"parameters": parameters, "responses": {"200": {"description": "rows", "content": {
                              "application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": columns}}},
                              "text/csv": {"schema": {"type": "string"}}}}, "400": {"description": "a bad parameter"}}})

    @app.get("/api/queries/{name}", include_in_schema=False)
    def unknown_query(name: str) -> Response:
        raise PageNotFound(f"no named query {name!r}; GET /api/queries lists them")

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return page("api.html.j2", title="API", spec=app.openapi(), queries=list(registry.registry().values()))

    return app


def _endpoint(name: str, run: Callable[[str, Request], Response]) -> Callable[[Request], Response]:
    """The handler of /api/queries/NAME (its parameters are documented through openapi_extra, read by hand)."""
    def endpoint(request: Request) -> Response:
        return run(name, request)

    endpoint.__name__ = f"query_{name}"
    return endpoint


def rows_json(rows: list[Any]) -> str:
    """The rows as ``guanxi query NAME --format json`` prints them."""
    from guanxi.queries.commands import _plain

    return json.dumps(_plain(rows), ensure_ascii=False, indent=2) + "\n"


def rows_csv(rows: list[Any], columns: list[str]) -> str:
    """The rows as ``guanxi query NAME --format csv`` prints them."""
    from guanxi.queries.commands import _cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(getattr(r, c)) for c in columns])
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# page data
# --------------------------------------------------------------------------------------------------

@dataclass
class Fact:
    """A post / meeting of a person (its rows, one per document, merged)."""

    item: str
    label: str
    organization: str | None
    organization_iri: str | None
    meeting_iri: str | None
    date_from: str | None
    date_to: str | None
    roles: tuple
    sources: list[Any]     # the rows (document, quotes...)


def _group(rows: list[Any]) -> list[Fact]:
    facts: dict[str, Fact] = {}
    for r in rows:
        f = facts.get(r.item)
        if f is None:
            facts[r.item] = Fact(r.item, r.label, r.organization, r.organization_iri, r.meeting_iri, r.date_from,
                                 r.date_to, tuple(r.roles), [r])
            continue
        f.sources.append(r)
        f.roles = tuple(sorted(set(f.roles) | set(r.roles)))
        dates = [d for d in (f.date_from, r.date_from) if d]
        f.date_from = min(dates) if dates else None
        dates = [d for d in (f.date_to, r.date_to) if d]
        f.date_to = max(dates) if dates else None
    return sorted(facts.values(), key=lambda f: (f.date_from or "", f.label or "", f.item))


def _bars(posts: list[Fact]) -> dict[str, Any]:
    import datetime as dt

    dated = [f for f in posts if f.date_from]
    if not dated:
        return {"bars": [], "lo": "", "hi": "", "height": 0}
    lo = min(dt.date.fromisoformat(f.date_from) for f in dated)
    hi = max(dt.date.fromisoformat(f.date_to or f.date_from) for f in dated)
    span = max((hi - lo).days, 1)
    bars = []
    for i, f in enumerate(dated):
        a, z = dt.date.fromisoformat(f.date_from), dt.date.fromisoformat(f.date_to or f.date_from)
        bars.append({"label": f.label, "org": f.organization or "", "from": f.date_from, "to": f.date_to or f.date_from,
                     "x": round(220 + 460 * (a - lo).days / span, 1), "w": round(max(460 * (z - a).days / span, 6), 1),
                     "y": 24 + 24 * i})
    return {"bars": bars, "lo": lo.isoformat(), "hi": hi.isoformat(), "height": 24 + 24 * len(bars) + 24}


def _bars_roster(roster: list[Any]) -> dict[str, Any]:
    facts = [Fact(r.tenure, f"{r.person_name} {r.post}", None, None, None, r.first_seen, r.last_seen, (), [r])
             for r in roster]
    return _bars(sorted(facts, key=lambda f: (f.date_from or "", f.label)))


def _unique(rows: list[Any], *keys: str) -> list[Any]:
    seen, out = set(), []
    for r in rows:
        k = tuple(getattr(r, x) for x in keys)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return sorted(out, key=lambda r: (r.date or "", r.document, r.position or 0, r.directive))


def _targets(targets: Any) -> list[dict[str, str]]:
    out = []
    for t in targets or ():
        parts = t.split("\x1e")
        if len(parts) == 4:
            out.append({"relation": parts[0], "iri": parts[1], "kind": parts[2], "name": parts[3]})
    return out


def _name_of(q: Queries, wb: Workbench, kind: str, iri: str) -> str:
    if kind == "Person":
        return q.resolve_person(iri).person_name
    if kind == "Organization":
        return q.resolve_organization(iri).organization_name
    if kind == "Meeting":
        return q.resolve_meeting(iri).meeting_name
    if kind == "Directive":
        rows = q.run("directive_card", directive=iri)
        if not rows:
            raise PageNotFound(f"no directive {readable(iri)}")
        return rows[0].content
    if kind == "Industry":
        row = next((r for r in wb.listing("industries") if r.industry == iri), None)
        if row is None:
            raise PageNotFound(f"no industry {readable(iri)}")
        return row.industry_name
    rows = [r for r in q.run("neighbours", node=iri) if r.target == iri]
    if not rows:
        raise PageNotFound(f"no addressee {readable(iri)}")
    return rows[0].target_name
