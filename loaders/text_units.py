"""Paragraphs and sentences of the cleaned text, with their spans. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

# a sentence ends at 。！？； (with any closing quotes that follow), or at a line end
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)]*|\n")


@dataclass(frozen=True)
class Sentence:
    span: Span
    paragraph: int          # index of the paragraph (line) it belongs to
    index_in_paragraph: int


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines, with their leading and trailing whitespace trimmed."""
    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
        pos += len(line) + 1
    return out


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text)):
        start = p_start
        i = 0
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            end = match.end()
            s, e = _trim(text, start, end)
            if e > s:
                out.append(Sentence((s, e), p_index, i))
                i += 1
            start = end
        s, e = _trim(text, start, p_end)
        if e > s:
            out.append(Sentence((s, e), p_index, i))
    return out


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
