"""Calendar dates as the documents write them: "April 1, 2014", "1 April 2014", "2014-04-01"."""

from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "|".join(MONTH_NAMES)
#: One date, case-insensitive; no nested quantifiers, so matching stays linear.
DATE = (
    rf"(?i:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTH}),?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_DATE_PARTS = re.compile(
    rf"(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))",
    re.I,
)
_DATE_RE = re.compile(DATE)


def parse_date(text: str) -> date | None:
    """ "April 1, 2014", "1 April 2014" or "2014-04-01" as a date, else None."""
    match = _DATE_PARTS.search(text)
    if not match:
        return None
    try:
        if match.group("y3"):
            return date(int(match.group("y3")), int(match.group("m3")), int(match.group("d3")))
        month = (match.group("m1") or match.group("m2")).casefold()
        day = match.group("d1") or match.group("d2")
        year = match.group("y1") or match.group("y2")
        return date(int(year), MONTH_NAMES.index(month) + 1, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[re.Match[str]]:
    """Every date written in `text`, in order."""
    return list(_DATE_RE.finditer(text))
