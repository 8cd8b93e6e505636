"""Body text as paragraphs and bullets, whole again after page breaks and footnotes.

Readers give one `Line` per paragraph or bullet (bullets start with `- `, or are lines a reader
marked as list items; a line marked as a heading is a block of its own). A page break or a
run of footnotes can cut a paragraph in two; the rule that joins it again is general:

- a line that starts with a lower-case letter continues the paragraph or bullet before it, when
  only blank lines, footnote lines or page numbers stand between them and that paragraph does
  not end a sentence (`.`, `!`, `?`, `:`);
- a paragraph that ends with a word and a hyphen ("the Canada-") is continued by the next line
  whatever its case ("Commonwealth ...").

Footnote lines never enter a paragraph (they are records of their own, see `footnotes`), and
footnote markers (³) are taken out of the text and kept as references. Table rows, the table
of contents and Annex A are not prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

from htreport.document import Document, Line, span
from htreport.model.departments import Registry
from htreport.model.plain import Provenance, Section
from htreport.model.textclean import FOOTNOTE_MARKS, clean, footnote_number, join_fragments
from htreport.parsers.sections import SectionMap

_BULLET = re.compile(r"^[-–•●▪◦*]\s+")
_FOOTNOTE_LINE = re.compile(f"^\\s*[{FOOTNOTE_MARKS}]+\\s*\\S")
_FOOTNOTE_NUMBER = re.compile(f"^\\s*(?:[{FOOTNOTE_MARKS}]+|\\d{{1,3}}(?=[\\s.)]))[.)]?\\s*")
_REFERENCE_ENTRY = re.compile(r"^\s*\d{1,3}\.\s*\^\s*\S")
_FOOTNOTE_MARK = re.compile(f"[{FOOTNOTE_MARKS}]+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+(?:of|/)\s+\d{1,3})?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)]*$")
_WRAP_HYPHEN = re.compile(r"[A-Za-z]-$")
#: The word before a sentence-ending mark, matched from the start of its run only.
_LAST_WORD = re.compile(r"(?<![\w.])([\w.]+)[.!?]$")
_LINK = re.compile(r"^(?:https?://|ftp://|www\.)", re.I)
#: Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "i.e e.g etc vs no nos p pp st dr mr mrs ms jr sr inc ltd co corp dept approx fig al "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n".split()
)


@dataclass(slots=True)
class Block:
    """One paragraph or bullet of body text, in clean form without footnote markers."""

    kind: Literal["paragraph", "bullet", "footnote"]
    text: str
    index: int  # index of its first line in Document.lines
    section: Section
    #: (offset in `text`, source line): where each fragment of the text starts.
    fragments: list[tuple[int, Line]] = field(default_factory=list)
    #: (footnote number, line of the marker) for each footnote marker in the text, in order.
    references: list[tuple[int, Line]] = field(default_factory=list)
    #: While a block grows: its text in pieces, joined once by `_finish` (so adding a line costs
    #: the length of that line, not of the whole paragraph so far).
    pieces: list[str] = field(default_factory=list, repr=False, compare=False)
    length: int = field(default=0, repr=False, compare=False)
    fragment_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def footnotes(self) -> list[int]:
        """Numbers of the footnotes the text refers to, in order, once each."""
        return list(dict.fromkeys(number for number, _ in self.references))

    @property
    def lines(self) -> list[Line]:
        return [line for _, line in self.fragments]

    @property
    def is_heading(self) -> bool:
        """True when the reader marked the block's line as a heading (HTML, Markdown)."""
        return bool(self.fragments) and self.fragments[0][1].kind == "heading"

    @property
    def provenance(self) -> Provenance:
        return span(self.fragments[0][1], self.fragments[-1][1])

    def line_at(self, offset: int) -> Line:
        """The source line that holds character `offset` of `text`."""
        if self.fragment_starts is None or len(self.fragment_starts) != len(self.fragments):
            self.fragment_starts = [start for start, _ in self.fragments]
        at = bisect_right(self.fragment_starts, offset) - 1  # a binary search: many numbers in a
        return self.fragments[max(at, 0)][1]  # long paragraph cost no scan each

    def provenance_of(self, start: int, end: int) -> Provenance:
        """Provenance of the characters [start, end) of `text`."""
        return span(self.line_at(start), self.line_at(max(start, end - 1)))

    def ends_sentence(self) -> bool:
        return bool(_SENTENCE_END.search(self.pieces[-1] if self.pieces else self.text))


def is_footnote(line: Line) -> bool:
    """A footnote line: flagged by the reader, starting with superscript digits, or an entry of
    a reference list ("1. ^ Author (2008). Title", as Wikipedia pages print their notes)."""
    return line.footnote or bool(_FOOTNOTE_LINE.match(line.text) or is_reference_entry(line.text))


def is_reference_entry(text: str) -> bool:
    """An entry of a reference list: a citation, not prose."""
    return bool(_REFERENCE_ENTRY.match(text))


def is_page_furniture(text: str) -> bool:
    """A running page number ("6", "Page 6 of 27") left between two parts of a paragraph."""
    return bool(_PAGE_NUMBER.match(text))


def without_markers(text: str) -> tuple[str, list[int]]:
    """`text` without footnote markers, and the footnote numbers they referenced.

    A run of superscript digits too long to be a footnote number stays in the text."""
    numbers: list[int] = []

    def take(match: re.Match[str]) -> str:
        number = footnote_number(match.group(0))
        if number is None:
            return match.group(0)
        numbers.append(number)
        return ""

    return _FOOTNOTE_MARK.sub(take, text), numbers


