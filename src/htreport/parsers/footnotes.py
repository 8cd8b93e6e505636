"""Numbered footnotes (`³ Membership consists of ...`) as records of their own.

A footnote line starts with superscript digits (or, from a PDF, is flagged `footnote=True` and
starts with its number); the numbered entries of a reference list ("1. ^ Author (2008) ...")
are footnotes too. A flagged line without a number continues the footnote above it (a
footnote that runs over two lines of small type). Footnotes inside Annex A belong to the chart
and are left to it.

A marker in the body whose footnote text is nowhere in the document gives a
`missing-footnote` warning, so a reader knows the reference leads nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from htreport.document import Document, Line, span, warning_at
from htreport.model.plain import ExtractionWarning, Footnote
from htreport.model.textclean import (
    FOOTNOTE_MARKS,
    MAX_FOOTNOTE_DIGITS,
    clean,
    footnote_number,
    join_fragments,
)
from htreport.parsers.prose import Block, is_footnote, is_reference_entry
from htreport.parsers.sections import SectionMap

_NUMBERED = re.compile(
    f"^\\s*(?P<mark>[{FOOTNOTE_MARKS}]+|\\d{{1,3}}(?=[\\s.)]))[.)]?\\s*(?:\\^\\s*)?(?P<text>.*)$"
)

_LONG_MARK = re.compile(f"(?<![{FOOTNOTE_MARKS}])[{FOOTNOTE_MARKS}]{{{MAX_FOOTNOTE_DIGITS + 1},}}")


class FootnoteResult(NamedTuple):
    footnotes: list[Footnote]
    warnings: list[ExtractionWarning]


@dataclass(slots=True)
class _Growing:
    """A footnote while its lines are read: text in pieces, joined once (linear in its lines)."""

    number: int
    pieces: list[str]
    first: Line
    last: Line

    def add(self, text: str, line: Line) -> None:
        tail = self.pieces[-1]
        joined = join_fragments(tail, text)  # looks only at the end of the last piece
        head = joined[: len(joined) - len(text)]
        self.pieces[-1:] = [head, text] if head else [text]
        self.last = line

    def footnote(self) -> Footnote:
        return Footnote(
            number=self.number, text="".join(self.pieces), provenance=span(self.first, self.last)
        )


def parse(document: Document, sections: SectionMap, blocks: list[Block]) -> FootnoteResult:
    """Every footnote of `document` outside Annex A, and warnings for markers without text."""
    growing: list[_Growing] = []
    warnings: list[ExtractionWarning] = []
    for index, line in enumerate(document.lines):
        if sections.in_annex(index) or line.is_row or not is_footnote(line):
            continue
        text = clean(line.text)
        match = _NUMBERED.match(text)
        superscript = bool(match and match.group("mark")[0] in FOOTNOTE_MARKS)
        if match and (superscript or line.footnote or is_reference_entry(line.text)):
            mark = match.group("mark")
            number = footnote_number(mark) if superscript else int(mark)
            if number is None:
                warnings.append(_too_long(line, mark, match.group("text")))
                continue
            growing.append(_Growing(number, [match.group("text")], line, line))
        elif growing and text:  # an unnumbered flagged line: the footnote above runs on
            growing[-1].add(text, line)
    footnotes = [footnote.footnote() for footnote in growing]
    for block in blocks:  # a marker run in the body too long to be a number stays in the text
        for run in _LONG_MARK.finditer(block.text):
            warnings.append(_too_long(block.line_at(run.start()), run.group(0)))
    return FootnoteResult(footnotes, warnings + _missing(footnotes, blocks))


def _too_long(line: Line, mark: str, text: str | None = None) -> ExtractionWarning:
    kept = "kept in the text" if text is None else f"the line's text: {text!r}"
    return warning_at(
        line,
        "footnote-marker-too-long",
        f"a footnote marker of {len(mark):,} digits (more than {MAX_FOOTNOTE_DIGITS}) is no "
        f"footnote number; {kept}",
    )


def _missing(footnotes: list[Footnote], blocks: list[Block]) -> list[ExtractionWarning]:
    known = {footnote.number for footnote in footnotes}
    warnings = []
    for block in blocks:
        for number, line in block.references:
            if number not in known:
                known.add(number)  # one warning per number
                warnings.append(
                    warning_at(
                        line,
                        "missing-footnote",
                        f"footnote {number} is referenced but its text is not in the document",
                    )
                )
    return warnings
