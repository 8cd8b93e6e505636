"""Tables that stay readable at any width: a table when it fits, else one block per record.

On a narrow terminal a rich table squeezes its long-text column to nothing or crops short
values without an ellipsis. `print_rows` measures first: when the short columns need their
full width and the long ones still get at least MIN_TEXT_WIDTH, it prints a table (long text
wrapped); otherwise each record becomes a block, its key values on the first line and every
other field on a line of its own, wrapped under its name (as `kubectl describe` and `gh`
do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

#: Below this many characters, a wrapped text column is harder to read than a block.
MIN_TEXT_WIDTH = 30
#: What a table costs beyond its cells: a border and a space either side of each column.
_PER_COLUMN = 3


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    wide: bool = False  # long text: wrapped in a table, never needed whole on one line
    key: bool = False  # shown on the first line of a block
    numeric: bool = False  # right-aligned


def fits(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> bool:
    """Whether a table of `rows` shows every short value whole and leaves the long ones room."""
    short = 0
    wide = 0
    for index, column in enumerate(columns):
        if column.wide:
            wide += 1
            continue
        cells = [len(line) for row in rows for line in row[index].splitlines() or [""]]
        short += max([len(column.name), *cells]) + _PER_COLUMN
    room = width - short - 1 - wide * _PER_COLUMN
    # the first long column needs MIN_TEXT_WIDTH; each further one half as much
    return room >= (MIN_TEXT_WIDTH + (wide - 1) * MIN_TEXT_WIDTH // 2 if wide else 0)


def print_rows(
    console: Console,
    title: str | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[str] | None = None,
) -> None:
    """Print `rows` (plain strings, one per column) as a table or as blocks, whichever reads.

    `styles` gives an optional rich style per row, for its `status` cell (a status colour)."""
    if fits(columns, rows, console.width):
        console.print(_table(title, columns, rows, styles))
    else:
        _blocks(console, title, columns, rows, styles)


def _table(title, columns, rows, styles):
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for column in columns:
        if column.wide:
            table.add_column(column.name, overflow="fold", ratio=1)
        else:
            table.add_column(
                column.name,
                no_wrap=True,
                justify="right" if column.numeric else "left",
                min_width=len(column.name),
            )
    for number, row in enumerate(rows):
        style = styles[number] if styles else ""
        table.add_row(
            *(
                Text(cell, style=style if column.name == "status" else "")
                for column, cell in zip(columns, row, strict=True)
            )
        )
    return table


def _blocks(console, title, columns, rows, styles) -> None:
    from rich.table import Table
    from rich.text import Text

    if title:
        console.print(Text(title, style="italic"))
    keys = [i for i, column in enumerate(columns) if column.key] or [0]
    rest = [i for i in range(len(columns)) if i not in keys]
    label_width = max((len(columns[i].name) for i in rest), default=0) + 1
    for number, row in enumerate(rows):
        style = styles[number] if styles else ""
        heading = "  ".join(row[i] for i in keys if row[i])
        console.print(Text(heading, style="bold"), overflow="fold")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=label_width + 2, no_wrap=True)
        grid.add_column(overflow="fold")
        for index in rest:
            value_style = style if columns[index].name == "status" else ""
            grid.add_row(Text(f"  {columns[index].name}:"), Text(row[index], style=value_style))
        console.print(grid)
        if number < len(rows) - 1:
            console.print()
