"""Plain data passed between the loader stages.

Reading yields :class:`SourceRecord`; cleaning turns its text into :class:`CleanText` (the text every
reported span indexes) with an :class:`OffsetMap` back to the original; metadata extraction yields
:class:`DocumentMeta`; extraction yields :class:`Extraction`.  Everything here is a value: no I/O.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]  # [start, end) character offsets into the cleaned text


class GuanxiInputError(Exception):
    """Bad input: says which file, which record or line, and what was wrong."""

    def __init__(self, path: str, reason: str, *, record: int | None = None, line: int | None = None):
        self.path = path
        self.record = record
        self.line = line
        self.reason = reason
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.path
        if self.record is not None:
            where += f" record {self.record}"
        if self.line is not None:
            where += f" line {self.line}"
        return f"{where}: {self.reason}"


@dataclass
class SourceRecord:
    """One document as read, before cleaning.

    ``text`` is the *original* text: the decoded file for plain text, and for HTML (a page, or HTML inside
    a JSON field) the text converted from the markup, which is then the original that offsets map back to.
    """

    path: str                      # the input file ('-' for stdin)
    text: str
    format: str                    # 'txt' | 'html' | 'json' | 'jsonl'
    record: int | None = None      # index of the record within JSON/JSONL input
    encoding: str | None = None    # detected encoding of the file, when it was bytes
    meta: dict[str, Any] = field(default_factory=dict)  # hints from the container: id, title, published, source, authors, url


@dataclass
class OffsetMap:
    """Maps offsets in the cleaned text back to offsets in the original text.

    The cleaned text is the original with some ranges deleted, so it is a concatenation of original
    segments; ``segments`` holds ``(clean_start, original_start, length)`` sorted by ``clean_start``.
    """

    segments: list[tuple[int, int, int]]

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([(0, 0, length)])

    def to_original(self, offset: int) -> int:
        if not self.segments:
            return offset
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        clean_start, orig_start, length = self.segments[i]
        return orig_start + min(offset - clean_start, length)

    def span_to_original(self, span: Span) -> Span:
        start, end = span
        if end <= start:
            o = self.to_original(start)
            return (o, o)
        # the end maps through the last character so that a span ending at a segment boundary stays
        # inside its own segment
        return (self.to_original(start), self.to_original(end - 1) + 1)

    def span_from_original(self, span: Span) -> Span | None:
        """The cleaned-text span of an original span, or None unless it was kept whole (inside one
        segment: a span across a deletion has no contiguous cleaned counterpart)."""
        start, end = span
        orig_starts = [s[1] for s in self.segments]  # segments are in original order too
        i = bisect.bisect_right(orig_starts, start) - 1
        if i < 0:
            return None
        clean_start, orig_start, length = self.segments[i]
        if start < orig_start or end > orig_start + length or end < start:
            return None
        return (clean_start + start - orig_start, clean_start + end - orig_start)


@dataclass
class CleanText:
    text: str
    offsets: OffsetMap
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # (orig_start, orig_end, why)


@dataclass
class DocumentMeta:
    id: str
    path: str
    title: str | None = None
    published: str | None = None          # YYYY-MM-DD
    published_at: str | None = None       # full timestamp as given, when there is one
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    jurisdiction: str | None = None       # full name of the place whose bodies bare 市委/县政府 refer to
    record: int | None = None
    url: str | None = None
    # spans (into the cleaned text) of the byline values, so bylines can become people with provenance
    author_spans: list[Span] = field(default_factory=list)
    editor_span: Span | None = None
    source_span: Span | None = None
    title_span: Span | None = None
    # the same values located in the ORIGINAL text (SourceRecord.text): a byline deleted as chrome
    # (e.g. "责任编辑:杜宇昕") has no cleaned span but still has provenance here
    author_original_spans: list[Span] = field(default_factory=list)
    editor_original_span: Span | None = None
    source_original_span: Span | None = None
    title_original_span: Span | None = None
