"""Does JSON data conform to the report schema, so strictly that the models would keep it as is?

`conforms(data)` checks a report's data against the packaged JSON schema (generated from the
models, see `htreport schema`) without pydantic. It answers True only for data the models
would accept and dump unchanged: a number that is an int, not a bool or a float that looks
like one; text that is exactly `str`; no nulls (the dump leaves them out); a pattern matched
by ASCII digits through the end of the text; a date already in ISO form. Anything else, and
any schema keyword this module does not know, answers False, and the caller lets the models
decide (and word the error). So a False is never a verdict, only "ask pydantic"."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from htreport.settings import PACKAGE_DATA_DIR, REPORT_SCHEMA_FILE

Check = Callable[[Any], bool]

#: Keywords that only describe (or that the models themselves ignore when validating).
_ANNOTATIONS = frozenset({"title", "description", "default", "$schema", "$id", "examples"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def conforms(data: Any) -> bool:
    """True when `data` is a report the models would validate and dump unchanged."""
    return _report_check()(data)


@cache
def _report_check() -> Check:
    text = (PACKAGE_DATA_DIR / REPORT_SCHEMA_FILE).read_text("utf-8")
    return compile_schema(json.loads(text))


def compile_schema(schema: dict[str, Any]) -> Check:
    """A check for the JSON schema `schema` (a subset: the keywords the report schema uses)."""
    definitions = schema.get("$defs", {})
    compiled: dict[str, Check] = {}

    def reference(name: str) -> Check:
        def check(value: Any) -> bool:
            return compiled[name](value)

        return check

    def build(node: dict[str, Any]) -> Check:
        unknown = node.keys() - _ANNOTATIONS - _KNOWN
        if unknown:
            return _never
        if "$ref" in node:
            target = node["$ref"]
            if not target.startswith("#/$defs/") or len(node.keys() - _ANNOTATIONS) > 1:
                return _never
            name = target.removeprefix("#/$defs/")
            if name not in definitions:
                return _never
            return reference(name)
        checks = [_BUILDERS[key](node, build) for key in _SIMPLE if key in node]
        if node.keys() & _OBJECT_KEYWORDS:
            checks.append(_object(node, build))
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    for name, definition in definitions.items():
        compiled[name] = build(definition)
    return build(schema)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _is_integer(value: Any) -> bool:
    return type(value) is int


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or (kind is float and math.isfinite(value))


_TYPES: dict[str, Check] = {
    "string": lambda value: type(value) is str,
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: type(value) is bool,
    "null": _never,  # the models' dump leaves out what is None: data with a null is not theirs
    "array": lambda value: type(value) is list,
    "object": lambda value: type(value) is dict,
}

Builder = Callable[[dict[str, Any], Callable[[dict[str, Any]], Check]], Check]


def _type(node: dict[str, Any], build: Any) -> Check:
    names = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if not all(name in _TYPES for name in names):
        return _never
    checks = [_TYPES[name] for name in names]
    if len(checks) == 1:
        return checks[0]
    return lambda value: any(check(value) for check in checks)


def _enum(node: dict[str, Any], build: Any) -> Check:
    allowed = node["enum"]
    if not all(item is None or type(item) is str for item in allowed):
        return _never
    return lambda value: type(value) is str and value in allowed


def _const(node: dict[str, Any], build: Any) -> Check:
    expected = node["const"]
    if type(expected) is not str:
        return _never
    return lambda value: type(value) is str and value == expected


def _pattern(node: dict[str, Any], build: Any) -> Check:
    source = node["pattern"]
    if source.endswith("$") and not source.endswith("\\$"):
        source = source[:-1] + r"\Z"  # `$` in Python also matches before a final newline
    try:
        pattern = re.compile(source, re.ASCII)
    except re.error:
        return _never
    return lambda value: type(value) is not str or pattern.search(value) is not None


def _bound(node: dict[str, Any], key: str) -> Check:
    limit = node[key]
    if type(limit) not in (int, float):
        return _never
    if key == "minimum":
        return lambda value: not _is_number(value) or value >= limit
    return lambda value: not _is_number(value) or value <= limit


def _format(node: dict[str, Any], build: Any) -> Check:
    if node["format"] != "date":
        return _never

    def check(value: Any) -> bool:
        if type(value) is not str:
            return True
        if not _ISO_DATE.fullmatch(value):
            return False
        try:
            return date.fromisoformat(value).isoformat() == value
        except ValueError:
            return False

    return check


def _items(node: dict[str, Any], build: Callable[[dict[str, Any]], Check]) -> Check:
    item = build(node["items"]) if isinstance(node["items"], dict) else _never
    return lambda value: type(value) is not list or all(item(entry) for entry in value)


def _object(node: dict[str, Any], build: Callable[[dict[str, Any]], Check]) -> Check:
    """properties, required and additionalProperties together."""
    properties = {name: build(sub) for name, sub in node.get("properties", {}).items()}
    required = tuple(node.get("required", ()))
    extra = node.get("additionalProperties", True)
    if extra is True:
        other: Check | None = _always
    elif extra is False:
        other = None
    elif isinstance(extra, dict):
        other = build(extra)
    else:
        return _never

    def check(value: Any) -> bool:
        if type(value) is not dict:
            return True
        for name in required:
            if name not in value:
                return False
        for name, item in value.items():
            known = properties.get(name)
            if known is not None:
                if not known(item):
                    return False
            elif other is None or not other(item):
                return False
        return True

    return check


_BUILDERS: dict[str, Builder] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": lambda node, build: _bound(node, "minimum"),
    "maximum": lambda node, build: _bound(node, "maximum"),
    "format": _format,
    "items": _items,
}
_SIMPLE = tuple(_BUILDERS)
_OBJECT_KEYWORDS = frozenset({"properties", "required", "additionalProperties"})
_KNOWN = frozenset(_BUILDERS) | _OBJECT_KEYWORDS | {"$ref", "$defs"}
