"""A real ``guanxi serve`` for tests: a store built from the seeds, the multi-document fixtures, the XSS fixture and
a month of news (tests/fixtures/xwlb), served by the CLI in a subprocess on a free loopback port.

    from tests.workbench_server import workbench  # noqa: F401  (pytest fixture)

    def test_x(workbench):
        status, headers, body = workbench.get("/search?q=张古江")
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
KG = sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))
XSS = str(FIXTURES / "xss" / "xss_report.txt")
MONTH = str(FIXTURES / "xwlb" / "xwlb_2025_03.json")

__all__ = ["Server", "workbench", "start_server", "build_store", "SEEDS", "KG", "XSS", "MONTH"]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    store: Path

    def url(self, path: str) -> str:
        return self.base + quote(path, safe="/?&=%#:+,-_.~")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) of a GET; redirects are not followed."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # noqa: ANN001
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.url(path), headers=headers or {})
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def build_store(directory: Path, *, month: bool = True) -> Path:
    from guanxi.api import Guanxi
    from guanxi.loaders.readers import options_from_dict

    with Guanxi(directory) as g:
        assert g.ingest(SEEDS + KG + [XSS]).ok
        if month:
            assert g.ingest([MONTH], options_from_dict({"preset": "xwlb"})).ok
    return directory


def start_server(store: Path, *extra: str) -> Server:
    """``guanxi --store STORE serve --port 0``; waits until it answers."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "guanxi", "--store", str(store), "serve", "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = process.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        process.kill()
        out, err = process.communicate(timeout=10)
        raise RuntimeError(f"guanxi serve did not start: {line}{err}")
    server = Server(process, f"http://127.0.0.1:{m.group(1)}", store)
    deadline = time.monotonic() + 30
    while True:
        try:
            status, _, _ = server.get("/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            server.stop()
            raise RuntimeError("guanxi serve did not answer /healthz")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def workbench(tmp_path_factory) -> Iterator[Server]:
    store = build_store(tmp_path_factory.mktemp("workbench") / "store")
    server = start_server(store)
    try:
        yield server
    finally:
        server.stop()
