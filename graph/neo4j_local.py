"""A private Neo4j 5.26 Community server for tests and for users without one.

Everything lives in one folder (by default ``.neo4j/`` at the repository root)::

    .neo4j/m2/          Maven local repository (nothing goes to ~/.m2)
    .neo4j/fetch/       the generated pom.xml and the last Maven output (fetch.log)
    .neo4j/lib/         the server's jars (+ .complete stamp naming the version)
    .neo4j/conf/        neo4j.conf, regenerated on every start
    .neo4j/data/        databases
    .neo4j/logs/        console.log (server stdout/stderr), debug.log, neo4j.log, ...
    .neo4j/run/         neo4j.pid, bolt_port, http_port, password (0600), auth ("on"/"off"), lock

The jars come from Maven Central (``org.neo4j:neo4j`` plus its runtime
dependencies, which include ``org.neo4j.app:neo4j-server``) through ``mvn
dependency:copy-dependencies``; the first fetch takes well under a minute on a
good link, later starts reuse ``.neo4j/lib``.

The HTTP connector listens on 127.0.0.1 too (its own port, kept in ``run/http_port``) and serves Neo4j Browser
(``org.neo4j.client:neo4j-browser``, fetched with the server) at ``http://127.0.0.1:PORT/browser/``: ``status``
and ``start`` print the address; the Browser connects to the Bolt URI.

The server is started the way Neo4j's own launcher would start it: we ask
``org.neo4j.server.startup.Neo4jCommand console --dry-run`` for the command line
(it turns ``server.jvm.additional`` and the heap settings of neo4j.conf into JVM
flags) and run that command ourselves, so the recorded pid *is* the server JVM
(``Neo4jCommand console`` itself would fork a second JVM and sit in front of it).

Command line: ``python -m guanxi.graph.neo4j_local start|stop|status|env|fetch|reset``
(``scripts/neo4j-local`` is a thin wrapper around this).

The generated password is written only to ``run/password`` (mode 0600); it is
printed only by ``env``.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import os
import secrets
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

NEO4J_VERSION = os.environ.get("GUANXI_NEO4J_VERSION", "5.26.30")
"""The Neo4j version fetched from Maven Central (the newest 5.26 patch when this was written)."""
BROWSER_VERSION = os.environ.get("GUANXI_NEO4J_BROWSER_VERSION", "5.24.0")
"""Neo4j Browser, served by the HTTP connector (the newest org.neo4j.client:neo4j-browser on Maven Central)."""

DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
FETCH_TIMEOUT = 1200.0
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

# The JVM flags of the Neo4j 5.26 distribution's default neo4j.conf, minus
# -XX:+AlwaysPreTouch (it would commit the whole initial heap up front on a
# machine shared with the tests). The three --add-opens are the ones Java 17
# needs: without java.nio the page cache falls back to a slower buffer mode
# ("Reflection access to java.nio.DirectByteBuffer is not available"), without
# sun.nio.ch / java.io the native file access fails ("Incorrect file descriptor").
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:-RestrictContended",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
)

HEAP_INITIAL = os.environ.get("GUANXI_NEO4J_HEAP_INITIAL", "512m")
HEAP_MAX = os.environ.get("GUANXI_NEO4J_HEAP_MAX", "1g")
PAGECACHE = os.environ.get("GUANXI_NEO4J_PAGECACHE", "512m")

_CHILDREN: dict[int, subprocess.Popen] = {}  # servers started by this process (to reap them)


class Neo4jLocalError(RuntimeError):
    """The local server could not be fetched, configured, started or stopped."""


@dataclasses.dataclass(frozen=True)
class ServerInfo:
    """How to reach a Neo4j server. ``password`` is None when auth is off."""

    uri: str
    user: str = DEFAULT_USER
    password: str | None = dataclasses.field(default=None, repr=False)
    database: str = DEFAULT_DATABASE
    pid: int | None = None
    home: Path | None = None
    started: bool = False  # True if the call that returned this started the server

    @property
    def auth(self) -> tuple[str, str] | None:
        return None if self.password is None else (self.user, self.password)

    def driver(self, **kwargs):
        """A new ``neo4j.Driver`` for this server (the caller closes it)."""
        from neo4j import GraphDatabase

        return GraphDatabase.driver(self.uri, auth=self.auth, **kwargs)


@dataclasses.dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    uri: str | None
    auth: bool
    version: str | None
    browser: str | None = None   # Neo4j Browser on the HTTP connector (loopback)

    def __str__(self) -> str:
        if self.running:
            return (f"running (pid {self.pid}) {self.uri} auth={'on' if self.auth else 'off'} neo4j {self.version}"
                    + (f" browser {self.browser}" if self.browser else ""))
        return "stopped" + (f" (last {self.uri})" if self.uri else "")


# ----------------------------------------------------------------------------- paths


def default_home() -> Path:
    """``$GUANXI_NEO4J_HOME``, else ``.neo4j`` at the repository root (or the current directory)."""
    env = os.environ.get("GUANXI_NEO4J_HOME")
    if env:
        return Path(env).expanduser().resolve()
    repo = Path(__file__).resolve().parents[1]
    if (repo / "pyproject.toml").is_file():
        return repo / ".neo4j"
    return Path.cwd().resolve() / ".neo4j"


class _Paths:
    def __init__(self, home: Path | str):
        self.home = Path(home).expanduser().resolve()
        self.m2 = self.home / "m2"
        self.fetch = self.home / "fetch"
        self.lib = self.home / "lib"
        self.stamp = self.lib / ".complete"
        self.browser_stamp = self.lib / ".browser"
        self.conf = self.home / "conf"
        self.conf_file = self.conf / "neo4j.conf"
        self.data = self.home / "data"
        self.logs = self.home / "logs"
        self.console_log = self.logs / "console.log"
        self.run = self.home / "run"
        self.pid_file = self.run / "neo4j.pid"
        self.port_file = self.run / "bolt_port"
        self.http_port_file = self.run / "http_port"
        self.password_file = self.run / "password"
        self.auth_file = self.run / "auth"
        self.lock_file = self.run / "lock"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.conf)
        for var in ("JAVA_OPTS", "HEAP_SIZE", "NEO4J_DEBUG"):  # would override our flags
            env.pop(var, None)
        return env


@contextlib.contextmanager
def _locked(p: _Paths) -> Iterator[None]:
    p.run.mkdir(parents=True, exist_ok=True)
    with open(p.lock_file, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:])


# ----------------------------------------------------------------------------- tools


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise Neo4jLocalError("java not found: Neo4j 5.26 needs a Java 17 or 21 runtime (e.g. apt-get install openjdk-17-jre-headless)")
    return java


def _mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jLocalError("mvn not found: the local Neo4j server is fetched with Maven (e.g. apt-get install maven)")
    return mvn


POM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by guanxi.graph.neo4j_local: fetches the Neo4j Community server jars -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>guanxi.local</groupId>
  <artifactId>neo4j-local-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.client</groupId>
      <artifactId>neo4j-browser</artifactId>
      <version>{browser_version}</version>
    </dependency>
  </dependencies>
</project>
"""


