"""Numbers stay exact and finite from the prose to every output (issues 12 and 20).

A whole number is an int of any size up to `numbers.MAX_DIGITS` digits, never through a float;
a fraction keeps at most `MAX_SIGNIFICANT_DIGITS`; anything past that is kept as text with a
`number-too-large` warning at its line, never Infinity, never rounded, never a crash.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htreport.model import numbers
from htreport.pipeline.extraction import extract_document
from htreport.readers.text import read_text
from htreport.store.io import dumps, loads

HEADER = "National Action Plan to Combat Human Trafficking\nAnnual Report on Progress 2014-2015\n\n"


def _extract(body: str):
    return extract_document(read_text((HEADER + body).encode(), name="numbers.txt"))


def _strict_json(report) -> dict:
    def refuse(name: str):
        raise AssertionError(f"{name} in the JSON output")

    return json.loads(dumps(report, "json"), parse_constant=refuse)


@given(st.integers(min_value=10_000, max_value=numbers.MAX_VALUE))
@settings(max_examples=60, deadline=None)
def test_any_whole_number_in_bounds_is_kept_exactly(value: int) -> None:
    report = _extract(f"The program trained {value} people.\n")
    (statistic,) = report.statistics
    assert statistic.value == value and isinstance(statistic.value, int)
    written = _strict_json(report)["statistics"][0]["value"]
    assert written == value and isinstance(written, int)
    assert loads(dumps(report, "json"), "json").statistics[0].value == value


def test_twenty_digits_do_not_go_through_a_float() -> None:
    report = _extract("The program counted 12345678901234567890 people.\n")
    assert [s.value for s in report.statistics] == [12345678901234567890]  # not ...7168


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["thousand", "million", "billion"]),
)
@settings(max_examples=60, deadline=None)
def test_money_with_a_multiplier_is_exact(whole: int, cents: int, multiplier: str) -> None:
    text = f"${whole}.{cents:02d} {multiplier}"
    factor = numbers.MULTIPLIERS[multiplier]
    expected = (whole * 100 + cents) * factor // 100
    assert numbers.parse_money(text) == expected and isinstance(expected, int)


@pytest.mark.parametrize(
    "printed",
    [
        "9" * 31,  # one digit past the bound
        "9" * 400,  # a few hundred digits: this was written as Infinity
        "9" * 5000,  # past Python's 4,300-digit int/str limit: this crashed the dump
        "$" + "9" * 400,
        "9" * 400 + "%",
        " ".join(["hundred"] * 3000),  # number words past the bound: this crashed the dump
        "3.1415926535897932%",  # 17 significant digits would be rounded
    ],
    ids=["31-digits", "400-digits", "5000-digits", "money", "percent", "hundreds", "precise"],
)
def test_a_number_too_large_is_text_with_a_warning_at_its_line(printed: str) -> None:
    report = _extract(f"An opening paragraph.\n\nThe program trained {printed} people.\n")
    assert report.statistics == []
    (warning,) = [w for w in report.warnings if w.code == "number-too-large"]
    assert warning.line == 6
    assert printed in warning.message  # the text is kept, whole
    _strict_json(report)  # and the output is strict JSON


def test_a_huge_footnote_marker_is_text_with_a_warning() -> None:
    marks = "³" * 5000
    report = _extract(f"The team met{marks} in May.\n\n{'⁴' * 5000} Footnote text here.\n")
    warned = [w for w in report.warnings if w.code == "footnote-marker-too-long"]
    assert [w.line for w in warned] == [4, 6]  # the marker in the body, the footnote line
    assert "'Footnote text here.'" in warned[1].message  # the footnote line's text is kept
    assert report.footnotes == []
    assert report.statistics == []
    _strict_json(report)
