"""The property-graph projection (graph/projection.py): derived from the ontology, checked against SPARQL counts."""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from guanxi.api import Guanxi
from guanxi.graph import projection as pg
from guanxi.ontology.vocab import GX, load_projection, ontology_path

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_PATHS = sorted(str(p) for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    store = tmp_path_factory.mktemp("projection") / "store"
    with Guanxi(store) as g:
        report = g.ingest(SEED_PATHS)
        assert report.ok and len(report.new) == 2
        yield g


@pytest.fixture(scope="module")
def graph(kg):
    return pg.project(kg.store)


def _count(kg, sparql: str) -> int:
    return int(next(iter(kg.sparql(sparql)))["n"].value)


def _person(graph, name):
    [node] = [n for n in graph.nodes.values() if "Person" in n.labels and n.props.get("name") == name]
    return node


# ---- nodes -------------------------------------------------------------------------------------------

def test_node_counts_match_the_store(kg, graph):
    counts = graph.node_counts()
    assert counts["Person"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Person }") == 17
    assert counts["Organization"] == _count(
        kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?k . ?k rdfs:subClassOf gx:Organization }")
    assert counts["Directive"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Directive }") == 58
    assert counts["Meeting"] == 1 and counts["Document"] == 2
    assert counts["Industry"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Industry }")
    assert counts["Place"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Place }")
    assert counts["Addressee"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Addressee }")
    # every mention that attests something (redacted masks attest nothing and are left out)
    assert counts["Mention"] == _count(kg, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?x gx:attestedBy ?m }")
    assert counts["Entity"] == len(graph.nodes)
    # reified and bookkeeping classes are not nodes
    assert not any(label in counts for label in ("Tenure", "Participation", "Post", "ResolutionLink"))


def test_relationship_counts_match_the_store(kg, graph):
    counts = graph.relationship_counts()
    assert counts["HELD"] == _count(kg, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a gx:Tenure ; gx:holder ?p ; gx:organization ?o }") == 21
    assert counts["PARTICIPATED"] == _count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gx:Participation }") == 16
    assert counts["ISSUED"] == _count(kg, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?d ?p WHERE { ?d gx:speaker ?p } }")
    assert counts["CONCERNS"] == _count(kg, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?d ?i WHERE { ?d gx:concerns ?i } }")
    assert counts["ADDRESSED_TO"] == _count(kg, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?d ?a WHERE { ?d gx:addressedTo ?a } }")
    part_of = _count(kg, """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE {
        { ?a gx:parentPlace ?b } UNION { ?a gx:parentOrganization ?b } UNION { ?a gx:parentDirective ?b } } }""")
    assert counts["PART_OF"] == part_of
    assert counts["IN_DOCUMENT"] == graph.node_counts()["Mention"]
    assert set(counts) <= set(pg.all_relationship_types())


def test_labels_come_from_the_projection(graph):
    projection = load_projection()
    allowed = set(pg.all_labels(projection))
    for node in graph.nodes.values():
        assert node.labels[0] == projection.base_label
        assert set(node.labels) <= allowed
        assert node.props["iri"] == node.iri
    orgs = [n for n in graph.nodes.values() if "Organization" in n.labels]
    kinds = {n.props["kind"] for n in orgs}
    assert {"party_committee", "cppcc", "department"} <= kinds
    for n in orgs:  # an organization carries its kind's label too
        assert projection.nodes[projection.kinds[n.props["kind"]]].label in n.labels


def test_typed_and_multivalued_properties(graph):
    meeting = next(n for n in graph.nodes.values() if "Meeting" in n.labels)
    assert meeting.props["date"] == date(2020, 9, 7) and meeting.props["name"] == "协商议政大会"
    directives = [n for n in graph.nodes.values() if "Directive" in n.labels and "ordinal" in n.props]
    assert directives and all(isinstance(n.props["ordinal"], int) for n in directives)
    doc = next(n for n in graph.nodes.values() if "Document" in n.labels and n.props.get("title") == "唐山市政协召开协商议政大会")
    assert doc.props["published"] == date(2020, 9, 8)
    roles = [r.props["roles"] for r in graph.relationships.values() if r.type == "PARTICIPATED"]
    assert all(isinstance(x, list) and x == sorted(x) for x in roles)
    assert ["attended", "spoke"] in roles and ["presided"] in roles


def test_held_edges_of_zhang_gujiang(graph):
    zhang = _person(graph, "张古江")
    held = [r for r in graph.relationships.values() if r.type == "HELD" and r.start == zhang.iri]
    posts = {(graph.nodes[r.end].props["name"], r.props["title"], r.props["post_label"]) for r in held}
    assert posts == {("中共河北省委员会", "常委", "河北省委常委"), ("中共唐山市委员会", "书记", "唐山市委书记")}
    for r in held:
        assert r.props["iri"].startswith("https://w3id.org/guanxi/id/tenure/")
        assert r.props["first_seen"] == r.props["last_seen"] == date(2020, 9, 8)
        assert r.props["quotes"] and all("书记张古江" in q for q in r.props["quotes"])
        assert len(r.props["mentions"]) == len(r.props["quotes"])