def fetch(home: Path | str | None = None, version: str = NEO4J_VERSION, *, quiet: bool = False) -> Path:
    """Download the server jars into ``home/lib`` (once; later calls return at once)."""
    p = _Paths(home or default_home())
    if _read(p.stamp) == version and _read(p.browser_stamp) == BROWSER_VERSION:
        return p.lib
    mvn = _mvn()
    p.fetch.mkdir(parents=True, exist_ok=True)
    (p.fetch / "pom.xml").write_text(POM.format(version=version, browser_version=BROWSER_VERSION))
    staging = p.home / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    log = p.fetch / "fetch.log"
    cmd = [
        mvn, "-B", "-ntp", "-Dstyle.color=never", "-f", str(p.fetch / "pom.xml"),
        f"-Dmaven.repo.local={p.m2}",
        "-Dmaven.artifact.threads=8",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
        "-DincludeScope=runtime",
    ]
    if not quiet:
        print(f"neo4j-local: fetching org.neo4j:neo4j:{version} with Maven into {p.lib} ...", file=sys.stderr, flush=True)
    t0 = time.monotonic()
    try:
        with open(log, "w") as out:
            rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=p.fetch, timeout=FETCH_TIMEOUT).returncode
    except subprocess.TimeoutExpired:
        raise Neo4jLocalError(f"Maven fetch of org.neo4j:neo4j:{version} timed out after {FETCH_TIMEOUT:.0f}s; see {log}") from None
    if rc != 0:
        raise Neo4jLocalError(
            f"Maven fetch of org.neo4j:neo4j:{version} failed (exit {rc}): {shlex.join(cmd)}\n"
            f"--- last lines of {log} ---\n{_tail(log, 30)}"
        )
    if not list(staging.glob("neo4j-server-*.jar")) and not list(staging.glob("neo4j-*.jar")):
        raise Neo4jLocalError(f"Maven ran but produced no Neo4j jars in {staging}; see {log}")
    shutil.rmtree(p.lib, ignore_errors=True)
    staging.rename(p.lib)
    p.stamp.write_text(version + "\n")
    p.browser_stamp.write_text(BROWSER_VERSION + "\n")
    if not quiet:
        n = len(list(p.lib.glob("*.jar")))
        print(f"neo4j-local: fetched {n} jars in {time.monotonic() - t0:.0f}s", file=sys.stderr, flush=True)
    return p.lib


