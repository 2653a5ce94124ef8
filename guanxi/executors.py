"""Where extraction runs: the executors behind ``Guanxi.ingest``.

Extraction (reading, cleaning, the extraction pipeline, the resolution records of a document) is a pure
function of one input record, so it can run anywhere; everything that writes stays in the ingesting process,
in input order, whatever the executor.  An executor only has to ``submit(fn, *args)`` and give back futures
with ``done()`` and ``result()``:

* :class:`SerialExecutor` — in this process (``--workers 1``);
* :class:`LocalExecutor` — a pool of N processes on this machine (the default for ``--workers N``).  Workers
  end with their parent: on Linux each asks the kernel to send it SIGKILL when the ingesting process dies
  (``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread exits the worker when its parent is gone, so a
  SIGKILL or SIGTERM of ``guanxi ingest --workers N`` leaves no worker (nor multiprocessing's resource tracker,
  which exits once the workers holding its pipe are gone) behind;
* :class:`DaskExecutor` — a Dask distributed cluster (``--executor dask --scheduler tcp://host:8786``), or a
  ``LocalCluster`` started for the ingest when no scheduler is given.  The workers need guanxi installed.

The output is the same whichever runs extraction (tested: canonical N-Quads identical for serial, local pool
and a Dask ``LocalCluster``).
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Protocol

EXECUTORS = ("local", "dask")


class Executor(Protocol):
    workers: int

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def shutdown(self, cancel: bool = False) -> None: ...


class SerialExecutor:
    """Runs each task at once, in this process."""

    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future

    def shutdown(self, cancel: bool = False) -> None:
        pass


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the ingesting one ends, however it ends."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        import time

        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="guanxi-parent-watch", daemon=True).start()
    # a worker never handles ^C itself: the parent decides (and cancels the pool)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """A pool of ``workers`` processes (spawned: forking a process that holds RocksDB's threads and locks is
    unsafe) that end with their parent."""

    def __init__(self, workers: int):
        import multiprocessing

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_die_with_parent, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self.pool.submit(fn, *args)

    def shutdown(self, cancel: bool = False) -> None:
        if cancel:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()  # a worker mid-document: the results are not wanted any more
        else:
            self.pool.shutdown()


class DaskExecutor:
    """Extraction on a Dask distributed cluster: ``scheduler`` is its address, or None to start a
    ``LocalCluster`` of ``workers`` single-threaded worker processes for this ingest."""

    def __init__(self, workers: int = 2, scheduler: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("--executor dask needs Dask distributed: pip install 'guanxi[dask]'") from exc
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
            self.workers = workers

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        # pure=False: two inputs with the same bytes are still two tasks (their paths differ)
        return self.client.submit(fn, *args, pure=False)

    def shutdown(self, cancel: bool = False) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_executor(kind: str | None, workers: int, scheduler: str | None = None) -> Executor:
    """The executor for ``guanxi ingest --executor KIND --workers N [--scheduler ADDRESS]``."""
    kind = kind or ("dask" if scheduler else "local")
    if kind not in EXECUTORS:
        raise ValueError(f"unknown executor {kind!r}: one of {', '.join(EXECUTORS)}")
    if kind == "dask":
        return DaskExecutor(workers, scheduler)
    return LocalExecutor(workers) if workers > 1 else SerialExecutor()