def test_every_relationship_knows_its_source_documents(graph):
    documents = {n.iri for n in graph.nodes.values() if "Document" in n.labels}
    for rel in graph.relationships.values():
        assert rel.props.get("sources"), rel
        assert set(rel.props["sources"]) <= documents, rel


def test_mentions_quote_the_text(graph):
    text = (SEEDS / "000_3b541c3cffdbfa2f.txt").read_text(encoding="utf-8")
    bio = next(n for n in graph.nodes.values() if "Industry" in n.labels and n.props["name"].startswith("生物医药"))
    concerned = [r.start for r in graph.relationships.values() if r.type == "CONCERNS" and r.end == bio.iri]
    assert concerned
    for d in concerned:
        quotes = [graph.nodes[r.end].props for r in graph.relationships.values()
                  if r.type == "ATTESTED_BY" and r.start == d]
        assert quotes and all(q["exact"] and q["end"] - q["start"] == len(q["exact"]) for q in quotes)
        assert any("生物医药" in q["exact"] for q in quotes)
    mentions = [n for n in graph.nodes.values() if "Mention" in n.labels]
    assert all(isinstance(m.props["start"], int) for m in mentions)


def test_deterministic_and_order_independent(kg, graph):
    quads = list(kg.store.quads())
    random.Random(7).shuffle(quads)
    again = pg.project_quads(quads)
    assert {k: n.hash for k, n in again.nodes.items()} == {k: n.hash for k, n in graph.nodes.items()}
    assert {k: r.hash for k, r in again.relationships.items()} == {k: r.hash for k, r in graph.relationships.items()}


def test_hash_and_identity():
    a = pg.Node("x", ("Entity", "Person"), {"iri": "x", "name": "甲"})
    assert a.hash == pg.Node("x", ("Entity", "Person"), {"name": "甲", "iri": "x"}).hash
    assert a.hash != pg.Node("x", ("Entity", "Person"), {"iri": "x", "name": "乙"}).hash
    assert a.hash != pg.Node("x", ("Entity", "Organization"), {"iri": "x", "name": "甲"}).hash
    r1 = pg.Relationship("HELD", "p", "o", {"title": "书记"}, discriminator="t1")
    r2 = pg.Relationship("HELD", "p", "o", {"title": "常委"}, discriminator="t2")
    assert r1.id != r2.id  # parallel tenures stay two relationships
    assert pg.Relationship("ISSUED", "p", "d", {}).id == pg.Relationship("ISSUED", "p", "d", {"sources": ["x"]}).id


def test_names_are_checked():
    assert pg.check_name("PART_OF") == "PART_OF"
    for bad in ("", "1abc", "a-b", "x` DETACH DELETE n //", "人物", "a b"):
        with pytest.raises(ValueError):
            pg.check_name(bad)


def test_mapping_follows_the_annotations(kg, tmp_path):
    """Rename a label and an edge type in a copy of the ontology: the projection follows, nothing is hard-coded."""
    text = ontology_path().read_text(encoding="utf-8")
    text = text.replace('gx:neo4jLabel "Person"', 'gx:neo4jLabel "Official"').replace('gx:edgeLabel "HELD"', 'gx:edgeLabel "HOLDS"')
    custom = tmp_path / "custom.ttl"
    custom.write_text(text, encoding="utf-8")
    graph = pg.project(kg.store, load_projection(custom))
    assert graph.node_counts()["Official"] == 17 and "Person" not in graph.node_counts()
    assert graph.relationship_counts()["HOLDS"] == 21 and "HELD" not in graph.relationship_counts()


def test_data_quads_are_the_store_quads(kg):
    assert sorted(map(str, pg.data_quads(kg.store))) == sorted(map(str, kg.store.quads()))


def test_reading_the_union_equals_reading_graph_by_graph(kg, graph):
    by_graph = pg.project_quads(pg.data_quads(kg.store))
    assert {k: n.hash for k, n in by_graph.nodes.items()} == {k: n.hash for k, n in graph.nodes.items()}
    assert {k: r.hash for k, r in by_graph.relationships.items()} == {k: r.hash for k, r in graph.relationships.items()}


def test_predict_counts(kg, graph):
    nodes, rels = pg.predict_counts(kg.store)
    assert nodes == dict(graph.node_counts()) and rels == dict(graph.relationship_counts())


def test_store_generation_tracks_changes(tmp_path):
    outline, report = SEED_PATHS  # 000 (an outline), 002 (the Tangshan report)
    with Guanxi(tmp_path / "s") as g:
        empty = pg.store_generation(g.store)
        g.ingest([report])
        one = pg.store_generation(g.store)
        assert one != empty
        g.ingest([report])  # unchanged document: same generation
        assert pg.store_generation(g.store) == one
        g.ingest([outline])
        two = pg.store_generation(g.store)
        assert two not in (one, empty)
        assert g.remove(Path(outline).stem)
        assert pg.store_generation(g.store) == one   # the same documents again: the same graph
        g.unmerge("张古江", Path(report).stem)       # a decision re-emits the document
        assert pg.store_generation(g.store) != one


def test_gx_terms_used_exist():
    # the evidence layer is named after ontology terms
    assert pg.MENTION_LABEL == "Mention" and GX.Mention.endswith("#Mention")
