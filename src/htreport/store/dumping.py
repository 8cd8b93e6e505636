"""Write a report's data as YAML or JSON, deterministically and atomically.

Apart from `store.io` (which loads) so that writing what `htreport extract` built needs
neither the models nor, for JSON, yaml."""

from __future__ import annotations

import json
import math
from itertools import repeat
from json.encoder import encode_basestring as _json_string  # json's C function, where built
from pathlib import Path
from typing import Any, Literal

from htreport.settings import REPORT_SCHEMA_FILE, SCHEMA_URL

Format = Literal["yaml", "json"]

#: The `--schema-ref` choices: where a data file's `$schema` points editors.
SCHEMA_REF_CHOICES = ("url", "package", "none")


def schema_reference(choice: str = "url") -> str | None:
    """What a data file's `$schema` says for a `--schema-ref` choice.

    `url`: the published schema (works wherever the file is, for editors that may fetch it);
    `package`: a `file:` URI of the installed package's copy (works offline, on this machine);
    `none`: no reference; anything else (a relative path, a URL) is used as given."""
    if choice == "url":
        return SCHEMA_URL
    if choice == "package":
        from importlib.resources import as_file, files

        with as_file(files("htreport.data") / REPORT_SCHEMA_FILE) as copy:
            return Path(copy).resolve().as_uri()
    if choice == "none":
        return None
    if not choice.strip() or any(ord(c) < 32 for c in choice):
        raise ValueError("a schema reference must be url, package, none, a path or a URL")
    return choice


def schema_comment(schema_ref: str | None = SCHEMA_URL) -> str:
    return f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""


def format_of(path: Path) -> Format:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def dumps_data(data: dict[str, Any], fmt: Format = "yaml", *, schema_ref: str = "url") -> str:
    """A report's JSON data (`store.io.to_data`) as the text of a data file: the same data
    always gives the same text. `schema_ref` chooses what `$schema` says (`schema_reference`)."""
    reference = schema_reference(schema_ref)
    if fmt == "json":
        header = {"$schema": reference} if reference else {}
        return json_text({**header, **data}) + "\n"
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # C is ~10x faster, where it exists
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return schema_comment(reference) + body


def json_text(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)`, the same text.

    `json` writes indented text with its pure-Python encoder (its C encoder does not indent);
    this writer, which escapes strings with json's C function, takes half the time. What it
    does not write itself (keys that are not strings, NaN, a value of another type) it leaves
    to `json.dumps`, for the same text or the same error. allow_nan=False: the model refuses
    NaN and infinities; never print them."""
    parts: list[str] = []
    try:
        _write_json(data, "", parts)
    except _NotPlainJson:
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return "".join(parts)


class _NotPlainJson(Exception):
    pass


#: The key of a list's item in `_write_json` (a dict's keys are never it).
_ITEM = object()


def _write_json(value: Any, indent: str, parts: list[str]) -> None:
    kind = type(value)
    if kind is not dict and kind is not list:
        parts.append(_json_scalar(value))
        return
    opening, closing = ("{", "}") if kind is dict else ("[", "]")
    if not value:
        parts.append(opening + closing)
        return
    inner = indent + "  "
    separator = opening + "\n" + inner
    for key, item in value.items() if kind is dict else zip(repeat(_ITEM), value):
        if key is _ITEM:
            parts.append(separator)
        elif type(key) is str:
            parts.append(separator + _json_string(key) + ": ")
        else:
            raise _NotPlainJson
        separator = ",\n" + inner
        _write_json(item, inner, parts)
    parts.append("\n" + indent + closing)


def _json_scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    raise _NotPlainJson


def dump_data(
    data: dict[str, Any],
    path: str | Path,
    *,
    fmt: Format | None = None,
    force: bool = False,
    schema_ref: str = "url",
) -> None:
    """Write a report's data to `path` atomically (format from the suffix unless given).

    Raises OutputExistsError if `path` exists (unless `force`), OutputError if it cannot be
    written; nothing is left half-written (see `store.atomic`)."""
    from htreport.store.atomic import output_path, write_atomic  # not needed to print

    path = output_path(path)
    text = dumps_data(data, fmt or format_of(path), schema_ref=schema_ref)
    write_atomic(path, text, force=force)
