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

Each line of a block is one visual line, so a row whose cells wrap takes several lines.
Under a chart header, a line that cannot start a row is joined into the row above
(`join_wrapped_rows`): it has no task id, it is no header, its anchor cell (Status, else
Deliverable: every row fills it) is not empty - a line with an empty anchor is left to the
annex parser, which joins it as a `continuation-row` - and each of its cells (but the task)
goes on with the cell above: it starts in lower case, or the cell above ends with a comma,
colon, hyphen, slash or an open bracket. The joined line keeps its number but no cells or text; the row keeps the
number of its first line.
"""

from __future__ import annotations

import re

from htreport.model.columns import header_columns
from htreport.model.textclean import join_fragments

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
        return join_wrapped_rows(rows)
    if len(rows) >= 2 and all(sum(1 for cell in cells if cell) >= 2 for cells in rows):
        return rows
    return None


_TASK_ID = re.compile(r"^\d+\.\d+(?:\s|$)")
_OPEN_END = re.compile(r"[,:\-–(/]$")


def join_wrapped_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows of a chart with the lines of wrapped rows joined into the row above (see the
    module doc); a joined line is left as an empty list of cells."""
    out: list[list[str]] = []
    roles: list[str | None] | None = None
    owner: list[str] | None = None
    for cells in rows:
        found = header_columns(cells)
        if found is not None:
            roles, owner = found, None
            out.append(cells)
            continue
        if roles is not None and owner is not None and _wraps(cells, owner, roles):
            for index, text in enumerate(cells):
                if index < len(owner) and text:
                    owner[index] = _join(owner[index], text)
            out.append([])
            continue
        owner = cells if any(cells) else owner
        out.append(cells)
    return out


def _wraps(cells: list[str], above: list[str], roles: list[str | None]) -> bool:
    def at(role: str) -> int | None:
        return roles.index(role) if role in roles and roles.index(role) < len(cells) else None

    task = at("task")
    if task is not None and _TASK_ID.match(cells[task]):
        return False
    anchor = at("status")
    anchor = anchor if anchor is not None else at("deliverable")
    if anchor is None or not cells[anchor]:
        return False  # the annex parser joins it (and records the join)
    continued = [
        text[0].islower() or _OPEN_END.search(top) is not None or top.count("(") > top.count(")")
        for index, (text, top) in enumerate(zip(cells, above, strict=False))
        if text and index != task
    ]
    return bool(continued) and all(continued)


def _join(first: str, second: str) -> str:
    if re.match(r"^(?:[-*•]\s)", second):  # a list item of its own
        return f"{first}\n{second}"
    return join_fragments(first, second)
