"""Running a piece of a test where file permissions apply, also when the test suite runs as root.

Root reads a mode-000 folder and writes a read-only store, so the reports about unreadable inputs and
read-only stores cannot be reproduced as root.  :func:`call_unprivileged` runs ``func(*args)`` as it is when the
tests do not run as root, and as root in a forked child that has become user ``nobody`` (uid 65534) first.
The child does not exec a new interpreter (root's Python may live in a folder ``nobody`` cannot read): it keeps
the modules already imported, so import what ``func`` needs before calling this.
"""
from __future__ import annotations

import os
import pickle
import traceback
from typing import Any, Callable

NOBODY = 65534


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def share_with_nobody(*paths: os.PathLike[str] | str) -> None:
    """Let user nobody reach ``paths`` (and traverse their parents) when running as root."""
    if not is_root():
        return
    for path in paths:
        path = os.path.abspath(path)
        parent = os.path.dirname(path)
        while parent and parent != "/":
            mode = os.stat(parent).st_mode
            os.chmod(parent, mode | 0o111)
            parent = os.path.dirname(parent)


def call_unprivileged(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` under file permissions (see the module docstring); its return value must pickle."""
    if not is_root():
        return func(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = pickle.dumps(("ok", func(*args)))
        except BaseException:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", traceback.format_exc()))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise AssertionError(f"in the unprivileged child:\n{value}")
    return value