# ----------------------------------------------------------------------------- process


def _proc_cmdline(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        pass
    try:  # no /proc (macOS)
        out = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True)
        return out.stdout.strip() or None
    except OSError:
        return None


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _server_pid(p: _Paths) -> int | None:
    """The pid of this home's running server, or None (a stale pid file is removed)."""
    text = _read(p.pid_file)
    if not text:
        return None
    try:
        pid = int(text)
    except ValueError:
        p.pid_file.unlink(missing_ok=True)
        return None
    cmdline = _proc_cmdline(pid) if _alive(pid) else None
    if cmdline and ENTRY_POINT in cmdline and f"--home-dir={p.home}" in cmdline:
        return pid
    p.pid_file.unlink(missing_ok=True)
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Netty does; ignores TIME_WAIT
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_port(p: _Paths, port_file: Path | None = None, avoid: int | None = None) -> int:
    old = _read(port_file or p.port_file)
    if old and old.isdigit() and int(old) != avoid and _port_free(int(old)):
        return int(old)  # keep the URI stable across restarts when we can
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port != avoid:
            return port


def _write_conf(p: _Paths, port: int, auth: bool, http_port: int | None = None) -> None:
    http = (["server.http.enabled=true", f"server.http.listen_address=127.0.0.1:{http_port}",
             f"server.http.advertised_address=127.0.0.1:{http_port}"] if http_port else ["server.http.enabled=false"])
    lines = [
        "# Generated by guanxi.graph.neo4j_local on every start; edits are overwritten.",
        "# Local-only Neo4j for guanxi: Bolt and HTTP (Neo4j Browser) on loopback only, no HTTPS, no telemetry.",
        f"server.directories.data={p.data}",
        f"server.directories.logs={p.logs}",
        f"server.directories.run={p.run}",
        f"server.directories.import={p.home / 'import'}",
        f"server.directories.plugins={p.home / 'plugins'}",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.bolt.tls_level=DISABLED",
        *http,
        "server.https.enabled=false",
        "dbms.routing.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        "# guanxi cypher is read-only, and Community has no reader role: the server itself loads nothing (LOAD CSV",
        "# from files or from any address; docs/security.md). Load data with guanxi sync, never with LOAD CSV.",
        "dbms.security.allow_csv_import_from_file_urls=false",
        "internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0",
        "dbms.usage_report.enabled=false",
        "initial.dbms.default_database=neo4j",
        "# memory: a 2-core / 24 GB machine shared with the test suite",
        f"server.memory.heap.initial_size={HEAP_INITIAL}",
        f"server.memory.heap.max_size={HEAP_MAX}",
        f"server.memory.pagecache.size={PAGECACHE}",
        "# small, not preallocated transaction logs (the default preallocates 256 MB per database)",
        "db.tx_log.preallocate=false",
        "db.tx_log.rotation.size=32M",
        "db.tx_log.rotation.retention_policy=100M size",
        "# stop in ~1 s instead of ~10 s (Netty's default 5 s quiet period, twice)",
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "# JVM flags (Neo4j's launcher turns these into java arguments)",
    ]
    lines += [f"server.jvm.additional={flag}" for flag in JVM_FLAGS]
    p.conf.mkdir(parents=True, exist_ok=True)
    p.conf_file.write_text("\n".join(lines) + "\n")


