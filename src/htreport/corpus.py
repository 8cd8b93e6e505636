"""Find structured report files and load their flat records fast, through a cache.

Parsing and validating a structured YAML file costs ~20 ms; a corpus of a thousand reports
would spend most of a query doing that. The records of each file are therefore cached, one
entry per file, keyed on the file's path, size, inode, mtime_ns and ctime_ns. When the file was
modified within RACY_WINDOW_NS of when it was read (so a later write could share the same
timestamps), its content hash is checked too: a cache hit is never stale.

The cache lives in `$HTREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/htreport`, else
`~/.cache/htreport`. Unreadable, corrupt or foreign entries are ignored and rebuilt; a cache
that cannot be written is silently skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import DataFileError, HtreportError
from .models import Report
from .settings import DEFAULT_STRUCTURED_DIR, STRUCTURED_SUFFIXES

#: Bump when the layout of cache entries changes.
CACHE_FORMAT = 1
#: Timestamps closer than this to the moment a file was read are not trusted alone.
RACY_WINDOW_NS = 2_000_000_000

Record = dict[str, Any]


def cache_dir() -> Path:
    """Where cache entries are kept (see the module docstring)."""
    if os.environ.get("HTREPORT_CACHE_DIR"):
        return Path(os.environ["HTREPORT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "htreport"


def find_structured_files(paths: Sequence[Path] | None = None) -> list[Path]:
    """Structured files named in `paths` or found (recursively) under its directories.

    Hidden files and directories are skipped; a path given twice is read once. Raises
    DataFileError for a missing path or when no structured file is found at all."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths or [DEFAULT_STRUCTURED_DIR]:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in STRUCTURED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
            if not candidates:
                raise DataFileError(
                    f"no structured files ({', '.join('*' + s for s in STRUCTURED_SUFFIXES)}) here",
                    path=path,
                )
        elif path.is_file():
            candidates = [path]
        else:
            raise DataFileError("no such file or directory", path=path)
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found


@dataclass(slots=True)
class Entry:
    """What the corpus keeps of one structured file."""

    path: Path
    report: dict[str, Any]  # fiscal_year, title, source file, counts of warnings
    records: dict[str, list[Record]]


@dataclass(slots=True)
class Corpus:
    """The loaded files, in path order, and the files skipped as invalid."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[HtreportError] = field(default_factory=list)
    cache_hits: int = 0

    def records(self, kind: str) -> list[Record]:
        """Every record of `kind` (deliverables, statistics, achievements), file by file."""
        return [record for entry in self.entries for record in entry.records[kind]]


def load_corpus(
    paths: Sequence[Path] | None = None, *, use_cache: bool = True, skip_invalid: bool = False
) -> Corpus:
    """Load the records of every structured file under `paths` (default data/structured/).

    An invalid file raises DataFileError naming the file and line, unless `skip_invalid`, in
    which case it is listed in `Corpus.skipped` and the others are loaded."""
    corpus = Corpus()
    store = _Cache(cache_dir()) if use_cache else None
    for path in find_structured_files(paths):
        try:
            entry, hit = _load_entry(path, store)
        except HtreportError as error:
            if not skip_invalid:
                raise
            corpus.skipped.append(error)
            continue
        corpus.entries.append(entry)
        corpus.cache_hits += hit
    return corpus


def load_reports(
    paths: Sequence[Path] | None = None, *, skip_invalid: bool = False
) -> tuple[list[tuple[Path, Report]], list[HtreportError]]:
    """Full Report objects (for export), with the files skipped as invalid."""
    reports: list[tuple[Path, Report]] = []
    skipped: list[HtreportError] = []
    for path in find_structured_files(paths):
        try:
            reports.append((path, load_report(path.read_bytes(), path)))
        except OSError as error:
            failure = DataFileError(f"cannot read: {error.strerror}", path=path)
            if not skip_invalid:
                raise failure from None
            skipped.append(failure)
        except HtreportError as error:
            if not skip_invalid:
                raise
            skipped.append(error)
    return reports, skipped


def load_report(data: bytes, path: Path) -> Report:
    """Parse and validate one structured file's bytes; errors name the file and, if known, line."""
    from . import io

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataFileError("not UTF-8 text", path=path, line=line) from None
    fmt = io.format_of(path)
    try:
        return io.loads(text, fmt, path=str(path))
    except DataFileError as error:
        if error.line is None:
            error.line = _validation_error_line(text, fmt)
        raise


