"""Entity resolution: the rule (graph/resolution.py), resolution links, and manual merge/unmerge."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guanxi.api import Guanxi, GuanxiError
from guanxi.graph import resolution
from guanxi.graph.resolution import Context, Decisions, PostBody, context_for, person_for
from guanxi.ontology import iri

KG = Path(__file__).parent / "fixtures" / "kg"
TANGSHAN, HEBEI, BAODING, LUBEI = "130200000000", "130000000000", "130600000000", "130203000000"
NAMES = {TANGSHAN: "唐山市", HEBEI: "河北省", BAODING: "保定市", LUBEI: "路北区"}


# ---- the rule (pure) -------------------------------------------------------------------------------

def test_most_specific_domestic_jurisdiction_wins():
    bodies = [PostBody(HEBEI, "province"), PostBody(TANGSHAN, "prefecture")]
    assert context_for(bodies, None, "d", NAMES) == Context(TANGSHAN, "唐山市", "place")
    bodies.append(PostBody(LUBEI, "county"))
    assert context_for(bodies, None, "d", NAMES).key == LUBEI
    # national bodies lose against any local post (中央政治局委员、北京市委书记 is Beijing's)
    assert context_for([PostBody("000000000000", "national"), PostBody(TANGSHAN, "prefecture")], None, "d").key == TANGSHAN


def test_national_foreign_document_and_isolated_contexts():
    assert context_for([PostBody("000000000000", "national")], (TANGSHAN, "唐山市"), "d").key == resolution.NATIONAL
    assert context_for([PostBody(None, None, "美国")], None, "d").key == "foreign:美国"
    assert context_for([], (TANGSHAN, "唐山市"), "d") == Context(TANGSHAN, "唐山市", "document")
    assert context_for([PostBody(None, None)], None, "doc-7") == Context("doc:doc-7", "document doc-7", "isolated")


def test_same_name_same_place_is_one_iri_different_place_two():
    ts = context_for([PostBody(TANGSHAN, "prefecture")], None, "a", NAMES)
    ts_bare = context_for([], (TANGSHAN, "唐山市"), "b", NAMES)
    bd = context_for([PostBody(BAODING, "prefecture")], None, "c", NAMES)
    assert person_for("王海", ts, "a") == person_for("王海", ts_bare, "b") != person_for("王海", bd, "c")


def test_decisions_merge_chains_and_unmerge():
    a, b, c = (iri.person_iri("王海", k) for k in ("x", "y", "z"))
    ctx = Context("x", "x", "place")
    decisions = Decisions(merges={a: b, b: c})
    assert person_for("王海", ctx, "d1", decisions) == c
    assert Decisions(merges={a: b, b: a}).follow(a) in (a, b)  # a cycle terminates
    split = Decisions(merges={a: b}, unmerges=frozenset({(b, "d2")}))
    assert person_for("王海", ctx, "d1", split) == b
    assert person_for("王海", ctx, "d2", split) == iri.person_iri("王海", "doc:d2")
    assert Decisions.from_json(split.to_json()) == split


def test_rule_reason_text():
    assert resolution.rule_reason("张古江", ["唐山市"]) == "same name 张古江 and same jurisdiction 唐山市"
    assert "national" in resolution.rule_reason("王沪宁", [resolution.NATIONAL_LABEL])


# ---- in a store ----------------------------------------------------------------------------------------

PEOPLE_NAMED = """
SELECT DISTINCT ?p ?name WHERE { ?p a gx:Person ; gx:name ?name } ORDER BY ?p
"""
LINKS_OF = """
SELECT DISTINCT ?p ?link ?reason ?by ?from WHERE { ?link a gx:ResolutionLink ; gx:mergedInto ?p ; gx:reason ?reason ;
  gx:decidedBy ?by ; gx:mergedFrom ?from } ORDER BY ?link
"""
EVIDENCE = "SELECT DISTINCT ?link ?e WHERE { ?link gx:evidence ?e }"
DATES = """
SELECT DISTINCT ?p ?first ?last WHERE { ?t gx:holder ?p ; gx:post/gx:title "副市长" ;
  gx:firstAttested ?first ; gx:lastAttested ?last }
