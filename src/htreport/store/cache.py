"""The record cache: one entry file per structured file, so a warm query never re-parses.

Parsing and validating a structured YAML file costs ~20 ms; a corpus of a thousand reports
would spend most of a query doing that. The records of each file are therefore cached, one
entry per file, keyed on the file's path, size, inode, mtime_ns and ctime_ns. When the file was
modified within RACY_WINDOW_NS of when it was read (so a later write could share the same
timestamps), its content hash is checked too: a cache hit is never stale.

The cache lives in `$HTREPORT_CACHE_DIR`, else the platform's user cache directory for
htreport (platformdirs: `$XDG_CACHE_HOME/htreport`, else `~/.cache/htreport` on Linux).
Unreadable, corrupt or foreign entries are ignored and rebuilt; a cache that cannot be
written is silently skipped. Its size is bounded (`max_cache_bytes`, `$HTREPORT_CACHE_MAX_MB`):
after a run that added entries, the least recently used ones are removed until it fits.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from htreport.errors import DataFileError, HtreportError
from htreport.settings import VERSION
from htreport.store.entries import Entry, entry_from_report, load_report, read_capped

#: Bump when the layout of cache entries changes.
CACHE_FORMAT = 1
#: Timestamps closer than this to the moment a file was read are not trusted alone.
RACY_WINDOW_NS = 2_000_000_000
#: The modules whose code shapes cached records: a change to any of them invalidates entries.
_SHAPING_MODULES = (
    "model/records.py",
    "model/report.py",
    "model/vocabulary.py",
    "store/entries.py",
    "store/cache.py",
)


def cache_dir() -> Path:
    """Where cache entries are kept (see the module docstring)."""
    if os.environ.get("HTREPORT_CACHE_DIR"):
        return Path(os.environ["HTREPORT_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("htreport", appauthor=False))


def cached_entry(path: Path, store: RecordCache) -> Entry | None:
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
    data = read_capped(path)
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    now = time.time_ns()
    if max(stat.st_mtime_ns, stat.st_ctime_ns) < now - RACY_WINDOW_NS:
        store.settle(path, now)  # timestamps now trustworthy: no more hashing next time
    return entry


def fresh_entry(
    path: Path, cache_directory: Path | None, light: bool = False
) -> Entry | HtreportError:
    """Parse and validate `path` and store its entry in the cache; errors are returned.

    With `light`, the entry returned reads its parts back from the cache entry just written
    (when that worked): what a worker process sends its parent is then a few hundred bytes,
    not every record, and the parent decodes only the parts a query reads."""
    try:
        try:
            stat = path.stat()
        except OSError as error:
            raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
        read_at = time.time_ns()
        data = read_capped(path)
        entry = entry_from_report(path, load_report(data, path))
    except HtreportError as error:
        return error
    if cache_directory is not None:
        written = RecordCache(cache_directory).put(
            path, stat, hashlib.sha256(data).hexdigest(), read_at, entry
        )
        if light and written is not None:
            cache_file, offsets = written
            return Entry(path, entry.report, cache_file=cache_file, offsets=offsets)
    return entry


@cache
def _code_fingerprint() -> str:
    """Changes whenever the code that shapes records changes, so old entries are not reused."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{VERSION}:{sys.version}:{marshal.version}".encode())
    package = Path(__file__).resolve().parent.parent
    for name in _SHAPING_MODULES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:  # pragma: no cover - installed without sources
            pass
    return digest.hexdigest()[:16]


class RecordCache:
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
                entry_stat = os.fstat(stream.fileno())
                size = entry_stat.st_size
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
            mark_used(entry_path, entry_stat.st_mtime)
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
        self._write(absolute, marshal.dumps(header), blobs)

    def put(
        self, path: Path, stat: os.stat_result, digest: str, read_at: int, entry: Entry
    ) -> tuple[Path, dict[str, list[int]]] | None:
        """Write the entry of `path`; where it went and each part's (offset, length, CRC) in
        it, or None when the cache cannot be written."""
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
        encoded = marshal.dumps(header)
        if not self._write(absolute, encoded, b"".join(blobs.values())):
            return None
        base = 8 + len(encoded)
        return self._entry_path(absolute), {
            name: [base + offset, length, crc] for name, (offset, length, crc) in offsets.items()
        }

    def _write(self, absolute: str, encoded: bytes, blobs: bytes) -> bool:
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
            return False  # a read-only or full cache directory only costs speed
        return True


# -- size bound: least recently used entries go first -----------------------------------------

#: The default bound on the cache's size, in bytes (override: $HTREPORT_CACHE_MAX_MB). An
#: entry is about 1.3 times its data file (146 KB for the shipped report), so this holds about
#: 7,000 reports. A corpus whose entries do not fit is never warm: a query reads every file in
#: the same order, and the least recently used entries are the next query's first files.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
#: An entry's mtime records when it was last used, refreshed at most this often (seconds).
USE_RESOLUTION_S = 3600


def max_cache_bytes() -> int:
    """The cache's size bound: $HTREPORT_CACHE_MAX_MB megabytes, else DEFAULT_MAX_BYTES."""
    text = os.environ.get("HTREPORT_CACHE_MAX_MB", "").strip()
    try:
        return max(0, int(float(text) * 1024 * 1024)) if text else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def mark_used(entry_path: Path, mtime: float) -> None:
    """Note that an entry was used (its mtime), unless that was noted within the hour."""
    now = time.time()
    if mtime < now - USE_RESOLUTION_S:
        try:
            os.utime(entry_path, (now, now))
        except OSError:
            pass


def _entry_files(directory: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as found:
            return [e for e in found if e.name.endswith((".marshal", ".tmp")) and e.is_file()]
    except OSError:
        return []


def cache_usage(directory: Path) -> tuple[int, int]:
    """(number of entries, total bytes) of the cache in `directory`."""
    files = _entry_files(directory)
    total = 0
    for entry in files:
        try:
            total += entry.stat().st_size
        except OSError:
            pass
    return len(files), total


def prune(directory: Path, max_bytes: int | None = None) -> int:
    """Remove the least recently used entries until the cache holds at most `max_bytes`
    (default `max_cache_bytes()`); returns how many were removed."""
    limit = max_cache_bytes() if max_bytes is None else max_bytes
    aged = []
    total = 0
    for entry in _entry_files(directory):
        try:
            stat = entry.stat()
        except OSError:
            continue
        total += stat.st_size
        aged.append((stat.st_mtime, stat.st_size, entry.path))
    removed = 0
    for _mtime, size, path in sorted(aged):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed


def clear(directory: Path) -> int:
    """Remove every entry of the cache in `directory`; returns how many were removed."""
    return prune(directory, 0)