def _validation_error_line(text: str, fmt: str) -> int | None:
    """The source line of the first validation error, found by walking the YAML node tree."""
    import yaml
    from pydantic import ValidationError

    from . import io

    try:
        data = io.parse_text(text, fmt)  # type: ignore[arg-type]
        data.pop("$schema", None)
        Report.model_validate(data)
        return None
    except ValidationError as error:
        location = error.errors()[0]["loc"]
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else None


def entry_from_report(path: Path, report: Report) -> Entry:
    """The cached view of one report: a few metadata and its flat records."""
    from .records import all_records

    return Entry(
        path=path,
        report={
            "fiscal_year": report.metadata.fiscal_year,
            "title": report.metadata.title,
            "source": report.source.file,
            "warnings": len(report.warnings),
        },
        records=all_records(report),
    )


def _load_entry(path: Path, store: _Cache | None) -> tuple[Entry, bool]:
    try:
        stat = path.stat()
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
    data: bytes | None = None
    if store is not None:
        cached = store.get(path, stat)
        if cached is not None:
            entry, needs_hash, digest = cached
            if not needs_hash:
                return entry, True
            data = _read(path)
            if hashlib.sha256(data).hexdigest() == digest:
                now = time.time_ns()
                if max(stat.st_mtime_ns, stat.st_ctime_ns) < now - RACY_WINDOW_NS:
                    store.put(path, stat, digest, now, entry)  # settled: no more hashing
                return entry, True
    read_at = time.time_ns()
    if data is None:
        data = _read(path)
    entry = entry_from_report(path, load_report(data, path))
    if store is not None:
        store.put(path, stat, hashlib.sha256(data).hexdigest(), read_at, entry)
    return entry, False


def _read(path: Path) -> bytes:
    from .settings import MAX_DATA_FILE_BYTES

    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_DATA_FILE_BYTES + 1)
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > MAX_DATA_FILE_BYTES:
        raise DataFileError(f"file is larger than the {MAX_DATA_FILE_BYTES}-byte limit", path=path)
    return data


@cache
def _code_fingerprint() -> str:
    """Changes whenever the code that shapes records changes, so old entries are not reused."""
    from . import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    here = Path(__file__).parent
    for name in ("records.py", "models.py", "corpus.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - installed without sources
            pass
    return digest.hexdigest()[:16]


class _Cache:
    """One JSON entry per structured file, named after a hash of its absolute path."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "records"

    def _entry_path(self, path: Path) -> Path:
        return self.directory / (hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:40] + ".json")

    @staticmethod
    def _stamp(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]

    def get(self, path: Path, stat: os.stat_result) -> tuple[Entry, bool, str] | None:
        """(entry, content hash must be checked, content hash), or None on a miss."""
        try:
            with self._entry_path(path).open("rb") as stream:
                data = json.loads(stream.read())
            if (
                data["format"] != _code_fingerprint()
                or data["path"] != str(path.resolve())
                or data["stamp"] != self._stamp(stat)
            ):
                return None
            entry = Entry(path=path, report=data["report"], records=data["records"])
            racy = max(stat.st_mtime_ns, stat.st_ctime_ns) >= data["read_at"] - RACY_WINDOW_NS
            return entry, racy, data["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt entry: rebuild it

    def put(self, path: Path, stat: os.stat_result, digest: str, read_at: int, entry: Entry) -> None:
        payload = {
            "format": _code_fingerprint(),
            "path": str(path.resolve()),
            "stamp": self._stamp(stat),
            "sha256": digest,
            "read_at": read_at,
            "report": entry.report,
            "records": entry.records,
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
                os.replace(temporary, self._entry_path(path))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full cache directory only costs speed


def summarize_skipped(skipped: Iterable[HtreportError]) -> list[str]:
    """One line per skipped file, for stderr."""
    return [f"skipped {error}" for error in skipped]
