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

from htreport.document import Document, span, warning_at
from htreport.model.report import ExtractionWarning, Footnote
from htreport.model.textclean import FOOTNOTE_MARKS, clean, footnote_number, join_fragments
from htreport.parsers.prose import Block, is_footnote, is_reference_entry
from htreport.parsers.sections import SectionMap

_NUMBERED = re.compile(
    f"^\\s*(?P<mark>[{FOOTNOTE_MARKS}]+|\\d{{1,3}}(?=[\\s.)]))[.)]?\\s*(?:\\^\\s*)?(?P<text>.*)$"
)


@dataclass(slots=True)
class FootnoteResult:
    footnotes: list[Footnote]
    warnings: list[ExtractionWarning]


def parse(document: Document, sections: SectionMap, blocks: list[Block]) -> FootnoteResult:
    """Every footnote of `document` outside Annex A, and warnings for markers without text."""
    footnotes: list[Footnote] = []
    for index, line in enumerate(document.lines):
        if sections.in_annex(index) or line.is_row or not is_footnote(line):
            continue
        text = clean(line.text)
        match = _NUMBERED.match(text)
        superscript = bool(match and match.group("mark")[0] in FOOTNOTE_MARKS)
        if match and (superscript or line.footnote or is_reference_entry(line.text)):
            mark = match.group("mark")
            number = footnote_number(mark) if superscript else int(mark)
            footnotes.append(
                Footnote(number=number, text=match.group("text"), provenance=span(line))
            )
        elif footnotes and text:  # an unnumbered flagged line: the footnote above runs on
            last = footnotes[-1]
            last.text = join_fragments(last.text, text)
            last.provenance = span(document.lines[_index_of(document, last.provenance.line)], line)
    return FootnoteResult(footnotes, _missing(footnotes, blocks))


def _index_of(document: Document, lineno: int) -> int:
    return next(i for i, line in enumerate(document.lines) if line.lineno == lineno)


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
