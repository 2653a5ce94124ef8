"""A password written into NEO4J_URI (bolt://user:pass@host) authenticates but is never printed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guanxi.graph.neo4j_read import friendly_error, redact_uri, settings, split_credentials

ROOT = Path(__file__).resolve().parent.parent


def test_credentials_are_taken_out_of_the_uri():
    s = settings(environ={"NEO4J_URI": "bolt://alice:s3cr%40t@db.example:7687"}, interactive=False)
    assert (s.uri, s.user, s.password) == ("bolt://db.example:7687", "alice", "s3cr@t")
    # the variables still win over the URI
    s = settings(environ={"NEO4J_URI": "bolt://alice:one@h:1", "NEO4J_USER": "bob", "NEO4J_PASSWORD": "two"},
                 interactive=False)
    assert (s.uri, s.user, s.password) == ("bolt://h:1", "bob", "two")
    assert split_credentials("neo4j+s://x.databases.neo4j.io") == ("neo4j+s://x.databases.neo4j.io", None, None)


def test_every_message_is_redacted():
    s = settings(environ={"NEO4J_URI": "bolt://alice:Hunter2Hunter2@db.example:7687"}, interactive=False)
    text = "failed: bolt://alice:Hunter2Hunter2@db.example:7687 and neo4j://bob:pw@other?password=zz&policy=x"
    redacted = s.redact(text)
    assert "Hunter2" not in redacted and ":pw@" not in redacted and "zz" not in redacted
    assert "bolt://alice:***@db.example:7687" in redacted and "policy=x" in redacted
    assert redact_uri("see http://u:p@h/x") == "see http://u:***@h/x"
    assert "Hunter2" not in str(friendly_error(RuntimeError("bolt://alice:Hunter2Hunter2@db"), s))


def test_commands_never_print_the_password(tmp_path):
    store = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    proc = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "ingest",
                           str(ROOT / "tests" / "fixtures" / "kg" / "baoding.txt")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    for command in (["sync"], ["cypher", "RETURN 1"], ["person", "王海", "--backend", "neo4j"]):
        proc = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), *command],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                              env={**env, "NEO4J_URI": "bolt://analyst:T0pSecretT0p@127.0.0.1:1"})
        assert proc.returncode == 1, (command, proc.stderr)
        assert "T0pSecret" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
        assert "bolt://127.0.0.1:1" in proc.stderr
