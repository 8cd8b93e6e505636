"""Which exports to write in one run, and the run itself: one pass over the corpus for all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from htreport.errors import HtreportError, UsageError
from htreport.export.rows import Derived
from htreport.export.staging import STDOUT, refuse_existing
from htreport.export.writer import Writer, export
from htreport.store.atomic import check_target


@dataclass(frozen=True, slots=True)
class Targets:
    """The outputs of one export; None means not wanted."""

    sqlite: Path | None = None  # STDOUT (`-`): build in a temporary file, then copy to stdout
    metadata: Path | None = None  # datasette metadata of the SQLite database
    csv: Path | None = None
    datapackage: Path | None = None  # CSV files plus datapackage.json
    parquet: Path | None = None
    force: bool = False

    def check(self) -> None:
        """Refuse what cannot work before any file is read or written."""
        if not any((self.sqlite, self.csv, self.datapackage, self.parquet)):
            raise UsageError(
                "nothing to do: give --sqlite FILE, --csv DIR, --datapackage DIR or --parquet DIR"
            )
        if self.metadata is not None and self.sqlite is None:
            raise UsageError("--metadata describes the --sqlite database: give --sqlite FILE too")
        if self.metadata is not None and self.sqlite == STDOUT:
            raise UsageError("--metadata names the database by its file: give --sqlite FILE, not -")
        if self.metadata == STDOUT:
            raise UsageError("--metadata -: only --sqlite can write to standard output")
        for option, directory in (
            ("--csv", self.csv),
            ("--datapackage", self.datapackage),
            ("--parquet", self.parquet),
        ):
            if directory == STDOUT:
                raise UsageError(
                    f"{option} -: a directory of files cannot go to standard output; "
                    "give a directory"
                )
            if directory is not None and directory.exists() and not directory.is_dir():
                raise UsageError(f"{option} needs a directory", path=directory)
            if directory is not None:
                check_target(directory, force=self.force, directory=True)
        if self.csv is not None and self.csv == self.datapackage:
            raise UsageError("--csv and --datapackage name the same directory; give one")
        refuse_existing(self.files(), self.force)

    def files(self) -> list[Path]:
        """Every file the export would write."""
        from htreport.export.csv_files import csv_names
        from htreport.export.datapackage import DESCRIPTOR
        from htreport.export.parquet import parquet_names

        files = [path for path in (self.sqlite, self.metadata) if path is not None]
        if self.csv is not None:
            files += [self.csv / name for name in csv_names()]
        if self.datapackage is not None:
            files += [self.datapackage / name for name in [*csv_names(), DESCRIPTOR]]
        if self.parquet is not None:
            files += [self.parquet / name for name in parquet_names()]
        return files

    def open(self) -> list[Writer]:
        """One writer per output, each staging its files; on failure none is left behind."""
        from htreport.export.csv_files import CsvWriter
        from htreport.export.datapackage import DataPackageWriter
        from htreport.export.datasette import DatasetteMetadataWriter
        from htreport.export.parquet import ParquetWriter
        from htreport.export.sqlite import SqliteWriter

        writers: list[Writer] = []
        try:
            if self.sqlite is not None:
                writers.append(SqliteWriter(self.sqlite, force=self.force))
                if self.metadata is not None:
                    writers.append(
                        DatasetteMetadataWriter(self.metadata, self.sqlite, force=self.force)
                    )
            if self.csv is not None:
                writers.append(CsvWriter(self.csv, force=self.force))
            if self.datapackage is not None:
                writers.append(DataPackageWriter(self.datapackage, force=self.force))
            if self.parquet is not None:
                writers.append(ParquetWriter(self.parquet, force=self.force))
        except BaseException:
            for writer in writers:
                writer.discard()
            raise
        return writers


def export_corpus(
    targets: Targets,
    paths: Sequence[Path] | None = None,
    *,
    skip_invalid: bool = False,
    derived: Derived | None = None,
) -> tuple[dict[str, int], list[HtreportError]]:
    """Export every structured file under `paths` to `targets`, streaming file by file.

    Returns the row count per table and the files skipped as invalid (with `skip_invalid`;
    otherwise the first invalid file raises and nothing is written). `derived`: the flags and
    links to export, computed by the caller (`htreport export` does; without it the flag
    columns are NULL and the links table empty)."""
    from htreport.store.corpus import iter_reports

    targets.check()
    skipped: list[HtreportError] = []
    reports = iter_reports(paths, skip_invalid=skip_invalid, skipped=skipped)
    counts = export(reports, targets.open(), derived)
    return counts, skipped