"""


def people(gx: Guanxi, name: str) -> list[str]:
    return [r["p"].value for r in gx.sparql(PEOPLE_NAMED, {"name": name})]


def place_of(gx: Guanxi, person: str) -> str:
    rows = gx.sparql("SELECT ?p ?where WHERE { ?p dcterms:spatial/gx:name ?where }", {"p": _node(person)})
    return sorted(r["where"].value for r in rows)[0]


def _node(value: str):
    import pyoxigraph as ox

    return ox.NamedNode(value)


@pytest.fixture
def store(tmp_path):
    with Guanxi(tmp_path / "kg") as gx:
        report = gx.ingest([str(KG / "tangshan_a.txt"), str(KG / "baoding.txt"), str(KG / "tangshan_b.txt")])
        assert report.ok and len(report.new) == 3
        yield gx


def test_namesakes_in_two_cities_stay_two_people(store):
    wang = people(store, "王海")
    assert len(wang) == 2
    assert sorted(place_of(store, p) for p in wang) == ["保定市", "唐山市"]


def test_same_official_in_two_reports_of_one_city_is_one_person_with_links(store):
    tangshan = [p for p in people(store, "王海") if place_of(store, p) == "唐山市"][0]
    links = list(store.sparql(LINKS_OF, {"p": _node(tangshan)}))
    assert len(links) == 2  # one per document attesting him
    assert {r["reason"].value for r in links} == {"same name 王海 and same jurisdiction 唐山市"}
    assert {r["by"].value for r in links} == {"rule"}
    assert {r["from"].value for r in links} == {iri.person_iri("王海", "doc:tangshan_a"), iri.person_iri("王海", "doc:tangshan_b")}
    evidence = {r["e"].value for r in store.sparql(EVIDENCE, {"link": links[0]["link"]})}
    assert evidence & {iri.document_iri("tangshan_a"), iri.document_iri("tangshan_b")}
    assert any("/mention/" in e for e in evidence)
    # 丁绣峰 too; the 保定 王海 is attested once: no link
    baoding = [p for p in people(store, "王海") if p != tangshan][0]
    assert not list(store.sparql(LINKS_OF, {"p": _node(baoding)}))
    # tenure dates span the attesting documents
    dates = {r["p"].value: (r["first"].value, r["last"].value) for r in store.sparql(DATES)}
    assert dates[tangshan] == ("2020-10-12", "2020-11-20")
    assert dates[baoding] == ("2020-10-15", "2020-10-15")


def test_remove_recomputes_resolution(store):
    tangshan = [p for p in people(store, "王海") if place_of(store, p) == "唐山市"][0]
    assert store.remove("tangshan_b")
    assert not list(store.sparql(LINKS_OF, {"p": _node(tangshan)}))
    dates = {r["p"].value: (r["first"].value, r["last"].value) for r in store.sparql(DATES)}
    assert dates[tangshan] == ("2020-10-12", "2020-10-12")
    assert not people(store, "孙丽")  # only tangshan_b named the reporter
    assert store.validate().conforms


def test_merge_and_unmerge_survive_reingest(store, tmp_path):
    tangshan = [p for p in people(store, "王海") if place_of(store, p) == "唐山市"][0]
    baoding = [p for p in people(store, "王海") if p != tangshan][0]
    with pytest.raises(GuanxiError, match="ambiguous"):
        store.merge("王海", tangshan, "x")
    with pytest.raises(GuanxiError, match="reason"):
        store.merge(baoding, tangshan, " ")
    assert store.merge(baoding, tangshan, "same deputy mayor, moved from 唐山 to 保定") == ["baoding"]
    assert people(store, "王海") == [tangshan]
    user = [r for r in store.sparql(LINKS_OF, {"p": _node(tangshan)}) if r["by"].value == "user"]
    assert [r["from"].value for r in user] == [baoding]
    assert len([r for r in store.sparql(LINKS_OF, {"p": _node(tangshan)}) if r["by"].value == "rule"]) == 3
    with pytest.raises(GuanxiError, match="itself"):
        store.merge(tangshan, tangshan, "x")
    assert store.validate().conforms

    # the decision is applied again when the document changes and is re-ingested
    edited = tmp_path / "in" / "baoding.txt"
    edited.parent.mkdir()
    edited.write_text((KG / "baoding.txt").read_text(encoding="utf-8").replace("表彰了", "表扬了"), encoding="utf-8")
    report = store.ingest([str(edited)])
    assert report.changed == ["baoding"]
    assert people(store, "王海") == [tangshan]

    # unmerge: in tangshan_b the name is someone else
    node = store.unmerge(tangshan, "tangshan_b", reason="a different 王海")
    assert node == iri.person_iri("王海", "doc:tangshan_b")
    assert sorted(people(store, "王海")) == sorted([tangshan, node])
    assert store.sparql("ASK { ?l gx:decidedBy \"user\" ; gx:mergedInto ?n }", {"n": _node(node)})
    assert store.validate().conforms
    with pytest.raises(GuanxiError, match="not named"):
        store.unmerge(tangshan, "tangshan_b")


def test_merge_keeps_one_name(tmp_path):
    """Merging 王海 into a differently named node keeps one gx:name; the variant becomes an alias."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(KG / "baoding.txt", src / "baoding.txt")
    with Guanxi(tmp_path / "kg") as gx:
        gx.ingest([str(src / "baoding.txt"), str(KG / "tangshan_a.txt")])
        target = people(gx, "郭建英")[0]
        wang = people(gx, "王海")
        gx.merge(wang[0], target, "test: variant spelling")
        assert gx.sparql("ASK { ?p gx:name \"郭建英\" ; gx:alias \"王海\" }", {"p": _node(target)})
        assert gx.validate().conforms
