"""Flat records: one dict per deliverable, statistic or achievement, for query/export/diff."""

from __future__ import annotations

from typing import Any

from .models import Report

#: Columns of a deliverable record, in output order.
DELIVERABLE_FIELDS = (
    "report", "id", "key", "pillar", "objective", "task", "text", "items", "new", "start",
    "timeline", "status", "status_detail", "leads", "lead_note", "source", "line", "page",
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
                "status": item.status.value,
                "status_detail": item.status_detail,
                "leads": [lead.label() for lead in item.leads],
                "lead_note": item.lead_note,
                "source": report.source.file,
                "line": item.provenance.line,
                "page": item.provenance.page,
            }
        )
    return records
