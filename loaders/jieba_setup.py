"""Where jieba keeps its dictionary cache: a folder of the user's own, never the shared temp folder.

jieba builds a prefix dictionary on first use (about a second) and caches it as a ``marshal`` dump in
``tempfile.gettempdir()`` by default.  In a shared ``/tmp`` that is wrong twice over: another user's cache
file cannot be replaced (jieba logs ``Dump cache file failed`` with a traceback on every run), and a cache
file planted there by someone else is loaded as the dictionary (``marshal`` data from an untrusted source).

:func:`configure_jieba` points ``jieba.dt.tmp_dir`` (the default tokenizer, which ``jieba.posseg`` shares) at
``$XDG_CACHE_HOME/guanxi`` or ``~/.cache/guanxi``, created with mode 0700.  A folder owned by another user (or a symlink made by one), or
writable by group or others, is refused; then a fresh private temporary folder
(``mkdtemp``: mode 0700, a random name) is used for this process and removed at exit, so jieba still works,
only without a cache that outlives the process.  Call it before jieba's first use; calling it again does
nothing.
"""
from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["configure_jieba", "cache_folder", "UnsafeCacheFolder"]

_configured: Path | None = None


class UnsafeCacheFolder(Exception):
    """The cache folder exists but could be written by someone else."""


def cache_folder(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/guanxi`` (when it is an absolute path, as the XDG spec requires), else
    ``~/.cache/guanxi``."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "guanxi"
    return Path(env.get("HOME") or os.path.expanduser("~")) / ".cache" / "guanxi"


def _private_folder(folder: Path) -> Path:
    """``folder``, created 0700 if missing; :class:`UnsafeCacheFolder` if it is not the user's alone."""
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    link = os.lstat(folder)
    if stat.S_ISLNK(link.st_mode) and hasattr(os, "getuid") and link.st_uid != os.getuid():
        raise UnsafeCacheFolder(f"{folder} is a symbolic link made by another user (uid {link.st_uid})")
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeCacheFolder(f"{folder} is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UnsafeCacheFolder(f"{folder} belongs to another user (uid {info.st_uid})")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeCacheFolder(f"{folder} is writable by other users (mode {stat.S_IMODE(info.st_mode):o})")
    return folder


def configure_jieba(folder: str | os.PathLike[str] | None = None) -> Path:
    """Point jieba's dictionary cache at a folder that belongs to this user; returns the folder.

    ``folder``: use this one instead of :func:`cache_folder` (it is checked the same way).  Idempotent: later
    calls return the folder chosen by the first one."""
    global _configured
    if _configured is not None:
        return _configured
    import jieba

    wanted = Path(folder) if folder is not None else cache_folder()
    try:
        chosen = _private_folder(wanted)
    except (UnsafeCacheFolder, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        chosen = Path(tempfile.mkdtemp(prefix="guanxi-jieba-"))
        atexit.register(shutil.rmtree, chosen, ignore_errors=True)
        sys.stderr.write(f"guanxi: not caching jieba's dictionary in {wanted} ({reason}); "
                         f"using a private temporary folder for this run\n")
    jieba.dt.tmp_dir = str(chosen)
    _configured = chosen
    return chosen
