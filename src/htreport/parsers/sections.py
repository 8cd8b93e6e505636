"""The sections of a report (Foreword, Introduction, Part I..IV, ...), found by their headings.

A heading is a line of its own whose whole text is a section title. Any annex or appendix
heading starts an annex: the one that starts the action items chart is `Section.ANNEX_A` ("the
chart annex", whatever its letter), any other `Section.ANNEX_B` ("another annex"). Table-of-contents entries
(a title followed by a page number, or a tab-separated row) never count, so the same report
gives the same sections whatever its page layout.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from htreport.document import Document, Line
from htreport.model.textclean import clean, strip_footnote_marks
from htreport.model.vocabulary import Section
from htreport.parsers import annex as annex_parser
from htreport.parsers.chart_header import ANNEX_HEADING

_PART = re.compile(r"^part\s+(?P<number>iv|v|i{1,3}|[1-5])\b\s*[.:\-–—]?\s*(?P<title>.*)$", re.I)
_PART_BY_NUMBER = {
    "i": Section.PREVENTION,
    "1": Section.PREVENTION,
    "ii": Section.PROTECTION,
    "2": Section.PROTECTION,
    "iii": Section.PROSECUTION,
    "3": Section.PROSECUTION,
    "iv": Section.PARTNERSHIPS,
    "4": Section.PARTNERSHIPS,
}
_PART_BY_WORD = [
    ("empower", Section.EMPOWERMENT),
    ("prevention", Section.PREVENTION),
    ("protection", Section.PROTECTION),
    ("prosecution", Section.PROSECUTION),
    ("partnership", Section.PARTNERSHIPS),
]
#: A pillar named alone as a heading: "Empowerment", "Pillar 1: Empowerment", "Prevention
#: Pillar" (the National Strategy 2019-2024 names its five pillars so).
_PILLAR_TITLE = re.compile(
    r"^(?:pillar\s+(?:[1-5]|i{1,3}|iv|v)\s*[:.\-–—]?\s*)?(?:the\s+)?"
    r"(?P<word>empowerment|prevention|protection|prosecution|partnerships?)(?:\s+pillar)?$",
    re.I,
)
_TITLES: list[tuple[re.Pattern[str], Section]] = [
    (re.compile(r"^foreword$", re.I), Section.FOREWORD),
    (re.compile(r"^introduction$", re.I), Section.INTRODUCTION),
    (
        re.compile(r"^(?:national action plan\s*[-–—:]\s*)?progress to date$", re.I),
        Section.PROGRESS,
    ),
    (re.compile(r"^moving forward$", re.I), Section.MOVING_FORWARD),
    (re.compile(r"^conclusions?$", re.I), Section.CONCLUSION),
]
#: A trailing page number (after spaces, a tab or dot leaders) marks a table-of-contents entry.
_TOC_ENTRY = re.compile(r"(?:\s|(?<!\.)\.{2,}+|…)\d{1,3}\s*$")
_TOC_HEADING = re.compile(r"^(?:table of )?contents$", re.I)
_MAX_HEADING_WORDS = 12


@dataclass(frozen=True, slots=True)
class Heading:
    """Where a section starts: the index of its heading in `Document.lines`."""

    index: int
    section: Section
    line: Line


@dataclass(slots=True)
class SectionMap:
    """The sections of one document, and which lines are the table of contents."""

    headings: list[Heading]
    toc: frozenset[int]  # indexes of table-of-contents entries
    annex: tuple[int, int] | None  # [start, end) of the chart, as `annex.find_annex` gives it

    def section_at(self, index: int) -> Section:
        """The section that line `index` stands in: FRONT before the first heading, BODY if none."""
        if self.annex and self.annex[0] <= index < self.annex[1]:
            return Section.ANNEX_A
        if not self.headings:
            return Section.BODY
        position = bisect_right([h.index for h in self.headings], index)
        return self.headings[position - 1].section if position else Section.FRONT

    def in_annex(self, index: int) -> bool:
        return bool(self.annex and self.annex[0] <= index < self.annex[1])


def heading_text(line: Line) -> str:
    """The clean text of a line as a heading: markup, footnote marks and a final colon gone."""
    return strip_footnote_marks(clean(line.text)).strip().rstrip(":").strip()


def section_of_heading(text: str) -> Section | None:
    """The section a heading names ("Part II. Protection ..." -> protection), else None."""
    if not text or len(text.split()) > _MAX_HEADING_WORDS:
        return None
    part = _PART.match(text)
    if part:
        title = part.group("title").casefold()
        by_word = next((section for word, section in _PART_BY_WORD if word in title), None)
        return by_word or _PART_BY_NUMBER.get(part.group("number").casefold())
    if ANNEX_HEADING.match(text):
        return Section.ANNEX_B  # "another annex"; the chart's own heading is told apart later
    pillar = _PILLAR_TITLE.match(text)
    if pillar:
        word = pillar.group("word").casefold()
        return next(section for stem, section in _PART_BY_WORD if word.startswith(stem))
    return next((section for pattern, section in _TITLES if pattern.match(text)), None)


def find_sections(document: Document) -> SectionMap:
    """Every section heading of `document`, in order, and its table-of-contents lines."""
    lines = document.lines
    toc = _toc_lines(lines)
    annex = annex_parser.find_annex(lines)
    headings: list[Heading] = []
    for index, line in enumerate(lines):
        if line.is_row or line.footnote or index in toc or not line.text.strip():
            continue
        if annex and annex[0] < index < annex[1]:
            continue  # the chart's own pillar headings are the annex's, not sections
        text = heading_text(line)
        if _is_toc_entry(text):
            continue
        section = section_of_heading(text)
        if section is not None:
            headings.append(Heading(index, section, line))
    if annex is not None:
        headings = [
            Heading(h.index, Section.ANNEX_A, h.line) if h.index == annex[0] else h
            for h in headings
        ]
    return SectionMap(headings, frozenset(toc), annex)


def _is_toc_entry(text: str) -> bool:
    """A line that ends with a page number after a space, dot leaders or an ellipsis.

    Only a text that ends with a digit is searched (`_TOC_ENTRY`, anchored at the end, is
    tried at every position of the line): `str.rstrip` strips what `\\s` matches."""
    return text.rstrip()[-1:].isdecimal() and _TOC_ENTRY.search(text) is not None


def _toc_lines(lines: list[Line]) -> set[int]:
    """Entries under a "Table of Contents" heading: the run of lines ending with a page number."""
    toc: set[int] = set()
    index = 0
    while index < len(lines):
        if not _TOC_HEADING.match(heading_text(lines[index])) or lines[index].is_row:
            index += 1
            continue
        index += 1
        while index < len(lines):
            line = lines[index]
            text = line.text if line.cells else clean(line.text)
            if not text.strip():
                index += 1
                continue
            if not _is_toc_entry(text):
                break
            toc.add(index)
            index += 1
    return toc
