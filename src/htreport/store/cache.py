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
import struct
import sys
import tempfile
import time
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from htreport.errors import DataFileError, HtreportError
from htreport.settings import VERSION
from htreport.store.cache_bound import (
    cache_usage,
    clear,
    mark_used,
    max_cache_bytes,
    prune,
)
from htreport.store.entries import (
    Entry,
    entry_from_report,
    load_report,
    open_for_reading,
    read_bytes,
    read_capped,
)

__all__ = [
    "RecordCache",
    "cache_dir",
    "cache_usage",
    "cached_entry",
    "clear",
    "fresh_entries",
    "fresh_entry",
    "max_cache_bytes",
    "prune",
]

#: Bump when the layout of cache entries changes.
CACHE_FORMAT = 2
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
    return fresh_entries([path], cache_directory, light)[0]


def fresh_entries(
    paths: list[Path], cache_directory: Path | None, light: bool = False
) -> list[Entry | HtreportError]:
    """`fresh_entry` for several files, whose entries share one cache file (see RecordCache:
    creating a file is most of what writing a small entry costs)."""
    results: list[Entry | HtreportError] = []
    loaded: list[tuple[int, Path, os.stat_result, str, int, Entry]] = []
    for path in paths:
        try:
            try:
                stat = path.stat()
            except OSError as error:
                raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
            read_at = time.time_ns()
            data = read_capped(path)
            entry = entry_from_report(path, load_report(data, path))
        except HtreportError as error:
            results.append(error)
            continue
        digest = hashlib.sha256(data).hexdigest()
        loaded.append((len(results), path, stat, digest, read_at, entry))
        results.append(entry)
    if cache_directory is None or not loaded:
        return results
    written = RecordCache(cache_directory).put_many([item[1:] for item in loaded])
    if light:
        for (index, path, *_, entry), where in zip(loaded, written, strict=True):
            if where is not None:
                cache_file, offsets = where
                results[index] = Entry(path, entry.report, cache_file=cache_file, offsets=offsets)
    return results


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


#: What reading a missing, damaged or foreign cache entry can raise: the entry is a miss.
_UNREADABLE = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    OverflowError,
    struct.error,
)
#: Bytes read at once from the start of a cache file: its table of contents and an entry's
#: header (about 2 KB for a report) are nearly always within them.
_HEAD = 16384


def _bytes_at(descriptor: int, head: bytes, offset: int, length: int) -> bytes:
    """`length` bytes at `offset`, from `head` (the file's first bytes) when it holds them."""
    if offset + length <= len(head):
        return head[offset : offset + length]
    return read_bytes(descriptor, length, offset)


