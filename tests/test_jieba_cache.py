"""jieba's dictionary cache lives in a folder of the user's own, never in the shared temp folder."""
from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seeds" / "002_a9ec4e6a3a1afbe8.txt"

# what the child process reports: where jieba's cache went and how big the dictionary it loaded is
PROBE = """
import json, sys
from guanxi.loaders.pipeline import extract_paths      # importing the rules configures jieba
import jieba
[doc] = list(extract_paths([sys.argv[1]]))
print(json.dumps({"tmp_dir": jieba.dt.tmp_dir, "words": len(jieba.dt.FREQ),
                  "people": sorted({p["name"] for p in doc.facts["people"]})}, ensure_ascii=False))
"""


def probe(env: dict[str, str], **kwargs) -> tuple[dict, str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(SEED)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env}, **kwargs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout), proc.stderr


def plant_cache(folder: Path) -> None:
    """A jieba.cache as jieba writes it (marshal of FREQ, total), holding a two-word dictionary."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jieba.cache").write_bytes(marshal.dumps(({"假": 1, "词典": 1}, 2)))


def test_a_cache_planted_in_tmpdir_is_not_loaded(tmp_path):
    shared_tmp, cache_home = tmp_path / "shared-tmp", tmp_path / "cache"
    plant_cache(shared_tmp)
    before = sorted(p.name for p in shared_tmp.iterdir())
    out, stderr = probe({"TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(cache_home)})
    # nothing read from or written to the shared folder: another user's cache there is no longer fought over
    # (the report's `Dump cache file failed` traceback came from replacing it)
    assert sorted(p.name for p in shared_tmp.iterdir()) == before
    assert "Dump cache file failed" not in stderr
    assert out["tmp_dir"] == str(cache_home / "guanxi")
    assert out["words"] > 100_000, "the planted two-word dictionary was loaded"
    assert "张古江" in out["people"]
    folder = cache_home / "guanxi"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / "jieba.cache").is_file()
    # the second run loads the user's own cache (and still ignores the planted one)
    again, _ = probe({"TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(cache_home)})
    assert again == out


def test_a_world_writable_cache_folder_is_refused(tmp_path):
    cache_home = tmp_path / "cache"
    folder = cache_home / "guanxi"
    plant_cache(folder)
    folder.chmod(0o777)
    out, stderr = probe({"XDG_CACHE_HOME": str(cache_home)})
    assert out["tmp_dir"] != str(folder)
    assert out["words"] > 100_000 and "张古江" in out["people"]
    assert f"not caching jieba's dictionary in {folder}" in stderr and "writable by other users" in stderr
    assert not Path(out["tmp_dir"]).exists(), "the private fallback folder is removed at exit"


def test_configure_is_idempotent_and_checks_a_given_folder(tmp_path):
    code = """
import sys
from guanxi.loaders.jieba_setup import configure_jieba
first = configure_jieba(sys.argv[1])
second = configure_jieba(sys.argv[1] + "-other")
import jieba
print(first, second, jieba.dt.tmp_dir)
"""
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "mine")], capture_output=True, text=True,
                          timeout=120, check=True)
    first, second, tmp_dir = proc.stdout.split()
    assert first == second == tmp_dir == str(tmp_path / "mine")
    assert not (tmp_path / "mine-other").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_cache_folder_of_another_user_is_refused(tmp_path):
    theirs = tmp_path / "their-cache"
    plant_cache(theirs / "guanxi")
    os.chown(theirs / "guanxi", 65534, 65534)
    out, stderr = probe({"XDG_CACHE_HOME": str(theirs)})
    assert out["tmp_dir"] != str(theirs / "guanxi")
    assert out["words"] > 100_000 and "张古江" in out["people"]
    assert "belongs to another user (uid 65534)" in stderr


LAZY_PROBE = """
import json, sys
import jieba
from guanxi.loaders.emit import version_tag
from guanxi.loaders.registry import Pipeline
Pipeline.from_config({"components": {"ner": {"factory": "ner.none"}}})   # every component imported
version_tag()
before = {"posseg": "jieba.posseg" in sys.modules, "words": len(jieba.dt.FREQ)}
from guanxi.loaders.pipeline import extract_paths
[doc] = list(extract_paths([sys.argv[1]]))
print(json.dumps({"before": before, "after": len(jieba.dt.FREQ),
                  "people": sorted({p["name"] for p in doc.facts["people"]})}, ensure_ascii=False))
"""


def test_jiebas_dictionary_is_loaded_by_the_first_extraction_not_by_importing_the_rules():
    # the ingesting parent builds the pipeline and the version tag but never segments: it must not pay the
    # dictionary's load (about 2.7 s a process); the first extraction loads it whole
    proc = subprocess.run([sys.executable, "-c", LAZY_PROBE, str(SEED)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["before"] == {"posseg": False, "words": 0}
    assert out["after"] > 100_000
    assert "张古江" in out["people"]
