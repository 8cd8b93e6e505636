"""`htreport history`: one deliverable across the years of a corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import htreport
from htreport.analysis.history import history, resolve_report, timelines
from htreport.cli import app
from htreport.errors import UsageError

from .diffpairs import PAIRS_DIR, RAW_REPORT, extracted

YEARS = [RAW_REPORT, PAIRS_DIR / "2015-2016.txt", PAIRS_DIR / "2016-2017.txt"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "structured"
    for source in YEARS:
        report = extracted(source)
        htreport.dump(report, directory / f"{report.metadata.fiscal_year}.yaml")
    htreport.dump(
        extracted(RAW_REPORT).model_copy(update={"annex": None}), directory / "no-annex.yaml"
    )
    return directory


def _row(timeline):
    return [
        (year, r and r["id"], r and r["status"], r and r["start"]) for year, r in timeline.years
    ]


def test_a_deliverable_through_three_years(corpus):
    found, warnings = history("2014-2015/1.11.2", [corpus])
    assert warnings == [] and len(found) == 1
    assert _row(found[0]) == [
        ("2014-2015", "1.11.2", "ongoing", "2015-16"),
        ("2015-2016", "1.11.2", "ongoing", "2016-17"),
        ("2016-2017", "1.11.2", "completed", "2016-17"),
    ]
    assert found[0].years[1][1]["text"].startswith("Implement the RCMP Youth Strategy")


def test_moved_dropped_and_added_deliverables(corpus):
    moved, _ = history("2014-2015/4.11.6", [corpus])
    assert [r and (r["id"], r["task"]) for _y, r in moved[0].years] == [
        ("4.11.6", "4.11"),
        ("3.13.11", "3.13"),
        ("3.13.11", "3.13"),
    ]
    dropped, _ = history("2014-2015/3.11.2", [corpus])  # completed in 2015-2016, gone in 2016-2017
    assert [r and r["status"] for _y, r in dropped[0].years] == ["in_progress", "completed", None]
    added, _ = history("United Nations Office on Drugs", [corpus])
    assert [r and r["new"] for _y, r in added[0].years] == [None, True, False]
    assert added[0].key == "2015-2016/4.14.11"


def test_search_by_id_and_year(corpus):
    by_id, _ = history("3.13.11", [corpus])
    assert sorted(t.key for t in by_id) == ["2014-2015/3.13.11", "2014-2015/4.11.6"]
    in_year, _ = history("3.13.11", [corpus], year="2014-15")
    assert [t.key for t in in_year] == ["2014-2015/3.13.11"]


def test_same_year_twice_in_the_corpus_is_refused():
    other = extracted(YEARS[1]).model_copy(deep=True)
    other.source.file = "copy.txt"
    with pytest.raises(UsageError, match="two reports of fiscal year 2015-2016"):
        timelines([extracted(RAW_REPORT), extracted(YEARS[1]), other])


def test_resolve_report_by_year(corpus):
    loaded = resolve_report("2015/16", [corpus])
    assert (
        loaded.path == corpus / "2015-2016.yaml"
        and loaded.report.metadata.fiscal_year == "2015-2016"
    )


def test_cli_json_markdown_and_no_match(runner, corpus):
    result = runner.invoke(
        app,
        [
            "history",
            "RCMP Youth Strategy",
            "--data",
            str(corpus),
            "--format",
            "json",
            "--no-overrides",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["key"] for t in data] == ["2014-2015/1.11.2"]
    assert [y["record"]["status"] for y in data[0]["years"]] == ["ongoing", "ongoing", "completed"]
    result = runner.invoke(
        app, ["history", "1.11.2", "--data", str(corpus), "--format", "markdown", "--no-overrides"]
    )
    assert "| 2016-2017 | 1.11.2 | completed | RCMP | 2016-17 |" in result.stdout
    result = runner.invoke(app, ["history", "tip line", "--data", str(corpus), "--no-overrides"])
    assert result.exit_code == 0 and "2014-2015/3.12.1" in result.stdout
    result = runner.invoke(
        app, ["history", "no such words here", "--data", str(corpus), "--no-overrides"]
    )
    assert result.exit_code == 1 and "no deliverable matches" in result.stderr
    result = runner.invoke(app, ["history", "x", "--data", str(corpus / "missing")])
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


def test_history_shows_each_years_flags_with_their_evidence(runner, corpus):
    args = ["history", "2014-2015/3.11.2", "--data", str(corpus), "--no-overrides"]
    result = runner.invoke(app, [*args, "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "### `2014-2015/3.11.2`\n"
        "\n"
        "| year | id | status | leads | start | flags | text |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 2014-2015 | 3.11.2 | in_progress | CBSA | 2012-13 | — "
        "| Update of EN manual Chapter 15, Trafficking in Persons. |\n"
        "| 2015-2016 | 3.11.2 | completed | CBSA | 2012-13 | completed_this_year, dropped "
        "| Update of EN manual Chapter 15, Trafficking in Persons. |\n"
        "| 2016-2017 | — | not in the report | | | | |\n"
        "\n"
        "- 2015-2016 completed_this_year: in_progress in 2014-2015, completed in 2015-2016\n"
        "- 2015-2016 dropped: absent in 2016-2017\n"
    )


def test_history_table_puts_the_flags_under_the_status(runner, corpus, monkeypatch):
    from htreport import render

    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERMINAL_WIDTH", "80")
    render.stdout.cache_clear()  # the console is made once, at the width of its time
    args = ["history", "2014-2015/3.11.2", "--data", str(corpus), "--no-overrides"]
    try:
        result = runner.invoke(app, args)
    finally:
        render.stdout.cache_clear()
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    status_column = [line.split("│")[3].strip() for line in lines if line.count("│") == 7]
    assert status_column[:7] == [
        "in_progress", "", "", "", "completed", "completed_this_year", "dropped"
    ]  # fmt: skip
    assert "  2015-2016 dropped: absent in 2016-2017" in lines
