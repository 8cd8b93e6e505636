"""JSON Schemas generated from the pydantic models, as committed under schemas/."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from htreport.errors import OutputExistsError
from htreport.settings import REPORT_SCHEMA_FILE, SCHEMA_URL

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a structured report file (YAML or JSON).

    Standard validators (check-jsonschema, the `jsonschema` package, editors through the
    yaml-language-server comment) can use it as is. It allows the `$schema` key that JSON data
    files carry to point editors at it."""
    from htreport.model.report import Report

    schema = flatten_nullables(Report.model_json_schema(mode="validation"))
    properties = {
        "$schema": {
            "type": "string",
            "description": "Where this schema lives, for editors; ignored by htreport.",
        },
        **schema["properties"],
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": SCHEMA_URL,
        **{key: value for key, value in schema.items() if key != "properties"},
        "properties": properties,
    }


def _is_null(branch: Any) -> bool:
    return branch == {"type": "null"}


def _nullable(branch: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """`branch` widened to also accept null, or None when that cannot be said without anyOf."""
    if set(branch) == {"$ref"}:
        branch = defs[branch["$ref"].rsplit("/", 1)[-1]]
    if not isinstance(branch.get("type"), str) or {"anyOf", "oneOf", "allOf", "$ref"} & set(branch):
        return None
    widened = {**branch, "type": [branch["type"], "null"]}
    if "enum" in widened:
        widened["enum"] = [*widened["enum"], None]
    return widened


def _flatten(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_flatten(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _flatten(value, defs) for key, value in node.items()}
    branches = node.get("anyOf")
    if not isinstance(branches, list):
        return node
    rest = {key: value for key, value in node.items() if key != "anyOf"}
    if all(
        isinstance(b, dict) and set(b) == {"type"} and isinstance(b["type"], str) for b in branches
    ):
        return {**rest, "type": [branch["type"] for branch in branches]}
    if len(branches) == 2 and _is_null(branches[1]):
        widened = _nullable(branches[0], defs)
        if widened is not None:
            return {**widened, **rest}  # the property's own description and default win
    return node


def _referenced(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_referenced(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_referenced(item) for item in node))
    return set()


def flatten_nullables(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [X, null]` said as one schema whose type also allows null, wherever it can be.

    The same documents validate, but a validator no longer reports a bad value deep inside an
    optional part (the annex) as "is not valid under any of the given schemas" with a dump of
    the whole part: it reports the real error, at its place, first. Definitions left unused
    (the annex, inlined at its only use) are dropped."""
    original = schema.get("$defs", {})
    new_defs = {name: _flatten(value, original) for name, value in original.items()}
    new_defs = {name: _flatten(value, new_defs) for name, value in new_defs.items()}
    flattened = {key: _flatten(value, new_defs) for key, value in schema.items() if key != "$defs"}
    used: set[str] = set()
    pending = _referenced(flattened)
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending |= _referenced(new_defs[name]) - used
    if new_defs:
        flattened["$defs"] = {name: value for name, value in new_defs.items() if name in used}
    return flattened


def generate() -> dict[str, str]:
    """Every schema file: name -> text, the same text for the same models."""
    return {
        REPORT_SCHEMA_FILE: json.dumps(
            report_schema(), indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    }


def stale_files(directory: Path) -> list[str]:
    """Names of schema files in `directory` that are missing or differ from the models."""
    stale = []
    for name, text in generate().items():
        path = directory / name
        if not _same_text(path, text):
            stale.append(name)
    return stale


def write(directory: Path, *, force: bool = False) -> list[Path]:
    """Write every schema file into `directory`; returns the files written.

    Files already up to date are left alone; a file that differs is overwritten only with
    `force`."""
    from htreport.store.atomic import check_target, output_path, write_atomic

    directory = output_path(directory)
    written = []
    for name, text in generate().items():
        path = directory / name
        check_target(path, force=True)  # a directory in the way, or a parent that is a file
        if _same_text(path, text):
            continue
        if os.path.lexists(path) and not force:
            raise OutputExistsError("exists and differs; pass force=True to overwrite", path=path)
        write_atomic(path, text, force=force)
        written.append(path)
    return written


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_bytes() == text.encode("utf-8")
    except OSError:  # unreadable: written again (or refused) like a file that differs
        return False
