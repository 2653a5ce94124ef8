"""What a user's SPARQL may do here: read the store, nothing else.

pyoxigraph evaluates ``SERVICE <url> { … }`` by sending the sub-query over HTTP to ``url`` (federated query),
and has no switch to turn that off; a SPARQL Update (``INSERT``, ``LOAD <url>``, ``DROP``…) would change the store
or fetch a URL.  :func:`refusal` reads the query's tokens the way the SPARQL grammar does (comments, string
literals, IRIs, variables and prefixed names are skipped, so ``"SERVICE"`` in a literal or ``?service`` are
fine) and says why a query is refused, before pyoxigraph parses it.  Codepoint escapes (``\\u0053ERVICE``,
SPARQL 1.1 §19.2) are undone first, in case a parser honours them outside strings.
"""
from __future__ import annotations

import re

__all__ = ["refusal", "keywords"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*:[^\s{}()<>,;"']*|:[^\s{}()<>,;"']*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
PROLOGUE = frozenset({"PREFIX", "BASE", "VERSION"})


def keywords(query: str) -> list[str]:
    """The bare words of ``query`` (keywords and function names), upper-cased, in order: what is left once
    comments, literals, IRIs, variables and prefixed names are skipped."""
    out = []
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "word":
            out.append(m.group().upper())
    return out


def refusal(query: str) -> str | None:
    """Why ``query`` may not run through guanxi (one sentence), or None when it only reads the store."""
    texts = [query]
    if _ESCAPE.search(query):
        texts.append(_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query))
    for text in texts:
        words = keywords(text)
        first = next((w for w in words if w not in PROLOGUE), None)
        if first in UPDATE_KEYWORDS or "LOAD" in words:
            return ("SPARQL Update (INSERT, DELETE, LOAD, DROP, ...) is refused: guanxi sparql is read-only; "
                    "change the store with ingest, remove, merge or unmerge")
        if "SERVICE" in words:
            return ("SERVICE (a federated query, which would send the query over the network to another "
                    "endpoint) is refused: guanxi sparql reads only the local store")
    return None
