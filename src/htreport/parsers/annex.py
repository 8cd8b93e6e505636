"""Annex A, the Action Items Chart: pillar > objective > task > deliverable rows.

The chart comes as table rows (tab-separated text, or PDF table cells) of five cells: Task,
Deliverable, Timeline, Status, Lead. Page breaks leave marks that general rules undo:

- the repeated `Task | Deliverable | Timeline | Status | Lead` header row is dropped;
- a row whose Status cell is empty continues the row above: its task, deliverable, timeline and
  lead text are appended to the row above (`continuation-row`);
- an empty Lead (or Timeline) cell under a merged cell takes the value of the row above in the
  same task (`merged-lead`, `merged-timeline`).

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
from htreport.model.textclean import clean, join_fragments, strip_markup

COLUMNS = ("task", "deliverable", "timeline", "status", "lead")
_ANNEX_HEADING = re.compile(r"^\W*annex\s+a\b", re.IGNORECASE)
_ANNEX_END = re.compile(r"^\W*annex\s+[b-z]\b", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"[\t .]\d{1,3}\s*$")
_OBJECTIVE = re.compile(r"^\W*objective\s+(\d+\.\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
_TASK_ID = re.compile(r"^(\d+\.\d+)(?:\s+(.*))?$", re.DOTALL)
_NEW = re.compile(r"^\s*NEW\s*:\s*", re.IGNORECASE)
_LIST_START = re.compile(r"<\s*ul\b[^>]*>|•|\u25cf|\u25aa")
_PILLAR_WORDS: list[tuple[str, Pillar]] = [
    ("PREVENTION", Pillar.PREVENTION),
    ("PROTECTION", Pillar.PROTECTION),
    ("PROSECUTION", Pillar.PROSECUTION),
    ("PARTNERSHIP", Pillar.PARTNERSHIPS),
    ("EMPOWER", Pillar.EMPOWERMENT),  # the National Strategy's fifth pillar
]
_PILLAR_BY_NUMBER = {"1": Pillar.PREVENTION, "2": Pillar.PROTECTION, "3": Pillar.PROSECUTION}
_PILLAR_BY_NUMBER["4"] = Pillar.PARTNERSHIPS


@dataclass
class _Row:
    """One deliverable row while it is being assembled from one or more source rows."""

    lines: list[Line]
    cells: dict[str, str]


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


def is_header_row(cells: tuple[str, ...] | list[str]) -> bool:
    words = [clean(cell).casefold().rstrip("s") for cell in cells if cell.strip()]
    return words[:5] == ["task", "deliverable", "timeline", "statu", "lead"]


def find_annex(lines: list[Line]) -> tuple[int, int] | None:
    """Index range [start, end) of Annex A: from its heading (or first chart header row)."""
    first_header = next(
        (i for i, ln in enumerate(lines) if ln.cells and is_header_row(ln.texts)), None
    )
    if first_header is None:
        return None
    start = first_header
    for i in range(first_header - 1, -1, -1):
        text = lines[i].text
        if _ANNEX_HEADING.match(text) and not _TOC_ENTRY.search(text):
            start = i
            break
    end = len(lines)
    for i in range(first_header + 1, len(lines)):
        if not lines[i].cells and _ANNEX_END.match(lines[i].text):
            end = i
            break
    return start, end


def _pillar_of(text: str) -> Pillar | None:
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return None
    upper = text.upper()
    return next((pillar for word, pillar in _PILLAR_WORDS if word in upper), None)


def _five(cells: tuple[str, ...]) -> dict[str, str]:
    values = list(cells[:5]) + [""] * (5 - len(cells))
    if len(cells) > 5:  # a stray tab inside the last cell
        values[4] = " ".join(c for c in cells[4:] if c.strip())
    return dict(zip(COLUMNS, (v.strip() for v in values), strict=True))


class _Parser:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.pillars: list[_Pillar] = []
        self.title: str | None = None
        self.joins: list[Join] = []
        self.warnings: list[ExtractionWarning] = []
        self.last_was_objective = False

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
        if _ANNEX_HEADING.match(text) and not self.pillars:
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

    def row(self, line: Line, laid: _LaidRow) -> None:
        """One chart row, its spanned positions filled (see `_laid_out`)."""
        texts = laid.texts
        self.last_was_objective = False
        if is_header_row(texts):
            return
        cells = _five(texts)
        for index, origin in laid.fills:
            if index < len(COLUMNS):
                self.joins.append(
                    Join(rule="spanned-cell", lines=[origin, line.lineno], fields=[COLUMNS[index]])
                )
            if index == 0:  # a task cell spanning this row: the row belongs to the task above
                cells["task"] = ""
        if not any(cells.values()):
            return
        task = self.current_task()
        if not cells["status"] and task is not None and task.rows:
            self.continuation(task, task.rows[-1], cells, line)
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
        if not cells["status"]:
            self.warn("missing-status", f"row of task {task.id} has no status", line)
        task.rows.append(_Row([line], cells))

    def continuation(self, task: _Task, above: _Row, cells: dict[str, str], line: Line) -> None:
        filled = [name for name in COLUMNS if cells[name]]
        if cells["task"]:
            task.text = join_fragments(task.text, clean(cells["task"]))
        for name in ("deliverable", "timeline", "lead"):
            if cells[name]:
                above.cells[name] = (
                    f"{above.cells[name]}\n{cells[name]}" if above.cells[name] else cells[name]
                )
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
        own_start, own_status = _assign_stacked(id_, starts, statuses, parts, self, first)
        parsed = self.registry.parse_leads(clean(row.cells["lead"]))
        for name in parsed.unresolved:
            self.warn(
                "unresolved-lead", f"{id_}: lead {name!r} is not in the department registry", first
            )
        if not parsed.leads and not parsed.unresolved:
            self.warn("missing-lead", f"{id_}: no lead department", first)
        return Deliverable(
            id=id_,
            text=text,
            new=new,
            items=parts,
            start=fiscal.short(own_start) if own_start else None,
            timeline=timeline or None,
            status=own_status.status if own_status else Status.UNKNOWN,
            status_detail=own_status.detail if own_status else None,
            leads=parsed.leads,
            lead_note=parsed.note,
            raw=RawCells(
                task=raw_task,
                deliverable=row.cells["deliverable"],
                timeline=row.cells["timeline"],
                status=row.cells["status"],
                lead=row.cells["lead"],
            ),
            provenance=span(first, last),
        )


class _Skip(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _LaidRow:
    """A row's cell texts with spans filled, and where each fill came from."""

    texts: tuple[str, ...]
    #: (column index, line of the spanning cell) for each position filled from another row
    fills: tuple[tuple[int, int], ...]


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
            fills = tuple(
                (index, position.cell.lineno)
                for index, position in enumerate(positions)
                if position.filled and position.cell.lineno != line.lineno and position.text
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


def split_items(cell: str) -> tuple[str, list[str]]:
    """Split a deliverable cell into its lead-in text and list items.

    Lists come as an HTML `<ul>` remnant followed by `;`-separated entries (archived text) or
    as bullet characters (PDF)."""
    match = _LIST_START.search(cell)
    if match is None:
        return cell, []
    intro, rest = cell[: match.start()], cell[match.start() :]
    if "•" in rest or "\u25cf" in rest or "\u25aa" in rest:
        pieces = re.split(r"[•\u25cf\u25aa]", strip_markup(rest))
    else:
        pieces = strip_markup(rest).split(";")
    items = [clean(piece).rstrip(";").strip() for piece in pieces]
    return intro, [item for item in items if item]


def _assign_stacked(
    id_: str,
    starts: list[int],
    statuses: list[ParsedStatus],
    parts: list[SubItem],
    parser: _Parser,
    line: Line,
) -> tuple[int | None, ParsedStatus | None]:
    """Share stacked timeline/status values between a deliverable and its list items.

    One value belongs to the deliverable. N values for N items go one to each item (the
    deliverable takes the first); N+1 values give the first to the deliverable and the rest to
    the items in order. Any other count is kept on the deliverable with a warning."""
    count = max(len(starts), len(statuses))
    if count <= 1 or not parts:
        if count > 1:
            parser.warn("stacked-values", f"{id_}: {count} stacked values but no list items", line)
        return (starts[0] if starts else None), (statuses[0] if statuses else None)
    if count not in (len(parts), len(parts) + 1):
        parser.warn(
            "stacked-values", f"{id_}: {count} stacked values for {len(parts)} list items", line
        )
        return (starts[0] if starts else None), (statuses[0] if statuses else None)
    offset = count - len(parts)
    for index, part in enumerate(parts):
        if len(starts) == count:
            part.start = fiscal.short(starts[index + offset])
        if len(statuses) == count:
            part.status = statuses[index + offset].status
            part.status_detail = statuses[index + offset].detail
    return (starts[0] if starts else None), (statuses[0] if statuses else None)


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
