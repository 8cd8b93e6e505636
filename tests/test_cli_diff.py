"""`htreport diff` on the command line: formats, exit codes, overrides, --write-keys, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import htreport
from htreport.cli import app

from .diffpairs import PAIRS_DIR, RAW_REPORT, extracted

NEXT = PAIRS_DIR / "2015-2016.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A structured corpus of two years, as `htreport extract -o data/structured/` makes it."""
    directory = tmp_path / "structured"
    htreport.dump(extracted(RAW_REPORT), directory / "2014-2015.yaml")
    htreport.dump(extracted(NEXT), directory / "2015-2016.yaml")
    return directory


def _run(runner, *args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_json_from_raw_reports(runner):
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--format", "json", "--no-overrides")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["summary"]["added"] == 4 and data["summary"]["removed"] == 4
    assert len(data["changes"]) == 4 + 4 + data["summary"]["changed"]


def test_exit_code_like_git_diff(runner):
    assert _run(runner, "diff", RAW_REPORT, NEXT, "--exit-code", "--no-overrides").exit_code == 1
    same = _run(runner, "diff", RAW_REPORT, RAW_REPORT, "--exit-code", "--no-overrides")
    assert same.exit_code == 0
    assert "2014-2015 → 2014-2015: 0 added, 0 removed, 0 changed, 72 unchanged" in same.stdout


def test_years_are_looked_up_in_the_corpus(runner, corpus):
    result = _run(
        runner,
        "diff",
        "2014-15",
        "2015-2016",
        "--data",
        corpus,
        "--format",
        "markdown",
        "--no-overrides",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## Changes 2014-2015 → 2015-2016\n")
    assert "### Removed deliverables (4)" in result.stdout
    assert "| status | in_progress | completed |" in result.stdout
    missing = _run(runner, "diff", "2013-2014", "2015-2016", "--data", corpus)
    assert missing.exit_code == 2
    assert "no structured report for fiscal year 2013-2014" in missing.stderr


def test_rich_view(runner, terminal):
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--no-overrides")
    assert result.exit_code == 0
    assert "2014-2015 → 2015-2016: 4 added, 4 removed, 19 changed, 49 unchanged" in result.stdout
    assert "status: in_progress → completed" in result.stdout


def test_same_year_unreadable_and_missing_inputs(runner, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(
        NEXT.read_text("utf-8").replace("2015-2016 Annual Report", "2014-2015 Annual Report"),
        "utf-8",
    )
    result = _run(runner, "diff", RAW_REPORT, other)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "same year 2014-2015" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: '1.0'\nsource: [\n", "utf-8")
    result = _run(runner, "diff", broken, NEXT)
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {broken}:")
    result = _run(runner, "diff", tmp_path / "nope.txt", NEXT)
    assert result.exit_code == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_overrides_force_and_warn_about_unknown_deliverables(runner, tmp_path):
    overrides = tmp_path / "matches.yaml"
    overrides.write_text(
        "force:\n"
        "  - old: 2014-2015/3.14.3\n    new: 2015-2016/3.14.3\n"
        "forbid:\n"
        "  - old: 2014-2015/9.99.1\n    new: 2015-2016/1.11.1\n",
        "utf-8",
    )
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--overrides", overrides, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["summary"]["added"], data["summary"]["removed"]) == (3, 3)
    forced = next(c for c in data["changes"] if c["match"] == "forced")
    assert forced["old"]["id"] == "3.14.3" and list(forced["fields"]) == ["text"]
    assert (
        f"{overrides}:5: forbid entry skipped: unknown deliverable 2014-2015/9.99.1"
        in result.stderr
    )


def test_invalid_overrides_name_the_line(runner, tmp_path):
    overrides = tmp_path / "matches.yaml"
    overrides.write_text("force:\n  - old: 2014-2015/1.11.1\n    new: 2015-16/1.11.1\n", "utf-8")
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--overrides", overrides)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {overrides}:3: force.0.new:")
    overrides.write_text(
        "force:\n  - {old: 2014-2015/1.11.1, new: 2015-2016/1.11.1}\n  - {old: 2014-2015/1.11.1, new: 2015-2016/1.11.2}\n"
    )
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--overrides", overrides)
    assert (
        result.exit_code == 2
        and f"{overrides}:3: 2014-2015/1.11.1 is forced twice" in result.stderr
    )


def test_write_keys_carries_keys_into_the_new_file(runner, corpus):
    target = corpus / "2015-2016.yaml"
    result = _run(
        runner,
        "diff",
        corpus / "2014-2015.yaml",
        target,
        "--write-keys",
        "--format",
        "json",
        "--no-overrides",
    )
    assert result.exit_code == 0, result.stderr
    keys = {d.id: d.key for _p, _o, _t, d in htreport.load(target).deliverables()}
    assert keys["3.13.11"] == "2014-2015/4.11.6" and keys["1.11.7"] == "2015-2016/1.11.7"
    again = _run(
        runner, "diff", corpus / "2014-2015.yaml", target, "--write-keys", "--no-overrides"
    )
    assert again.exit_code == 0 and "keys already up to date" in again.stderr
    # a forced override would replace a carried key: refused without --force
    overrides = corpus.parent / "m.yaml"
    overrides.write_text("forbid:\n  - old: 2014-2015/1.11.1\n    new: 2015-2016/1.11.1\n", "utf-8")
    before = target.read_bytes()
    refused = _run(
        runner, "diff", corpus / "2014-2015.yaml", target, "--write-keys", "--overrides", overrides
    )
    assert refused.exit_code == 2 and "pass --force" in refused.stderr
    assert target.read_bytes() == before
    forced = _run(
        runner,
        "diff",
        corpus / "2014-2015.yaml",
        target,
        "--write-keys",
        "--overrides",
        overrides,
        "--force",
    )
    assert forced.exit_code == 0
    assert {d.id: d.key for _p, _o, _t, d in htreport.load(target).deliverables()}[
        "1.11.1"
    ] == "2015-2016/1.11.1"


def test_write_keys_needs_a_structured_new(runner):
    result = _run(runner, "diff", RAW_REPORT, NEXT, "--write-keys")
    assert (
        result.exit_code == 2 and "--write-keys needs NEW to be a structured file" in result.stderr
    )
