"""What every export target implements, and the loop that streams a corpus into several."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from htreport.export.rows import Derived, Rows
from htreport.model.report import Report
from htreport.store.parallel import bulk_load


class Writer(Protocol):
    """An export target: rows go into a staging copy, made visible only by `publish()`."""

    def write(self, table: str, values: tuple[Any, ...]) -> None: ...

    def finish(self) -> None:
        """Complete the staging copy (indexes, search, metadata); may raise."""

    def publish(self) -> list[Path]:
        """Move the finished copy onto the target; returns the files written."""

    def discard(self) -> None:
        """Remove the staging copy (after a failure)."""


def export(
    reports: Iterable[tuple[Path, Report]],
    writers: Sequence[Writer],
    derived: Derived | None = None,
) -> dict[str, int]:
    """Stream every row of `reports` into each writer, then publish them all.

    `derived`: the flags and links computed by the caller (see `rows.Derived`).

    `reports` is consumed lazily, one report at a time, so memory stays flat however many
    files there are. On any failure (including a bad file raised by `reports`) every staging
    copy is discarded and nothing is published. Returns the row count per table."""
    rows = Rows(derived)
    try:
        with bulk_load():
            for table, values in rows.registry():
                for writer in writers:
                    writer.write(table, values)
            for path, report in reports:
                for table, values in rows.report(path, report):
                    for writer in writers:
                        writer.write(table, values)
        for writer in writers:
            writer.finish()
    except BaseException:
        for writer in writers:
            writer.discard()
        raise
    for writer in writers:
        writer.publish()
    return rows.counts()
