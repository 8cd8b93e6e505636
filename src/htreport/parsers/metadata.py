"""Document metadata: type, title, plan, edition, fiscal year(s), period, launch date, publisher.

Every field is found by what the text says, wherever it is said, and keeps its evidence (the
words, their lines and the rule); a field the document does not give is null, never guessed.
The rules, in order of preference for each field (docs/documents.md):

- title: the title-like line of the opening (see `opening`) that names a report ("2014-2015
  Annual Report on Progress", "2021-2023 Report"), with the plan line beside it put in front
  ("National Action Plan to Combat Human Trafficking: 2014-2015 Annual Report on Progress");
  else the top-level marked heading (HTML/Markdown); else the source's own title (PDF or HTML
  metadata); else the first title-like line;
- document type: see `doctype`;
- plan: the plan line beside the title, else the title of a plan or strategy, else the first
  "National Action Plan / National Strategy / Action Plan / Strategy to Combat|End|... Human
  Trafficking" named in the text;
- edition (annual reports only): "<ordinal> (annual) (progress) report" in the opening ("This
  is the third Annual Report", "the second annual progress report");
- period: "covers (the period of) April 1, 2014 - March 31, 2015", "the reporting period from
  ... to ...", "period between ... and ..." (start and end); "covers implementation to March 31,
  2013" (end only);
- fiscal year: one fiscal year written in the title ("Annual Report 2019-2020"), else the
  period when it runs from April 1 to March 31 of the next year; a period of several fiscal
  years sets `fiscal_years` (all of them) and leaves `fiscal_year` null;
- launch date: the date in a sentence that says the plan or strategy was launched, announced,
  unveiled or introduced ("which was launched on June 6, 2012", "the launch of the Strategy on
  September 4, 2019");
- publisher: a "From: <name>" line of the opening, else a department signature near the top
  ("Public Safety" / "Canada", resolved through the registry to its English name), else a
  "Copyright © <year> <name>" or "© <name>" line.

Fields the document does not give stay empty, with one `missing-metadata` warning naming them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from htreport.document import Document, Line, span, warning_at
from htreport.model import fiscal
from htreport.model.departments import registry
from htreport.model.plain import (
    DocumentType,
    Evidence,
    ExtractionWarning,
    Metadata,
    MetadataEvidence,
)
from htreport.model.textclean import clean
from htreport.parsers import doctype
from htreport.parsers.dates import DATE, find_dates, parse_date
from htreport.parsers.opening import FURNITURE, Opening, opening, text_of
from htreport.parsers.prose import sentences
from htreport.parsers.sections import SectionMap

__all__ = ["MetadataResult", "parse", "parse_date"]

_PLAN_MENTION = re.compile(
    r"\bNational\s+(?:Action\s+Plan|Strategy)\s+to\s+Combat\s+"
    r"(?:Human\s+Trafficking|Trafficking\s+in\s+Persons)\b"
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_EDITION = re.compile(
    rf"\b(?P<edition>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:and\s+final\s+)?"
    r"(?:annual\s+)?(?:progress\s+)?report\b",
    re.I,
)
_TO = r"(?:-|–|—|to|until|through|and)"
_PERIOD = re.compile(
    rf"\b(?:cover(?:s|ed|ing)?|period)\b(?:\s+(?:the|reporting|fiscal|years?|period|of|from|"
    rf"between|is|was|runs|ran)){{0,4}}\s+(?P<start>{DATE})\s*{_TO}\s*(?:the\s+)?(?P<end>{DATE})",
    re.I,
)
_PERIOD_END = re.compile(
    rf"\bcover(?:s|ed|ing)?\s+(?:[\w-]+\s+){{0,6}}?(?:to|until|up\s+to|through|ending)\s+"
    rf"(?P<end>{DATE})",
    re.I,
)
_LAUNCH = re.compile(
    r"\b(?:plan|strategy)\b[^.]{0,60}?\b(?:was|were|is|had\s+been|has\s+been)\s+"
    r"(?P<verb>launched|announced|unveiled|introduced)\b"
    r"|\b(?P<verb2>launch(?:ed|ing)?|announced|unveiled|introduced)\s+(?:of\s+)?"
    r"(?:(?:the|its|their|a|an|new|(?-i:[A-Z][\w'’-]*))\s+){0,5}(?:plan|strategy)\b",
    re.I,
)
_FROM = re.compile(r"^(?:from|published\s+by)\s*:\s*(?P<name>.+)$", re.I)
_COPYRIGHT = re.compile(
    r"^(?:copyright\s*+(?:©|\(c\))?|©)\s*+(?:\d{4}\s*+[-–,]?\s*+){0,2}(?P<name>.+?)"
    r"(?:,\s*\d{4})?\.?$",
    re.I,
)


class MetadataResult(NamedTuple):
    metadata: Metadata
    warnings: list[ExtractionWarning]


@dataclass(slots=True)
class _Collector:
    """The metadata being built, with the lines each field was read from."""

    metadata: Metadata = field(default_factory=Metadata)
    evidence: MetadataEvidence = field(default_factory=MetadataEvidence)
    used: list[Line] = field(default_factory=list)
    period_line: Line | None = None

    def keep(self, name: str, rule: str, text: str, lines: list[Line] | tuple[Line, ...]) -> None:
        where = span(lines[0], lines[-1])
        setattr(
            self.evidence,
            name,
            Evidence(
                rule=rule,
                text=" ".join(text.split()),
                line=where.line,
                end_line=where.end_line,
                page=where.page,
                end_page=where.end_page,
            ),
        )
        self.used.extend(lines)


def parse(document: Document, sections: SectionMap | None = None) -> MetadataResult:
    """The metadata of `document`; fields it does not give stay None (one warning lists them)."""
    lines = [line for line in document.lines if line.text.strip() and not line.is_row]
    top = opening(document, sections)
    found = _Collector()
    title_lines, plan_line = _title(document, top, found)
    decision = doctype.decide(top.lines, found.metadata.title, title_lines)
    found.metadata.document_type = decision.type
    if decision.rule and decision.text and decision.lines:  # a <title> hint has no line
        found.keep("document_type", decision.rule, decision.text, decision.lines)
    _plan(plan_line, title_lines, lines, found)
    if decision.type is DocumentType.ANNUAL_REPORT:
        _edition(top.lines, found)
    _period(lines, found)
    _launch(lines, found)
    _publisher(top, lines, found)
    disagreeing = _period_outside_year(found)
    metadata = found.metadata
    if metadata.fiscal_years is None and metadata.fiscal_year:
        metadata.fiscal_years = [metadata.fiscal_year]
    if found.used:
        found.used.sort(key=lambda line: line.lineno)
        metadata.provenance = span(found.used[0], found.used[-1])
        metadata.evidence = found.evidence
    return MetadataResult(metadata, disagreeing + _missing(metadata))


def _period_outside_year(found: _Collector) -> list[ExtractionWarning]:
    """A period that is not within the fiscal year named (the title says 2015-2016, the period
    line 2014-2015: a pasted or repeated page) is dropped with a warning at its line, as
    `validate` would refuse it."""
    metadata = found.metadata
    match = re.fullmatch(r"(\d{4})-(\d{4})", metadata.fiscal_year or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        return []
    start = int(match.group(1))
    try:
        first, last = date(start, 4, 1), date(start + 1, 3, 31)
    except ValueError:  # year 0: validate reports the year itself
        return []
    named = [metadata.period_start, metadata.period_end]
    if all(day is None or first <= day <= last for day in named) or found.period_line is None:
        return []
    shown = " to ".join(day.isoformat() for day in named if day is not None)
    metadata.period_start = metadata.period_end = None
    found.evidence.period = None
    return [
        warning_at(
            found.period_line,
            "period-outside-year",
            f"the period covered ({shown}) is outside fiscal year {metadata.fiscal_year}; left out",
        )
    ]


def _title(
    document: Document, top: Opening, found: _Collector
) -> tuple[tuple[Line, ...], Line | None]:
    """Set the title; returns its lines and the plan line put in front of it, if any."""
    candidates = [top.lines[i] for i in top.titles]
    texts = [text_of(line).rstrip(":").strip() for line in candidates]
    for i, text in enumerate(texts):
        if not doctype.REPORT_NAME.search(text):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(texts) and _is_plan_line(texts[j]) and not _is_report(texts[j]):
                title = f"{texts[j]}: {text}"
                pair = tuple(sorted((candidates[i], candidates[j]), key=lambda ln: ln.lineno))
                found.metadata.title = title
                found.keep("title", "plan-and-report-lines", title, pair)
                _title_year(text, candidates[i], found)
                return pair, candidates[j]
        return _set_title(found, "title-names-report", candidates[i], text)
    headings = [(line.level or 9, n) for n, line in enumerate(candidates) if line.kind == "heading"]
    if headings:
        n = min(headings)[1]
        return _set_title(found, "top-heading", candidates[n], texts[n])
    hint = _clean_hint(document.title_hint)
    if hint:
        found.metadata.title = hint
        _title_year(hint, None, found)
        return (), None
    if candidates:
        return _set_title(found, "first-title-line", candidates[0], texts[0])
    return (), None


def _set_title(
    found: _Collector, rule: str, line: Line, text: str
) -> tuple[tuple[Line, ...], Line | None]:
    found.metadata.title = text
    found.keep("title", rule, text, [line])
    _title_year(text, line, found)
    return (line,), None


def _title_year(text: str, line: Line | None, found: _Collector) -> None:
    years = fiscal.find_fiscal_years(text)
    if len(years) == 1:
        found.metadata.fiscal_year = fiscal.full(years[0])
        if line is not None:
            match = fiscal.FISCAL_YEAR.search(text)
            found.keep("fiscal_year", "title-year", match.group(0) if match else text, [line])


def _clean_hint(hint: str | None) -> str | None:
    """The source's own title, without a site name after a separator; None if it is furniture
    or a file name."""
    if not hint or not hint.strip():
        return None
    text = _without_site_suffix(clean(hint).strip())
    if FURNITURE.match(text) or re.search(
        r"\.(?:docx?|pdf|indd|txt)$|^microsoft word\b", text, re.I
    ):
        return None
    return text or None


def _is_plan_line(text: str) -> bool:
    return doctype.names_plan(text)


def _is_report(text: str) -> bool:
    return bool(doctype.REPORT_NAME.search(text))


def _plan(
    plan_line: Line | None, title_lines: tuple[Line, ...], lines: list[Line], found: _Collector
) -> None:
    metadata = found.metadata
    if plan_line is not None:
        metadata.plan = text_of(plan_line).rstrip(":").strip()
        found.keep("plan", "plan-line-of-title", metadata.plan, [plan_line])
        return
    if metadata.document_type in (DocumentType.PLAN, DocumentType.STRATEGY) and title_lines:
        named = _PLAN_MENTION.search(metadata.title or "")  # "Horizontal Initiative: <plan>"
        metadata.plan = named.group(0) if named and named.start() else metadata.title
        found.keep("plan", "title-of-plan", metadata.plan or "", title_lines)
        return
    for line in lines:
        match = _PLAN_MENTION.search(text_of(line))
        if match:
            metadata.plan = match.group(0)
            found.keep("plan", "plan-named-in-text", match.group(0), [line])
            return


def _edition(lines: list[Line], found: _Collector) -> None:
    for line in lines:
        match = _EDITION.search(text_of(line))
        if match:
            edition = match.group("edition").casefold()
            found.metadata.edition = edition
            found.metadata.edition_number = _ORDINALS.get(edition) or int(
                re.sub(r"\D", "", edition)
            )
            found.keep("edition", "ordinal-report", match.group(0), [line])
            return


def _period(lines: list[Line], found: _Collector) -> None:
    metadata = found.metadata
    for line in lines:
        match = _PERIOD.search(text_of(line))
        if match:
            start, end = parse_date(match.group("start")), parse_date(match.group("end"))
            if start and end and start < end:
                metadata.period_start, metadata.period_end = start, end
                found.period_line = line
                found.keep("period", "period-covered", match.group(0), [line])
                _period_years(start, end, match.group(0), line, found)
                return
    for line in lines:
        match = _PERIOD_END.search(text_of(line))
        if match and (end := parse_date(match.group("end"))):
            metadata.period_end = end
            found.period_line = line
            found.keep("period", "period-end", match.group(0), [line])
            return


def _period_years(start: date, end: date, text: str, line: Line, found: _Collector) -> None:
    """Fiscal years of a period that runs from an April 1 to a March 31."""
    if (start.month, start.day, end.month, end.day) != (4, 1, 3, 31) or end.year <= start.year:
        return
    years = [fiscal.full(year) for year in range(start.year, end.year)]
    metadata = found.metadata
    metadata.fiscal_years = years
    if metadata.fiscal_year is None and len(years) == 1:
        metadata.fiscal_year = years[0]
        found.keep("fiscal_year", "period-is-one-fiscal-year", text, [line])


def _launch(lines: list[Line], found: _Collector) -> None:
    for line in lines:
        text = text_of(line)
        for start, end in sentences(text):
            sentence = text[start:end]
            verb = _LAUNCH.search(sentence)
            dates = find_dates(sentence) if verb else []
            if not verb or not dates:
                continue
            at = verb.start("verb") if verb.group("verb") else verb.start("verb2")
            nearest = min(dates, key=lambda m: abs(m.start() - at))
            launched = parse_date(nearest.group(0))
            if launched is None:
                continue
            found.metadata.launch_date = launched
            evidence = re.sub(r"^[-–•●▪◦*]\s+", "", sentence.strip())
            found.keep("launch_date", "plan-launched-on", evidence, [line])
            return


def _publisher(top: Opening, lines: list[Line], found: _Collector) -> None:
    names = registry()
    for line in top.lines:
        match = _FROM.match(text_of(line))
        if match:
            name = match.group("name").strip().rstrip(".")
            known = names.lookup(name)
            found.metadata.publisher = names.departments[known.department].en if known else name
            found.keep("publisher", "from-line", text_of(line), [line])
            return
    for index, line in enumerate(top.lines):
        text = text_of(line)
        if text.startswith("- ") or len(text.split()) > 8:
            continue
        candidates = []
        if index + 1 < len(top.lines) and top.lines[index + 1].lineno == line.lineno + 1:
            pair = [line, top.lines[index + 1]]
            candidates.append((f"{text} {text_of(top.lines[index + 1])}", pair))
        candidates.append((text, [line]))
        for name, source in candidates:
            known = names.lookup(name)
            if known and known.program is None:
                found.metadata.publisher = names.departments[known.department].en
                found.keep("publisher", "department-signature", name, source)
                return
    for line in lines:
        match = _COPYRIGHT.match(text_of(line))
        if match:
            found.metadata.publisher = match.group("name").strip()
            found.keep("publisher", "copyright-line", text_of(line), [line])
            return


def _missing(metadata: Metadata) -> list[ExtractionWarning]:
    wanted: dict[str, object] = {"title": metadata.title, "plan": metadata.plan}
    if metadata.document_type is DocumentType.ANNUAL_REPORT:
        wanted["edition"] = metadata.edition
    wanted |= {
        "fiscal year": metadata.fiscal_year or metadata.fiscal_years,
        "period covered": metadata.period_start or metadata.period_end,
        "launch date": metadata.launch_date,
        "publisher": metadata.publisher,
    }
    missing = [name for name, value in wanted.items() if value is None]
    if not missing:
        return []
    return [
        ExtractionWarning(
            code="missing-metadata",
            message=f"the document does not give its {', '.join(missing)}",
        )
    ]


_TITLE_SEPARATOR = re.compile(r"(?<!\s)\s++[-|–—]\s++")


def _without_site_suffix(text: str) -> str:
    """ "Report title - Public Safety Canada" -> "Report title": the text before the last
    separator, when nothing after it holds a dash or bar (found in one linear pass)."""
    separators = list(_TITLE_SEPARATOR.finditer(text))
    if not separators:
        return text
    last = separators[-1]
    if any(mark in text[last.end() :] for mark in "-|–—"):
        return text
    return text[: last.start()].strip()
