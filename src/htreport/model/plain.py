"""The report's records as plain dataclasses: what readers and parsers build.

Each class has the name, fields, field order and defaults of its pydantic model in
`htreport.model.report` (a test holds them together), but no validation, so extracting
a report needs neither pydantic nor the models. `htreport.pipeline` checks what the parsers
built against the schema (`htreport.model.conformance`) and turns it into the models for
library users (`Report.model_validate(report, from_attributes=True)`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any, Literal

from htreport.model.vocabulary import DocumentType, Pillar, Section, Status
from htreport.settings import SCHEMA_VERSION


class _Record:
    """Equality and repr by fields, shared: generating them for each class, as a dataclass
    does, takes about 3 ms at import."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable, like the models: unhashable

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _names(type(self)))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self)))
        return f"{type(self).__name__}({values})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Provenance(_Record):
    line: int
    end_line: int
    page: int | None = None
    end_page: int | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Source(_Record):
    file: str
    sha256: str
    format: Literal["text", "markdown", "html", "pdf"]
    encoding: str | None = None
    extractor: str


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Evidence(_Record):
    rule: str
    text: str
    line: int
    end_line: int
    page: int | None = None
    end_page: int | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class MetadataEvidence(_Record):
    document_type: Evidence | None = None
    title: Evidence | None = None
    plan: Evidence | None = None
    edition: Evidence | None = None
    fiscal_year: Evidence | None = None
    period: Evidence | None = None
    launch_date: Evidence | None = None
    publisher: Evidence | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Metadata(_Record):
    document_type: DocumentType | None = None
    title: str | None = None
    plan: str | None = None
    edition: str | None = None
    edition_number: int | None = None
    fiscal_year: str | None = None
    fiscal_years: list[str] | None = None
    period_start: date | None = None
    period_end: date | None = None
    launch_date: date | None = None
    publisher: str | None = None
    provenance: Provenance | None = None
    evidence: MetadataEvidence | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Lead(_Record):
    department: str
    program: str | None = None
    raw: str

    def label(self) -> str:
        return f"{self.department} ({self.program})" if self.program else self.department


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class SubItem(_Record):
    text: str
    start: str | None = None
    status: Status | None = None
    status_detail: str | None = None


JoinRule = Literal[
    "continuation-row", "task-continued", "merged-lead", "merged-timeline", "spanned-cell"
]


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Join(_Record):
    rule: JoinRule
    lines: list[int]
    fields: list[str]


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class RawCells(_Record):
    task: str
    deliverable: str
    timeline: str
    status: str
    lead: str
    extra: dict[str, str] | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Deliverable(_Record):
    id: str
    key: str | None = None
    text: str
    new: bool
    items: list[SubItem] = field(default_factory=list)
    start: str | None = None
    timeline: str | None = None
    status: Status | None = None
    status_detail: str | None = None
    leads: list[Lead]
    lead_note: str | None = None
    raw: RawCells
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Task(_Record):
    id: str
    text: str
    deliverables: list[Deliverable]
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Objective(_Record):
    id: str
    text: str
    tasks: list[Task]
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class PillarBlock(_Record):
    pillar: Pillar
    heading: str
    objectives: list[Objective]
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Annex(_Record):
    title: str | None = None
    pillars: list[PillarBlock]
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Footnote(_Record):
    number: int
    text: str
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Achievement(_Record):
    section: Section
    heading: str
    departments: list[str]
    text: str
    footnotes: list[int] = field(default_factory=list)
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Statistic(_Record):
    value: int | float
    unit: str
    counted: str
    qualifiers: list[str] = field(default_factory=list)
    time_ref: str | None = None
    section: Section
    departments: list[str] = field(default_factory=list)
    raw: str
    sentence: str
    provenance: Provenance


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class ExtractionWarning(_Record):
    code: str
    message: str
    line: int | None = None
    page: int | None = None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Report(_Record):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    source: Source
    metadata: Metadata
    annex: Annex | None = None
    achievements: list[Achievement] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)


class NotPlainData(ValueError):
    """A record holds a value that plain JSON data cannot stand for as the models would."""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def to_json_data(value: Any) -> Any:
    """A record as the JSON data the models would dump (`model_dump(mode="json",
    exclude_none=True)`): fields in order, None fields left out, enums as their values, dates
    in ISO form. Raises NotPlainData for any other kind of value (a subclass of str, a
    datetime, a tuple, a NaN), where only the models can say what it becomes."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise NotPlainData(f"not a finite number: {value!r}")
        return value
    if kind is list:
        return [to_json_data(item) for item in value]
    if kind in _RECORD_KINDS:
        data = {}
        for name in _names(kind):
            item = getattr(value, name)
            if item is not None:
                data[name] = to_json_data(item)
        return data
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise NotPlainData("a mapping key that is not text")
        return {key: to_json_data(item) for key, item in value.items()}
    if isinstance(value, Enum) and type(value.value) is str:
        return value.value
    if kind is date:
        return value.isoformat()
    raise NotPlainData(f"a value of type {kind.__name__}")


#: Every record class, in the order the models define them.
RECORD_KINDS: tuple[type, ...] = (
    Provenance,
    Source,
    Evidence,
    MetadataEvidence,
    Metadata,
    Lead,
    SubItem,
    Join,
    RawCells,
    Deliverable,
    Task,
    Objective,
    PillarBlock,
    Annex,
    Footnote,
    Achievement,
    Statistic,
    ExtractionWarning,
    Report,
)
_RECORD_KINDS = frozenset(RECORD_KINDS)

__all__ = [
    "Achievement",
    "Annex",
    "Deliverable",
    "DocumentType",
    "Evidence",
    "ExtractionWarning",
    "Footnote",
    "Join",
    "JoinRule",
    "Lead",
    "Metadata",
    "MetadataEvidence",
    "NotPlainData",
    "Objective",
    "Pillar",
    "PillarBlock",
    "Provenance",
    "RawCells",
    "Report",
    "Section",
    "Source",
    "Statistic",
    "Status",
    "SubItem",
    "Task",
    "to_json_data",
]