def _run_java(p: _Paths, args: list[str], what: str, timeout: float = 120, secret: str | None = None) -> str:
    cmd = [_java(), "-cp", f"{p.lib}/*", *args]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=p.env(), cwd=p.home,
                             stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Neo4jLocalError(f"{what} timed out after {timeout:.0f}s") from None
    if out.returncode != 0:
        text = (out.stdout + out.stderr).strip()[-3000:]
        if secret:
            text = text.replace(secret, "***")
        raise Neo4jLocalError(f"{what} failed (exit {out.returncode}):\n{text}")
    return out.stdout


def _system_db_exists(p: _Paths) -> bool:
    return (p.data / "databases" / "system").exists()


def _ensure_password(p: _Paths) -> str:
    """The neo4j user's password; set it (``neo4j-admin dbms set-initial-password``) before the first start."""
    password = _read(p.password_file)
    if _system_db_exists(p):
        if not password:
            raise Neo4jLocalError(
                f"{p.data} holds a database created without a password this tool knows "
                f"({p.password_file} is missing); run `scripts/neo4j-local reset` to start afresh"
            )
        return password
    if not password:
        password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        _write_private(p.password_file, password + "\n")
    if len(password) < 8 or password.startswith(("-", "@")) or any(c.isspace() or c in "\"'\\#" for c in password):
        raise Neo4jLocalError(
            f"the password in {p.password_file} must have 8+ characters, no spaces, quotes, backslashes or '#', "
            "and not start with '-' or '@'"
        )
    # The password goes through a picocli @argument file (0600) so it never shows in `ps`.
    argfile = p.run / "initial-password.args"
    _write_private(argfile, password + "\n")
    try:
        out = _run_java(p, [ADMIN_TOOL, "dbms", "set-initial-password", f"@{argfile}"],
                        "neo4j-admin dbms set-initial-password", secret=password)
    finally:
        argfile.unlink(missing_ok=True)
    if "Changed password" not in out:
        raise Neo4jLocalError(f"neo4j-admin dbms set-initial-password said: {out.replace(password, '***').strip()}")
    return password


def _server_command(p: _Paths) -> list[str]:
    """Ask Neo4j's own launcher (``neo4j console --dry-run``) for the server's java command line."""
    out = _run_java(p, [LAUNCHER, "console", "--dry-run"], "neo4j console --dry-run")
    lines = [line for line in out.splitlines() if ENTRY_POINT in line]
    if not lines:
        raise Neo4jLocalError(f"neo4j console --dry-run printed no {ENTRY_POINT} command:\n{out[-2000:]}")
    return shlex.split(lines[-1])


def _wait_ready(info: ServerInfo, pid: int, p: _Paths, timeout: float) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise Neo4jLocalError(
                f"the Neo4j server (pid {pid}) exited during startup\n--- last lines of {p.console_log} ---\n{_tail(p.console_log)}"
            )
        try:
            with GraphDatabase.driver(info.uri, auth=info.auth, connection_timeout=5) as driver:
                driver.verify_connectivity()
            return
        except AuthError as exc:
            raise Neo4jLocalError(f"the Neo4j server at {info.uri} rejected the stored credentials: {exc.message}") from None
        except Exception as exc:  # not listening yet
            last = exc
        time.sleep(0.5)
    raise Neo4jLocalError(
        f"the Neo4j server (pid {pid}) did not answer on {info.uri} within {timeout:.0f}s (last error: {last})\n"
        f"--- last lines of {p.console_log} ---\n{_tail(p.console_log)}"
    )


