"""The record cache's size bound: least recently used entries go first (store.cache).

An entry's mtime records when it was last used; entries that share a cache file share its
mtime, and the file is freed when the last of them goes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

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
    """(number of entries, total bytes) of the cache in `directory` (a file that several
    entries share is counted once)."""
    files = _entry_files(directory)
    sizes: dict[tuple[int, int], int] = {}
    for entry in files:
        try:
            stat = entry.stat()
        except OSError:
            continue
        sizes[(stat.st_dev, stat.st_ino)] = stat.st_size
    return len(files), sum(sizes.values())


def prune(directory: Path, max_bytes: int | None = None) -> int:
    """Remove the least recently used entries until the cache holds at most `max_bytes`
    (default `max_cache_bytes()`); returns how many were removed. A file that several entries
    share is freed when the last of them goes (they share its age, so they go together)."""
    limit = max_cache_bytes() if max_bytes is None else max_bytes
    aged = []
    names: dict[tuple[int, int], int] = {}  # file -> its names left in the directory
    sizes: dict[tuple[int, int], int] = {}
    for entry in _entry_files(directory):
        try:
            stat = entry.stat()
        except OSError:
            continue
        file = (stat.st_dev, stat.st_ino)
        names[file] = names.get(file, 0) + 1
        sizes[file] = stat.st_size
        aged.append((stat.st_mtime, file, entry.path))
    total = sum(sizes.values())
    removed = 0
    for _mtime, file, path in sorted(aged):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        removed += 1
        names[file] -= 1
        if names[file] == 0:
            total -= sizes[file]
    return removed


def clear(directory: Path) -> int:
    """Remove every entry of the cache in `directory`; returns how many were removed."""
    return prune(directory, 0)
