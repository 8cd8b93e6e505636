"""Export the tables to one SQLite database: foreign keys, indexes, FTS5 search; atomic."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from htreport.errors import HtreportError, OutputExistsError
from htreport.export.tables import Table


def _ddl(table: Table) -> list[str]:
    columns = ",\n  ".join(f'"{name}" {kind}' for name, kind in table.columns.items())
    statements = [f'CREATE TABLE "{table.name}" (\n  {columns}\n)']
    for index in table.indexes:
        name = f"idx_{table.name}_{'_'.join(index)}"
        indexed = ", ".join(f'"{column}"' for column in index)
        statements.append(f'CREATE INDEX "{name}" ON "{table.name}" ({indexed})')
    if table.search:
        # external-content FTS5 table named <table>_fts: datasette offers search on <table>
        searched = ", ".join(f'"{c}"' for c in table.search)
        statements.append(
            f'CREATE VIRTUAL TABLE "{table.name}_fts" USING fts5({searched}, '
            f'content="{table.name}", content_rowid="id")'
        )
    return statements


def write_sqlite(tables: dict[str, Table], path: Path, *, force: bool = False) -> None:
    """Write the tables to a new SQLite database at `path`, atomically (never half-written)."""
    import sqlite3

    if path.exists() and not force:
        raise OutputExistsError("exists; pass force=True to overwrite", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                for table in tables.values():
                    for statement in _ddl(table):
                        connection.execute(statement)
                    placeholders = ", ".join("?" for _ in table.columns)
                    connection.executemany(
                        f'INSERT INTO "{table.name}" VALUES ({placeholders})', table.rows
                    )
                    if table.search:
                        connection.execute(
                            f'INSERT INTO "{table.name}_fts"("{table.name}_fts") '
                            "VALUES ('rebuild')"
                        )
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise HtreportError(f"foreign key check failed: {problems[:3]}", path=path)
        except sqlite3.Error as error:
            raise HtreportError(f"SQLite: {error}", path=path) from None
        finally:
            connection.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
