"""The opening of a document: its first lines, and which of them could be its title.

A line of the opening is title-like when it is a short heading (at most 15 words, not ending a
sentence, not a list item) and none of these (docs/documents.md lists them):

- site furniture: banners ("Archived Content", "Symbol of the Government of Canada"), navigation
  ("Skip to main content", "Home", "Menu", breadcrumbs "Canada.ca > ..."), page tools ("Share
  this page", "Print", "5 downloads", "22 Views"), labels ("News release", "From: ...",
  "Date modified: ...", "On this page") and links to other formats ("PDF Version (927 KB)");
- an organisation's name alone: a department of the registry (also split over two lines, as
  "Public Safety" / "Canada" signatures are), or a line that starts with "Government of",
  "Department of", "Ministry of", "Office of" or ends with "Secretariat", "Agency", "Commission";
- a date line ("February 23, 2017", "Ottawa, February 23, 2017");
- a section heading (Foreword, Introduction, ...) or a table-of-contents entry;
- a single word.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from htreport.document import Document, Line
from htreport.model.departments import registry
from htreport.model.textclean import clean, strip_footnote_marks
from htreport.parsers.dates import find_dates
from htreport.parsers.sections import SectionMap, section_of_heading

#: How many non-empty lines the opening holds.
OPENING_LINES = 60
_MAX_TITLE_WORDS = 15

#: Banner, navigation, page tools and labels: never a title (matched on the whole line).
FURNITURE = re.compile(
    r"^(?:.*\barchiv\w*.*|symbol of the government of canada|.*\bfrom wikipedia\b.*|"
    r"jump to:.*|on this page:?|skip to .*|home|menu|search|main menu|you are here:?.*|"
    r"canada\.ca(?:\s*>.*)?|.*\s>\s.*|gc\.ca|français|english|print|share(?: this page)?|"
    r"(?:\d[\d,]*\s+)?(?:downloads?|views?|shares?|likes?|comments?)|"
    r"(?:news|press|media) releases?|communiqué(?: de presse)?|backgrounder|statement|"
    r"media advisory|from:.*|date (?:modified|published):?.*|(?:published|updated|modified):.*|"
    r"report a problem.*|table of contents|contents|related links?|"
    r".*\b(?:pdf|html|word|epub)\s+(?:version|format)\b.*|.*\(\s*\d[\d.,]*\s*[kmg]i?b\s*\).*)$",
    re.I,
)
#: An organisation's name: capitalised words and joining words only, starting "Government
#: of", "Department of", ... or ending "Secretariat", "Agency", "Commission" (not a headline
#: such as "Government of Canada releases ...", whose verb is lower case).
_ORGANISATION = re.compile(
    r"^(?:(?:The\s+)?(?:Government|Department|Ministry|Office)\s+(?:of|for)\b(?:\s+(?:[A-Z][\w'’.,-]*|of|the|and|for|on))+"
    r"|(?:[A-Z][\w'’.,-]*\s+(?:(?:of|the|and|for|on)\s+)*)+(?:Secretariat|Agency|Commission))$"
)
_SENTENCE_END = re.compile(r"[.;,!?]$")
_PAGE_AT_END = re.compile(r"\d{1,3}$")
_BULLET = re.compile(r"^[-–•●▪◦*]\s")


def text_of(line: Line) -> str:
    """The clean text of a line: markup and footnote marks gone."""
    return strip_footnote_marks(clean(line.text)).strip()


class Opening(NamedTuple):
    """The first lines of a document (prose only), and which of them are title-like."""

    lines: list[Line]
    #: Indexes into `lines` of the title-like lines, in order.
    titles: list[int]


def opening(document: Document, sections: SectionMap | None = None) -> Opening:
    """The first `OPENING_LINES` non-empty prose lines, and the title-like ones among them.

    Title-like lines are looked for before the first section heading only, and no further than
    the first paragraph of prose that follows a title-like line (a cover ends where text starts).
    """
    first_heading = sections.headings[0].index if sections and sections.headings else None
    lines: list[Line] = []
    positions: list[int] = []
    for index, line in enumerate(document.lines):
        if line.is_row or line.footnote or not line.text.strip():
            continue
        lines.append(line)
        positions.append(index)
        if len(lines) == OPENING_LINES:
            break
    titles: list[int] = []
    for i, line in enumerate(lines):
        if first_heading is not None and positions[i] >= first_heading:
            break
        previous = text_of(lines[i - 1]) if i else ""
        following = text_of(lines[i + 1]) if i + 1 < len(lines) else ""
        if is_title_like(line, previous, following):
            titles.append(i)
        elif titles and is_prose(line):
            break
    return Opening(lines, titles)


def is_prose(line: Line) -> bool:
    """A paragraph of running text: a sentence, or longer than a title."""
    text = text_of(line)
    return len(text.split()) > _MAX_TITLE_WORDS or (
        len(text.split()) > 6 and bool(_SENTENCE_END.search(text))
    )


def is_title_like(line: Line, previous: str = "", following: str = "") -> bool:
    """True when `line` could be a document's title (see the module rules)."""
    text = text_of(line).rstrip(":").strip()
    words = text.split()
    if len(words) < 2 or len(words) > _MAX_TITLE_WORDS or line.kind == "item":
        return False
    if _BULLET.match(text) or _SENTENCE_END.search(text) or is_contents_entry(line.text):
        return False
    if FURNITURE.match(text) or _ORGANISATION.match(text) or is_date_line(text):
        return False
    if section_of_heading(text) is not None:
        return False
    return not is_department(text, previous, following)


def is_contents_entry(text: str) -> bool:
    """A table-of-contents entry: a page number after a tab, two spaces or dot leaders.

    Checked from the end of the line, so a long run of spaces or dots costs linear time."""
    text = text.rstrip()
    page = _PAGE_AT_END.search(text)
    if page is None or (page.start() and text[page.start() - 1].isdigit()):
        return False
    before = text[: page.start()]
    if before.endswith(("\t", "  ")):
        return True
    return before.rstrip(" ").endswith(("..", "…", "\t"))


def is_department(text: str, previous: str = "", following: str = "") -> bool:
    """A department's name alone, or one half of a two-line signature ("Public Safety" /
    "Canada")."""
    names = registry()
    found = names.lookup(text) or names.lookup(f"{text} {following}")
    found = found or names.lookup(f"{previous} {text}")
    return found is not None and found.program is None


def is_date_line(text: str) -> bool:
    """A line that is a date with at most a place or a label ("Ottawa, February 23, 2017")."""
    dates = find_dates(text)
    if not dates:
        return False
    rest = text
    for match in reversed(dates):
        rest = rest[: match.start()] + rest[match.end() :]
    return len(re.findall(r"[A-Za-zÀ-ÿ]+", rest)) <= 4
