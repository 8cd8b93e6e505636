"""The Frictionless Data Package: the CSV export plus `datapackage.json` describing it.

Every resource gets a Table Schema generated from `export.tables` (and so from the pydantic
models): field types, `required`, enums, descriptions, primary and foreign keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from htreport.export.csv_files import CsvWriter
from htreport.export.tables import TABLES, Column, Table
from htreport.settings import VERSION
from htreport.store.atomic import output_error

DESCRIPTOR = "datapackage.json"

TITLE = "Canada's anti-human-trafficking action plan reports, as structured data"
DESCRIPTION = (
    "Deliverables, statistics and key achievements extracted by htreport from the annual "
    "progress reports of the National Action Plan to Combat Human Trafficking and of the "
    "National Strategy to Combat Human Trafficking."
)
SOURCE = {
    "title": "Public Safety Canada: National Action Plan to Combat Human Trafficking, annual reports",
    "path": "https://www.publicsafety.gc.ca/cnt/rsrcs/pblctns/index-en.aspx",
}


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if column.description:
        field["description"] = column.description
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of one exported table."""
    return {
        "fields": [_field(column) for column in table.columns],
        "missingValues": [""],
        "primaryKey": [table.primary_key],
        "foreignKeys": [
            {
                "fields": [column.name],
                "reference": {"resource": column.references[0], "fields": [column.references[1]]},
            }
            for column in table.columns
            if column.references
        ],
    }


def descriptor() -> dict[str, Any]:
    """The whole `datapackage.json`: one tabular resource per CSV file."""
    return {
        "profile": "tabular-data-package",
        "name": "htreport",
        "title": TITLE,
        "description": DESCRIPTION,
        "sources": [SOURCE],
        "created_by": f"htreport {VERSION}",
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }


class DataPackageWriter(CsvWriter):
    """The CSV files and their `datapackage.json`, published together."""

    def __init__(self, directory: Path, *, force: bool = False) -> None:
        super().__init__(directory, force=force, extra=(DESCRIPTOR,))

    def finish(self) -> None:
        super().finish()
        text = json.dumps(descriptor(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        try:
            self.staging_file(DESCRIPTOR).write_text(text, "utf-8")
        except OSError as error:
            raise output_error(error, self.directory / DESCRIPTOR) from None
