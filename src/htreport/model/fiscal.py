"""Fiscal years: `2014/15`, `2014/2015`, `2014-2015` and friends."""

from __future__ import annotations

import re

FISCAL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[/\-–]\s*((?:19|20)?\d{2})(?!\d)")


def _end_year(start: int, end: str) -> int | None:
    value = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and value < start:
        value += 100
    return value if value == start + 1 else None


def find_fiscal_years(text: str) -> list[int]:
    """Start years of every well-formed fiscal year in `text`, in order."""
    years = []
    for match in FISCAL_YEAR.finditer(text):
        start = int(match.group(1))
        if _end_year(start, match.group(2)) is not None:
            years.append(start)
    return years


def short(start: int) -> str:
    """2014 -> '2014-15'."""
    return f"{start}-{(start + 1) % 100:02d}"


def full(start: int) -> str:
    """2014 -> '2014-2015'."""
    return f"{start}-{start + 1}"


def parse(text: str) -> int | None:
    """Start year of a single fiscal year written in any usual form, else None."""
    years = find_fiscal_years(text.strip())
    return years[0] if len(years) == 1 else None
