"""The Parquet export: one file per table, typed (lists stay lists), for DuckDB, pandas, Spark.

Needs pyarrow (`pip install "htreport[parquet]"`), imported only here. Rows are written in
row groups as they stream in; the files are published together when all are complete.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from htreport.errors import UsageError
from htreport.export.staging import StagedDirectory
from htreport.export.tables import TABLE_NAMES, TABLES, Column
from htreport.store.atomic import output_error

#: Rows per table buffered before they are written as one row group.
ROW_GROUP = 20_000


def parquet_names() -> list[str]:
    """The file names of the Parquet export, one per table."""
    return [f"{name}.parquet" for name in TABLE_NAMES]


#: Exact numbers (`Column.exact`, statistics.value) as decimal(38, 8): every whole number the
#: model allows (30 digits) and fractions to eight decimal places, where a float64 would round
#: whole numbers past 2**53.
EXACT_PRECISION, EXACT_SCALE = 38, 8


def _arrow_type(pa: Any, column: Column) -> Any:
    if column.type == "number" and column.exact:
        return pa.decimal128(EXACT_PRECISION, EXACT_SCALE)
    if column.type == "array":
        return pa.list_(pa.int64() if column.items == "integer" else pa.string())
    return {
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "string": pa.string(),
        "date": pa.date32(),
    }[column.type]


def _exact_decimal(value: Any, where: str) -> Decimal | None:
    """`value` as the Decimal it was printed as (a float by its shortest repr), refused with one
    clear error where decimal(38, 8) cannot hold it exactly: never rounded."""
    if value is None:
        return None
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -EXACT_SCALE:
        raise UsageError(
            f"{where} {value!r}: more than {EXACT_SCALE} decimal places, which the Parquet "
            f"export's decimal({EXACT_PRECISION}, {EXACT_SCALE}) cannot hold exactly; "
            "export it to SQLite or CSV instead"
        )
    return number


class ParquetWriter:
    """Writes one Parquet file per table into `directory`."""

    def __init__(self, directory: Path, *, force: bool = False) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise UsageError('--parquet needs pyarrow: pip install "htreport[parquet]"') from None
        self._pa = pa
        self.directory = directory
        self._staged = StagedDirectory(directory, parquet_names(), force=force)
        self._schemas = {
            table.name: pa.schema(
                [
                    pa.field(column.name, _arrow_type(pa, column), nullable=not column.required)
                    for column in table.columns
                ]
            )
            for table in TABLES
        }
        self._dates = {
            table.name: [i for i, column in enumerate(table.columns) if column.type == "date"]
            for table in TABLES
        }
        self._exact = {
            table.name: [
                (i, f"{table.name}.{column.name}")
                for i, column in enumerate(table.columns)
                if column.type == "number" and column.exact
            ]
            for table in TABLES
        }
        self._files: dict[str, Any] = {}
        try:
            for name, schema in self._schemas.items():
                self._files[name] = pq.ParquetWriter(self._staged.file(f"{name}.parquet"), schema)
        except OSError as error:
            self.discard()
            raise output_error(error, directory) from None
        self._pending: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLE_NAMES}

    def write(self, table: str, values: tuple[Any, ...]) -> None:
        pending = self._pending[table]
        pending.append(values)
        if len(pending) >= ROW_GROUP:
            try:
                self._flush(table)
            except OSError as error:
                raise output_error(error, self.directory) from None

    def _flush(self, name: str) -> None:
        from datetime import date

        pending = self._pending[name]
        if not pending:
            return
        schema = self._schemas[name]
        columns = [list(values) for values in zip(*pending, strict=True)]
        for index in self._dates[name]:
            columns[index] = [date.fromisoformat(v) if v else None for v in columns[index]]
        for index, where in self._exact[name]:
            columns[index] = [_exact_decimal(v, where) for v in columns[index]]
        batch = self._pa.record_batch(
            [
                self._pa.array(values, type=field.type)
                for values, field in zip(columns, schema, strict=True)
            ],
            schema=schema,
        )
        self._files[name].write_batch(batch)
        pending.clear()

    def finish(self) -> None:
        try:
            for name in TABLE_NAMES:
                self._flush(name)
            self._close()
        except OSError as error:
            raise output_error(error, self.directory) from None

    def _close(self) -> None:
        for file in self._files.values():
            file.close()

    def publish(self) -> list[Path]:
        return self._staged.publish()

    def discard(self) -> None:
        try:
            self._close()
        except OSError:
            pass  # the files are removed with the staging directory
        self._staged.discard()
