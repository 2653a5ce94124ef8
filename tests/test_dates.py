"""Dates as news writes them, resolved against the publication date, with exact spans."""
from __future__ import annotations

import pytest

from guanxi.loaders.dates import find_dates, resolve_date

RELATIVE = {"今天": 0, "昨天": -1, "当天": 0}


@pytest.mark.parametrize("text, published, expected", [
    ("2020年9月7日，市政协召开大会。", "2020-09-08", [("2020年9月7日", "2020-09-07", "day", None)]),
    ("9月7日，市政协召开大会。", "2020-09-08", [("9月7日", "2020-09-07", "day", None)]),
    # a bare day takes the publication month; a day after the publication day is last month's
    ("习近平19日在京会见。", "2025-03-20", [("19日", "2025-03-19", "day", None)]),
    ("习近平28日在京会见。", "2025-03-02", [("28日", "2025-02-28", "day", None)]),
    ("李强30日在京会见。", "2025-01-01", [("30日", "2024-12-30", "day", None)]),
    # December mentioned in a January report is last year's
    ("12月30日，会议召开。", "2025-01-02", [("12月30日", "2024-12-30", "day", None)]),
    # a range has a start and an end, across a month too
    ("6月18日至19日，论坛举行。", "2025-06-20", [("6月18日至19日", "2025-06-18", "day", "2025-06-19")]),
    ("3月30日至4月2日，代表团访问。", "2025-04-03", [("3月30日至4月2日", "2025-03-30", "day", "2025-04-02")]),
    # months and years without a day are kept as written, never given an invented day
    ("去年11月，两国元首会晤。", "2025-03-10", [("去年11月", "2024-11", "month", None)]),
    ("2014年，习近平到访。", "2025-03-10", [("2014年", "2014", "year", None)]),
    ("2023年5月，峰会举行。", "2025-03-10", [("2023年5月", "2023-05", "month", None)]),
    # relative days
    ("今天，会议闭幕。", "2025-03-10", [("今天", "2025-03-10", "day", None)]),
    ("昨天，会议开幕。", "2025-03-10", [("昨天", "2025-03-09", "day", None)]),
    # impossible dates are dropped, not guessed
    ("2月30日，会议召开。", "2025-03-10", []),
    # numbers that are not dates
    ("共有30多个国家参加。", "2025-03-10", []),
])
def test_find_dates(text, published, expected):
    found = find_dates(text, published, relative_days=RELATIVE)
    assert [(text[d.start:d.end], d.date, d.precision, d.end_date) for d in found] == expected


def test_a_bare_day_without_a_publication_date_is_not_guessed():
    assert find_dates("习近平19日在京会见。", None) == []
    assert [d.date for d in find_dates("2020年9月7日召开。", None)] == ["2020-09-07"]


def test_dates_are_searched_only_in_the_given_range():
    text = "8日开幕。10日闭幕。"
    assert [d.date for d in find_dates(text, "2025-03-10", start=5)] == ["2025-03-10"]


def test_resolve_date_gives_the_first_day_written():
    assert resolve_date("去年11月和今年3月5日", "2025-03-10") == "2025-03-05"
    assert resolve_date("去年11月", "2025-03-10") is None
