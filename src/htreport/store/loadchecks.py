"""Checks on the values of a data file as it loads: what parses but could never be written.

A lone surrogate (legal in JSON, not text), a number longer than Python reads, and JSON's
`NaN`/`Infinity` are each refused at their line and column (the parsers' own messages name no
place, or accept the value).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from htreport.errors import SURROGATE, DataSyntaxError, contains_surrogate
from htreport.store.positions import PosNode, format_path, locate


def may_hold_surrogates(text: str, *, utf8_decoded: bool = False) -> bool:
    """False when no string parsed from `text` can hold a surrogate (no escape, none raw).

    `utf8_decoded`: `text` was decoded from UTF-8 bytes, strictly, so it holds no raw
    surrogate (the decoder refuses them) and only an escape can make one."""
    if _has_unicode_escape(text):
        return True
    return not utf8_decoded and contains_surrogate(text)


def _has_unicode_escape(text: str) -> bool:
    """Whether `\\u` or `\\U` occurs in `text`. Finding each backslash (a file has few) is
    dozens of times faster than searching for the two-character string."""
    at = text.find("\\")
    while at >= 0:
        if text[at + 1 : at + 2] in ("u", "U"):
            return True
        at = text.find("\\", at + 1)
    return False


def refuse_surrogates(data: Any, positions: Callable[[], PosNode], path: str) -> None:
    """Refuse text that loads but could never be written: a lone surrogate, at its place."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and SURROGATE.search(key):
                    _surrogate_error(positions, path, key, (*where, key), key=True)
                stack.append((item, (*where, key)))
        elif isinstance(value, list):
            stack += [(item, (*where, index)) for index, item in enumerate(value)]
        elif isinstance(value, str) and SURROGATE.search(value):
            _surrogate_error(positions, path, value, where)


def _surrogate_error(
    positions: Callable[[], PosNode],
    path: str,
    text: str,
    where: tuple[str | int, ...],
    *,
    key: bool = False,
) -> None:
    found = SURROGATE.search(text)
    assert found is not None
    position = locate(positions(), list(where), key=key)
    shown = [
        part.encode("utf-8", "backslashreplace").decode() if isinstance(part, str) else part
        for part in where
    ]
    raise DataSyntaxError(
        f"{format_path(shown) or 'the top'}: a lone surrogate \\u{ord(found.group(0)):04x} "
        "is not text (no encoding can write it); refused",
        path=path,
        line=position.line,
        column=position.column,
    )


#: A run of digits longer than Python builds an int from (4,300 by default): the parsers refuse
#: it with a message that names no place, so it is found in the text.
_INT_DIGITS_LIMIT = sys.get_int_max_str_digits()  # 0: no limit
_DIGIT_RUN = re.compile(r"(?<![0-9_])[0-9][0-9_]*+")


def number_error(text: str, path: str, error: Exception) -> DataSyntaxError | None:
    """For `error` a parser raised, the error for the number too long to be read, at its place,
    when that is what `error` is about."""
    if not _INT_DIGITS_LIMIT or "integer string conversion" not in str(error):
        return None
    match = next(
        (run for run in _DIGIT_RUN.finditer(text) if run.end() - run.start() > _INT_DIGITS_LIMIT),
        None,
    )
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return DataSyntaxError(
        f"a number of {len(match.group(0)):,} digits: too large to read (a statistic's value "
        "has at most 30 digits)",
        path=path,
        line=line,
        column=column,
    )


#: Strings (skipped whole) or a JavaScript constant outside any string.
_JSON_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*+"|(?P<constant>-?Infinity|NaN)')


def constant_error(text: str, path: str, name: str) -> DataSyntaxError:
    """`NaN`/`Infinity` (which Python's json reads, and JSON forbids), at its place."""
    for match in _JSON_CONSTANT.finditer(text):
        if match.group("constant"):
            return DataSyntaxError(
                f"invalid JSON: {match.group('constant')} is not a JSON number",
                path=path,
                line=text.count("\n", 0, match.start()) + 1,
                column=match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1,
            )
    return DataSyntaxError(f"invalid JSON: {name} is not a JSON number", path=path)
