"""argparse value types: a bad value is a usage error (exit 2, argparse's message), never silently accepted."""
from __future__ import annotations

import argparse
import datetime as dt
from typing import Callable

__all__ = ["whole_number", "iso_date", "EXIT_CODES"]

EXIT_CODES = """exit codes:
  0  success
  1  nothing found (no match; a name several people have: the candidates are listed, nothing is chosen),
     or not everything done: some inputs failed, violations found, the store busy, damaged or unreadable,
     the Neo4j server unreachable
  2  usage error: bad arguments or values, no store where --store points (only ingest creates one), an
     output path that cannot be written, a query that is malformed or refused (writes, SERVICE, LOAD CSV,
     administration)
"""


def whole_number(minimum: int) -> Callable[[str], int]:
    """An integer ≥ ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    parse.__name__ = f"whole number ≥ {minimum}"
    return parse


def iso_date(text: str) -> str:
    """A real calendar date written YYYY-MM-DD (2025-02-30 is refused)."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


iso_date.__name__ = "date"
