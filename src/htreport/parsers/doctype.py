"""The type of a document, decided from its opening and its title, with the line that decided.

The rules, first that applies wins (docs/documents.md):

1. news_release: a line of the opening is a news-release label ("News release", "Press
   release", "Communiqué") or a dateline ("OTTAWA, Ontario, February 23, 2017 - ...",
   "February 23, 2017 – Ottawa, Ontario"); a release that announces a report is not the report;
2. evaluation: the title names an evaluation ("Horizontal Evaluation of the ...");
3. news_release: the title is a headline, its verb in the present tense ("Government of Canada
   releases ...", "Minister launches ...");
4. annual_report: the title names a report on progress ("Annual Report", "Progress Report",
   "Report on Progress", "2021-2023 Report", "Progress Update");
5. plan or strategy: the title names an action plan ("Action Plan", "Plan d'action") or a
   strategy ("Strategy", "Stratégie"), whichever it names first;
6. other: nothing above applies (no evidence is kept).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from htreport.document import Line
from htreport.model.vocabulary import DocumentType
from htreport.parsers.dates import DATE
from htreport.parsers.opening import text_of

_LABEL = re.compile(
    r"^(?:news\s+release|press\s+release|media\s+release|communiqué(?:\s+de\s+presse)?)$", re.I
)
_DATELINE = re.compile(
    rf"^(?:[A-Z][\w.'’ -]{{0,40}},\s*+){{0,2}}{DATE}(?:\s*+[-–—|/(]|\s\s)"
    rf"|^{DATE}\s*[-–—|]\s*[A-Z]"
)
_EVALUATION = re.compile(r"\b(?:evaluation|évaluation)\b", re.I)
_HEADLINE = re.compile(
    r"\b(?:releases|launches|announces|tables|publishes|unveils|marks|welcomes|highlights|"
    r"celebrates|invests|renews|calls on|takes action)\b"
)
#: The words that name a report on a plan's progress: the report's "own part" of a title.
REPORT_NAME = re.compile(
    r"\b(?:annual\s+(?:progress\s+)?report|progress\s+(?:report|update)|report\s+on\s+progress"
    r"|rapport\s+annuel|(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}\s+report"
    r"|report\s+(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2})\b",
    re.I,
)
_PLAN_OR_STRATEGY = re.compile(
    r"\b(?P<plan>action\s+plan|plan\s+d.action)\b|\b(?P<strategy>strat[eé]g(?:y|ie))\b", re.I
)


class Decision(NamedTuple):
    """A document type, the rule that decided it and the words and lines it decided on."""

    type: DocumentType
    rule: str | None = None
    text: str | None = None
    lines: tuple[Line, ...] = ()


def names_plan(text: str) -> bool:
    """True when `text` names an action plan or a strategy."""
    return bool(_PLAN_OR_STRATEGY.search(text))


def decide(opening: list[Line], title: str | None, title_lines: tuple[Line, ...]) -> Decision:
    """The type of a document from the lines of its opening and its title (see module rules)."""
    for line in opening:
        text = text_of(line)
        if _LABEL.match(text):
            return Decision(DocumentType.NEWS_RELEASE, "news-release-label", text, (line,))
        dateline = _DATELINE.match(text)
        if dateline:
            return Decision(DocumentType.NEWS_RELEASE, "dateline", dateline.group(0), (line,))
    if not title:
        return Decision(DocumentType.OTHER)
    if _EVALUATION.search(title):
        return Decision(DocumentType.EVALUATION, "title-names-evaluation", title, title_lines)
    if _HEADLINE.search(title):
        return Decision(DocumentType.NEWS_RELEASE, "title-is-a-headline", title, title_lines)
    if REPORT_NAME.search(title):
        return Decision(DocumentType.ANNUAL_REPORT, "title-names-report", title, title_lines)
    kind = _PLAN_OR_STRATEGY.search(title)
    if kind:
        if kind.group("plan"):
            return Decision(DocumentType.PLAN, "title-names-plan", title, title_lines)
        return Decision(DocumentType.STRATEGY, "title-names-strategy", title, title_lines)
    return Decision(DocumentType.OTHER)
