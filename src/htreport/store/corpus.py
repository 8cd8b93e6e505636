"""A corpus: every structured file under some paths, loaded as flat records through the cache.

Finding the files is `store.discovery`, one file's records `store.entries`, the cache
`store.cache`; this module puts them together, in parallel where it pays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from htreport.errors import DataFileError, HtreportError
from htreport.settings import worker_count
from htreport.store.cache import (
    RecordCache,
    cache_dir,
    cached_entry,
    fresh_entries,
    fresh_entry,
    prune,
)
from htreport.store.discovery import PathsArg, as_paths, find_structured_files
from htreport.store.entries import Entry, Record, entry_from_report, load_report
from htreport.store.parallel import batch_size, in_processes, map_in_processes

if TYPE_CHECKING:
    from htreport.model.report import Report

__all__ = [
    "Corpus",
    "Entry",
    "cache_dir",
    "find_structured_files",
    "iter_reports",
    "load_corpus",
    "load_report",
    "load_reports",
    "summarize_skipped",
]


@dataclass(slots=True)
class Corpus:
    """The loaded files, in path order, and the files skipped as invalid."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[HtreportError] = field(default_factory=list)
    cache_hits: int = 0

    def records(self, kind: str) -> list[Record]:
        """Every record of `kind` (deliverables, statistics, achievements), file by file."""
        return [record for entry in self.entries for record in entry.records(kind)]


def load_corpus(
    paths: PathsArg = None,
    *,
    use_cache: bool = True,
    skip_invalid: bool = False,
    jobs: int | None = None,
) -> Corpus:
    """Load the records of every structured file under `paths` (default data/structured/).

    `paths` is a path or a list of them (str or PathLike); `-` reads one data file from
    standard input. Files missing from the cache are parsed in `jobs` worker processes
    (default: one per CPU) when there are many of them. An invalid file, or a folder that
    cannot be listed, raises DataFileError naming the file and line, unless `skip_invalid`,
    in which case it is listed in `Corpus.skipped`."""
    given = as_paths(paths)
    from_stdin = given is not None and any(str(path) == "-" for path in given)
    if given is not None and from_stdin:
        given = [path for path in given if str(path) != "-"]
    corpus = Corpus()
    unlisted = corpus.skipped if skip_invalid else None
    files = find_structured_files(given, unlisted=unlisted) if given or not from_stdin else []
    store = RecordCache(cache_dir() / "records") if use_cache else None
    outcomes: list[Entry | HtreportError | None] = [None] * len(files)
    misses: list[int] = []
    for index, path in enumerate(files):
        try:
            outcomes[index] = cached_entry(path, store) if store is not None else None
        except HtreportError as error:
            outcomes[index] = error
        if outcomes[index] is None:
            misses.append(index)
        elif isinstance(outcomes[index], Entry):
            corpus.cache_hits += 1
    fresh = _parse_many([files[i] for i in misses], store.directory if store else None, jobs)
    if store is not None and misses:
        prune(store.directory)
    for index, parsed in zip(misses, fresh, strict=True):
        outcomes[index] = parsed
    if from_stdin:
        outcomes.append(_stdin_entry())
    for outcome in outcomes:
        if isinstance(outcome, Entry):
            corpus.entries.append(outcome)
        elif isinstance(outcome, HtreportError):
            if not skip_invalid:
                raise outcome
            corpus.skipped.append(outcome)
    return corpus


def _stdin_entry() -> Entry | HtreportError:
    """The records of the one data file on standard input (never cached)."""
    import sys

    from htreport.store.io import read_data_bytes

    name = Path("<stdin>")
    try:
        data = read_data_bytes(sys.stdin.buffer, name)
        return entry_from_report(name, load_report(data, name))
    except HtreportError as error:
        return error


#: Below this many files to parse, worker processes cost more than they save.
PARALLEL_THRESHOLD = 16


def _parse_many(
    paths: list[Path], cache_directory: Path | None, jobs: int | None
) -> list[Entry | HtreportError]:
    if not in_processes(len(paths), jobs, PARALLEL_THRESHOLD):
        return [fresh_entry(path, cache_directory) for path in paths]
    # each worker task is a batch of files whose entries share one cache file, and returns
    # entries that read their parts from it
    size = batch_size(len(paths), worker_count(jobs, len(paths)))
    batches = [paths[start : start + size] for start in range(0, len(paths), size)]
    done = map_in_processes(
        fresh_entries, batches, cache_directory, True, jobs=jobs, threshold=1, chunksize=1
    )
    return [outcome for batch in done for outcome in batch]


def iter_reports(
    paths: PathsArg = None,
    *,
    skip_invalid: bool = False,
    skipped: list[HtreportError] | None = None,
) -> Iterator[tuple[Path, Report]]:
    """Full Report objects, one file at a time (for export): memory stays flat.

    An invalid file (or a folder that cannot be listed) raises DataFileError, unless
    `skip_invalid`: then it is appended to `skipped` and the next file follows."""
    named: list[HtreportError] = skipped if skipped is not None else []
    for path in find_structured_files(paths, unlisted=named if skip_invalid else None):
        try:
            report = load_report(path.read_bytes(), path)
        except OSError as error:
            failure = DataFileError(f"cannot read: {error.strerror}", path=path)
            if not skip_invalid:
                raise failure from None
            named.append(failure)
            continue
        except HtreportError as error:
            if not skip_invalid:
                raise
            named.append(error)
            continue
        yield path, report


def load_reports(
    paths: PathsArg = None, *, skip_invalid: bool = False
) -> tuple[list[tuple[Path, Report]], list[HtreportError]]:
    """Full Report objects (for export), with the files skipped as invalid; `paths` as for
    `load_corpus`."""
    skipped: list[HtreportError] = []
    reports = list(iter_reports(paths, skip_invalid=skip_invalid, skipped=skipped))
    return reports, skipped


def summarize_skipped(skipped: Iterable[HtreportError]) -> list[str]:
    """One line per skipped file, for stderr."""
    return [f"skipped {error}" for error in skipped]
