"""Fuzz the extractors: mutated reports through `htreport extract` (issues 12 and 20).

Every example runs the command in-process on stdin and must end with exit 0, 1 or 2, no
traceback and only `warning:`/`error:` lines on stderr, within the time limit; what it writes
is strict JSON (or YAML that loads) and passes `validate`. The texts mutated are the shipped
2014-2015 report and the fixtures; tests/fuzzing.py holds the mutations, conftest.py the
profiles (how many examples).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import HERE, PDF_REPORT, RAW_REPORT
from tests.fuzzing import (
    check_report_text,
    examples,
    huge_number,
    mutated_bytes,
    mutated_pdf,
    mutated_text,
    run_cli,
    strict_json,
)

#: a failing example of a huge input is still worth printing
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

FIXTURES = HERE / "fixtures"


def _texts(*paths: Path) -> list[str]:
    return [path.read_text("utf-8") for path in paths]


TEXTS = _texts(
    RAW_REPORT,
    FIXTURES / "documents" / "annual-report-2012-2013.txt",
    FIXTURES / "documents" / "web-page-report-2015-2016.txt",
    FIXTURES / "layouts" / "space-aligned.txt",
    FIXTURES / "layouts" / "reordered.txt",
    FIXTURES / "diff" / "pagebreaks.txt",
)
HTML = _texts(FIXTURES / "formats" / "nap-2014-2015.html")
MARKDOWN = _texts(FIXTURES / "formats" / "nap-2014-2015.md")
#: Small PDFs for most examples, the real report's PDF and a variant for the rest.
PDFS = [
    (FIXTURES / "pdf" / name).read_bytes()
    for name in ("not-a-report.pdf", "partly-scanned.pdf", "zero-pages.pdf", "scanned.pdf")
] + [PDF_REPORT.read_bytes(), (FIXTURES / "pdf" / "variant-a4-helvetica-middle.pdf").read_bytes()]


def extract_and_check(data: bytes | str, source_format: str | None, fmt: str) -> None:
    args = ["extract", "-", "-F", fmt]
    if source_format is not None:
        args += ["--from", source_format]
    result = run_cli(args, stdin=data, stderr_prefixes=("warning: ", "error: "))
    if result.exit_code == 0:
        check_report_text(result.stdout, fmt)
    else:  # a single source: exit 2, nothing half-written on stdout
        assert result.exit_code == 2 and result.stdout == "", result.stderr


formats = st.sampled_from(["json", "yaml"])


@given(mutated_text(TEXTS), formats)
@example(
    "The program counted 9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,"
    "9,9,9,9,9 cases.",
    "json",
)  # issue 12: the number patterns backtracked catastrophically (hours)
@example(TEXTS[0].replace("\n", " ", 4000), "json")  # issue 20: a paragraph without full stops
@example(
    "ANNEX A\n\nAction Items Chart\n\nObjective 5.1: x\n5.11 Do.\tIt.\t\tOngoing\tPS\n", "json"
)
@example(  # found by this suite: the title's year and the period line disagreed; invalid output
    TEXTS[0].replace("2014-2015 Annual Report on Progress", "2015-2016 Annual Report on Progress"),
    "json",
)
@settings()
def test_mutated_text_reports_extract_to_valid_data(text, fmt):
    extract_and_check(text, "text", fmt)


@given(mutated_bytes(TEXTS))
@settings(max_examples=examples(0.6))
def test_random_bytes_in_a_text_report_are_read_or_refused(data):
    """Bytes that are not UTF-8, NULs, control characters: read (detected by content) or
    refused with one error line."""
    extract_and_check(data, None, "json")


@given(mutated_text(HTML), formats)
@example(  # found by this suite: a report title only in <title> raised IndexError (no line)
    "<!DOCTYPE html>\n<html><head><title>National Action Plan to Combat Human Trafficking: "
    "2014-2015 Annual Report on Progress</title></head>\n<body>\n<p>Some text.</p>\n"
    "</body></html>\n",
    "json",
)
@settings(max_examples=examples(0.6))
def test_mutated_html_reports_extract_to_valid_data(text, fmt):
    extract_and_check(text, "html", fmt)


@given(mutated_bytes(HTML))
@settings(max_examples=examples(0.3))
def test_random_bytes_in_an_html_report(data):
    extract_and_check(data, "html", "json")


@given(mutated_text(MARKDOWN), formats)
@settings(max_examples=examples(0.6))
def test_mutated_markdown_reports_extract_to_valid_data(text, fmt):
    extract_and_check(text, "markdown", fmt)


@given(mutated_bytes(MARKDOWN))
@settings(max_examples=examples(0.3))
def test_random_bytes_in_a_markdown_report(data):
    extract_and_check(data, "markdown", "json")


@given(mutated_pdf(PDFS))
@settings(max_examples=examples(0.4))
def test_damaged_pdfs_are_read_or_refused(data):
    """Truncated (with and without a fresh %%EOF), byte-flipped and spliced PDFs."""
    extract_and_check(data, "pdf", "json")


# -- numbers past 2**63 and past float range: the class issue 12 names ("Invalid output") --
# Numbers must stay exact and never become Infinity. Fixed on another branch; this property
# holds once it is merged.


@given(huge_number(), st.sampled_from(["people", "cases", "dollars", "victims were helped"]))
@example("9" * 400, "people")  # issue 12: written as Infinity
@example("12345678901234567890", "people")  # issue 12: rounded through a float
@example("¹" * 4301, "people")  # found by this suite: ValueError past Python's 4,300 digits
@settings(max_examples=examples(0.4))
def test_huge_numbers_in_prose_extract_to_valid_exact_data(number, unit):
    text = RAW_REPORT.read_text("utf-8").replace(
        "\n\n", f"\n\nIn 2014-2015 the program trained {number} {unit}.\n\n", 1
    )
    result = run_cli(["extract", "-", "-F", "json", "--from", "text"], stdin=text)
    assert result.exit_code == 0, result.stderr
    check_report_text(result.stdout, "json")
    digits = number.replace(",", "")
    for statistic in strict_json(result.stdout)["statistics"]:
        if re.sub(r"\D", "", statistic["raw"]) == digits:  # kept exactly, or as text
            assert statistic["value"] in (int(digits), digits), statistic
