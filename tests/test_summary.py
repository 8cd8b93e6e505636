"""summary.py and `htreport summary`: counts that agree with the report and with query."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from htreport.analysis.summary import summarize
from htreport.cli import app
from htreport.store.corpus import load_corpus


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def summary(structured_dir):
    return summarize(load_corpus([structured_dir]))


def test_totals(summary, report_2014):
    assert summary["totals"] == {
        "reports": 1,
        "deliverables": 72,
        "new": 8,
        "statistics": len(report_2014.statistics),
        "achievements": len(report_2014.achievements),
    }
    (report,) = summary["reports"]
    assert (report["report"], report["deliverables"], report["new"]) == ("2014-2015", 72, 8)


def test_by_lead_department_and_status(summary, report_2014):
    rows = {row["department"]: row for row in summary["by_lead"]}
    assert (
        rows["CBSA"]["total"] == 12 and rows["ESDC"]["total"] == 13
    )  # TFWP, Labour, ... count once
    expected: dict[str, Counter] = {}
    for *_, item in report_2014.deliverables():
        for department in {lead.department for lead in item.leads}:
            expected.setdefault(department, Counter())[item.status.value] += 1
    assert {
        code: {s: row[s] for s in summary["statuses"] if row[s]} for code, row in rows.items()
    } == {code: dict(counts) for code, counts in expected.items()}
    totals = [row["total"] for row in summary["by_lead"]]
    assert totals == sorted(totals, reverse=True)


def test_by_pillar(summary):
    rows = {row["pillar"]: row for row in summary["by_pillar"]}
    assert list(rows) == ["prevention", "protection", "prosecution", "partnerships"]
    assert sum(row["total"] for row in rows.values()) == 72
    assert sum(row["new"] for row in rows.values()) == 8
    assert sum(row["in_progress"] for row in rows.values()) == 6


def test_new_list(summary, report_2014):
    assert [row["id"] for row in summary["new"]] == [
        item.id for *_, item in report_2014.deliverables() if item.new
    ]


def test_cli_json_and_tables(runner, structured_dir, summary, terminal):
    result = runner.invoke(app, ["summary", str(structured_dir), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == summary
    table = runner.invoke(app, ["summary", str(structured_dir)])
    assert table.exit_code == 0
    out = table.stdout
    for title in (
        "Reports",
        "Deliverables by lead department and status",
        "Deliverables by pillar and status",
        "New deliverables",
    ):
        assert title in out
    assert out.splitlines()[0] == (
        f"1 report(s): 72 deliverables (8 new), {summary['totals']['statistics']} statistics, "
        f"{summary['totals']['achievements']} achievements"
    )
    cbsa = next(line for line in out.splitlines() if line.startswith("│ CBSA "))
    assert cbsa.split("│")[-2].strip() == "12"


def test_year_filter_and_errors(runner, structured_dir):
    other = runner.invoke(
        app, ["summary", str(structured_dir), "--year", "2015-16", "--format", "json"]
    )
    assert other.exit_code == 0 and json.loads(other.stdout)["totals"]["deliverables"] == 0
    same = runner.invoke(
        app, ["summary", str(structured_dir), "--year", "2014/15", "--format", "json"]
    )
    assert json.loads(same.stdout)["totals"]["deliverables"] == 72
    bad = runner.invoke(app, ["summary", str(structured_dir), "--year", "soon"])
    assert (
        bad.exit_code == 2
        and bad.stderr
        == "error: --year: 'soon' is not a fiscal year such as 2014-2015 or 2014-15\n"
    )
