"""`guanxi ingest` and the other knowledge-graph commands, end to end through the CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from guanxi.loaders.pipeline import extract_paths
from guanxi.ontology import iri

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
KG = ROOT / "tests" / "fixtures" / "kg"
SEED_000, SEED_002 = "000_3b541c3cffdbfa2f", "002_a9ec4e6a3a1afbe8"

POSTS_OF = """
SELECT DISTINCT ?name ?post ?exact ?start ?end ?doc WHERE {
  ?p a gx:Person ; gx:name ?name .
  ?t gx:holder ?p ; gx:post/rdfs:label ?post ; gx:attestedBy ?m .
  ?m oa:hasTarget ?target . ?target oa:hasSource/dcterms:identifier ?doc ; oa:hasSelector ?q , ?s .
  ?q oa:exact ?exact . ?s oa:start ?start ; oa:end ?end .
} ORDER BY ?post
"""


def run(*args: str, store: Path | None = None, check: int | None = 0) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "guanxi"] + (["--store", str(store)] if store else []) + list(args)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc


def ingest(store: Path, *paths, check: int = 0, extra: tuple[str, ...] = ()) -> dict:
    proc = run("ingest", *map(str, paths), "--format", "json", *extra, store=store, check=check)
    return json.loads(proc.stdout)


def nquads(store: Path) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "export", "--format", "nq"],
                          cwd=ROOT, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def graph_lines(nq: bytes, doc_id: str) -> list[bytes]:
    g = f"<{iri.graph_iri(doc_id)}> .".encode()
    return [line for line in nq.splitlines() if line.endswith(g)]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("kg") / "store"
    summary = ingest(store, SEEDS)
    assert summary["documents"] == {"new": 2, "changed": 0, "unchanged": 0, "failed": 0}
    assert summary["store"]["documents"] == 2 and summary["store"]["people"] > 10
    return store


def test_seeds_validate(seeded):
    proc = run("validate", store=seeded)
    assert "valid" in proc.stdout


def test_validate_json_reports_each_violation(tmp_path):
    import pyoxigraph as ox

    from guanxi.graph.store import GraphStore
    from guanxi.ontology.vocab import GX

    store = tmp_path / "kg"
    ingest(store, SEEDS / "002_a9ec4e6a3a1afbe8.txt")
    doc = json.loads(run("validate", "--format", "json", store=store).stdout)
    assert doc["conforms"] is True and doc["violations"] == [] and doc["triples"] > 1000
    with GraphStore(store) as s:
        name = next(q for q in s.store.quads_for_pattern(None, ox.NamedNode(GX.name), None, None)
                    if isinstance(q.graph_name, ox.NamedNode) and "/person/" in q.subject.value)
        for graph in (name.graph_name, ox.DefaultGraph()):   # the default graph is kept as the union
            s.store.add(ox.Quad(name.subject, name.predicate, ox.Literal(name.object.value + "甲"), graph))
    proc = run("validate", "--format", "json", store=store, check=1)
    doc = json.loads(proc.stdout)
    assert doc["conforms"] is False
    assert [(v["focus"], v["severity"]) for v in doc["violations"]] == [(name.subject.value, "Violation")]
    assert "exactly one gx:name" in doc["violations"][0]["message"]

def test_zhang_gujiang_posts_with_quoted_source(seeded):
    proc = run("sparql", POSTS_OF, "--param", "name=张古江", "--format", "json", store=seeded)
    rows = json.loads(proc.stdout)["results"]["bindings"]
    assert {"河北省委常委", "唐山市委书记"} <= {r["post"]["value"] for r in rows}
    [doc] = [d for d in extract_paths([str(SEEDS / f"{SEED_002}.txt")])]
    for r in rows:
        start, end = int(r["start"]["value"]), int(r["end"]["value"])
        assert r["doc"]["value"] == SEED_002
        assert doc.text[start:end] == r["exact"]["value"]
        assert "张古江" in r["exact"]["value"]


def test_same_documents_from_another_path_are_unchanged(seeded):
    summary = ingest(seeded, ROOT / "examples")
    assert summary["documents"] == {"new": 0, "changed": 0, "unchanged": 2, "failed": 0}


def test_canonical_nquads_independent_of_order_and_repetition(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    ingest(a, SEEDS / f"{SEED_000}.txt")
    ingest(a, SEEDS / f"{SEED_002}.txt")
    ingest(b, SEEDS / f"{SEED_002}.txt", SEEDS / f"{SEED_000}.txt")
    ingest(c, SEEDS)
    assert ingest(c, SEEDS)["documents"]["unchanged"] == 2
    nq = nquads(a)
    assert nq and nq == nquads(b) == nquads(c)
    assert b"_:" not in nq
    assert nq.splitlines() == sorted(nq.splitlines())


def test_edited_document_replaces_only_its_own_facts(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    store = tmp_path / "kg"
    ingest(store, src)
    before = nquads(store)
    path = src / f"{SEED_002}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("蒋超", "蒋越"), encoding="utf-8")
    summary = ingest(store, src)
    assert summary["documents"] == {"new": 0, "changed": 1, "unchanged": 1, "failed": 0}
    after = nquads(store)
    assert graph_lines(after, SEED_000) == graph_lines(before, SEED_000)
    names = lambda nq: {line for line in nq.splitlines() if b"ontology#name>" in line}  # noqa: E731
    assert any("蒋超".encode() in line for line in names(before))
    assert not any("蒋超".encode() in line for line in after.splitlines())
    assert any("蒋越".encode() in line for line in names(after))
    # nothing left over: the same as ingesting the edited documents into a fresh store
    fresh = tmp_path / "fresh"
    ingest(fresh, src)
    assert nquads(fresh) == after


def test_remove_keeps_the_other_document(tmp_path):
    store = tmp_path / "kg"
    ingest(store, SEEDS)
    before = nquads(store)
    run("remove", SEED_002, store=store)
    after = nquads(store)
    assert graph_lines(after, SEED_002) == []
    assert graph_lines(after, SEED_000) == graph_lines(before, SEED_000)
    assert "张古江".encode() not in after
    assert json.loads(run("stats", "--format", "json", store=store).stdout)["documents"] == 1
    proc = run("remove", "no-such-document", store=store, check=1)
    assert "no document no-such-document" in proc.stderr
    run("validate", store=store)


def test_bad_file_fails_alone(tmp_path):
    store = tmp_path / "kg"
    ingest(store, KG / "tangshan_b.txt")
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(KG / "tangshan_a.txt", batch / "a.txt")
    (batch / "broken.txt").write_bytes("正常的文字".encode("utf-8") + b"\xff\xfe\xff\x80\xff" * 40)
    shutil.copy(KG / "baoding.txt", batch / "c.txt")
    summary = ingest(store, batch, check=1)
    assert summary["documents"] == {"new": 2, "changed": 0, "unchanged": 0, "failed": 1}
    [failure] = summary["failures"]
    assert failure["file"].endswith("broken.txt") and "decode" in failure["reason"]
    assert summary["store"]["documents"] == 3  # tangshan_b is still there
    table = run("ingest", str(batch), store=store, check=1)
    assert "broken.txt" in table.stdout and "failures" in table.stdout


def test_workers_give_the_same_graph(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    ingest(one, KG, SEEDS)
    ingest(two, KG, SEEDS, extra=("--workers", "2"))
    assert nquads(one) == nquads(two)


def test_sparql_is_read_only_and_binds_parameters(seeded):
    proc = run("sparql", "DELETE WHERE { ?s ?p ?o }", store=seeded, check=2)
    assert "read-only" in proc.stderr
    proc = run("sparql", "PREFIX x: <http://x/> # comment\nINSERT DATA { x:a x:b x:c }", store=seeded, check=2)
    assert "read-only" in proc.stderr
    # a value that would break a concatenated query is just a literal
    proc = run("sparql", "SELECT ?name WHERE { ?p gx:name ?name }", "--param", 'name=" } DROP ALL #',
               "--format", "csv", store=seeded)
    assert proc.stdout.strip() == "name"
    proc = run("sparql", "ASK { ?d gx:published ?when }", "--param", "when=2020-09-08^^xsd:date", store=seeded)
    assert proc.stdout.strip() == "true"
    proc = run("sparql", "SELECT DISTINCT ?n WHERE { ?p a gx:Person ; gx:name ?n } ORDER BY ?n LIMIT 3", store=seeded)
    assert "3 row(s)" in proc.stdout
    run("sparql", "SELECT ?x WHERE {", store=seeded, check=2)


def test_sparql_query_from_a_file(seeded, tmp_path):
    query = tmp_path / "posts.rq"
    query.write_text("SELECT DISTINCT ?n WHERE { ?p a gx:Person ; gx:name ?n } ORDER BY ?n LIMIT 2", encoding="utf-8")
    proc = run("sparql", "--file", str(query), "--format", "json", store=seeded)
    assert len(json.loads(proc.stdout)["results"]["bindings"]) == 2
    proc = run("sparql", "--file", str(tmp_path / "missing.rq"), store=seeded, check=2)
    assert "missing.rq" in proc.stderr and "No such file" in proc.stderr
    (tmp_path / "latin1.rq").write_bytes("SELECT ?x WHERE { ?x ?p \"caf\xe9\" }".encode("latin-1"))
    proc = run("sparql", "--file", str(tmp_path / "latin1.rq"), store=seeded, check=2)
    assert "latin1.rq" in proc.stderr and "not UTF-8" in proc.stderr
    proc = run("sparql", "ASK { ?s ?p ?o }", "--file", str(query), store=seeded, check=2)
    assert "one of them" in proc.stderr


def test_export_formats(seeded, tmp_path):
    import networkx as nx

    for fmt, parse in (("ttl", "turtle"), ("trig", "trig"), ("jsonld", "json-ld")):
        out = tmp_path / f"kg.{fmt}"
        run("export", "--format", fmt, "-o", str(out), store=seeded)
        g = rdflib.Dataset() if fmt != "ttl" else rdflib.Graph()
        g.parse(out, format=parse)
        assert len(g) > 1000 or sum(1 for _ in g.quads()) > 1000
    out = tmp_path / "kg.graphml"
    run("export", "--format", "graphml", "-o", str(out), store=seeded)
    graph = nx.read_graphml(out)
    labels = {data.get("labels", "") for _, data in graph.nodes(data=True)}
    assert any("Person" in x for x in labels) and any("Organization" in x for x in labels)
    assert any("Directive" in x for x in labels) and any("Meeting" in x for x in labels)
    types = {data["type"] for _, _, data in graph.edges(data=True)}
    assert {"HELD", "PARTICIPATED", "ISSUED"} <= types
    held = [d for _, _, d in graph.edges(data=True) if d["type"] == "HELD" and d.get("title") == "书记"]
    assert held and held[0]["first_seen"] == "2020-09-08"


def test_stats(seeded):
    stats = json.loads(run("stats", "--format", "json", store=seeded).stdout)
    assert stats["documents"] == 2 and stats["tenures"] > 10 and stats["store_bytes"] > 0
    assert stats["pending_resolution"] == 0


def test_store_from_environment(tmp_path):
    env = {**os.environ, "GUANXI_STORE": str(tmp_path / "env-store")}
    proc = subprocess.run([sys.executable, "-m", "guanxi", "ingest", str(KG / "baoding.txt"), "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "env-store" / "oxigraph").is_dir()


@pytest.mark.parametrize("command", ["ingest", "remove", "sparql", "export", "stats", "validate", "merge", "unmerge"])
def test_help_has_examples(command):
    proc = run(command, "--help")
    assert "examples:" in proc.stdout and f"guanxi " in proc.stdout


def test_usage_errors_exit_2(tmp_path):
    run("merge", "a", "b", store=tmp_path / "kg", check=2)  # --reason is required
    run("ingest", str(KG), "--workers", "0", store=tmp_path / "kg", check=2)
    run("ingest", str(KG), "--preset", "nope", store=tmp_path / "kg", check=2)


def test_extract_still_works():
    proc = run("extract", str(SEEDS / f"{SEED_002}.txt"))
    assert json.loads(proc.stdout)["document"]["id"] == SEED_002


def test_an_interrupted_command_says_what_is_kept(monkeypatch, capsys, tmp_path):
    from guanxi import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_stats", interrupted)
    assert cli.main(["--store", str(tmp_path / "kg"), "stats"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "running the command again continues" in err
