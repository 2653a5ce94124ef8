"""A researcher extends the language knowledge by editing data files, not code."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import json

from guanxi.loaders.lexicon import lexicon_path

REPORT = Path(__file__).parent / "fixtures" / "seeds" / "002_a9ec4e6a3a1afbe8.txt"


def _people(env: dict[str, str], text: str, tmp_path: Path) -> set[str]:
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "guanxi", "extract", str(doc)], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return {p["name"] for p in json.loads(proc.stdout)["people"]}


def test_a_new_title_in_a_user_lexicon_finds_a_new_person(tmp_path):
    text = "9月7日，市政协召开大会。市政协首席顾问王大明出席会议。"
    env = dict(os.environ)
    env.pop("GUANXI_LEXICONS", None)
    assert "王大明" not in _people(env, text, tmp_path)
    mine = tmp_path / "lexicons"
    mine.mkdir()
    bundled = lexicon_path("titles.toml").read_text(encoding="utf-8")
    (mine / "titles.toml").write_text(bundled + '\n"首席顾问" = {}\n', encoding="utf-8")
    env["GUANXI_LEXICONS"] = str(mine)
    assert "王大明" in _people(env, text, tmp_path)


def test_every_lexicon_file_is_overridable(tmp_path, monkeypatch):
    monkeypatch.setenv("GUANXI_LEXICONS", str(tmp_path))
    (tmp_path / "chrome.toml").write_text("", encoding="utf-8")
    assert lexicon_path("chrome.toml") == tmp_path / "chrome.toml"
    assert lexicon_path("industries.toml").name == "industries.toml"
    assert lexicon_path("industries.toml").parent != tmp_path