def _info(p: _Paths, pid: int | None, started: bool) -> ServerInfo:
    port = _read(p.port_file)
    auth = _read(p.auth_file) != "off"
    return ServerInfo(
        uri=f"bolt://127.0.0.1:{port}",
        user=DEFAULT_USER,
        password=_read(p.password_file) if auth else None,
        database=DEFAULT_DATABASE,
        pid=pid,
        home=p.home,
        started=started,
    )


# ----------------------------------------------------------------------------- API


def ensure_started(home: Path | str | None = None, *, auth: bool = True, timeout: float = START_TIMEOUT) -> ServerInfo:
    """Start the server in ``home`` (default :func:`default_home`) unless it runs; return how to reach it.

    Fetches the jars on first use. A running server is reused as it is (its
    auth setting included); ``ServerInfo.started`` tells whether this call
    started it. Raises :class:`Neo4jLocalError` with the reason on failure.
    """
    p = _Paths(home or default_home())
    with _locked(p):
        pid = _server_pid(p)
        if pid is not None:
            info = _info(p, pid, started=False)
            _wait_ready(info, pid, p, timeout)
            return info
        fetch(p.home)
        for d in (p.data, p.logs, p.run, p.home / "import"):
            d.mkdir(parents=True, exist_ok=True)
        port = _pick_port(p)
        p.port_file.write_text(f"{port}\n")
        http_port = _pick_port(p, p.http_port_file, avoid=port)
        p.http_port_file.write_text(f"{http_port}\n")
        p.auth_file.write_text("on\n" if auth else "off\n")
        _write_conf(p, port, auth, http_port)
        _ensure_password(p)  # also with auth off, so that auth can be switched on later
        cmd = _server_command(p)
        with open(p.console_log, "ab") as log:
            log.write(f"\n=== neo4j-local start {time.strftime('%Y-%m-%d %H:%M:%S')} ===\n".encode())
            log.flush()
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    env=p.env(), cwd=p.home, start_new_session=True)
        _CHILDREN[proc.pid] = proc
        p.pid_file.write_text(f"{proc.pid}\n")
        info = _info(p, proc.pid, started=True)
        try:
            _wait_ready(info, proc.pid, p, timeout)
        except BaseException:
            _terminate(proc.pid, STOP_TIMEOUT)
            p.pid_file.unlink(missing_ok=True)
            raise
        return info


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM, wait up to ``timeout``, then SIGKILL. True if it stopped on SIGTERM."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    graceful = _wait_gone(pid, timeout)
    if not graceful:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 10)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
    return graceful


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True


