"""Opening the store: only ingest creates one, readers open it read-only (and run while an ingest writes it),
and every problem with the store folder is one line naming it, never a traceback."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

# the unprivileged child keeps the modules imported here (it cannot read root's Python installation)
import csv  # noqa: F401
import tomllib  # noqa: F401

import guanxi.api  # noqa: F401
import guanxi.cli
import guanxi.graph.export  # noqa: F401
import guanxi.loaders.pipeline  # noqa: F401
import guanxi.loaders.readers  # noqa: F401
import guanxi.queries.api  # noqa: F401
import guanxi.queries.commands  # noqa: F401
import rich.progress  # noqa: F401
import rich.table  # noqa: F401
from tests.unprivileged import call_unprivileged, share_with_nobody

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
KG = ROOT / "tests" / "fixtures" / "kg"


def guanxi_cmd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guanxi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def one_line_error(proc: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout[-1000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("access") / "store"
    proc = guanxi_cmd("--store", str(path), "ingest", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.mark.parametrize("command", [
    ["person", "李强"], ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], ["stats"], ["export"], ["validate"],
    ["directives"], ["remove", "x"], ["merge", "a", "b", "--reason", "r"], ["view", "overview", "-o", "x.html"],
])
def test_a_mistyped_store_is_not_created_and_is_named(tmp_path, command):
    missing = tmp_path / "guanxi-dta"
    proc = guanxi_cmd("--store", str(missing), *command)
    one_line_error(proc, 2, f"no guanxi store at {missing}", "does not exist", "guanxi ingest")
    assert not missing.exists()
    assert proc.stdout == ""


def test_ingest_creates_the_store(tmp_path):
    new = tmp_path / "new"
    proc = guanxi_cmd("--store", str(new), "ingest", str(KG / "baoding.txt"))
    assert proc.returncode == 0 and (new / "oxigraph" / "CURRENT").is_file()


def test_a_file_a_foreign_folder_and_a_damaged_store_are_one_line_errors(tmp_path, store):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    one_line_error(guanxi_cmd("--store", str(a_file), "stats"), 2, f"{a_file} is a file, not a guanxi store folder")
    one_line_error(guanxi_cmd("--store", str(a_file), "ingest", str(KG / "baoding.txt")), 2, "is a file")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "oxigraph").write_text("not a database")
    for command in (["stats"], ["ingest", str(KG / "baoding.txt")]):
        one_line_error(guanxi_cmd("--store", str(foreign), *command), 2, f"{foreign / 'oxigraph'} is a file")
    damaged = tmp_path / "damaged"
    shutil.copytree(store, damaged)
    # the database and the snapshot readers open (graph/snapshots.py) both damaged
    for current in [damaged / "oxigraph" / "CURRENT", *(damaged / "snapshots").glob("*/CURRENT")]:
        current.write_text("MANIFEST-999999\x00garbage\n")
    for command in (["stats"], ["person", "张古江"], ["ingest", str(KG / "baoding.txt")]):
        one_line_error(guanxi_cmd("--store", str(damaged), *command), 1, f"the store at {damaged} is damaged",
                       "Corruption")


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = guanxi.cli.main(args)
    return code, out.getvalue(), err.getvalue()


def test_a_store_that_is_readable_but_not_writable(tmp_path, store):
    copy = tmp_path / "readonly"
    shutil.copytree(store, copy)
    share_with_nobody(copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        code, out, err = call_unprivileged(_cli, ["--store", str(copy), "stats", "--format", "json"])
        assert code == 0, err
        assert json.loads(out)["documents"] == 2
        code, out, err = call_unprivileged(_cli, ["--store", str(copy), "ingest", str(KG / "baoding.txt")])
        assert code == 1 and "Traceback" not in err
        assert err.startswith(f"error: cannot open the store at {copy}: permission denied"), err
        assert "writable, to change the store" in err and len(err.strip().splitlines()) == 1
    finally:
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_readers_run_while_an_ingest_writes_the_store(tmp_path, store):
    """A real concurrent ingest: 300 documents written by one process while others query the same store."""
    live = tmp_path / "live"
    shutil.copytree(store, live)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = (KG / "tangshan_a.txt").read_text(encoding="utf-8")
    for i in range(300):
        (corpus / f"d{i:03}.txt").write_text(f"第{i}号通报\n{report}", encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-m", "guanxi", "--store", str(live), "ingest", str(corpus),
                               "--format", "json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    readers = [
        ("stats", "--format", "json"),
        ("person", "张古江", "--format", "json"),
        ("sparql", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gx:Document }", "--format", "json"),
        ("export", "--format", "nq"),
    ]
    overlapping, counts, raced, runs = 0, [], 0, 0
    try:
        deadline = time.monotonic() + 600
        while writer.poll() is None and time.monotonic() < deadline:
            for command in readers:
                started_during = writer.poll() is None
                proc = guanxi_cmd("--store", str(live), *command)
                runs += 1
                if proc.returncode == 1 and "run the command again" in proc.stderr:
                    raced += 1  # the documented answer when the writer compacted files away mid-read
                    continue
                assert proc.returncode == 0, (command, proc.stderr[-2000:])
                if started_during and writer.poll() is None:
                    overlapping += 1
                if command[0] == "stats":
                    counts.append(json.loads(proc.stdout)["documents"])
                elif command[0] == "person":
                    assert json.loads(proc.stdout)["person"]["person_name"] == "张古江"
                elif command[0] == "export":
                    assert proc.stdout.count("\n") > 100
        out, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["documents"]["new"] == 300
    assert overlapping >= 2, f"only {overlapping} reader(s) ran during the ingest"
    assert raced <= runs // 5, f"{raced} of {runs} reads raced the writer"
    assert counts == sorted(counts) and 2 <= counts[0] and counts[-1] <= 302
    # a writer is still excluded by a writer
    assert json.loads(guanxi_cmd("--store", str(live), "stats", "--format", "json").stdout)["documents"] == 302
