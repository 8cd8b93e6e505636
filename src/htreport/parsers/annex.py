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
from typing import NamedTuple

from htreport.document import Document, Line, warning_at
from htreport.model.departments import Registry
from htreport.model.plain import (
    Annex,
    ExtractionWarning,
    Join,
    Pillar,
)
from htreport.model.textclean import clean, join_fragments
from htreport.parsers.chart_build import (
    Builder,
    DraftObjective,
    DraftPillar,
    DraftRow,
    DraftTask,
)
from htreport.parsers.chart_cells import LaidRow, laid_out, split_items
from htreport.parsers.chart_header import (
    ChartHeader,
    find_annex,
    is_annex_heading,
    is_header_row,
    map_row,
    read_header,
)

__all__ = ["AnnexResult", "find_annex", "is_header_row", "parse", "split_items"]

_OBJECTIVE = re.compile(r"^\W*objective\s+(\d+\.\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
_TASK_ID = re.compile(r"^(\d+\.\d+)(?:\s+(.*))?$", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?;:)\]»”\"']\s*$")
_PILLAR_WORDS: list[tuple[str, Pillar]] = [
    ("PREVENTION", Pillar.PREVENTION),
    ("PROTECTION", Pillar.PROTECTION),
    ("PROSECUTION", Pillar.PROSECUTION),
    ("PARTNERSHIP", Pillar.PARTNERSHIPS),
    ("EMPOWER", Pillar.EMPOWERMENT),  # the National Strategy's fifth pillar
]
_PILLAR_BY_NUMBER = {"1": Pillar.PREVENTION, "2": Pillar.PROTECTION, "3": Pillar.PROSECUTION}
_PILLAR_BY_NUMBER["4"] = Pillar.PARTNERSHIPS


class AnnexResult(NamedTuple):
    annex: Annex | None
    joins: list[Join]
    warnings: list[ExtractionWarning]


def _pillar_of(text: str) -> Pillar | None:
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return None
    upper = text.upper()
    return next((pillar for word, pillar in _PILLAR_WORDS if word in upper), None)


