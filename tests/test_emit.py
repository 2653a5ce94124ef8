"""Facts -> triples of one document graph (loaders/emit.py): pure, deterministic, every span quoted exactly."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from guanxi.graph import resolution
from guanxi.loaders.emit import emit, place_code, version_tag
from guanxi.loaders.pipeline import extract_paths
from guanxi.ontology import iri
from guanxi.ontology.vocab import DCTERMS, GX, OA, PROV, RDF, RDFS, SCHEMA, SKOS

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
KG = Path(__file__).parent / "fixtures" / "kg"


@pytest.fixture(scope="module")
def docs():
    out = {}
    for item in extract_paths([str(SEEDS), str(KG)]):
        assert not isinstance(item, Exception), item
        out[item.meta.id] = item
    return out


@pytest.fixture(scope="module")
def seed002(docs):
    d = docs["002_a9ec4e6a3a1afbe8"]
    return d, emit(d.facts, d.text)


def objects(triples, s=None, p=None):
    return [t.object for t in triples if (s is None or t.subject.value == s) and (p is None or t.predicate.value == p)]


def subjects(triples, p, o):
    return [t.subject.value for t in triples if t.predicate.value == p and (t.object.value == o)]


def test_no_blank_nodes_and_sorted_unique(docs):
    for d in docs.values():
        e = emit(d.facts, d.text)
        assert e.triples == sorted(set(e.triples), key=str)
        for t in e.triples:
            assert not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)


def test_emission_is_deterministic(docs):
    d = docs["002_a9ec4e6a3a1afbe8"]
    assert emit(d.facts, d.text).to_ntriples() == emit(d.facts, d.text).to_ntriples()


def test_every_quote_is_the_text_at_its_offsets(docs):
    checked = 0
    for d in docs.values():
        t = emit(d.facts, d.text).triples
        for pos in subjects(t, RDF.type, OA.TextPositionSelector):
            m = pos.removesuffix("#position")
            start, end = (int(objects(t, pos, OA.start)[0].value), int(objects(t, pos, OA.end)[0].value))
            exact = objects(t, m + "#quote", OA.exact)[0].value
            assert d.text[start:end] == exact
            prefix = objects(t, m + "#quote", OA.prefix)
            if start > 0:
                assert prefix[0].value == d.text[max(0, start - 16):start]
            assert objects(t, m + "#target", OA.hasSource)[0].value == iri.document_iri(d.meta.id)
            checked += 1
    assert checked > 200


def test_zhang_gujiang_posts_with_provenance(seed002):
    d, e = seed002
    zhang = [r for r in e.persons if r.name == "张古江"][0]
    assert zhang.context.key == "130200000000" and zhang.context.label == "唐山市"
    t = e.triples
    tenures = subjects(t, GX.holder, zhang.iri)
    labels = set()
    for tenure in tenures:
        post = objects(t, tenure, GX.post)[0].value
        labels |= {o.value for o in objects(t, post, "http://www.w3.org/2000/01/rdf-schema#label")}
        assert objects(t, tenure, GX.organization)[0] == objects(t, post, GX.postIn)[0]
        assert objects(t, tenure, PROV.wasDerivedFrom)[0].value == iri.document_iri(d.meta.id)
        assert objects(t, tenure, GX.attestedBy)
        # first/last attested need several documents: they live in the resolution graph, not here
        assert not objects(t, tenure, GX.firstAttested)
    assert {"河北省委常委", "唐山市委书记"} <= labels


def test_document_node(seed002):
    d, e = seed002
    doc = iri.document_iri(d.meta.id)
    t = e.triples
    assert objects(t, doc, DCTERMS.identifier)[0].value == d.meta.id
    assert objects(t, doc, GX.published)[0].value == "2020-09-08"
    assert objects(t, doc, SCHEMA.sha256)[0].value == d.content_hash
    assert objects(t, doc, SCHEMA.version)[0].value == version_tag()
    assert len(objects(t, doc, GX.contentHash)[0].value) == 64
    publisher = objects(t, doc, DCTERMS.publisher)[0].value
    assert objects(t, publisher, GX.name)[0].value == "唐山劳动日报"
    authors = [objects(t, a.value, GX.name)[0].value for a in objects(t, doc, GX.author)]
    assert authors == ["李响"]
    assert e.graph == iri.graph_iri(d.meta.id)


def test_places_include_ancestors(seed002):
    _, e = seed002
    t = e.triples
    tangshan = iri.place_iri("130200")
    assert objects(t, tangshan, GX.adminLevel)[0].value == "prefecture"
    hebei = objects(t, tangshan, GX.parentPlace)[0].value
    assert objects(t, hebei, GX.name)[0].value == "河北省"
    nation = objects(t, hebei, GX.parentPlace)[0].value
    assert objects(t, nation, GX.adminLevel)[0].value == "national"
    assert place_code("130200000000") == "130200"


def test_meeting_participations_and_directives(seed002):
    _, e = seed002
    t = e.triples
    meeting = subjects(t, RDF.type, GX.Meeting)
    assert len(meeting) == 1
    assert objects(t, meeting[0], GX.date)[0].value == "2020-09-07"
    presided = [p for p in subjects(t, GX.role, GX.Presided)]
    assert [objects(t, objects(t, p, GX.participant)[0].value, GX.name)[0].value for p in presided] == ["胡国辉"]
    directive = [s for s in subjects(t, RDF.type, GX.Directive)
                 if objects(t, s, GX.text)[0].value.startswith("一要着力在强化企业创新主体")][0]
    assert objects(t, directive, GX.ordinal)[0].value == "1"
    parent = objects(t, directive, GX.parentDirective)[0].value
    assert objects(t, parent, GX.text)[0].value.startswith("要聚焦关键环节、科学精准发力")
    speaker = objects(t, directive, GX.speaker)[0].value
    assert objects(t, speaker, GX.name)[0].value == "张古江"
    assert objects(t, directive, GX.atMeeting)[0].value == meeting[0]


def test_redactions_are_never_persons(docs):
    d = docs["000_3b541c3cffdbfa2f"]
    t = emit(d.facts, d.text).triples
    redacted = subjects(t, RDF.type, GX.RedactedMention)
    assert len(redacted) == len(d.facts["redactions"]) > 0
    persons = set(subjects(t, RDF.type, GX.Person))
    assert not persons & set(redacted)
    assert all("*" not in o.value for p in persons for o in objects(t, p, GX.name))
    assert "主席" in {o.value for r in redacted for o in objects(t, r, GX.maskedTitle)}


def test_industries_are_skos_concepts(docs):
    d = docs["000_3b541c3cffdbfa2f"]
    t = emit(d.facts, d.text).triples
    industries = subjects(t, RDF.type, GX.Industry)
    assert industries
    for node in industries:
        assert objects(t, node, SKOS.inScheme)[0].value == GX.IndustryScheme
        assert objects(t, node, SKOS.prefLabel)


def test_unplaced_bodies_are_scoped_to_their_document(docs):
    # seed 000 names a 县人民政府 whose county is masked: it must not become every county's government
    d = docs["000_3b541c3cffdbfa2f"]
    t = emit(d.facts, d.text).triples
    gov = [s for s in subjects(t, GX.name, "县人民政府")]
    assert gov and gov[0] != iri.organization_iri("县人民政府")


def test_assignment_decides_person_iris(docs):
    """Emission takes who each name is from corpus-level resolution; a name it does not cover gets the
    per-document rule's node, and a merged-in spelling becomes an alias of the canonical name."""
    d = docs["tangshan_a"]
    plain = emit(d.facts, d.text)
    wanghai = [r for r in plain.persons if r.name == "王海"][0]
    target = iri.person_iri("郭建英", "somewhere-else")
    merged = emit(d.facts, d.text, {"王海": (target, "郭建英")})
    assert [r.iri for r in merged.persons if r.name == "王海"] == [target]
    assert not [t for t in merged.triples if t.subject.value == wanghai.iri or t.object.value == wanghai.iri]
    names = {(t.predicate.value, t.object.value) for t in merged.triples if t.subject.value == target}
    assert (GX.name, "郭建英") in names and (GX.alias, "王海") in names
    tenures = [t.subject.value for t in merged.triples if t.predicate.value == GX.holder and t.object.value == target]
    posts = {t.subject.value: t.object.value for t in merged.triples if t.predicate.value == GX.post}
    assert tenures and all(t == iri.tenure_iri(target, posts[t]) for t in tenures)  # tenures follow the person
    # other people are untouched
    others = lambda e: sorted(r.iri for r in e.persons if r.name != "王海")  # noqa: E731
    assert others(plain) == others(merged)


