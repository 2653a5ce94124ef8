"""`guanxi cypher` is read-only: refused before sending, refused by the server's plan, refused by the server.

Neo4j 5 Community has no roles (every account can administer the server), so there is no reader account to
connect as; the three layers of graph/cypher_guard.py are tested here, each on its own, against the real
Neo4j 5.26 that scripts/neo4j-local runs."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import neo4j
import pytest

from guanxi.api import Guanxi
from guanxi.graph import cypher_guard, neo4j_read
from guanxi.graph import neo4j_sync as ns
from tests.test_cypher_cookbook import QUERIES as COOKBOOK

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


class Listener:
    """A TCP port that records whether anything connected to it (a server that must never be reached)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.connections


def guanxi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run([sys.executable, "-m", "guanxi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**base, "PYTHONIOENCODING": "utf-8", **(env or {})}, stdin=subprocess.DEVNULL)


ADMINISTRATION = [
    "SHOW USERS", "SHOW CURRENT USER", "SHOW SETTINGS", "SHOW DATABASES", "CYPHER 5 SHOW USERS",
    "CREATE USER mallory SET PASSWORD 'correct-horse' CHANGE NOT REQUIRED", "ALTER USER neo4j SET PASSWORD 'x12345678'",
    "DROP USER neo4j", "GRANT ROLE admin TO mallory", "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.killQuery('query-1')", "CALL db.clearQueryCaches()", "STOP DATABASE neo4j", "USE system SHOW USERS",
    "MATCH (n) RETURN n UNION SHOW USERS", "RETURN apoc.version()",
]
LOAD_CSV = ["LOAD CSV FROM 'http://127.0.0.1:{port}/x.csv' AS row RETURN row",
            "load csv with headers from 'file:///etc/passwd' as row return row"]
TRANSACTIONS = ["TERMINATE TRANSACTIONS $ids", "TERMINATE TRANSACTION 'neo4j-transaction-1'", "SHOW TRANSACTIONS",
                "CALL { MATCH (n) RETURN n } IN TRANSACTIONS OF 10 ROWS RETURN 1", "BEGIN", "COMMIT"]
WRITES = ["CREATE (n:Planted) RETURN n", "MATCH (n) SET n.x = 1", "MATCH (n) DETACH DELETE n",
          "MERGE (n:Planted {x: 1})", "MATCH (n) REMOVE n.name", "CREATE INDEX planted FOR (n:Planted) ON (n.x)"]


@pytest.mark.parametrize("query", ADMINISTRATION + LOAD_CSV + TRANSACTIONS + WRITES)
def test_refused_before_anything_is_sent(query):
    """The Bolt port given is a listener that counts connections: a refused query never reaches it."""
    listener = Listener()
    try:
        proc = guanxi("cypher", query.replace("{port}", str(listener.port)), "--uri", f"bolt://127.0.0.1:{listener.port}",
                      "--param", "ids:=[\"neo4j-transaction-1\"]", env={"NEO4J_PASSWORD": "unused"})
    finally:
        connections = listener.close()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "is refused" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert connections == 0, "the query was refused only after connecting"


def test_reads_are_not_refused():
    for number, title, query, params in COOKBOOK:
        assert cypher_guard.refusal(query) is None, (number, title)
    for query in ["MATCH (n:Person {name: 'LOAD CSV'}) RETURN n", "MATCH (n) // SHOW USERS\nRETURN n.set AS `delete`",
                  "CALL db.labels() YIELD label RETURN label", "SHOW INDEXES", "SHOW ALL CONSTRAINTS",
                  "MATCH (use:Person) RETURN use.name", "MATCH (p) CALL (p) { RETURN p.name AS n } RETURN n",
                  "PROFILE MATCH (n) RETURN count(n)"]:
        assert cypher_guard.refusal(query) is None, query


@pytest.fixture(scope="module")
def graph(neo4j_server, tmp_path_factory):
    store = tmp_path_factory.mktemp("cypher-ro") / "store"
    with Guanxi(store) as g, neo4j_server.driver(notifications_min_severity="OFF") as driver:
        assert g.ingest([str(SEEDS)]).ok
        ns.wipe(driver, neo4j_server.database)
        ns.sync(g.store, driver, neo4j_server.database)
        yield driver


def server_plan(driver, database, query: str, params: dict | None = None):
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        summary = session.execute_read(lambda tx: tx.run(cypher_guard.explain_text(query), params or {}).consume())
    return summary.query_type, summary.plan


@pytest.mark.neo4j
@pytest.mark.parametrize("query", [
    "SHOW USERS", "SHOW SETTINGS", "CREATE USER mallory SET PASSWORD 'correct-horse'",
    "CALL dbms.listConfig() YIELD name RETURN name", "CALL db.clearQueryCaches()",
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "SHOW TRANSACTIONS",
    "CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN 1",
    "CREATE (n:Planted) RETURN n", "MATCH (n) SET n.x = 1", "CREATE INDEX planted FOR (n:Planted) ON (n.x)",
])
def test_the_servers_plan_refuses_each_of_them_on_its_own(graph, neo4j_server, query):
    """Layer 2 without layer 1: the EXPLAIN plan (queryType and operators) alone refuses every one of them."""
    query_type, plan = server_plan(graph, neo4j_server.database, query)
    reason = cypher_guard.plan_refusal(query_type, plan)
    assert reason and "the server" in reason, (query, query_type)


@pytest.mark.neo4j
def test_the_cookbook_and_the_named_queries_pass_the_plan_check(graph, neo4j_server):
    from guanxi.queries.registry import registry

    for number, title, query, params in COOKBOOK:
        result = cypher_guard.run_user_read(graph, query, params, neo4j_server.database)
        assert result.rows, (number, title)
    for name, named in registry().items():
        values = {p.name: None for p in named.params}
        query_type, plan = server_plan(graph, neo4j_server.database, named.cypher, values)
        assert cypher_guard.plan_refusal(query_type, plan) is None, name


@pytest.mark.neo4j
def test_the_local_server_itself_refuses_to_load_anything(graph, neo4j_server):
    """Layer 3: sent straight through the driver, LOAD CSV is refused by the server scripts/neo4j-local runs
    (every address blocked, no file URLs), and nothing reaches the address."""
    if neo4j_server.home is None:
        pytest.skip("an external server (NEO4J_URI): its configuration is its owner's")
    listener = Listener()
    try:
        for url in (f"http://127.0.0.1:{listener.port}/x.csv", "file:///etc/passwd"):
            with pytest.raises(neo4j.exceptions.ClientError, match="blocked|allow_csv_import_from_file_urls"):
                with graph.session(database=neo4j_server.database, default_access_mode=neo4j.READ_ACCESS) as s:
                    s.execute_read(lambda tx: list(tx.run("LOAD CSV FROM $url AS row RETURN row", url=url)))
    finally:
        connections = listener.close()
    assert connections == 0
    # and a write in a read transaction is refused by the server
    with pytest.raises(neo4j_read.ReadOnlyError):
        neo4j_read.run_read(graph, "CREATE (n:Planted) RETURN n", {}, neo4j_server.database)


def _env(server) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password or "",
            "NEO4J_DATABASE": server.database}


@pytest.mark.neo4j
def test_the_command_reads_and_sorts_its_failures_by_exit_code(graph, neo4j_server):
    ok = guanxi("cypher", "MATCH (p:Person {name: $name}) RETURN p.name AS name", "--param", "name=张古江",
                "--format", "json", env=_env(neo4j_server))
    assert ok.returncode == 0 and '"张古江"' in ok.stdout
    syntax = guanxi("cypher", "MATCH (p:Person RETURN p", env=_env(neo4j_server))
    assert syntax.returncode == 2 and "SyntaxError" in syntax.stderr and "Traceback" not in syntax.stderr
    refused = guanxi("cypher", "SHOW USERS", env=_env(neo4j_server))
    assert refused.returncode == 2 and "refused" in refused.stderr
    down = guanxi("cypher", "RETURN 1", env={**_env(neo4j_server), "NEO4J_URI": "bolt://127.0.0.1:1"})
    assert down.returncode == 1 and "cannot reach Neo4j" in down.stderr


@pytest.mark.neo4j
def test_a_password_in_the_uri_authenticates_and_is_never_printed(graph, neo4j_server):
    if not neo4j_server.password:
        pytest.skip("the server runs without authentication")
    host = neo4j_server.uri.split("://", 1)[1]
    with_password = {"NEO4J_URI": f"bolt://{neo4j_server.user}:{neo4j_server.password}@{host}",
                     "NEO4J_DATABASE": neo4j_server.database}
    ok = guanxi("cypher", "MATCH (p:Person) RETURN count(p) AS n", "--format", "json", env=with_password)
    assert ok.returncode == 0, ok.stderr
    wrong = guanxi("cypher", "RETURN 1", env={"NEO4J_URI": f"bolt://neo4j:Wr0ngSecret@{host}"})
    down = guanxi("cypher", "RETURN 1", "--uri", "bolt://analyst:T0pSecret@127.0.0.1:1")
    malformed = guanxi("cypher", "RETURN 1", "--uri", "nosuch://analyst:T0pSecret@127.0.0.1:1")
    for proc in (wrong, down, malformed):
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert "Secret" not in proc.stderr + proc.stdout, proc.stderr
    assert "refused the credentials of user neo4j" in wrong.stderr
    assert "bolt://127.0.0.1:1" in down.stderr
