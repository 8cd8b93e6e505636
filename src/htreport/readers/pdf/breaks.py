"""Page breaks inside a PDF's paragraphs and chart: the items of a page, and the rules that
put a paragraph or a chart row a page break split back together (see docs/pdf.md).

Chart columns are known by their roles (`TableRow.roles`, from the header row), so the rules
work in any column order and without a Status column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from htreport.readers.pdf.layout import Paragraph, continues_across_pages, join_wrapped
from htreport.readers.pdf.tables import TableRow


@dataclass(slots=True)
class Item:
    page: int
    paragraph: Paragraph | None = None
    row: TableRow | None = None


def join_across_break(before: list[Item], after: list[Item], right_edge: float) -> None:
    """Undo a page break inside a paragraph or inside the chart."""
    last = next((it for it in reversed(before) if not is_footnote(it)), None)
    first = after[0]
    if last is None:
        return
    if last.paragraph and first.paragraph:
        if continues_across_pages(last.paragraph, first.paragraph, right_edge):
            last.paragraph.lines.extend(first.paragraph.lines)
            last.paragraph.pages.extend(first.paragraph.pages)
            after.pop(0)
        return
    if last.row is None or first.row is None:
        return
    ending, from_before = _trailing_rows(before)
    starting = [it for it in _leading_rows(after) if it.row and not it.row.header]
    ending = [it for it in ending if it.row and not it.row.header]
    if not ending or not starting:
        return
    _move_spanned_text(before, starting[0])
    _merge_top_part(before, ending, starting[0], from_before)


def is_footnote(item: Item) -> bool:
    return bool(item.paragraph and item.paragraph.footnote)


def _trailing_rows(items: list[Item]) -> tuple[list[Item], bool]:
    """The table rows that end a page, and whether they go on from the page before (no text
    above them on their page)."""
    page = items[-1].page
    rows: list[Item] = []
    for item in reversed(items):
        if is_footnote(item):
            continue
        if item.row is None or item.row.spanning:
            return rows[::-1], False
        if item.page != page:
            return rows[::-1], True
        rows.append(item)
    return rows[::-1], False


def _leading_rows(items: list[Item]) -> list[Item]:
    rows = []
    for item in items:
        if item.row is None or item.row.spanning:
            break
        rows.append(item)
    return rows


_TASK_ID = re.compile(r"^\d+\.\d+(?:\s|$)")
#: The chart columns the reports merge over several rows.
_SPANNED_ROLES = ("task", "timeline", "lead")


def _move_spanned_text(before: list[Item], following: Item) -> None:
    """A merged cell crossing page breaks whose text was drawn below a break (centred or
    bottom-aligned) belongs to the row where the merged cell starts, pages before."""
    below = following.row
    assert below is not None
    task_column = below.column("task")
    for role in _SPANNED_ROLES:
        column = below.column(role)
        if column is None or not below.cells[column].strip():
            continue
        owner, spanned = _span_owner(before, column)
        if owner is None:
            continue
        is_new_task = column == task_column and bool(_TASK_ID.match(below.cells[column]))
        if is_new_task or (column != task_column and spanned >= 2):
            owner.cells[column], below.cells[column] = below.cells[column], ""


def _span_owner(before: list[Item], column: int) -> tuple[TableRow | None, int]:
    """The row where the (empty) merged cell that reaches the end of `before` starts, walking
    back over the empty parts the cell left on earlier pages; None if the cell has text."""
    spanned = 0
    data = [it for it in before if not is_footnote(it) and not (it.row and it.row.header)]
    for index in range(len(data) - 1, -1, -1):
        item = data[index]
        row = item.row
        if row is None or row.spanning or len(row.cells) <= column:
            return None, spanned
        if row.cells[column].strip():
            return None, spanned
        spanned += 1
        if len(row.starts) > column and not row.starts[column]:
            continue
        previous = data[index - 1] if index else None
        continues_cell = (
            previous is not None and previous.row is not None and previous.page != item.page
        )
        if not continues_cell:
            return row, spanned
    return None, spanned


def _merge_top_part(
    before: list[Item], ending: list[Item], following: Item, from_before: bool
) -> None:
    """Put back together a row the page break split, when the piece below cannot stand alone.

    - The closing cells of a vertically centred or bottom-aligned row were drawn on the next
      page (`_incomplete`): the part above the break goes in front of the rest of its row,
      which then starts on the earlier page.
    - The row below the break cannot start a row of its own (`_cut_at_break`): it goes at
      the end of the row above; a word cut at the break is put back together."""
    last = ending[-1]
    assert last.row is not None and following.row is not None
    anchor = last.row.anchor
    if last.row.spanning or anchor is None or anchor >= len(following.row.cells):
        return
    if _cut_at_break(last.row, following.row, anchor):
        last.row.cells = [
            a + b.lstrip()
            if index == anchor and _is_cut_word(last.row, a, b)
            else join_wrapped(a, b)
            for index, (a, b) in enumerate(zip(last.row.cells, following.row.cells, strict=False))
        ]
        following.row.cells = [""] * len(following.row.cells)
        following.row.merged_up = True
        return
    if not _incomplete(last.row, anchor):
        return
    if len(ending) == 1 and from_before:  # the middle of a row that spans three pages
        return
    following.row.cells = [
        join_wrapped(a, b) for a, b in zip(last.row.cells, following.row.cells, strict=False)
    ]
    following.page = last.page
    before.remove(last)


def _incomplete(row: TableRow, anchor: int) -> bool:
    """A row piece whose closing cells were drawn below the page break: its Status cell is
    empty; in a chart without Status, its Timeline and Lead cells are empty though they
    start in this row (not covered by a merged cell from above)."""
    if row.column("status") is not None:
        return not row.cells[anchor].strip()
    closing = [row.column(role) for role in ("timeline", "lead")]
    present = [index for index in closing if index is not None]
    return bool(present) and all(
        not row.cells[index].strip() and (len(row.starts) <= index or row.starts[index])
        for index in present
    )


def _left_to_the_parser(row: TableRow) -> bool:
    """A row the annex parser joins to the row above itself, recording the join: its Status
    cell is empty, or without Status its Lead (else Timeline) cell."""
    closing = next(
        (
            row.column(role)
            for role in ("status", "lead", "timeline")
            if row.column(role) is not None
        ),
        None,
    )
    return closing is not None and not row.cells[closing].strip()


def _is_cut_word(row: TableRow, above: str, below: str) -> bool:
    anchor = row.anchor
    cut = anchor is not None and len(row.cut_ends) > anchor and row.cut_ends[anchor]
    return cut and above.strip()[-1:].isalnum() and bool(re.match(r"[a-z0-9]", below.strip()))


def _cut_at_break(last: TableRow, first: TableRow, anchor: int) -> bool:
    """Whether the first row below a page break is the rest of the row above it: it is no
    new task (no task id), it is not a row the parser joins itself, and one of its cells goes on with the cell above - a word of the
    anchor cell cut at the break (`Ongoin` | `g`, see `tables.is_cut`), a cell starting in
    lower case, a bracket left open above, or a list going on with a bullet."""
    if _TASK_ID.match(first.text_of("task").strip()) or _left_to_the_parser(first):
        return False
    above, below = last.cells[anchor].strip(), first.cells[anchor].strip()
    cut = len(last.cut_ends) > anchor and last.cut_ends[anchor]
    if cut and above[-1:].isalnum() and re.match(r"[a-z0-9]", below):
        return True
    for index, (top, rest) in enumerate(zip(last.cells, first.cells, strict=False)):
        top, rest = top.strip(), rest.strip()
        if not top or not rest or index == first.column("task"):
            continue
        if rest[0].islower() or top.count("(") > top.count(")"):
            return True
        if rest[0] in "•●▪" and "•" in top and index == first.column("deliverable"):
            return True
    return False
