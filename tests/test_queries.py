"""Named queries on the embedded store, the typed API (name resolution, candidates), networkx and view data."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from guanxi.api import Guanxi
from guanxi.graph import networkx_graph as nxg
from guanxi.queries import build_views as bv
from guanxi.queries import registry
from guanxi.queries.api import Ambiguous, NotFound, Queries
from guanxi.queries.backends import StoreBackend, is_iri_param
from guanxi.queries.registry import QueryError

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
KG = sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))
OUTLINE_DIRECTIVE = "要聚焦生物医药产业的发展"

EXPECTED_QUERIES = {
    "person_profile", "person_candidates", "person_card", "organization_candidates", "organization_card",
    "organization_roster", "meetings", "meeting_detail", "directives", "co_attendance", "connection_path", "timeline",
    "search", "links", "neighbours", "person_ids", "person_profile_counts",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("queries") / "store"
    with Guanxi(directory) as g:
        assert g.ingest(SEEDS + KG).ok
        yield g


@pytest.fixture(scope="module")
def q(store):
    return Queries(StoreBackend(store.store))


# ---- the registry ------------------------------------------------------------------------------------

def test_every_named_query_loads_with_matching_headers():
    reg = registry.registry()
    assert EXPECTED_QUERIES <= set(reg)
    for query in reg.values():
        assert query.description, query.name
        assert query.columns, query.name
        # SPARQL side: every parameter is a variable of the SELECT projection (pyoxigraph substitutions need it)
        select = query.sparql[query.sparql.index("SELECT"):query.sparql.index("WHERE")]
        for p in query.params:
            assert f"?{p.name}" in select, (query.name, p.name)
            assert f"${p.name}" in query.cypher, (query.name, p.name)
        for c in query.columns:
            assert f"?{c.name}" in query.sparql and c.name in query.cypher, (query.name, c.name)
        assert "ORDER BY" in query.sparql and "ORDER BY" in query.cypher, query.name


def test_iri_parameters_are_bound_as_iris(q):
    query = registry.registry()["person_profile"]
    assert is_iri_param(query.params[0])
    with pytest.raises(QueryError, match="must be an IRI"):
        q.run("person_profile", person="张古江")


def test_optional_parameters_use_coalesce_not_bound(store):
    """pyoxigraph folds BOUND(?x) to false when no pattern binds ?x, even if ?x is substituted; COALESCE works.
    The named queries therefore read optional parameters through BIND(COALESCE(?param, "") AS ?f)."""
    names = "SELECT ?x ?q WHERE { VALUES ?x { \"张古江\" \"王海\" } %s }"
    with_bound = names % 'FILTER(!BOUND(?q) || CONTAINS(?x, ?q))'
    with_coalesce = names % 'BIND(COALESCE(?q, "") AS ?f) FILTER(?f = "" || CONTAINS(?x, ?f))'
    subs = {"q": ox.Literal("张")}
    assert len(list(store.store.query(with_coalesce, subs))) == 1
    assert len(list(store.store.query(with_coalesce))) == 2
    # if pyoxigraph ever stops folding BOUND, this documents that the workaround is no longer needed
    assert len(list(store.store.query(with_bound, subs))) in (1, 2)
    for query in registry.registry().values():
        assert "BOUND(" not in query.sparql.replace("COALESCE", ""), query.name


# ---- people --------------------------------------------------------------------------------------------

def test_person_profile_of_zhang_gujiang(q):
    profile = q.person_profile("张古江")
    assert profile.person.person_name == "张古江"
    posts = {(r.label, r.organization): (r.date_from, r.date_to, r.quotes) for r in profile.posts}
    assert set(posts) == {("唐山市委书记", "中共唐山市委员会"), ("河北省委常委", "中共河北省委员会")}
    assert all(v[0] == v[1] == "2020-09-08" and v[2] for v in posts.values())
    assert posts[("唐山市委书记", "中共唐山市委员会")][2] == ("市委书记张古江",)
    [meeting] = profile.meetings
    assert (meeting.label, meeting.date_from, meeting.roles) == ("协商议政大会", "2020-09-07", ("attended", "spoke"))
    assert meeting.organization == "政协唐山市委员会" and meeting.quotes
    assert len(profile.directives) == 14
    for d in profile.directives:
        assert d.quotes and d.label in d.quotes and d.document_title == "唐山市政协召开协商议政大会"
        assert d.meeting == "协商议政大会" and d.organization == "中共唐山市委员会"
    assert any(d.label.startswith("一要着力在强化企业创新主体上实现新突破") for d in profile.directives)
    assert [doc[1] for doc in profile.documents()] == ["唐山市政协召开协商议政大会"]


def _newest(rows, n):
    """What a limit of n must keep, worked out from every row: per kind, the n newest (document date, document,
    item) pairs, in the query's order."""
    keep = set()
    for kind in ("post", "meeting", "directive"):
        pairs = sorted({(r.published or "", r.document, r.item) for r in rows if r.kind == kind}, reverse=True)[:n]
        keep |= {(kind, item, doc) for _, doc, item in pairs}
    return [r for r in rows if (r.kind, r.item, r.document) in keep]


