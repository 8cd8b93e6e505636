"""The source behind a data file: its hash, and (with --check-source) what re-extraction gives."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from htreport.store.issues import IssueContext, shown
from htreport.store.positions import PathPart
from htreport.store.rules import text_or_none

#: Most drift lines reported per file by --check-source; the rest are counted.
MAX_DRIFT_ISSUES = 20


def check_source(
    data: dict[str, Any], model: Any, context: IssueContext, raw_dir: Path, extract: bool
) -> None:
    source = data.get("source") if isinstance(data.get("source"), dict) else None
    name = text_or_none(source.get("file")) if source else None
    if name is None or Path(name).name != name:
        return  # the schema reports it; a name with directories is never looked up
    raw = raw_dir / name
    try:
        found = raw.is_file()
        if found:
            with raw.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
    except (OSError, ValueError) as error:  # a name too long for the file system, a NUL byte
        reason = getattr(error, "strerror", None) or str(error)
        context.add("source-file", ("source", "file"), f"cannot look up the raw file: {reason}")
        return
    if not found:
        if extract:
            context.add(
                "source-missing", ("source", "file"), f"--check-source: raw file {raw} not found"
            )
        return
    if source and text_or_none(source.get("sha256")) != digest:
        context.add(
            "source-hash",
            ("source", "sha256"),
            f"does not match {raw} (sha256 {digest[:12]}...): "
            "the raw file changed since extraction; re-extract",
        )
    if not extract:
        return
    if model is None:
        context.add(
            "source-drift",
            ("source", "file"),
            "--check-source skipped: fix the schema problems first",
        )
        return
    _check_drift(model, raw, context)


def _check_drift(model: Any, raw: Path, context: IssueContext) -> None:
    from htreport.errors import HtreportError
    from htreport.pipeline import extract
    from htreport.store.io import to_data

    try:
        fresh = to_data(extract(raw, encoding=model.source.encoding))
    except HtreportError as error:
        context.add(
            "source-drift",
            ("source", "file"),
            f"--check-source: re-extracting {raw} failed: {error.message}",
        )
        return
    differences = list(_differences(to_data(model), fresh, ()))
    for path, message in differences[:MAX_DRIFT_ISSUES]:
        context.add("source-drift", path, f"differs from {raw.name}: {message}")
    if len(differences) > MAX_DRIFT_ISSUES:
        context.add(
            "source-drift",
            ("source", "file"),
            f"and {len(differences) - MAX_DRIFT_ISSUES} more differences from {raw.name}",
        )


_IGNORED_DRIFT = {("source", "extractor")}  # a newer htreport is not a change in the data


def _differences(
    ours: Any, theirs: Any, path: tuple[PathPart, ...]
) -> Iterable[tuple[tuple[PathPart, ...], str]]:
    if path in _IGNORED_DRIFT:
        return
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for name in [*ours, *(k for k in theirs if k not in ours)]:
            if name not in theirs:
                yield (
                    (*path, name),
                    f"the file has it, re-extraction does not ({shown(ours[name])})",
                )
            elif name not in ours:
                yield (
                    (*path, name),
                    f"missing from the file; re-extraction gives {shown(theirs[name])}",
                )
            else:
                yield from _differences(ours[name], theirs[name], (*path, name))
        return
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            yield path, f"the file has {len(ours)} entries, re-extraction gives {len(theirs)}"
        for index, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            yield from _differences(a, b, (*path, index))
        return
    if ours != theirs:
        yield path, f"the file has {shown(ours)}, re-extraction gives {shown(theirs)}"
