"""Every value that loads is finite, exact and writable (issue 20).

NaN, infinities, numbers as strings, numbers past the digit bound or past Python's int/str
limit, and lone surrogates are refused at load, each with its file, line and column
(`validate` exit 1); so `query -F json`, `export` and `diff` never meet one.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htreport.cli import app
from htreport.errors import DataFileError, contains_surrogate
from htreport.store.io import dumps, load, loads
from htreport.store.loadchecks import may_hold_surrogates
from htreport.store.validate import validate_file, validate_text

from .conftest import STRUCTURED_DIR

YAML = (STRUCTURED_DIR / "2014-2015.yaml").read_text(encoding="utf-8")
JSON = dumps(loads(YAML, "yaml"), "json")


def _with_value(text: str, written: str, fmt: str) -> tuple[str, int]:
    """`text` with its first statistic's value written as `written`, and that value's line."""
    key = "value: " if fmt == "yaml" else '"value": '
    start = text.index(key)
    end = text.index("\n" if fmt == "yaml" else ",", start)
    return text[:start] + key + written + text[end:], text.count("\n", 0, start) + 1


REFUSED = {
    "yaml": [".nan", ".NaN", "-.inf", ".inf", "'NaN'", "'1e999'", "1e999", "'12'", "true"],
    "json": ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", '"NaN"', '"12"', "true"],
}


@pytest.mark.parametrize(
    ("fmt", "written"), [(fmt, value) for fmt, values in REFUSED.items() for value in values]
)
def test_a_value_that_is_not_a_finite_number_is_refused_at_its_place(fmt, written) -> None:
    text, line = _with_value(YAML if fmt == "yaml" else JSON, written, fmt)
    report = validate_text(text, fmt, file=f"bad.{fmt}")
    assert not report.ok
    assert [issue.line for issue in report.issues] == [line]
    assert report.issues[0].column is not None
    with pytest.raises(DataFileError):
        loads(text, fmt, path=f"bad.{fmt}")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("digits", [31, 400, 5000])
def test_a_number_past_the_bound_is_refused_at_its_place(fmt, digits) -> None:
    text, line = _with_value(YAML if fmt == "yaml" else JSON, "9" * digits, fmt)
    report = validate_text(text, fmt, file=f"big.{fmt}")
    assert [(issue.line, issue.column is not None) for issue in report.issues] == [(line, True)]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_twenty_digit_number_loads_exactly(fmt) -> None:
    text, _ = _with_value(YAML if fmt == "yaml" else JSON, "12345678901234567890", fmt)
    assert validate_text(text, fmt).ok
    assert loads(text, fmt).statistics[0].value == 12345678901234567890


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**40), max_value=10**40),
    )
)
@settings(max_examples=80, deadline=None)
def test_what_loads_is_finite_and_dumps_as_strict_json(value) -> None:
    written = json.dumps(value)  # NaN, Infinity, 1e+300, big integers...
    text, line = _with_value(JSON, written, "json")
    report = validate_text(text, "json", file="x.json")
    bounded = math.isfinite(value) and abs(value) <= 10**30 - 1
    assert report.ok == bounded
    if not bounded:
        assert [issue.line for issue in report.issues] == [line]
        return
    loaded = loads(text, "json")
    assert loaded.statistics[0].value == value

    def refuse(name):
        raise AssertionError(name)

    json.loads(dumps(loaded, "json"), parse_constant=refuse)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"counted": "victims"', '"counted": "\\ud800"'),  # legal JSON, not text
        ('"counted": "victims"', '"counted": "vic\\udfffs"'),
        ('"counted":', '"c\\udc80ounted":'),  # in a key
    ],
    ids=["value", "inside-a-value", "key"],
)
def test_a_lone_surrogate_is_refused_at_load_with_its_place(old, new) -> None:
    assert old in JSON
    text = JSON.replace(old, new, 1)
    line = JSON.count("\n", 0, JSON.index(old)) + 1
    report = validate_text(text, "json", file="s.json")
    assert [issue.line for issue in report.issues] == [line]
    assert "lone surrogate" in report.issues[0].message
    str(report.issues[0]).encode("utf-8")  # the message itself always encodes
    with pytest.raises(DataFileError, match="lone surrogate"):
        loads(text, "json", path="s.json")


def test_a_raw_lone_surrogate_in_text_given_to_loads_is_refused_at_its_place() -> None:
    """Text handed to the library (not decoded from a file) can hold a surrogate itself."""
    old = '"counted": "victims"'
    text = JSON.replace(old, '"counted": "vic\udfffs"', 1)
    line = JSON.count("\n", 0, JSON.index(old)) + 1
    with pytest.raises(DataFileError, match="lone surrogate") as error:
        loads(text, "json", path="s.json")
    assert error.value.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("plain ascii", False),
        ("caf\u00e9 \u2014 \U0001f600", False),
        ("x\ud800", True),
        ("\udfff", True),
        ("caf\u00e9\udc80", True),
    ],
)
def test_contains_surrogate(text, expected) -> None:
    assert contains_surrogate(text) is expected


def test_validate_reports_a_bad_value_with_exit_1_and_query_never_prints_nan(
    runner, tmp_path
) -> None:
    text, line = _with_value(JSON, "NaN", "json")
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"bad.json:{line}:" in result.output
    result = runner.invoke(app, ["query", "statistics", str(bad), "-F", "json"])
    assert result.exit_code == 2  # the one data file is unusable: an error, no output
    assert result.stdout == ""
    assert f"bad.json:{line}:" in result.stderr


def test_the_shipped_data_still_loads() -> None:
    for path in sorted(STRUCTURED_DIR.glob("*.yaml")):
        load(path)


@given(st.integers(min_value=0, max_value=9998), st.integers(min_value=0, max_value=9999))
@settings(max_examples=60, deadline=None)
def test_validate_reports_any_fiscal_year_and_never_crashes(start, end) -> None:
    # `0000-0001` crashed validate (date(0, 4, 1)); any pair of four digits is reported
    year = f"{start:04d}-{end:04d}"
    text = YAML.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}", 1)
    assert text != YAML
    report = validate_text(text, "yaml", file="2014-2015.yaml")
    problems = [issue for issue in report.issues if issue.field == "metadata.fiscal_year"]
    if year != "2014-2015":
        assert problems and problems[0].line is not None


def test_year_zero_is_a_validation_error() -> None:
    text = YAML.replace("fiscal_year: 2014-2015", "fiscal_year: 0000-0001", 1)
    (issue,) = [i for i in validate_text(text, "yaml").issues if i.field == "metadata.fiscal_year"]
    assert "there is no year 0000" in issue.message


@pytest.mark.parametrize("length", [300, 5000])
def test_a_source_file_name_too_long_for_the_file_system_is_reported(tmp_path, length) -> None:
    start = YAML.index("  file: ")
    text = YAML[:start] + "  file: " + "a" * length + YAML[YAML.index("\n", start) :]
    report = validate_text(text, "yaml", file="x.yaml", raw_dir=tmp_path)
    assert [(issue.code, issue.field) for issue in report.issues] == [
        ("source-file", "source.file")
    ]
    assert "File name too long" in report.issues[0].message


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [
        ("json", '"counted": "victims"', '"counted": "\\ud800"'),
        ("yaml", "counted: victims", 'counted: "vic\\udfffs"'),
        ("yaml", "counted: victims", 'counted: "\\U0000dc80"'),
    ],
    ids=["json", "yaml-u", "yaml-U"],
)
def test_an_escaped_lone_surrogate_in_a_file_is_refused_at_its_place(
    tmp_path, fmt, old, new
) -> None:
    """A file's text is decoded from UTF-8, so only an escape can make a surrogate: the
    loaders skip the search for raw ones, never the escapes. (libyaml refuses a surrogate
    escape itself, at the same place.)"""
    original = JSON if fmt == "json" else YAML
    assert old in original
    path = tmp_path / f"s.{fmt}"
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    line = original.count("\n", 0, original.index(old)) + 1
    with pytest.raises(DataFileError, match="lone surrogate|invalid Unicode") as error:
        load(path)
    assert (error.value.path, error.value.line) == (str(path), line)
    assert [issue.line for issue in validate_file(path).issues] == [line]


@pytest.mark.parametrize(
    ("text", "utf8_decoded", "expected"),
    [
        ("no escape at all \u2014", False, False),
        ("a \\ backslash, a \\n and a \\t", False, False),
        ("trailing backslash \\", False, False),
        ("\\u00e9", True, True),
        ("x \\\\ y \\U0001F600", True, True),  # an escaped backslash first, then \U
        ("caf\u00e9\udc80", False, True),  # raw: only text not decoded from UTF-8
        ("caf\u00e9\udc80", True, False),  # (which cannot hold one) skips the search
    ],
)
def test_may_hold_surrogates(text, utf8_decoded, expected) -> None:
    assert may_hold_surrogates(text, utf8_decoded=utf8_decoded) is expected
