"""Export the tables as one CSV file per table (header row first)."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from htreport.errors import OutputExistsError
from htreport.export.tables import Table


def csv_paths(tables: dict[str, Table], directory: Path) -> list[Path]:
    return [directory / f"{name}.csv" for name in tables]


def write_csv(tables: dict[str, Table], directory: Path, *, force: bool = False) -> list[Path]:
    """One CSV file per table in `directory` (header row first); lists joined with "; ".

    Refuses, before writing anything, when a file exists and `force` is not set."""
    targets = csv_paths(tables, directory)
    if not force:
        for target in targets:
            if target.exists():
                raise OutputExistsError("exists; pass force=True to overwrite", path=target)
    directory.mkdir(parents=True, exist_ok=True)
    for table, target in zip(tables.values(), targets, strict=True):
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{target.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(table.columns)
                for row in table.rows:
                    writer.writerow(["" if value is None else value for value in row])
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return targets
