"""Chart cells: rows laid out with spans filled, list items in a cell, stacked values."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from htreport.document import Line, grid
from htreport.model import fiscal
from htreport.model.plain import SubItem
from htreport.model.status import ParsedStatus
from htreport.model.textclean import clean, strip_markup

_LIST_START = re.compile(r"<\s*ul\b[^>]*>|•|\u25cf|\u25aa")
_ITEM_LINE = re.compile(r"^\s*[-*•\u25cf\u25aa]\s+")


def split_items(cell: str) -> tuple[str, list[str]]:
    """Split a deliverable cell into its lead-in text and list items.

    Lists come as an HTML `<ul>` remnant followed by `;`-separated entries (archived text), as
    bullet characters (PDF), or as lines of their own starting with `- `, `* ` or a bullet (a
    reader's form of a `<ul>` or Markdown list inside a cell)."""
    lines = cell.split("\n")
    first_item = next((i for i, ln in enumerate(lines) if _ITEM_LINE.match(ln)), None)
    if first_item is not None and (first_item > 0 or len(lines) > 1):
        found: list[str] = []
        for line in lines[first_item:]:
            if _ITEM_LINE.match(line) or not found:
                found.append(clean(_ITEM_LINE.sub("", line)))
            else:
                found[-1] = clean(f"{found[-1]} {line}")
        intro, inline = split_items("\n".join(lines[:first_item]).replace("\n", " "))
        if not inline:  # no list in the lines before the first item line: keep them as they are
            intro = "\n".join(lines[:first_item])
        # a cell continued over a page break: the part above it may hold bullets of its own
        pieces = [
            clean(piece) for item in found for piece in re.split(r"\s[•\u25cf\u25aa]\s", item)
        ]
        return intro, [*inline, *(piece for piece in pieces if piece)]
    match = _LIST_START.search(cell)
    if match is None:
        return cell, []
    intro, rest = cell[: match.start()], cell[match.start() :]
    if "•" in rest or "\u25cf" in rest or "\u25aa" in rest:
        pieces = re.split(r"[•\u25cf\u25aa]", strip_markup(rest))
    else:
        pieces = strip_markup(rest).split(";")
    items = [clean(piece).rstrip(";").strip() for piece in pieces]
    return intro, [item for item in items if item]


def assign_stacked(
    id_: str,
    starts: list[int],
    statuses: list[ParsedStatus],
    parts: list[SubItem],
    warn: Callable[[str, str], None],
) -> tuple[int | None, ParsedStatus | None]:
    """Share stacked timeline/status values between a deliverable and its list items.

    One value belongs to the deliverable. N values for N items go one to each item (the
    deliverable takes the first); N+1 values give the first to the deliverable and the rest to
    the items in order. Any other count is kept on the deliverable with a warning."""
    count = max(len(starts), len(statuses))
    if count <= 1 or not parts:
        if count > 1:
            warn("stacked-values", f"{id_}: {count} stacked values but no list items")
        return (starts[0] if starts else None), (statuses[0] if statuses else None)
    if count not in (len(parts), len(parts) + 1):
        warn("stacked-values", f"{id_}: {count} stacked values for {len(parts)} list items")
        return (starts[0] if starts else None), (statuses[0] if statuses else None)
    offset = count - len(parts)
    for index, part in enumerate(parts):
        if len(starts) == count:
            part.start = fiscal.short(starts[index + offset])
        if len(statuses) == count:
            part.status = statuses[index + offset].status
            part.status_detail = statuses[index + offset].detail
    return (starts[0] if starts else None), (statuses[0] if statuses else None)


class LaidRow(NamedTuple):
    """A row's cell texts with spans filled, and where each fill came from."""

    texts: tuple[str, ...]
    #: (column index, line of the spanning cell, whether it spans from a row above) for each
    #: position a spanning cell fills
    fills: tuple[tuple[int, int, bool], ...]


def laid_out(body: list[Line]) -> dict[int, LaidRow]:
    """Each row (by `id(line)`) laid out with the positions that spanned cells cover filled.

    A cell spanning rows (HTML rowspan, a merged PDF cell) gives its text to every row it
    covers; one spanning columns gives it to each column it covers."""
    tables: dict[int, list[Line]] = {}
    for line in body:
        if line.cells is not None:
            number = line.table if line.table is not None else -1 - line.lineno
            tables.setdefault(number, []).append(line)
    laid: dict[int, LaidRow] = {}
    for rows in tables.values():
        for line, positions in zip(rows, grid(rows), strict=True):
            own = {id(cell) for cell in line.cells or ()}
            fills = tuple(
                (index, position.cell.lineno, id(position.cell) not in own)
                for index, position in enumerate(positions)
                if position.filled and position.text
            )
            laid[id(line)] = LaidRow(tuple(position.text for position in positions), fills)
    return laid
