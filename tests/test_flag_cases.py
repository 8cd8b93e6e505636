"""Hand-built flag cases (tests/fixtures/flags/): small corpora made by hand so that each flag
is decided on a case built for it, each compared whole to its expected file.

three-years: 1.11.1 stays in_progress (stalled two, then three years; long_running in its
third year); 1.11.2 stays ongoing (never stalled); 1.11.3 started 2011-12 (long_running),
completed in 2015-2016 (completed_this_year) and then gone (dropped); 1.11.4 appears in
2015-2016 (new_this_year) on_hold and stays so (stalled); 1.11.5 on_hold -> in_progress ->
completed (a changed status is not stalled). one-report: only long_running is decided; the
two-year flags are absent, not false.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from htreport.analysis.flags import compute_flags
from htreport.store.corpus import load_reports

CASES = Path(__file__).resolve().parent / "fixtures" / "flags"


def decided(case: Path) -> dict[str, dict[str, dict]]:
    """year/id -> flag -> {value, years, reason}, every decided flag of the case."""
    reports = [report for _path, report in load_reports([case])[0]]
    flags = compute_flags(reports)
    return {
        f"{year}/{deliverable}": {
            name: {"value": flag.value, "years": list(flag.years), "reason": flag.reason}
            for name, flag in sorted(by_name.items())
        }
        for (year, deliverable), by_name in sorted(flags.items())
    }


@pytest.mark.parametrize("case", ["three-years", "one-report"])
def test_flag_case(case, update_golden):
    expected_file = CASES / f"{case}.expected.yaml"
    found = decided(CASES / case)
    if update_golden:
        expected_file.write_text(yaml.safe_dump(found, sort_keys=False, width=100), "utf-8")
    assert found == yaml.safe_load(expected_file.read_text("utf-8"))


def test_one_report_has_no_two_year_flags():
    found = decided(CASES / "one-report")
    assert {name for by_name in found.values() for name in by_name} == {"long_running"}


def test_the_query_filters_by_the_same_flags(runner):
    from htreport.cli import app

    expected = yaml.safe_load((CASES / "three-years.expected.yaml").read_text("utf-8"))
    for name in ("stalled", "long_running", "new_this_year", "completed_this_year", "dropped"):
        result = runner.invoke(
            app, ["query", "deliverables", str(CASES / "three-years"), "--flag", name, "-F", "csv"]
        )
        assert result.exit_code == 0, result.stderr
        keys = sorted(
            line.split(",")[0] + "/" + line.split(",")[1] for line in result.stdout.splitlines()[1:]
        )
        assert keys == sorted(
            k for k, by_name in expected.items() if by_name.get(name, {}).get("value")
        ), name
