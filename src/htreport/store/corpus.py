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
import marshal
import os
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htreport.errors import DataFileError, HtreportError
from htreport.settings import DEFAULT_STRUCTURED_DIR, STRUCTURED_SUFFIXES

#: Bump when the layout of cache entries changes.
CACHE_FORMAT = 1
#: The kinds of records kept per file (see records.RECORD_FIELDS).
KINDS = ("deliverables", "statistics", "achievements")
#: Timestamps closer than this to the moment a file was read are not trusted alone.
RACY_WINDOW_NS = 2_000_000_000

if TYPE_CHECKING:
    from htreport.model.report import Report

Record = dict[str, Any]


def cache_dir() -> Path:
    """Where cache entries are kept (see the module docstring)."""
    if os.environ.get("HTREPORT_CACHE_DIR"):
        return Path(os.environ["HTREPORT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "htreport"


def find_structured_files(paths: Sequence[Path] | None = None) -> list[Path]:
    """Structured files named in `paths` or found (recursively) under its directories.

    Hidden files and directories are skipped; a path given twice is read once (symbolic links
    to one file are not recognised as the same file: they are read twice). Raises
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
            resolved = Path(os.path.abspath(candidate))  # not resolve(): ~10 syscalls a file
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found


#: Fields kept in a small per-file index: most filters read only these, so a query decodes
#: the full records (or the ready-made JSON text) of the matching rows alone.
INDEX_FIELDS: dict[str, tuple[str, ...]] = {
    "deliverables": ("report", "pillar", "task", "status", "start", "new", "leads"),
    "statistics": ("report", "section", "departments", "unit", "value"),
    "achievements": ("report", "section", "departments"),
}


class Entry:
    """What the corpus keeps of one structured file: a few metadata and, per record kind, the
    records, their index (INDEX_FIELDS) and each record's JSON text. From the cache, each part
    is decoded on first use; a part that fails to decode is rebuilt from the file itself."""

    __slots__ = ("path", "report", "_parts", "_cache_file", "_offsets")

    def __init__(
        self,
        path: Path,
        report: dict[str, Any],
        parts: dict[str, list[Any]] | None = None,
        cache_file: Path | None = None,
        offsets: dict[str, list[int]] | None = None,
    ) -> None:
        self.path = path
        self.report = report
        self._parts: dict[str, list[Any]] = dict(parts or {})
        self._cache_file = cache_file  # parts are read from it on first use, by offset
        self._offsets = offsets or {}

    def __getstate__(self) -> tuple:  # worker processes send entries back to the parent
        return (self.path, self.report, self._parts, self._cache_file, self._offsets)

    def __setstate__(self, state: tuple) -> None:
        self.path, self.report, self._parts, self._cache_file, self._offsets = state

    def records(self, kind: str) -> list[Record]:
        """Every record of `kind` in this file."""
        return self._part(kind)

    def index(self, kind: str) -> list[Record]:
        """The records of `kind` cut down to INDEX_FIELDS."""
        return self._part(f"{kind}.index")

    def json_texts(self, kind: str) -> list[str]:
        """Each record of `kind` as JSON text (what `json.dumps(record)` gives)."""
        return self._part(f"{kind}.json")

    def all_parts(self) -> dict[str, list[Any]]:
        return {
            name: self._part(name)
            for kind in KINDS
            for name in (kind, f"{kind}.index", f"{kind}.json")
        }

    def _part(self, name: str) -> list[Any]:
        found = self._parts.get(name)
        if found is not None:
            return found
        value = None
        if name in self._offsets and self._cache_file is not None:
            offset, length, checksum = self._offsets[name]
            try:  # the entry may have been replaced meanwhile: the checksum tells
                with self._cache_file.open("rb") as stream:
                    stream.seek(offset)
                    part = stream.read(length)
                # marshal cannot tell damaged text from text: the checksum can
                value = marshal.loads(part) if zlib.crc32(part) == checksum else None
            except (OSError, EOFError, ValueError, TypeError):
                value = None
            if not isinstance(value, list):
                value = None
        if value is None and name in self._offsets:
            self._rebuild()  # a corrupt cache entry: read the file itself
            return self._part(name)
        if value is None:
            kind, _, which = name.partition(".")
            records = self.records(kind)
            if which == "index":
                value = [
                    {field: record[field] for field in INDEX_FIELDS[kind]} for record in records
                ]
            else:
                value = [json.dumps(record, ensure_ascii=False) for record in records]
        self._parts[name] = value
        return value

    def _rebuild(self) -> None:
        fresh = entry_from_report(self.path, load_report(_read(self.path), self.path))
        self._parts, self._cache_file, self._offsets = fresh._parts, None, {}


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
    paths: Sequence[Path] | None = None,
    *,
    use_cache: bool = True,
    skip_invalid: bool = False,
    jobs: int | None = None,
) -> Corpus:
    """Load the records of every structured file under `paths` (default data/structured/).

    Files missing from the cache are parsed in `jobs` worker processes (default: one per CPU)
    when there are many of them. An invalid file raises DataFileError naming the file and line,
    unless `skip_invalid`, in which case it is listed in `Corpus.skipped`."""
    files = find_structured_files(paths)
    store = _Cache(cache_dir() / "records") if use_cache else None
    outcomes: list[Entry | HtreportError | None] = [None] * len(files)
    misses: list[int] = []
    corpus = Corpus()
    for index, path in enumerate(files):
        try:
            outcomes[index] = _cached_entry(path, store) if store is not None else None
        except HtreportError as error:
            outcomes[index] = error
        if outcomes[index] is None:
            misses.append(index)
        elif isinstance(outcomes[index], Entry):
            corpus.cache_hits += 1
    fresh = _parse_many([files[i] for i in misses], store.directory if store else None, jobs)
    for index, parsed in zip(misses, fresh, strict=True):
        outcomes[index] = parsed
    for outcome in outcomes:
        if isinstance(outcome, Entry):
            corpus.entries.append(outcome)
        elif isinstance(outcome, HtreportError):
            if not skip_invalid:
                raise outcome
            corpus.skipped.append(outcome)
    return corpus


#: Below this many files to parse, worker processes cost more than they save.
PARALLEL_THRESHOLD = 16


def _parse_many(
    paths: list[Path], cache_directory: Path | None, jobs: int | None
) -> list[Entry | HtreportError]:
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        return [_fresh_entry(path, cache_directory) for path in paths]
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        chunk = max(1, len(paths) // (jobs * 4))
        return list(pool.map(_fresh_entry, paths, repeat(cache_directory), chunksize=chunk))


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
    from htreport.store import io

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

    from htreport.model.report import Report
    from htreport.store import io

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
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else None


def entry_from_report(path: Path, report: Report) -> Entry:
    """The cached view of one report: a few metadata and its flat records."""
    from htreport.model.records import all_records

    return Entry(
        path,
        {
            "fiscal_year": report.metadata.fiscal_year,
            "title": report.metadata.title,
            "source": report.source.file,
            "warnings": len(report.warnings),
        },
        all_records(report),
    )


def _cached_entry(path: Path, store: _Cache) -> Entry | None:
    """The cached entry of `path` if it is certainly current, else None."""
    try:
        stat = path.stat()
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
    cached = store.get(path, stat)
    if cached is None:
        return None
    entry, needs_hash, digest = cached
    if not needs_hash:
        return entry
    data = _read(path)
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    now = time.time_ns()
    if max(stat.st_mtime_ns, stat.st_ctime_ns) < now - RACY_WINDOW_NS:
        store.settle(path, now)  # timestamps now trustworthy: no more hashing next time
    return entry


def _fresh_entry(path: Path, cache_directory: Path | None) -> Entry | HtreportError:
    """Parse and validate `path` and store its entry in the cache; errors are returned."""
    try:
        try:
            stat = path.stat()
        except OSError as error:
            raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
        read_at = time.time_ns()
        data = _read(path)
        entry = entry_from_report(path, load_report(data, path))
    except HtreportError as error:
        return error
    if cache_directory is not None:
        _Cache(cache_directory).put(path, stat, hashlib.sha256(data).hexdigest(), read_at, entry)
    return entry


def _read(path: Path) -> bytes:
    from htreport.settings import MAX_DATA_FILE_BYTES

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
    from htreport.settings import VERSION

    digest = hashlib.sha256(f"{CACHE_FORMAT}:{VERSION}:{sys.version}:{marshal.version}".encode())
    here = Path(__file__).parent
    for name in ("records.py", "models.py", "corpus.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - installed without sources
            pass
    return digest.hexdigest()[:16]


class _Cache:
    """One entry file per structured file, named after a hash of its absolute path.

    An entry is an 8-byte header length, a marshalled header (stamps, hash, metadata, and the
    offset and length of each kind of records), then each kind's records marshalled on its own,
    so a query reads and decodes only the kind it asks for. marshal is ~2.5x faster to read
    than JSON and, unlike pickle, cannot run code; the fingerprint ties entries to this Python
    and this htreport."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _entry_path(self, absolute: str) -> Path:
        return self.directory / (hashlib.sha256(absolute.encode()).hexdigest()[:40] + ".marshal")

    @staticmethod
    def _stamp(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]

    def _read_header(self, stream: Any) -> dict[str, Any]:
        size = int.from_bytes(stream.read(8), "little")
        if size > os.fstat(stream.fileno()).st_size:
            raise ValueError("truncated or corrupt cache entry")
        return marshal.loads(stream.read(size))

    def get(self, path: Path, stat: os.stat_result) -> tuple[Entry, bool, str] | None:
        """(entry, content hash must be checked, content hash), or None on a miss.

        The parts of the entry are decoded only when used (see Entry)."""
        absolute = os.path.abspath(path)
        entry_path = self._entry_path(absolute)
        try:
            with entry_path.open("rb") as stream:
                header = self._read_header(stream)
                base = stream.tell()
                size = os.fstat(stream.fileno()).st_size
            if (
                header["format"] != _code_fingerprint()
                or header["path"] != absolute
                or header["stamp"] != self._stamp(stat)
            ):
                return None
            offsets = {
                name: [base + offset, length, crc]
                for name, (offset, length, crc) in header["records"].items()
            }
            if any(offset + length > size for offset, length, _ in offsets.values()):
                return None
            entry = Entry(path, header["report"], cache_file=entry_path, offsets=offsets)
            racy = max(stat.st_mtime_ns, stat.st_ctime_ns) >= header["read_at"] - RACY_WINDOW_NS
            return entry, racy, header["sha256"]
        except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # missing or corrupt entry: rebuild it

    def settle(self, path: Path, checked_at: int) -> None:
        """Record that the entry was verified by hash at `checked_at`."""
        absolute = os.path.abspath(path)
        try:
            with self._entry_path(absolute).open("rb") as stream:
                header = self._read_header(stream)
                blobs = stream.read()
            header["read_at"] = checked_at
        except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError):
            return
        self._write(absolute, header, blobs)

    def put(
        self, path: Path, stat: os.stat_result, digest: str, read_at: int, entry: Entry
    ) -> None:
        absolute = os.path.abspath(path)
        blobs = {name: marshal.dumps(value) for name, value in entry.all_parts().items()}
        offsets, position = {}, 0
        for kind, blob in blobs.items():
            offsets[kind] = [position, len(blob), zlib.crc32(blob)]
            position += len(blob)
        header = {
            "format": _code_fingerprint(),
            "path": absolute,
            "stamp": self._stamp(stat),
            "sha256": digest,
            "read_at": read_at,
            "report": entry.report,
            "records": offsets,
        }
        self._write(absolute, header, b"".join(blobs.values()))

    def _write(self, absolute: str, header: dict[str, Any], blobs: bytes) -> None:
        encoded = marshal.dumps(header)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(len(encoded).to_bytes(8, "little") + encoded + blobs)
                os.replace(temporary, self._entry_path(absolute))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full cache directory only costs speed


def summarize_skipped(skipped: Iterable[HtreportError]) -> list[str]:
    """One line per skipped file, for stderr."""
    return [f"skipped {error}" for error in skipped]