def test_person_profile_limit_keeps_the_n_most_recent_rows_of_each_kind(q):
    people = [r.person for r in q.run("people")]
    assert len(people) > 10
    for person in people:
        full = q.person_profile(person)
        assert full.limit is None and full.complete
        assert full.counts == {kind: {"facts": len({r.item for r in full.of_kind(kind)}),
                                      "rows": len({(r.item, r.document) for r in full.of_kind(kind)}),
                                      "documents": len({r.document for r in full.of_kind(kind)})}
                               for kind in ("post", "meeting", "directive")}
        for n in (1, 2, 3, 5, 50):
            cut = q.person_profile(person, limit=n)
            assert cut.rows == _newest(full.rows, n), (person, n)
            assert cut.counts == full.counts and cut.limit == n        # the totals whatever the limit
            assert cut.complete == all(c["rows"] <= n for c in full.counts.values())
        assert q.person_profile(person, limit=0).rows == full.rows   # 0: all


def test_person_profile_limit_on_a_person_of_three_dated_documents(q):
    ding = q.person_profile("丁绣峰")
    assert sorted({r.published for r in ding.rows}) == ["2020-09-08", "2020-10-12", "2020-11-20"]
    assert ding.counts["post"] == {"facts": 2, "rows": 6, "documents": 3}
    assert len(ding.meetings) == 3 and len(ding.directives) == 9
    one = q.person_profile("丁绣峰", limit=1)
    assert not one.complete
    assert len(one.posts) == len(one.meetings) == len(one.directives) == 1
    # the newest of each kind: his meeting of 2020-11-20, not the two before
    assert [r.published for r in one.rows] == ["2020-11-20"] * 3
    assert one.meetings[0].label == "安全生产工作会议"
    two = q.person_profile("丁绣峰", limit=2)
    assert {r.published for r in two.meetings} == {"2020-11-20", "2020-10-12"}
    with pytest.raises(QueryError):
        q.person_profile("丁绣峰", limit=-1)


def test_person_profile_since_and_counts(q):
    for person in [r.person for r in q.run("people")]:
        full = q.run("person_profile", person=person)
        # person_profile_counts: the profile's facts, (fact, document) rows and documents per kind
        counts = {r.kind: (r.facts, r.rows, r.documents) for r in q.run("person_profile_counts", person=person)}
        for kind in ("post", "meeting", "directive"):
            rows = [r for r in full if r.kind == kind]
            expected = (len({r.item for r in rows}), len({(r.item, r.document) for r in rows}), len({r.document for r in rows}))
            assert counts.get(kind, (0, 0, 0)) == expected, (person, kind)
        for since in ("2020-09-08", "2020-10-01", "2020-11-20", "2021-01-01"):
            rows = q.run("person_profile", person=person, since=since)
            assert rows == [r for r in full if r.published and r.published >= since], (person, since)


