"""What a chart means: its heading and its header row, recognised by meaning, not by words.

- A **chart heading** is an annex or appendix heading ("ANNEX A", "Annex C: Action Items
  Chart", "Appendix A - Action Plan") or a chart title ("Action Items Chart"), on a line of its
  own and not a table-of-contents entry (no page number at its end). The chart ends at the
  next annex or appendix heading, whatever its letter.
- A **header row** is a row whose cells name enough chart columns (see
  `htreport.model.columns.header_columns` and data/columns.yaml). Its cells map the columns,
  so the columns may come in any order, some may be missing, and unknown ones are kept by
  their header text as extra columns.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from htreport.document import Line
from htreport.model.columns import COLUMNS, header_columns
from htreport.model.textclean import clean

_ANNEX_WORD = r"(?:annex|annexe|appendix|appendice|schedule)"
#: An annex or appendix heading: the word, a letter or number, then an optional title.
ANNEX_HEADING = re.compile(
    rf"^\W*{_ANNEX_WORD}\s+(?P<id>[A-Z]{{1,2}}|\d{{1,2}}|[IVX]{{1,4}})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
#: A chart title on its own: "Action Items Chart", "Progress Chart on Activities", ...
CHART_TITLE = re.compile(
    r"^\W*(?:(?:(?:action|activity|progress)(?:\s+items?)?\s+)(?:chart|table|plan)\b"
    r"|(?:tableau|plan)\s+d['’]\s*action\b|tableau\s+des\s+(?:mesures|activit[ée]s)\b)",
    re.IGNORECASE,
)
#: A trailing page number (after a tab, spaces or dot leaders) marks a table-of-contents entry.
_TOC_ENTRY = re.compile(r"(?:[\t ]|(?<!\.)\.{2,}+|…)\d{1,3}\s*$")
_MAX_HEADING_WORDS = 12


def _heading_text(line: Line) -> str | None:
    if line.is_row or line.footnote:
        return None
    text = clean(line.text)
    if not text or len(text.split()) > _MAX_HEADING_WORDS:
        return None
    return text


def is_annex_heading(line: Line) -> bool:
    """An annex or appendix heading of any letter (not a table-of-contents entry)."""
    text = _heading_text(line)
    if text is None:
        return False
    match = ANNEX_HEADING.match(text)
    if match is None:
        return False
    rest = match.group("rest")
    return not _TOC_ENTRY.search(rest) and not _TOC_ENTRY.search(line.text)


def is_chart_title(line: Line) -> bool:
    """A chart title on a line of its own ("Action Items Chart"), not a contents entry."""
    text = _heading_text(line)
    return bool(text and CHART_TITLE.match(text) and not _TOC_ENTRY.search(line.text))


def is_chart_heading(line: Line) -> bool:
    """A heading that may start a chart: an annex/appendix heading or a chart title."""
    return is_annex_heading(line) or is_chart_title(line)


class ChartHeader(NamedTuple):
    """A header row's meaning: the column each position holds, and the header as printed."""

    #: Per grid position, the chart column it holds, or None for an extra (unknown) column.
    columns: tuple[str | None, ...]
    #: Per grid position, the header text as printed (cleaned).
    names: tuple[str, ...]
    line: Line

    @property
    def missing(self) -> tuple[str, ...]:
        """Chart columns this header does not have, in registry order."""
        return tuple(column for column in COLUMNS if column not in self.columns)

    @property
    def extras(self) -> tuple[str, ...]:
        """Header texts of the columns that name no chart column ("Funding")."""
        return tuple(
            name for name, column in zip(self.names, self.columns, strict=True) if not column
        )


def read_header(line: Line, texts: tuple[str, ...]) -> ChartHeader | None:
    """The header a row is, when its cells name enough chart columns (else None).

    A column named twice keeps its first cell; the second is kept as an extra column."""
    width = max((i + 1 for i, text in enumerate(texts) if text.strip()), default=0)
    texts = texts[:width]  # a header is as wide as its last named cell
    found = header_columns(list(texts))
    if found is None:
        return None
    seen: set[str] = set()
    columns: list[str | None] = []
    for column in found:
        if column is not None and column in seen:
            column = None
        if column is not None:
            seen.add(column)
        columns.append(column)
    names = tuple(clean(text) for text in texts)
    return ChartHeader(tuple(columns), names, line)


def is_header_row(texts: tuple[str, ...] | list[str]) -> bool:
    """Whether the cell texts are a chart header row."""
    return header_columns(list(texts)) is not None


class MappedRow(NamedTuple):
    """A data row's cells, by chart column (every column present, "" where missing)."""

    cells: dict[str, str]
    #: Cells of extra columns, by their header text.
    extra: dict[str, str]
    #: How many non-empty cells stood right of the header's last column (joined to it).
    overflow: int = 0


def map_row(header: ChartHeader, texts: tuple[str, ...]) -> MappedRow:
    """The cells of a row under `header`.

    Cells past the header's width (a stray separator, a row wider than its header) are joined
    to the last column, so no text is lost; `overflow` says how many there were."""
    width = len(header.columns)
    values = [text.strip() for text in texts[:width]] + [""] * max(0, width - len(texts))
    spill = [text.strip() for text in texts[width:] if text.strip()]
    if spill and width:
        values[-1] = " ".join(part for part in (values[-1], *spill) if part)
    cells = dict.fromkeys(COLUMNS, "")
    extra: dict[str, str] = {}
    for column, name, value in zip(header.columns, header.names, values, strict=True):
        if column is not None:
            cells[column] = value
        else:
            extra[name or f"column {len(extra) + 1}"] = value
    return MappedRow(cells, extra, len(spill))


def find_annex(lines: list[Line]) -> tuple[int, int] | None:
    """Index range [start, end) of the chart: from its heading (or first header row) to the
    next annex or appendix heading, whatever its letter."""
    first_header = next(
        (i for i, ln in enumerate(lines) if ln.cells and is_header_row(ln.texts)), None
    )
    if first_header is None:
        start = _headed_table_without_header(lines)
        if start is None:
            return None
        after = start
    else:
        start = _heading_above(lines, first_header)
        after = first_header
    end = next(
        (i for i in range(after + 1, len(lines)) if is_annex_heading(lines[i])),
        len(lines),
    )
    return start, end


def _heading_above(lines: list[Line], header: int) -> int:
    """The chart heading above the first header row: the nearest annex heading, or a chart
    title (with the annex heading right above it, if any); the header row itself if none.
    The search stops at a row of another table."""
    for i in range(header - 1, -1, -1):
        if is_annex_heading(lines[i]):
            return i
        if is_chart_title(lines[i]):
            above = next((j for j in range(i - 1, -1, -1) if lines[j].text.strip()), None)
            return above if above is not None and is_annex_heading(lines[above]) else i
        if lines[i].cells and lines[i].table != lines[header].table:
            break
    return header


def _headed_table_without_header(lines: list[Line]) -> int | None:
    """A chart heading followed by table rows before the next annex heading (a chart whose
    header row is missing or not recognised): the heading's index."""
    for i, line in enumerate(lines):
        if not is_chart_heading(line):
            continue
        for following in lines[i + 1 :]:
            if following.cells and any(t.strip() for t in following.texts):
                return i
            if is_annex_heading(following):
                break
    return None
