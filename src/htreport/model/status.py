"""Status cells: `Ongoing`, `In progress`, `Completed (September 2014)`, stacked ones too."""

from __future__ import annotations

import re
from typing import NamedTuple

from htreport.model.vocabulary import Status

_PHRASES: list[tuple[str, Status]] = [
    (r"on[\s-]?going|continuing|en cours", Status.ONGOING),
    (r"in[\s-]progress|under\s?way|underway|initiated|started", Status.IN_PROGRESS),
    (r"completed?|done|achieved|accomplished|termin[ée]e?", Status.COMPLETED),
    (r"on[\s-]hold|paused|suspended|deferred|postponed", Status.ON_HOLD),
    (r"not[\s-]started|not yet started|planned|pending", Status.NOT_STARTED),
    (r"cancell?ed|discontinued|withdrawn", Status.CANCELLED),
]
_STATUS = re.compile(
    r"(?P<phrase>" + "|".join(f"(?:{p})" for p, _ in _PHRASES) + r")"
    r"(?:\s*[:,–-]?\s*\((?P<detail>[^)]*)\)|\s*[:,–-]\s*(?P<tail>[A-Z][a-z]+\.? \d{4}))?",
    re.IGNORECASE,
)


class ParsedStatus(NamedTuple):
    status: Status
    detail: str | None


def _classify(phrase: str) -> Status:
    for pattern, status in _PHRASES:
        if re.fullmatch(pattern, phrase, re.IGNORECASE):
            return status
    return Status.UNKNOWN


def parse_statuses(cell: str) -> list[ParsedStatus]:
    """Every status in a cell, in order; an empty list when none is recognised."""
    found = []
    for match in _STATUS.finditer(cell):
        detail = match.group("detail") or match.group("tail")
        found.append(
            ParsedStatus(_classify(match.group("phrase")), detail.strip() if detail else None)
        )
    return found
