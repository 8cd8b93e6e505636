"""The SQLite export, built with sqlite-utils: keys, labels, indexes, FTS5 kept fresh by triggers.

Rows are buffered per table and inserted in batches (`insert_all`), so memory stays flat. The
indexes and the search tables are built once every row is in, which is faster than keeping
them up to date row by row; the triggers that sqlite-utils adds then keep search in step with
later edits. The file is written beside its target and renamed onto it when complete.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from htreport.errors import HtreportError
from htreport.export.staging import StagedFile
from htreport.export.tables import TABLES, TABLES_BY_NAME, Column, Table

#: Rows kept per table before they are inserted.
BATCH = 5_000

_SQL_TYPES = {
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "string": "TEXT",
    "date": "TEXT",
    "array": "TEXT",  # a JSON array
    # no affinity (BLOB): an int stays INTEGER, a float REAL, and a whole number past 64 bits
    # stays the exact text it is written as (NUMERIC affinity would turn it into a REAL)
    "number": "BLOB",
}


#: SQLite integers are 64-bit; a whole number past them (a statistic may have 30 digits) is
#: stored as its exact decimal text instead (`CAST(value AS TEXT)` reads the same either way).
_INT64 = range(-(2**63), 2**63)


def _storable(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return str(value)
    return value


def sql_type(column: Column) -> str:
    """The SQLite column type of an export column."""
    return _SQL_TYPES[column.type]


class SqliteWriter:
    """Writes the export tables into a new SQLite database at `target`."""

    def __init__(self, target: Path, *, force: bool = False) -> None:
        import sqlite_utils

        self.target = target
        self._staged = StagedFile(target, force=force)
        try:
            self._db = sqlite_utils.Database(self._staged.path)
            self._db.execute("PRAGMA journal_mode = OFF")  # a staging copy: no need to recover
            self._db.execute("PRAGMA synchronous = OFF")
            for table in TABLES:
                self._create(table)
        except sqlite3.Error as error:
            self.discard()
            raise HtreportError(f"SQLite: {error}", path=target) from None
        self._pending: dict[str, list[tuple[Any, ...]]] = {table.name: [] for table in TABLES}

    def _create(self, table: Table) -> None:
        self._db.table(table.name).create(
            {column.name: sql_type(column) for column in table.columns},
            pk=table.primary_key,
            not_null={column.name for column in table.columns if column.required},
            foreign_keys=[
                (column.name, *column.references) for column in table.columns if column.references
            ],
        )

    def write(self, table: str, values: tuple[Any, ...]) -> None:
        pending = self._pending[table]
        pending.append(values)
        if len(pending) >= BATCH:
            try:
                self._flush(table)
            except sqlite3.Error as error:
                raise HtreportError(f"SQLite: {error}", path=self.target) from None

    def _flush(self, name: str) -> None:
        pending = self._pending[name]
        if not pending:
            return
        columns = list(TABLES_BY_NAME[name].column_names)
        rows = [tuple(map(_storable, values)) for values in pending]
        self._db.table(name).insert_all([columns, *rows], batch_size=BATCH)
        pending.clear()

    def finish(self) -> None:
        try:
            for table in TABLES:
                self._flush(table.name)
            for table in TABLES:
                for columns in table.indexes:
                    self._db.table(table.name).create_index(list(columns))
                if table.search:
                    self._db.table(table.name).enable_fts(list(table.search), create_triggers=True)
            problems = self._db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise HtreportError(f"foreign key check failed: {problems[:3]}", path=self.target)
            self._db.close()
        except sqlite3.Error as error:
            raise HtreportError(f"SQLite: {error}", path=self.target) from None

    def publish(self) -> list[Path]:
        return [self._staged.publish()]

    def discard(self) -> None:
        database = getattr(self, "_db", None)
        if database is not None:
            database.close()
        self._staged.discard()
