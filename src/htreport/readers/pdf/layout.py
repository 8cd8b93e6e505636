"""Glyphs of a PDF page -> visual lines -> paragraphs, without any PDF library.

The reader (`device.py`) hands over plain `Glyph`s (text, box, size); this module groups them into visual
lines (superscripts folded into the line they belong to and written as superscript digits),
recognises running headers, footers and page numbers, and joins the lines of a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from htreport.model.textclean import HYPHEN_PREFIXES, join_fragments

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
BULLETS = "•●▪◦■‣∙·"
_FOOTNOTE_START = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s")
_BULLET_START = re.compile(f"^[{BULLETS}]\\s*")
_TERMINAL = re.compile(r"[.!?:;]['\")\u2019\u201d]?$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s+(?:of|/)\s+\d{1,4})?$", re.I)
_UNMAPPED = re.compile(r"^\(cid:\d+\)$")
_BLANK_RUN = re.compile(r"\s+")
_BY_BASELINE = attrgetter("bottom", "x0")
_X0 = attrgetter("x0")
_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}


class Glyph(NamedTuple):
    """One character drawn on a page; `top`/`bottom` grow downwards from the page top.

    A named tuple rather than a frozen dataclass: a page has thousands and a frozen
    dataclass takes five times as long to make."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(slots=True)
class VisualLine:
    """Glyphs sharing a baseline, in left-to-right order."""

    glyphs: list[Glyph]
    text: str = ""
    size: float = 0.0  # the line's body size (superscripts excluded)
    page: int = 0

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs if g.size >= self.size * 0.85)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs if g.size >= self.size * 0.85)


@dataclass(slots=True)
class Paragraph:
    """Visual lines of one paragraph, bullet item or footnote."""

    lines: list[VisualLine]
    footnote: bool = False
    bullet: bool = False
    pages: list[int] = field(default_factory=list)
    words: set[str] | None = None  # the document's vocabulary, for joining wrapped words

    @property
    def joined(self) -> str:
        return self.text(self.words)

    def text(self, words: set[str] | None = None) -> str:
        """The paragraph as one line of text, as the archived text files have it."""
        joined = WrappedText(words)
        for line in self.lines:
            joined.add(line.text)
        text = joined.text()
        if self.bullet:
            text = "- " + _BULLET_START.sub("", text)
        return text


_WORD_EDGES = "\"'()[]{}.,;:!?‘’“”"


class Vocabulary(set[str]):
    """The words of a document, and the line-end hyphens decided with them.

    `hyphens` maps each hyphenated wrap (`large-|scale` as "large-scale") to the reason its
    hyphen was kept or dropped; the reader reports the doubtful ones."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        super().__init__(words)
        self.hyphens: dict[str, str] = {}


def vocabulary(lines: Iterable[str]) -> Vocabulary:
    """The words of a document's visual lines (case-folded, outer punctuation stripped).

    The first and last word of each line are left out: they may be pieces of a broken word."""
    words = Vocabulary()
    for text in lines:
        words.update(word.strip(_WORD_EDGES).casefold() for word in text.split()[1:-1])
    return words


#: Why a line-end hyphen was kept or dropped (the values of `Vocabulary.hyphens`).
HYPHEN_SEEN = "kept: the hyphenated form occurs elsewhere in the document"
JOINED_SEEN = "dropped: the joined form occurs elsewhere in the document"
PARTS_SEEN = "kept: both parts are words of the document"
PREFIX = "kept: a prefix that takes a hyphen"
IN_DOUBT = "kept: no evidence either way"


def hyphen_choice(stem: str, tail: str, words: set[str] | None) -> str:
    """Whether a hyphen at a line end (`stem-` then `tail` on the next line) is part of the
    word, by evidence from the document's own words; kept when in doubt."""
    stem, tail = stem.casefold(), tail.casefold()
    if words and f"{stem}-{tail}" in words:
        return HYPHEN_SEEN
    if words and f"{stem}{tail}" in words:
        return JOINED_SEEN
    last = re.search(r"(?<![^\W\d_])[^\W\d_]++$", stem)
    first = re.match(r"[^\W\d_]+", tail)
    if words and last and first and last.group(0) in words and first.group(0) in words:
        return PARTS_SEEN
    if last and last.group(0) in HYPHEN_PREFIXES:
        return PREFIX
    return IN_DOUBT


