"""Extraction behind an executor: the same graph from every executor, and workers that end with their parent."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from guanxi.api import Guanxi
from guanxi.executors import DaskExecutor, LocalExecutor, SerialExecutor, make_executor

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [str(p) for p in sorted((FIXTURES / "kg").glob("*.txt"))] + [str(p) for p in sorted((FIXTURES / "seeds").glob("*.txt"))]


def _ingest(store: Path, executor=None, workers: int = 1) -> bytes:
    with Guanxi(store) as gx:
        report = gx.ingest(INPUTS, workers=workers, executor=executor)
        assert report.ok and len(report.new) == len(INPUTS)
        return gx.store.canonical_nquads()


def test_every_executor_gives_the_same_graph(tmp_path):
    serial = _ingest(tmp_path / "serial", SerialExecutor())
    pool = LocalExecutor(2)
    try:
        local = _ingest(tmp_path / "local", pool)
    finally:
        pool.shutdown()
    dask = DaskExecutor(workers=2)  # a LocalCluster of two worker processes
    try:
        assert len(dask.client.scheduler_info()["workers"]) == 2
        distributed = _ingest(tmp_path / "dask", dask)
    finally:
        dask.shutdown()
    assert serial == local == distributed
    assert b"ResolutionLink" in serial


def test_make_executor_and_cli_validation(tmp_path):
    assert isinstance(make_executor(None, 1), SerialExecutor)
    pool = make_executor("local", 2)
    try:
        assert isinstance(pool, LocalExecutor) and pool.submit(pow, 2, 10).result() == 1024
    finally:
        pool.shutdown()
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("spark", 2)
    done = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(tmp_path / "s"), "ingest", INPUTS[0],
                           "--scheduler", "tcp://127.0.0.1:1", "--executor", "local"], capture_output=True, text=True)
    assert done.returncode == 2 and "--scheduler" in done.stderr and "Traceback" not in done.stderr


def _corpus(directory: Path, n: int = 60) -> Path:
    directory.mkdir()
    template = (FIXTURES / "kg" / "tangshan_a.txt").read_text(encoding="utf-8")
    for i in range(n):
        (directory / f"d{i:03d}.txt").write_text(template.replace("王海", "王海" + "一二三四五六七八九十"[i % 10]), encoding="utf-8")
    return directory


def _workers_of(parent: psutil.Process, deadline: float) -> list[psutil.Process]:
    """The extraction workers (and multiprocessing's helpers) the ingest started, once there are two."""
    while time.monotonic() < deadline:
        children = [c for c in parent.children(recursive=True) if c.is_running()]
        workers = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
        if len(workers) >= 2:
            return children
        time.sleep(0.05)
    raise AssertionError("the ingest did not start its workers")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_worker_outlives_a_killed_parallel_ingest(tmp_path, sig):
    corpus = _corpus(tmp_path / "corpus")
    proc = subprocess.Popen([sys.executable, "-m", "guanxi", "--store", str(tmp_path / "kg"), "ingest", str(corpus),
                             "--workers", "2", "--format", "json"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        children = _workers_of(psutil.Process(proc.pid), time.monotonic() + 120)
        os.kill(proc.pid, sig)  # the parent alone: its workers must go by themselves
        proc.communicate(timeout=60)
        gone, alive = psutil.wait_procs(children, timeout=15)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
        if sig == signal.SIGTERM:
            assert proc.returncode == 143
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    # and what was written is consistent: a re-run completes the ingest
    rerun = subprocess.run([sys.executable, "-m", "guanxi", "--store", str(tmp_path / "kg"), "ingest", str(corpus),
                            "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr


def test_work_is_grouped_in_input_order_starting_small_enough_to_reach_every_worker():
    from guanxi.api import _grouped

    plan = [("work", i) for i in range(40)] + [("unchanged", "u")] + [("work", i) for i in range(40, 45)]
    out = list(_grouped(plan, 64, 2))
    assert [len(p) if k == "work" else k for k, p in out] == [8, 8, 16, 8, "unchanged", 5]
    assert [i for k, p in out if k == "work" for i in p] == list(range(45))   # nothing lost, nothing moved
    assert max(len(p) for k, p in _grouped([("work", i) for i in range(1000)], 64, 2) if k == "work") == 64
