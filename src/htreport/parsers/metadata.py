"""Report metadata: title, plan, edition, fiscal year, period covered, launch date, publisher.

Every field is found by what the text says, wherever it is said:

- title: "<plan>" + "<year> Annual Report on Progress" (the cover), else the PDF title, else the
  first line that is neither banner boilerplate nor a department signature;
- plan: the line above the cover title, else the first "National Action Plan / National
  Strategy to Combat Human Trafficking" named in the text;
- edition: "This is the third Annual Report ..." -> third, 3;
- fiscal year: from the cover title, else from a period covered that runs April 1 - March 31;
- period: "covers the period of April 1, 2014 - March 31, 2015";
- launch date: a date in the sentence that says the plan (or strategy) was launched/announced;
- publisher: a department signature line near the top ("Public Safety" / "Canada"), resolved
  through the registry to its English name, else a "Copyright © <year> <name>" line.

Fields the document does not give stay empty, with one `missing-metadata` warning naming them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from htreport.document import Document, Line, span
from htreport.model import fiscal
from htreport.model.departments import registry
from htreport.model.report import ExtractionWarning, Metadata
from htreport.model.textclean import clean, strip_footnote_marks
from htreport.parsers.prose import sentences
from htreport.parsers.sections import SectionMap

_ANNUAL_REPORT = re.compile(
    r"((?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2})\s+Annual Report on Progress", re.I
)
_PLAN = re.compile(r"^National Action Plan to Combat Human Trafficking$", re.I)
_PLAN_MENTION = re.compile(
    r"\bNational (?:Action Plan|Strategy) to Combat (?:Human Trafficking|Trafficking in Persons)\b"
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
    rf"\b(?P<edition>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+annual\s+report\b", re.I
)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "|".join(_MONTH_NAMES)
_DATE = (
    rf"(?:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTH}),?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_DATE_PARTS = re.compile(
    rf"(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))",
    re.I,
)
_PERIOD = re.compile(
    rf"\bperiod\s+(?:of\s+|from\s+)?(?P<start>{_DATE})\s*(?:-|–|—|to|until|through)\s*(?P<end>{_DATE})",
    re.I,
)
_LAUNCH_VERB = re.compile(r"\b(?:launched|announced|unveiled|introduced)\b", re.I)
_PLAN_WORD = re.compile(r"\b(?:plan|strategy)\b", re.I)
_COPYRIGHT = re.compile(
    r"^copyright\s*(?:©|\(c\))?\s*(?:\d{4}\s*[-–,]?\s*)*(?P<name>.+?)\.?$", re.I
)
#: Banner lines of archived Government of Canada pages: never a title.
_BOILERPLATE = re.compile(
    r"^(?:archived\b.*|archivée?\b.*|symbol of the government of canada|.*\bfrom wikipedia\b.*|"
    r"jump to:.*|on this page:?|skip to .*)$",
    re.I,
)
_TOP_LINES = 60
_MAX_TITLE_WORDS = 15


@dataclass(slots=True)
class MetadataResult:
    metadata: Metadata
    warnings: list[ExtractionWarning]


def parse(document: Document, sections: SectionMap | None = None) -> MetadataResult:
    """The metadata of `document`; fields it does not give stay None (one warning lists them)."""
    lines = [line for line in document.lines if line.text.strip() and not line.is_row]
    metadata = Metadata()
    used: list[Line] = []
    _cover(lines, metadata, used)
    if metadata.title is None:
        _fallback_title(document, lines, metadata, used)
    if metadata.plan is None:
        _plan_mention(lines, metadata, used)
    _edition_period_launch(lines, metadata, used)
    _publisher(lines, metadata, used)
    if used:
        used.sort(key=lambda line: line.lineno)
        metadata.provenance = span(used[0], used[-1])
    return MetadataResult(metadata, _missing(metadata))


def parse_date(text: str) -> date | None:
    """ "April 1, 2014", "1 April 2014" or "2014-04-01" as a date, else None."""
    match = _DATE_PARTS.search(text)
    if not match:
        return None
    try:
        if match.group("y3"):
            return date(int(match.group("y3")), int(match.group("m3")), int(match.group("d3")))
        month = (match.group("m1") or match.group("m2")).casefold()
        day = match.group("d1") or match.group("d2")
        year = match.group("y1") or match.group("y2")
        return date(int(year), _MONTH_NAMES.index(month) + 1, int(day))
    except ValueError:
        return None


def _text(line: Line) -> str:
    return strip_footnote_marks(clean(line.text))


def _cover(lines: list[Line], metadata: Metadata, used: list[Line]) -> None:
    for index, line in enumerate(lines[:200]):
        text = _text(line)
        match = _ANNUAL_REPORT.search(text)
        if not match:
            continue
        start = fiscal.parse(match.group(1))
        if start is None:
            continue
        metadata.fiscal_year = fiscal.full(start)
        above = _text(lines[index - 1]) if index else ""
        if _PLAN.match(above):
            metadata.plan = above
            metadata.title = f"{above}: {text}"
            used.append(lines[index - 1])
        else:
            metadata.title = text
        used.append(line)
        return


def _fallback_title(
    document: Document, lines: list[Line], metadata: Metadata, used: list[Line]
) -> None:
    if document.title_hint and document.title_hint.strip():
        metadata.title = clean(document.title_hint)
        return
    names = registry()
    for line in lines[:_TOP_LINES]:
        text = _text(line)
        if _BOILERPLATE.match(text) or names.lookup(text) or text.startswith("- "):
            continue
        if len(text.split()) <= _MAX_TITLE_WORDS:
            metadata.title = text.rstrip(":")
            used.append(line)
        return


def _plan_mention(lines: list[Line], metadata: Metadata, used: list[Line]) -> None:
    for line in lines:
        match = _PLAN_MENTION.search(_text(line))
        if match:
            metadata.plan = match.group(0)
            used.append(line)
            return


def _edition_period_launch(lines: list[Line], metadata: Metadata, used: list[Line]) -> None:
    for line in lines:
        text = _text(line)
        if metadata.edition is None and (match := _EDITION.search(text)):
            edition = match.group("edition").casefold()
            metadata.edition = edition
            metadata.edition_number = _ORDINALS.get(edition) or int(re.sub(r"\D", "", edition))
            used.append(line)
        if metadata.period_start is None and (match := _PERIOD.search(text)):
            start, end = parse_date(match.group("start")), parse_date(match.group("end"))
            if start and end and start < end:
                metadata.period_start, metadata.period_end = start, end
                used.append(line)
                if metadata.fiscal_year is None and (
                    start.month,
                    start.day,
                    end.month,
                    end.day,
                ) == (4, 1, 3, 31):
                    if end.year == start.year + 1:
                        metadata.fiscal_year = fiscal.full(start.year)
        if metadata.launch_date is None:
            launch = _launch_date(text)
            if launch:
                metadata.launch_date = launch
                used.append(line)


def _launch_date(text: str) -> date | None:
    """The date of a sentence saying that the plan or strategy was launched or announced."""
    for start, end in sentences(text):
        sentence = text[start:end]
        verb = _LAUNCH_VERB.search(sentence)
        if not verb or not (_PLAN_MENTION.search(sentence) or _PLAN_WORD.search(sentence)):
            continue
        dates = list(re.finditer(_DATE, sentence, re.I))
        if dates:
            nearest = min(dates, key=lambda m: abs(m.start() - verb.start()))
            return parse_date(nearest.group(0))
    return None


def _publisher(lines: list[Line], metadata: Metadata, used: list[Line]) -> None:
    names = registry()
    top = lines[:_TOP_LINES]
    for index, line in enumerate(top):
        text = _text(line)
        if text.startswith("- ") or len(text.split()) > 8:
            continue
        candidates = []
        if index + 1 < len(top) and top[index + 1].lineno == line.lineno + 1:
            candidates.append((f"{text} {_text(top[index + 1])}", [line, top[index + 1]]))
        candidates.append((text, [line]))
        for name, source in candidates:
            found = names.lookup(name)
            if found and found.program is None:
                metadata.publisher = names.departments[found.department].en
                used.extend(source)
                return
    for line in lines:
        match = _COPYRIGHT.match(_text(line))
        if match:
            metadata.publisher = match.group("name").strip()
            used.append(line)
            return


def _missing(metadata: Metadata) -> list[ExtractionWarning]:
    wanted = {
        "title": metadata.title,
        "plan": metadata.plan,
        "edition": metadata.edition,
        "fiscal year": metadata.fiscal_year,
        "period covered": metadata.period_start,
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
