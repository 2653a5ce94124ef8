"""Removing page chrome from a document without losing offsets.

The cleaned text is the original with some ranges deleted (never rewritten), so an :class:`OffsetMap`
maps every cleaned offset back to the original exactly.  What counts as chrome is data: the regular
expressions in ``lexicons/chrome.toml`` (breadcrumbs, share/keyword/editor lines, banners, paywall and
truncation markers, metadata bylines), which users can extend with their own TOML file.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .model import CleanText, GuanxiInputError, OffsetMap, SourceRecord

CHROME_FILE = Path(__file__).parent / "lexicons" / "chrome.toml"
_HSPACE = " \t\r\u3000\xa0"  # horizontal whitespace (\r so that CRLF lines behave like LF lines)
_LINE_LOOKBACK = 200          # how far back a deletion looks for its line start (keeps long lines linear)


@dataclass(frozen=True)
class ChromePattern:
    name: str
    regex: re.Pattern[str]
    trim: str = ""  # characters absorbed on both sides of a match


def load_chrome_patterns(path: str | Path | None = None) -> list[ChromePattern]:
    """Patterns from a chrome TOML file (default: the bundled ``lexicons/chrome.toml``)."""
    if path is None:
        return list(_default_patterns())
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_patterns() -> tuple[ChromePattern, ...]:
    from .lexicon import lexicon_path

    return tuple(_load(lexicon_path("chrome.toml")))


def _load(path: Path) -> list[ChromePattern]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GuanxiInputError(str(path), f"cannot read chrome patterns: {e}") from None
    return parse_chrome_patterns(text, str(path))


def parse_chrome_patterns(text: str, source: str) -> list[ChromePattern]:
    """Patterns from the text of a chrome TOML file; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise GuanxiInputError(source, f"cannot read chrome patterns: {e}") from None
    patterns = []
    for i, entry in enumerate(data.get("pattern", [])):
        try:
            patterns.append(ChromePattern(entry["name"], re.compile(entry["regex"], re.MULTILINE), entry.get("trim", "")))
        except (KeyError, re.error) as e:
            raise GuanxiInputError(source, f"bad chrome pattern #{i + 1}: {e}") from None
    return patterns


def clean(text: str, patterns: Sequence[ChromePattern] | None = None) -> CleanText:
    """Delete chrome and the document's leading/trailing whitespace; keep everything else verbatim."""
    pats = _default_patterns() if patterns is None else patterns
    ranges = [_absorb(text, m.start(), m.end(), p.trim) + (p.name,)
              for p in pats for m in p.regex.finditer(text) if m.end() > m.start()]
    merged = _merge(ranges)
    merged = _merge([_whole_line(text, s, e) + (why,) for s, e, why in merged])
    kept = _complement(merged, len(text))
    kept, trimmed = _strip_ends(text, kept)
    removed = sorted(merged + trimmed)
    return _build(text, kept, removed)


def clean_with_map(record: SourceRecord, patterns: Sequence[ChromePattern] | None = None) -> CleanText:
    """Clean a record's text (convenience for the pipeline)."""
    return clean(record.text, patterns)


def _absorb(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    # e.g. the "……" and the trailing space around a paywall marker belong to the marker
    if chars:
        while start > 0 and text[start - 1] in chars:
            start -= 1
        while end < len(text) and text[end] in chars:
            end += 1
    return start, end


def _merge(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping ranges; touching ranges join and their reasons are combined."""
    out: list[tuple[int, int, str]] = []
    for s, e, why in sorted(ranges):
        if out and s <= out[-1][1]:
            ps, pe, pwhy = out[-1]
            reasons = pwhy if why in pwhy.split("+") else f"{pwhy}+{why}"
            out[-1] = (ps, max(pe, e), reasons)
        else:
            out.append((s, e, why))
    return out


def _whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a deletion to its whole line (newline included) when only whitespace would be left on it,
    so deleted chrome lines do not leave blank lines behind."""
    line_start = text.rfind("\n", max(0, start - _LINE_LOOKBACK), start) + 1
    if line_start == 0 and start > _LINE_LOOKBACK:
        return start, end  # a long line: the deletion is inside running text
    if text[line_start:start].strip(_HSPACE):
        return start, end
    if end > 0 and text[end - 1] == "\n":
        return line_start, end
    line_end = text.find("\n", end, end + _LINE_LOOKBACK)
    if line_end == -1:
        if end + _LINE_LOOKBACK < len(text):
            return start, end
        line_end = len(text)
    if text[end:line_end].strip(_HSPACE):
        return start, end
    return line_start, min(line_end + 1, len(text))


def _complement(removed: list[tuple[int, int, str]], length: int) -> list[tuple[int, int]]:
    kept, pos = [], 0
    for s, e, _ in removed:
        if s > pos:
            kept.append((pos, s))
        pos = max(pos, e)
    if pos < length:
        kept.append((pos, length))
    return kept


def _strip_ends(text: str, kept: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Drop whitespace at the start and end of what is left (it may sit between deletions)."""
    trimmed: list[tuple[int, int, str]] = []
    kept = list(kept)
    while kept:
        s, e = kept[0]
        new_s = e - len(text[s:e].lstrip())
        if new_s > s:
            trimmed.append((s, new_s, "whitespace"))
        if new_s < e:
            kept[0] = (new_s, e)
            break
        kept.pop(0)
    while kept:
        s, e = kept[-1]
        new_e = s + len(text[s:e].rstrip())
        if new_e < e:
            trimmed.append((new_e, e, "whitespace"))
        if new_e > s:
            kept[-1] = (s, new_e)
            break
        kept.pop()
    return kept, trimmed


def _build(text: str, kept: list[tuple[int, int]], removed: list[tuple[int, int, str]]) -> CleanText:
    segments, pieces, pos = [], [], 0
    for s, e in kept:
        segments.append((pos, s, e - s))
        pieces.append(text[s:e])
        pos += e - s
    return CleanText(text="".join(pieces), offsets=OffsetMap(segments), removed=removed)
