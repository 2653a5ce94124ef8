"""jieba's dictionary cache in a folder of the user's own, never the shared temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import jieba

_done = False


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guanxi"


def configure_jieba() -> None:
    """Point jieba's cache at ``$XDG_CACHE_HOME/guanxi`` (mode 0700); idempotent."""
    global _done
    if _done:
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        jieba.dt.tmp_dir = str(folder)
    except OSError:
        pass  # no cache then: jieba builds its dictionary in memory
    _done = True
