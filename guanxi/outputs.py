"""Files the commands write (``-o FILE``): checked before any work is done, written whole or not at all.

``guanxi view … -o out/`` (a folder), ``dossier -o /missing/x.html`` or ``export -o /missing/x.nq`` used to
end in a traceback after the queries had run; :func:`check_output` says what is wrong in one line before the
command starts, and :func:`atomic_output` writes to a temporary file beside the target and renames it at the
end, so an interrupted or failed export never leaves a truncated file (nor clobbers the previous one).
A missing folder is an error, not created: a mistyped folder should not appear on disk.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

__all__ = ["OutputError", "check_output", "atomic_output"]


class OutputError(Exception):
    """An output path that cannot be written (the message names it and says why)."""


def check_output(path: str | os.PathLike[str], example: str = "out.html") -> Path:
    """``path`` as a Path if a file can be written there; else :class:`OutputError`."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{p} is a folder: give a file name for -o (e.g. {p / example})")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"cannot write {p}: the folder {parent} does not exist (create it first)")
    if not parent.is_dir():
        raise OutputError(f"cannot write {p}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {p}: permission denied in {parent}")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError(f"cannot write {p}: permission denied")
    return p


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` when the block ends without an exception."""
    target = check_output(path, example="kg.nq")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
