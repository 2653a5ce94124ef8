"""Smoke test of the Neo4j server the ``neo4j_server`` fixture provides (local under .neo4j/, or NEO4J_URI)."""
from __future__ import annotations

import uuid

import pytest

from guanxi.graph import neo4j_local

try:  # the fixture (harmless if conftest.py imports it too)
    from tests.neo4j_server import neo4j_server  # noqa: F401
except ImportError:  # tests/ is not a package and the repo root is not on sys.path
    from neo4j_server import neo4j_server  # noqa: F401

pytestmark = pytest.mark.neo4j


def test_return_1(neo4j_server):
    with neo4j_server.driver() as driver:
        driver.verify_connectivity()
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_=neo4j_server.database)
    assert records[0]["one"] == 1


def test_node_roundtrip_in_rolled_back_transaction(neo4j_server):
    marker = f"guanxi-smoke-{uuid.uuid4().hex}"
    with neo4j_server.driver() as driver, driver.session(database=neo4j_server.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run("CREATE (:GuanxiSmoke {marker: $m, name: $name})", m=marker, name="国务院").consume()
            got = tx.run("MATCH (n:GuanxiSmoke {marker: $m}) RETURN n.name AS name", m=marker).single()
            assert got is not None and got["name"] == "国务院"
        finally:
            tx.rollback()
        left = session.run("MATCH (n:GuanxiSmoke {marker: $m}) RETURN count(n) AS c", m=marker).single()
        assert left["c"] == 0  # the throwaway transaction left nothing behind


def test_status(neo4j_server):
    if neo4j_server.home is None:
        pytest.skip("NEO4J_URI points at an external server; the local one is not in use")
    st = neo4j_local.status(neo4j_server.home)
    assert st.running
    assert st.pid == neo4j_server.pid
    assert st.uri == neo4j_server.uri
    assert st.version == neo4j_local.NEO4J_VERSION
    assert neo4j_server.uri.startswith("bolt://127.0.0.1:")
    if neo4j_server.password is not None:  # auth on: the password file is private and not in repr()
        assert (neo4j_server.home / "run" / "password").stat().st_mode & 0o077 == 0
        assert neo4j_server.password not in repr(neo4j_server)


def test_neo4j_browser_on_loopback_http(neo4j_server):
    """The HTTP connector listens on 127.0.0.1 only and serves Neo4j Browser, so it works with the local server."""
    if neo4j_server.home is None:
        pytest.skip("NEO4J_URI points at an external server; the local one is not in use")
    import urllib.request

    url = neo4j_local.browser_url(neo4j_server.home)
    assert url and url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200 and "text/html" in response.headers["content-type"]
        assert "Neo4j Browser" in response.read().decode("utf-8", "replace")
    conf = (neo4j_server.home / "conf" / "neo4j.conf").read_text()
    assert "server.http.enabled=true" in conf and f"server.http.listen_address=127.0.0.1:{url.split(':')[2].split('/')[0]}" in conf
    assert "server.https.enabled=false" in conf
