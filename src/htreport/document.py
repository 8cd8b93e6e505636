"""The intermediate form every reader produces and every parser consumes.

A `Document` is the source in reading order: `lines` of prose and table rows. A table row is a
`Line` whose `cells` are set; consecutive rows of one table share its `table` number. Each
`Cell` keeps its text, its provenance (the source line; for PDFs also the page and the box on
it) and its span: a cell that covers several rows or columns (HTML `rowspan`/`colspan`, a merged
PDF cell) is given once, in the row where it starts, as HTML gives it. `grid()` lays a table's
rows out as a rectangle with every spanned position filled from the cell that covers it, and
says which positions were filled, so a parser can record each fill.

Readers (`htreport.readers`) write this form and nothing else; parsers (`htreport.parsers`)
read this form and never a reader's internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from htreport.model.plain import ExtractionWarning, Provenance

#: The source formats a reader can give.
SourceFormat = Literal["text", "markdown", "html", "pdf"]

#: A box on a PDF page: (x0, top, x1, bottom) in PDF points from the page's top-left corner.
Box = tuple[float, float, float, float]


class Cell(NamedTuple):
    """One cell of a table row, as the source gives it."""

    text: str
    #: 1-based source line where the cell starts (a PDF reader's line number for PDFs).
    lineno: int
    page: int | None = None
    box: Box | None = None
    rowspan: int = 1
    colspan: int = 1
    #: A header cell (HTML `<th>`, a Markdown header row); parsers still decide what it means.
    header: bool = False


class Line(NamedTuple):
    """One line of body text, or one table row when `cells` is set.

    `lineno` is the 1-based line in a text source; a PDF reader numbers its lines in reading
    order across the whole document, so provenance always has a line and, for PDFs, a page.
    For a row, `text` is its cells' texts joined by tabs.
    """

    text: str
    lineno: int
    page: int | None = None
    cells: tuple[Cell, ...] | None = None
    #: Rows of one table share a number (0, 1, ... in document order); None for prose.
    table: int | None = None
    #: Footnote lines are recognised by the reader (PDF: small type at the page foot).
    footnote: bool = False
    #: The reader's view of the line's role where the source marks it: "heading" (HTML <h1>-<h6>,
    #: Markdown `#`), "item" (a list item) or None. Parsers may use it; text and PDF give None.
    kind: str | None = None
    #: Heading level (1 for <h1> or `#`) when `kind` is "heading".
    level: int | None = None

    @property
    def is_row(self) -> bool:
        return self.cells is not None

    @property
    def texts(self) -> tuple[str, ...]:
        """The texts of a row's cells (empty for prose)."""
        return tuple(cell.text for cell in self.cells) if self.cells is not None else ()


def row(
    cells: Sequence[str | Cell], lineno: int, *, page: int | None = None, table: int | None = None
) -> Line:
    """A table row from cell texts (each placed at `lineno`) or ready cells."""
    built = tuple(
        cell if isinstance(cell, Cell) else Cell(text=cell, lineno=lineno, page=page)
        for cell in cells
    )
    return Line(
        text="\t".join(cell.text for cell in built),
        lineno=lineno,
        page=page,
        cells=built,
        table=table,
    )


class GridCell(NamedTuple):
    """One position of a table laid out as a rectangle."""

    cell: Cell
    #: True where the position is covered by a span that starts in another row or column.
    filled: bool = False

    @property
    def text(self) -> str:
        return "" if self.cell is _EMPTY else self.cell.text


_EMPTY = Cell(text="", lineno=0)


def grid(rows: Sequence[Line]) -> list[list[GridCell]]:
    """The rows of one table as a rectangle, spans filled from the cell that covers them.

    A cell with `rowspan=3` in row 1 fills its column in rows 2 and 3 (`filled=True`), and the
    cells given in those rows move right past it, as HTML lays them out. Rows shorter than the
    widest are padded with empty positions; a span reaching past the last row is cut there."""
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still to cover)
    laid: list[list[GridCell]] = []
    for line in rows:
        out: list[GridCell] = []
        column = 0
        for cell in line.cells or ():
            while column in pending:
                column = _fill_pending(out, pending, column)
            for offset in range(max(cell.colspan, 1)):
                out.append(GridCell(cell, filled=offset > 0))
                if cell.rowspan > 1:
                    pending[column] = (cell, cell.rowspan - 1)
                column += 1
        while pending and column <= max(pending):
            if column in pending:
                column = _fill_pending(out, pending, column)
            else:
                out.append(GridCell(_EMPTY))
                column += 1
        laid.append(out)
    width = max((len(r) for r in laid), default=0)
    for out in laid:
        out.extend(GridCell(_EMPTY) for _ in range(width - len(out)))
    return laid


def _fill_pending(out: list[GridCell], pending: dict[int, tuple[Cell, int]], column: int) -> int:
    cell, remaining = pending.pop(column)
    out.append(GridCell(cell, filled=True))
    if remaining > 1:
        pending[column] = (cell, remaining - 1)
    return column + 1


@dataclass(slots=True)
class Document:
    """A whole source, read into lines."""

    path: str
    format: SourceFormat
    sha256: str
    lines: list[Line]
    encoding: str | None = None
    title_hint: str | None = None  # e.g. the PDF's Title metadata, an HTML <title>
    warnings: list[ExtractionWarning] = field(default_factory=list)

    def table_rows(self, table: int) -> list[Line]:
        """The rows of table number `table`, in order."""
        return [line for line in self.lines if line.table == table]


def span(first: Line, last: Line | None = None) -> Provenance:
    """Provenance covering `first` to `last` (inclusive)."""
    last = last or first
    return Provenance(line=first.lineno, end_line=last.lineno, page=first.page, end_page=last.page)


def warning_at(line: Line, code: str, message: str) -> ExtractionWarning:
    """An extraction warning placed at `line` (its line number, and page for PDFs)."""
    return ExtractionWarning(code=code, message=message, line=line.lineno, page=line.page)
