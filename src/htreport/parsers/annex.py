"""The action items chart (Annex A): pillar > objective > task > deliverable rows.

The chart is found by meaning (`chart_header`): its heading is an annex or appendix heading
or a chart title, and its columns are mapped by what the header row's cells mean, so any
header words, column order, missing or extra columns are read. Rows before any header row
of a table (a page continuation) keep the last header's mapping. Page breaks and merged
cells leave marks that general rules undo:

- a repeated header row is dropped (and re-read: a later table may have other columns);
- a row that goes on with the row above (`continuation-row`) is appended to it. With a
  Status column: its Status cell is empty. Without one: it has no task id, its lead cell is
  empty (its timeline cell when there is no lead column either), and its deliverable cell is
  empty or starts in lower case, or the deliverable above does not end a sentence;
- an empty Lead (or Timeline) cell under a merged cell takes the value of the row above in the
  same task (`merged-lead`, `merged-timeline`); a cell spanning rows or columns (HTML
  rowspan/colspan) fills every position it covers (`spanned-cell`).

Every such join is recorded so that a reviewer can audit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from htreport.document import Document, Line, grid, span, warning_at
from htreport.model import fiscal
from htreport.model.departments import Registry
from htreport.model.report import (
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
from htreport.model.textclean import clean, join_fragments
from htreport.parsers.chart_cells import assign_stacked, split_items
from htreport.parsers.chart_header import (
    ChartHeader,
    is_annex_heading,
    is_chart_heading,
    is_chart_title,
    is_header_row,
    map_row,
    read_header,
)

__all__ = ["AnnexResult", "find_annex", "is_header_row", "parse", "split_items"]

_OBJECTIVE = re.compile(r"^\W*objective\s+(\d+\.\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
_TASK_ID = re.compile(r"^(\d+\.\d+)(?:\s+(.*))?$", re.DOTALL)
_NEW = re.compile(r"^\s*NEW\s*:\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;:)\]»”\"']\s*$")
_PILLAR_WORDS: list[tuple[str, Pillar]] = [
    ("PREVENTION", Pillar.PREVENTION),
    ("PROTECTION", Pillar.PROTECTION),
    ("PROSECUTION", Pillar.PROSECUTION),
    ("PARTNERSHIP", Pillar.PARTNERSHIPS),
]
_PILLAR_BY_NUMBER = {"1": Pillar.PREVENTION, "2": Pillar.PROTECTION, "3": Pillar.PROSECUTION}
_PILLAR_BY_NUMBER["4"] = Pillar.PARTNERSHIPS


@dataclass
class _Row:
    """One deliverable row while it is being assembled from one or more source rows."""

    lines: list[Line]
    cells: dict[str, str]
    header: ChartHeader
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class _Task:
    id: str
    text: str
    line: Line
    rows: list[_Row] = field(default_factory=list)


@dataclass
class _Objective:
    id: str
    text: str
    line: Line
    tasks: list[_Task] = field(default_factory=list)


@dataclass
class _Pillar:
    pillar: Pillar
    heading: str
    line: Line
    objectives: list[_Objective] = field(default_factory=list)


@dataclass
class AnnexResult:
    annex: Annex | None
    joins: list[Join]
    warnings: list[ExtractionWarning]


def find_annex(lines: list[Line]) -> tuple[int, int] | None:
    """Index range [start, end) of the chart: from its heading (or first header row) to the
    next annex or appendix heading, whatever its letter."""
    first_header = next(
        (i for i, ln in enumerate(lines) if ln.cells and is_header_row(ln.texts)), None
    )
    if first_header is None:
        start = _headed_table_without_header(lines)
        if start is None:
            return None
        after = start
    else:
        start = _heading_above(lines, first_header)
        after = first_header
    end = next(
        (i for i in range(after + 1, len(lines)) if is_annex_heading(lines[i])),
        len(lines),
    )
    return start, end


def _heading_above(lines: list[Line], header: int) -> int:
    """The chart heading above the first header row: the nearest annex heading, or a chart
    title (with the annex heading right above it, if any); the header row itself if none.
    The search stops at a row of another table."""
    for i in range(header - 1, -1, -1):
        if is_annex_heading(lines[i]):
            return i
        if is_chart_title(lines[i]):
            above = next((j for j in range(i - 1, -1, -1) if lines[j].text.strip()), None)
            return above if above is not None and is_annex_heading(lines[above]) else i
        if lines[i].cells and lines[i].table != lines[header].table:
            break
    return header


def _headed_table_without_header(lines: list[Line]) -> int | None:
    """A chart heading followed by table rows before the next annex heading (a chart whose
    header row is missing or not recognised): the heading's index."""
    for i, line in enumerate(lines):
        if not is_chart_heading(line):
            continue
        for following in lines[i + 1 :]:
            if following.cells and any(t.strip() for t in following.texts):
                return i
            if is_annex_heading(following):
                break
    return None