def test_person_records_carry_the_evidence(docs):
    """What resolution reads of a document: home of the current posts, posts, date, co-named people, spans."""
    from guanxi.loaders.emit import person_records

    d = docs["tangshan_a"]
    records = {r.name: r for r in person_records(d.facts)}
    wang = records["王海"]
    assert wang.doc_id == "tangshan_a" and wang.date == "2020-10-12"
    assert wang.home is not None and wang.home.label == "唐山市" and wang.home.level == "prefecture"
    assert "130000000000" in wang.home.lineage  # 河北省 contains 唐山市
    assert any("副市长" in p for p in wang.posts)
    assert set(wang.co_names) == set(records) - {"王海"}
    assert all(d.text[s:e] == "王海" for s, e in wang.mentions)
    assert resolution.Record.from_json(wang.to_json()) == wang


def test_foreign_posts_are_found_by_their_state_or_party():
    from guanxi.loaders.emit import foreign_marker

    assert foreign_marker("越共中央总书记") == "越南"          # a party of 越南, through resolution.toml's aliases
    assert foreign_marker("美国候任总统") == "美国"
    assert foreign_marker("俄罗斯联邦总统") == "俄罗斯"
    assert foreign_marker("中国驻朝鲜大使") is None           # a Chinese post abroad
    assert foreign_marker("唐山市政府副市长") is None


