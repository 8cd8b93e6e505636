"""Load and dump structured reports as YAML or JSON; atomic writes. The only yaml importer."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import DataFileError, OutputExistsError, SchemaVersionError
from .models import Report
from .settings import MAX_DATA_FILE_BYTES, REPORT_SCHEMA_FILE, SCHEMA_VERSION

Format = Literal["yaml", "json"]

try:  # the C loader/dumper are ~10x faster; fall back to pure Python where libyaml is absent
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def schema_comment(schema_ref: str = f"../../schemas/{REPORT_SCHEMA_FILE}") -> str:
    return f"# yaml-language-server: $schema={schema_ref}\n"


def to_data(report: Report) -> dict[str, Any]:
    """The report as plain JSON-compatible data, keys in model order, empty values left out."""
    return report.model_dump(mode="json", exclude_none=True)


def dumps(report: Report, fmt: Format = "yaml") -> str:
    """Serialise deterministically: the same report always gives the same text."""
    data = to_data(report)
    if fmt == "json":
        return json.dumps({"$schema": f"../../schemas/{REPORT_SCHEMA_FILE}", **data}, ensure_ascii=False, indent=2) + "\n"
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return schema_comment() + body


def parse_text(text: str, fmt: Format, *, path: str = "<string>") -> Any:
    """Parse YAML or JSON text into plain data, with syntax errors as DataFileError."""
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DataFileError(f"invalid JSON: {error.msg} (column {error.colno})", path=path, line=error.lineno) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else None
        raise DataFileError(f"invalid YAML: {error.problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise DataFileError(f"invalid YAML: {error}", path=path) from None


def format_of(path: Path) -> Format:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def read_data_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            raise DataFileError(f"file is larger than the {MAX_DATA_FILE_BYTES}-byte limit", path=path)
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise DataFileError("no such file", path=path) from None
    except UnicodeDecodeError:
        raise DataFileError("not UTF-8 text", path=path) from None
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None


def loads(text: str, fmt: Format = "yaml", *, path: str = "<string>") -> Report:
    """Parse and validate a structured report."""
    from pydantic import ValidationError

    data = parse_text(text, fmt, path=path)
    if not isinstance(data, dict):
        raise DataFileError("not a structured report (expected a mapping at the top)", path=path, line=1)
    data.pop("$schema", None)
    version = data.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"written under schema version {version}, this htreport reads {SCHEMA_VERSION}", path=path
        )
    try:
        return Report.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DataFileError(
            f"{where}: {first['msg']} ({error.error_count()} problem(s); run htreport validate)", path=path
        ) from None


def load(path: str | Path) -> Report:
    """Load a structured report file (YAML or JSON)."""
    path = Path(path)
    return loads(read_data_file(path), format_of(path), path=str(path))


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` via a temporary file and rename: never a half-written file."""
    if path.exists() and not force:
        raise OutputExistsError("exists; pass --force to overwrite", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump(report: Report, path: str | Path, *, fmt: Format | None = None, force: bool = False) -> None:
    """Write a report to `path` atomically (format from the suffix unless given)."""
    path = Path(path)
    write_atomic(path, dumps(report, fmt or format_of(path)), force=force)
