"""Ruled tables of a PDF page -> rows of cell texts (Annex A chart rows).

pdfplumber finds the cells from the ruling lines (`pdfsource` passes them in); the text of
each cell is built here from the page's glyphs, so superscripts, wraps and hyphenation follow
the same rules as body text. A cell that spans several rows (a merged cell) is given to the
first row and left empty in the others, as the archived text has it; a band of the grid in
which the Status cell is still spanned from above (a ruling line drawn across only some
columns) belongs to the row above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from htreport.model.columns import header_columns
from htreport.readers.pdf.layout import Glyph, group_lines, join_wrapped

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
HEADER_WORDS = ("task", "deliverable", "timeline", "status", "lead")
STATUS_COLUMN = HEADER_WORDS.index("status")


@dataclass(slots=True)
class TableRow:
    """One row of a table: one text per column, `top`/`bottom` on the page."""

    cells: list[str]
    top: float
    bottom: float
    header: bool = False
    #: One cell across the whole table (a section heading inside the grid): text, not a row.
    spanning: bool = False
    #: Per column: a cell starts in this row (False where a merged cell from above covers it).
    starts: list[bool] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.cells[STATUS_COLUMN] if len(self.cells) > STATUS_COLUMN else ""


@dataclass(slots=True)
class TableBlock:
    box: Box
    rows: list[TableRow]


def cell_text(glyphs: list[Glyph], words: set[str] | None = None) -> str:
    """Lines of a cell joined as one text (wraps and hyphenation undone, bullets kept)."""
    text = ""
    for line in group_lines(glyphs):
        text = join_wrapped(text, line.text, words)
    return text


def _inside(glyph: Glyph, box: Box) -> bool:
    x = (glyph.x0 + glyph.x1) / 2
    y = (glyph.top + glyph.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _columns(cells: list[Box]) -> list[float]:
    """Left edges of the grid columns (x positions of cell edges, close ones merged)."""
    edges = sorted({round(c[0], 1) for c in cells})
    merged: list[float] = []
    for x in edges:
        if not merged or x - merged[-1] > 2:
            merged.append(x)
    return merged


def build_rows(
    table_rows: list[list[Box | None]], glyphs: list[Glyph], words: set[str] | None = None
) -> list[TableRow]:
    """Rows of cell texts from pdfplumber's grid rows (a cell box, or None where a cell from
    above spans this row)."""
    all_cells = [cell for row in table_rows for cell in row if cell is not None]
    if not all_cells:
        return []
    lefts = _columns(all_cells)
    inside: dict[Box, list[Glyph]] = {cell: [] for cell in all_cells}
    for glyph in glyphs:
        for cell in all_cells:
            if _inside(glyph, cell):
                inside[cell].append(glyph)
                break
    width = max(c[2] for c in all_cells) - min(c[0] for c in all_cells)
    rows: list[TableRow] = []
    for grid_row in table_rows:
        present = [cell for cell in grid_row if cell is not None]
        if not present:
            continue
        texts = [""] * len(lefts)
        starts = [False] * len(lefts)
        for cell in present:
            column = min(range(len(lefts)), key=lambda i: abs(lefts[i] - cell[0]))
            texts[column] = join_wrapped(texts[column], cell_text(inside[cell], words))
            starts[column] = True
        status_started = len(starts) > STATUS_COLUMN and starts[STATUS_COLUMN]
        top, bottom = min(c[1] for c in present), max(c[3] for c in present)
        if len(present) == 1 and present[0][2] - present[0][0] > 0.8 * width:
            rows.append(TableRow([" ".join(texts).strip()], top, bottom, spanning=True))
            continue
        if rows and not rows[-1].spanning and not status_started and len(lefts) > STATUS_COLUMN:
            above = rows[-1]
            above.cells = [join_wrapped(a, b) for a, b in zip(above.cells, texts, strict=True)]
            above.bottom = max(above.bottom, bottom)
            above.header = is_header(above.cells)
            continue
        rows.append(TableRow(texts, top, bottom, header=is_header(texts), starts=starts))
    return rows


def is_header(cells: list[str]) -> bool:
    """A chart header row, by the column registry (data/columns.yaml)."""
    return header_columns(cells) is not None


def tables_on_page(
    page, glyphs: list[Glyph], edges: list[dict], words: set[str] | None = None
) -> list[TableBlock]:
    """Ruled tables on a pdfplumber page, found from `edges` (ruling lines and boxes)."""
    if not edges:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": edges,
        "explicit_horizontal_lines": edges,
    }
    blocks = []
    for table in page.find_tables(settings):
        grid = [list(row.cells) for row in table.rows]
        box = tuple(table.bbox)
        mine = [g for g in glyphs if _inside(g, box)]
        rows = build_rows(grid, mine, words)
        if rows:
            blocks.append(TableBlock(box, rows))
    return blocks
