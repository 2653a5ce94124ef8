"""`guanxi sparql` and `guanxi query` read the local store only: no SERVICE, no update, no query file that was
not named explicitly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guanxi.graph.sparql_guard import refusal
from tests.test_cypher_read_only import Listener

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def guanxi(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sparql-ro") / "store"
    proc = guanxi("ingest", str(SEEDS), store=path)
    assert proc.returncode == 0, proc.stderr
    return path


SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "# a comment: SELECT\nSELECT * WHERE { ?x gx:name \"SERVICE\" . SeRvIcE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICES)
def test_service_is_refused_and_nothing_is_sent(store, query):
    listener = Listener()
    try:
        proc = guanxi("sparql", query.replace("{port}", str(listener.port)), store=store)
    finally:
        connections = listener.close()
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: SERVICE (a federated query") and "Traceback" not in proc.stderr
    assert connections == 0


def test_service_in_a_query_file_and_updates_are_refused(store, tmp_path):
    listener = Listener()
    rq = tmp_path / "federated.rq"
    rq.write_text(SERVICES[0].replace("{port}", str(listener.port)), encoding="utf-8")
    try:
        from_file = guanxi("sparql", "--file", str(rq), store=store)
        load = guanxi("sparql", f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>", store=store)
        insert = guanxi("sparql", "PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }", store=store)
    finally:
        connections = listener.close()
    assert from_file.returncode == 2 and "SERVICE" in from_file.stderr
    assert load.returncode == 2 and insert.returncode == 2 and "SPARQL Update" in load.stderr + insert.stderr
    assert connections == 0


def test_the_word_service_where_it_is_no_keyword_is_fine(store):
    assert refusal('SELECT ?service WHERE { ?service gx:name "SERVICE" } # SERVICE') is None
    assert refusal("PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }") is None
    proc = guanxi("sparql", 'SELECT (COUNT(*) AS ?service) WHERE { ?p a gx:Person } # SERVICE <http://x/>',
                  "--format", "json", store=store)
    assert proc.returncode == 0, proc.stderr
    assert int(json.loads(proc.stdout)["results"]["bindings"][0]["service"]["value"]) > 10


def test_guanxi_query_runs_registered_names_only(store, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for suffix in (".rq", ".cypher"):
        (elsewhere / f"mine{suffix}").write_text((ROOT / "queries" / f"search{suffix}").read_text(encoding="utf-8")
                                                 .replace("name: search", "name: mine"), encoding="utf-8")
    relative = os.path.relpath(elsewhere / "mine", ROOT / "queries")
    for name in (relative, str(elsewhere / "mine"), "../queries/search"):
        proc = guanxi("query", name, "--param", "text=唐山", store=store)
        assert proc.returncode == 2 and "no named query" in proc.stderr and proc.stdout == "", (name, proc.stderr)
    unknown = guanxi("query", "no_such_query", store=store)
    assert unknown.returncode == 2 and "no named query 'no_such_query'" in unknown.stderr and "--file" in unknown.stderr
    # the user's own pair runs when named explicitly, with --file
    own = guanxi("query", "--file", str(elsewhere / "mine.rq"), "--param", "text=唐山", "--format", "json", store=store)
    assert own.returncode == 0, own.stderr
    assert any(row["label"].startswith("唐山") for row in json.loads(own.stdout))
    # and it is checked like any other user query
    (elsewhere / "mine.rq").write_text((elsewhere / "mine.rq").read_text(encoding="utf-8").replace(
        "WHERE {\n", "WHERE {\n  SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c }\n", 1), encoding="utf-8")
    federated = guanxi("query", "--file", str(elsewhere / "mine.rq"), "--param", "text=唐山", store=store)
    assert federated.returncode == 2 and "SERVICE" in federated.stderr
