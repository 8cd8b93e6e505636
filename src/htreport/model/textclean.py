"""Cleaning of cell and prose text: HTML remnants, markdown emphasis, escapes, wraps."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
#: Emphasis spans at most `_MAX_EMPHASIS` characters: an opening `*` without a close then costs
#: a bounded look ahead, not a scan to the end of the text (which made runs of `*a` quadratic).
_MAX_EMPHASIS = 300
_EMPHASIS = re.compile(
    rf"(?<![\w*])(\*{{1,3}}|_{{1,3}})(?=\S)(.{{1,{_MAX_EMPHASIS}}}?)(?<=\S)\1(?![\w*])"
)
#: Nested emphasis needs one pass per level; more levels than this are left as they are.
_EMPHASIS_PASSES = 4
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$&%])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
#: With "  ", what `_SPACES` would change. Most text has neither, and finding that is much
#: faster than substituting each single space by itself.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<!\s)\s++([,;:.)](?:\s|$))")
#: What `_SPACE_BEFORE_PUNCT` needs; it starts with a character class, which the regex engine
#: scans for quickly (a pattern that starts with a look-behind is tried at every position).
_SPACE_THEN_PUNCT = re.compile(r"\s[,;:.)]")
FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPERSCRIPT_DIGITS = str.maketrans(FOOTNOTE_MARKS, "1234567890")
_FOOTNOTE_MARK_RUN = re.compile(f"[{FOOTNOTE_MARKS}]+")

#: Word stems that keep their hyphen when a line wrap splits a word after it (anti-trafficking).
_WRAPPED_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-$")
HYPHEN_PREFIXES = frozenset(
    "anti non co cross self multi sub pre post inter intra well long short full part high low "
    "front case law re semi counter ex e".split()
)


def file_name_text(name: str) -> str:
    """A file name as text that always encodes: unchanged when it is UTF-8; otherwise (a name
    decoded with `surrogateescape`, as Python gives names that are not UTF-8) each byte that is
    not UTF-8 is written `\\xHH`, so the original bytes can be read back from it."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate that no file name decoding gives
        return name.encode("utf-8", "backslashreplace").decode("ascii")
    return raw.decode("utf-8", "backslashreplace")


def _fold_spaces(text: str) -> str:
    if "  " in text or _ODD_SPACE.search(text):
        return _SPACES.sub(" ", text)
    return text


def normalize_unicode(text: str) -> str:
    """NFC, with non-breaking and odd spaces folded to plain spaces."""
    return _fold_spaces(unicodedata.normalize("NFC", text))


def strip_markup(text: str) -> str:
    """Remove HTML tags, markdown emphasis and backslash escapes, keeping the words."""
    # each pattern needs its character: without it, the text is left as it is, unscanned
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub(" ", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "*" in text or "_" in text:
        for _ in range(_EMPHASIS_PASSES):  # nested emphasis such as ***bold italic***
            text, changes = _EMPHASIS.subn(r"\2", text)
            if not changes:
                break
    return text


def squash(text: str) -> str:
    """Collapse runs of white space and trim; tidy a space left before punctuation."""
    text = _fold_spaces(text.replace("\n", " ")).strip()
    if _SPACE_THEN_PUNCT.search(text):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text + " ")
    return text.strip()


#: The characters without which `strip_markup` has nothing to remove.
_MARKUP_CHARACTERS = re.compile(r"[<\\*_]")


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """The clean form of a cell or a prose line (remembered: the same cells recur)."""
    if text.isascii() and not _MARKUP_CHARACTERS.search(text):
        # NFC leaves ASCII as it is, and squash folds the spaces: the same, in a third the time
        return squash(text)
    return squash(strip_markup(normalize_unicode(text)))


def strip_footnote_marks(text: str) -> str:
    """Drop superscript footnote markers (departments³ -> departments)."""
    return _FOOTNOTE_MARK_RUN.sub("", text)


#: A footnote marker has at most this many digits; a longer run of superscript digits is text,
#: not a footnote number (and never an int past Python's 4,300-digit limit).
MAX_FOOTNOTE_DIGITS = 4


def footnote_number(mark: str) -> int | None:
    """The number of a superscript marker ("³" -> 3), or None past `MAX_FOOTNOTE_DIGITS`."""
    if len(mark) > MAX_FOOTNOTE_DIGITS:
        return None
    return int(mark.translate(_SUPERSCRIPT_DIGITS))


def join_fragments(first: str, second: str) -> str:
    """Join two pieces of one cell or sentence that a line or page break separated.

    A trailing hyphen before a lower-case continuation is a wrap: it is dropped ("traf-" +
    "ficking"), except after common prefixes, where the hyphen is part of the word
    ("anti-" + "trafficking").
    """
    first, second = first.rstrip(), second.lstrip()
    if not first:
        return second
    if not second:
        return first
    match = _WRAPPED_WORD.search(first, max(0, len(first) - 64))
    if match and second[0].islower():
        if match.group(1).lower() in HYPHEN_PREFIXES:
            return first + second
        return first[:-1] + second
    return f"{first} {second}"