ORG_TEXT = ("韩国国务总理韩德洙会见中国代表团\n\n2025-01-10\n\n本台消息，韩国国务总理韩德洙10日在首尔会见中国代表团。"
            "中宣部部长李书磊出席。中共中央宣传部部长李书磊表示，要加强交流。\n")


def _extracted(tmp_path, name: str, text: str):
    from guanxi.loaders.pipeline import extract_paths
    from guanxi.loaders.readers import options_from_dict

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return next(d for d in extract_paths([str(path)], options_from_dict({}, "test")) if hasattr(d, "facts"))


def test_a_fragment_of_a_title_chain_is_no_body_and_one_body_written_two_ways_is_one(tmp_path):
    doc = _extracted(tmp_path, "korea.txt", ORG_TEXT)
    e = emit(doc.facts, doc.text)
    names = {t.object.value for t in e.triples if t.predicate.value == GX.name}
    assert "韩国国务" not in names and "国务" not in names and "韩国" in names
    labels = {t.object.value for t in e.triples if t.predicate.value == RDFS.label}
    assert "韩国国务总理" in labels  # the post keeps its whole title, in the state's body
    # 中宣部 and 中共中央宣传部: one body, the spelling an alias, a resolution link with the document as evidence
    dept = iri.organization_iri("中共中央宣传部")
    assert (dept, "中宣部") in {(t.subject.value, t.object.value) for t in e.triples if t.predicate.value == GX.alias}
    assert iri.organization_iri("中宣部") not in {t.subject.value for t in e.triples if t.predicate.value == RDF.type}
    link = iri.resolution_iri(iri.organization_iri("中宣部"), dept)
    about = {(t.predicate.value, t.object.value) for t in e.triples if t.subject.value == link}
    assert (GX.mergedInto, dept) in about
    assert (GX.decidedBy, "rule") in about and (GX.evidence, iri.document_iri(doc.facts["document"]["id"])) in about
    tenures = [t for t in e.triples if t.predicate.value == GX.organization and t.object.value == dept]
    assert len({t.subject.value for t in tenures}) == 1  # 李书磊 holds one post, however the body is written


def test_a_former_post_is_no_home(tmp_path):
    """时任浙江省委书记习近平: the post says who he was, not where he is: his record has no home from it."""
    from guanxi.loaders.emit import person_records

    text = ("习近平总书记考察调研\n\n2025-02-16\n\n2005年，时任浙江省委书记习近平在安吉考察时提出了重要理念。"
            "浙江省委书记王浩表示，要牢记嘱托。\n")
    doc = _extracted(tmp_path, "former.txt", text)
    records = {r.name: r for r in person_records(doc.facts, doc.text)}
    assert records["习近平"].home is None
    assert records["王浩"].home is not None and records["王浩"].home.label == "浙江省"
