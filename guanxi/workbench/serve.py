"""``guanxi serve``: run the workbench with uvicorn (registered by ``guanxi/cli.py``)."""
from __future__ import annotations

import argparse
import ipaddress
import sys

EPILOG = """examples:
  guanxi serve                                   # http://127.0.0.1:8000 over ./guanxi-data
  guanxi --store xwlb-kg serve --port 8080
  guanxi serve --store guanxi-data --host 127.0.0.1 --port 0   # any free port (printed)

Read-only: the store is opened in read-only mode, so `guanxi ingest` can run meanwhile (the workbench sees the new
data within a few seconds). Bound to 127.0.0.1 by default; with another --host anyone who can reach that address
can read the whole graph (no login), and the Host header must name it. Pages: / (search), /people,
/organizations, /industries, /documents, entity pages, the document viewer, /graph; API: /api/queries,
/openapi.json, /api/docs. Exit codes: 0 stopped by Ctrl-C, 1 the store cannot be opened, 2 usage.
"""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def add_command(sub) -> None:
    p = sub.add_parser("serve", help="the workbench: search, pages, document viewer, graph views, JSON API",
                       description="Serve a local, read-only web workbench over the store.", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS,
                   help="the knowledge-graph store (default: $GUANXI_STORE or ./guanxi-data)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import socket

    import uvicorn

    from guanxi.api import default_store_dir
    from guanxi.workbench.app import create_app
    from guanxi.workbench.reader import NoStoreError

    if not 0 <= args.port <= 65535:
        sys.stderr.write(f"error: --port must be 0–65535, got {args.port}\n")
        return 2
    store = getattr(args, "store", None) or default_store_dir()
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if not _is_loopback(args.host):
        sys.stderr.write(f"warning: serving on {args.host}, not loopback: anyone who can reach it can read the whole graph\n")
        hosts.append(args.host if ":" not in args.host else f"[{args.host}]")
    try:
        app = create_app(store, allowed_hosts=hosts)
    except NoStoreError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host.strip("[]"), args.port))
    except OSError as exc:
        sys.stderr.write(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
        return 1
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(f"guanxi workbench on http://{shown}:{port}/ (store {store}); Ctrl-C stops it\n")
    sys.stderr.flush()
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    return 0