def test_person_profile_limit_widens_a_window_that_is_too_short(q, monkeypatch):
    from guanxi.queries import api

    windows = []
    monkeypatch.setattr(api, "_window_days", lambda person, counts, limit: windows.append(1) or 1)
    ran = []
    original = q.run
    monkeypatch.setattr(q, "run", lambda name, **params: ran.append((name, params.get("since"))) or original(name, **params))
    for person in [r.person for r in q.run("people")]:
        full = q.person_profile(person)
        for n in (1, 2, 4):
            assert q.person_profile(person, limit=n).rows == _newest(full.rows, n), (person, n)
    assert windows
    sinces = [since for name, since in ran if name == "person_profile"]
    assert "2020-11-20" in sinces and "2020-11-19" in sinces and None in sinces   # 1 day, then 2, …, then all


def test_an_ambiguous_name_lists_candidates_and_never_chooses(q):
    with pytest.raises(Ambiguous) as exc:
        q.person_profile("王海")
    candidates = exc.value.candidates
    assert len(candidates) == 2 and exc.value.kind == "person"
    assert {c.places for c in candidates} == {("保定市",), ("唐山市",)}
    assert {c.posts for c in candidates} == {("保定市政府副市长",), ("唐山市政府副市长",)}
    tangshan = next(c for c in candidates if c.places == ("唐山市",))
    assert tangshan.documents == 3 and (tangshan.first_seen, tangshan.last_seen) == ("2020-09-08", "2020-11-20")
    # picked by IRI
    profile = q.person_profile(tangshan.person)
    assert {m.label for m in profile.meetings} == {"协商议政大会", "重点项目建设推进会", "安全生产工作会议"}


def test_unknown_names_suggest(q):
    with pytest.raises(NotFound) as exc:
        q.person_profile("王")
    assert {s.label for s in exc.value.suggestions} == {"王海", "王连灵"}
    with pytest.raises(NotFound):
        q.person_profile("https://w3id.org/guanxi/id/person/nobody-0000000000000000")


def test_co_attendance_and_path(q):
    rows = q.co_attendance("张古江")
    assert all(r.person_name == "张古江" for r in rows)
    ding = next(r for r in rows if r.other_name == "丁绣峰")
    assert ding.meetings == 1 and ding.meeting_labels == ("2020-09-07 协商议政大会",)
    everyone = q.co_attendance()
    assert len(everyone) % 2 == 0 and {(r.person, r.other) for r in everyone} == {(r.other, r.person) for r in everyone}
    path = q.connection_path("张古江", "刘志强")
    assert [r.node_name for r in path] == ["张古江", "协商议政大会", "丁绣峰", "重点项目建设推进会", "刘志强"]
    assert [r.via for r in path] == ["", "PARTICIPATED", "PARTICIPATED", "PARTICIPATED", "PARTICIPATED"]
    assert q.connection_path("张古江", "郭建英") == []   # Baoding: no link within one intermediary
    with pytest.raises(QueryError):
        q.connection_path("张古江", "张古江")


# ---- bodies, meetings, directives ----------------------------------------------------------------------

def test_organization_roster_and_timeline(q):
    roster = q.organization_roster("唐山市委")
    assert roster.organization.organization_name == "中共唐山市委员会" and roster.organization.kind == "party_committee"
    assert {(r.person_name, r.post) for r in roster.roster} >= {("张古江", "唐山市委书记"), ("丁绣峰", "唐山市委副书记")}
    ding = next(r for r in roster.roster if r.person_name == "丁绣峰")
    assert (ding.first_seen, ding.last_seen) == ("2020-09-08", "2020-11-20") and len(ding.documents) == 3
    with pytest.raises(Ambiguous):
        q.organization_roster("唐山")


def test_meetings_by_name_and_date(q):
    assert [m.meeting_name for m in q.meetings(since="2020-10-01", until="2020-10-31")] == ["重点项目建设推进会", "文化旅游产业发展大会"]
    detail = q.meeting_detail(date="2020-09-07")
    assert detail.meeting.meeting_name == "协商议政大会" and detail.meeting.participants == 16
    hu = next(p for p in detail.participants if p.person_name == "胡国辉")
    assert hu.roles == ("presided",) and hu.quotes
    assert len(detail.directives) == detail.meeting.directives == 19
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        q.meetings(date="2020/09/07")