def join_wrapped(first: str, second: str, words: set[str] | None = None) -> str:
    """Join two visual lines of one paragraph or cell.

    A hyphen at the end of `first` before a lower-case word is decided by `hyphen_choice`
    (`traf-|ficking` loses it when the document writes `trafficking`; `large-|scale` keeps it
    when it writes `large-scale`, or `large` and `scale`; in doubt it stays). A hyphen before
    a capital or a digit, or inside a web or mail address, is part of the text (Anti-|Crime,
    2014-|2020, ...uploads/Our-Spirits-|are-NOT...). A word broken without a hyphen because
    it was wider than its column (`intelligen|ce`) is put back together when only the whole
    word occurs elsewhere."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first or second
    head = first.split()[-1].strip(_WORD_EDGES).casefold()
    tail = second.split()[0].strip(_WORD_EDGES).casefold()
    head_letters = re.search(r"(?<![^\W\d_])[^\W\d_]*$", first).group(0).casefold()  # type: ignore[union-attr]
    tail_letters = re.match(r"[^\W\d_]*", second).group(0).casefold()  # type: ignore[union-attr]
    if first.endswith("-") and re.search(r"\w-$", first):
        if not second[0].islower() or re.search(r"[/@]|www\.", head + tail):
            return first + second
        stem = head.rstrip("-")
        choice = hyphen_choice(stem, tail_letters or tail, words)
        if isinstance(words, Vocabulary):
            words.hyphens.setdefault(f"{stem}-{tail_letters or tail}", choice)
        return first[:-1] + second if choice == JOINED_SEEN else first + second
    if words and head_letters and tail_letters and second[0].islower():
        whole = re.search(r"(?<![^\W\d_])[^\W\d_]+$", head + tail_letters)
        if whole and whole.group(0) in words and head_letters not in words:
            return first + second
    return join_fragments(first, second)


class WrappedText:
    """Visual lines joined one by one (`join_wrapped`) in time linear in their total length.

    `join_wrapped` reads only the end of the text so far (its last word, a trailing hyphen), so
    all but the last `_KEEP` characters are set aside as they pass: joining onto the whole text
    would copy and rescan it for every line, which is quadratic in a paragraph of many lines."""

    _KEEP = 1_000

    __slots__ = ("_done", "_tail", "_words")

    def __init__(self, words: set[str] | None = None) -> None:
        self._done: list[str] = []
        self._tail = ""
        self._words = words

    def add(self, line: str, *, glued: bool = False) -> None:
        """Join `line` on (`glued`: with no space and no hyphen decision, a cut word)."""
        self._tail = (
            self._tail + line.lstrip() if glued else join_wrapped(self._tail, line, self._words)
        )
        if len(self._tail) > 4 * self._KEEP:
            cut = len(self._tail) - self._KEEP
            self._done.append(self._tail[:cut])
            self._tail = self._tail[cut:]

    def text(self) -> str:
        return "".join(self._done) + self._tail


def body_size(glyphs: list[Glyph]) -> float:
    """The size most characters of `glyphs` are set in (to a tenth of a point)."""
    # exact sizes are counted first, then rounded: the same counts, met in the same order,
    # with one rounding per distinct size rather than per glyph
    exact = Counter(g.size for g in glyphs if not g.text.isspace())
    sizes: Counter[float] = Counter()
    for size, count in exact.items():
        if size != size:  # NaN (a damaged text matrix): each glyph counts on its own
            sizes = Counter(round(g.size, 1) for g in glyphs if not g.text.isspace())
            break
        sizes[round(size, 1)] += count
    return sizes.most_common(1)[0][0] if sizes else 0.0


def group_lines(glyphs: list[Glyph]) -> list[VisualLine]:
    """Group glyphs into visual lines, top to bottom.

    Glyphs are clustered by baseline; a cluster of smaller glyphs whose box overlaps a line of
    larger ones (a superscript footnote marker, an exponent) is folded into that line."""
    ordered = sorted((g for g in glyphs if g.text.strip()), key=_BY_BASELINE)
    clusters: list[list[Glyph]] = []
    last: list[Glyph] = []
    last_bottom = 0.0
    for glyph in ordered:
        bottom = glyph.bottom
        if last:
            tolerance = max(1.0, 0.12 * glyph.size)
            if abs(bottom - last_bottom) <= tolerance:
                last.append(glyph)
                last_bottom = bottom
                continue
        last = [glyph]
        last_bottom = bottom
        clusters.append(last)
    lines = [VisualLine(cluster, size=body_size(cluster)) for cluster in clusters]
    lines = _fold_small_lines(lines)
    for line in lines:
        line.text = line_text(line, ordered=True)
    return [line for line in lines if line.text]


def _fold_small_lines(lines: list[VisualLine]) -> list[VisualLine]:
    boxes = [
        (min(g.top for g in ln.glyphs), max(g.bottom for g in ln.glyphs), ln.x0, ln.x1)
        for ln in lines
    ]
    body_boxes = [(ln.top, ln.bottom) for ln in lines]
    # Only lines whose body box overlaps this one's can host it: found by bisection over the
    # lines ordered by top, not by comparing every pair (a page of many lines stays linear).
    by_top = sorted(range(len(lines)), key=lambda i: body_boxes[i][0])
    tops = [body_boxes[i][0] for i in by_top]
    tallest = max((bottom - top for top, bottom in body_boxes), default=0.0)
    kept: list[VisualLine] = []
    for index, line in enumerate(lines):
        host, best = None, 0.0
        top, bottom, x0, x1 = boxes[index]
        near = sorted(by_top[bisect_left(tops, top - tallest) : bisect_right(tops, bottom)])
        for other_index in near:
            other = lines[other_index]
            if other is line or other.size < line.size * 1.2:
                continue
            other_top, other_bottom = body_boxes[other_index]
            overlap = min(bottom, other_bottom) - max(top, other_top)
            margin = 2 * other.size  # the small glyphs sit within or right next to the line
            beside = x0 <= boxes[other_index][3] + margin and x1 >= boxes[other_index][2] - margin
            if overlap > best and beside:
                host, best = other, overlap
        if host is None:
            kept.append(line)
        else:
            host.glyphs.extend(line.glyphs)
    for line in kept:
        line.glyphs.sort(key=lambda g: g.x0)
    return kept


def line_text(line: VisualLine, *, ordered: bool = False) -> str:
    """Text of a visual line: spaces from gaps, raised small digits as superscript digits.
    `ordered`: the line's glyphs are already in left-to-right order (`group_lines`)."""
    out: list[str] = []
    previous: Glyph | None = None
    small = line.size * 0.85
    baseline = max(g.bottom for g in line.glyphs if g.size >= small)
    raised_below = baseline - 0.15 * line.size
    for glyph in line.glyphs if ordered else sorted(line.glyphs, key=_X0):
        text = glyph.text
        if text in _LIGATURES:
            text = _LIGATURES[text]
        elif text.startswith("(cid:") and _UNMAPPED.match(text):
            # A glyph without a Unicode mapping: at the head of a line it is a list bullet
            # (often drawn from a symbol font); elsewhere it cannot be read and is dropped.
            text = "•" if previous is None else ""
        raised = glyph.size < small and glyph.bottom < raised_below
        if raised and text.isdigit():
            text = text.translate(SUPERSCRIPT)
        if previous is not None and out and not out[-1].endswith(" "):
            gap = glyph.x0 - previous.x1
            if gap > 0.15 * min(previous.size, glyph.size) and not raised:
                out.append(" ")
        out.append(text)
        previous = glyph
    return _BLANK_RUN.sub(" ", "".join(out)).strip()


