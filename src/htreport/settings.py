"""Defaults and constants shared across htreport."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Final

#: The package version (`htreport.__version__`), kept here so every layer can name it.
VERSION: Final = "0.1.0"

SCHEMA_VERSION: Final = "1.0"

#: Where `query`, `validate`, `summary` and `diff` look when no path is given.
DEFAULT_STRUCTURED_DIR = Path("data/structured")

#: Input files larger than this are refused rather than read into memory.
MAX_INPUT_BYTES = 200 * 1024 * 1024
#: Structured YAML/JSON files larger than this are refused (YAML bombs, runaway files).
MAX_DATA_FILE_BYTES = 50 * 1024 * 1024


def read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """The rest of `stream`, but at most `limit` + 1 bytes (more than `limit`: too large),
    whatever stat says: devices, pipes and procfs report a size of 0.

    The read is sized by the file's own size where it has one, so reading a small file does
    not allocate (and then shrink) a buffer the size of the limit."""
    import os

    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, ValueError):  # no file descriptor (BytesIO, a wrapper)
        size = 0
    if 0 < size < limit:
        data = stream.read(size + 1)
        if len(data) <= size:
            return data
        return data + stream.read(limit - size)  # it grew since stat: read on to the limit
    return stream.read(limit + 1)


STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")
#: The data files inside the package (registries, the schema). Read as files: importing
#: `importlib.resources` and its zip support would add about 6 ms to every extraction.
PACKAGE_DATA_DIR = Path(__file__).parent / "data"
#: File name of the report schema under schemas/; structured files point at it.
REPORT_SCHEMA_FILE = "report.schema.json"
#: Where the report schema is published (the documentation site serves schemas/ there). Data
#: files point editors at it by default, which works wherever the file is (docs/validate.md).
SCHEMA_URL: Final = (
    f"https://htreport.github.io/htreport/schemas/{SCHEMA_VERSION}/{REPORT_SCHEMA_FILE}"
)


def worker_count(requested: int | None, items: int) -> int:
    """Worker processes for `items` pieces of work: as `requested` (default: one per CPU), but
    never more than the items or the CPUs (`--jobs 99999` for five files starts at most five,
    and no more than the machine has cores)."""
    import os

    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, items, cores))


#: The young-generation threshold of the cyclic garbage collector during bulk work (Python's
#: default is 700 allocations): see `store.parallel.collect_rarely` and `young_collections_rare`.
BULK_GC_THRESHOLD = 50_000


_rare_lock = threading.Lock()
_rare_depth = 0
_rare_saved: tuple[int, ...] = ()


@contextmanager
def young_collections_rare() -> Iterator[None]:
    """Run the collector's young collections less often for the duration of a block, then
    restore its thresholds. An extraction makes tens of thousands of objects that reference
    counting frees; at the default threshold each hundred of them starts a collection, and
    every tenth of those a walk of everything alive, so in a process that holds much (a
    notebook with pandas loaded) extraction time grew faster than the input. Blocks may
    overlap (extractions in threads): the first raises the threshold, the last restores it."""
    global _rare_depth, _rare_saved
    with _rare_lock:
        if _rare_depth == 0:
            _rare_saved = gc.get_threshold()
            gc.set_threshold(max(_rare_saved[0], BULK_GC_THRESHOLD), *_rare_saved[1:])
        _rare_depth += 1
    try:
        yield
    finally:
        with _rare_lock:
            _rare_depth -= 1
            if _rare_depth == 0:
                gc.set_threshold(*_rare_saved)
