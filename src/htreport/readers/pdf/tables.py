"""Ruled tables of a PDF page -> rows of cell texts (Annex A chart rows).

pdfplumber finds the cells from the ruling lines (the reader passes them in); the text of
each cell is built here from the page's glyphs, so superscripts, wraps and hyphenation follow
the same rules as body text. A cell that spans several rows (a merged cell) is given to the
first row and left empty in the others, as the archived text has it; a band of the grid in
which the row's anchor cell is still spanned from above (a ruling line drawn across only
some columns) belongs to the row above. The anchor is the Status column, or the Deliverable
column in a chart without one: the columns are known by what the header row's cells mean
(`htreport.model.columns`), so any header words and any column order work.

A word wider than its column is cut where the column ends, without a hyphen (`Ongoin|g`,
`2014/20|15`); such a cut is recognised by its shape - a line holding a single word that fills
the cell to its right edge, followed by a line starting in lower case or with a digit - and by
the document's words (the piece before the cut is not a word of the document, or the whole
word is), and the pieces are put back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from htreport.model.columns import header_columns
from htreport.readers.pdf.layout import (
    Glyph,
    VisualLine,
    WrappedText,
    group_lines,
    join_wrapped,
)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
#: Per grid column, the chart column it holds (None for an extra column), from a header row.
Roles = tuple[str | None, ...]


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
    #: The chart columns of the grid, from the header row above (None before any header).
    roles: Roles | None = None
    #: Per column: the cell's last line is one word filling the cell (it may be cut there).
    cut_ends: list[bool] = field(default_factory=list)
    #: Its text was moved up into the row above (the rest of a row cut by a page break).
    merged_up: bool = False

    def column(self, role: str) -> int | None:
        """The grid position holding a chart column ("status"), None if the chart has none."""
        if self.roles is None or role not in self.roles:
            return None
        index = self.roles.index(role)
        return index if index < len(self.cells) else None

    @property
    def anchor(self) -> int | None:
        """The column every row fills and no cell spans: Status, else Deliverable."""
        status = self.column("status")
        return status if status is not None else self.column("deliverable")

    def text_of(self, role: str) -> str:
        index = self.column(role)
        return self.cells[index] if index is not None else ""


@dataclass(slots=True)
class TableBlock:
    box: Box
    rows: list[TableRow]


def cell_text(glyphs: list[Glyph], words: set[str] | None = None, box: Box | None = None) -> str:
    """Lines of a cell joined as one text (wraps, hyphenation and cut words undone, bullets
    kept)."""
    return read_cell(glyphs, words, box)[0]


def read_cell(
    glyphs: list[Glyph], words: set[str] | None = None, box: Box | None = None
) -> tuple[str, bool]:
    """A cell's text, and whether its last line fills the cell (a word that may be cut there,
    to go on below a page break)."""
    joined = WrappedText(words)
    previous: VisualLine | None = None
    lines = group_lines(glyphs)
    inner = _inner(box, lines) if box is not None and lines else None
    for line in lines:
        cut = previous is not None and inner is not None and is_cut(previous, line, inner, words)
        joined.add(line.text, glued=cut)
        previous = line
    return joined.text(), previous is not None and inner is not None and fills_cell(previous, inner)


_LEADS_ON = re.compile(r"^[a-z0-9]")


def _inner(box: Box, lines: list[VisualLine]) -> Box:
    """The part of a cell text may fill: its right padding is taken to equal its left one
    (where its leftmost line starts), and no line goes further right than the widest one."""
    pad = max(0.0, min(line.x0 for line in lines) - box[0])
    right = min(box[2] - pad, max(line.x1 for line in lines))
    return (box[0] + pad, box[1], right, box[3])


def fills_cell(line: VisualLine, inner: Box, next_glyph: float | None = None) -> bool:
    """Whether a line is a single word reaching the right edge of the cell's `inner` box,
    so that the word was cut there: the next glyph (unknown: half an em) would not fit."""
    if " " in line.text.strip():
        return False
    room = next_glyph if next_glyph is not None else 0.5 * line.size
    return line.x1 + room > inner[2] + 0.5


def is_cut(previous: VisualLine, line: VisualLine, box: Box, words: set[str] | None) -> bool:
    """Whether `line` goes on with a word cut at the end of `previous` (see the module doc)."""
    if not _LEADS_ON.match(line.text) or not previous.text[-1:].isalnum():
        return False
    first = min(line.glyphs, key=lambda g: g.x0)
    if not fills_cell(previous, box, first.x1 - first.x0):
        return False
    return cut_is_likely(previous.text, line.text, words)


def cut_is_likely(head_text: str, tail_text: str, words: set[str] | None) -> bool:
    """Given the shape of a cut, the document's words decide: the piece before it is not a
    word, or the whole is one. A number goes on only with digits (`2014/20|15`), never with
    another number of its own form (stacked years, `2012/13|2012/13`). Two words of the
    document (`Commissions|abroad`) are two words."""
    head = head_text.split()[-1].casefold()
    tail = re.match(r"[^\s.,;:)]*", tail_text.split()[0].casefold()).group(0)  # type: ignore[union-attr]
    if head[-1:].isdigit():
        return tail.isdigit()
    if not words:
        return True
    head_word = re.sub(r"^\W+", "", head)
    if f"{head_word}{tail}" in words:
        return True
    return not _is_word(head_word, words) and not _is_word(tail, words)


def _is_word(word: str, words: set[str]) -> bool:
    if len(word) < 2:
        return False
    return word in words or (word.endswith("s") and word[:-1] in words)


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
    table_rows: list[list[Box | None]],
    glyphs: list[Glyph],
    words: set[str] | None = None,
    roles: Roles | None = None,
) -> list[TableRow]:
    """Rows of cell texts from pdfplumber's grid rows (a cell box, or None where a cell from
    above spans this row). `roles` are the columns of the chart's last header row, for a
    table continued without one; a header row in the table replaces them."""
    all_cells = [cell for row in table_rows for cell in row if cell is not None]
    if not all_cells:
        return []
    lefts = _columns(all_cells)
    inside: dict[Box, list[Glyph]] = {cell: [] for cell in all_cells}
    # each glyph goes to the first cell holding its centre (`_inside`, inlined: this runs for
    # every glyph of a chart page against every cell); one outside the grid is in none
    left, top = min(c[0] for c in all_cells), min(c[1] for c in all_cells)
    right, bottom = max(c[2] for c in all_cells), max(c[3] for c in all_cells)
    for glyph in glyphs:
        x = (glyph.x0 + glyph.x1) / 2
        y = (glyph.top + glyph.bottom) / 2
        if not (left <= x <= right and top <= y <= bottom):
            continue
        for cell in all_cells:
            if cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                inside[cell].append(glyph)
                break
    width = right - left
    rows: list[TableRow] = []
    for grid_row in table_rows:
        present = [cell for cell in grid_row if cell is not None]
        if not present:
            continue
        texts = [""] * len(lefts)
        starts = [False] * len(lefts)
        cut_ends = [False] * len(lefts)
        for cell in present:
            column = min(range(len(lefts)), key=lambda i: abs(lefts[i] - cell[0]))
            text, cut_ends[column] = read_cell(inside[cell], words, cell)
            texts[column] = join_wrapped(texts[column], text)
            starts[column] = True
        top, bottom = min(c[1] for c in present), max(c[3] for c in present)
        if len(present) == 1 and present[0][2] - present[0][0] > 0.8 * width:
            rows.append(TableRow([" ".join(texts).strip()], top, bottom, spanning=True))
            continue
        probe = TableRow(texts, top, bottom, roles=roles)
        anchor = probe.anchor
        if rows and not rows[-1].spanning and anchor is not None and not starts[anchor]:
            above = rows[-1]
            above.cells = [join_wrapped(a, b) for a, b in zip(above.cells, texts, strict=True)]
            above.bottom = max(above.bottom, bottom)
            above.cut_ends = [a or b for a, b in zip(above.cut_ends, cut_ends, strict=True)]
            found = header_roles(above.cells)
            above.header = found is not None
            if found is not None:
                roles = above.roles = found
            continue
        found = header_roles(texts)
        if found is not None:
            roles = found
        rows.append(
            TableRow(
                texts,
                top,
                bottom,
                header=found is not None,
                starts=starts,
                roles=roles,
                cut_ends=cut_ends,
            )
        )
    return rows


def header_roles(cells: list[str]) -> Roles | None:
    """The chart columns a header row names, by the column registry (data/columns.yaml);
    None when the cells are not a chart header row. A column named twice is kept once."""
    found = header_columns(cells)
    if found is None:
        return None
    seen: set[str] = set()
    roles: list[str | None] = []
    for role in found:
        roles.append(role if role not in seen else None)
        if role:
            seen.add(role)
    return tuple(roles)


def is_header(cells: list[str]) -> bool:
    """A chart header row, by the column registry (data/columns.yaml)."""
    return header_columns(cells) is not None


def tables_on_page(
    page,
    glyphs: list[Glyph],
    edges: list[dict],
    words: set[str] | None = None,
    roles: Roles | None = None,
) -> list[TableBlock]:
    """Ruled tables on a pdfplumber page, found from `edges` (ruling lines and boxes).
    `roles`: the chart columns of the last header row on the pages before."""
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
        rows = build_rows(grid, mine, words, roles)
        if rows:
            blocks.append(TableBlock(box, rows))
            roles = rows[-1].roles
    return blocks
