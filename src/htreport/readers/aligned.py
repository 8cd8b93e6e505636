"""Tables whose columns are aligned by runs of spaces (a browser copy, `pdftotext -layout`).

A *block* is a run of consecutive non-blank lines each holding a gap of two or more spaces
before a word (between words, or at the start of a row whose first cells are empty). Its column boundaries are the *gutters*: runs of two or more positions that
are blank on every line of the block (a line shorter than a position counts as blank there),
so the boundaries come from the header row and all the rows below it together, not from a
fixed width. A block is a table when

- one of its lines, cut at the gutters, is a chart header row by the column registry
  (`htreport.model.columns`), the strongest signal; or
- it has at least two lines, at least one gutter, and every line has text in at least two
  columns.

Prose is never cut: a single line with a two-space gap (after a full stop, say) is no block
of two, and two prose lines seldom leave a blank column through both at the same place.
"""

from __future__ import annotations

import re

from htreport.model.columns import header_columns

_GAP = re.compile(r"(?:^|\S) {2,}\S")
_MIN_GUTTER = 2


def has_gap(text: str) -> bool:
    """Whether a line holds a run of two or more spaces before a word (between words, or at
    its start: a row whose first cells are empty)."""
    return "\t" not in text and bool(_GAP.search(text))


def column_starts(lines: list[str]) -> list[int]:
    """Where the columns of a block start: 0 and the first position after each gutter."""
    width = max(len(line) for line in lines)
    blank = [all(i >= len(line) or line[i] == " " for line in lines) for i in range(width)]
    starts = [0]
    run = 0
    for position, is_blank in enumerate(blank):
        if is_blank:
            run += 1
            continue
        if run >= _MIN_GUTTER and position > run:
            starts.append(position)
        run = 0
    return starts


def split_at(line: str, starts: list[int]) -> list[str]:
    """The cells of a line cut at the column starts (each stripped)."""
    ends = [*starts[1:], None]
    return [line[start:end].strip() for start, end in zip(starts, ends, strict=True)]


def table_cells(lines: list[str]) -> list[list[str]] | None:
    """The block's lines as rows of cells, when the block is a table (see the module doc)."""
    starts = column_starts(lines)
    if len(starts) < 2:
        return None
    rows = [split_at(line, starts) for line in lines]
    if any(header_columns(cells) is not None for cells in rows):
        return rows
    if len(rows) >= 2 and all(sum(1 for cell in cells if cell) >= 2 for cells in rows):
        return rows
    return None
