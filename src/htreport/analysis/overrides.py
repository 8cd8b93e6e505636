"""The hand-edited overrides file (`data/matches.yaml`): force or forbid cross-year matches.

    force:
      - old: 2014-2015/1.11.2     # a deliverable: "<fiscal year>/<id>", or a carried key
        new: 2015-2016/1.11.2
        note: rewritten, same commitment
    forbid:
      - old: 2014-2015/2.13.6
        new: 2015-2016/2.14.2

An entry applies to a diff when its `old` names a deliverable of the old report and its `new`
one of the new report. A reference whose year is the report's year but whose id is not in it is
an unknown deliverable: the entry is skipped with a warning naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from htreport.errors import DataFileError, plain_message
from htreport.model.report import Report

Ref = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{4}/\d+\.\d+\.\d+$"),
    Field(
        description="A deliverable: <fiscal year>/<id>, e.g. 2014-2015/3.11.2, or a carried key."
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverrideEntry(_Model):
    old: Ref
    new: Ref
    note: str | None = None


class OverridesData(_Model):
    force: list[OverrideEntry] = Field(default_factory=list)
    forbid: list[OverrideEntry] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Literal["force", "forbid"]
    old: str
    new: str
    line: int | None


@dataclass(slots=True)
class Resolved:
    """Overrides resolved against two reports: indexes into their deliverables()."""

    force: list[tuple[int, int]] = field(default_factory=list)
    forbid: set[tuple[int, int]] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Overrides:
    """A loaded overrides file."""

    path: str
    entries: list[Entry]

    def resolve(self, old: Report, new: Report) -> Resolved:
        """The entries that apply to `old` -> `new`, with warnings for unknown deliverables."""
        old_refs, new_refs = _refs(old), _refs(new)
        resolved = Resolved()
        for entry in self.entries:
            old_index, new_index = old_refs.get(entry.old), new_refs.get(entry.new)
            old_scope = old_index is not None or _year(entry.old) == old.metadata.fiscal_year
            new_scope = new_index is not None or _year(entry.new) == new.metadata.fiscal_year
            if not (old_scope and new_scope):
                continue  # an entry for another pair of years
            unknown = [
                f"{ref} is not in the {report.metadata.fiscal_year} report ({report.source.file})"
                for ref, index, report in ((entry.old, old_index, old), (entry.new, new_index, new))
                if index is None
            ]
            if unknown:
                where = f"{self.path}:{entry.line}" if entry.line else self.path
                resolved.warnings.append(
                    f"{where}: {entry.kind} entry skipped: unknown deliverable {'; '.join(unknown)}"
                )
                continue
            assert old_index is not None and new_index is not None
            if entry.kind == "force":
                resolved.force.append((old_index, new_index))
            else:
                resolved.forbid.add((old_index, new_index))
        return resolved


def _year(ref: str) -> str:
    return ref.split("/", 1)[0]


def _refs(report: Report) -> dict[str, int]:
    """Every name a deliverable answers to: its key and `<fiscal year>/<id>`."""
    year = report.metadata.fiscal_year
    refs: dict[str, int] = {}
    for index, (_p, _o, _t, deliverable) in enumerate(report.deliverables()):
        if year:
            refs.setdefault(f"{year}/{deliverable.id}", index)
        if deliverable.key:
            refs.setdefault(deliverable.key, index)
    return refs


def empty(path: str = "<none>") -> Overrides:
    return Overrides(path, [])


def loads(text: str, path: str = "<string>") -> Overrides:
    """Parse and validate overrides text; errors name the file and line."""
    import yaml

    from htreport.store import io

    data = io.parse_text(text, "yaml", path=path)
    if data is None:
        return Overrides(path, [])
    lines: dict[tuple, int] = {}
    _collect_lines(yaml.compose(text, Loader=yaml.SafeLoader), (), lines)
    if not isinstance(data, dict):
        raise DataFileError(
            "overrides must be a mapping with force: and forbid: lists", path=path, line=1
        )
    try:
        parsed = OverridesData.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
        where = ".".join(str(part) for part in loc)
        raise DataFileError(f"{where}: {plain_message(first)}", path=path, line=line) from None
    entries = [
        Entry(kind, item.old, item.new, lines.get((kind, number)))
        for kind in ("force", "forbid")
        for number, item in enumerate(getattr(parsed, kind))
    ]
    _check_consistent(entries, path)
    return Overrides(path, entries)


def load(path: str | Path) -> Overrides:
    """Load an overrides file (YAML)."""
    from htreport.store import io

    path = Path(path)
    return loads(io.read_data_file(path), str(path))


def _collect_lines(node, loc: tuple, lines: dict[tuple, int]) -> None:
    import yaml

    if node is None:
        return
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _collect_lines(value, (*loc, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for number, value in enumerate(node.value):
            _collect_lines(value, (*loc, number), lines)


def _check_consistent(entries: list[Entry], path: str) -> None:
    """One forced partner per deliverable; never both forced and forbidden."""
    forced_old: dict[str, Entry] = {}
    forced_new: dict[str, Entry] = {}
    forced_pairs = {(e.old, e.new) for e in entries if e.kind == "force"}
    for entry in entries:
        if entry.kind == "forbid":
            if (entry.old, entry.new) in forced_pairs:
                raise DataFileError(
                    f"{entry.old} -> {entry.new} is both forced and forbidden",
                    path=path,
                    line=entry.line,
                )
            continue
        for ref, seen in ((entry.old, forced_old), (entry.new, forced_new)):
            if ref in seen:
                raise DataFileError(
                    f"{ref} is forced twice (also on line {seen[ref].line}); a deliverable matches once",
                    path=path,
                    line=entry.line,
                )
            seen[ref] = entry