class RecordCache:
    """One entry per structured file, found under a name made from a hash of its absolute path.

    A cache file starts with an 8-byte length and a marshalled table of contents (each
    absolute path it holds, and where its entry starts after the table); then the entries.
    An entry is an 8-byte header length, a marshalled header (stamps, hash, metadata, and the
    offset and length of each kind of records), then each kind's records marshalled on its own,
    so a query reads and decodes only the kind it asks for. marshal is ~2.5x faster to read
    than JSON and, unlike pickle, cannot run code; the fingerprint ties entries to this Python
    and this htreport.

    Entries written together (a worker's batch, `put_many`) share one file, which each entry's
    name is a hard link to: creating a file costs far more than linking a name to one (ext4
    scans past every inode freed in the last minutes before it hands out a new one), and a cold
    query writes a thousand entries. A file system without hard links gets a file per entry.
    The links of a shared file are used, aged and pruned together (they share its mtime)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _entry_path(self, absolute: str) -> Path:
        return self.directory / (hashlib.sha256(absolute.encode()).hexdigest()[:40] + ".marshal")

    @staticmethod
    def _stamp(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]

    def _entry_at(self, descriptor: int, absolute: str) -> tuple[dict[str, Any], int, Any]:
        """The header of `absolute`'s entry in an open cache file, where its parts start, and
        the file's stat. The table of contents and the header nearly always lie in the first
        `_HEAD` bytes, read at once."""
        stat = os.fstat(descriptor)
        size = stat.st_size
        head = read_bytes(descriptor, _HEAD, 0)

        def marshalled_at(offset: int) -> tuple[Any, int]:
            if offset < 0:
                raise ValueError("truncated or corrupt cache entry")
            length = int.from_bytes(_bytes_at(descriptor, head, offset, 8), "little")
            if length > size:
                raise ValueError("truncated or corrupt cache entry")
            value = marshal.loads(_bytes_at(descriptor, head, offset + 8, length))
            return value, offset + 8 + length

        contents, end = marshalled_at(0)
        header, base = marshalled_at(end + contents[absolute])
        return header, base, stat

    def get(self, path: Path, stat: os.stat_result) -> tuple[Entry, bool, str] | None:
        """(entry, content hash must be checked, content hash), or None on a miss.

        The parts of the entry are decoded only when used (see Entry)."""
        absolute = os.path.abspath(path)
        entry_path = self._entry_path(absolute)
        try:
            descriptor = open_for_reading(entry_path)
            try:
                header, base, entry_stat = self._entry_at(descriptor, absolute)
            finally:
                os.close(descriptor)
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
        except _UNREADABLE:
            return None  # missing or corrupt entry: rebuild it

    def settle(self, path: Path, checked_at: int) -> None:
        """Record that the entry was verified by hash at `checked_at` (the entry gets a file
        of its own)."""
        absolute = os.path.abspath(path)
        try:
            descriptor = open_for_reading(self._entry_path(absolute))
            try:
                header, base, _ = self._entry_at(descriptor, absolute)
                end = max(offset + length for offset, length, _ in header["records"].values())
                blobs = read_bytes(descriptor, end, base)
            finally:
                os.close(descriptor)
            header["read_at"] = checked_at
        except _UNREADABLE:
            return
        self._write_files([(absolute, marshal.dumps(header), blobs)])

    def put_many(
        self, items: list[tuple[Path, os.stat_result, str, int, Entry]]
    ) -> list[tuple[Path, dict[str, list[int]]] | None]:
        """Write the entries of several files (path, stat, content hash, read time, entry) into
        one cache file; for each, where it went and each part's (offset, length, CRC) in it, or
        None when the cache cannot be written."""
        written: list[tuple[str, bytes, bytes]] = []
        relative_offsets = []
        for path, stat, digest, read_at, entry in items:
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
            written.append((absolute, marshal.dumps(header), b"".join(blobs.values())))
            relative_offsets.append(offsets)
        starts = self._write_files(written)
        answers: list[tuple[Path, dict[str, list[int]]] | None] = []
        for (absolute, encoded, _), offsets, start in zip(
            written, relative_offsets, starts, strict=True
        ):
            if start is None:
                answers.append(None)
                continue
            base = start + 8 + len(encoded)
            answers.append(
                (
                    self._entry_path(absolute),
                    {name: [base + at, length, crc] for name, (at, length, crc) in offsets.items()},
                )
            )
        return answers

    def _write_files(self, entries: list[tuple[str, bytes, bytes]]) -> list[int | None]:
        """Write (absolute path, header, parts) entries into one new cache file, published
        under each path's name; where each entry starts in its file, None where it could not
        be written. Without hard links, each entry gets a file of its own."""
        contents: dict[str, int] = {}
        chunks: list[bytes] = []
        position = 0
        for absolute, encoded, blobs in entries:
            contents[absolute] = position
            chunks.append(len(encoded).to_bytes(8, "little") + encoded + blobs)
            position += len(chunks[-1])
        table = marshal.dumps(contents)
        start = 8 + len(table)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        except OSError:
            return [None] * len(entries)  # a read-only or full cache directory only costs speed
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(len(table).to_bytes(8, "little") + table)
                for chunk in chunks:
                    stream.write(chunk)
            if len(entries) == 1:
                os.replace(temporary, self._entry_path(entries[0][0]))
                return [start]
            published = [self._link(temporary, absolute) for absolute, _, _ in entries]
        except OSError:
            return [None] * len(entries)
        finally:
            Path(temporary).unlink(missing_ok=True)
        starts: list[int | None] = []
        for linked, entry in zip(published, entries, strict=True):
            if linked:
                starts.append(start + contents[entry[0]])
            else:  # no hard links here: a file of its own
                starts += self._write_files([entry])
        return starts

    def _link(self, shared: str, absolute: str) -> bool:
        """Publish the shared file `shared` under `absolute`'s entry name (replacing any
        entry there); False when this file system cannot link."""
        target = self._entry_path(absolute)
        try:
            os.link(shared, target)
            return True
        except FileExistsError:
            pass
        except OSError:
            return False
        staged = f"{target}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        try:
            os.link(shared, staged)
            os.replace(staged, target)
            return True
        except OSError:
            Path(staged).unlink(missing_ok=True)
            return False
