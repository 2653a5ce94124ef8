"""`guanxi neo4j-import`: the projection loaded into an empty database by the real `neo4j-admin database import full`
of the Neo4j that scripts/neo4j-local fetches (server stopped, import, server started) holds exactly what
`guanxi sync` writes — the same node and relationship counts and content hash — and later syncs carry on from it."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi
from guanxi.graph import neo4j_import as ni
from guanxi.graph import neo4j_local
from guanxi.graph import neo4j_sync as ns
from guanxi.graph.projection import project

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(FIXTURES.joinpath("seeds").glob("*.txt"))
KG = sorted(FIXTURES.joinpath("kg").glob("*.txt"))


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def local_server(neo4j_server, monkeypatch):
    if neo4j_server.home is None:
        pytest.skip("NEO4J_URI points at an external server; neo4j-import loads the local one")
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    return neo4j_server


def empty_database(info) -> None:
    with info.driver(notifications_min_severity="OFF") as driver:
        ns.wipe(driver, info.database)
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=info.database)


def fingerprint(info) -> dict:
    with info.driver(notifications_min_severity="OFF") as driver:
        return ns.content_fingerprint(driver, info.database)


def test_import_holds_what_sync_writes(tmp_path, local_server):
    info = local_server
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(p) for p in SEEDS + KG[:2]])
        elements = len(project(g.store))
    empty_database(info)
    code, out, err = run_cli(["--store", str(store), "sync", "--format", "json"])
    assert code == 0, err
    synced = fingerprint(info)
    assert synced["nodes"] + synced["relationships"] == elements

    empty_database(info)
    code, out, err = run_cli(["--store", str(store), "neo4j-import", "--format", "json", "--keep-csv",
                              str(tmp_path / "csv")])
    assert code == 0, err
    report = json.loads(out)
    assert (report["nodes"], report["relationships"]) == (synced["nodes"], synced["relationships"])
    assert report["timings"]["import"] > 0
    info = neo4j_local.ensure_started(info.home, auth=info.password is not None)   # running again, same port
    imported = fingerprint(info)
    assert imported == synced                       # counts and content hash

    # the state was written: nothing to do, then an incremental sync of a change
    code, out, _ = run_cli(["--store", str(store), "sync"])
    assert code == 0 and "up to date" in out
    with Guanxi(store) as g:
        g.ingest([str(KG[2])])
    code, out, err = run_cli(["--store", str(store), "sync", "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["mode"] == "incremental"

    # the CSV files have typed headers, one file per label set / relationship type and signature
    headers = {p.read_text(encoding="utf-8").splitlines()[0] for p in (tmp_path / "csv").glob("*.csv")}
    assert any(h.startswith("iri:ID(Entity),_gx_hash") and "published:date" in h for h in headers)
    assert any("start:long" in h and "end:long" in h for h in headers)
    assert any("aliases:string[]" in h for h in headers)
    assert any(h.startswith(":START_ID(Entity),:END_ID(Entity),:TYPE,_gx_id,_gx_hash") and "sources:string[]" in h
               for h in headers)


def test_import_refuses_a_database_that_is_not_empty(tmp_path, local_server):
    info = local_server
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(SEEDS[0])])
    empty_database(info)
    assert run_cli(["--store", str(store), "sync"])[0] == 0
    before = fingerprint(info)
    code, out, err = run_cli(["--store", str(store), "neo4j-import"])
    assert code == 1 and out == ""
    assert "is not empty" in err and "guanxi sync" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert fingerprint(info) == before             # untouched, and the server still runs


def test_a_failed_import_leaves_an_empty_database_that_works(tmp_path, local_server, monkeypatch):
    """neo4j-admin failing half-way leaves the database's files unusable: they are removed, so the server comes
    back with an empty database that a sync fills."""
    info = local_server
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(SEEDS[0])])
    empty_database(info)
    real = ni.admin_arguments
    monkeypatch.setattr(ni, "admin_arguments",
                        lambda files, db: real(files, db) + [f"--relationships={tmp_path / 'missing.csv'}"])
    code, out, err = run_cli(["--store", str(store), "neo4j-import"])
    assert code == 1 and "neo4j-admin database import full failed" in err and "empty again" in err
    info = neo4j_local.ensure_started(info.home, auth=info.password is not None)
    assert fingerprint(info)["nodes"] == 0
    assert run_cli(["--store", str(store), "sync"])[0] == 0
    with Guanxi(store) as g:
        assert fingerprint(info)["nodes"] == len(project(g.store).nodes)


def test_import_without_neo4j_admin(tmp_path, local_server):
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(SEEDS[0])])
    code, out, err = run_cli(["--store", str(store), "neo4j-import", "--neo4j-home", str(tmp_path / "no-neo4j")])
    assert code == 1 and "neo4j-admin not found" in err and "scripts/neo4j-local fetch" in err
    assert "Traceback" not in err


def test_csv_only_for_another_installation(tmp_path):
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(p) for p in SEEDS])
        graph = project(g.store)
    code, out, err = run_cli(["--store", str(store), "neo4j-import", "--csv-only", str(tmp_path / "files"),
                              "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert (data["nodes"], data["relationships"]) == (len(graph.nodes), len(graph.relationships))
    assert data["command"][:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert all(Path(f).is_file() for f in data["files"])
    rows = sum(len(Path(f).read_text(encoding="utf-8").split("\n")) - 2 for f in data["files"])
    assert rows >= len(graph)                      # a value spanning lines makes more lines, never fewer


def test_cells_keep_what_csv_would_lose():
    assert ni._cell(None) == ""                    # absent: no property
    assert ni._cell("") == '""'                    # an empty string stays one
    assert ni._cell('他说"好"') == '"他说""好"""'
    assert ni._cell(["a;b", "c"]) == '"a;b\x1fc"'  # only the control character separates list elements
    assert ni._cell(3) == "3" and ni._cell(True) == "true"
    assert ni._type_of([1, 2]) == "long[]" and ni._type_of("x") == "string"
