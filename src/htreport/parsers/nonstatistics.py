"""Text that holds numbers but no statistic: masked, or skipped whole, before scanning.

See `statistics` (and docs/documents.md) for the list of what is not a statistic; this module
holds the masks for the classes found by their form (URLs, e-mail addresses, reference marks,
phone numbers, file sizes, list and enumeration markers, page furniture) and the
table-of-contents rule.
"""

from __future__ import annotations

import re

from htreport.parsers.prose import Block

#: Text that can hold digits but no statistic, masked before scanning.
MASKS = [
    re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.I),
    re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail, from a token's start
    re.compile(r"\[\d+\]"),  # Wikipedia reference marks
    re.compile(r"(?:\+?1[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),  # phone numbers
    re.compile(r"(?<![\w.,])\d[\d.,]*+\s?(?:[kmgt]i?b|bytes?|[kmg]o)\b", re.I),  # file sizes
    re.compile(r"^\s*\(?\d{1,3}[.)](?=\s)"),  # the number of a list item: "1.", "2)"
    re.compile(r"(?<![\w)])\(\d{1,2}\)(?=\s)"),  # "(3)" in an enumeration
    re.compile(  # page furniture: counts of downloads, views, shares, likes, comments
        r"(?<![\w.,])\d[\d,]*+\s*+(?:downloads?|views?|shares?|likes?|comments?|retweets?)\b"
        r"|\b(?:downloads?|views?|shares?|likes?|comments?)\s*:\s*\d[\d,]*+",
        re.I,
    ),
]
_TOC_RUN = 3
_TOC_MAX_WORDS = 12


def contents_blocks(blocks: list[Block]) -> set[int]:
    """Blocks that are table-of-contents entries: a page number after dot leaders, or one of a
    run of short lines that each end with a page number."""
    contents = {i for i, block in enumerate(blocks) if _after_leaders(block.text)}
    run: list[int] = []
    for i, block in enumerate([*blocks, None]):
        if block is not None and _ends_with_page(block.text):
            run.append(i)
            continue
        if len(run) >= _TOC_RUN:
            contents.update(run)
        run = []
    return contents


def _after_leaders(text: str) -> bool:
    """A page number after dot leaders ("Annex ........ 12"), checked from the end of the text
    (linear however long the run of dots)."""
    words = text.rstrip().rsplit(None, 1)
    if len(words) == 2 and words[1].isdigit() and len(words[1]) <= 3:
        return words[0].rstrip().endswith(("..", "…"))
    head = text.rstrip()
    digits = len(head) - len(head.rstrip("0123456789"))
    return 0 < digits <= 3 and head[:-digits].endswith(("..", "…"))


def _ends_with_page(text: str) -> bool:
    """A short line, not a sentence, whose last word is a page number ("Introduction 4")."""
    words = text.split()
    return (
        1 < len(words) <= _TOC_MAX_WORDS
        and words[-1].isdigit()
        and len(words[-1]) <= 3
        and not words[-2][-1:].isdigit()
        and not any(mark in text for mark in ".!?;:")
    )


#: MASKS[0] needs "://" or "www.", MASKS[1] an "@", the others a digit (`\d`). Masking only
#: writes spaces, so what the text did not hold before a mask it does not hold after one.
_URL, _EMAIL = MASKS[0], MASKS[1]
_NEEDS_DIGIT = MASKS[2:]
_DIGIT = re.compile(r"\d")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def mask(text: str) -> str:
    """`text` with what holds digits but no statistic blanked (same length, same offsets).

    A mask that cannot match (no "://" or "www." for a URL, no "@" for an e-mail address,
    no digit for the rest) is not run: the result is the same, found without the scans."""
    if "://" in text or "www." in text.lower():
        text = _URL.sub(_blank, text)
    if "@" in text:
        text = _EMAIL.sub(_blank, text)
    if _DIGIT.search(text) is None:
        return text  # no digit: no enumeration marker either
    for pattern in _NEEDS_DIGIT:
        text = pattern.sub(_blank, text)
    return _mask_enumeration(text)


_ENUMERATION = re.compile(r"(?<![\w.,$])\(?(?P<n>\d{1,2})[.)](?=\s)")


def _mask_enumeration(text: str) -> str:
    """Blank the markers of an enumeration inside a paragraph ("1) raising awareness; 2) ...",
    "1. prevention; 2. protection"): numbers followed by "." or ")" that count 1, 2, 3 ..."""
    markers = list(_ENUMERATION.finditer(text))
    numbers = [int(m.group("n")) for m in markers]
    counted = [
        m
        for i, m in enumerate(markers)
        if (i + 1 < len(markers) and numbers[i + 1] == numbers[i] + 1)
        or (i > 0 and numbers[i - 1] == numbers[i] - 1)
    ]
    for m in counted:
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text
