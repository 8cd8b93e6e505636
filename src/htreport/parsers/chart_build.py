"""Assembly of a parsed chart: drafts of pillars, objectives, tasks and rows -> the model.

Cells are cleaned here, list items and stacked values shared out (`chart_cells`), statuses
and fiscal years parsed, leads resolved through the department registry, and empty lead or
timeline cells under a merged cell filled from the row above (`merged-lead`,
`merged-timeline` joins). A chart without a status column gives `status: None`; without a
lead column, no per-row `missing-lead` warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from htreport.document import Line, span, warning_at
from htreport.model import fiscal
from htreport.model.departments import Registry
from htreport.model.plain import (
    Annex,
    Deliverable,
    ExtractionWarning,
    Join,
    JoinRule,
    Objective,
    Pillar,
    PillarBlock,
    Provenance,
    RawCells,
    Status,
    SubItem,
    Task,
)
from htreport.model.status import ParsedStatus, parse_statuses
from htreport.model.textclean import clean
from htreport.parsers.chart_cells import assign_stacked, split_items
from htreport.parsers.chart_header import ChartHeader

_NEW = re.compile(r"^\s*NEW\s*:\s*", re.IGNORECASE)


@dataclass
class DraftRow:
    """One deliverable row while it is being assembled from one or more source rows."""

    lines: list[Line]
    cells: dict[str, str]
    header: ChartHeader
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class DraftTask:
    id: str
    text: str
    line: Line
    rows: list[DraftRow] = field(default_factory=list)


@dataclass
class DraftObjective:
    id: str
    text: str
    line: Line
    tasks: list[DraftTask] = field(default_factory=list)


@dataclass
class DraftPillar:
    pillar: Pillar
    heading: str
    line: Line
    objectives: list[DraftObjective] = field(default_factory=list)


class Builder:
    """Builds the model of a chart, adding its joins and warnings to the lists given."""

    def __init__(
        self, registry: Registry, joins: list[Join], warnings: list[ExtractionWarning]
    ) -> None:
        self.registry = registry
        self.joins = joins
        self.warnings = warnings

    def warn(self, code: str, message: str, line: Line) -> None:
        self.warnings.append(warning_at(line, code, message))

    def build(self, drafts: list[DraftPillar], title: str | None, first: Line, last: Line) -> Annex:
        """The chart from its drafts, merged lead/timeline cells filled (each a join)."""
        pillars = []
        for p in drafts:
            objectives = []
            for o in p.objectives:
                tasks = [self.build_task(t) for t in o.tasks]
                end = tasks[-1].provenance if tasks else None
                objectives.append(
                    Objective(id=o.id, text=o.text, tasks=tasks, provenance=until(o.line, end))
                )
            end = objectives[-1].provenance if objectives else None
            pillars.append(
                PillarBlock(
                    pillar=p.pillar,
                    heading=p.heading,
                    objectives=objectives,
                    provenance=until(p.line, end),
                )
            )
        return Annex(title=title, pillars=pillars, provenance=span(first, last))

    def build_task(self, task: DraftTask) -> Task:
        deliverables: list[Deliverable] = []
        previous: DraftRow | None = None
        for number, row in enumerate(task.rows, start=1):
            merges: tuple[tuple[str, JoinRule], ...] = (
                ("lead", "merged-lead"),
                ("timeline", "merged-timeline"),
            )
            for name, rule in merges:
                if not row.cells[name] and previous is not None and previous.cells[name]:
                    row.cells[name] = previous.cells[name]
                    self.joins.append(
                        Join(
                            rule=rule,
                            lines=[previous.lines[0].lineno, row.lines[0].lineno],
                            fields=[name],
                        )
                    )
            deliverables.append(self.build_deliverable(f"{task.id}.{number}", task, row))
            previous = row
        last = deliverables[-1].provenance if deliverables else None
        return Task(
            id=task.id,
            text=clean(task.text),
            deliverables=deliverables,
            provenance=until(task.line, last),
        )

    def build_deliverable(self, id_: str, task: DraftTask, row: DraftRow) -> Deliverable:
        first, last = row.lines[0], row.lines[-1]
        raw_task = task.text if row is task.rows[0] else ""
        intro, items = split_items(row.cells["deliverable"])
        text = clean(intro)
        new = bool(_NEW.match(text))
        text = _NEW.sub("", text)
        timeline = clean(row.cells["timeline"])
        starts = fiscal.find_fiscal_years(timeline)
        statuses = parse_statuses(clean(row.cells["status"]))
        if row.cells["status"] and not statuses:
            self.warn(
                "unknown-status", f"{id_}: status {row.cells['status']!r} not recognised", first
            )
        if not starts and timeline:
            self.warn("unparsed-timeline", f"{id_}: no fiscal year in timeline {timeline!r}", first)
        parts = [SubItem(text=item) for item in items]
        own_start, own_status = assign_stacked(
            id_, starts, statuses, parts, lambda code, message: self.warn(code, message, first)
        )
        has = row.header.columns
        parsed = self.registry.parse_leads(clean(row.cells["lead"]))
        for name in parsed.unresolved:
            self.warn(
                "unresolved-lead", f"{id_}: lead {name!r} is not in the department registry", first
            )
        if not parsed.leads and not parsed.unresolved and "lead" in has:
            self.warn("missing-lead", f"{id_}: no lead department", first)
        return Deliverable(
            id=id_,
            text=text,
            new=new,
            items=parts,
            start=fiscal.short(own_start) if own_start else None,
            timeline=timeline or None,
            status=_status_of(own_status, "status" in has),
            status_detail=own_status.detail if own_status else None,
            leads=parsed.leads,
            lead_note=parsed.note,
            raw=RawCells(
                task=raw_task,
                deliverable=row.cells["deliverable"],
                timeline=row.cells["timeline"],
                status=row.cells["status"],
                lead=row.cells["lead"],
                extra=dict(row.extra) or None,
            ),
            provenance=span(first, last),
        )


def _status_of(parsed: ParsedStatus | None, has_column: bool) -> Status | None:
    if parsed is not None:
        return parsed.status
    return Status.UNKNOWN if has_column else None


def until(line: Line, end: Provenance | None) -> Provenance:
    """Provenance from `line` to the end of `end` (a child's provenance)."""
    if end is None:
        return span(line)
    return Provenance(
        line=line.lineno, end_line=end.end_line, page=line.page, end_page=end.end_page
    )
