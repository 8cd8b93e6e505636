"""What the corpus keeps of one structured file: its flat records, their index and JSON text.

An `Entry` comes either from a freshly loaded report (`entry_from_report`) or from the cache
(`store.cache`), whose parts it decodes on first use.
"""

from __future__ import annotations

import marshal
import os
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htreport.errors import DataFileError
from htreport.settings import MAX_DATA_FILE_BYTES, read_at_most

if TYPE_CHECKING:
    from htreport.model.report import Report

#: The kinds of records kept per file (see records.RECORD_FIELDS).
KINDS = ("deliverables", "statistics", "achievements")

Record = dict[str, Any]

#: Fields kept in a small per-file index: most filters read only these, so a query decodes
#: the full records (or the ready-made JSON text) of the matching rows alone.
INDEX_FIELDS: dict[str, tuple[str, ...]] = {
    "deliverables": ("report", "pillar", "task", "status", "start", "new", "leads"),
    "statistics": ("report", "section", "departments", "unit", "value"),
    "achievements": ("report", "section", "departments"),
}


#: Every part of an entry, in the order a cache entry stores them.
PART_NAMES = tuple(name for kind in KINDS for name in (kind, f"{kind}.index", f"{kind}.json"))
_PART_INDEX = {name: index for index, name in enumerate(PART_NAMES)}
#: Each part's (offset, length, CRC) in its cache file, packed: a corpus keeps one per file,
#: and as a dict of lists they were a fifth of a warm query's memory over 5,000 files.
_LOCATIONS = struct.Struct(f"<{3 * len(PART_NAMES)}Q")
_LOCATION = struct.Struct("<3Q")
_ABSENT = 2**64 - 1  # the length of a part the cache file does not hold


def pack_locations(offsets: dict[str, list[int]] | None) -> bytes | None:
    """Parts' (offset, length, CRC) packed for an Entry (struct.error on values that cannot
    be offsets); None when there are none."""
    if not offsets:
        return None
    values: list[int] = []
    for name in PART_NAMES:
        values += offsets.get(name) or (0, _ABSENT, 0)
    return _LOCATIONS.pack(*values)


class Entry:
    """What the corpus keeps of one structured file: a few metadata and, per record kind, the
    records, their index (INDEX_FIELDS) and each record's JSON text. From the cache, each part
    is decoded on first use; a part that fails to decode is rebuilt from the file itself."""

    __slots__ = ("path", "report", "_parts", "_cache_file", "_locations")

    def __init__(
        self,
        path: Path,
        report: dict[str, Any],
        parts: dict[str, list[Any]] | None = None,
        cache_file: str | os.PathLike[str] | None = None,
        offsets: dict[str, list[int]] | None = None,
    ) -> None:
        self.path = path
        self.report = report
        self._parts: dict[str, list[Any]] = dict(parts or {})
        # parts are read from the cache file on first use, by offset
        self._cache_file = os.fspath(cache_file) if cache_file is not None else None
        self._locations = pack_locations(offsets)

    def __getstate__(self) -> tuple:  # worker processes send entries back to the parent
        return (self.path, self.report, self._parts, self._cache_file, self._locations)

    def __setstate__(self, state: tuple) -> None:
        self.path, self.report, self._parts, self._cache_file, self._locations = state

    def _location(self, name: str) -> tuple[int, int, int] | None:
        """Where part `name` is in the cache file, if it is there."""
        index = _PART_INDEX.get(name)
        if self._cache_file is None or self._locations is None or index is None:
            return None
        offset, length, checksum = _LOCATION.unpack_from(self._locations, _LOCATION.size * index)
        return None if length == _ABSENT else (offset, length, checksum)

    def records(self, kind: str) -> list[Record]:
        """Every record of `kind` in this file."""
        return self._part(kind)

    def index(self, kind: str) -> list[Record]:
        """The records of `kind` cut down to INDEX_FIELDS."""
        return self._part(f"{kind}.index")

    def json_texts(self, kind: str) -> list[str]:
        """Each record of `kind` as JSON text (what `json.dumps(record)` gives)."""
        return self._part(f"{kind}.json")

    def release(self, name: str) -> None:
        """Forget a decoded part that can be read again from the cache (memory stays flat over
        a large corpus); parts that exist only in memory are kept."""
        if self._location(name) is not None:
            self._parts.pop(name, None)

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
        location = self._location(name)
        if location is not None and self._cache_file is not None:
            offset, length, checksum = location
            try:  # the entry may have been replaced meanwhile: the checksum tells
                part = read_range(self._cache_file, offset, length)
                # marshal cannot tell damaged text from text: the checksum can
                value = marshal.loads(part) if zlib.crc32(part) == checksum else None
            except (OSError, EOFError, ValueError, TypeError, OverflowError):
                value = None
            if not isinstance(value, list):
                value = None
            if value is None:
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
                from htreport.model.records import record_json

                value = [record_json(record) for record in records]
        self._parts[name] = value
        return value

    def _rebuild(self) -> None:
        fresh = entry_from_report(self.path, load_report(read_capped(self.path), self.path))
        self._parts, self._cache_file, self._locations = fresh._parts, None, None


def read_range(path: str, offset: int, length: int) -> bytes:
    """`length` bytes of the file at `path` from `offset` (fewer at its end). A query reads
    two parts of every file of a corpus: a bare descriptor costs half of what opening a
    buffered file object does."""
    descriptor = open_for_reading(path)
    try:
        return read_bytes(descriptor, length, offset)
    finally:
        os.close(descriptor)


def open_for_reading(path: str | os.PathLike[str]) -> int:
    """A bare descriptor of the file at `path`, for `read_bytes`."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))


def read_bytes(descriptor: int, length: int, offset: int) -> bytes:
    """`length` bytes from `offset` (fewer at the end): one `os.pread`, or a seek and a read
    where there is none (Windows)."""
    if _HAS_PREAD:
        return os.pread(descriptor, length, offset)
    os.lseek(descriptor, offset, os.SEEK_SET)
    return os.read(descriptor, length)


_HAS_PREAD = hasattr(os, "pread")


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


def load_report(data: bytes, path: Path) -> Report:
    """Parse and validate one structured file's bytes; errors name the file and, if known, line."""
    from htreport.store import io

    fmt = io.format_of(path)
    if fmt == "json" and len(data) <= MAX_DATA_FILE_BYTES:
        from htreport.store.onepass import load_json_report

        report = load_json_report(data)
        if report is not None:
            return report
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataFileError("not UTF-8 text", path=path, line=line) from None
    try:
        return io.loads(text, fmt, path=str(path), utf8_decoded=True)
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


def read_capped(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            data = read_at_most(stream, MAX_DATA_FILE_BYTES)
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > MAX_DATA_FILE_BYTES:
        raise DataFileError(f"file is larger than the {MAX_DATA_FILE_BYTES}-byte limit", path=path)
    return data
