"""Print query results: table (rich on a terminal, plain when piped), json, jsonl, csv, yaml."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from htreport.model.records import RECORD_FIELDS, csv_value, record_json

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "jsonl", "csv", "yaml")

#: Columns of the table format when --fields is not given (the other formats show every field).
TABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "deliverables": ("report", "id", "status", "start", "new", "leads", "text"),
    "statistics": ("report", "section", "raw", "unit", "counted", "line"),
    "achievements": ("report", "section", "departments", "text"),
}


def columns(
    records: Sequence[dict[str, Any]], kind: str, fields: Sequence[str] | None
) -> list[str]:
    """The columns to print: the chosen fields, else the keys of the records, else the kind's."""
    if fields:
        return list(fields)
    if records:
        return list(records[0])
    return list(RECORD_FIELDS[kind])


def to_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON list with one record per line.

    (`json.dumps(..., indent=2)` falls back to the pure-Python encoder, ~10x slower on a corpus.)"""
    return json_list([record_json(record) for record in records])


def json_list(texts: Sequence[str]) -> str:
    """A JSON list from records already encoded, one per line."""
    return "[\n" + ",\n".join(texts) + "\n]\n" if texts else "[]\n"


#: Streamed output is written in pieces of about this many characters: one write per record
#: is one system call per record when Python's buffering is off (PYTHONUNBUFFERED, set in many
#: containers and CI images), which cost a 19,000-record query a tenth of its time.
WRITE_CHUNK_CHARS = 1 << 16


def write_json_list(texts: Iterable[str], stream: TextIO) -> None:
    """`json_list(texts)` written as the texts come, so a large result is never held whole."""
    pieces = _json_list_pieces(texts)
    write_chunked(pieces, stream)


def _json_list_pieces(texts: Iterable[str]) -> Iterator[str]:
    opened = False
    for text in texts:
        yield ",\n" if opened else "[\n"
        yield text
        opened = True
    yield "\n]\n" if opened else "[]\n"


def write_lines(texts: Iterable[str], stream: TextIO) -> None:
    """Each text on a line of its own (JSON Lines), streamed like `write_json_list`."""
    write_chunked((piece for text in texts for piece in (text, "\n")), stream)


def write_json_groups(groups: Iterable[list[str]], stream: TextIO) -> None:
    """`write_json_list` of the texts of `groups` in order, joined a group at a time."""
    write_chunked(_json_group_pieces(groups), stream)


def _json_group_pieces(groups: Iterable[list[str]]) -> Iterator[str]:
    opened = False
    for group in groups:
        if group:
            yield ",\n" if opened else "[\n"
            yield ",\n".join(group)
            opened = True
    yield "\n]\n" if opened else "[]\n"


def write_line_groups(groups: Iterable[list[str]], stream: TextIO) -> None:
    """`write_lines` of the texts of `groups` in order, joined a group at a time."""
    write_chunked(("\n".join(group) + "\n" for group in groups if group), stream)


def write_chunked(pieces: Iterable[str], stream: TextIO) -> None:
    """Write `pieces` in order, joined into chunks of about WRITE_CHUNK_CHARS."""
    chunk: list[str] = []
    held = 0
    for piece in pieces:
        chunk.append(piece)
        held += len(piece)
        if held >= WRITE_CHUNK_CHARS:
            stream.write("".join(chunk))
            chunk.clear()
            held = 0
    if chunk:
        stream.write("".join(chunk))


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "".join(record_json(record) + "\n" for record in records)


def to_yaml(records: Sequence[dict[str, Any]]) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(list(records), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def write_csv(records: Sequence[dict[str, Any]], names: Sequence[str], stream: TextIO) -> None:
    """A header row, then one row per record; lists joined with "; "."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for record in records:
        writer.writerow([csv_value(record.get(name)) for name in names])


def plain_table(records: Sequence[dict[str, Any]], names: Sequence[str]) -> str:
    """Aligned columns separated by two spaces, the last one unpadded: for pipes and grep."""
    rows = [list(names)] + [
        [csv_value(record.get(name)).replace("\n", " ") for name in names] for record in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(names))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + row[-1:]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


#: Status colours in the rich table (dropped by rich when NO_COLOR is set).
STATUS_STYLES = {
    "completed": "green",
    "in_progress": "yellow",
    "on_hold": "red",
    "cancelled": "red",
}


#: Columns whose values are long text: wrapped, never needed whole on one line.
WIDE_FIELDS = frozenset({"text", "sentence", "heading", "items", "qualifiers", "source"})
#: Columns that name a record: the first line of its block on a narrow terminal.
KEY_FIELDS = frozenset({"report", "id", "section"})


def rich_table(
    records: Sequence[dict[str, Any]], names: Sequence[str], kind: str, console: Console
) -> None:
    """A table when it fits the console, else one block per record (see render.layout)."""
    from htreport.render.layout import Column, print_rows

    columns = [Column(name, wide=name in WIDE_FIELDS, key=name in KEY_FIELDS) for name in names]
    rows = [
        [csv_value(record.get(name)).replace("\n", " ") for name in names] for record in records
    ]
    styles = [STATUS_STYLES.get(str(record.get("status")), "") for record in records]
    print_rows(console, f"{len(records)} {kind}", columns, rows, styles=styles)


def print_records(
    records: Sequence[dict[str, Any]],
    kind: str,
    fmt: str,
    stream: TextIO,
    *,
    fields: Sequence[str] | None = None,
    console: Console | None = None,
) -> None:
    """Write `records` to `stream` in `fmt`; the table is rich when `console` is given."""
    if fmt == "json":
        stream.write(to_json(records))
    elif fmt == "jsonl":
        stream.write(to_jsonl(records))
    elif fmt == "yaml":
        stream.write(to_yaml(records) if records else "[]\n")
    elif fmt == "csv":
        write_csv(records, columns(records, kind, fields), stream)
    else:
        names = list(fields) if fields else list(TABLE_FIELDS[kind])
        if console is not None:
            rich_table(records, names, kind, console)
        else:
            stream.write(plain_table(records, names))
