"""-o FILE: a folder, a missing folder or an unwritable place is one line before any work; files are whole."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guanxi.outputs import OutputError, atomic_output, check_output

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def guanxi(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "store"
    assert guanxi("ingest", str(SEEDS), store=path).returncode == 0
    return path


def one_line(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_a_folder_as_output(store, tmp_path):
    one_line(guanxi("view", "person", "张古江", "-o", str(tmp_path), store=store), f"{tmp_path} is a folder")
    one_line(guanxi("dossier", "张古江", "-o", str(tmp_path), store=store), "is a folder")
    one_line(guanxi("export", "-o", str(tmp_path), store=store), "is a folder", "kg.nq")


def test_a_missing_folder_is_named_and_not_created(store, tmp_path):
    missing = tmp_path / "missing"
    for command in (["view", "person", "张古江"], ["dossier", "张古江"], ["export", "--format", "nq"]):
        one_line(guanxi(*command, "-o", str(missing / "x.out"), store=store),
                 f"cannot write {missing / 'x.out'}: the folder {missing} does not exist")
    assert not missing.exists()


def test_export_writes_the_whole_file(store, tmp_path):
    target = tmp_path / "kg.nq"
    proc = guanxi("export", "--format", "nq", "-o", str(target), store=store)
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == guanxi("export", "--format", "nq", store=store).stdout.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nq"]


def test_a_failed_write_keeps_the_previous_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "kg.nq"
    target.write_bytes(b"previous\n")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as fh:
            fh.write(b"half of it")
            raise RuntimeError("the store failed mid-way")
    assert target.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nq"]
    with pytest.raises(OutputError, match="is not a folder"):
        check_output(target / "x.nq")
