"""SIGKILL `guanxi ingest` mid-way: every document is wholly in or wholly out, and a re-run converges to
exactly the graph of an uninterrupted ingest."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from guanxi.graph.store import GraphStore
from guanxi.ontology import iri

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "tests" / "fixtures" / "kg"
N_DOCS = 36

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["海", "建国", "志强", "丽华", "明", "晓东", "春生", "国庆", "秀英", "文斌", "红梅", "卫东"]


def make_corpus(directory: Path) -> list[str]:
    """Small realistic reports: the kg fixtures with the deputy mayor's name, the dates and the city varied.
    Names repeat across documents, so resolution links and tenure dates depend on several documents."""
    directory.mkdir(parents=True)
    templates = [(KG / name).read_text(encoding="utf-8") for name in ("tangshan_a.txt", "tangshan_b.txt", "baoding.txt")]
    ids = []
    for i in range(N_DOCS):
        text = templates[i % 3]
        name = SURNAMES[i % 7] + GIVEN[i % 5]
        text = text.replace("王海", name).replace("2020-1", f"20{20 + i % 4}-1").replace("月1", f"月{1 + i % 2}")
        doc_id = f"r{i:03d}"
        (directory / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        ids.append(doc_id)
    return ids


def ingest_cmd(store: Path, corpus: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "guanxi", "--store", str(store), "ingest", str(corpus), "--format", "json",
            "--workers", str(workers)]


def committed_documents(store: Path) -> int:
    """Documents whose round (resolve, emit, write) has completed: the resolution index lists their names."""
    db = store / "facts.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT COUNT(DISTINCT doc_id) FROM assigned").fetchone()[0]
    except sqlite3.Error:
        return 0


def nquads(store: Path) -> bytes:
    with GraphStore(store) as s:
        return s.canonical_nquads()


def by_graph(nq: bytes) -> dict[bytes, set[bytes]]:
    out: dict[bytes, set[bytes]] = {}
    for line in nq.splitlines():
        graph = line.rsplit(b" ", 2)[-2]
        out.setdefault(graph, set()).add(line)
    return out


def test_sigkill_mid_ingest_then_rerun_equals_uninterrupted(tmp_path):
    corpus = tmp_path / "corpus"
    ids = make_corpus(corpus)
    reference = tmp_path / "reference"
    done = subprocess.run(ingest_cmd(reference, corpus, 1), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"]["new"] == N_DOCS
    expected = nquads(reference)

    store = tmp_path / "killed"
    # rounds of 3 documents, so that some are committed well before the end
    proc = subprocess.Popen(ingest_cmd(store, corpus, 2), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env=os.environ | {"GUANXI_INGEST_BATCH": "3"})
    deadline = time.monotonic() + 300
    try:
        while committed_documents(store) < 6 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its worker processes, at once
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL and not out, "ingest finished before it could be killed"

    # every document is wholly in or wholly out (and final: no later round changed who its people are)
    partial = by_graph(nquads(store))
    reference_graphs = by_graph(expected)
    in_store = [d for d in ids if f"<{iri.graph_iri(d)}>".encode() in partial]
    assert 0 < len(in_store) < N_DOCS, len(in_store)
    for d in in_store:
        g = f"<{iri.graph_iri(d)}>".encode()
        assert partial[g] == reference_graphs[g], d

    rerun = subprocess.run(ingest_cmd(store, corpus, 2), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)["documents"]
    assert summary["unchanged"] == len(in_store) and summary["new"] == N_DOCS - len(in_store)
    assert nquads(store) == expected
