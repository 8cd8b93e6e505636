"""Filtering, sorting and column selection over flat records (see records.py).

Pure functions over lists of dicts: loading a corpus is corpus.py's job, printing is render's.

    >>> from htreport.analysis.query import Filters, select
    >>> filters = Filters.parse(lead=["CBSA"], status=["ongoing"])
    >>> matching = select(records, "deliverables", filters)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from htreport.analysis.filters import Filters, Record
from htreport.errors import UsageError
from htreport.model.records import RECORD_FIELDS
from htreport.store.corpus import Corpus, Entry

__all__ = [  # Filters lives in analysis.filters; it is named here too, where queries are
    "Filters",
    "Record",
    "check_fields",
    "matched_json_groups",
    "matched_json_texts",
    "matcher",
    "parse_field_list",
    "project",
    "run",
    "select",
    "select_entries",
    "sort_records",
]


def select(records: Iterable[Record], kind: str, filters: Filters) -> list[Record]:
    """The records of `kind` that pass every filter, in their original order."""
    selected = list(records)
    for test in filters.predicates(kind):  # one pass per filter: cheaper than all() per record
        selected = [record for record in selected if test(record)]
    return selected


def matcher(kind: str, filters: Filters) -> Callable[[list[Record]], list[int]]:
    """A function giving the positions of the rows that pass `filters` (tests built once)."""
    tests = filters.predicates(kind)

    def positions(rows: list[Record]) -> list[int]:
        keep: Iterable[int] = range(len(rows))
        for test in tests:
            keep = [i for i in keep if test(rows[i])]
        return list(keep)

    return positions


def check_fields(kind: str, names: Sequence[str], option: str = "--fields") -> None:
    valid = RECORD_FIELDS[kind]
    for name in names:
        if name not in valid:
            raise UsageError(
                f"{option}: unknown field {name!r} for {kind}; valid fields: {', '.join(valid)}"
            )


def parse_field_list(text: str | None) -> list[str]:
    """`a, b,c` -> ['a', 'b', 'c']."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


_DOTTED = re.compile(r"\d+(?:\.\d+)*")


def _sort_value(value: Any) -> tuple:
    """Comparable form of a record value: dotted ids in numeric order, text case-insensitively."""
    if isinstance(value, bool | int | float):
        return (0, float(value))
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    if _DOTTED.fullmatch(text):
        return (1, tuple(int(part) for part in text.split(".")))
    return (2, text.casefold())


def sort_records(records: list[Record], kind: str, spec: str | None) -> list[Record]:
    """Sort by comma-separated fields, `-field` for descending; empty values always last."""
    keys = parse_field_list(spec)
    check_fields(kind, [key.lstrip("-") for key in keys], "--sort")
    ordered = list(records)
    for key in reversed(keys):
        name, descending = key.lstrip("-"), key.startswith("-")
        present = [r for r in ordered if r.get(name) not in (None, [])]
        empty = [r for r in ordered if r.get(name) in (None, [])]
        present.sort(key=lambda r: _sort_value(r[name]), reverse=descending)
        ordered = present + empty
    return ordered


def project(records: list[Record], kind: str, fields: Sequence[str] | None) -> list[Record]:
    """Keep only `fields`, in that order (all fields when None or empty)."""
    if not fields:
        return records
    check_fields(kind, fields)
    return [{name: record.get(name) for name in fields} for record in records]


def run(
    records: Iterable[Record],
    kind: str,
    filters: Filters,
    *,
    sort: str | None = None,
    fields: Sequence[str] | None = None,
) -> list[Record]:
    """Filter, sort and project in one call: what `htreport query KIND` prints."""
    if kind not in RECORD_FIELDS:
        raise UsageError(f"unknown record kind {kind!r}; valid kinds: {', '.join(RECORD_FIELDS)}")
    if fields:
        check_fields(kind, fields)
    return project(sort_records(select(records, kind, filters), kind, sort), kind, fields)


def select_entries(corpus: Corpus, kind: str, filters: Filters) -> list[tuple[Entry, int]]:
    """(entry, position) of every record of `kind` that passes `filters`, in corpus order.

    Reads each file's small index unless a filter needs the text (--grep)."""
    matching = matcher(kind, filters)
    part = kind if filters.grep is not None else f"{kind}.index"
    found: list[tuple[Entry, int]] = []
    for entry in corpus.entries:  # file by file, each part let go once read
        rows = entry.records(kind) if filters.grep is not None else entry.index(kind)
        found += [(entry, position) for position in matching(rows)]
        entry.release(part)
    return found


def matched_json_texts(matches: list[tuple[Entry, int]], kind: str) -> Iterator[str]:
    """The JSON text of each match, in order, reading each file's texts once and letting go."""
    for group in matched_json_groups(matches, kind):
        yield from group


def matched_json_groups(matches: list[tuple[Entry, int]], kind: str) -> Iterator[list[str]]:
    """The JSON texts of the matches, in order, one list per run of matches in the same file
    (its texts read once, then let go): a writer handles a file's texts at once."""
    start, count = 0, len(matches)
    while start < count:
        entry = matches[start][0]
        end = start + 1
        while end < count and matches[end][0] is entry:
            end += 1
        texts = entry.json_texts(kind)
        yield [texts[position] for _, position in matches[start:end]]
        entry.release(f"{kind}.json")
        start = end
