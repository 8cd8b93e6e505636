"""What every export target implements, and the loop that streams a corpus into several."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from htreport.export.rows import Derived, Rows
from htreport.model.report import Report


class Writer(Protocol):
    """An export target: rows go into a staging copy, made visible only by `publish()`."""

    def write(self, table: str, values: tuple[Any, ...]) -> None: ...

    def finish(self) -> None:
        """Complete the staging copy (indexes, search, metadata); may raise."""

    def publish(self) -> list[Path]:
        """Move the finished copy onto the target; returns the files written."""

    def discard(self) -> None:
        """Remove the staging copy (after a failure)."""


@contextmanager
def bulk_load() -> Iterator[None]:
    """Keep the cyclic garbage collector from rescanning what is loaded while rows stream.

    Everything alive so far (modules, the registry, pydantic's schemas) is frozen out of the
    collector's view, and young collections run less often; both are restored afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 50_000), thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


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