def stop(home: Path | str | None = None, *, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the server in ``home`` (SIGTERM, then SIGKILL after ``timeout``). False if it was not running."""
    p = _Paths(home or default_home())
    with _locked(p):
        pid = _server_pid(p)
        if pid is None:
            return False
        graceful = _terminate(pid, timeout)
        p.pid_file.unlink(missing_ok=True)
        if not graceful:
            print(f"neo4j-local: server pid {pid} ignored SIGTERM for {timeout:.0f}s and was killed", file=sys.stderr)
        return True


def status(home: Path | str | None = None) -> Status:
    p = _Paths(home or default_home())
    pid = _server_pid(p)
    port = _read(p.port_file)
    return Status(
        running=pid is not None,
        pid=pid,
        uri=f"bolt://127.0.0.1:{port}" if port else None,
        auth=_read(p.auth_file) != "off",
        version=_read(p.stamp),
        browser=browser_url(p.home),
    )


def browser_url(home: Path | str | None = None) -> str | None:
    """Where Neo4j Browser is served (the HTTP connector, loopback), once a server has been set up."""
    http_port = _read(_Paths(home or default_home()).http_port_file)
    return f"http://127.0.0.1:{http_port}/browser/" if http_port else None


def server_info(home: Path | str | None = None) -> ServerInfo | None:
    """How to reach the server in ``home`` if it runs, else None (does not start it)."""
    p = _Paths(home or default_home())
    pid = _server_pid(p)
    return None if pid is None else _info(p, pid, started=False)


def reset(home: Path | str | None = None) -> None:
    """Stop the server and delete its data, logs and password (the downloaded jars stay)."""
    p = _Paths(home or default_home())
    stop(p.home)
    with _locked(p):
        for d in (p.data, p.logs):
            shutil.rmtree(d, ignore_errors=True)
        for f in (p.password_file, p.auth_file, p.port_file, p.http_port_file):
            f.unlink(missing_ok=True)


def is_fetched(home: Path | str | None = None) -> bool:
    """Whether the server's jars (and so neo4j-admin's) are in ``home``."""
    p = _Paths(home or default_home())
    return _read(p.stamp) is not None and any(p.lib.glob("neo4j-*.jar"))


def run_admin(args: list[str], home: Path | str | None = None, *, what: str = "neo4j-admin",
              timeout: float = 3600.0) -> str:
    """Run ``neo4j-admin ARGS`` (the Java class ``org.neo4j.cli.AdminTool`` on the server's classpath, with this
    home's neo4j.conf); returns its output, raises :class:`Neo4jLocalError` with the tail of it on failure."""
    p = _Paths(home or default_home())
    if not is_fetched(p.home):
        raise Neo4jLocalError(f"neo4j-admin not found in {p.lib}: run `scripts/neo4j-local fetch`")
    return _run_java(p, [ADMIN_TOOL, *args], what, timeout=timeout)


def env_lines(info: ServerInfo) -> str:
    return (
        f"export NEO4J_URI={shlex.quote(info.uri)}\n"
        f"export NEO4J_USER={shlex.quote(info.user)}\n"
        f"export NEO4J_PASSWORD={shlex.quote(info.password or '')}\n"
        f"export NEO4J_DATABASE={shlex.quote(info.database)}\n"
    )


# ----------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="neo4j-local",
        description=f"A private Neo4j {NEO4J_VERSION} Community server (Bolt on 127.0.0.1), kept under .neo4j/.",
    )
    parser.add_argument("--home", type=Path, default=None, help="state folder (default: $GUANXI_NEO4J_HOME or .neo4j at the repo root)")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("start", help="fetch (first time), configure and start the server; wait until Bolt answers")
    s.add_argument("--no-auth", action="store_true", help="start with authentication off")
    s.add_argument("--timeout", type=float, default=START_TIMEOUT, help="seconds to wait for Bolt (default %(default)s)")
    t = sub.add_parser("stop", help="stop the server (SIGTERM, SIGKILL after --timeout)")
    t.add_argument("--timeout", type=float, default=STOP_TIMEOUT)
    sub.add_parser("status", help="print running/stopped and the URI (exit 0 running, 3 stopped)")
    sub.add_parser("env", help="print export lines for NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE")
    sub.add_parser("fetch", help="only download the jars")
    sub.add_parser("reset", help="stop and delete data, logs and the password (keeps the jars)")
    args = parser.parse_args(argv)
    home = args.home or default_home()
    try:
        if args.command == "start":
            t0 = time.monotonic()
            info = ensure_started(home, auth=not args.no_auth, timeout=args.timeout)
            how = f"started in {time.monotonic() - t0:.1f}s" if info.started else "already running"
            print(f"neo4j-local: {how} (pid {info.pid}) {info.uri} auth={'on' if info.password else 'off'}")
            if browser_url(home):
                print(f"neo4j-local: Neo4j Browser at {browser_url(home)} (connect to {info.uri})")
            print("neo4j-local: eval \"$(scripts/neo4j-local env)\" to point guanxi at it")
        elif args.command == "stop":
            print("neo4j-local: stopped" if stop(home, timeout=args.timeout) else "neo4j-local: was not running")
        elif args.command == "status":
            st = status(home)
            print(st)
            return 0 if st.running else 3
        elif args.command == "env":
            p = _Paths(home)
            if not _read(p.port_file):
                raise Neo4jLocalError("no local server has been set up yet: run `scripts/neo4j-local start`")
            if _server_pid(p) is None:
                print("# neo4j-local: the server is not running (scripts/neo4j-local start)", file=sys.stderr)
            sys.stdout.write(env_lines(_info(p, None, started=False)))
        elif args.command == "fetch":
            print(fetch(home))
        elif args.command == "reset":
            reset(home)
            print("neo4j-local: data, logs and password removed")
    except Neo4jLocalError as exc:
        print(f"neo4j-local: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
