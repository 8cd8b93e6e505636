"""The text reader: report text -> a `Document` of lines and table rows.

Rows are tab-separated lines, or lines of a block whose columns are aligned by runs of spaces
(`htreport.readers.aligned`).

Text may be UTF-8 (with or without BOM) or, when asked with `encoding=`, anything Python can
decode; line endings (LF, CRLF, CR) and form feeds do not change the result.
"""

from __future__ import annotations

import hashlib
import re

from htreport.document import Document, Line, row
from htreport.errors import SURROGATE, SourceError, contains_surrogate
from htreport.readers import aligned

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Control characters other than tab/newline/CR/form feed mark a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """Decode text bytes; without an explicit encoding only UTF-8 is accepted.

    Text that decodes into a lone surrogate (`unicode_escape` or `utf-7` can give one, and no
    encoding can write it) is refused with its line and column."""
    text, used = _decode(data, name, encoding)
    found = SURROGATE.search(text) if contains_surrogate(text) else None
    if found is not None:
        start = found.start()
        raise SourceError(
            f"decoding as {used} gives a lone surrogate \\u{ord(found.group(0)):04x}, which is "
            "not text; check --encoding",
            path=name,
            line=text.count("\n", 0, start) + 1,
            column=start - (text.rfind("\n", 0, start) + 1) + 1,
        )
    return text, used


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise SourceError(f"unknown encoding {encoding!r}", path=name) from None
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise SourceError(
                f"not valid {encoding} at byte {error.start}", path=name, line=line
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise SourceError(f"not valid UTF-16 at byte {error.start}", path=name) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "if it is Windows text, pass --encoding cp1252",
            path=name,
            line=line,
        ) from None


def read_text(data: bytes, *, name: str, encoding: str | None = None) -> Document:
    """Split report text into lines; tab-separated and space-aligned lines become table rows."""
    if _BINARY.search(data[:65536]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("looks like a binary file, not report text or PDF", path=name)
    text, used = decode(data, name, encoding)
    raws = [raw.replace("\f", "") for raw in _LINE_BREAK.split(text)]
    aligned = _aligned_tables(raws)
    lines = []
    table = -1
    in_table = False
    for number, raw in enumerate(raws, start=1):
        cells = raw.split("\t") if "\t" in raw else aligned.get(number)
        if cells == []:  # a wrapped line of a space-aligned row, joined into the row above
            lines.append(Line(text="", lineno=number))
            continue
        if cells is not None:
            if not in_table:
                table, in_table = table + 1, True
            lines.append(row(cells, number, table=table))
            continue
        if raw.strip():
            in_table = False  # prose between rows (a pillar heading) starts a new table
        lines.append(Line(text=raw, lineno=number))
    return Document(
        path=name,
        format="text",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=lines,
        encoding=used,
    )


def _aligned_tables(raws: list[str]) -> dict[int, list[str]]:
    """Cells of the lines (by 1-based number) that belong to space-aligned tables."""
    found: dict[int, list[str]] = {}
    block: list[int] = []

    def flush() -> None:
        rows = aligned.table_cells([raws[i] for i in block]) if block else None
        for index, cells in zip(block, rows or (), strict=False):
            found[index + 1] = cells
        block.clear()

    for index, raw in enumerate(raws):
        if aligned.has_gap(raw):
            block.append(index)
        else:
            flush()
    flush()
    return found
