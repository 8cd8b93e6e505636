"""The intermediate form every reader produces and every parser consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from htreport.model.report import ExtractionWarning, Provenance


@dataclass(frozen=True, slots=True)
class Line:
    """One line of body text, or one table row when `cells` is set.

    `lineno` is the 1-based line in a text source; a PDF reader numbers its lines in reading
    order across the whole document, so provenance always has a line and, for PDFs, a page.
    """

    text: str
    lineno: int
    page: int | None = None
    cells: tuple[str, ...] | None = None
    #: Footnote lines are recognised by the reader (PDF: small type at the page foot).
    footnote: bool = False

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@dataclass(slots=True)
class Document:
    """A whole source, read into lines."""

    path: str
    format: Literal["text", "pdf"]
    sha256: str
    lines: list[Line]
    encoding: str | None = None
    title_hint: str | None = None  # e.g. the PDF's Title metadata
    warnings: list[ExtractionWarning] = field(default_factory=list)


def span(first: Line, last: Line | None = None) -> Provenance:
    """Provenance covering `first` to `last` (inclusive)."""
    last = last or first
    return Provenance(line=first.lineno, end_line=last.lineno, page=first.page, end_page=last.page)


def warning_at(line: Line, code: str, message: str) -> ExtractionWarning:
    """An extraction warning placed at `line` (its line number, and page for PDFs)."""
    return ExtractionWarning(code=code, message=message, line=line.lineno, page=line.page)
