"""The ``neo4j_server`` pytest fixture (import it from conftest.py).

    from tests.neo4j_server import neo4j_server  # noqa: F401   (or: from neo4j_server import ...)

Session-scoped. It yields a :class:`guanxi.graph.neo4j_local.ServerInfo` with
``uri``, ``user``, ``password`` (None when auth is off), ``database``,
``auth`` (a tuple or None) and ``driver()``.

* ``NEO4J_URI`` set: that server is used as it is (with ``NEO4J_USER``,
  default ``neo4j``; ``NEO4J_PASSWORD``, empty = no auth; ``NEO4J_DATABASE``,
  default ``neo4j``), and never stopped.
* otherwise the local server under ``.neo4j/`` (or ``$GUANXI_NEO4J_HOME``) is
  started (jars fetched with Maven on first use) or reused if it already runs;
  it is stopped at the end of the session only if this fixture started it.

If the server can't be fetched, started or reached, every test that uses the
fixture FAILS (as an error) with the reason: they are never skipped, so CI
can't pass without running them.
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from guanxi.graph import neo4j_local
from guanxi.graph.neo4j_local import ServerInfo


def external_server() -> ServerInfo | None:
    """The server named by ``NEO4J_URI`` & co., or None if ``NEO4J_URI`` is unset."""
    uri = os.environ.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    return ServerInfo(
        uri=uri,
        user=os.environ.get("NEO4J_USER") or neo4j_local.DEFAULT_USER,
        password=os.environ.get("NEO4J_PASSWORD") or None,
        database=os.environ.get("NEO4J_DATABASE") or neo4j_local.DEFAULT_DATABASE,
    )


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[ServerInfo]:
    error: str | None = None
    external = external_server()
    if external is not None:
        try:
            with external.driver(connection_timeout=15) as driver:
                driver.verify_connectivity()
        except Exception as exc:
            from guanxi.graph.neo4j_read import redact_uri

            error = redact_uri(f"NEO4J_URI={external.uri} (user {external.user}) is not reachable: {type(exc).__name__}: {exc}")
        if error:
            pytest.fail(error, pytrace=False)
        yield external
        return

    home = neo4j_local.default_home()
    try:
        info = neo4j_local.ensure_started(home)
    except Exception as exc:
        error = f"could not start the local Neo4j server in {home}: {type(exc).__name__}: {exc}"
    if error:
        pytest.fail(error, pytrace=False)
    try:
        yield info
    finally:
        if info.started:
            neo4j_local.stop(home)
