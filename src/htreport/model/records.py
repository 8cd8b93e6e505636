"""Flat records: one dict per deliverable, statistic or achievement, for query/export/diff."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # records are read from the cache without building the models
    from htreport.model.report import Report

#: Columns of a deliverable record, in output order.
DELIVERABLE_FIELDS = (
    "report",
    "id",
    "key",
    "pillar",
    "objective",
    "task",
    "text",
    "items",
    "new",
    "start",
    "timeline",
    "status",
    "status_detail",
    "leads",
    "lead_note",
    "source",
    "line",
    "page",
)


def deliverable_records(report: Report) -> list[dict[str, Any]]:
    """Every deliverable of `report` as a flat record (see DELIVERABLE_FIELDS)."""
    year = report.metadata.fiscal_year
    records = []
    for pillar, objective, task, item in report.deliverables():
        records.append(
            {
                "report": year,
                "id": item.id,
                "key": item.key,
                "pillar": pillar.pillar.value,
                "objective": objective.id,
                "task": task.id,
                "text": item.text,
                "items": [sub.text for sub in item.items],
                "new": item.new,
                "start": item.start,
                "timeline": item.timeline,
                "status": item.status.value if item.status else None,
                "status_detail": item.status_detail,
                "leads": [lead.label() for lead in item.leads],
                "lead_note": item.lead_note,
                "source": report.source.file,
                "line": item.provenance.line,
                "page": item.provenance.page,
            }
        )
    return records


#: Columns of a statistic record, in output order.
#: The units the statistics parser writes (a corpus may hold others; see analysis.query).
STATISTIC_UNITS = ("count", "CAD", "USD", "percent")

STATISTIC_FIELDS = (
    "report",
    "section",
    "value",
    "unit",
    "counted",
    "qualifiers",
    "time_ref",
    "departments",
    "raw",
    "sentence",
    "source",
    "line",
    "page",
)

#: Columns of an achievement record, in output order.
ACHIEVEMENT_FIELDS = (
    "report",
    "section",
    "heading",
    "departments",
    "text",
    "footnotes",
    "source",
    "line",
    "page",
)

#: Record kinds a query can ask for, with their columns.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "deliverables": DELIVERABLE_FIELDS,
    "statistics": STATISTIC_FIELDS,
    "achievements": ACHIEVEMENT_FIELDS,
}


def statistic_records(report: Report) -> list[dict[str, Any]]:
    """Every statistic of `report` as a flat record (see STATISTIC_FIELDS)."""
    return [
        {
            "report": report.metadata.fiscal_year,
            "section": item.section.value,
            "value": item.value,
            "unit": item.unit,
            "counted": item.counted,
            "qualifiers": list(item.qualifiers),
            "time_ref": item.time_ref,
            "departments": list(item.departments),
            "raw": item.raw,
            "sentence": item.sentence,
            "source": report.source.file,
            "line": item.provenance.line,
            "page": item.provenance.page,
        }
        for item in report.statistics
    ]


def achievement_records(report: Report) -> list[dict[str, Any]]:
    """Every key achievement of `report` as a flat record (see ACHIEVEMENT_FIELDS)."""
    return [
        {
            "report": report.metadata.fiscal_year,
            "section": item.section.value,
            "heading": item.heading,
            "departments": list(item.departments),
            "text": item.text,
            "footnotes": list(item.footnotes),
            "source": report.source.file,
            "line": item.provenance.line,
            "page": item.provenance.page,
        }
        for item in report.achievements
    ]


def all_records(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The records of every kind (keys of RECORD_FIELDS) of one report."""
    return {
        "deliverables": deliverable_records(report),
        "statistics": statistic_records(report),
        "achievements": achievement_records(report),
    }


def csv_value(value: Any) -> str:
    """A record value as one CSV cell: lists joined with "; ", booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(csv_value(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_encoder() -> Callable[[Any], str]:
    """`json.dumps(value, ensure_ascii=False, allow_nan=False)` for plain data.

    `JSONEncoder.encode` builds a new C encoder for every call, which costs as much as
    encoding a record; this builds it once. Records are flat, so there is no reference cycle
    to look for (a cycle would end in RecursionError rather than ValueError)."""
    from json import encoder

    fallback = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    make_encoder = getattr(encoder, "c_make_encoder", None)  # private: typeshed omits it
    if make_encoder is None:  # pragma: no cover - CPython always has it
        return fallback

    def refuse(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    try:  # (markers, default, encoder, indent, key_sep, item_sep, sort_keys, skipkeys, allow_nan)
        chunks = make_encoder(
            None, refuse, encoder.encode_basestring, None, ": ", ", ", False, False, False
        )
    except TypeError:  # pragma: no cover - another Python's signature
        return fallback
    join = "".join
    return lambda value: join(chunks(value, 0))


#: A record's JSON text: what `json.dumps(record, ensure_ascii=False)` gives, at half the cost.
record_json = _json_encoder()
