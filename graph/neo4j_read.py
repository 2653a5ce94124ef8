"""Connecting to Neo4j, and running a user's Cypher read-only (``guanxi cypher``).

Connection settings come from flags or ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``
(:func:`settings`); an empty password means no authentication.  The password is never printed: every error
message that leaves this module goes through :meth:`Settings.redact`; credentials written into the URI
(``bolt://user:password@host``) are taken out of it (:func:`split_credentials`: they authenticate, the URI shown
has none) and redacted wherever they appear (:func:`redact_uri`).

:func:`run_read` runs a query in a **read transaction** (a session with access mode READ, through
``session.execute_read``): the server itself refuses a query that writes, which becomes a
:class:`ReadOnlyError`.  Parameters are passed as Cypher parameters (``$name``), never pasted into the text.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Callable, Iterable, Mapping

__all__ = [
    "DEFAULT_URI", "DEFAULT_USER", "DEFAULT_DATABASE", "Neo4jError", "ReadOnlyError", "Settings", "settings",
    "open_driver", "run_read", "ReadResult", "to_plain", "to_cell", "parse_param", "friendly_error",
]

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
READ_ONLY_HINT = "guanxi cypher is read-only; use `guanxi sync` to change the graph"


class Neo4jError(Exception):
    """A Neo4j problem worth one line (unreachable server, wrong credentials, bad query...)."""


class ReadOnlyError(Neo4jError):
    """A query tried to write through ``guanxi cypher``."""


class QueryRejected(Neo4jError):
    """The server rejected the query itself (a syntax or type error, an unknown function...): a usage error."""


@dataclass(frozen=True)
class Settings:
    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)   # None or "": no authentication
    database: str = DEFAULT_DATABASE

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.password else None

    def redact(self, text: str) -> str:
        """``text`` with the password (if any) and any credentials written into a URI replaced by ``***``."""
        if self.password and len(self.password) >= 1:
            text = text.replace(self.password, "***")
        return redact_uri(text)


_URI_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^/@:\s]*)(?::(?P<password>[^/@\s]*))?@")
_URI_SECRET_PARAM = re.compile(r"(?P<key>[?&](?:password|passwd|pwd|token|secret|credentials?)=)[^&#\s]*", re.I)


def redact_uri(text: str) -> str:
    """``text`` with every ``scheme://user:password@`` written as ``scheme://user:***@`` and secret-looking query
    parameters (``?password=…``) as ``***``: a URI's credentials are never shown, wherever they came from."""
    text = _URI_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}{':***' if m['password'] is not None else ''}@", text)
    return _URI_SECRET_PARAM.sub(lambda m: f"{m['key']}***", text)


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``bolt://user:pass@host:7687`` -> (``bolt://host:7687``, user, password): the driver gets credentials through
    ``auth``, never inside the URI (where they would show in every message that names the server)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri, None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return (urlunsplit(parts._replace(netloc=host)), unquote(user) or None, unquote(password) if colon else None)


def settings(uri: str | None = None, user: str | None = None, password: str | None = None,
             database: str | None = None, *, environ: Mapping[str, str] | None = None,
             prompt: Callable[[str], str] | None = None, interactive: bool | None = None) -> Settings:
    """Flags first, then ``NEO4J_*`` variables, then defaults.  When no password is given anywhere (the variable
    unset, not merely empty) and standard input is a terminal, ask for it with ``getpass``."""
    env = os.environ if environ is None else environ
    uri, uri_user, uri_password = split_credentials(uri or env.get("NEO4J_URI") or DEFAULT_URI)
    user = user or env.get("NEO4J_USER") or uri_user or DEFAULT_USER
    database = database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE
    if password is None:
        password = env.get("NEO4J_PASSWORD")
    if password is None:
        password = uri_password
    if password is None:
        if interactive is None:
            import sys

            interactive = sys.stdin is not None and sys.stdin.isatty()
        if interactive:
            if prompt is None:
                import getpass

                prompt = getpass.getpass
            password = prompt(f"Neo4j password for {user} at {uri} (empty: no authentication): ")
    return Settings(uri=uri, user=user, password=password or None, database=database)


def open_driver(s: Settings, **config: Any):
    """A ``neo4j.Driver`` for ``s``; connectivity checked, errors as :class:`Neo4jError` (password redacted)."""
    from neo4j import GraphDatabase

    config.setdefault("notifications_min_severity", "OFF")  # no "label does not exist" warnings on stderr
    try:
        driver = GraphDatabase.driver(s.uri, auth=s.auth, **config)
    except Exception as exc:  # a malformed URI
        raise Neo4jError(s.redact(f"cannot use Neo4j URI {s.uri}: {exc}")) from None
    try:
        driver.verify_connectivity()
    except Exception as exc:
        driver.close()
        raise friendly_error(exc, s) from None
    return driver


