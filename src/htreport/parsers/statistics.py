"""Statistics: every quantitative claim in the prose, one record per number.

Each statistic has its value, unit (count, CAD, USD, percent), what it counts (the words after
the number up to a function word or punctuation), qualifiers ("approximately", "up to",
"annually", "over five years"), its time reference (from its own sentence, the one nearest the
number; a bullet without one takes that of its list's lead-in line, "... (to August 2015) ...:"),
the departments its paragraph names, and the sentence itself. Earlier sentences of a paragraph
are not used: "Approximately 320 officials have benefited so far" is not "in April 2014".

The scanner works on clean text (markup and footnote markers gone, paragraphs whole again),
never on line layout, so a report gives the same statistics from its text and its PDF.

What counts: whole numbers in digits ("208", "31,454", and "31, 454" repaired with a
`repaired-number` warning), number words ("eight", "Twenty-six"), money ("$500,000",
"$57.22 million" = 57,220,000 CAD) and percentages.

What does not count (each a general rule):

- years (a plain four-digit number from 1800 to 2099) and days of a month ("June 6", "28 November");
- numbers joined to another number or a word by `-`, `/` or `:` (fiscal years 2014-2015,
  ranges 12-25, phone numbers 1-855-850-4640, ISO dates, "4-Ps", "two-day", times 9:30);
- numbers glued to letters: ordinals ("52nd", "7th") and names ("G20");
- identifiers: a number after chapter, section, part, task, objective, resolution, article,
  target, page, p., no., bill, ISBN, ... (and the list that follows it: "targets 5.2, 8.7,
  and 16"), and any bare decimal without a unit ("Alliance 8.7");
- durations: a number of years, months, weeks, days or hours ("over five years") is kept as a
  qualifier of the statistic it belongs to, not as a statistic;
- URLs, e-mail addresses, Wikipedia reference marks ([1]) and reference-list entries;
- "one", which in prose is mostly a pronoun ("one focusing on ..."), and capitalised number
  words inside a sentence, which are names ("Border Five");
- file sizes, in links or not: "PDF Version (927 KB)", "2.3 MB", "512 bytes";
- list and section numbers: an item's own number ("1. Empowerment", "2) Prevention", "(3)"),
  the markers of an enumeration in a paragraph ("1) raising awareness; 2) protecting ..."),
  and a number after area, pillar, priority, theme, activity, initiative, outcome,
  recommendation, figure, table, appendix, chart, stream, component, module, round or stage
  ("Action Area 1", "Pillar 5", "Table 2");
- page furniture: counts of downloads, views, shares, likes or comments ("5 downloads",
  "22 Views", "Shares: 14");
- table-of-contents numbers: a page number after dot leaders ("Foreword ..... 1"), and the
  trailing numbers of a run of three or more short lines that each end with one ("Foreword 1",
  "Introduction 4", ...), even without a "Contents" heading.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from htreport.document import warning_at
from htreport.model import numbers
from htreport.model.departments import Registry
from htreport.model.plain import ExtractionWarning, Statistic
from htreport.parsers import nonstatistics
from htreport.parsers.prose import Block, departments_named, sentences

#: English month names count only capitalised ("10 may be" is no date); French ones in any case.
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|"
    "(?i:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre)"
)
_TIME_UNITS = r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)"
#: Atomic: a number is taken whole, so a list of numbers ("9,9,9") has one reading, not 2^n.
_NUMBER = rf"(?>\d[\d,.]*|{numbers.NUMBER_WORDS_REGEX})"


_REFERENCE_ENTRY = re.compile(r"^\d+\.\s*\^")  # "1. ^ Author (2008). Title ..."

_MONEY = re.compile(
    r"(?<![\w$])(?P<currency>US\$|CA\$|C\$|\$)\s?(?P<digits>\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<mult>thousand|million|billion|bn|[kmb])\b)?",
    re.I,
)
_PERCENT = re.compile(r"(?<![\w.,])(?P<digits>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)
_DIGITS = re.compile(
    r"(?<![\w.,$])(?P<digits>\d{1,3}(?:,\s?\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s+(?P<mult>thousand|million|billion)\b)?"
)
_WORDS_TEXT = rf"(?<![\w-]){numbers.NUMBER_WORDS_REGEX}"
_WORDS = re.compile(_WORDS_TEXT, re.I)
#: `_WORDS` for lower-case ASCII text (see `_AFTER_REFERENCE_LOWER`).
_WORDS_LOWER = re.compile(_WORDS_TEXT)
_DIGIT = re.compile(r"\d")

_JOINER = re.compile(r"^[-–—/:]\s?[\w$]")  # 2014-2015, 4-Ps, two-day, 9:30, 2014/15
_JOINED_BEFORE = re.compile(r"[\w][-–—/:]$")
_LIST_BEFORE = re.compile(r"\d\s*+,\s*+$")
_LIST_AFTER = re.compile(r"\s*+,\s*+\d")
_GLUED = re.compile(r"^[A-Za-z]")
_REFERENCE_WORDS = (
    r"chapters?|sections?|parts?|tasks?|objectives?|resolutions?|articles?|targets?|goals?|"
    r"pages?|pp?\.|nos?\.|numbers?|bills?|isbn|annex|items?|steps?|phases?|volumes?|vol\.|"
    r"editions?|ed\.|clauses?|paragraphs?|para\.|schedules?|versions?|levels?|tiers?|grades?|"
    r"recommendations? no\.?|s\.|ss\.|areas?|pillars?|priorit(?:y|ies)|themes?|"
    r"activit(?:y|ies)|initiatives?|outcomes?|recommendations?|figures?|tables?|appendi(?:x|ces)|"
    r"charts?|streams?|components?|modules?|rounds?|stages?"
)
_AFTER_REFERENCE_TEXT = rf"\b(?:{_REFERENCE_WORDS})\s*(?:(?>[\d.]+[a-z]?)(?>\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|to)\s+))*+$"
_AFTER_REFERENCE = re.compile(_AFTER_REFERENCE_TEXT, re.I)
#: The same, for lower-case ASCII text: it finds what `_AFTER_REFERENCE` finds in the text
#: (ASCII letters are all IGNORECASE folds), several times faster, as the regex engine skips
#: an alternative by its first letter only when the case must match.
_AFTER_REFERENCE_LOWER = re.compile(_AFTER_REFERENCE_TEXT)
_DAY_BEFORE_MONTH = re.compile(rf"^(?:st|nd|rd|th)?(?:\s+(?:of\s+)?)(?:{_MONTHS})\b")
_DAY_AFTER_MONTH = re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:\d{{1,2}}\s*(?:,|and|to|-|–)\s*)*$")
#: The longest name in `_MONTHS` ("September", "septembre"), and the characters that may
#: stand between a month and the number `_DAY_AFTER_MONTH` ends at (with white space and
#: digits): `_day_after_month` searches only from where they start.
_LONGEST_MONTH = 9
_DAY_LIST_CHARACTERS = frozenset(".,andto-–")
_DURATION_AFTER = re.compile(
    rf"^(?:(?:\s*+,\s*+|\s++)(?:and\s+|or\s+)?{_NUMBER})*+\s*[-\s]?{_TIME_UNITS}\b", re.I
)
_QUALIFIER_BEFORE = re.compile(
    r"\b(?P<q>approximately|approx\.|about|around|roughly|nearly|almost|just over|just under|"
    r"over|more than|less than|fewer than|at least|at most|up to|as many as|as much as|"
    r"some|only|under|close to|an estimated|estimated|a total of|total of|in excess of)\s+$",
    re.I,
)
_QUALIFIER_AFTER = re.compile(
    r"^\s*(?P<q>annually|per year|a year|each year|per annum|yearly|monthly|per month|"
    r"per \w+|or more|and more|\+)",
    re.I,
)
_DURATION_QUALIFIER = re.compile(
    rf"\b(?P<q>(?:over|for|during|within|across)\s+(?:the\s+(?:next|following|past)\s+)?"
    rf"{_NUMBER}\s+{_TIME_UNITS})\b",
    re.I,
)
_YEAR = r"(?:18|19|20)\d{2}(?:\s*[-–/]\s*(?:\d{4}|\d{2})(?!\d))?"
_TIME_REF = re.compile(
    rf"\b(?P<ref>(?P<prep>since|in|during|as of|to|until|till|by|from|throughout|before|after|"
    rf"starting in|beginning in|for)\s+"
    rf"(?:the\s+(?:beginning|end|start|middle|course)\s+of\s+)?(?:(?:early|late|mid-?)\s*)?"
    rf"(?:(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?)?"
    rf"(?:(?:{_MONTHS})\.?,?\s+(?:(?:and|to|-|–)\s+(?:{_MONTHS})\.?,?\s+)?(?:\d{{1,2}},?\s+)?(?:of\s+)?)?"
    rf"(?:fiscal\s+year\s+)?{_YEAR})\b",
    re.I,
)
_COUNTED_STOP = frozenset(
    "of in on at for from to with by since who that which whom whose where when while were was "
    "have has had are is be been being will would can could may might must should and or but as "
    "per during through throughout across into under over including before after within than "
    "the a an this these those it its their his her they we our were also not".split()
)
_COUNTED_SKIP = frozenset("annually yearly monthly thereafter".split())
_MAX_COUNTED_WORDS = 5
#: How far before or after a number the context rules look: searching only this window keeps
#: a sentence of many numbers linear (each rule anchors at the number; none needs more).
_WINDOW = 200
#: The longest sentence a statistic quotes whole; of a longer one (a run-on list, OCR text
#: without full stops) it quotes this much around its number, so the output stays linear in
#: the input rather than a copy of the run-on sentence per number.
_MAX_QUOTE = 1_000


class StatisticsResult(NamedTuple):
    statistics: list[Statistic]
    warnings: list[ExtractionWarning]


class _Number(NamedTuple):
    start: int
    end: int
    value: int | float | None  # None: too large to be exact (`problem` says why)
    unit: str
    raw: str
    repaired: bool = False
    problem: str | None = None


def parse(blocks: list[Block], registry: Registry) -> StatisticsResult:
    """Every statistic in `blocks` (paragraphs, bullets, footnotes), in text order."""
    statistics: list[Statistic] = []
    warnings: list[ExtractionWarning] = []
    lead_in_time: str | None = None
    contents = nonstatistics.contents_blocks(blocks)
    for position, block in enumerate(blocks):
        if position in contents:
            continue
        if block.kind == "paragraph":
            lead_in_time = (
                _first_time_ref(block.text) if block.text.rstrip().endswith(":") else None
            )
        if _REFERENCE_ENTRY.match(block.text):
            continue
        found = find_numbers(block.text)
        departments = departments_named(block.text, registry) if found else []
        spans = sentences(block.text)
        starts = [start for start, _ in spans]
        time_refs: dict[int, _TimeRefs] = {}  # per sentence, found once
        for number in found:
            line = block.line_at(number.start)
            if number.value is None:
                warnings.append(
                    warning_at(
                        line,
                        "number-too-large",
                        f"kept {number.raw!r} as text, not a statistic: {number.problem}",
                    )
                )
                continue
            which = bisect_right(starts, number.start) - 1
            if which >= 0 and number.start < spans[which][1]:
                start, end = spans[which]
            else:
                which, (start, end) = -1, (0, len(block.text))
            sentence = block.text[start:end]
            at = number.start - start
            if which not in time_refs:
                time_refs[which] = _TimeRefs(sentence)
            time_ref = time_refs[which].nearest(at)
            if time_ref is None and block.kind == "bullet":
                time_ref = lead_in_time
            statistics.append(
                Statistic(
                    value=number.value,
                    unit=number.unit,
                    counted=_counted(sentence, number.end - start, number.unit),
                    qualifiers=_qualifiers(sentence, at, number.end - start),
                    time_ref=time_ref,
                    section=block.section,
                    departments=departments,
                    raw=number.raw,
                    sentence=_quoted(sentence, at, number.end - start),
                    provenance=block.provenance_of(number.start, number.end),
                )
            )
            if number.repaired:
                warnings.append(
                    warning_at(
                        line,
                        "repaired-number",
                        f"read {number.raw!r} as {number.value:,} (a space inside a thousands group)",
                    )
                )
    return StatisticsResult(statistics, warnings)


def find_numbers(text: str) -> list[_Number]:
    """The numbers in `text` that state a quantity (see the module rules), in order."""
    masked = nonstatistics.mask(text)
    return _numbers_in(text, masked, masked.lower() if masked.isascii() else None)


def _numbers_in(text: str, masked: str, lowered: str | None) -> list[_Number]:
    """`find_numbers` of `text`, once masked. `lowered`: the masked text in lower case when it
    is ASCII, for the faster patterns (`_AFTER_REFERENCE_LOWER`), else None."""
    occupied = bytearray(len(text) + 1)  # 1 where a number already found stands
    found: list[_Number] = []

    def free(start: int, end: int) -> bool:
        return not any(occupied[start:end])

    def take(span: tuple[int, int]) -> None:
        occupied[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

    may_hold_money, may_hold_percent, may_hold_digits = _may_hold(masked, lowered)
    for match in _MONEY.finditer(masked) if may_hold_money else ():
        currency = match.group("currency").upper()
        unit = "USD" if currency == "US$" else "CAD"
        found.append(_make(text, match, match.group("digits"), match.group("mult"), unit))
        take(match.span())
    for match in _PERCENT.finditer(masked) if may_hold_percent else ():
        if free(*match.span()):
            found.append(_make(text, match, match.group("digits"), None, "percent"))
            take(match.span())
    for match in _DIGITS.finditer(masked) if may_hold_digits else ():
        digits = match.group("digits")
        if not free(*match.span()) or not _is_quantity(
            masked, match.start(), match.end("digits"), lowered
        ):
            continue
        if _is_list_not_group(masked, match):
            continue
        if ("." in digits and not match.group("mult")) or _is_year(digits):
            continue  # a bare decimal is an identifier (5.2, 8.7); a plain year is a date
        found.append(_make(text, match, digits, match.group("mult"), "count"))
        take(match.span())
    word_runs = _WORDS.finditer(masked) if lowered is None else _WORDS_LOWER.finditer(lowered)
    for match in word_runs:
        if not free(*match.span()) or not _is_quantity(masked, match.start(), match.end(), lowered):
            continue
        words = masked[match.start() : match.end()]
        if words.casefold() == "one" or (
            words[0].isupper() and not _starts_sentence(masked, match.start())
        ):
            continue
        try:
            counted: int | float | None = numbers.parse_number_words(words)
            problem = None
        except numbers.NumberTooLarge as error:
            counted, problem = None, str(error)
        if counted is not None or problem is not None:
            raw = text[match.start() : match.end()]
            found.append(
                _Number(*match.span(), counted, "count", raw, numbers.is_damaged(raw), problem)
            )
            take(match.span())
    return sorted(found, key=lambda number: number.start)


def _may_hold(masked: str, lowered: str | None) -> tuple[bool, bool, bool]:
    """Whether a masked text may hold money, a percentage and a count in digits, as found
    much faster than by scanning for them: all need a digit, money a "$", a percentage "%"
    or "per" ("percent", "per cent", in any case)."""
    if _DIGIT.search(masked) is None:
        return False, False, False
    return "$" in masked, "%" in masked or lowered is None or "per" in lowered, True


def _make(
    text: str, match: re.Match[str], digits: str, multiplier: str | None, unit: str
) -> _Number:
    """The number `match` found: its exact value, or None and why when it is too large."""
    raw = text[match.start() : match.end()]
    try:
        value: int | float | None = numbers.scale(numbers.parse_digits(digits), multiplier)
        problem = None
    except numbers.NumberTooLarge as error:
        value, problem = None, str(error)
    return _Number(
        match.start(), match.end(), value, unit, raw, numbers.is_damaged(raw), problem=problem
    )


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2099


def _is_list_not_group(text: str, match: re.Match[str]) -> bool:
    """ "5, 10, 200": a damaged thousands group inside a list of numbers is a list after all."""
    if ", " not in match.group("digits"):
        return False
    return bool(
        _LIST_BEFORE.search(text, max(0, match.start() - _WINDOW), match.start())
        or _LIST_AFTER.match(text, match.end(), match.end() + _WINDOW)
    )


def _is_quantity(text: str, start: int, end: int, lowered: str | None = None) -> bool:
    """False for numbers the module rules exclude: joined, glued, identifiers, days, durations.

    `lowered`: `text.lower()` when `text` is ASCII (faster to search for identifiers)."""
    lo = max(0, start - _WINDOW)
    after = text[end : end + _WINDOW]
    # `_JOINED_BEFORE` ends at `start`, or before a newline there: it is in the last 3 characters
    joined = _JOINED_BEFORE.search(text, max(lo, start - 3), start)
    if _JOINER.match(after) or joined or _GLUED.match(after):
        return False
    last = text[start - 1 : start]
    if last in ("#", "§") or (last.isascii() and last.isalpha()):
        return False
    if lowered is not None:
        if _AFTER_REFERENCE_LOWER.search(lowered, lo, start):
            return False
    elif _AFTER_REFERENCE.search(text, lo, start):
        return False
    if _DAY_BEFORE_MONTH.match(after) or _day_after_month(text, lo, start):
        return False
    return not _DURATION_AFTER.match(after)


def _day_after_month(text: str, lo: int, start: int) -> bool:
    """`_DAY_AFTER_MONTH.search(text, lo, start)`, searched from where it can match: what
    follows the month is made of `_DAY_LIST_CHARACTERS`, white space and digits, so the month
    ends after the last other character before `start`, and starts at most
    `_LONGEST_MONTH` characters before its end."""
    stop = start
    while stop > lo:
        character = text[stop - 1]
        if not (character in _DAY_LIST_CHARACTERS or character.isspace() or character.isdecimal()):
            break
        stop -= 1
    return _DAY_AFTER_MONTH.search(text, max(lo, stop - _LONGEST_MONTH), start) is not None


def _starts_sentence(text: str, start: int) -> bool:
    lo = max(0, start - _WINDOW)
    before = text[lo:start].rstrip(" \"'“‘(")
    if not before:
        return lo == 0
    return before.endswith((".", "!", "?", ":", ";", "-", "•"))


def _counted(sentence: str, end: int, unit: str) -> str:
    """What the number counts: the words after it up to a function word or punctuation."""
    clause = re.split(r"[,;:()\[\].!?]", sentence[end : end + _WINDOW], maxsplit=1)[0]
    words = [w for w in clause.split() if w.casefold() not in _COUNTED_SKIP]
    counted = []
    for word in words:
        if word.casefold() in _COUNTED_STOP or word.startswith("$") or word[0].isdigit():
            break
        counted.append(word)
        if len(counted) == _MAX_COUNTED_WORDS:
            break
    if counted:
        return " ".join(counted)
    if unit in ("CAD", "USD"):
        return "dollars"
    if unit == "percent":
        return "percent"
    return " ".join(words[:_MAX_COUNTED_WORDS])  # "three before the courts"


def _qualifiers(sentence: str, start: int, end: int) -> list[str]:
    qualifiers = []
    before = _QUALIFIER_BEFORE.search(sentence, max(0, start - _WINDOW), start)
    if before:
        qualifiers.append(before.group("q").casefold())
    after = _QUALIFIER_AFTER.match(sentence[end : end + _WINDOW])
    if after:
        qualifiers.append(after.group("q").casefold())
    following = re.split(r"[;.]|\$", sentence[end : end + _WINDOW], maxsplit=1)[0]
    following = " ".join(following.split()[:8])
    duration = _DURATION_QUALIFIER.search(following)
    if duration:
        qualifiers.append(" ".join(duration.group("q").split()))
    return qualifiers


def _quoted(sentence: str, start: int, end: int) -> str:
    """The sentence a statistic quotes: whole, or `_MAX_QUOTE` characters around the number,
    cut at spaces, when it is longer."""
    if len(sentence) <= _MAX_QUOTE:
        return sentence.strip()
    lo = max(0, start - _MAX_QUOTE // 2)
    hi = min(len(sentence), end + _MAX_QUOTE // 2)
    if lo > 0 and " " in sentence[lo:start]:
        lo = sentence.index(" ", lo, start) + 1
    if hi < len(sentence) and " " in sentence[end:hi]:
        hi = sentence.rindex(" ", end, hi)
    return sentence[lo:hi].strip()


class _TimeRefs:
    """The time references of one sentence, found once; `nearest` is a binary search, so a
    sentence of many numbers (a list "9, 9, 9, ...") costs its length once, not per number."""

    __slots__ = ("_ends", "_matches")

    def __init__(self, sentence: str) -> None:
        self._matches = list(_TIME_REF.finditer(sentence))
        self._ends = [match.end() for match in self._matches]

    def nearest(self, at: int) -> str | None:
        """The reference closest to offset `at` (before it if equally close)."""
        after = bisect_right(self._ends, at)  # matches before it end at or before `at`
        best: tuple[int, re.Match[str]] | None = None
        for match in self._matches[max(0, after - 1) : after + 2]:
            end = match.end()
            distance = abs(at - end if end <= at else match.start() - at + 1)
            if best is None or distance < best[0]:
                best = (distance, match)
        return _normal_ref(best[1]) if best else None


def _first_time_ref(text: str) -> str | None:
    match = _TIME_REF.search(text)
    return _normal_ref(match) if match else None


def _normal_ref(match: re.Match[str]) -> str:
    ref = " ".join(match.group("ref").split())
    return ref[0].lower() + ref[1:]
