"""JSON Schemas generated from the pydantic models, as committed under schemas/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from htreport.errors import OutputExistsError
from htreport.settings import REPORT_SCHEMA_FILE

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a structured report file (YAML or JSON).

    Standard validators (check-jsonschema, the `jsonschema` package, editors through the
    yaml-language-server comment) can use it as is. It allows the `$schema` key that JSON data
    files carry to point editors at it."""
    from htreport.model.report import Report

    schema = Report.model_json_schema(mode="validation")
    properties = {
        "$schema": {
            "type": "string",
            "description": "Where this schema lives, for editors; ignored by htreport.",
        },
        **schema["properties"],
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **{key: value for key, value in schema.items() if key != "properties"},
        "properties": properties,
    }


def generate() -> dict[str, str]:
    """Every schema file: name -> text, the same text for the same models."""
    return {REPORT_SCHEMA_FILE: json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"}


def stale_files(directory: Path) -> list[str]:
    """Names of schema files in `directory` that are missing or differ from the models."""
    stale = []
    for name, text in generate().items():
        path = directory / name
        if not path.is_file() or path.read_text("utf-8") != text:
            stale.append(name)
    return stale


def write(directory: Path, *, force: bool = False) -> list[Path]:
    """Write every schema file into `directory`; returns the files written.

    Files already up to date are left alone; a file that differs is overwritten only with
    `force`."""
    from htreport.store.io import write_atomic

    written = []
    for name, text in generate().items():
        path = directory / name
        if path.is_file() and path.read_text("utf-8") == text:
            continue
        if path.exists() and not force:
            raise OutputExistsError("exists and differs; pass force=True to overwrite", path=path)
        write_atomic(path, text, force=True)
        written.append(path)
    return written
