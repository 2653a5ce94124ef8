"""Shared fixtures: the real local Neo4j server (started once per test session when a test asks for it)."""
from tests.neo4j_server import neo4j_server  # noqa: F401  (a pytest fixture, used by name)
