"""Footnotes of a web page or Markdown file, placed as a printed page places them.

HTML and Markdown keep footnotes in one list at the end. A reader gives each footnote as a
footnote line (`³ text`, `footnote=True`, its own source line) right after the first line that
refers to it, as a printed report puts it at the foot of that page, so a footnote stands in
the section that cites it. A footnote nothing refers to stays at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from htreport.document import Line
from htreport.model.textclean import MAX_FOOTNOTE_DIGITS

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MARK = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


@dataclass(frozen=True, slots=True)
class Note:
    """One footnote as the list at the end gives it."""

    number: int
    text: str
    lineno: int


def mark(number: int) -> str:
    """A footnote number as superscript digits (3 -> ³), as the text reader sees references."""
    return str(number).translate(SUPERSCRIPTS)


def place_footnotes(lines: list[Line], notes: dict[int, Note]) -> list[Line]:
    """`lines` with each footnote line after the first prose line that refers to it."""
    if not notes:
        return lines
    pending = dict(notes)
    placed: list[Line] = []
    for line in lines:
        placed.append(line)
        if line.cells is not None or line.footnote:
            continue
        for found in _MARK.findall(line.text):
            if len(found) > MAX_FOOTNOTE_DIGITS:
                continue  # no footnote number (and no int past Python's digit limit)
            note = pending.pop(int(found.translate(_DIGITS)), None)
            if note is not None:
                placed.append(_line(note))
    placed.extend(_line(note) for note in pending.values())
    return placed


def _line(note: Note) -> Line:
    return Line(text=f"{mark(note.number)} {note.text}", lineno=note.lineno, footnote=True)