def is_footnote_start(text: str) -> bool:
    return bool(_FOOTNOTE_START.match(text))


def is_bullet_start(text: str) -> bool:
    return bool(_BULLET_START.match(text)) and len(text) > 1


def paragraphs(lines: list[VisualLine], words: set[str] | None = None) -> list[Paragraph]:
    """Join consecutive visual lines of one paragraph (lines sorted top to bottom)."""
    result: list[Paragraph] = []
    for line in lines:
        if result and _continues(result[-1].lines[-1], line):
            result[-1].lines.append(line)
            continue
        result.append(
            Paragraph(
                [line],
                footnote=is_footnote_start(line.text),
                bullet=is_bullet_start(line.text),
                words=words,
            )
        )
    return result


def _continues(previous: VisualLine, line: VisualLine) -> bool:
    if is_footnote_start(line.text) or is_bullet_start(line.text):
        return False
    if abs(previous.size - line.size) > 0.1 * max(previous.size, line.size):
        return False
    gap = line.top - previous.bottom
    return -0.5 * line.size < gap <= 0.5 * line.size


def continues_across_pages(previous: Paragraph, following: Paragraph, right_edge: float) -> bool:
    """Whether the first paragraph of a page goes on with the last one of the page before.

    It does when the word that starts the new page would not have fitted at the end of the
    previous line (so the line was full) and the previous text does not end a sentence, or the
    new page starts in lower case."""
    if following.footnote or following.bullet or previous.footnote:
        return False
    last, first = previous.lines[-1], following.lines[0]
    if abs(last.size - first.size) > 0.1 * max(last.size, first.size):
        return False
    first_word = first.text.split()[0]
    word_width = _width_of_first_word(first, len(first_word))
    if word_width > 0.4 * (right_edge - last.x0):
        # a word this long (a web address) says nothing about where the line had to end
        full = last.x1 > right_edge - 2 * last.size
    else:
        full = last.x1 + 0.3 * last.size + word_width > right_edge
    starts_lower = first.text[:1].islower()
    return full and (starts_lower or not _TERMINAL.search(last.text))


def _width_of_first_word(line: VisualLine, length: int) -> float:
    glyphs = [g for g in line.glyphs if not g.text.isspace()][:length]
    return glyphs[-1].x1 - glyphs[0].x0 if glyphs else 0.0


def furniture_keys(pages: list[list[VisualLine]], heights: list[float]) -> set[str]:
    """Running headers and footers: the same text (digits aside) in the top or bottom band of
    at least half the pages (three or more)."""
    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys = {furniture_key(line, height) for line in lines}
        counts.update(key for key in keys if key)
    needed = max(3, len(pages) // 2)
    return {key for key, count in counts.items() if count >= needed}


def furniture_key(line: VisualLine, height: float) -> str | None:
    """A key for a line in the top or bottom 8% of the page, None for other lines."""
    band = 0.08 * height
    if band < line.top < height - band:
        return None
    return ("top:" if line.top <= band else "bottom:") + re.sub(r"\d+", "#", line.text.casefold())


def is_page_furniture(line: VisualLine, height: float, running: set[str]) -> bool:
    """A running header/footer, or a lone page number in the top or bottom band."""
    key = furniture_key(line, height)
    if key is None:
        return False
    return key in running or bool(_PAGE_NUMBER.match(line.text.strip(" -–—")))
