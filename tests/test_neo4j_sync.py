"""`guanxi sync` / `guanxi cypher` against the real local Neo4j server (the ``neo4j_server`` fixture).

Every test starts from a database without guanxi's nodes (``wipe``) and checks Neo4j against the counts the
projection predicts from the store (``predict_counts``): after ingest, re-ingest, remove, unmerge, and after
syncs interrupted by a failing hook and by stopping the server.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi
from guanxi.graph import neo4j_local
from guanxi.graph import neo4j_read as nr
from guanxi.graph import neo4j_sync as ns
from guanxi.graph.projection import predict_counts, store_generation

pytestmark = pytest.mark.neo4j

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
OUTLINE = SEEDS / "000_3b541c3cffdbfa2f.txt"
REPORT = SEEDS / "002_a9ec4e6a3a1afbe8.txt"


@pytest.fixture
def db(neo4j_server):
    """A driver on a database holding no guanxi nodes and no sync state."""
    with neo4j_server.driver(notifications_min_severity="OFF") as driver:
        ns.wipe(driver, neo4j_server.database)
        yield driver


@pytest.fixture
def kg(tmp_path):
    with Guanxi(tmp_path / "store") as g:
        assert g.ingest([str(OUTLINE), str(REPORT)]).ok
        yield g


def neo4j_counts(driver, database) -> tuple[dict[str, int], dict[str, int]]:
    labels, _, _ = driver.execute_query(
        "MATCH (n:Entity) UNWIND labels(n) AS label RETURN label, count(*) AS n", database_=database)
    types, _, _ = driver.execute_query(
        "MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS type, count(*) AS n", database_=database)
    return {r["label"]: r["n"] for r in labels}, {r["type"]: r["n"] for r in types}


def assert_in_sync(kg, driver, database) -> None:
    assert neo4j_counts(driver, database) == predict_counts(kg.store)


def read(driver, database, query, **params):
    records, _, _ = driver.execute_query(query, params, database_=database)
    return [r.data() for r in records]


# ---- the acceptance queries ------------------------------------------------------------------------------

def test_seed_graph_answers_the_questions(kg, db, neo4j_server):
    database = neo4j_server.database
    report = ns.sync(kg.store, db, database)
    assert report.nodes.created > 0 and not report.up_to_date
    assert_in_sync(kg, db, database)

    posts = read(db, database, """
        MATCH (p:Person {name: $name})-[h:HELD]->(o:Organization)
        RETURN h.post_label AS post, h.title AS title, o.name AS org, h.first_seen AS first_seen, h.sources AS sources""",
                 name="张古江")
    assert {r["post"] for r in posts} == {"河北省委常委", "唐山市委书记"}
    assert {(r["org"], r["title"]) for r in posts} == {("中共河北省委员会", "常委"), ("中共唐山市委员会", "书记")}
    assert all(str(r["first_seen"]) == "2020-09-08" and len(r["sources"]) == 1 for r in posts)

    presided = read(db, database, """
        MATCH (p:Person)-[x:PARTICIPATED]->(m:Meeting {date: date($day)})
        WHERE 'presided' IN x.roles RETURN p.name AS name, m.name AS meeting""", day="2020-09-07")
    assert presided == [{"name": "胡国辉", "meeting": "协商议政大会"}]

    bio = read(db, database, """
        MATCH (d:Directive)-[:CONCERNS]->(i:Industry) WHERE i.name STARTS WITH $industry
        MATCH (d)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc:Document)
        RETURN d.text AS directive, m.exact AS quote, m.start AS start, doc.title AS title""", industry="生物医药")
    assert bio
    text = OUTLINE.read_text(encoding="utf-8")
    for row in bio:
        assert "生物医药" in row["quote"]
        assert row["quote"] in text  # the exact characters of the source


# ---- idempotent, incremental ------------------------------------------------------------------------------

def test_second_sync_writes_nothing(kg, db, neo4j_server):
    database = neo4j_server.database
    first = ns.sync(kg.store, db, database)
    assert first.written == len(ns.project(kg.store))
    second = ns.sync(kg.store, db, database)
    assert second.up_to_date and second.written == 0 and second.batches == 0
    # without the fast path the diff finds nothing to do either
    db.execute_query("MATCH (s:GuanxiSyncState) SET s.store_generation = 'stale'", database_=database)
    third = ns.sync(kg.store, db, database)
    assert not third.up_to_date and third.written == 0 and third.batches == 0
    assert third.nodes.unchanged == first.nodes.created
    assert third.relationships.unchanged == first.relationships.created
    assert ns.read_state(db, database) == store_generation(kg.store)
    assert_in_sync(kg, db, database)


def test_counts_follow_ingest_reingest_remove_and_unmerge(kg, db, neo4j_server, tmp_path):
    database = neo4j_server.database
    ns.sync(kg.store, db, database)
    assert_in_sync(kg, db, database)

    # the same documents again: unchanged, nothing to write
    kg.ingest([str(OUTLINE), str(REPORT)])
    assert ns.sync(kg.store, db, database).up_to_date
    assert_in_sync(kg, db, database)

    # a changed version of the report (its last paragraphs cut): retracted facts disappear
    changed = tmp_path / "changed" / REPORT.name
    changed.parent.mkdir()
    text = REPORT.read_text(encoding="utf-8")
    changed.write_text(text[: text.index("胡国辉在主持会议时指出")] + "\n", encoding="utf-8")
    assert kg.ingest([str(changed)]).changed
    report = ns.sync(kg.store, db, database)
    assert report.nodes.deleted > 0 or report.relationships.deleted > 0
    assert_in_sync(kg, db, database)
    kg.ingest([str(REPORT)])
    ns.sync(kg.store, db, database)
    assert_in_sync(kg, db, database)

    # remove the outline: its industries and directives go
    assert kg.remove(OUTLINE.stem)
    report = ns.sync(kg.store, db, database)
    assert report.nodes.deleted > 0 and report.relationships.deleted > 0
    assert_in_sync(kg, db, database)
    assert read(db, database, "MATCH (i:Industry) WHERE i.name STARTS WITH '生物医药' RETURN i") == []

    # unmerge: 张古江 in the report becomes a node of its own; the old node disappears
    old = read(db, database, "MATCH (p:Person {name: '张古江'}) RETURN p.iri AS iri")
    new = kg.unmerge("张古江", REPORT.stem)
    ns.sync(kg.store, db, database)
    assert_in_sync(kg, db, database)
    now = read(db, database, "MATCH (p:Person {name: '张古江'}) RETURN p.iri AS iri")
    assert now == [{"iri": new}] and old != now
    assert len(read(db, database, "MATCH (:Person {iri: $iri})-[h:HELD]->() RETURN h", iri=new)) == 2


def test_tampered_graph_is_repaired(kg, db, neo4j_server):
    database = neo4j_server.database
    ns.sync(kg.store, db, database)
    nodes = len(ns.project(kg.store).nodes)
    db.execute_query("""MATCH (p:Person {name: '胡国辉'}) SET p:Organization, p.name = 'x', p._gx_hash = 'stale'""",
                     database_=database)
    assert ns.sync(kg.store, db, database).up_to_date  # the store did not change: the fast path trusts Neo4j
    report = ns.sync(kg.store, db, database, full=True)  # --full rewrites everything
    assert report.nodes.updated == nodes and report.nodes.deleted == 0
    hu = read(db, database, "MATCH (p:Entity {name: '胡国辉'}) RETURN labels(p) AS labels")
    assert [sorted(r["labels"]) for r in hu] == [["Entity", "Person"]]
    assert_in_sync(kg, db, database)

    # a node count that differs from the last sync's defeats the fast path: the diff repairs the graph
    db.execute_query("MATCH (p:Person {name: '胡国辉'}) SET p:Organization, p._gx_hash = 'stale'", database_=database)
    db.execute_query("CREATE (:Entity:Person {iri: 'urn:gone', name: '不存在', _gx_hash: 'h'})", database_=database)
    report = ns.sync(kg.store, db, database)
    assert (report.nodes.updated, report.nodes.deleted, report.nodes.unchanged) == (1, 1, nodes - 1)
    assert read(db, database, "MATCH (n {iri: 'urn:gone'}) RETURN n") == []
    hu = read(db, database, "MATCH (p:Entity {name: '胡国辉'}) RETURN labels(p) AS labels")
    assert [sorted(r["labels"]) for r in hu] == [["Entity", "Person"]]
    assert_in_sync(kg, db, database)

    # guanxi's nodes deleted by hand (the state node left)
    db.execute_query("MATCH (n:Entity) DETACH DELETE n", database_=database)
    report = ns.sync(kg.store, db, database)
    assert not report.up_to_date and report.nodes.created == nodes
    assert_in_sync(kg, db, database)


def test_constraints_and_state(kg, db, neo4j_server):
    database = neo4j_server.database
    ns.sync(kg.store, db, database)
    names = {r["name"] for r in read(db, database, "SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"guanxi_Entity_iri", "guanxi_Person_iri", "guanxi_Organization_iri", "guanxi_Mention_iri"} <= names
    state = read(db, database, "MATCH (s:GuanxiSyncState) RETURN s.store_generation AS g, s.nodes AS n")
    assert state == [{"g": store_generation(kg.store), "n": len(ns.project(kg.store).nodes)}]


def test_the_ontologys_indexes_exist_and_an_up_to_date_sync_restores_them(kg, db, neo4j_server):
    database = neo4j_server.database
    ns.sync(kg.store, db, database)
    indexes = {r["name"]: (r["labels"], r["props"]) for r in read(
        db, database, "SHOW INDEXES YIELD name, labelsOrTypes AS labels, properties AS props RETURN name, labels, props")}
    assert indexes["guanxi_Person_name"] == (["Person"], ["name"])
    assert indexes["guanxi_Organization_aliases"] == (["Organization"], ["aliases"])
    # dropped (an older guanxi made none): an up-to-date sync creates it again
    db.execute_query("DROP INDEX guanxi_Person_name", database_=database)
    assert ns.sync(kg.store, db, database).up_to_date
    assert "guanxi_Person_name" in {r["name"] for r in read(db, database, "SHOW INDEXES YIELD name RETURN name")}


# ---- resumable ------------------------------------------------------------------------------------------

def _fail_after(k: int):
    def hook(batches: int) -> None:
        if batches >= k:
            raise ns.SyncInterrupted(f"simulated failure after {k} batches")
    return hook


def test_interrupted_sync_is_completed_by_the_next(kg, db, neo4j_server):
    database = neo4j_server.database
    with pytest.raises(ns.SyncInterrupted):
        ns.sync(kg.store, db, database, batch_size=25, after_batch=_fail_after(5))
    nodes, _ = neo4j_counts(db, database)
    assert 0 < nodes.get("Entity", 0) < len(ns.project(kg.store).nodes)  # partly written
    assert ns.read_state(db, database) is None                             # and not marked complete
    resumed = ns.sync(kg.store, db, database, batch_size=25)
    assert resumed.nodes.unchanged == 5 * 25 or resumed.nodes.unchanged > 0
    assert_in_sync(kg, db, database)
    assert ns.sync(kg.store, db, database).up_to_date


def test_interrupted_incremental_sync_is_not_mistaken_for_complete(kg, db, neo4j_server):
    """Interrupted while applying a change that is then undone: the store's generation is the last complete
    one again, but Neo4j is half-way; the cleared state forces a diff that repairs it."""
    database = neo4j_server.database
    ns.sync(kg.store, db, database)
    kg.remove(OUTLINE.stem)
    with pytest.raises(ns.SyncInterrupted):
        ns.sync(kg.store, db, database, batch_size=10, after_batch=_fail_after(2))
    kg.ingest([str(OUTLINE)])  # back to the synced generation
    report = ns.sync(kg.store, db, database)
    assert not report.up_to_date and report.written > 0
    assert_in_sync(kg, db, database)


def test_server_stopped_mid_sync(kg, neo4j_server):
    if neo4j_server.home is None:
        pytest.skip("NEO4J_URI points at an external server; only the local one can be stopped")
    database, home = neo4j_server.database, neo4j_server.home
    auth = neo4j_server.password is not None
    stopped = []

    def stop_server(batches: int) -> None:
        if batches == 3 and not stopped:
            stopped.append(neo4j_local.stop(home))

    with neo4j_server.driver(notifications_min_severity="OFF", max_transaction_retry_time=1.0,
                             connection_acquisition_timeout=5.0) as driver:
        ns.wipe(driver, database)
        with pytest.raises(Exception) as failure:
            ns.sync(kg.store, driver, database, batch_size=20, after_batch=stop_server)
        assert stopped == [True]
        assert not isinstance(failure.value, ns.SyncInterrupted)
    info = neo4j_local.ensure_started(home, auth=auth)
    assert info.uri == neo4j_server.uri  # same port again
    with info.driver(notifications_min_severity="OFF") as driver:
        nodes, _ = neo4j_counts(driver, database)
        assert 0 < nodes.get("Entity", 0) < len(ns.project(kg.store).nodes)
        assert ns.read_state(driver, database) is None
        ns.sync(kg.store, driver, database, batch_size=20)
        assert_in_sync(kg, driver, database)
        assert ns.sync(kg.store, driver, database).up_to_date


# ---- credentials -----------------------------------------------------------------------------------------

def test_wrong_password_is_not_in_the_message(neo4j_server, monkeypatch):
    if neo4j_server.password is None:
        pytest.skip("authentication is off on this server")
    secret = "wrong-Pa55word-" + "q7Zx"
    conn = nr.Settings(uri=neo4j_server.uri, user=neo4j_server.user, password=secret, database=neo4j_server.database)
    with pytest.raises(nr.Neo4jError) as exc:
        nr.open_driver(conn)
    assert secret not in str(exc.value) and "credentials" in str(exc.value)
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    code, out, err = run_cli(["cypher", "RETURN 1 AS one"])
    assert code == 1 and secret not in out + err and "credentials" in err


def test_settings_from_environment_and_prompt():
    env = {"NEO4J_URI": "bolt://h:1", "NEO4J_USER": "u", "NEO4J_PASSWORD": "", "NEO4J_DATABASE": "d"}
    s = nr.settings(environ=env, interactive=True, prompt=lambda _: pytest.fail("must not prompt"))
    assert (s.uri, s.user, s.database, s.auth) == ("bolt://h:1", "u", "d", None)  # empty password: no auth
    asked = []
    s = nr.settings(environ={}, interactive=True, prompt=lambda text: asked.append(text) or "s3cret")
    assert s.auth == ("neo4j", "s3cret") and asked and "s3cret" not in repr(s)
    assert nr.settings(environ={}, interactive=False).auth is None
    assert nr.settings("bolt://x:2", "v", None, "w", environ=env).uri == "bolt://x:2"
    assert s.redact("failed with s3cret inside") == "failed with *** inside"


# ---- the command line ------------------------------------------------------------------------------------

def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def env(neo4j_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)


def test_cli_sync_and_cypher(tmp_path, db, env, neo4j_server):
    store = tmp_path / "store"
    with Guanxi(store) as g:
        g.ingest([str(OUTLINE), str(REPORT)])
        expected = predict_counts(g.store)
    code, out, err = run_cli(["--store", str(store), "sync", "--format", "json", "--batch-size", "50"])
    assert code == 0, err
    summary = json.loads(out)
    assert summary["nodes"]["created"] == expected[0]["Entity"] and not summary["up_to_date"]
    assert (neo4j_server.password or "\0") not in out + err
    assert neo4j_counts(db, neo4j_server.database) == expected
    code, out, _ = run_cli(["--store", str(store), "sync"])
    assert code == 0 and "up to date" in out

    code, out, err = run_cli(["cypher", "MATCH (p:Person {name: $name})-[h:HELD]->(o) RETURN h.post_label AS post "
                              "ORDER BY post", "--param", "name=张古江", "--format", "json"])
    assert code == 0, err
    assert json.loads(out) == [{"post": "唐山市委书记"}, {"post": "河北省委常委"}]
    code, out, _ = run_cli(["cypher", "MATCH (p:Person {name: $name})-[h:HELD]->(o) RETURN p.name AS name, "
                            "h.post_label AS post, o.name AS org", "--param", "name=张古江"])
    assert code == 0 and "唐山市委书记" in out and "2 row(s)" in out
    code, out, _ = run_cli(["cypher", "MATCH (p:Person) RETURN p.name AS name ORDER BY name LIMIT $n",
                            "--param", "n:=2", "--format", "csv"])
    assert code == 0 and out.splitlines()[0] == "name" and len(out.splitlines()) == 3


def test_cypher_refuses_writes(kg, db, env, neo4j_server):
    ns.sync(kg.store, db, neo4j_server.database)
    before = neo4j_counts(db, neo4j_server.database)
    for query in ("CREATE (:Person {name: '假'})", "MATCH (p:Person) SET p.name = 'x'", "MATCH (n) DETACH DELETE n",
                  "MERGE (x:Entity {iri: 'urn:x'})", "CREATE INDEX gx_test IF NOT EXISTS FOR (n:Person) ON (n.name)"):
        code, out, err = run_cli(["cypher", query])
        assert code == 2 and out == ""  # refused: a usage error, as for SPARQL Update
        assert "guanxi cypher is read-only" in err and "guanxi sync" in err
    assert neo4j_counts(db, neo4j_server.database) == before
    with pytest.raises(nr.ReadOnlyError):
        nr.run_read(db, "CREATE (n:X) RETURN n", database=neo4j_server.database)


def test_cypher_parameters_are_values(kg, db, env, neo4j_server):
    ns.sync(kg.store, db, neo4j_server.database)
    query = "MATCH (p:Person) WHERE p.name = $name RETURN p.name AS name"
    code, out, _ = run_cli(["cypher", query, "--param", "name=张古江' OR 1=1 //", "--format", "json"])
    assert code == 0 and json.loads(out) == []
    code, out, _ = run_cli(["cypher", query, "--param", 'name=张古江" OR true //', "--format", "json"])
    assert code == 0 and json.loads(out) == []
    code, out, _ = run_cli(["cypher", query, "--param", "name=张古江", "--format", "json"])
    assert json.loads(out) == [{"name": "张古江"}]
    result = nr.run_read(db, query, {"name": "张古江' OR 1=1 //"}, neo4j_server.database)
    assert result.rows == []
    code, _, err = run_cli(["cypher", query, "--param", "novalue"])
    assert code == 2 and "name=value" in err


def test_cli_sync_reports_an_unreachable_server(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "never-shown-123")
    code, out, err = run_cli(["--store", str(tmp_path / "s"), "sync"])
    assert code == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in err and "never-shown-123" not in err