def _pillar_of(text: str) -> Pillar | None:
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return None
    upper = text.upper()
    return next((pillar for word, pillar in _PILLAR_WORDS if word in upper), None)


class _Parser:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.pillars: list[_Pillar] = []
        self.title: str | None = None
        self.joins: list[Join] = []
        self.warnings: list[ExtractionWarning] = []
        self.last_was_objective = False
        self.header: ChartHeader | None = None
        self.noted: set[tuple[str, str]] = set()  # notes given once per chart

    def warn(self, code: str, message: str, line: Line) -> None:
        self.warnings.append(warning_at(line, code, message))

    # -- structure -------------------------------------------------------------------------

    def objective(self, id_: str, line: Line) -> _Objective:
        if not self.pillars or not id_.startswith(_number_of(self.pillars[-1])):
            pillar = _PILLAR_BY_NUMBER.get(id_.split(".")[0])
            if pillar is None:
                raise _Skip(f"objective {id_} has no pillar heading above it")
            self.warn(
                "missing-pillar", f"objective {id_} has no pillar heading; assumed {pillar}", line
            )
            self.pillars.append(_Pillar(pillar, "", line))
        objective = _Objective(id_, "", line)
        self.pillars[-1].objectives.append(objective)
        return objective

    def current_objective(self) -> _Objective | None:
        if self.pillars and self.pillars[-1].objectives:
            return self.pillars[-1].objectives[-1]
        return None

    def current_task(self) -> _Task | None:
        objective = self.current_objective()
        return objective.tasks[-1] if objective and objective.tasks else None

    # -- lines -----------------------------------------------------------------------------

    def text_line(self, line: Line) -> None:
        text = clean(line.text)
        if not text:
            return
        if is_annex_heading(line) and not self.pillars:
            return
        pillar = _pillar_of(text)
        if pillar is not None:
            self.pillars.append(_Pillar(pillar, text, line))
            self.last_was_objective = False
            return
        match = _OBJECTIVE.match(text)
        if match:
            try:
                objective = self.objective(match.group(1), line)
            except _Skip as skip:
                self.warn("unparsed-line", str(skip), line)
                return
            objective.text = match.group(2)
            self.last_was_objective = True
            return
        if self.last_was_objective:  # an objective that wrapped onto the next line
            wrapped = self.current_objective()
            if wrapped is not None:
                wrapped.text = join_fragments(wrapped.text, text)
                return
        if not self.pillars and self.title is None:
            self.title = text
            return
        self.warn("unparsed-line", f"text in Annex A outside the chart: {text[:80]!r}", line)

    def note_once(self, code: str, message: str, line: Line) -> None:
        if (code, message) not in self.noted:
            self.noted.add((code, message))
            self.warn(code, message, line)

    def read_header(self, line: Line, texts: tuple[str, ...]) -> bool:
        """Take a header row's mapping for the rows below it; False if `texts` is no header."""
        header = read_header(line, texts)
        if header is None:
            return False
        self.header = header
        for column in header.missing:
            if column == "status":
                message = "the chart has no status column; its deliverables have no status"
                self.note_once("no-status-column", message, line)
            else:
                self.note_once("missing-column", f"the chart has no {column} column", line)
        for name in header.extras:
            message = f"column {name!r} is not a chart column; its cells are kept in raw.extra"
            self.note_once("extra-column", message, line)
        return True

    def row(self, line: Line, laid: _LaidRow) -> None:
        """One chart row, its spanned positions filled (see `_laid_out`)."""
        texts = laid.texts
        self.last_was_objective = False
        if self.read_header(line, texts):
            return
        header = self.header
        if header is None:
            message = "chart rows with no recognisable header row above them (docs/charts.md)"
            self.note_once("no-chart-header", message, line)
            self.warn("unparsed-row", f"chart row: {clean(' | '.join(texts))[:200]!r}", line)
            return
        mapped = map_row(header, texts)
        if mapped.overflow:
            self.warn(
                "extra-cells",
                f"row has {len(texts)} cells, its header (line {header.line.lineno}) "
                f"{len(header.columns)}; the {mapped.overflow} extra joined to the last column",
                line,
            )
        cells = mapped.cells
        for index, origin, from_above in laid.fills:
            name = header.columns[index] if index < len(header.columns) else None
            if name is not None:
                join = Join(rule="spanned-cell", lines=[origin, line.lineno], fields=[name])
                self.joins.append(join)
            if name == "task" and from_above:  # the row belongs to the task above
                cells["task"] = ""
        if not any(cells.values()) and not any(mapped.extra.values()):
            return
        task = self.current_task()
        if task is not None and task.rows and _continues(header, cells, task.rows[-1]):
            self.continuation(task, task.rows[-1], cells, mapped.extra, line)
            return
        match = _TASK_ID.match(clean(cells["task"]))
        if match:
            objective = self.current_objective()
            task_id = match.group(1)
            if objective is None or not task_id.startswith(objective.id):
                objective_id = task_id[: task_id.index(".") + 2]
                self.warn(
                    "missing-objective",
                    f"task {task_id} has no objective {objective_id} above it",
                    line,
                )
                objective = self.objective(objective_id, line)
            task = _Task(task_id, match.group(2) or "", line)
            objective.tasks.append(task)
        elif cells["task"] and task is not None:
            task.text = join_fragments(task.text, clean(cells["task"]))
            self.joins.append(
                Join(rule="task-continued", lines=[task.line.lineno, line.lineno], fields=["task"])
            )
        if task is None:
            self.warn(
                "unparsed-row",
                f"chart row before any task: {clean(' | '.join(texts))[:80]!r}",
                line,
            )
            return
        if not cells["status"] and "status" in header.columns:
            self.warn("missing-status", f"row of task {task.id} has no status", line)
        task.rows.append(_Row([line], cells, header, dict(mapped.extra)))

    def continuation(
        self, task: _Task, above: _Row, cells: dict[str, str], extra: dict[str, str], line: Line
    ) -> None:
        filled = [name for name, value in cells.items() if value]
        if cells["task"]:
            task.text = join_fragments(task.text, clean(cells["task"]))
        for name in ("deliverable", "timeline", "lead"):
            if cells[name]:
                above.cells[name] = (
                    f"{above.cells[name]}\n{cells[name]}" if above.cells[name] else cells[name]
                )
        for name, value in extra.items():
            if value:
                previous = above.extra.get(name, "")
                above.extra[name] = f"{previous}\n{value}" if previous else value
                filled.append(name)
        above.lines.append(line)
        self.joins.append(
            Join(rule="continuation-row", lines=[above.lines[0].lineno, line.lineno], fields=filled)
        )

    # -- assembly --------------------------------------------------------------------------

    def build(self, first: Line, last: Line) -> Annex:
        pillars = []
        for p in self.pillars:
            objectives = []
            for o in p.objectives:
                tasks = [self.build_task(t) for t in o.tasks]
                end = tasks[-1].provenance if tasks else None
                objectives.append(
                    Objective(id=o.id, text=o.text, tasks=tasks, provenance=_until(o.line, end))
                )
            end = objectives[-1].provenance if objectives else None
            pillars.append(
                PillarBlock(
                    pillar=p.pillar,
                    heading=p.heading,
                    objectives=objectives,
                    provenance=_until(p.line, end),
                )
            )
        return Annex(title=self.title, pillars=pillars, provenance=span(first, last))

    def build_task(self, task: _Task) -> Task:
        deliverables: list[Deliverable] = []
        previous: _Row | None = None
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
            provenance=_until(task.line, last),
        )

    def build_deliverable(self, id_: str, task: _Task, row: _Row) -> Deliverable:
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