def test_directives_filters(q):
    [d] = q.directives(industry="生物医药")
    assert d.content.startswith(OUTLINE_DIRECTIVE) and d.speaker_iri is None and d.body_name == "县人民政府"
    assert d.quotes == (d.content,) and d.industries == ("化工", "生物医药")
    assert d.parent_content == "一是要提升平台的承载力。"
    assert any(t.split("\x1e")[:1] == ["CONCERNS"] for t in d.targets)
    assert len(q.directives(speaker="张古江")) == 14
    assert len(q.directives(speaker="县人民政府")) == 39
    with pytest.raises(Ambiguous):
        q.directives(speaker="王海")
    assert {r.content for r in q.directives(addressee="各级")} >= {"各级各部门要切实扛起安全生产政治责任。"}
    dated = q.directives(since="2020-10-01", until="2020-10-31")
    assert dated and all("2020-10-01" <= r.date <= "2020-10-31" for r in dated)
    assert [r.content for r in q.directives(text="项目为王")] == ["要坚持项目为王,全力推动重点项目建设提速提效。"]
    assert q.directives(text="项目为王", since="2021-01-01") == []


def test_search_and_timeline(q):
    kinds = {(r.kind, r.label) for r in q.search("唐山")}
    assert ("Organization", "中共唐山市委员会") in kinds and ("Meeting", "协商议政大会") not in kinds
    assert [r.label for r in q.search("生物医药", "Industry")] == ["生物医药"]
    timeline = q.timeline("张古江")
    assert [t.date for t in timeline] == sorted(t.date or "" for t in timeline)
    assert {t.kind for t in timeline} == {"post", "meeting", "directive"}


# ---- networkx and views --------------------------------------------------------------------------------

def test_networkx_centrality_and_communities(q):
    co = nxg.co_attendance_graph(q)
    ranked = nxg.centrality(co, top=3)
    assert [r.rank for r in ranked] == [1, 2, 3] and ranked[0].name in {"丁绣峰", "王海"}
    groups = nxg.communities(co)
    assert sum(c.size for c in groups) == co.number_of_nodes()
    assert nxg.communities(co, "greedy")
    g = nxg.store_graph(q)
    zhang = q.resolve_person("张古江").person
    ego = nxg.ego(g, zhang, 1)
    assert ego.number_of_nodes() == 1 + 2 + 1 + 14


def test_views_and_dossier_take_every_row_of_the_profile(q, monkeypatch):
    asked = []
    original = q.person_profile

    def recording(ref, limit=None):
        asked.append(limit)
        return original(ref, limit=limit)

    monkeypatch.setattr(q, "person_profile", recording)
    bv.person_view(q, "丁绣峰", radius=1)
    html = bv.dossier_html(q, "丁绣峰", radius=1)
    assert asked and all(limit is None for limit in asked)
    ding = original("丁绣峰")
    assert all(d.label in html for d in ding.directives)     # all 9 directives, not the most recent few


def test_view_data(q):
    person = bv.person_view(q, "张古江", radius=1)
    assert len(person.nodes) == 1 + 2 + 1 + 14 and person.note is None
    held = [e for e in person.edges if e.kind == "HELD"]
    assert len(held) == 2 and all(any("「" in line for line in e.title_lines) for e in held)
    capped = bv.person_view(q, "张古江", radius=2, max_nodes=10)
    assert len(capped.nodes) == 10 and "left out" in capped.note
    directives = bv.directives_view(q, industry="生物医药")
    kinds = sorted(n.kind for n in directives.nodes)
    assert kinds == ["Directive", "Industry", "Industry", "Organization"]
    meeting = bv.meeting_view(q, date="2020-09-07")
    assert sum(n.kind == "Person" for n in meeting.nodes) == 16
    overview = bv.overview(q, classes=("Person", "Meeting"), min_degree=2, max_nodes=5)
    assert len(overview.nodes) == 5 and "left out" in overview.note and "over the cap" in overview.note
    with pytest.raises(QueryError):
        bv.overview(q, classes=("Nope",))