class _Parser:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.pillars: list[DraftPillar] = []
        self.title: str | None = None
        self.joins: list[Join] = []
        self.warnings: list[ExtractionWarning] = []
        self.last_was_objective = False
        self.header: ChartHeader | None = None
        self.noted: set[tuple[str, str]] = set()  # notes given once per chart
        self.objectives: dict[str, DraftObjective] = {}  # by id: an id is written once
        self.resumed: DraftObjective | None = None  # a repeated objective whose tasks go on
        self.five_pillars = False  # an empowerment pillar: the headings number the pillars

    def warn(self, code: str, message: str, line: Line) -> None:
        self.warnings.append(warning_at(line, code, message))

    # -- structure -------------------------------------------------------------------------

    def objective(self, id_: str, line: Line) -> DraftObjective:
        """The objective `id_` opens: a new one, or (repeated after a page break) the one
        already read, so that no id is written twice."""
        repeated = self.objectives.get(id_)
        if repeated is not None:
            self.warn(
                "repeated-objective",
                f"objective {id_} is given again; its tasks join the first one "
                f"(line {repeated.line.lineno})",
                line,
            )
            self.resumed = repeated
            return repeated
        if not self._belongs(id_):
            self.pillars.append(DraftPillar(self._pillar_by_number(id_, line), "", line))
        objective = DraftObjective(id_, "", line)
        self.pillars[-1].objectives.append(objective)
        self.objectives[id_] = objective
        self.resumed = None
        return objective

    def _belongs(self, id_: str) -> bool:
        """Whether objective `id_` stands under the current pillar.

        A pillar's number is that of its first objective. Before it has one, the 4-P plan's
        numbering decides (prevention 1 ... partnerships 4); a chart with the National
        Strategy's empowerment pillar numbers its pillars its own way, so its headings decide."""
        if not self.pillars:
            return False
        current = self.pillars[-1]
        number = id_.split(".")[0]
        if current.objectives:
            return current.objectives[0].id.split(".")[0] == number
        if self.five_pillars or current.pillar is Pillar.UNKNOWN:
            return True
        return _number_of(current) == number

    def _pillar_by_number(self, id_: str, line: Line) -> Pillar:
        """The pillar of an objective that has no heading above it, with a warning."""
        pillar = None if self.five_pillars else _PILLAR_BY_NUMBER.get(id_.split(".")[0])
        if pillar is None:
            self.warn(
                "missing-pillar",
                f"objective {id_} has no pillar heading above it, and its number names none; "
                "its rows are kept under the unknown pillar",
                line,
            )
            return Pillar.UNKNOWN
        self.warn(
            "missing-pillar", f"objective {id_} has no pillar heading; assumed {pillar}", line
        )
        return pillar

    def current_objective(self) -> DraftObjective | None:
        if self.resumed is not None:
            return self.resumed
        if self.pillars and self.pillars[-1].objectives:
            return self.pillars[-1].objectives[-1]
        return None

    def current_task(self) -> DraftTask | None:
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
            self.pillars.append(DraftPillar(pillar, text, line))
            self.five_pillars = self.five_pillars or pillar is Pillar.EMPOWERMENT
            self.resumed = None
            self.last_was_objective = False
            return
        match = _OBJECTIVE.match(text)
        if match:
            objective = self.objective(match.group(1), line)
            if not objective.text:
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

    def row(self, line: Line, laid: LaidRow) -> None:
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
            task = self.task(match.group(1), match.group(2) or "", line)
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
        twin = next((row for row in task.rows if _same_row(row, cells)), None)
        if twin is not None:  # a row printed twice (at a page break): written once
            self.warn(
                "repeated-row",
                f"row of task {task.id} repeats line {twin.lines[0].lineno}; kept once",
                line,
            )
            return
        if not cells["status"] and "status" in header.columns:
            self.warn("missing-status", f"row of task {task.id} has no status", line)
        task.rows.append(DraftRow([line], cells, header, dict(mapped.extra)))

    def task(self, task_id: str, text: str, line: Line) -> DraftTask:
        """The task a row with id `task_id` opens, under the objective it belongs to.

        Ids stay unique and extend their objective's, as `validate` requires: a task given
        again joins the first; a task numbered like its objective (or not extending it) is
        renumbered; each with a warning at its line."""
        objective = self.current_objective()
        if objective is None or not task_id.startswith(objective.id):
            objective_id = task_id[: task_id.index(".") + 2]
            if objective_id not in self.objectives:
                self.warn(
                    "missing-objective",
                    f"task {task_id} has no objective {objective_id} above it",
                    line,
                )
            objective = self.objective(objective_id, line)
        for known in objective.tasks:
            if known.id == task_id:
                self.warn(
                    "repeated-task",
                    f"task {task_id} is given again (first at line {known.line.lineno}); "
                    "its rows join the first",
                    line,
                )
                return known
        if not _extends(task_id, objective.id):
            taken = {known.id for known in objective.tasks}
            number = len(objective.tasks) + 1
            while f"{objective.id}{number}" in taken:
                number += 1
            renumbered = f"{objective.id}{number}"
            self.warn(
                "renumbered-task",
                f"task {task_id} does not extend objective {objective.id}'s id; read as {renumbered}",
                line,
            )
            task_id = renumbered
        task = DraftTask(task_id, text, line)
        objective.tasks.append(task)
        return task

    def continuation(
        self,
        task: DraftTask,
        above: DraftRow,
        cells: dict[str, str],
        extra: dict[str, str],
        line: Line,
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


def _continues(header: ChartHeader, cells: dict[str, str], above: DraftRow) -> bool:
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


def _extends(task_id: str, objective_id: str) -> bool:
    """`1.11` extends objective `1.1`; `1.1` itself, or `2.11`, does not."""
    rest = task_id[len(objective_id) :] if task_id.startswith(objective_id) else ""
    return rest.isdigit()


def _same_row(row: DraftRow, cells: dict[str, str]) -> bool:
    """Whether a row's cells repeat those of `row` (a row printed twice)."""
    ignored = {"task"}  # the repeated row restates the task's id and text
    return all(
        row.cells.get(name, "") == value for name, value in cells.items() if name not in ignored
    )


def _number_of(pillar: DraftPillar) -> str:
    for number, value in _PILLAR_BY_NUMBER.items():
        if value == pillar.pillar:
            return number
    return ""


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
    laid = laid_out(body)
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
    builder = Builder(registry, parser.joins, parser.warnings)
    annex = builder.build(parser.pillars, parser.title, body[0], body[-1])
    return AnnexResult(annex, parser.joins, parser.warnings)