def assemble(document: Document, sections: SectionMap) -> list[Block]:
    """The paragraphs and bullets of `document` outside tables, the contents and Annex A."""
    blocks: list[Block] = []
    open_block: Block | None = None  # the block a continuation may still join
    for index, line in enumerate(document.lines):
        if line.is_row or index in sections.toc or sections.in_annex(index):
            open_block = None
            continue
        if is_footnote(line) or not line.text.strip():
            continue
        text, references = without_markers(clean(line.text))
        if not text or is_page_furniture(text):
            continue
        bullet = _BULLET.match(text)
        item = bullet is not None or line.kind == "item"
        if line.kind == "heading":
            open_block = None  # a marked heading is a block of its own, never continued
        if open_block is not None and not item and _continues(open_block, text):
            _append(open_block, text, line)
            open_block.references += [(number, line) for number in references]
            continue
        if bullet:
            text = text[bullet.end() :]
        open_block = Block(
            kind="bullet" if item else "paragraph",
            text=text,
            index=index,
            section=sections.section_at(index),
            fragments=[(0, line)],
            references=[(number, line) for number in references],
        )
        blocks.append(open_block)
        if line.kind == "heading":
            open_block = None
    return _finish(blocks)


def footnote_blocks(document: Document, sections: SectionMap) -> list[Block]:
    """The text of each footnote outside Annex A as a block (without its number), for scanners."""
    blocks: list[Block] = []
    for index, line in enumerate(document.lines):
        if sections.in_annex(index) or line.is_row or not is_footnote(line):
            continue
        if is_reference_entry(line.text):
            continue  # citations hold page numbers and ISBNs, never claims
        text = clean(line.text)
        numbered = _FOOTNOTE_NUMBER.match(text)
        if numbered:
            blocks.append(
                Block(
                    "footnote",
                    text[numbered.end() :],
                    index,
                    sections.section_at(index),
                    [(0, line)],
                )
            )
        elif blocks and text:  # a footnote running on over a second line
            _append(blocks[-1], text, line)
    return _finish(blocks)


def _continues(block: Block, text: str) -> bool:
    if _LINK.match(text):
        return False  # a link under a title is an entry of its own, not a continuation
    if _WRAP_HYPHEN.search(block.pieces[-1] if block.pieces else block.text):
        return True
    return text[0].islower() and not block.ends_sentence()


def _append(block: Block, text: str, line: Line) -> None:
    """Add `text` to `block`: only the last piece takes part in the join, so this is linear."""
    if not block.pieces:
        block.pieces, block.length = [block.text], len(block.text)
    tail = block.pieces[-1]
    if _WRAP_HYPHEN.search(tail) and not text[0].islower():
        joined = tail + text  # "Canada-" + "Commonwealth": a compound name, keep the hyphen
    else:
        joined = join_fragments(tail, text)
    text = text.strip()
    head = joined[: len(joined) - len(text)]
    block.length += len(joined) - len(tail)
    block.fragments.append((block.length - len(text), line))
    block.pieces[-1:] = [head, text] if head else [text]


def _finish(blocks: list[Block]) -> list[Block]:
    """Join the pieces of each grown block into its text, once."""
    for block in blocks:
        if block.pieces:
            block.text = "".join(block.pieces)
            block.pieces, block.length = [], 0
    return blocks


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of `text`; abbreviations and decimals do not end one."""
    spans = []
    start = 0
    for match in re.finditer(r"[.!?][\"'”’)]*(?:\[\d+\])*\s+(?=[\"'“‘(]?[A-Z0-9$])", text):
        word = _LAST_WORD.search(text, max(start, match.start() - 64), match.start() + 1)
        if word and word.group(1).casefold().rstrip(".") in _ABBREVIATIONS:
            continue
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            continue  # an initial, "John T. Smith"
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_NAME_TOKEN = re.compile(r"[A-Za-zÀ-ÿ][\w'’&.-]*")


def departments_named(text: str, registry: Registry) -> list[str]:
    """Canonical codes of the departments that `text` names, in order of first mention.

    In running prose only acronyms (GAC, RCMP, HTNCC) and capitalised names of two words or
    more (Justice Canada, Temporary Foreign Worker Program) count: single ordinary words that
    are also aliases ("justice", "development", "labour") would name departments by accident.
    Programs resolve to their department (HTNCC -> RCMP).
    """
    tokens = [m.group(0) for m in _NAME_TOKEN.finditer(text)]
    # "RCMP's" -> "RCMP" (a token holds no newline, so this is what `['’]s$` removes)
    words_in_text = [
        (token[:-2] if token.endswith(("'s", "’s")) else token).rstrip(".'’-") for token in tokens
    ]
    # tokens hold no spaces, so a name's lookup key is its folded words joined by one space
    folded = [word.strip().casefold() for word in words_in_text]
    capitalised = [word[:1].isupper() for word in words_in_text]
    acronym = [_is_acronym(word) for word in words_in_text]
    found: list[str] = []
    i = 0
    while i < len(words_in_text):
        for size in range(min(6, len(words_in_text) - i), 0, -1):
            last = i + size - 1
            if not (acronym[i] if size == 1 else capitalised[i] and capitalised[last]):
                continue  # an acronym alone, or a name from capital to capital
            match = registry.lookup_key(" ".join(folded[i : i + size]))
            if match:
                if match.department not in found:
                    found.append(match.department)
                i += size
                break
        else:
            i += 1
    return found


def _is_acronym(word: str) -> bool:
    """GAC, RCMP, HTNCC (and their plurals, "NGOs"): what a single word must be to name."""
    if word.endswith("s") and word[:-1].isupper():
        word = word.rstrip("s")
    return len(word) >= 2 and word.isupper()
