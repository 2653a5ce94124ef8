"""Every named query returns the same rows, in the same order, from the embedded store and from the real Neo4j
after ``guanxi sync`` — on the two seed documents, and on a small multi-document graph (seeds + the Tangshan and
Baoding fixtures, with namesakes, a shared official and several meetings)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi
from guanxi.graph import neo4j_sync as ns
from guanxi.queries import registry
from guanxi.queries.backends import Neo4jBackend, StoreBackend

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
KG = sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))


def _cases(store: StoreBackend) -> list[tuple[str, dict]]:
    """Parameters for every named query, taken from the graph itself."""
    links = registry.run(store, "links")
    nodes: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for r in links:
        for iri, kind, name in ((r.source, r.source_kind, r.source_name), (r.target, r.target_kind, r.target_name)):
            nodes.setdefault(kind, set()).add(iri)
            names[iri] = name
    people = sorted(nodes.get("Person", ()))
    orgs = sorted(nodes.get("Organization", ()))
    meetings = sorted(nodes.get("Meeting", ()))
    directives = sorted(nodes.get("Directive", ()))
    cases: list[tuple[str, dict]] = [("links", {}), ("co_attendance", {}), ("meetings", {})]
    for p in people:
        cases += [("person_profile", {"person": p}), ("person_card", {"person": p}), ("timeline", {"entity": p}),
                  ("person_profile", {"person": p, "since": "2020-10-12"}), ("person_profile_counts", {"person": p}),
                  ("neighbours", {"node": p}), ("co_attendance", {"person": p})]
    for name in sorted({names[p] for p in people}):
        cases += [("person_candidates", {"name": name}), ("person_ids", {"name": name})]
    for o in orgs:
        cases += [("organization_roster", {"organization": o}), ("organization_card", {"organization": o}),
                  ("timeline", {"entity": o}), ("neighbours", {"node": o})]
    for text in ("唐山", "市委", "县人民政府", "政府", "政协", "不存在的机构"):
        cases.append(("organization_candidates", {"name": text}))
    for m in meetings:
        cases += [("meeting_detail", {"meeting": m}), ("meetings", {"meeting": m}), ("neighbours", {"node": m}),
                  ("directives", {"meeting": m})]
    for d in directives[::7]:
        cases.append(("neighbours", {"node": d}))
    for industry in sorted(nodes.get("Industry", ()))[:3]:
        cases.append(("neighbours", {"node": industry}))
    cases += [("meetings", {"name": "会"}), ("meetings", {"date": "2020-09-07"}),
              ("meetings", {"since": "2020-10-01", "until": "2020-10-31"})]
    for params in ({}, {"industry": "生物医药"}, {"speaker": "县人民政府"}, {"speaker": "张古江"},
                   {"addressee": "各级"}, {"text": "要", "since": "2020-09-01", "until": "2020-10-31"},
                   {"since": "2020-10-12"}, {"until": "2020-09-07"}, {"industry": "教育", "speaker": "县人民政府"},
                   {"text": "不存在的文字"}):
        cases.append(("directives", params))
    for text, kind in (("唐山", None), ("王", None), ("要", "Directive"), ("生物医药", None), ("市委", "Organization"),
                       ("各级", "Addressee")):
        cases.append(("search", {"text": text} | ({"type": kind} if kind else {})))
    # the workbench's queries: listings, documents and the facts at their spans, evidence per entity
    cases += [("people", {}), ("organizations", {}), ("industries", {}), ("documents", {}), ("searchable", {})]
    for doc in registry.run(store, "documents"):
        cases += [("documents", {"document": doc.document}), ("document_facts", {"document": doc.document})]
    for entity in people + orgs + meetings + directives[::7] + sorted(nodes.get("Industry", ()))[:3]:
        cases.append(("evidence", {"entity": entity}))
    for d in directives[::7]:
        cases.append(("directive_card", {"directive": d}))
    for a, b in itertools.permutations(people[:9], 2):
        cases.append(("connection_path", {"source": a, "target": b}))
    return cases


@pytest.fixture
def neo4j(neo4j_server):
    with neo4j_server.driver(notifications_min_severity="OFF") as driver:
        ns.wipe(driver, neo4j_server.database)
        yield Neo4jBackend(driver, neo4j_server.database)


@pytest.mark.parametrize("inputs", [SEEDS, SEEDS + KG], ids=["seeds", "multi-document"])
def test_every_named_query_returns_the_same_rows(inputs, neo4j, tmp_path):
    with Guanxi(tmp_path / "store") as g:
        assert g.ingest(inputs).ok
        report = ns.sync(g.store, neo4j.driver, neo4j.database)
        assert report.nodes.created > 0
        store = StoreBackend(g.store)
        cases = _cases(store)
        nonempty: set[str] = set()
        for name, params in cases:
            expected = registry.run(store, name, params)
            got = registry.run(neo4j, name, params)
            assert got == expected, f"{name} {params}: the store and Neo4j differ"
            if expected:
                nonempty.add(name)
    assert nonempty == set(registry.registry()), f"queries never exercised with rows: {set(registry.registry()) - nonempty}"


def test_cli_backend_neo4j_matches_store(neo4j, neo4j_server, tmp_path, monkeypatch, capsys):
    store_dir = tmp_path / "store"
    with Guanxi(store_dir) as g:
        assert g.ingest(SEEDS).ok
        ns.sync(g.store, neo4j.driver, neo4j.database)
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    outputs = []
    for backend in ("store", "neo4j"):
        code = cli.main(["--store", str(store_dir), "person", "张古江", "--format", "json", "--backend", backend])
        assert code == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "唐山市委书记" in outputs[0]
