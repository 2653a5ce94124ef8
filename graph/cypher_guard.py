"""``guanxi cypher`` is read-only: what a user's Cypher may do, checked before and by the server.

Neo4j 5 Community has users but no roles: every account may administer the server (``SHOW USERS``,
``CREATE USER``, ``TERMINATE TRANSACTIONS``, ``dbms.listConfig()``…), and ``LOAD CSV FROM 'http://…'`` is a *read*
that makes the server fetch a URL.  A reader account cannot be had there, so read-only is enforced in three
layers (docs/security.md):

1. :func:`refusal` reads the query's tokens (comments, strings, backquoted names, parameters, property keys and
   labels skipped) and refuses, before anything is sent: ``LOAD CSV``; administration commands (``SHOW`` other
   than indexes and constraints, ``CREATE``/``DROP``/``ALTER``/``RENAME`` of users, roles, databases…,
   ``GRANT``/``DENY``/``REVOKE``, ``START``/``STOP``…); transaction management (``TERMINATE``, ``SHOW``
   ``TRANSACTIONS``, ``CALL { … } IN TRANSACTIONS``); the ``USE`` clause; writing clauses; and every procedure
   that is not one of the read-only ones in :data:`READ_PROCEDURES`.
2. :func:`plan_refusal` asks the server for the query's plan (``EXPLAIN``, which runs nothing) and refuses a query
   whose ``queryType`` is not ``r`` or whose plan holds an operator that loads, administers or manages
   transactions, or calls a procedure outside the list: the server's own reading of the query.
3. The query runs in a read transaction (access mode READ), where the server refuses every write; and the
   local server ``scripts/neo4j-local`` starts is configured to block every address for ``LOAD CSV``
   (``internal.dbms.cypher_ip_blocklist``) and file URLs.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

__all__ = ["READ_PROCEDURES", "refusal", "plan_refusal", "explain_text", "run_user_read", "CypherRefused"]

# procedures that only read the graph's schema or indexes: what an analyst needs to explore the graph
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.vector.queryNodes", "db.index.vector.queryRelationships",
})
WRITE_CLAUSES = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "INSERT"})
ADMIN_FIRST = frozenset({"GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "START", "STOP", "ENABLE", "DEALLOCATE",
                         "REALLOCATE", "DRYRUN", "DROP", "TERMINATE"})
_ADMIN_OBJECTS = frozenset({"USER", "ROLE", "DATABASE", "ALIAS", "COMPOSITE", "OR", "INDEX", "CONSTRAINT", "SERVER",
                            "FULLTEXT", "TEXT", "RANGE", "POINT", "LOOKUP", "VECTOR", "BTREE"})
SHOW_ALLOWED = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"})
SHOW_QUALIFIERS = frozenset({"ALL", "RANGE", "TEXT", "POINT", "LOOKUP", "FULLTEXT", "VECTOR", "UNIQUE", "UNIQUENESS",
                             "KEY", "NODE", "RELATIONSHIP", "REL", "EXIST", "EXISTENCE", "EXISTS", "PROPERTY", "TYPE"})
REFUSED_OPERATORS = frozenset({"LoadCSV", "TerminateTransactions", "AdministrationCommand", "TransactionForeach",
                               "TransactionApply", "SystemProcedureCall"})
ALLOWED_SHOW_OPERATORS = frozenset({"ShowIndexes", "ShowConstraints"})
HINT = "guanxi cypher is read-only (`guanxi sync` writes the graph)"

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<param>\$\w+|\$`(?:[^`]|``)*`)
  | (?P<number>\d[\w.]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


class CypherRefused(Exception):
    """A query ``guanxi cypher`` does not send (or does not run, after the server's plan)."""


def _tokens(query: str) -> list[tuple[str, str, int]]:
    return [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(query)
            if m.lastgroup not in ("space", "comment")]


def _keywords(tokens: list[tuple[str, str, int]]) -> list[tuple[int, str]]:
    """(index, UPPER word) of the words that can be keywords: not a property key (after ``.``), a variable or
    namespace before ``.``, a label or type (after ``:``), a map key (before ``:``)."""
    out = []
    for i, (kind, text, _) in enumerate(tokens):
        if kind != "word":
            continue
        before = tokens[i - 1][1] if i else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if before in (".", ":") or after in (":", "."):
            continue
        out.append((i, text.upper()))
    return out


def _statement_starts(tokens: list[tuple[str, str, int]], words: list[tuple[int, str]]) -> list[int]:
    """Indexes of the first keyword of the query and of each part after UNION, past CYPHER options and
    EXPLAIN / PROFILE."""
    starts, expect = [], True
    skipping_options = False
    for i, word in words:
        if expect:
            if word == "CYPHER":
                skipping_options = True
                continue
            if word in ("EXPLAIN", "PROFILE"):
                skipping_options = False
                continue
            if skipping_options and word not in _CLAUSE_STARTS:
                continue  # CYPHER 5 runtime=slotted ...
            starts.append(i)
            expect = skipping_options = False
        if word == "UNION":
            expect = True
    return starts


_CLAUSE_STARTS = frozenset({"MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CALL", "USE", "SHOW", "CREATE", "MERGE",
                            "LOAD", "FOREACH", "DELETE", "DETACH", "SET", "REMOVE", "FINISH", "FILTER", "LET", "ORDER",
                            "LIMIT", "SKIP", "GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "START", "STOP", "ENABLE",
                            "DEALLOCATE", "REALLOCATE", "DRYRUN", "DROP", "TERMINATE", "INSERT", "WHEN"} | {"USING"})


def _dotted_name(tokens: list[tuple[str, str, int]], i: int) -> tuple[str, int]:
    """The dotted name starting at token ``i`` (``db.index.fulltext.queryNodes``) and the index after it."""
    parts = []
    while i < len(tokens) and tokens[i][0] in ("word", "quoted"):
        parts.append(tokens[i][1].strip("`"))
        if i + 1 < len(tokens) and tokens[i + 1][1] == ".":
            i += 2
            continue
        i += 1
        break
    return ".".join(parts), i


def refusal(query: str) -> str | None:
    """Why ``query`` is not sent (one sentence), or None."""
    tokens = _tokens(query)
    words = _keywords(tokens)
    upper = [w for _, w in words]
    for (i, word), nxt in zip(words, upper[1:] + [""]):
        if word == "LOAD" and nxt == "CSV":
            return ("LOAD CSV is refused: it makes the server read a file or fetch a URL; " + HINT)
        if word == "IN" and nxt in ("TRANSACTIONS", "CONCURRENT"):
            return "CALL { ... } IN TRANSACTIONS (transaction management) is refused; " + HINT
        if word in ("TRANSACTION", "TRANSACTIONS") and i and tokens[i - 1][1].upper() in ("SHOW", "TERMINATE"):
            return f"{tokens[i - 1][1].upper()} TRANSACTIONS (other sessions' transactions) is refused; " + HINT
        if word == "CREATE" and nxt in _ADMIN_OBJECTS:
            return f"CREATE {nxt} is an administration command and is refused; " + HINT
        if word in WRITE_CLAUSES:
            return f"{word} writes to the graph and is refused; " + HINT
    starts = set(_statement_starts(tokens, words))
    for i, word in words:
        if word == "USE" and (i in starts or (i and tokens[i - 1][1] == "{")):
            return "USE is refused: give the database with --database (or NEO4J_DATABASE)"
    for i, word in words:
        if i not in starts:
            continue
        if word in ADMIN_FIRST or word in ("BEGIN", "COMMIT", "ROLLBACK"):
            return f"{word} is an administration or transaction command and is refused; " + HINT
        if word == "SHOW":
            rest = [w for j, w in words if j > i][:3]
            shown = next((w for w in rest if w not in SHOW_QUALIFIERS), "")
            if shown not in SHOW_ALLOWED:
                return (f"SHOW {shown or '...'} is an administration command and is refused (SHOW INDEXES and "
                        "SHOW CONSTRAINTS are allowed); " + HINT)
    for i, (kind, text, _) in enumerate(tokens):
        if kind == "word" and text.upper() == "CALL":
            if i + 1 < len(tokens) and tokens[i + 1][1] in ("{", "("):
                continue  # a subquery: CALL { ... } or CALL (x) { ... }
            name, _ = _dotted_name(tokens, i + 1)
            if name not in READ_PROCEDURES:
                return (f"CALL {name or '...'} is refused: only these read-only procedures run through guanxi "
                        f"cypher: {', '.join(sorted(READ_PROCEDURES))}")
        elif kind == "word" and i + 1 < len(tokens) and tokens[i + 1][1] == "." and text.lower() in ("apoc", "dbms"):
            name, after = _dotted_name(tokens, i)
            if after < len(tokens) and tokens[after][1] == "(":
                return f"{name}() is refused: {text.lower()}.* functions reach beyond the graph; " + HINT
    return None


def explain_text(query: str) -> str:
    """``query`` made an ``EXPLAIN`` (which plans it and runs nothing): a leading PROFILE / EXPLAIN is
    replaced, else ``EXPLAIN`` goes in front (Neo4j also accepts it before ``CYPHER`` options)."""
    tokens = _tokens(query)
    for i, word in _keywords(tokens):
        if word in ("EXPLAIN", "PROFILE"):
            start = tokens[i][2]
            return query[:start] + "EXPLAIN" + query[start + len(word):]
        if word != "CYPHER" and word in _CLAUSE_STARTS:
            break
    return "EXPLAIN " + query


def _operators(plan: Any) -> list[tuple[str, str]]:
    """(operator type without ``@database``, details) of every operator of a plan (the driver's dict form)."""
    out, stack = [], [plan] if plan else []
    while stack:
        node = stack.pop()
        args = node.get("args") or {}
        out.append((str(node.get("operatorType", "")).split("@")[0], str(args.get("Details", ""))))
        stack.extend(node.get("children") or [])
    return out


def plan_refusal(query_type: str | None, plan: Any) -> str | None:
    """Why the server's plan of a query shows it is not a read, or None."""
    for operator, details in _operators(plan):
        if operator in REFUSED_OPERATORS or operator.endswith("Command"):
            return f"the server plans this query with {operator}, which is refused; " + HINT
        if operator.startswith("Show") and operator not in ALLOWED_SHOW_OPERATORS:
            return f"the server plans this query with {operator} (administration), which is refused; " + HINT
        if operator == "ProcedureCall":
            name = details.split("(", 1)[0].strip()
            if name not in READ_PROCEDURES:
                return f"the server plans a call of {name or 'a procedure'}, which is refused; " + HINT
    if query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or the server"}
        return f"the server says this query {kinds.get(str(query_type), f'is of type {query_type}')}; " + HINT
    return None


def run_user_read(driver: Any, query: str, params: Mapping[str, Any] | None = None, database: str | None = None,
                  settings_: Any = None) -> Any:
    """Run a user's Cypher read-only: :func:`refusal`, then the server's plan (:func:`plan_refusal`), then the
    query in a read transaction.  Raises :class:`CypherRefused`, or ``neo4j_read.Neo4jError``."""
    import neo4j

    from guanxi.graph import neo4j_read

    refused = refusal(query)
    if refused:
        raise CypherRefused(refused)

    def explain(tx: Any) -> tuple[str | None, Any]:
        summary = tx.run(explain_text(query), dict(params or {})).consume()
        return summary.query_type, summary.plan

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            query_type, plan = session.execute_read(explain)
    except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError) as exc:
        raise neo4j_read.friendly_error(exc, settings_) from None
    refused = plan_refusal(query_type, plan)
    if refused:
        raise CypherRefused(refused)
    return neo4j_read.run_read(driver, query, params, database, settings_)
