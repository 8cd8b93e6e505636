"""The chart column registry (data/columns.yaml): what a chart column may be called.

Readers use it to spot a chart header row in running text, parsers to map a header row's
cells to columns; both go through `column_of`, so a synonym added to the YAML works in both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from htreport.model.packaged import packaged_yaml

#: The chart columns, in the order of the 2014-2015 chart.
COLUMNS = ("task", "deliverable", "timeline", "status", "lead")
#: A header cell longer than this (in words) is text, not a column name.
_MAX_HEADER_WORDS = 6
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The comparison form of a header: lower case, no accents, brackets or punctuation,
    each word singular ("Lead Department(s)" -> "lead department")."""
    return " ".join(_singular(word) for word in _words(text))


def _words(text: str) -> list[str]:
    """The words of `normalise(text)`, not yet singular."""
    if text.isascii():  # no accents to take off, and casefold is lower
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _BRACKETS.sub(" ", text.replace("’", "'"))
    return _NOT_WORD.sub(" ", text.replace("_", " ")).split()


def _singular(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "uses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


class ColumnRegistry(NamedTuple):
    """Normalised names -> column."""

    names: dict[str, str]

    def column_of(self, header: str) -> str | None:
        """The column a header cell names ("Lead Department(s)" -> "lead"), else None."""
        if len(header.split()) > _MAX_HEADER_WORDS and len(_words(header)) > _MAX_HEADER_WORDS:
            return None  # a cell of running text, found without making each word singular
        key = normalise(header)
        words = key.split()
        if not key or len(words) > _MAX_HEADER_WORDS:
            return None
        if key in self.names:
            return self.names[key]
        # the longest name the key starts with, followed by a space: a key's words are single
        # spaced, so that name is its first words, the most of them first
        for count in range(len(words) - 1, 0, -1):
            name = " ".join(words[:count])
            if name in self.names:
                return self.names[name]
        return None


@cache
def column_registry() -> ColumnRegistry:
    """The packaged registry (loaded once)."""
    return registry_from(packaged_yaml("columns.yaml"))


def registry_from(data: dict) -> ColumnRegistry:
    """A registry from the YAML's data: `{"columns": {column: [names...]}}`."""
    names: dict[str, str] = {}
    for column, synonyms in data["columns"].items():
        if column not in COLUMNS:
            raise ValueError(f"unknown chart column {column!r} in the column registry")
        for synonym in [column, *synonyms]:
            names.setdefault(normalise(str(synonym)), column)
    return ColumnRegistry(names)


def column_of(header: str) -> str | None:
    """The column a header cell names, by the packaged registry."""
    return column_registry().column_of(header)


def header_columns(cells: list[str] | tuple[str, ...]) -> list[str | None] | None:
    """Per cell, the column it names, when the cells are a chart header row; else None.

    A row is a header when at least three distinct columns are named, one of them task or
    deliverable, and at most one non-empty cell names nothing known (an extra column such
    as "Funding" is allowed, a row of data is not)."""
    columns = [column_of(cell) if cell.strip() else None for cell in cells]
    named = {column for column in columns if column}
    unknown = sum(
        1 for cell, column in zip(cells, columns, strict=True) if cell.strip() and not column
    )
    if len(named) < 3 or not named & {"task", "deliverable"}:
        return None
    if unknown > max(1, len(named) // 2):
        return None
    return columns
