"""Dates as news writes them, resolved against the publication date, with the span they are written at.

``9月7日`` in a report of 2020-09-08 is 2020-09-07; a bare ``19日`` takes the publication month (a day after
the publication day is last month's); ``6月18日至19日`` has a start and an end; ``去年11月`` is a month with no
day (precision ``month``: no day is invented); ``今天``/``昨天`` are relative to the publication date. The
relative words are data (``lexicons/events.toml`` [dates]).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_FULL = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_YM = re.compile(r"(\d{4})年(\d{1,2})月(?!\d{1,2}日)")
_MD = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_D = re.compile(r"(?<![\d月])(\d{1,2})日")
_RANGE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:至|到|—|-|－|~)(?:(\d{1,2})月)?(\d{1,2})日")
_REL_MONTH = re.compile(r"(去年|今年|前年|明年)(\d{1,2})月(?:(\d{1,2})日)?")
_REL_YEAR = re.compile(r"(去年|今年|前年|明年)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年(?!\d{1,2}月)")
_YEAR_OFFSET = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    date: str | None           # YYYY-MM-DD, YYYY-MM or YYYY (as precise as written)
    precision: str             # 'day' | 'month' | 'year'
    end_date: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_of(y: int, m: int) -> str | None:
    return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None


def resolve_date(fragment: str, published: str | None) -> str | None:
    """The day a fragment names (the first date written in it), or None."""
    found = find_dates(fragment, published)
    day = next((d for d in found if d.precision == "day" and d.date), None)
    return day.date if day else None


def find_dates(text: str, published: str | None, start: int = 0, end: int | None = None,
               relative_days: dict[str, int] | None = None) -> list[DateExpr]:
    """Date expressions in text[start:end], in text order, non-overlapping (the longest reading wins)."""
    end = len(text) if end is None else end
    pub = date.fromisoformat(published) if published else None
    found: list[DateExpr] = []

    def add(expr: DateExpr | None) -> None:
        if expr is not None and not any(e.start < expr.end and expr.start < e.end for e in found):
            found.append(expr)

    for m in _RANGE.finditer(text, start, end):
        y = int(m.group(1)) if m.group(1) else None
        m1 = int(m.group(2)) if m.group(2) else None
        d1, m2, d2 = int(m.group(3)), int(m.group(4)) if m.group(4) else None, int(m.group(5))
        first = _day(y, m1, d1, pub)
        if first is None:
            continue
        fy, fm = int(first[:4]), int(first[5:7])
        last = _iso(fy + (1 if m2 is not None and m2 < fm else 0), m2 or fm, d2)
        add(DateExpr(m.start(), m.end(), first, "day", last))
    for m in _REL_MONTH.finditer(text, start, end):
        if pub is None:
            continue
        year = pub.year + _YEAR_OFFSET[m.group(1)]
        if m.group(3):
            add(DateExpr(m.start(), m.end(), _iso(year, int(m.group(2)), int(m.group(3))), "day"))
        else:
            add(DateExpr(m.start(), m.end(), _month_of(year, int(m.group(2))), "month"))
    for m in _FULL.finditer(text, start, end):
        add(DateExpr(m.start(), m.end(), _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day"))
    for m in _YM.finditer(text, start, end):
        add(DateExpr(m.start(), m.end(), _month_of(int(m.group(1)), int(m.group(2))), "month"))
    for m in _MD.finditer(text, start, end):
        if pub is None:
            continue
        month, day = int(m.group(1)), int(m.group(2))
        year = pub.year - 1 if month > pub.month + 1 else pub.year
        add(DateExpr(m.start(), m.end(), _iso(year, month, day), "day"))
    for m in _D.finditer(text, start, end):
        if pub is None:
            continue
        add(DateExpr(m.start(), m.end(), _day(None, None, int(m.group(1)), pub), "day"))
    for word, offset in (relative_days or {}).items():
        pos = text.find(word, start, end)
        while pos != -1:
            if pub is not None:
                add(DateExpr(pos, pos + len(word), (pub + timedelta(days=offset)).isoformat(), "day"))
            pos = text.find(word, pos + len(word), end)
    for m in _REL_YEAR.finditer(text, start, end):
        if pub is not None:
            add(DateExpr(m.start(), m.end(), f"{pub.year + _YEAR_OFFSET[m.group(1)]:04d}", "year"))
    for m in _YEAR.finditer(text, start, end):
        add(DateExpr(m.start(), m.end(), m.group(1), "year"))
    return sorted((d for d in found if d.date), key=lambda d: d.start)


def _day(year: int | None, month: int | None, day: int, pub: date | None) -> str | None:
    if year is not None and month is not None:
        return _iso(year, month, day)
    if pub is None:
        return None
    if month is not None:
        return _iso(pub.year - 1 if month > pub.month + 1 else pub.year, month, day)
    month, y = pub.month, pub.year
    if day > pub.day + 1:          # 28日 in a report of the 2nd: last month
        month, y = (12, y - 1) if month == 1 else (month - 1, y)
    return _iso(y, month, day)
