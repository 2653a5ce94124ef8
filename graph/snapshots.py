"""Read-only snapshots of a store, which readers open instead of the store a writer is changing.

pyoxigraph documents ``Store.read_only`` on a database that another process writes as undefined behaviour, and
it was seen here: a reader opened during an ingest now and then allocated without bound (killed by the kernel
at 22–24 GB). So readers never open the writer's database. The writer publishes a *snapshot* — a RocksDB
checkpoint made by ``Store.backup``: hard links to the table files plus a copy of the small manifest, taken in
milliseconds — when it opens the store, after every ingest round and when it closes; a snapshot never changes
after it is published. A reader opens the newest one, read-only, and holds a shared ``flock`` on its lock file
while it has it open; the writer deletes an older snapshot only when it can take that lock exclusively, so no
snapshot disappears under a reader.

Layout: ``STORE/snapshots/000000000042/`` (a checkpoint, the number increasing), ``STORE/snapshots/
000000000042.lock``; a checkpoint is built under a dot-name and renamed into place, so readers only ever see
complete ones. Hard links make a snapshot of an unchanged store cost no disk; table files the writer has since
compacted away stay on disk until the snapshots that hold them are deleted (at the writer's next publish or
close, unless a reader still holds them).
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox

DIRECTORY = "snapshots"


def numbered(store_directory: Path) -> list[str]:
    """The published snapshots' names, oldest first."""
    return _numbered(store_directory / DIRECTORY)


def _numbered(root: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(root) if name.isdigit())
    except FileNotFoundError:
        return []


def exists(store_directory: Path) -> bool:
    """Whether the store has a published snapshot (a store last written before snapshots existed has none)."""
    root = store_directory / DIRECTORY
    return any((root / name / "CURRENT").is_file() for name in _numbered(root))


def publish(store: Any, store_directory: Path) -> Path:
    """Checkpoint the open, writable ``store`` as the newest snapshot and delete the older ones no reader holds."""
    root = store_directory / DIRECTORY
    root.mkdir(exist_ok=True)
    names = _numbered(root)
    number = int(names[-1]) + 1 if names else 1
    building = root / f".building-{number:012d}-{os.getpid()}"
    if building.exists():
        shutil.rmtree(building)
    store.backup(str(building))
    final = root / f"{number:012d}"
    os.rename(building, final)
    prune(store_directory, keep=final.name)
    return final


def prune(store_directory: Path, keep: str | None = None) -> None:
    """Delete every snapshot but ``keep`` (default: the newest) that no reader holds, and unfinished builds."""
    root = store_directory / DIRECTORY
    names = _numbered(root)
    keep = keep or (names[-1] if names else None)
    for name in names:
        if name == keep:
            continue
        lock_path = root / f"{name}.lock"
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue                      # a reader has it open: the next publish or close tries again
        try:
            shutil.rmtree(root / name, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    for entry in root.glob(".building-*") if root.is_dir() else ():
        pid = entry.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(entry, ignore_errors=True)   # a writer killed while checkpointing


class Held:
    """The newest snapshot, opened read-only, and the shared lock that keeps it on disk while it is open."""

    def __init__(self, path: Path, store: Any, lock_fd: int | None):
        self.path, self.store, self._fd = path, store, lock_fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)            # closing the descriptor drops the flock
            self._fd = None


def open_newest(store_directory: Path, attempts: int = 10) -> Held | None:
    """The newest snapshot, read-only and locked (shared), or None when the store has none."""
    root = store_directory / DIRECTORY
    for _ in range(attempts):
        names = _numbered(root)
        if not names:
            return None
        name = names[-1]
        fd = _shared_lock(root / f"{name}.lock")
        if not (root / name / "CURRENT").is_file():
            if fd is not None:
                os.close(fd)
            continue                      # deleted between the listing and the lock: a newer one exists
        try:
            store = ox.Store.read_only(str(root / name))
        except BaseException:
            if fd is not None:
                os.close(fd)
            raise
        return Held(root / name, store, fd)
    return None


def _shared_lock(path: Path) -> int | None:
    """A shared flock on ``path`` (created if need be); None where the folder is not writable and the lock file
    is missing (a store copied read-only: nothing can write it, so nothing deletes its snapshot either)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except PermissionError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd
