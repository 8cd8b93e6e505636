"""Cross-record rules of a data file: unique ids and keys, ids that extend their parent's,
fiscal years that agree, lead departments the registry knows.

These read the plain data, not the model, so that they still report when the schema fails
elsewhere in the file; every access is guarded for that reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from htreport.store.issues import IssueContext
from htreport.store.positions import PathPart

_OBJECTIVE_ID = re.compile(r"^(\d+)\.(\d+)$")
_TASK_ID = re.compile(r"^\d+\.\d+$")
_DELIVERABLE_ID = re.compile(r"^\d+\.\d+\.\d+$")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _pillar_numbers(data: dict[str, Any]) -> dict[str, int]:
    """Objective numbers of the 4-P plan (prevention 1 ... partnerships 4); none for a chart with
    the National Strategy's fifth pillar, empowerment, whose numbering is not fixed."""
    from htreport.model.report import Pillar

    annex = data.get("annex")
    listed = _list(annex.get("pillars")) if isinstance(annex, dict) else []
    pillars = [p.get("pillar") for p in listed if isinstance(p, dict)]
    if Pillar.EMPOWERMENT.value in pillars:
        return {}
    return {
        pillar.value: number
        for number, pillar in enumerate(Pillar, start=1)
        if pillar not in (Pillar.EMPOWERMENT, Pillar.UNKNOWN)
    }


@dataclass(slots=True)
class _Row:
    path: tuple[PathPart, ...]
    item: dict[str, Any]


def _walk(data: dict[str, Any]) -> Iterator[tuple[str, _Row, _Row | None]]:
    """('pillar'|'objective'|'task'|'deliverable', row, parent row) for the annex, in file order."""
    annex = data.get("annex")
    if not isinstance(annex, dict):
        return
    for p, pillar in enumerate(_list(annex.get("pillars"))):
        if not isinstance(pillar, dict):
            continue
        pillar_row = _Row(("annex", "pillars", p), pillar)
        yield "pillar", pillar_row, None
        for o, objective in enumerate(_list(pillar.get("objectives"))):
            if not isinstance(objective, dict):
                continue
            objective_row = _Row((*pillar_row.path, "objectives", o), objective)
            yield "objective", objective_row, pillar_row
            for t, task in enumerate(_list(objective.get("tasks"))):
                if not isinstance(task, dict):
                    continue
                task_row = _Row((*objective_row.path, "tasks", t), task)
                yield "task", task_row, objective_row
                for d, deliverable in enumerate(_list(task.get("deliverables"))):
                    if isinstance(deliverable, dict):
                        yield (
                            "deliverable",
                            _Row((*task_row.path, "deliverables", d), deliverable),
                            task_row,
                        )


def check_structure(data: dict[str, Any], context: IssueContext) -> None:
    """Unique ids and keys; each id extends its parent's (pillar 1 > objective 1.1 > task 1.11 >
    deliverable 1.11.2)."""
    numbers = _pillar_numbers(data)
    first_seen: dict[
        tuple[str, str, str], tuple[PathPart, ...]
    ] = {}  # (level, field, value) -> path

    def unique(level: str, name: str, row: _Row) -> None:
        value = text_or_none(row.item.get(name))
        if value is None:
            return
        path = (*row.path, name)
        first = first_seen.setdefault((level, name, value), path)
        if first != path:
            code = "duplicate-id" if name == "id" else "duplicate-key"
            context.add(
                code,
                path,
                f"duplicate {level} {name} {value!r} (first at line {context.line_of(first)})",
            )

    for level, row, parent in _walk(data):
        if level == "pillar":
            continue
        unique(level, "id", row)
        if level == "deliverable":
            unique(level, "key", row)
        own = text_or_none(row.item.get("id"))
        assert parent is not None
        above = parent.item.get("pillar" if level == "objective" else "id")
        if own is None or not isinstance(above, str):
            continue
        if level == "objective":
            match, number = _OBJECTIVE_ID.match(own), numbers.get(above)
            if match and number is not None and int(match.group(1)) != number:
                context.add(
                    "objective-id",
                    (*row.path, "id"),
                    f"objective {own} is under the {above} pillar, "
                    f"whose objectives are numbered {number}.N",
                )
        elif level == "task":
            if (
                _OBJECTIVE_ID.match(above)
                and _TASK_ID.match(own)
                and not (own.startswith(above) and own[len(above) :].isdigit())
            ):
                context.add(
                    "task-id",
                    (*row.path, "id"),
                    f"task {own} is under objective {above}; its id should extend the objective's "
                    f"(e.g. {above}1)",
                )
        elif (
            _TASK_ID.match(above) and _DELIVERABLE_ID.match(own) and not own.startswith(f"{above}.")
        ):
            context.add(
                "deliverable-id",
                (*row.path, "id"),
                f"deliverable {own} is under task {above}; its id should be {above}.N",
            )


