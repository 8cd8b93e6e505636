"""Every shortcut the text scanners take gives what the full rules give.

The scanners skip a pattern when the text lacks what it needs (a digit, a "$", a "<"), look
for what a pattern needs before running it, and search lower-case ASCII text with
case-sensitive copies of their IGNORECASE patterns (docs/performance.md, "Eleventh pass").
Each test runs the full rules beside the shortcut, on every line and paragraph of the
shipped and fixture documents and on generated text built from the words the rules look for.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htreport.model import columns, textclean
from htreport.parsers import nonstatistics, sections, statistics
from htreport.parsers.statistics import find_numbers

from .conftest import HERE, RAW_DIR

SOURCES = [
    *sorted(RAW_DIR.glob("*.txt")),
    *sorted((HERE / "fixtures" / "documents").glob("*.txt")),
    HERE / "fixtures" / "formats" / "nap-2014-2015.html",
    HERE / "fixtures" / "formats" / "nap-2014-2015.md",
]


def _document_texts() -> list[str]:
    """Every line of the documents, and each run of lines up to a blank one (a paragraph)."""
    texts: set[str] = set()
    for source in SOURCES:
        text = source.read_text("utf-8")
        texts.update(text.splitlines())
        texts.update(" ".join(part.split("\n")) for part in re.split(r"\n\s*\n", text))
    return sorted(texts)


DOCUMENT_TEXTS = _document_texts()

#: What the rules look for, and what looks like it: numbers in digits and words, money,
#: percentages, identifiers, dates, durations, masks' matter, markup, odd spaces and letters
#: that IGNORECASE folds to ASCII ones (K, the Kelvin sign; ſ, the long s).
PIECES = [
    "12", "1,250", "31, 454", "5.2", "2014", "2014-2015", "9:30", "52nd", "G20", "$", "US$",
    "CA$", "$5", "$57.22 million", "10 thousand", "5%", "8 percent", "12 per cent", "PERCENT",
    "Per Cent", "one", "One", "one one", "ONE", "two", "Twenty-six", "two hundred and five",
    "eight", "EIGHT", "Eight", "thousand", "million", "Table", "TABLE", "Section", "section",
    "targets", "Targets 5.2, 8.7, and", "Pillar", "Recommendation No.", "pp.", "June", "JUNE",
    "juin", "Sept.", "28", "6", "of", "over", "five", "years", "YEARS", "months", "approx.",
    "about", "up to", "annually", "(to August 2015)", "since", "in", "by", "613-555-1234",
    "1 (613) 555-1234", "5 MB", "12 kB", "512 bytes", "2.3 mo", "12 downloads", "Views: 40",
    "SHARES", "Likes", "1)", "2)", "3.", "(3)", "(12)", "[4]", "[12]", "www.example.ca/5",
    "http://x.y/1", "a.b@c.ca", "<i>", "</b>", "<https://x.ca>", "\\*", "*bold*", "_it_",
    "**", "  ", "\t", "\u00a0", "\u2009", "\u200b", "\u3000", "\r", "\x0b", "\u2028", " ,",
    " ;", " .", " )", ",", ";", ":", ".", "-", "/", "\u212a", "\u017f", "\u0131", "é",
    "Canada", "RCMP", "victims", "the", "and", "\n", "12 li\u212aes", "\u017fhares: 14",
    "1)\traising; 2)\tprotecting", "1.\u00a0prevention; 2.\u00a0protection", "5. MB", "2,kB",
]  # fmt: skip


def _generated_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    texts = []
    for _ in range(count):
        pieces = chooser.choices(PIECES, k=chooser.randint(1, 14))
        joiners = chooser.choices([" ", " ", " ", "", ", ", "-", ". "], k=len(pieces))
        texts.append(
            "".join(piece + joiner for piece, joiner in zip(pieces, joiners, strict=True)).strip()
        )
    return texts


GENERATED_TEXTS = _generated_texts(4000, seed=13)
#: Texts for the masks in particular: links in any case, enumerations, digits of other scripts.
MASK_TEXTS = [
    "See WWW.Example.ca/a or HTTP://x.y/1 and Ftp://h/2, mail a.b@c.ca",
    "1) raising awareness; 2) protection; 3) partners",
    "call 1 613-555-1234 or (3) see [12], 5 MB, 12 downloads, views: 40",
    "no digits, no links, no mail here",
    "only a URL www.no-digits.ca and user@host.org",
    "Arabic-Indic digits ١٢٣ and ٤٥٦٧ and a fullwidth ３ (1) x",
]
TEXTS = DOCUMENT_TEXTS + GENERATED_TEXTS + MASK_TEXTS


def test_the_texts_reach_every_shortcut_both_ways() -> None:
    """Each shortcut both skips and runs on these texts, so the comparisons below test it."""
    holds = [statistics._may_hold(t, t.lower() if t.isascii() else None) for t in TEXTS]
    for kind in range(3):
        assert 0 < sum(hold[kind] for hold in holds) < len(TEXTS)
    assert 0 < sum(t.isascii() for t in TEXTS) < len(TEXTS)
    assert sum(bool(find_numbers(t)) for t in GENERATED_TEXTS) > 1000
    assert sum(nonstatistics.mask(t) != t for t in GENERATED_TEXTS) > 500


def _every_mask(text: str) -> str:
    for pattern in nonstatistics.MASKS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return nonstatistics._mask_enumeration(text)


def test_masking_gives_what_every_mask_gives() -> None:
    assert [nonstatistics.mask(t) for t in TEXTS] == [_every_mask(t) for t in TEXTS]


def test_every_furniture_word_is_one_the_mask_is_run_for() -> None:
    """The furniture mask runs only on text holding one of `_FURNITURE_WORDS`: each word its
    pattern names must contain one of them (a word added to the pattern alone would be
    skipped)."""
    pattern = nonstatistics._FURNITURE.pattern
    words = set(re.findall(r"[a-z]+(?=s\?)", pattern))
    assert words >= {"download", "view", "share", "like", "comment", "retweet"}
    assert all(any(need in word for need in nonstatistics._FURNITURE_WORDS) for word in words)


def _every_scan(text: str) -> list:
    """`find_numbers` running every scan, with the IGNORECASE patterns."""
    return statistics._numbers_in(text, _every_mask(text), None)


def test_numbers_are_found_as_every_scan_finds_them(monkeypatch) -> None:
    found = [find_numbers(t) for t in TEXTS]
    monkeypatch.setattr(statistics, "_may_hold", lambda masked, lowered: (True, True, True))
    assert found == [_every_scan(t) for t in TEXTS]


@pytest.mark.parametrize("text", ["Nine of ten", "one one", "One hundred", "ONE", "K9 5 KB"])
def test_number_words_are_found_in_any_case(text, monkeypatch) -> None:
    found = find_numbers(text)
    monkeypatch.setattr(statistics, "_may_hold", lambda masked, lowered: (True, True, True))
    assert found == _every_scan(text)


def test_the_case_sensitive_copies_are_the_ignorecase_patterns() -> None:
    for fast, full in [
        (statistics._WORDS_LOWER, statistics._WORDS),
        (statistics._AFTER_REFERENCE_LOWER, statistics._AFTER_REFERENCE),
    ]:
        assert fast.pattern == full.pattern
        assert full.flags & re.IGNORECASE and not fast.flags & re.IGNORECASE


def _clean_by_every_rule(text: str) -> str:
    """`textclean.clean` with every substitution run, whether the text needs it or not."""
    text = textclean._SPACES.sub(" ", unicodedata.normalize("NFC", text))
    text = textclean._AUTOLINK.sub(r"\1", text)
    text = textclean._TAG.sub(" ", text)
    text = textclean._ESCAPE.sub(r"\1", text)
    for _ in range(textclean._EMPHASIS_PASSES):
        text, changes = textclean._EMPHASIS.subn(r"\2", text)
        if not changes:
            break
    text = textclean._SPACES.sub(" ", text.replace("\n", " ")).strip()
    return textclean._SPACE_BEFORE_PUNCT.sub(r"\1", text + " ").strip()


def test_cleaning_gives_what_every_rule_gives() -> None:
    assert [textclean.clean.__wrapped__(t) for t in TEXTS] == [
        _clean_by_every_rule(t) for t in TEXTS
    ]


@given(
    st.text(alphabet=" \t\n\r\x0b\x85\u00a0\u2003\u200b\u2028\u3000a.,;:)(<>/\\*_1é", max_size=30)
)
@settings(max_examples=500, deadline=None)
def test_cleaning_any_spacing_gives_what_every_rule_gives(text) -> None:
    assert textclean.clean.__wrapped__(text) == _clean_by_every_rule(text)


def _column_by_normal_form(registry: columns.ColumnRegistry, header: str) -> str | None:
    """`column_of` deciding on the normal form alone, without its count of words first, and
    matching a name the key starts with by trying each name, the longest first."""
    key = columns.normalise(header)
    if not key or len(key.split()) > columns._MAX_HEADER_WORDS:
        return None
    if key in registry.names:
        return registry.names[key]
    return next(
        (
            registry.names[name]
            for name in sorted(registry.names, key=len, reverse=True)
            if key.startswith(name + " ")
        ),
        None,
    )


HEADERS = [
    "Lead Department(s)", "Lead (s) Department ( Partner ) (Co-Lead) Agency", "Task",
    "Deliverable(s) (what will be delivered, by whom and by when)", "Status as of March 2015",
    "Timeline / Échéancier", "Responsable(s)", "Ministère(s) responsable(s)", "Date prévue",
    "Key deliverables and the expected results [a] [b] [c] [d] [e] [f]", "Lead: RCMP, CBSA",
    "lead", "LEADS", "Tâche", "Work item / activity / task / sub task / and the rest",
]  # fmt: skip


def test_a_header_is_named_as_its_normal_form_names_it() -> None:
    registry = columns.column_registry()
    cells = HEADERS + DOCUMENT_TEXTS[:3000] + GENERATED_TEXTS[:1000]
    found = [registry.column_of(cell) for cell in cells]
    assert found == [_column_by_normal_form(registry, cell) for cell in cells]
    assert sum(column is not None for column in found) >= 10


def test_a_contents_entry_is_found_as_its_pattern_finds_it() -> None:
    entries = ["Foreword 1", "Annex ........ 12 ", "Introduction…4\n", "Part 2\t", "Page ١٢"]
    texts = entries + TEXTS
    found = [sections._is_toc_entry(text) for text in texts]
    assert found == [sections._TOC_ENTRY.search(text) is not None for text in texts]
    assert found[: len(entries)] == [True] * len(entries)


def _number_starts(text: str) -> list[int]:
    return [match.start() for match in re.finditer(r"\d+|\b[A-Za-z]", text)]


def test_a_day_after_a_month_is_found_as_its_pattern_finds_it() -> None:
    days = ["June 6, 7 and 8", "Sept. 28", "juin 6-7", "JUNE 6", "May\n12", "août 5", "Oct 1,2"]
    days += [
        "September 6 – 7 – 8 – 12",
        "September ٦, ٧, ٨ and 12",
        "September 6,\t7,\u20038 and\u00a012",
    ]
    found, expected = [], []
    for text in days + TEXTS:
        for start in _number_starts(text):
            lo = max(0, start - statistics._WINDOW)
            found.append(statistics._day_after_month(text, lo, start))
            expected.append(statistics._DAY_AFTER_MONTH.search(text, lo, start) is not None)
    assert found == expected
    assert sum(found) > 20


def test_the_longest_month_is_the_longest_name_of_the_pattern() -> None:
    names = re.findall(r"[^\W\d_]+", statistics._MONTHS.replace("(?i:", ""))
    assert statistics._LONGEST_MONTH == max(len(name) for name in names)


def _is_quantity_by_every_rule(text: str, start: int, end: int) -> bool:
    """`statistics._is_quantity` with each rule searched over its whole window."""
    lo = max(0, start - statistics._WINDOW)
    after = text[end : end + statistics._WINDOW]
    if (
        statistics._JOINER.match(after)
        or statistics._JOINED_BEFORE.search(text, lo, start)
        or statistics._GLUED.match(after)
    ):
        return False
    last = text[start - 1 : start]
    if last in ("#", "§") or (last.isascii() and last.isalpha()):
        return False
    if statistics._AFTER_REFERENCE.search(text, lo, start):
        return False
    if statistics._DAY_BEFORE_MONTH.match(after):
        return False
    if statistics._DAY_AFTER_MONTH.search(text, lo, start):
        return False
    return not statistics._DURATION_AFTER.match(after)


def test_a_quantity_is_told_apart_as_every_rule_tells_it() -> None:
    cases = ["the 4-\n5", "a-5", "well/5", "x:\n5", "Table 3", "TABLE 3", "June 6", *TEXTS]
    found, expected = [], []
    for text in cases:
        lowered = text.lower() if text.isascii() else None
        for match in re.finditer(r"\d+|\b[A-Za-z]+", text):
            start, end = match.span()
            found.append(statistics._is_quantity(text, start, end, lowered))
            expected.append(_is_quantity_by_every_rule(text, start, end))
    assert found == expected
    assert 0 < sum(found) < len(found)
