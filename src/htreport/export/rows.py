"""The rows of the export tables, report by report, so that an export never holds a corpus.

`Rows` numbers the rows of each table across reports (the `id` columns, the same in every
export) and yields `(table name, values)` pairs in each table's column order. Arrays are
Python lists and booleans Python bools; each writer converts them to its own form.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htreport.export.tables import FLAG_RULES, TABLES_BY_NAME
from htreport.model.report import Deliverable, Report
from htreport.model.textclean import file_name_text

Row = tuple[str, tuple[Any, ...]]


@dataclass(slots=True)
class Derived:
    """What analysis computes across the corpus, handed to the export by its caller (export
    does not import analysis; `htreport export` fills this in).

    `flags`: (fiscal year, deliverable id) -> {flag name: 1, 0 or None, "flag_evidence": text}
    (analysis.flags.export_flag_values). `find_links`: a function giving a report's link
    records (analysis.links.Link.to_data()), called as its rows are made, so that no report's
    links are kept once written. Missing entries export as NULL flags, no links."""

    flags: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    find_links: Callable[[Report], list[dict[str, Any]]] | None = None


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


class Rows:
    """Row builder for one export: call `registry()` once, then `report()` per report."""

    def __init__(self, derived: Derived | None = None) -> None:
        self._counts = dict.fromkeys(TABLES_BY_NAME, 0)
        self._departments: set[str] = set()
        self._columns = {name: table.column_names for name, table in TABLES_BY_NAME.items()}
        self._derived = derived or Derived()
        # row ids of the current report's deliverables (by id) and achievements (by line)
        self._deliverable_rows: dict[str, int] = {}
        self._achievement_rows: dict[int, int] = {}

    def counts(self) -> dict[str, int]:
        """How many rows of each table were emitted so far."""
        return dict(self._counts)

    def _row(self, table: str, **values: Any) -> Row:
        self._counts[table] += 1
        values["id"] = self._counts[table]  # ignored by a table keyed by another column
        return table, tuple(values.get(column) for column in self._columns[table])

    def _department(self, code: str) -> Iterator[Row]:
        # a code from a file written under another registry still needs a row for the keys
        if code not in self._departments:
            self._departments.add(code)
            yield self._row("departments", code=code, label=code, name_en=code, kind="unknown")

    def registry(self) -> Iterator[Row]:
        """The departments and programs of the registry."""
        from htreport.model.departments import registry

        for code, department in registry().departments.items():
            self._departments.add(code)
            yield self._row(
                "departments",
                code=code,
                label=f"{code}: {department.en}",
                name_en=department.en,
                name_fr=department.fr,
                kind=department.kind,
            )
            for program in department.programs:
                yield self._row(
                    "programs", label=f"{code} ({program})", code=program, department=code
                )

    def report(self, path: Path, report: Report) -> Iterator[Row]:
        """Every row that one report contributes, parents before children."""
        meta, source = report.metadata, report.source
        year = meta.fiscal_year
        prefix = year or source.file
        yield self._row(
            "reports",
            label=f"{prefix}: {meta.title}" if meta.title else prefix,
            fiscal_year=year,
            title=meta.title,
            plan=meta.plan,
            edition=meta.edition,
            edition_number=meta.edition_number,
            period_start=meta.period_start.isoformat() if meta.period_start else None,
            period_end=meta.period_end.isoformat() if meta.period_end else None,
            publisher=meta.publisher,
            source_file=source.file,
            source_sha256=source.sha256,
            source_format=source.format,
            extractor=source.extractor,
            path=file_name_text(os.fspath(path)),
        )
        report_id = self._counts["reports"]
        self._deliverable_rows, self._achievement_rows = {}, {}
        for block in report.annex.pillars if report.annex else []:
            pillar = block.pillar.value
            yield self._row(
                "pillars",
                label=f"{prefix} {pillar}",
                report_id=report_id,
                pillar=pillar,
                heading=block.heading,
                line=block.provenance.line,
            )
            pillar_id = self._counts["pillars"]
            for objective in block.objectives:
                yield self._row(
                    "objectives",
                    label=f"{prefix} objective {objective.id}",
                    pillar_id=pillar_id,
                    report_id=report_id,
                    objective=objective.id,
                    text=objective.text,
                    line=objective.provenance.line,
                )
                objective_id = self._counts["objectives"]
                for task in objective.tasks:
                    yield self._row(
                        "tasks",
                        label=f"{prefix} task {task.id}",
                        objective_id=objective_id,
                        report_id=report_id,
                        task=task.id,
                        text=task.text,
                        line=task.provenance.line,
                    )
                    task_id = self._counts["tasks"]
                    for item in task.deliverables:
                        yield from self._deliverable(
                            prefix,
                            year,
                            (report_id, task_id),
                            (pillar, objective.id, task.id),
                            item,
                        )
        yield from self._prose(prefix, year, report_id, report)
        find = self._derived.find_links
        yield from self._links(prefix, year, report_id, find(report) if find else [])

    def _links(
        self, prefix: str, year: str | None, report_id: int, links: list[dict[str, Any]]
    ) -> Iterator[Row]:
        for link in links:
            achievement_id = self._achievement_rows.get(link["achievement_line"])
            deliverable_id = self._deliverable_rows.get(link["deliverable"])
            if achievement_id is None or deliverable_id is None:
                raise ValueError(f"{prefix}: a link names no row of this report: {link}")
            yield self._row(
                "links",
                label=f"{prefix} line {link['achievement_line']} -> {link['deliverable']}",
                report_id=report_id,
                report=year,
                achievement_id=achievement_id,
                deliverable_id=deliverable_id,
                deliverable=link["deliverable"],
                score=link["score"],
                tfidf=link["tfidf"],
                terms=link["terms"],
                shared_departments=list(link["shared_departments"]),
                shared_terms=list(link["shared_terms"]),
            )

    def _deliverable(
        self,
        prefix: str,
        year: str | None,
        parents: tuple[int, int],
        place: tuple[str, str, str],
        item: Deliverable,
    ) -> Iterator[Row]:
        report_id, task_id = parents
        pillar, objective, task = place
        for lead in item.leads:
            yield from self._department(lead.department)
        name = f"{prefix} {item.id}"
        labels = [lead.label() for lead in item.leads]
        flags = self._derived.flags.get((year, item.id), {}) if year else {}
        yield self._row(
            "deliverables",
            label=name,
            report_id=report_id,
            task_id=task_id,
            report=year,
            deliverable=item.id,
            key=item.key,
            pillar=pillar,
            objective=objective,
            task=task,
            text=item.text,
            new=item.new,
            start=item.start,
            timeline=item.timeline,
            status=item.status.value if item.status else None,
            status_detail=item.status_detail,
            leads=labels,
            lead_note=item.lead_note,
            line=item.provenance.line,
            end_line=item.provenance.end_line,
            page=item.provenance.page,
            **{name: _flag(flags.get(name)) for name in FLAG_RULES},
            flag_evidence=flags.get("flag_evidence") or None,
        )
        deliverable_id = self._counts["deliverables"]
        self._deliverable_rows.setdefault(item.id, deliverable_id)
        for position, sub in enumerate(item.items, 1):
            yield self._row(
                "deliverable_items",
                label=f"{name} item {position}",
                deliverable_id=deliverable_id,
                position=position,
                text=sub.text,
                start=sub.start,
                status=sub.status.value if sub.status else None,
                status_detail=sub.status_detail,
            )
        for position, (lead, label) in enumerate(zip(item.leads, labels, strict=True), 1):
            yield self._row(
                "deliverable_leads",
                label=f"{name}: {label}",
                deliverable_id=deliverable_id,
                position=position,
                department=lead.department,
                program=lead.program,
                raw=lead.raw,
            )

    def _prose(
        self, prefix: str, year: str | None, report_id: int, report: Report
    ) -> Iterator[Row]:
        for statistic in report.statistics:
            for code in statistic.departments:
                yield from self._department(code)
            yield self._row(
                "statistics",
                label=f"{prefix}: {statistic.raw} {statistic.counted}",
                report_id=report_id,
                report=year,
                section=statistic.section.value,
                value=statistic.value,
                unit=statistic.unit,
                counted=statistic.counted,
                qualifiers=list(statistic.qualifiers),
                time_ref=statistic.time_ref,
                departments=list(statistic.departments),
                raw=statistic.raw,
                sentence=statistic.sentence,
                line=statistic.provenance.line,
                page=statistic.provenance.page,
            )
            statistic_id = self._counts["statistics"]
            for code in statistic.departments:
                yield self._row(
                    "statistic_departments",
                    label=f"{prefix} statistic {statistic_id}: {code}",
                    statistic_id=statistic_id,
                    department=code,
                )
        for achievement in report.achievements:
            for code in achievement.departments:
                yield from self._department(code)
            words = " ".join(achievement.text.split()[:8])
            yield self._row(
                "achievements",
                label=f"{prefix} {achievement.section.value}: {words}",
                report_id=report_id,
                report=year,
                section=achievement.section.value,
                heading=achievement.heading,
                departments=list(achievement.departments),
                text=achievement.text,
                footnotes=list(achievement.footnotes),
                line=achievement.provenance.line,
                page=achievement.provenance.page,
            )
            achievement_id = self._counts["achievements"]
            self._achievement_rows[achievement.provenance.line] = achievement_id
            for code in achievement.departments:
                yield self._row(
                    "achievement_departments",
                    label=f"{prefix} achievement {achievement_id}: {code}",
                    achievement_id=achievement_id,
                    department=code,
                )
        for footnote in report.footnotes:
            yield self._row(
                "footnotes",
                label=f"{prefix} footnote {footnote.number}",
                report_id=report_id,
                number=footnote.number,
                text=footnote.text,
                line=footnote.provenance.line,
            )
        for warning in report.warnings:
            yield self._row(
                "warnings",
                label=f"{prefix} {warning.code}",
                report_id=report_id,
                code=warning.code,
                message=warning.message,
                line=warning.line,
                page=warning.page,
            )
