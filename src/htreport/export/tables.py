"""The export tables: every record of a corpus as rows, shared by the SQLite and CSV exports.

Both exports are built from the same tables (`build_tables`), so the CSV files and the SQLite
tables have the same columns. See docs/ for the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htreport.export.analysis_tables import FLAG_COLUMNS, LINK_COLUMNS
from htreport.model.records import csv_value
from htreport.model.report import Report


@dataclass(slots=True)
class Table:
    """One table: its DDL column definitions (name -> SQL type and constraints) and rows."""

    name: str
    columns: dict[str, str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    indexes: tuple[tuple[str, ...], ...] = ()
    search: tuple[str, ...] = ()  # columns indexed by FTS5, in a `<name>_fts` table

    def add(self, **values: Any) -> int:
        """Append a row; returns its 1-based rowid (the `id` column when there is one)."""
        rowid = len(self.rows) + 1
        if "id" in self.columns:
            values["id"] = rowid  # explicit, so the CSV files carry the same keys as SQLite
        self.rows.append(tuple(values.get(column) for column in self.columns))
        return rowid


def _schema() -> list[Table]:
    return [
        Table(
            "reports",
            {
                "id": "INTEGER PRIMARY KEY",
                "fiscal_year": "TEXT",
                "title": "TEXT",
                "plan": "TEXT",
                "edition": "TEXT",
                "edition_number": "INTEGER",
                "period_start": "TEXT",
                "period_end": "TEXT",
                "publisher": "TEXT",
                "source_file": "TEXT NOT NULL",
                "source_sha256": "TEXT NOT NULL",
                "source_format": "TEXT NOT NULL",
                "extractor": "TEXT",
                "path": "TEXT NOT NULL",
            },
            indexes=(("fiscal_year",),),
        ),
        Table(
            "departments",
            {
                "code": "TEXT PRIMARY KEY",
                "name_en": "TEXT NOT NULL",
                "name_fr": "TEXT",
                "kind": "TEXT",
            },
        ),
        Table(
            "programs",
            {
                "code": "TEXT NOT NULL",
                "department": "TEXT NOT NULL REFERENCES departments(code)",
            },
            indexes=(("department",),),
        ),
        Table(
            "pillars",
            {
                "id": "INTEGER PRIMARY KEY",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "pillar": "TEXT NOT NULL",
                "heading": "TEXT",
                "line": "INTEGER",
            },
            indexes=(("report_id",),),
        ),
        Table(
            "objectives",
            {
                "id": "INTEGER PRIMARY KEY",
                "pillar_id": "INTEGER NOT NULL REFERENCES pillars(id)",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "objective": "TEXT NOT NULL",
                "text": "TEXT",
                "line": "INTEGER",
            },
            indexes=(("pillar_id",),),
        ),
        Table(
            "tasks",
            {
                "id": "INTEGER PRIMARY KEY",
                "objective_id": "INTEGER NOT NULL REFERENCES objectives(id)",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "task": "TEXT NOT NULL",
                "text": "TEXT",
                "line": "INTEGER",
            },
            indexes=(("objective_id",), ("task",)),
        ),
        Table(
            "deliverables",
            {
                "id": "INTEGER PRIMARY KEY",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "task_id": "INTEGER NOT NULL REFERENCES tasks(id)",
                "report": "TEXT",
                "deliverable": "TEXT NOT NULL",
                "key": "TEXT",
                "pillar": "TEXT NOT NULL",
                "objective": "TEXT NOT NULL",
                "task": "TEXT NOT NULL",
                "text": "TEXT NOT NULL",
                "new": "INTEGER NOT NULL",
                "start": "TEXT",
                "timeline": "TEXT",
                "status": "TEXT NOT NULL",
                "status_detail": "TEXT",
                "leads": "TEXT",
                "lead_note": "TEXT",
                "line": "INTEGER",
                "end_line": "INTEGER",
                "page": "INTEGER",
                **FLAG_COLUMNS,
            },
            indexes=(
                ("report_id",),
                ("task_id",),
                ("report",),
                ("pillar",),
                ("task",),
                ("status",),
                ("start",),
                ("new",),
                ("key",),
            ),
            search=("text",),
        ),
        Table(
            "deliverable_items",
            {
                "id": "INTEGER PRIMARY KEY",
                "deliverable_id": "INTEGER NOT NULL REFERENCES deliverables(id)",
                "position": "INTEGER NOT NULL",
                "text": "TEXT NOT NULL",
                "start": "TEXT",
                "status": "TEXT",
                "status_detail": "TEXT",
            },
            indexes=(("deliverable_id",),),
        ),
        Table(
            "deliverable_leads",
            {
                "deliverable_id": "INTEGER NOT NULL REFERENCES deliverables(id)",
                "position": "INTEGER NOT NULL",
                "department": "TEXT NOT NULL REFERENCES departments(code)",
                "program": "TEXT",
                "raw": "TEXT",
            },
            indexes=(("deliverable_id",), ("department", "program")),
        ),
        Table(
            "statistics",
            {
                "id": "INTEGER PRIMARY KEY",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "report": "TEXT",
                "section": "TEXT",
                "value": "NUMERIC",
                "unit": "TEXT",
                "counted": "TEXT",
                "qualifiers": "TEXT",
                "time_ref": "TEXT",
                "departments": "TEXT",
                "raw": "TEXT",
                "sentence": "TEXT",
                "line": "INTEGER",
                "page": "INTEGER",
            },
            indexes=(("report_id",), ("report",), ("section",)),
            search=("sentence",),
        ),
        Table(
            "achievements",
            {
                "id": "INTEGER PRIMARY KEY",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "report": "TEXT",
                "section": "TEXT",
                "heading": "TEXT",
                "departments": "TEXT",
                "text": "TEXT",
                "footnotes": "TEXT",
                "line": "INTEGER",
                "page": "INTEGER",
            },
            indexes=(("report_id",), ("report",), ("section",)),
            search=("text",),
        ),
        Table(
            "statistic_departments",
            {
                "statistic_id": "INTEGER NOT NULL REFERENCES statistics(id)",
                "department": "TEXT NOT NULL REFERENCES departments(code)",
            },
            indexes=(("statistic_id",), ("department",)),
        ),
        Table(
            "achievement_departments",
            {
                "achievement_id": "INTEGER NOT NULL REFERENCES achievements(id)",
                "department": "TEXT NOT NULL REFERENCES departments(code)",
            },
            indexes=(("achievement_id",), ("department",)),
        ),
        Table(
            "footnotes",
            {
                "id": "INTEGER PRIMARY KEY",
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "number": "INTEGER",
                "text": "TEXT",
                "line": "INTEGER",
            },
            indexes=(("report_id",),),
        ),
        Table(
            "warnings",
            {
                "report_id": "INTEGER NOT NULL REFERENCES reports(id)",
                "code": "TEXT",
                "message": "TEXT",
                "line": "INTEGER",
                "page": "INTEGER",
            },
            indexes=(("report_id",),),
        ),
        Table("links", dict(LINK_COLUMNS), indexes=(("source", "deliverable"),)),
    ]


#: The exported tables, in creation order (also the CSV file names).
TABLE_NAMES = tuple(table.name for table in _schema())


def build_tables(
    reports: Sequence[tuple[Path, Report]],
    flags: dict[tuple[str, str], dict[str, Any]] | None = None,
    links: Sequence[dict[str, Any]] = (),
) -> dict[str, Table]:
    """Every record of `reports` as rows of the export tables, keyed by table name.

    `flags` ((year, id) -> flag columns) and `links` (rows) are computed by analysis/."""
    from htreport.model.departments import registry

    tables = {table.name: table for table in _schema()}
    departments = registry().departments
    for code, department in departments.items():
        tables["departments"].add(
            code=code, name_en=department.en, name_fr=department.fr, kind=department.kind
        )
        for program in department.programs:
            tables["programs"].add(code=program, department=code)
    for path, report in reports:
        _add_report(tables, path, report, flags or {})
    for row in links:
        tables["links"].add(**row)
    # codes from files written under another registry still need a row for the foreign keys
    named = {row[2] for row in tables["deliverable_leads"].rows}
    named |= {row[1] for row in tables["achievement_departments"].rows}
    named |= {row[1] for row in tables["statistic_departments"].rows}
    for code in sorted(named - set(departments)):
        tables["departments"].add(code=code, name_en=code, kind="unknown")
    return tables


def _add_report(
    tables: dict[str, Table], path: Path, report: Report, flags: dict[tuple[str, str], Any]
) -> None:
    meta = report.metadata
    year = meta.fiscal_year
    report_id = tables["reports"].add(
        fiscal_year=year,
        title=meta.title,
        plan=meta.plan,
        edition=meta.edition,
        edition_number=meta.edition_number,
        publisher=meta.publisher,
        period_start=meta.period_start.isoformat() if meta.period_start else None,
        period_end=meta.period_end.isoformat() if meta.period_end else None,
        source_file=report.source.file,
        source_sha256=report.source.sha256,
        source_format=report.source.format,
        extractor=report.source.extractor,
        path=str(path),
    )
    for block in report.annex.pillars if report.annex else []:
        pillar_id = tables["pillars"].add(
            report_id=report_id,
            pillar=block.pillar.value,
            heading=block.heading,
            line=block.provenance.line,
        )
        for objective in block.objectives:
            objective_id = tables["objectives"].add(
                pillar_id=pillar_id,
                report_id=report_id,
                objective=objective.id,
                text=objective.text,
                line=objective.provenance.line,
            )
            for task in objective.tasks:
                task_id = tables["tasks"].add(
                    objective_id=objective_id,
                    report_id=report_id,
                    task=task.id,
                    text=task.text,
                    line=task.provenance.line,
                )
                for item in task.deliverables:
                    deliverable_id = tables["deliverables"].add(
                        report_id=report_id,
                        task_id=task_id,
                        report=year,
                        deliverable=item.id,
                        key=item.key,
                        pillar=block.pillar.value,
                        objective=objective.id,
                        task=task.id,
                        text=item.text,
                        new=int(item.new),
                        start=item.start,
                        timeline=item.timeline,
                        status=item.status.value,
                        status_detail=item.status_detail,
                        leads=csv_value([lead.label() for lead in item.leads]),
                        lead_note=item.lead_note,
                        line=item.provenance.line,
                        end_line=item.provenance.end_line,
                        page=item.provenance.page,
                        **flags.get((year or "", item.id), {}),
                    )
                    for position, sub in enumerate(item.items, 1):
                        tables["deliverable_items"].add(
                            deliverable_id=deliverable_id,
                            position=position,
                            text=sub.text,
                            start=sub.start,
                            status=sub.status.value if sub.status else None,
                            status_detail=sub.status_detail,
                        )
                    for position, lead in enumerate(item.leads, 1):
                        tables["deliverable_leads"].add(
                            deliverable_id=deliverable_id,
                            position=position,
                            department=lead.department,
                            program=lead.program,
                            raw=lead.raw,
                        )
    for statistic in report.statistics:
        statistic_id = tables["statistics"].add(
            report_id=report_id,
            report=year,
            section=statistic.section.value,
            value=statistic.value,
            unit=statistic.unit,
            counted=statistic.counted,
            qualifiers=csv_value(list(statistic.qualifiers)),
            time_ref=statistic.time_ref,
            departments=csv_value(list(statistic.departments)),
            raw=statistic.raw,
            sentence=statistic.sentence,
            line=statistic.provenance.line,
            page=statistic.provenance.page,
        )
        for code in statistic.departments:
            tables["statistic_departments"].add(statistic_id=statistic_id, department=code)
    for achievement in report.achievements:
        achievement_id = tables["achievements"].add(
            report_id=report_id,
            report=year,
            section=achievement.section.value,
            heading=achievement.heading,
            departments=csv_value(list(achievement.departments)),
            text=achievement.text,
            footnotes=csv_value(list(achievement.footnotes)),
            line=achievement.provenance.line,
            page=achievement.provenance.page,
        )
        for code in achievement.departments:
            tables["achievement_departments"].add(achievement_id=achievement_id, department=code)
    for footnote in report.footnotes:
        tables["footnotes"].add(
            report_id=report_id,
            number=footnote.number,
            text=footnote.text,
            line=footnote.provenance.line,
        )
    for warning in report.warnings:
        tables["warnings"].add(
            report_id=report_id,
            code=warning.code,
            message=warning.message,
            line=warning.line,
            page=warning.page,
        )
