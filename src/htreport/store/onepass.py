"""A JSON data file parsed and validated in one pass by pydantic-core, when that is sure.

`Report.model_validate_json` parses the bytes and builds the models in Rust, about twice as
fast as `json.loads` followed by `Report.model_validate`. It is not the reference, though:
it lets a repeated key silently win, reads `NaN` and `Infinity` into a field that takes any
value (`$schema`), and knows nothing of htreport's messages and positions. So it is used only
where its answer is certainly the careful path's (`store.io.loads`), and a file it cannot
vouch for, or any file it refuses, goes the usual way, which gives the usual error:

- `$schema` holds no `NaN` or `Infinity` (every other field refuses them, tested);
- no key is repeated: every key in the text ends with `"`, blanks and `:`, so the number of
  such places is at least the number of keys written; when it equals the number of keys the
  models were given (`count_given_keys`), none was written twice.

Everything else the careful path refuses (bytes that are not UTF-8, a surrogate escaped on
its own, a number of more than 4,300 digits, trailing text, a control character in a string,
a wrong `schema_version`) pydantic-core refuses too (tested), and the loader then asks the
careful path for the message.
"""

from __future__ import annotations

import math
import re
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from htreport.model.report import Report

#: Where a key ends: its closing quote, blanks, the colon. Inside a string a quote is escaped,
#: so a match there only makes the count too high (the file then goes the careful way).
_KEY_END = re.compile(rb'"[ \t\n\r]*:')
_SPACED_KEY_END = re.compile(rb'"[ \t\n\r]+:')


class _ReportFile(Report):
    """A report as a data file holds it: with the `$schema` reference, of any value."""

    schema_ref: Any = Field(default=None, alias="$schema", exclude=True)


def load_json_report(data: bytes) -> Report | None:
    """The report in a JSON data file's bytes, or None: the careful path must decide."""
    try:
        loaded = _ReportFile.model_validate_json(data)
    except (ValidationError, ValueError, RecursionError):
        return None
    if not _finite(loaded.schema_ref):
        return None  # `NaN` or `Infinity`: every other field refuses them itself
    if _key_ends(data) != count_given_keys(loaded):
        return None  # a repeated key, or a key-like text in a string: the careful path decides
    fields = loaded.__dict__
    return Report.model_construct(
        _fields_set=loaded.model_fields_set - {"schema_ref"},
        **{name: fields[name] for name in Report.model_fields},
    )


def _finite(value: Any) -> bool:
    """Whether a value read from JSON holds no NaN or infinity (which JSON cannot write)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    return True


def _key_ends(data: bytes) -> int:
    """How many places in `data` a key could end (see `_KEY_END`)."""
    if _SPACED_KEY_END.search(data) is None:  # the usual case, and counted twice as fast
        return data.count(b'":')
    return len(_KEY_END.findall(data))


def count_given_keys(model: BaseModel) -> int:
    """How many keys the data validated into `model` held, nested models and mappings included
    (a model knows which of its fields were given)."""
    count = 0
    pending = [model]
    while pending:
        current = pending.pop()
        count += len(current.model_fields_set)
        values = current.__dict__
        for name, holds in _nested_fields(type(current)):
            value = values[name]
            if value is None:
                continue
            if holds == "models":
                pending.extend(value)
            elif holds == "model":
                pending.append(value)
            else:
                count += len(value)
    return count


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of `model` that hold keys of their own: ("model" | "models" | "mapping")."""
    if model.model_config.get("extra") != "forbid":  # other keys would go uncounted
        raise TypeError(f"{model.__name__} takes keys that are not its fields")
    nested = []
    for name, info in model.model_fields.items():
        holds = _what_it_holds(info.annotation)
        if holds is not None:
            nested.append((name, holds))
    return tuple(nested)


def _what_it_holds(annotation: Any) -> str | None:
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        found = {_what_it_holds(argument) for argument in arguments} - {None}
        if len(found) > 1:
            raise TypeError(f"a field holding {annotation} cannot be counted")
        return found.pop() if found else None
    if origin is typing.Annotated:
        return _what_it_holds(arguments[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model"
    if origin is dict:
        if _what_it_holds(arguments[1]) is not None:
            raise TypeError(f"a field holding {annotation} cannot be counted")
        return "mapping"
    if origin is list:
        inner = _what_it_holds(arguments[0])
        if inner not in (None, "model"):
            raise TypeError(f"a field holding {annotation} cannot be counted")
        return "models" if inner == "model" else None
    return None
