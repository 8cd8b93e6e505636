"""Report metadata (parsers/metadata.py) on the 2014-2015 report and the other seeds."""

from __future__ import annotations

from datetime import date

import pytest

import htreport
from htreport.parsers.metadata import parse_date
from htreport.pipeline import extract

from .conftest import PDF_REPORT, RAW_DIR


def test_metadata_of_the_2014_report(report_2014) -> None:
    metadata = report_2014.metadata
    assert (
        metadata.title
        == "National Action Plan to Combat Human Trafficking: 2014-2015 Annual Report on Progress"
    )
    assert metadata.plan == "National Action Plan to Combat Human Trafficking"
    assert (metadata.edition, metadata.edition_number) == ("third", 3)
    assert metadata.fiscal_year == "2014-2015"
    assert (metadata.period_start, metadata.period_end) == (date(2014, 4, 1), date(2015, 3, 31))
    assert metadata.launch_date == date(2012, 6, 6)
    assert metadata.publisher == "Public Safety Canada"
    assert (metadata.provenance.line, metadata.provenance.end_line) == (27, 41)
    assert not [w for w in report_2014.warnings if w.code == "missing-metadata"]


def test_same_metadata_from_the_pdf(report_2014) -> None:
    pytest.importorskip("htreport.readers.pdf")
    pdf = extract(PDF_REPORT).metadata
    assert pdf.model_dump(exclude={"provenance", "evidence"}) == report_2014.metadata.model_dump(
        exclude={"provenance", "evidence"}
    )
    assert pdf.provenance.page == 1

    def rules(metadata):
        evidence = metadata.evidence.model_dump(exclude_none=True)
        return {name: (found["rule"], found["text"]) for name, found in evidence.items()}

    assert rules(pdf) == rules(report_2014.metadata)
    assert pdf.evidence.title.page == 1


@pytest.mark.parametrize(
    ("name", "expected", "missing"),
    [
        (
            "ps-national-strategy-2019.txt",
            {
                "title": "Actions to Combat Human Trafficking",
                "plan": "National Strategy to Combat Human Trafficking",
                "launch_date": date(2019, 9, 4),
            },
            "fiscal year, period covered, publisher",
        ),
        (
            "justice-interdepartmental-working-group.txt",
            {"publisher": "Department of Justice Canada"},
            "plan, fiscal year, period covered, launch date",
        ),
        (
            "government-community-responses.txt",
            {
                "title": "Government and Community Responses to Human Trafficking in Canada",
                "publisher": "Province of British Columbia",
            },
            "plan, fiscal year, period covered, launch date",
        ),
        (
            "wikipedia-iwg-tip.txt",
            {"title": "Interdepartmental Working Group on Trafficking in Persons"},
            "plan, fiscal year, period covered, launch date, publisher",
        ),
    ],
)
def test_other_seeds_degrade_gracefully(name: str, expected: dict, missing: str) -> None:
    report = extract(RAW_DIR / name)
    data = report.metadata.model_dump()
    assert {key: data[key] for key in expected} == expected
    assert report.metadata.document_type == "other"
    codes = [w.code for w in report.warnings]
    assert "no-annex" in codes
    (warning,) = [w for w in report.warnings if w.code == "missing-metadata"]
    assert warning.message == f"the document does not give its {missing}"


def test_extract_cli_on_a_seed_exits_0(runner, tmp_path) -> None:
    from htreport.cli import app

    out = tmp_path / "strategy.yaml"
    result = runner.invoke(
        app, ["extract", str(RAW_DIR / "ps-national-strategy-2019.txt"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = htreport.load(out)
    assert data.statistics[0].value == 57_220_000 and data.statistics[0].unit == "CAD"
    assert "[no-annex]" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 1, 2014", date(2014, 4, 1)),
        ("1 April 2014", date(2014, 4, 1)),
        ("June 6th, 2012", date(2012, 6, 6)),
        ("2012-06-06", date(2012, 6, 6)),
        ("February 30, 2014", None),
        ("spring 2014", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
