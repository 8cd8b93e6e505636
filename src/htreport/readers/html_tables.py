"""HTML tables -> table rows of `Cell`s, spans kept as the page gives them.

Each `<tr>` is one row; each `<td>`/`<th>` one cell with its source line, `rowspan`, `colspan`
and whether it is a header cell. A cell's `<br>`, paragraphs and list items become lines of its
text (list items as `• item`, which the chart parser splits). A row of one cell spanning every
column (a pillar heading, an "Objective 1.1: ..." line) is prose, not a row, as a PDF reader
gives a spanning row; the rows around it stay one table. A `<caption>` is a prose line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from htreport.document import Cell, Line
from htreport.model.plain import ExtractionWarning

HtmlElement = Any

_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_MAX_SPAN = 1000

#: `(text, lineno) -> prose line or None`: how the page reader makes a prose line.
ProseLine = Callable[[str, int], "Line | None"]
#: `(element, breaks) -> pieces of text`: the page reader's inline text (furniture skipped).
InlineText = Callable[[HtmlElement], str]


@dataclass
class TableReader:
    """Reads the tables of one page, numbering them in document order."""

    cell_text: InlineText
    count: int = 0
    warnings: list[ExtractionWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, line: int | None) -> None:
        self.warnings.append(ExtractionWarning(code=code, message=message, line=line))

    def read(self, table: HtmlElement, prose: ProseLine) -> list[Line]:
        """The lines of one `<table>`: its caption, spanning rows as prose, other rows as rows."""
        lines: list[Line] = []
        caption = table.find("caption")
        if caption is not None:
            line = prose(self.cell_text(caption).replace("\n", " "), caption.sourceline or 1)
            if line is not None:
                lines.append(line)
        rows = [
            (tr, [self.cell(c) for c in tr if c.tag in ("td", "th")]) for tr in _own_rows(table)
        ]
        rows = [(tr, cells) for tr, cells in rows if cells]
        table_line = table.sourceline
        if not rows:
            self.warn("empty-table", "a <table> with no rows", table_line)
            return lines
        header = [cells for tr, cells in rows if _is_header(tr, cells)]
        width = max(_width(cells) for _, cells in rows)
        if header:
            width = _width(header[0])
        else:
            self.warn(
                "table-without-header",
                "a <table> with no header row (<thead> or <th> cells); its rows are read as "
                "they are, a chart's header row then recognised by its words alone",
                table_line,
            )
        number = self._next_number()
        covered: dict[int, int] = {}  # column -> rows a rowspan from above still covers
        for tr, cells in rows:
            lineno = tr.sourceline or table_line or 1
            if len(cells) == 1 and width > 1 and cells[0].colspan >= width and not covered:
                line = prose(cells[0].text.replace("\n", " "), lineno)
                if line is not None:
                    lines.append(line)
                continue
            occupied = _occupy(cells, covered)
            if header and occupied > width:
                self.warn(
                    "extra-cells",
                    f"a table row has {occupied} cells but the header has {width}; "
                    "the extra cells are kept",
                    lineno,
                )
            lines.append(
                Line(
                    text="\t".join(cell.text for cell in cells),
                    lineno=lineno,
                    cells=tuple(cells),
                    table=number,
                )
            )
        return lines

    def _next_number(self) -> int:
        self.count += 1
        return self.count - 1

    def cell(self, element: HtmlElement) -> Cell:
        text = "\n".join(
            squashed
            for piece in self.cell_text(element).split("\n")
            if (squashed := _SPACE.sub(" ", piece).strip())
        )
        return Cell(
            text=text,
            lineno=element.sourceline or 1,
            rowspan=_span(element.get("rowspan")),
            colspan=_span(element.get("colspan")),
            header=element.tag == "th",
        )


def _own_rows(table: HtmlElement) -> list[HtmlElement]:
    """The `<tr>` of this table (in <thead>, <tbody>, <tfoot> or directly), not of nested ones."""
    rows = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            rows.append(tr)
    return rows


def _is_header(tr: HtmlElement, cells: list[Cell]) -> bool:
    parent = tr.getparent()
    in_head = parent is not None and parent.tag == "thead"
    if len(cells) == 1 and cells[0].colspan > 1:
        return False  # a title or heading row spanning the table, not column headers
    return in_head or all(cell.header for cell in cells)


def _width(cells: list[Cell]) -> int:
    return sum(cell.colspan for cell in cells)


def _occupy(cells: list[Cell], covered: dict[int, int]) -> int:
    """How many columns a row fills, counting cells of rows above that span into it."""
    column = 0
    filled = 0
    below: dict[int, int] = {}
    for cell in cells:
        while column in covered:
            column += 1
            filled += 1
        for _ in range(cell.colspan):
            if cell.rowspan > 1:
                below[column] = cell.rowspan - 1
            column += 1
            filled += 1
    filled += sum(1 for c in covered if c >= column)
    for column, remaining in covered.items():
        if remaining > 1:
            below[column] = remaining - 1
    covered.clear()
    covered.update(below)
    return filled


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a count: missing, invalid or 0 count as 1."""
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(number, 1), _MAX_SPAN)
