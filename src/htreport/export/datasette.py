"""The datasette metadata of a SQLite export: title, source, descriptions, facets, search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from htreport.export.datapackage import DESCRIPTION, SOURCE, TITLE
from htreport.export.staging import StagedFile
from htreport.export.tables import TABLES, Table
from htreport.store.atomic import output_error


def _table(table: Table) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "description": table.description,
        "label_column": table.label,
        "columns": {
            column.name: column.description for column in table.columns if column.description
        },
    }
    facets: list[Any] = list(table.facets)
    facets += [{"array": name} for name in table.array_facets]
    if facets:
        entry["facets"] = facets
    if table.search:
        entry["fts_table"] = f"{table.name}_fts"
        entry["fts_pk"] = table.primary_key
    return entry


def metadata(database: str) -> dict[str, Any]:
    """datasette metadata for the database whose file stem is `database`."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE["title"],
        "source_url": SOURCE["path"],
        "databases": {database: {"tables": {table.name: _table(table) for table in TABLES}}},
    }


def metadata_text(database: Path) -> str:
    """The metadata of the SQLite file `database`, as YAML (datasette reads YAML or JSON)."""
    import yaml

    return yaml.safe_dump(metadata(database.stem), sort_keys=False, allow_unicode=True, width=96)


class DatasetteMetadataWriter:
    """Writes the metadata file of the SQLite export at `database` to `target`."""

    def __init__(self, target: Path, database: Path, *, force: bool = False) -> None:
        self.target = target
        self._staged = StagedFile(target, force=force)
        self._database = database

    def write(self, table: str, values: tuple[Any, ...]) -> None:
        """Rows are not needed: the metadata depends only on the tables."""

    def finish(self) -> None:
        try:
            self._staged.path.write_text(metadata_text(self._database), "utf-8")
        except OSError as error:
            raise output_error(error, self.target) from None

    def publish(self) -> list[Path]:
        return [self._staged.publish()]

    def discard(self) -> None:
        self._staged.discard()
