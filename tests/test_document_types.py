"""Document types, titles and metadata forms (parsers/doctype.py, opening.py, metadata.py).

Each rule of docs/documents.md on small openings written in several forms: plain text (no
line roles, as text and PDF readers give) and lines marked as headings and items (as the HTML
and Markdown readers give)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from htreport.document import Line
from htreport.parsers.metadata import parse as parse_metadata
from htreport.parsers.sections import find_sections
from htreport.pipeline import extract_document
from htreport.readers.text import read_text

from .conftest import ROOT


def _document(text: str):
    return read_text(text.encode("utf-8"), name="case.txt")


def _metadata(text: str):
    document = _document(text)
    return parse_metadata(document, find_sections(document)).metadata


@pytest.mark.parametrize(
    ("opening", "kind", "rule"),
    [
        (
            "Minister releases report\nNews release\nToday the report was released.",
            "news_release",
            "news-release-label",
        ),
        (
            "Annual report tabled\nOTTAWA, Ontario, March 3, 2016 — Today the Minister tabled it.",
            "news_release",
            "dateline",
        ),
        (
            "February 23, 2017 – Ottawa, Ontario – Public Safety Canada\nThe report is out today.",
            "news_release",
            "dateline",
        ),
        (
            "Minister launches National Strategy\nThe Minister spoke.",
            "news_release",
            "title-is-a-headline",
        ),
        (
            "Evaluation of the National Action Plan\nFinal Report",
            "evaluation",
            "title-names-evaluation",
        ),
        ("Annual Report on Progress 2013-2014\nForeword", "annual_report", "title-names-report"),
        (
            "Alberta's Action Plan: Year One Progress Update\nText.",
            "annual_report",
            "title-names-report",
        ),
        (
            "National Strategy to Combat Human Trafficking\n2021-2023 Report",
            "annual_report",
            "title-names-report",
        ),
        ("Manitoba's Action Plan on Sexual Exploitation\nText.", "plan", "title-names-plan"),
        ("Ontario's Anti-Human Trafficking Strategy\nText.", "strategy", "title-names-strategy"),
        ("Coordination and Collaboration\nThe Working Group meets.", "other", None),
    ],
)
def test_document_type_rules(opening: str, kind: str, rule: str | None) -> None:
    metadata = _metadata(opening)
    assert metadata.document_type == kind
    evidence = metadata.evidence.document_type if metadata.evidence else None
    assert (evidence.rule if evidence else None) == rule


def test_a_news_release_announcing_a_report_is_not_the_report() -> None:
    metadata = _metadata(
        "Government of Canada releases third Annual Report on Progress\n"
        "From: Public Safety Canada\n"
        "News release\n"
        "The third Annual Report on Progress covers the period of April 1, 2014 to March 31, 2015."
    )
    assert metadata.document_type == "news_release"
    assert metadata.edition is None  # the report's edition, not the release's
    assert metadata.fiscal_year == "2014-2015"  # the year the release reports on
    assert metadata.publisher == "Public Safety Canada"


@pytest.mark.parametrize(
    "furniture",
    [
        "Treasury Board of Canada Secretariat",
        "Government of Canada",
        "Department of Justice Canada",
        "Canada Border Services Agency",
        "February 23, 2017",
        "Ottawa, February 23, 2017",
        "Date modified: 2017-02-23",
        "PDF Version (927 KB)",
        "Skip to main content",
        "Canada.ca > Public Safety Canada > Publications",
        "News release",
        "From: Public Safety Canada",
        "Share this page",
        "22 Views",
        "Archived Content",
        "Contenu archivé",
        "The Working Group met in Ottawa and agreed on its terms of reference.",
        "Menu",
    ],
)
def test_furniture_is_never_the_title(furniture: str) -> None:
    metadata = _metadata(f"{furniture}\nHuman Trafficking in Canada: A Snapshot\nText follows.")
    assert metadata.title == "Human Trafficking in Canada: A Snapshot"


def test_a_first_line_title_and_a_paragraph_title() -> None:
    assert (
        _metadata("Annual Report 2019-2020\nIntroduction\nText.").title == "Annual Report 2019-2020"
    )
    paragraph = "This page describes what the Government of Canada does about human trafficking."
    assert _metadata(f"{paragraph}\nMore text.").title is None


def test_the_plan_line_and_the_report_part_make_the_title_in_either_order() -> None:
    below = _metadata("National Strategy to Combat Human Trafficking\n2021-2023 Report\n")
    above = _metadata("Annual Report 2019-2020\nNational Strategy to Combat Human Trafficking\n")
    assert below.title == "National Strategy to Combat Human Trafficking: 2021-2023 Report"
    assert above.title == "National Strategy to Combat Human Trafficking: Annual Report 2019-2020"
    assert below.plan == above.plan == "National Strategy to Combat Human Trafficking"
    assert (below.fiscal_year, above.fiscal_year) == (None, "2019-2020")


def test_a_marked_heading_is_the_title_of_a_marked_up_page() -> None:
    document = _document(
        "Public Safety Canada\nOn this page\nActions to Combat Human Trafficking\nText."
    )
    lines = document.lines
    lines[2] = lines[2]._replace(kind="heading", level=1)
    lines[1] = lines[1]._replace(kind="heading", level=2)
    metadata = parse_metadata(document, find_sections(document)).metadata
    assert metadata.title == "Actions to Combat Human Trafficking"
    assert metadata.evidence.title.rule == "top-heading"


@pytest.mark.parametrize(
    ("sentence", "start", "end", "fiscal_year", "fiscal_years"),
    [
        (
            "It covers the period of April 1, 2014 - March 31, 2015.",
            date(2014, 4, 1),
            date(2015, 3, 31),
            "2014-2015",
            ["2014-2015"],
        ),
        (
            "This report covers April 1, 2021 to March 31, 2023.",
            date(2021, 4, 1),
            date(2023, 3, 31),
            None,
            ["2021-2022", "2022-2023"],
        ),
        (
            "The reporting period is from 1 April 2019 to 31 March 2020.",
            date(2019, 4, 1),
            date(2020, 3, 31),
            "2019-2020",
            ["2019-2020"],
        ),
        ("It covers implementation to March 31, 2013.", None, date(2013, 3, 31), None, None),
        (
            "It covers January 1, 2020 to December 31, 2020.",
            date(2020, 1, 1),
            date(2020, 12, 31),
            None,
            None,
        ),
    ],
)
def test_periods(sentence, start, end, fiscal_year, fiscal_years) -> None:
    metadata = _metadata(f"Some Page Title Here\n{sentence}")
    assert (metadata.period_start, metadata.period_end) == (start, end)
    assert (metadata.fiscal_year, metadata.fiscal_years) == (fiscal_year, fiscal_years)
    assert metadata.evidence.period.line == 2


@pytest.mark.parametrize(
    ("sentence", "launched"),
    [
        ("The Plan, which was launched on June 6, 2012, has four pillars.", date(2012, 6, 6)),
        ("Since the launch of the Strategy on September 4, 2019, much was done.", date(2019, 9, 4)),
        ("On September 4, 2019, the Government announced the National Strategy.", date(2019, 9, 4)),
        (
            "Ontario launched its Anti-Human Trafficking Strategy on March 9, 2020.",
            date(2020, 3, 9),
        ),
        ("Launched in 2008, the strategy is funded yearly.", None),
        ("The RCMP met on May 5, 2014 to discuss the plan.", None),
    ],
)
def test_launch_dates(sentence: str, launched: date | None) -> None:
    assert _metadata(f"Some Page Title Here\n{sentence}").launch_date == launched


@pytest.mark.parametrize(
    ("sentence", "edition", "number"),
    [
        ("This is the third Annual Report on Progress.", "third", 3),
        ("This second annual progress report describes the year.", "second", 2),
        ("This is the fourth and final Annual Report on Progress.", "fourth", 4),
        ("The 5th annual report follows.", "5th", 5),
    ],
)
def test_editions_of_annual_reports(sentence: str, edition: str, number: int) -> None:
    metadata = _metadata(f"Annual Report on Progress 2015-2016\n{sentence}")
    assert (metadata.edition, metadata.edition_number) == (edition, number)


def test_a_field_not_found_is_null_with_one_warning() -> None:
    report = extract_document(
        _document("Annual Report on Progress\nThe report describes the year.")
    )
    metadata = report.metadata
    assert metadata.document_type == "annual_report"
    assert (metadata.fiscal_year, metadata.edition, metadata.launch_date) == (None, None, None)
    (warning,) = [w for w in report.warnings if w.code == "missing-metadata"]
    assert warning.message == (
        "the document does not give its plan, edition, fiscal year, period covered, "
        "launch date, publisher"
    )


def test_item_lines_of_a_marked_up_page_are_never_titles() -> None:
    document = _document("Report on Progress 2019-2020 of the Strategy\nText.")
    document.lines[0] = Line(text=document.lines[0].text, lineno=1, kind="item")
    assert parse_metadata(document, find_sections(document)).metadata.title is None


DOC = (ROOT / "docs" / "documents.md").read_text("utf-8")
DOC_EXAMPLES = re.findall(r"```text\n(.*?)```\n→ `(\w+)` \(rule `([\w-]+)`\)", DOC, re.DOTALL)


def test_the_documented_examples_are_there() -> None:
    assert len(DOC_EXAMPLES) == 5


@pytest.mark.parametrize(("opening", "kind", "rule"), DOC_EXAMPLES)
def test_documented_examples(opening: str, kind: str, rule: str) -> None:
    metadata = _metadata(opening)
    assert metadata.document_type == kind
    evidence = metadata.evidence.document_type if metadata.evidence else None
    assert (evidence.rule if evidence else "none") == rule
