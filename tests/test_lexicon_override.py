"""A researcher extends the language knowledge by editing data files, not code."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import json

from guanxi.loaders.lexicon import lexicon_path

REPORT = Path(__file__).parent / "fixtures" / "seeds" / "002_a9ec4e6a3a1afbe8.txt"


def _titles(env: dict[str, str], text: str, tmp_path: Path) -> dict[str, list[str]]:
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "guanxi", "extract", str(doc)], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return {p["name"]: [pos["title"] for pos in p["positions"]] for p in json.loads(proc.stdout)["people"]}


def test_a_new_title_in_a_user_lexicon_finds_a_new_post(tmp_path):
    # 首席观察员 is not a bundled title: the model finds the person, but not the post
    text = "9月7日，市政协召开大会。市政协首席观察员王大明出席会议。"
    env = dict(os.environ)
    env.pop("GUANXI_LEXICONS", None)
    assert "首席观察员" not in _titles(env, text, tmp_path).get("王大明", [])
    mine = tmp_path / "lexicons"
    mine.mkdir()
    bundled = lexicon_path("titles.toml").read_text(encoding="utf-8")
    (mine / "titles.toml").write_text(bundled + '\n"首席观察员" = {}\n', encoding="utf-8")
    env["GUANXI_LEXICONS"] = str(mine)
    assert _titles(env, text, tmp_path)["王大明"] == ["首席观察员"]


def test_every_lexicon_file_is_overridable(tmp_path, monkeypatch):
    monkeypatch.setenv("GUANXI_LEXICONS", str(tmp_path))
    (tmp_path / "chrome.toml").write_text("", encoding="utf-8")
    assert lexicon_path("chrome.toml") == tmp_path / "chrome.toml"
    assert lexicon_path("industries.toml").name == "industries.toml"
    assert lexicon_path("industries.toml").parent != tmp_path


def _ingest(store: Path, env: dict[str, str], doc: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), "ingest", str(doc), "--format", "json"],
                          capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_an_edited_lexicon_re_extracts_on_the_next_ingest(tmp_path):
    # the skip test of ingest (same text, same extraction) must see a lexicon edit: otherwise the researcher's
    # new title would only reach documents ingested for the first time
    doc = tmp_path / "doc.txt"
    doc.write_text("9月7日，市政协召开大会。市政协首席观察员王大明出席会议。", encoding="utf-8")
    store = tmp_path / "kg"
    env = dict(os.environ)
    env.pop("GUANXI_LEXICONS", None)
    assert _ingest(store, env, doc)["documents"]["new"] == 1
    assert _ingest(store, env, doc)["documents"]["unchanged"] == 1
    assert _ingest(store, env, doc)["store"]["posts"] == 0
    mine = tmp_path / "lexicons"
    mine.mkdir()
    bundled = lexicon_path("titles.toml").read_text(encoding="utf-8")
    (mine / "titles.toml").write_text(bundled + '\n"首席观察员" = {}\n', encoding="utf-8")
    env["GUANXI_LEXICONS"] = str(mine)
    summary = _ingest(store, env, doc)
    assert summary["documents"]["changed"] == 1 and summary["store"]["posts"] == 1
    assert _ingest(store, env, doc)["documents"]["unchanged"] == 1
    # the edit undone: re-extracted again; and a copy identical to the bundled file is the same as no copy
    (mine / "titles.toml").write_text(bundled, encoding="utf-8")
    summary = _ingest(store, env, doc)
    assert summary["documents"]["changed"] == 1 and summary["store"]["posts"] == 0
    env.pop("GUANXI_LEXICONS")
    assert _ingest(store, env, doc)["documents"]["unchanged"] == 1
