"""The closed vocabularies of a report: statuses, pillars, document types and sections.

Plain enums, apart from the models, so that what reads records (a warm query, a summary)
can name them without building the models or importing pydantic."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The normalised status vocabulary of an action item."""

    ONGOING = "ongoing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    NOT_STARTED = "not_started"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class Pillar(StrEnum):
    """The pillars of the plans: the four Ps of the National Action Plan 2012-2016, and the
    fifth, empowerment, that the National Strategy 2019-2024 puts first ("empowerment,
    prevention, protection, prosecution and partnerships"). Empowerment comes last here so that
    the 4-P plan keeps its numbering (prevention 1 ... partnerships 4)."""

    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIPS = "partnerships"
    EMPOWERMENT = "empowerment"
    #: Chart rows under an objective whose pillar neither a heading nor its number names.
    UNKNOWN = "unknown"


class DocumentType(StrEnum):
    """What kind of document a source is (see docs/documents.md for how each is decided)."""

    ANNUAL_REPORT = "annual_report"
    PLAN = "plan"
    STRATEGY = "strategy"
    NEWS_RELEASE = "news_release"
    EVALUATION = "evaluation"
    OTHER = "other"


class Section(StrEnum):
    """Where in a report a piece of prose stands."""

    FRONT = "front"
    FOREWORD = "foreword"
    INTRODUCTION = "introduction"
    PROGRESS = "progress"
    EMPOWERMENT = "empowerment"
    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIPS = "partnerships"
    MOVING_FORWARD = "moving_forward"
    CONCLUSION = "conclusion"
    ANNEX_A = "annex_a"
    ANNEX_B = "annex_b"
    BODY = "body"
