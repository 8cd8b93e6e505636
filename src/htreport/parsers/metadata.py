"""Report metadata: title, plan, fiscal year (extended by the metadata issue)."""

from __future__ import annotations

import re

from .. import fiscal
from ..document import Document, span
from ..models import Metadata
from ..textclean import clean

_ANNUAL_REPORT = re.compile(r"((?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2})\s+Annual Report on Progress", re.I)
_PLAN = re.compile(r"^National Action Plan to Combat Human Trafficking$", re.I)


def parse(document: Document) -> Metadata:
    """Metadata found in the first lines of the document; missing fields stay None."""
    metadata = Metadata()
    for index, line in enumerate(document.lines[:200]):
        text = clean(line.text)
        match = _ANNUAL_REPORT.search(text)
        if match and metadata.fiscal_year is None:
            start = fiscal.parse(match.group(1))
            if start:
                metadata.fiscal_year = fiscal.full(start)
                plan = _previous_text(document, index)
                metadata.plan = plan if plan and _PLAN.match(plan) else None
                metadata.title = f"{plan}: {text}" if metadata.plan else text
                metadata.provenance = span(line)
    return metadata


def _previous_text(document: Document, index: int) -> str | None:
    for line in reversed(document.lines[max(0, index - 5) : index]):
        if line.text.strip():
            return clean(line.text)
    return None
