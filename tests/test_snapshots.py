"""Readers open snapshots the writer publishes, never the database it changes (graph/snapshots.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pyoxigraph as ox

from guanxi.graph import snapshots
from guanxi.graph.store import GraphStore

G = ox.NamedNode("https://example.org/g")


def _add(store: GraphStore, n: int) -> None:
    store.store.add(ox.Quad(ox.NamedNode(f"https://example.org/s{n}"), ox.NamedNode("https://example.org/p"),
                            ox.Literal(str(n)), G))


def _count(store: GraphStore) -> int:
    return len(list(store.store.quads_for_pattern(None, ox.NamedNode("https://example.org/p"), None, G)))


def test_a_reader_sees_the_last_published_state_and_the_writer_keeps_one_snapshot(tmp_path):
    writer = GraphStore(tmp_path / "s")
    assert len(snapshots.numbered(tmp_path / "s")) == 1          # published at open
    _add(writer, 1)
    writer.flush()                                              # a round's end: published
    _add(writer, 2)                                             # not yet published
    with GraphStore(tmp_path / "s", read_only=True) as reader:
        assert _count(reader) == 1
    writer.flush()
    with GraphStore(tmp_path / "s", read_only=True) as reader:
        assert _count(reader) == 2
    writer.close()
    assert len(snapshots.numbered(tmp_path / "s")) == 1          # the older ones, held by nobody, are gone
    with GraphStore(tmp_path / "s", read_only=True) as reader:
        assert _count(reader) == 2


def test_a_snapshot_a_reader_holds_is_not_deleted_until_it_closes(tmp_path):
    writer = GraphStore(tmp_path / "s")
    _add(writer, 1)
    writer.flush()
    reader = GraphStore(tmp_path / "s", read_only=True)
    held = reader._snapshot.path
    for n in range(2, 5):
        _add(writer, n)
        writer.flush()
    assert held.is_dir() and _count(reader) == 1                # still readable: the writer could not lock it
    reader.close()
    writer.flush()
    assert not held.exists()
    writer.close()
    assert snapshots.numbered(tmp_path / "s") == [max(snapshots.numbered(tmp_path / "s"))]


def test_a_reader_in_another_process_keeps_its_snapshot(tmp_path):
    writer = GraphStore(tmp_path / "s")
    _add(writer, 1)
    writer.flush()
    code = ("import sys, time; from guanxi.graph.store import GraphStore\n"
            "r = GraphStore(sys.argv[1], read_only=True); print(r._snapshot.path, flush=True); sys.stdin.read()\n")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "s")], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        held = child.stdout.readline().strip()
        _add(writer, 2)
        writer.flush()
        assert os.path.isdir(held)
    finally:
        child.communicate("")
    writer.flush()
    assert not os.path.isdir(held)
    writer.close()


def test_snapshots_cost_no_disk_beyond_the_store(tmp_path):
    writer = GraphStore(tmp_path / "s")
    for n in range(2000):
        _add(writer, n)
    writer.close()
    data = tmp_path / "s" / "oxigraph"
    with GraphStore(tmp_path / "s", read_only=True) as reader:
        held = reader._snapshot.path
        tables = [f for f in held.iterdir() if f.suffix == ".sst"]
        assert tables
        # A table file still in the database is the same file (a hard link), never a copy.  One the database
        # compacted away after the checkpoint stays with the snapshot alone until the next publish prunes it;
        # whether a compaction ran in between depends on the machine's load, so it is not counted as a copy.
        for table in tables:
            if (data / table.name).exists():
                assert os.path.samefile(table, data / table.name)
        copied = sum(f.stat().st_size for f in held.rglob("*") if f.is_file() and f.suffix != ".sst")
        assert copied < 200_000             # the manifest, options and an empty log
        assert reader.size_bytes() < sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) \
            + sum(f.stat().st_size for f in tables if not (data / f.name).exists()) + copied + 100_000


def test_a_store_without_snapshots_is_read_directly_and_a_dead_writers_build_is_removed(tmp_path):
    GraphStore(tmp_path / "s").close()
    root = tmp_path / "s" / snapshots.DIRECTORY
    for entry in root.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    with GraphStore(tmp_path / "s", read_only=True) as reader:   # as a store written before snapshots
        assert reader._snapshot is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = root / f".building-000000000009-{dead.stdout.strip()}"
    leftover.mkdir()
    GraphStore(tmp_path / "s").close()
    assert not leftover.exists() and len(snapshots.numbered(tmp_path / "s")) == 1