def friendly_error(exc: BaseException, s: Settings | None = None) -> Neo4jError:
    """One clear line for a driver exception, never containing the password."""
    from neo4j import exceptions as nx

    uri = s.uri if s else "the server"
    if isinstance(exc, nx.AuthError):
        msg = f"Neo4j at {uri} refused the credentials of user {s.user if s else '?'} (check NEO4J_USER / NEO4J_PASSWORD)"
    elif isinstance(exc, nx.ServiceUnavailable):
        msg = f"cannot reach Neo4j at {uri} ({exc}); start it (scripts/neo4j-local start) or set NEO4J_URI"
    elif isinstance(exc, nx.Neo4jError):
        code = getattr(exc, "code", None) or ""
        message = getattr(exc, "message", None) or str(exc)
        if code == "Neo.ClientError.Statement.AccessMode" or "read access mode" in message:
            return ReadOnlyError(s.redact(f"{READ_ONLY_HINT} (the server refused: {message})") if s else READ_ONLY_HINT)
        if code.endswith("DatabaseNotFound"):
            msg = f"no database {s.database if s else ''} on {uri}: {message}"
        elif code.startswith("Neo.ClientError.Statement.") or code.startswith("Neo.ClientError.Procedure."):
            text = f"{code}: {message}"
            return QueryRejected(s.redact(text) if s else text)
        else:
            msg = f"{code}: {message}" if code else message
    else:
        msg = f"{type(exc).__name__}: {exc}"
    return Neo4jError(s.redact(msg) if s else redact_uri(msg))


# --------------------------------------------------------------------------------------------------
# read-only queries
# --------------------------------------------------------------------------------------------------

@dataclass
class ReadResult:
    keys: list[str]
    rows: list[dict[str, Any]]   # values as the driver returns them (Node, Relationship, neo4j.time.Date...)


def run_read(driver: Any, query: str, params: Mapping[str, Any] | None = None, database: str | None = None,
             settings_: Settings | None = None) -> ReadResult:
    """Run ``query`` in a read transaction; writes are refused by the server (:class:`ReadOnlyError`)."""
    import neo4j

    def work(tx: Any) -> ReadResult:
        result = tx.run(query, dict(params or {}))
        keys = list(result.keys())
        rows = [dict(zip(keys, record.values())) for record in result]
        return ReadResult(keys, rows)

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)
    except neo4j.exceptions.DriverError as exc:
        raise friendly_error(exc, settings_) from None
    except neo4j.exceptions.Neo4jError as exc:
        raise friendly_error(exc, settings_) from None


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` -> (name, "value") (always a string); ``name:=JSON`` -> (name, the JSON value: numbers,
    lists, booleans, null, objects).  Either way the value goes to the server as a parameter, never as text."""
    import json

    if "=" not in text:
        raise ValueError(f"--param needs name=value or name:=JSON, got {text!r}")
    name, value = text.split("=", 1)
    typed = name.endswith(":")
    name = name.rstrip(":").strip().lstrip("$")
    if not name:
        raise ValueError(f"--param needs a parameter name: {text!r}")
    if typed:
        try:
            return name, json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"--param {name}:= needs a JSON value ({exc.msg}): {value!r}") from None
    return name, value


# --------------------------------------------------------------------------------------------------
# values for output
# --------------------------------------------------------------------------------------------------

def _is_internal(key: str) -> bool:
    return key.startswith("_gx_")


def to_plain(value: Any) -> Any:
    """A JSON-serialisable form of a driver value (nodes and relationships as dicts, temporal values as ISO)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        out = {"_labels": sorted(value.labels)}
        out.update({k: to_plain(v) for k, v in value.items() if not _is_internal(k)})
        return out
    if isinstance(value, Relationship):
        out = {"_type": value.type}
        for key, end in (("_start", value.start_node), ("_end", value.end_node)):
            if end is not None and end.get("iri") is not None:
                out[key] = end.get("iri")
        out.update({k: to_plain(v) for k, v in value.items() if not _is_internal(k)})
        return out
    if isinstance(value, Path):
        return {"nodes": [to_plain(n) for n in value.nodes], "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):   # neo4j.time.Date / DateTime / Time / Duration
        return value.iso_format()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _short(text: str) -> str:
    from guanxi.ontology.iri import ID_BASE, readable

    return readable(text) if text.startswith(ID_BASE) else text


def _caption(props: Mapping[str, Any]) -> str:
    for key in ("name", "title", "text", "exact"):
        if props.get(key):
            return str(props[key])
    return _short(str(props.get("iri", "")))


def to_cell(value: Any) -> str:
    """A short text for a table cell: ``(:Person 张古江)``, ``[:HELD 书记]``, lists joined with ``, ``."""
    from neo4j.graph import Node, Path, Relationship

    if value is None:
        return ""
    if isinstance(value, Node):
        labels = [label for label in sorted(value.labels) if label != "Entity"]
        return f"(:{':'.join(labels)} {_caption(value)})"
    if isinstance(value, Relationship):
        extra = value.get("title") or value.get("roles")
        extra = ", ".join(extra) if isinstance(extra, list) else extra
        return f"[:{value.type}{' ' + str(extra) if extra else ''}]"
    if isinstance(value, Path):
        nodes = value.nodes
        parts = [to_cell(nodes[0])]
        for i, rel in enumerate(value.relationships):
            forward = rel.start_node is not None and rel.start_node.element_id == nodes[i].element_id
            parts.append(f"-{to_cell(rel)}->" if forward else f"<-{to_cell(rel)}-")
            parts.append(to_cell(nodes[i + 1]))
        return "".join(parts)
    if isinstance(value, (list, tuple)):
        return ", ".join(to_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {to_cell(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, str):
        return _short(value)
    return str(value)


def rows_as_plain(result: ReadResult) -> list[dict[str, Any]]:
    return [{k: to_plain(row[k]) for k in result.keys} for row in result.rows]


def rows_as_cells(result: ReadResult) -> Iterable[list[str]]:
    for row in result.rows:
        yield [to_cell(row[k]) for k in result.keys]
