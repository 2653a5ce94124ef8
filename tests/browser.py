"""Headless-browser harness for tests: Debian's chromium driven by the playwright Python package.

Playwright's own browser download is never used: chromium is launched from ``/usr/bin/chromium`` (installed by
``scripts/setup-browser``; override with ``GUANXI_CHROMIUM``). Every page gets a fresh context in which all
requests except ``file:``/``data:``/``blob:``/``about:`` are aborted and recorded, console errors and page errors
are collected, and screenshots go to ``test-output/screenshots/`` (gitignored).

Use the fixtures from a test module::

    from browser import chromium, browser_page  # noqa: F401  (pytest fixtures)

    @pytest.mark.browser
    def test_page(browser_page):
        browser_page.open(path)                 # file path -> file:// URL
        browser_page.page.wait_for_function("window.ready === true")
        browser_page.screenshot("page")
        browser_page.assert_clean()             # no console/page errors, no blocked requests

or without pytest: ``with BrowserSession() as s: p = s.new_page(); …; p.close()``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR = REPO / "test-output" / "screenshots"
CHROMIUM = Path(os.environ.get("GUANXI_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

__all__ = [
    "REPO", "SCREENSHOT_DIR", "CHROMIUM", "LAUNCH_ARGS", "require_chromium", "BrowserSession", "PageHandle",
    "chromium", "browser_page",
]


def require_chromium() -> Path:
    """The chromium executable; fails the test (not skip) when it is missing."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's chromium. Run scripts/setup-browser "
            "(as root it runs `apt-get install -y chromium fonts-noto-cjk`), or set GUANXI_CHROMIUM.",
            pytrace=False,
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is a test dependency
        pytest.fail("the playwright Python package is missing: run scripts/setup", pytrace=False)
    return CHROMIUM


@dataclass
class PageHandle:
    """A page in its own network-blocked context, with what went wrong on it."""

    page: Any
    context: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def open(self, target: str | Path, *, timeout_ms: float = 30_000) -> Any:
        """Go to a file path (made a ``file://`` URL) or a URL; waits for the load event."""
        url = target.resolve().as_uri() if isinstance(target, Path) else str(target)
        if not re.match(r"^[a-z]+:", url):
            url = Path(url).resolve().as_uri()
        return self.page.goto(url, wait_until="load", timeout=timeout_ms)

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a PNG under test-output/screenshots/ and return its path."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
        path = SCREENSHOT_DIR / (safe if safe.endswith(".png") else safe + ".png")
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"blocked request: {u}" for u in self.blocked_requests]
                + [f"failed request: {u}" for u in self.failed_requests])

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "page had problems:\n" + "\n".join(problems)

    def close(self) -> None:
        self.context.close()


class BrowserSession:
    """Playwright + headless chromium; ``new_page()`` gives a fresh, network-blocked context each time."""

    def __init__(self, executable: Path | None = None, *, headless: bool = True):
        self.executable = executable or require_chromium()
        self.headless = headless
        self._playwright = None
        self.browser = None

    def __enter__(self) -> "BrowserSession":
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=str(self.executable), headless=self.headless, args=LAUNCH_ARGS,
            )
        except Exception:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()

    def new_page(self, *, viewport: dict[str, int] | None = None, allow: tuple[str, ...] = ()) -> PageHandle:
        """``allow``: URL prefixes let through besides the local schemes (e.g. ``("http://127.0.0.1:8123/",)`` for
        a server under test); every other request is aborted and recorded."""
        context = self.browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            service_workers="block",
            locale="zh-CN",
        )
        page = context.new_page()
        handle = PageHandle(page=page, context=context)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES) or (allow and url.startswith(allow)):
                route.continue_()
            else:
                handle.blocked_requests.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        page.on("console", lambda msg: handle.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: handle.page_errors.append(str(err)))
        page.on("requestfailed", lambda req: None if req.url in handle.blocked_requests
                else handle.failed_requests.append(f"{req.url} ({req.failure})"))
        return handle


_SHARED: list = []   # [session, users]: the one BrowserSession of this process


@pytest.fixture(scope="session")
def chromium() -> Iterator[BrowserSession]:
    """One headless chromium for the test session.

    Every test module that imports this fixture gets its own (session-scoped) fixture definition, but they all
    share one BrowserSession: playwright's sync API cannot run two at once in one thread."""
    if not _SHARED:
        _SHARED.extend([BrowserSession().__enter__(), 0])
    _SHARED[1] += 1
    try:
        yield _SHARED[0]
    finally:
        _SHARED[1] -= 1
        if _SHARED[1] == 0:
            session = _SHARED[0]
            _SHARED.clear()
            session.__exit__(None, None, None)


@pytest.fixture()
def browser_page(chromium: BrowserSession) -> Iterator[PageHandle]:
    """A fresh page in its own context with the network blocked."""
    handle = chromium.new_page()
    try:
        yield handle
    finally:
        handle.close()
