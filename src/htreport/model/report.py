"""The data model of a structured report: the single source of truth for schemas/."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from htreport.model.numbers import MAX_DIGITS, MAX_SIGNIFICANT_DIGITS, MAX_VALUE
from htreport.model.textclean import MAX_FOOTNOTE_DIGITS
from htreport.model.vocabulary import DocumentType, Pillar, Section, Status
from htreport.settings import SCHEMA_VERSION

FiscalYear = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{4}$"),
    Field(description="A fiscal year written in full, e.g. 2014-2015."),
]
StartYear = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}$"),
    Field(description="A start fiscal year in short form, e.g. 2014-15."),
]


#: A statistic's value: a JSON number, never a string, NaN or an infinity, and exact: a whole
#: number of at most 30 digits, or a fraction (see htreport.model.numbers for the rules).
def _finite_number(value: Any) -> Any:
    """Refuse what is not a JSON number (strings, booleans) and NaN or infinities, strictly."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    if not isinstance(value, int | float):
        raise ValueError(
            "must be a number, not text" if isinstance(value, str) else "must be a number"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number (NaN and infinities are not numbers)")
    if abs(value) > MAX_VALUE:
        raise ValueError(f"must have at most {MAX_DIGITS} digits (a larger number is text)")
    return value


StatisticValue = Annotated[
    int | float,
    BeforeValidator(_finite_number),
    Field(
        description="The number, e.g. 31454 or 57220000 (money in dollars). Exact: a whole "
        f"number has at most {MAX_DIGITS} digits, a fraction at most {MAX_SIGNIFICANT_DIGITS} "
        "significant digits; a larger number is kept as text in a number-too-large warning. "
        "Never a string, NaN or an infinity.",
        json_schema_extra={"minimum": -MAX_VALUE, "maximum": MAX_VALUE},
    ),
]
#: A footnote number as printed: at most four digits.
FootnoteNumber = Annotated[int, Field(ge=0, le=10**MAX_FOOTNOTE_DIGITS - 1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Provenance(Model):
    """Where an item came from: lines of a text source, or pages of a PDF."""

    line: int = Field(description="First source line (1-based; for PDFs, the reader's line).")
    end_line: int = Field(description="Last source line, inclusive.")
    page: int | None = Field(default=None, description="First PDF page (1-based), if a PDF.")
    end_page: int | None = Field(default=None, description="Last PDF page, if a PDF.")


class Source(Model):
    """The file a report was extracted from."""

    file: str = Field(description="File name of the source, without directories.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the source bytes.")
    format: Literal["text", "markdown", "html", "pdf"] = Field(
        description="The reader that read the source: text, markdown, html or pdf."
    )
    encoding: str | None = Field(default=None, description="Text encoding the source was read in.")
    extractor: str = Field(description="htreport version that extracted it, e.g. htreport 0.1.0.")


class Evidence(Model):
    """The words a metadata field was read from, where they stand, and the rule that read them."""

    rule: str = Field(description="The rule that decided, e.g. title-names-report.")
    text: str = Field(description="The words as printed (cleaned), e.g. 2014-2015 Annual Report.")
    line: int = Field(description="First source line (1-based; for PDFs, the reader's line).")
    end_line: int = Field(description="Last source line, inclusive.")
    page: int | None = Field(default=None, description="First PDF page (1-based), if a PDF.")
    end_page: int | None = Field(default=None, description="Last PDF page, if a PDF.")


class MetadataEvidence(Model):
    """For each metadata field found, the evidence it was found by (absent when not found)."""

    document_type: Evidence | None = None
    title: Evidence | None = None
    plan: Evidence | None = None
    edition: Evidence | None = None
    fiscal_year: Evidence | None = None
    period: Evidence | None = None
    launch_date: Evidence | None = None
    publisher: Evidence | None = None


class Metadata(Model):
    """What the document says about itself; a field it does not say is null, never guessed."""

    document_type: DocumentType | None = Field(
        default=None,
        description="annual_report, plan, strategy, news_release, evaluation or other; "
        "null only in data written before htreport knew document types.",
    )
    title: str | None = None
    plan: str | None = Field(default=None, description="The plan reported on.")
    edition: str | None = Field(
        default=None, description="Edition of a report as printed, e.g. third."
    )
    edition_number: int | None = Field(default=None, description="Edition as a number, e.g. 3.")
    fiscal_year: FiscalYear | None = Field(
        default=None, description="The fiscal year reported on, when it is exactly one."
    )
    fiscal_years: list[FiscalYear] | None = Field(
        default=None,
        description="Every fiscal year the period covers, when it runs from an April 1 to a "
        "March 31 (several for a multi-year report), or the one fiscal year of the title.",
    )
    period_start: date | None = None
    period_end: date | None = None
    launch_date: date | None = Field(default=None, description="When the plan was launched.")
    publisher: str | None = None
    provenance: Provenance | None = None
    evidence: MetadataEvidence | None = Field(
        default=None, description="Where each field was found, and by which rule."
    )


class Lead(Model):
    """A lead department, resolved through the department registry."""

    department: str = Field(description="Canonical department code, e.g. ESDC.")
    program: str | None = Field(default=None, description="Canonical program code, e.g. TFWP.")
    raw: str = Field(description="The lead as printed in the cell.")

    def label(self) -> str:
        return f"{self.department} ({self.program})" if self.program else self.department


class SubItem(Model):
    """One entry of a list inside a deliverable cell."""

    text: str
    start: StartYear | None = None
    status: Status | None = None
    status_detail: str | None = None


JoinRule = Literal[
    "continuation-row", "task-continued", "merged-lead", "merged-timeline", "spanned-cell"
]


class Join(Model):
    """A join the extractor made across a page break or a merged cell, for review."""

    rule: JoinRule = Field(description="Which rule joined the lines.")
    lines: list[int] = Field(description="Source lines involved, the receiving row first.")
    fields: list[str] = Field(description="Cells that received text, e.g. task, deliverable.")


class RawCells(Model):
    """The cells of a deliverable's row(s) as printed, before cleaning."""

    task: str
    deliverable: str
    timeline: str
    status: str
    lead: str
    extra: dict[str, str] | None = Field(
        default=None, description="Cells of columns that are not chart columns, by header."
    )


class Deliverable(Model):
    """One row of the Annex A chart."""

    id: str = Field(pattern=r"^\d+\.\d+\.\d+$", description="Task id + row number, e.g. 3.11.2.")
    key: str | None = Field(
        default=None, description="Stable identity across report years (see `htreport diff`)."
    )
    text: str = Field(description="Clean deliverable text, without the NEW: marker.")
    new: bool = Field(description="True when the row was marked NEW:.")
    items: list[SubItem] = Field(default_factory=list)
    start: StartYear | None = Field(default=None, description="Start fiscal year, e.g. 2014-15.")
    timeline: str | None = Field(default=None, description="Timeline cell text, cleaned.")
    status: Status | None = Field(
        default=None, description="Normalised status; null when the chart has no status column."
    )
    status_detail: str | None = Field(default=None, description="e.g. September 2014.")
    leads: list[Lead]
    lead_note: str | None = Field(
        default=None, description="Qualifiers in the lead cell, e.g. in collaboration with the HTT."
    )
    raw: RawCells
    provenance: Provenance


class Task(Model):
    id: str = Field(pattern=r"^\d+\.\d+$", description="e.g. 1.11")
    text: str
    deliverables: list[Deliverable]
    provenance: Provenance


class Objective(Model):
    id: str = Field(pattern=r"^\d+\.\d+$", description="e.g. 1.1")
    text: str
    tasks: list[Task]
    provenance: Provenance


class PillarBlock(Model):
    pillar: Pillar
    heading: str = Field(description="The pillar heading as printed.")
    objectives: list[Objective]
    provenance: Provenance


class Annex(Model):
    """Annex A, the Action Items Chart."""

    title: str | None = None
    pillars: list[PillarBlock]
    provenance: Provenance


class Footnote(Model):
    number: FootnoteNumber
    text: str
    provenance: Provenance


class Achievement(Model):
    """One item of a Key Achievements list."""

    section: Section
    heading: str = Field(
        description="The list heading as printed, e.g. 2014-2015 Key Achievements:"
    )
    departments: list[str] = Field(description="Canonical codes of departments named.")
    text: str
    footnotes: list[FootnoteNumber] = Field(
        default_factory=list, description="Numbers of the footnotes the item refers to."
    )
    provenance: Provenance


class Statistic(Model):
    """One quantitative claim in the prose."""

    value: StatisticValue
    unit: str = Field(description="count, CAD, percent, ...")
    counted: str = Field(description="What is counted, e.g. victims.")
    qualifiers: list[str] = Field(default_factory=list)
    time_ref: str | None = Field(default=None, description="e.g. since 2005, in 2014.")
    section: Section
    departments: list[str] = Field(
        default_factory=list, description="Canonical codes of departments the paragraph names."
    )
    raw: str = Field(description="The number as printed, e.g. 31, 454 or eight.")
    sentence: str
    provenance: Provenance


class ExtractionWarning(Model):
    """Something the extractor could not parse or resolve; never silently dropped."""

    code: str = Field(description="Slug, e.g. unresolved-lead, no-annex, repaired-number.")
    message: str
    line: int | None = None
    page: int | None = None


class Report(Model):
    """A structured annual report."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    source: Source
    metadata: Metadata
    annex: Annex | None = None
    achievements: list[Achievement] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    joins: list[Join] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)

    def deliverables(self) -> list[tuple[PillarBlock, Objective, Task, Deliverable]]:
        """Every deliverable with its pillar, objective and task, in report order."""
        if self.annex is None:
            return []
        return [
            (pillar, objective, task, deliverable)
            for pillar in self.annex.pillars
            for objective in pillar.objectives
            for task in objective.tasks
            for deliverable in task.deliverables
        ]
