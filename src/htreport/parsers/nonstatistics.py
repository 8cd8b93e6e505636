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


#: Masking only writes spaces, so what the text did not hold before a mask it does not hold
#: after one: a mask whose needs (below) the text does not meet is not run. Each need is
#: cheaper to find than the mask, whose pattern mostly starts with a look-behind (tried at
#: every position, where a pattern that starts with a character is scanned for quickly).
_URL, _EMAIL, _REFERENCE_MARK, _PHONE, _FILE_SIZE, _LIST_NUMBER, _PAREN_NUMBER, _FURNITURE = MASKS
_DIGIT = re.compile(r"\d")
_PHONE_DIGITS = re.compile(r"\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}")  # a phone number's core
#: A file size's unit after the end of its number (bounded: linear in a list of numbers).
_FILE_SIZE_UNIT = re.compile(r"[\d.,]\s?(?:[kmgt]i?b|bytes?|[kmg]o)\b", re.I)
_FURNITURE_WORDS = ("download", "view", "share", "like", "comment", "retweet")
_MARKER = re.compile(r"\d[.)]\s")  # an enumeration marker's end: "1) ", "2. "


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _may_be_furniture(text: str) -> bool:
    if not text.isascii():  # IGNORECASE matches letters that lower() does not give (K, ſ)
        return True
    lowered = text.lower()
    return any(word in lowered for word in _FURNITURE_WORDS)


def mask(text: str) -> str:
    """`text` with what holds digits but no statistic blanked (same length, same offsets)."""
    if "://" in text or "www." in text.lower():
        text = _URL.sub(_blank, text)
    if "@" in text:
        text = _EMAIL.sub(_blank, text)
    if _DIGIT.search(text) is None:
        return text  # the other masks all need a digit
    if "[" in text:
        text = _REFERENCE_MARK.sub(_blank, text)
    if _PHONE_DIGITS.search(text):
        text = _PHONE.sub(_blank, text)
    if _FILE_SIZE_UNIT.search(text):
        text = _FILE_SIZE.sub(_blank, text)
    text = _LIST_NUMBER.sub(_blank, text)  # anchored at the start: one try
    if "(" in text:
        text = _PAREN_NUMBER.sub(_blank, text)
    if _may_be_furniture(text):
        text = _FURNITURE.sub(_blank, text)
    return _mask_enumeration(text) if _MARKER.search(text) else text


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