def _continues(header: ChartHeader, cells: dict[str, str], above: _Row) -> bool:
    """Whether a row goes on with the row above it (a row split by a page break)."""
    if "status" in header.columns:
        return not cells["status"]
    if _TASK_ID.match(clean(cells["task"])):
        return False
    closing = "lead" if "lead" in header.columns else "timeline"
    if cells[closing]:
        return False
    deliverable = clean(cells["deliverable"])
    if not deliverable:
        return True
    return deliverable[0].islower() or not _SENTENCE_END.search(clean(above.cells["deliverable"]))


class _Skip(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _LaidRow:
    """A row's cell texts with spans filled, and where each fill came from."""

    texts: tuple[str, ...]
    #: (column index, line of the spanning cell, whether it spans from a row above) for each
    #: position a spanning cell fills
    fills: tuple[tuple[int, int, bool], ...]


def _laid_out(body: list[Line]) -> dict[int, _LaidRow]:
    """Each row (by `id(line)`) laid out with the positions that spanned cells cover filled.

    A cell spanning rows (HTML rowspan, a merged PDF cell) gives its text to every row it
    covers; one spanning columns gives it to each column it covers."""
    tables: dict[int, list[Line]] = {}
    for line in body:
        if line.cells is not None:
            number = line.table if line.table is not None else -1 - line.lineno
            tables.setdefault(number, []).append(line)
    laid: dict[int, _LaidRow] = {}
    for rows in tables.values():
        for line, positions in zip(rows, grid(rows), strict=True):
            own = {id(cell) for cell in line.cells or ()}
            fills = tuple(
                (index, position.cell.lineno, id(position.cell) not in own)
                for index, position in enumerate(positions)
                if position.filled and position.text
            )
            laid[id(line)] = _LaidRow(tuple(position.text for position in positions), fills)
    return laid


def _number_of(pillar: _Pillar) -> str:
    for number, value in _PILLAR_BY_NUMBER.items():
        if value == pillar.pillar:
            return number
    return ""


def _until(line: Line, end: Provenance | None) -> Provenance:
    """Provenance from `line` to the end of `end` (a child's provenance)."""
    if end is None:
        return span(line)
    return Provenance(
        line=line.lineno, end_line=end.end_line, page=line.page, end_page=end.end_page
    )


def parse(document: Document, registry: Registry) -> AnnexResult:
    """Parse Annex A of `document`; `annex` is None (with a warning) when there is none."""
    lines = document.lines
    found = find_annex(lines)
    if found is None:
        warning = ExtractionWarning(code="no-annex", message="no Annex A action items chart found")
        return AnnexResult(None, [], [warning])
    start, end = found
    parser = _Parser(registry)
    body = [line for line in lines[start:end] if line.text.strip()]
    laid = _laid_out(body)
    for line in body:
        if line.footnote:
            continue
        laid_row = laid.get(id(line))
        if (
            laid_row is not None
            and any(t.strip() for t in laid_row.texts)
            and len(laid_row.texts) >= 3
        ):
            parser.row(line, laid_row)
        else:
            parser.text_line(line)
    annex = parser.build(body[0], body[-1])
    return AnnexResult(annex, parser.joins, parser.warnings)
