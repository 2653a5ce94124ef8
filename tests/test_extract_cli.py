"""`guanxi extract` end to end: output shapes, exit codes, and bad input without tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPORT = FIXTURES / "seeds" / "002_a9ec4e6a3a1afbe8.txt"
OUTLINE = FIXTURES / "seeds" / "000_3b541c3cffdbfa2f.txt"
XWLB = FIXTURES / "readers" / "xwlb_20250103_two.json"

REQUIRED_KEYS = {"document", "people", "organizations", "events", "directives", "industries", "errors"}
DOCUMENT_KEYS = {"id", "path", "title", "published", "source", "authors", "editor", "jurisdiction"}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "guanxi", "extract", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()


def test_one_file_prints_one_object_with_the_required_keys():
    proc = run(str(REPORT))
    assert proc.returncode == 0, proc.stderr.decode()
    facts = json.loads(proc.stdout)
    assert REQUIRED_KEYS <= set(facts)
    assert DOCUMENT_KEYS <= set(facts["document"])
    person = facts["people"][0]
    assert {"name", "redacted", "positions", "mentions"} <= set(person)
    assert {"title", "organization", "organization_aliases", "span"} <= set(person["positions"][0])
    assert {"name", "date", "organizer", "theme", "participants", "span"} <= set(facts["events"][0])
    assert {"speaker", "speaker_organization", "text", "ordinal", "parent", "modality", "addressees", "industries", "span"} <= set(
        facts["directives"][0]
    )


def test_several_files_print_a_list_and_jsonl_one_line_each_in_input_order():
    proc = run(str(OUTLINE), str(REPORT))
    assert proc.returncode == 0
    facts = json.loads(proc.stdout)
    assert [f["document"]["id"] for f in facts] == ["000_3b541c3cffdbfa2f", "002_a9ec4e6a3a1afbe8"]
    proc = run(str(REPORT), str(OUTLINE), "--format", "jsonl")
    lines = proc.stdout.decode().splitlines()
    assert [json.loads(line)["document"]["path"] for line in lines] == [str(REPORT), str(OUTLINE)]


def test_json_records_with_preset_name_the_record():
    proc = run(str(XWLB), "--preset", "xwlb", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    docs = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(docs) == 2
    assert [d["document"]["record"] for d in docs] == [0, 1]
    assert all(d["document"]["published"].startswith("2025-01-03") for d in docs)


def test_stdin(tmp_path):
    proc = run("-", stdin=REPORT.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(json.loads(proc.stdout)["people"]) == 18


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("bad-bytes.txt", "市委书记张古江".encode("utf-8")[:-1] + b"\xff\xfe\x80\x81" * 50, "decode"),
    ],
)
def test_bad_files_get_a_clear_error_and_the_others_still_print(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    proc = run(str(bad), str(REPORT), "--format", "jsonl")
    assert_no_traceback(proc)
    assert proc.returncode == 1
    stderr = proc.stderr.decode()
    assert str(bad) in stderr and reason in stderr.lower(), stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["document"]["path"] == str(REPORT)


def test_malformed_json_line_names_file_and_line(tmp_path):
    good = json.dumps({"id": "a", "title": "t", "text": REPORT.read_text(encoding="utf-8")}, ensure_ascii=False)
    path = tmp_path / "batch.jsonl"
    path.write_text(good + "\n{not json\n" + good.replace('"a"', '"b"') + "\n", encoding="utf-8")
    proc = run(str(path), "--format", "jsonl")
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert f"{path}" in proc.stderr.decode() and "line 2" in proc.stderr.decode()
    ids = [json.loads(line)["document"]["id"] for line in proc.stdout.decode().splitlines()]
    assert ids == ["a", "b"]


def test_huge_text_is_refused_clearly(tmp_path):
    path = tmp_path / "huge.txt"
    line = ("市委书记张古江强调，要聚焦关键环节。" * 100 + "\n").encode("utf-8")
    with path.open("wb") as f:
        while f.tell() < 50 * 1024 * 1024:
            f.write(line)
    proc = run(str(path))
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert "too large" in proc.stderr.decode()


def test_html_with_script_never_leaks_script_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>唐山市政协召开协商议政大会</title><script>var 市长丁绣峰 = 1; alert('x')</script></head>"
        "<body><article><p>9月7日，市政协召开协商议政大会。市政协主席胡国辉主持会议。</p>"
        "<script>document.write('省委书记王五')</script>"
        "<p>省委常委、市委书记张古江，市委副书记、市长丁绣峰出席会议并讲话。</p></article></body></html>",
        encoding="utf-8",
    )
    proc = run(str(page), "--include-text")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr.decode()
    facts = json.loads(proc.stdout)
    assert "alert" not in facts["text"] and "王五" not in facts["text"]
    assert {p["name"] for p in facts["people"]} == {"胡国辉", "张古江", "丁绣峰"}


def test_missing_file_and_unknown_preset(tmp_path):
    proc = run(str(tmp_path / "nope.txt"))
    assert_no_traceback(proc)
    assert proc.returncode == 1 and "nope.txt" in proc.stderr.decode()
    proc = run(str(REPORT), "--preset", "nosuch")
    assert_no_traceback(proc)
    assert proc.returncode == 2 and "nosuch" in proc.stderr.decode()


def test_each_error_is_one_whole_line_on_stderr(tmp_path):
    deep = tmp_path / ("a-folder-with-a-rather-long-name-" * 3)
    deep.mkdir()
    bad = [deep / "empty-document-with-a-long-name.txt", deep / "binary-document-with-a-long-name.txt"]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(bytes(range(256)) * 40)
    proc = run(*map(str, bad), str(REPORT), "--format", "jsonl")
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    assert lines[-1] == "2 document(s) failed"
    errors = lines[:-1]
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors), lines
    assert errors[0].startswith(f"error: {bad[0]}: empty document") and errors[1].startswith(f"error: {bad[1]}: binary")
    assert len(proc.stdout.decode().splitlines()) == 1
