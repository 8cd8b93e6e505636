"""Write a report's data as YAML or JSON, deterministically and atomically.

Apart from `store.io` (which loads) so that writing what `htreport extract` built needs
neither the models nor, for JSON, yaml."""

from __future__ import annotations

import json
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
        # allow_nan=False: the model refuses NaN and infinities; never print them
        return json.dumps({**header, **data}, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # C is ~10x faster, where it exists
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return schema_comment(reference) + body


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
