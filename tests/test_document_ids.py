"""Document ids that cannot collide: same-named files in two folders, standard input, and the collisions that
remain (two inputs that would still share an id) reported instead of one silently replacing the other."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "tests" / "fixtures" / "kg"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def guanxi(*args: str, store: Path, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def ingest(*paths: str, store: Path, stdin: bytes | None = None, check: int = 0, cwd: Path = ROOT) -> dict:
    proc = guanxi("ingest", *paths, "--format", "json", store=store, stdin=stdin, cwd=cwd)
    assert proc.returncode == check, proc.stderr.decode()[-3000:]
    assert b"Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def document_ids(store: Path) -> list[str]:
    query = "SELECT ?id WHERE { ?d a gx:Document ; dcterms:identifier ?id } ORDER BY ?id"
    proc = guanxi("sparql", query, "--format", "json", store=store)
    assert proc.returncode == 0, proc.stderr.decode()
    return [b["id"]["value"] for b in json.loads(proc.stdout)["results"]["bindings"]]


def test_same_named_files_in_two_folders_are_two_documents(tmp_path):
    corpus = tmp_path / "corpus"
    for folder, source in (("a", "tangshan_a.txt"), ("b", "tangshan_b.txt")):
        (corpus / folder).mkdir(parents=True)
        shutil.copy(KG / source, corpus / folder / "report.txt")
    store = tmp_path / "store"
    summary = ingest(str(corpus), store=store)
    assert summary["documents"] == {"new": 2, "changed": 0, "unchanged": 0, "failed": 0}
    assert summary["collisions"] == []
    assert document_ids(store) == ["a/report", "b/report"]
    # the same folder again: unchanged, and still two
    again = ingest(str(corpus), store=store)
    assert again["documents"] == {"new": 0, "changed": 0, "unchanged": 2, "failed": 0}
    assert document_ids(store) == ["a/report", "b/report"]


def test_two_standard_inputs_are_two_documents(tmp_path):
    store = tmp_path / "store"
    first = ingest("-", store=store, stdin=(KG / "tangshan_a.txt").read_bytes())
    second = ingest("-", store=store, stdin=(KG / "tangshan_b.txt").read_bytes())
    assert first["documents"]["new"] == 1 and second["documents"]["new"] == 1
    ids = document_ids(store)
    assert len(ids) == 2 and all(i.startswith("stdin-") for i in ids)
    # the same text again is the same document
    assert ingest("-", store=store, stdin=(KG / "tangshan_a.txt").read_bytes())["documents"]["unchanged"] == 1


def test_a_collision_in_one_ingest_is_reported_and_neither_is_replaced(tmp_path):
    for folder, source in (("a", "tangshan_a.txt"), ("b", "tangshan_b.txt"), ("c", "tangshan_a.txt")):
        (tmp_path / folder).mkdir()
        shutil.copy(KG / source, tmp_path / folder / "report.txt")
    store = tmp_path / "store"
    a, b, c = (str(tmp_path / f / "report.txt") for f in "abc")
    summary = ingest(a, b, c, store=store, check=1)
    assert summary["documents"] == {"new": 1, "changed": 0, "unchanged": 1, "failed": 1}
    assert [(x["id"], x["first"], x["second"], x["same_content"]) for x in summary["collisions"]] == [
        ("report", a, b, False), ("report", a, c, True)]
    [failure] = summary["failures"]
    assert failure["file"] == b and "document id report is already that of" in failure["reason"]
    assert "common folder" in failure["reason"]
    assert document_ids(store) == ["report"]
    table = guanxi("ingest", a, b, store=tmp_path / "other")
    assert table.returncode == 1
    assert "document id collisions" in table.stdout.decode() and "not stored" in table.stdout.decode()


def test_a_collision_with_an_earlier_ingest_is_reported(tmp_path):
    for folder, source in (("a", "tangshan_a.txt"), ("b", "tangshan_b.txt")):
        (tmp_path / folder).mkdir()
        shutil.copy(KG / source, tmp_path / folder / "report.txt")
    store = tmp_path / "store"
    ingest("a", store=store, cwd=tmp_path)
    # b/report.txt gets a's id: it may be an edited copy, so it replaces it, but the summary says so
    summary = ingest("b", store=store, cwd=tmp_path)
    assert summary["documents"]["changed"] == 1
    [clash] = summary["collisions"]
    assert clash == {"id": "report", "first": "a/report.txt", "second": "b/report.txt", "same_content": False,
                     "earlier_ingest": True}
    table = guanxi("ingest", "a", store=store, cwd=tmp_path)
    assert "document id collisions" in table.stdout.decode() and "common folder" in table.stdout.decode()
    # a document whose file moved (its old path is gone) is a changed document, not a collision
    (tmp_path / "a" / "report.txt").unlink()
    moved = ingest("b", store=store, cwd=tmp_path)
    assert moved["documents"]["changed"] == 1 and moved["collisions"] == []
    # from their common folder the two are two documents
    shutil.copy(KG / "tangshan_a.txt", tmp_path / "a" / "report.txt")
    both = ingest(".", store=tmp_path / "fresh", cwd=tmp_path)
    assert both["documents"]["new"] == 2 and both["collisions"] == []


def test_the_seeds_and_the_xwlb_preset_keep_their_ids(tmp_path):
    store = tmp_path / "store"
    ingest(str(SEEDS), store=store)
    ingest(str(ROOT / "tests" / "fixtures" / "readers" / "xwlb_20250103_two.json"), "--preset", "xwlb", store=store)
    ids = document_ids(store)
    assert "000_3b541c3cffdbfa2f" in ids and "002_a9ec4e6a3a1afbe8" in ids
    assert "VIDE1d32bYFngREW8H6AvYoi250103" in ids and len(ids) == 4


def test_ingest_failures_keep_the_line_of_a_jsonl_record(tmp_path):
    good = json.dumps({"id": "good", "text": (KG / "baoding.txt").read_text(encoding="utf-8")}, ensure_ascii=False)
    lines = tmp_path / "batch.jsonl"
    lines.write_text("\n".join([good, "", "{not json", json.dumps({"id": "chrome", "text": "分享到：微信 微博"},
                                                                   ensure_ascii=False)]) + "\n", encoding="utf-8")
    for workers in ("1", "2"):
        summary = ingest(str(lines), "--workers", workers, store=tmp_path / f"store{workers}", check=1)
        failures = sorted((f["record"], f["line"], f["reason"]) for f in summary["failures"])
        assert [(record, line) for record, line, _ in failures] == [(1, 3), (2, 4)], failures
        assert "malformed JSON" in failures[0][2] and "no text left" in failures[1][2]
        assert all(f["file"] == str(lines) for f in summary["failures"])
