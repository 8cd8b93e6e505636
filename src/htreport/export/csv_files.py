"""The CSV export: one file per table, header row first, written all or nothing.

Every file is streamed into a staging directory beside the target and moved in only when all
of them are complete (`StagedDirectory`). Arrays are JSON arrays (`["CBSA", "RCMP"]`) and
booleans `true` or `false`, as `query --format csv` writes them (SQLite stores 1 or 0);
`datapackage.json` (see `export.datapackage`) says so.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from htreport.export.staging import StagedDirectory
from htreport.export.tables import TABLE_NAMES, TABLES
from htreport.store.atomic import output_error


def csv_names() -> list[str]:
    """The file names of the CSV export, one per table."""
    return [f"{name}.csv" for name in TABLE_NAMES]


def csv_cell(value: Any) -> Any:
    """One value as written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return value


class CsvWriter:
    """Writes one CSV file per table into `directory` (plus `extra` files given by name)."""

    def __init__(
        self, directory: Path, *, force: bool = False, extra: tuple[str, ...] = ()
    ) -> None:
        self.directory = directory
        self._staged = StagedDirectory(directory, [*csv_names(), *extra], force=force)
        self._streams: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        try:
            for table in TABLES:
                stream = self._staged.file(f"{table.name}.csv").open(
                    "w", encoding="utf-8", newline=""
                )
                self._streams[table.name] = stream
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(table.column_names)
                self._writers[table.name] = writer
        except OSError as error:
            self.discard()
            raise output_error(error, directory) from None

    def staging_file(self, name: str) -> Path:
        """Where an extra file is written before it is published with the CSV files."""
        return self._staged.file(name)

    def write(self, table: str, values: tuple[Any, ...]) -> None:
        try:
            self._writers[table].writerow([csv_cell(value) for value in values])
        except OSError as error:
            raise output_error(error, self.directory) from None

    def finish(self) -> None:
        try:
            self._close()
        except OSError as error:
            raise output_error(error, self.directory) from None

    def _close(self) -> None:
        for stream in self._streams.values():
            stream.close()

    def publish(self) -> list[Path]:
        return self._staged.publish()

    def discard(self) -> None:
        try:
            self._close()
        except OSError:
            pass  # the files are removed with the staging directory
        self._staged.discard()
