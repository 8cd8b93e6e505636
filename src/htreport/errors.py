"""Errors shown to users, and the exit codes the CLI returns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import IntEnum
from pathlib import Path
from typing import Any

#: Characters a message never prints as themselves: C0 and C1 controls, DEL, lone surrogates
#: (from file names that are not UTF-8) and the bidirectional overrides, any of which could
#: split a message over lines, move the cursor or recolour a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control character escaped (`\\n`, `\\x1b`, `\\udcff`): one line, no
    terminal escapes, always encodable."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group(0))[1:-1], text)


def json_text(text: str) -> str:
    """JSON text that always encodes: a lone surrogate (only ever inside a string) is written
    as its `\\udcff` escape, which reads back as the same string."""
    if not contains_surrogate(text):
        return text
    return SURROGATE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def contains_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate (which no encoding can write). UTF-8 refuses
    surrogates and nothing else, and encoding is several times faster than a regular
    expression search over a long text."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


#: A lone surrogate (U+D800 to U+DFFF): legal in a Python str, but no encoding can write it.
SURROGATE = re.compile("[\ud800-\udfff]")


class ExitCode(IntEnum):
    """Process exit codes; documented in the README."""

    OK = 0
    FINDINGS = 1  # validate found problems, diff --exit-code found changes, a batch had failures
    ERROR = 2  # bad usage or unusable input


class HtreportError(Exception):
    """Base class for every failure shown to a user as one line (exit 2)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        page: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.page = page
        self.column = column

    def location(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.page is not None:
            where += f" (page {self.page})"
        return where

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class SourceError(HtreportError):
    """Input missing, unreadable, empty, binary, or of an unsupported kind."""


class ParseError(HtreportError):
    """Input readable but its structure could not be understood."""


class DataFileError(HtreportError):
    """A structured data file (YAML/JSON) that cannot be loaded."""


class SchemaVersionError(DataFileError):
    """A structured file written under another schema version."""


class OutputError(HtreportError):
    """An output that cannot be written: its parent is a file, it is a directory, the place is
    not writable, the disk is full, or the path is empty. Nothing is left half-written."""


class OutputExistsError(OutputError):
    """An output file exists and --force was not given."""


class OutputClashError(HtreportError):
    """Two outputs of one run would have the same file name; nothing is written."""


class UsageError(HtreportError):
    """Options that do not make sense together, or unknown filter values."""


class DataSyntaxError(DataFileError):
    """A data file that is not well-formed YAML/JSON, or that repeats a key."""


class UnsafeDataError(DataFileError):
    """A data file refused for safety: executable tags, alias bombs, too large or too deep."""


def plain_message(error: Mapping[str, Any]) -> str:
    """A pydantic error (one item of `ValidationError.errors()`) in htreport's words, without
    pydantic's phrasing ("Value error, ...", "Input should be ...")."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("greater than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {context.get(key)}"
    fixed = {
        "int_parsing": "must be a whole number",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "float_type": "must be a number",
        "bool_parsing": "must be true or false",
        "bool_type": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
        "missing": "is required",
        "extra_forbidden": "is not a known field",
    }
    if kind in fixed:
        return fixed[kind]
    if kind == "string_too_short":
        return "must not be empty"
    message = str(error.get("msg", "invalid value"))
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message.replace("Input should be", "should be")
