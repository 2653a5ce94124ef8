"""The workbench's search: one box over names, aliases, organization names, directive text, document titles and
the full text of documents, with traditional and simplified Chinese folded together.

Folding is OpenCC's ``t2s`` conversion (the ``opencc`` package, which ships its dictionaries), applied to both
the indexed text and the query, so ``李強`` finds ``李强`` and ``國務院`` finds ``国务院`` (and text written in
traditional characters is found by a simplified query). Matching is a plain substring test on folded text:
Chinese has no spaces to tokenise on, and the corpus is small enough that a scan is quick (the index of a year
of news is ~15 M characters; see docs/workbench.md for the measurements and the choice of OpenCC package).
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = ["fold", "SearchIndex", "Hit", "Results", "KINDS"]

KINDS = ("Person", "Organization", "Meeting", "Directive", "Industry", "Addressee", "Document")
SNIPPET = 40


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


# full-width ASCII (Ａ１，) -> ASCII, ideographic space -> space: what NFKC does to them, keeping every length (and
# 10x faster than unicodedata.normalize on news text)
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """The form compared by search: full-width letters, digits and signs made plain, OpenCC traditional →
    simplified, lower case."""
    if not text:
        return ""
    return _converter().convert(text.translate(_WIDTH)).lower()


@dataclass
class Hit:
    kind: str
    item: str
    label: str
    fields: set[str] = field(default_factory=set)    # name / alias / text / title / full text
    matched: list[str] = field(default_factory=list)  # the matched names and aliases
    snippets: list[tuple[str, str, str]] = field(default_factory=list)  # (before, match, after) in long texts
    spans: list[tuple[int, int] | None] = field(default_factory=list)   # the match's offsets in the text, per snippet


@dataclass
class _Entry:
    kind: str
    item: str
    label: str
    field: str
    text: str
    folded: str
    same_length: bool


class SearchIndex:
    """Folded entries, built once per store snapshot."""

    def __init__(self, entries: Iterable[tuple[str, str, str, str, str]]):
        self.entries: list[_Entry] = []
        for kind, item, label, field_name, text in entries:
            if not text:
                continue
            folded = fold(text)
            self.entries.append(_Entry(kind, item, label, field_name, text, folded, len(folded) == len(text)))

    @classmethod
    def build(cls, searchable_rows: Iterable[Any], documents: Iterable[Any], texts: Iterable[tuple[str, str]]) -> "SearchIndex":
        """From the ``searchable`` query's rows, the ``documents`` rows (titles) and (document, text) pairs."""
        entries: list[tuple[str, str, str, str, str]] = []
        for r in searchable_rows:
            entries.append((r.kind, r.item, r.label, r.field, r.matched))
        titles: dict[str, str] = {}
        for d in documents:
            titles[d.document] = d.title or ""
            if d.title:
                entries.append(("Document", d.document, d.title, "title", d.title))
        for document, text in texts:
            entries.append(("Document", document, titles.get(document) or "", "full text", text))
        return cls(entries)

    def search(self, query: str, kind: str | None = None, limit_per_kind: int = 200) -> "Results":
        """Hits grouped by kind (in :data:`KINDS` order), each item once, its matched names or text snippets; at
        most ``limit_per_kind`` per kind, ``Results.totals`` counting them all."""
        needle = fold(query.strip())
        grouped: dict[str, dict[str, Hit]] = defaultdict(dict)
        beyond: dict[str, set[str]] = defaultdict(set)
        if not needle:
            return Results()
        for e in self.entries:
            if kind and e.kind != kind:
                continue
            at = e.folded.find(needle)
            if at < 0:
                continue
            hits = grouped[e.kind]
            hit = hits.get(e.item)
            if hit is None:
                if len(hits) >= limit_per_kind:
                    beyond[e.kind].add(e.item)
                    continue
                hit = hits[e.item] = Hit(e.kind, e.item, e.label)
            hit.fields.add(e.field)
            if e.field == "full text" or (e.field == "text" and len(e.text) > SNIPPET * 2):
                if len(hit.snippets) < 3:
                    hit.snippets.append(_snippet(e, at, len(needle)))
                    # offsets in the folded text are offsets in the text when folding kept the length
                    hit.spans.append((at, at + len(needle)) if e.same_length and e.field == "full text" else None)
            elif e.text not in hit.matched:
                hit.matched.append(e.text)
        out = Results({k: sorted(grouped[k].values(), key=lambda h: (h.label, h.item)) for k in KINDS
                       if grouped.get(k) or beyond.get(k)})
        out.totals = {k: len(grouped[k]) + len(beyond[k]) for k in out}
        return out


class Results(dict):
    """kind -> hits (at most the limit), with ``totals``: kind -> how many items matched in all."""

    totals: dict[str, int]

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.totals = {}


def _snippet(e: _Entry, at: int, length: int) -> tuple[str, str, str]:
    """(before, match, after) around the match: from the original text when folding kept the length, else from
    the folded text."""
    source = e.text if e.same_length else e.folded
    start, end = max(0, at - SNIPPET), min(len(source), at + length + SNIPPET)
    before = ("…" if start else "") + source[start:at]
    after = source[at + length:end] + ("…" if end < len(source) else "")
    return before.replace("\n", " "), source[at:at + length], after.replace("\n", " ")