_FULL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_KEY_YEAR = re.compile(r"^(\d{4}-\d{4})/")
_FILE_YEAR = re.compile(r"^(\d{4}-\d{4})(?:--.*)?$")


def check_fiscal_years(data: dict[str, Any], context: IssueContext, file: Path) -> None:
    """Fiscal years name two consecutive years and agree with each other."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    year = text_or_none(metadata.get("fiscal_year"))
    report_start = _full_year(year, ("metadata", "fiscal_year"), context) if year else None
    if report_start is not None:
        _check_period(metadata, report_start, context)
        stem = _FILE_YEAR.match(file.stem)
        if stem and stem.group(1) != year:
            context.add(
                "fiscal-year",
                ("metadata", "fiscal_year"),
                f"fiscal year {year} disagrees with the file name {file.name}",
            )
    for level, row, _ in _walk(data):
        if level != "deliverable":
            continue
        _short_year(row.item.get("start"), (*row.path, "start"), context)
        for i, sub in enumerate(_list(row.item.get("items"))):
            if isinstance(sub, dict):
                _short_year(sub.get("start"), (*row.path, "items", i, "start"), context)
        key = text_or_none(row.item.get("key"))
        match = _KEY_YEAR.match(key) if key else None
        if match:
            key_start = _full_year(match.group(1), (*row.path, "key"), context)
            if key_start is not None and report_start is not None and key_start > report_start:
                context.add(
                    "fiscal-year",
                    (*row.path, "key"),
                    f"key {key!r} names fiscal year {match.group(1)}, after this report's {year}",
                )


def _full_year(text: str, path: tuple[PathPart, ...], context: IssueContext) -> int | None:
    match = _FULL_YEAR.match(text)
    if not match:
        return None  # the schema pattern reports malformed values
    start, end = int(match.group(1)), int(match.group(2))
    if start < 1:  # there is no year 0 (and no date in it to check a period against)
        context.add("fiscal-year", path, f"fiscal year {text}: there is no year {start:04d}")
        return None
    if end != start + 1:
        context.add(
            "fiscal-year",
            path,
            f"fiscal year {text} does not span two consecutive years "
            f"(expected {start}-{start + 1})",
        )
        return None
    return start


def _short_year(value: Any, path: tuple[PathPart, ...], context: IssueContext) -> None:
    match = _SHORT_YEAR.match(value) if isinstance(value, str) else None
    if match and int(match.group(2)) != (int(match.group(1)) + 1) % 100:
        start = int(match.group(1))
        context.add(
            "fiscal-year",
            path,
            f"fiscal year {value} does not span two consecutive years "
            f"(expected {start}-{(start + 1) % 100:02d})",
        )


def _check_period(metadata: dict[str, Any], start: int, context: IssueContext) -> None:
    """A reporting period lies within its fiscal year (April 1 to March 31)."""
    from datetime import date

    first, last = date(start, 4, 1), date(start + 1, 3, 31)
    for name in ("period_start", "period_end"):
        value = metadata.get(name)
        try:
            day = (
                value
                if isinstance(value, date)
                else date.fromisoformat(value)
                if isinstance(value, str)
                else None
            )
        except ValueError:
            continue  # the schema reports malformed dates
        if day is not None and not first <= day <= last:
            context.add(
                "fiscal-year",
                ("metadata", name),
                f"{day.isoformat()} is outside fiscal year {start}-{start + 1} ({first} to {last})",
            )


def check_leads(data: dict[str, Any], context: IssueContext) -> None:
    """Lead departments and programs are codes of the department registry."""
    from htreport.model.departments import registry

    departments = registry()
    for level, row, _ in _walk(data):
        if level != "deliverable":
            continue
        for i, lead in enumerate(_list(row.item.get("leads"))):
            if not isinstance(lead, dict):
                continue
            code = text_or_none(lead.get("department"))
            path = (*row.path, "leads", i)
            if code is None:
                continue
            known = departments.departments.get(code)
            if known is None:
                match = departments.lookup(code)
                hint = f"; did you mean {match.department}?" if match else ""
                context.add(
                    "unknown-lead",
                    (*path, "department"),
                    f"unknown lead department {code!r} (not in the department registry){hint}",
                )
                continue
            program = text_or_none(lead.get("program"))
            if program is not None and program not in known.programs:
                programs = ", ".join(known.programs) or "none"
                context.add(
                    "unknown-lead",
                    (*path, "program"),
                    f"unknown program {program!r} of {code} (registry programs: {programs})",
                )
