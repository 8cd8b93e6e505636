"""`htreport validate` and the validate library API, on real extractions and broken files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from htreport.cli import app
from htreport.store import io
from htreport.store.validate import validate_file, validate_paths, validate_text

from .conftest import RAW_DIR, RAW_REPORT, ROOT, STRUCTURED_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
BROKEN = sorted(p.name for p in INVALID.iterdir() if p.suffix in (".yaml", ".json"))


def run(runner, *args: str):
    return runner.invoke(app, ["validate", *args])


@pytest.mark.parametrize("name", BROKEN)
def test_broken_file_gives_its_exact_lines(runner, monkeypatch, name):
    monkeypatch.chdir(INVALID)
    result = run(runner, "--format", "text", name)
    assert result.exit_code == 1
    assert result.stdout == (INVALID / f"{name}.expected").read_text("utf-8")
    problems = len(result.stdout.splitlines())
    assert result.stderr == (
        f"1 file checked: 0 valid, 1 with problems ({problems} problem{'s' if problems > 1 else ''})\n"
    )


def test_the_broken_suite_covers_every_case_of_the_issue():
    codes = {issue.code for name in BROKEN for issue in validate_file(INVALID / name).issues}
    messages = " ".join(str(i) for name in BROKEN for i in validate_file(INVALID / name).issues)
    assert {
        "syntax",
        "unsafe",
        "schema",
        "duplicate-id",
        "duplicate-key",
        "task-id",
        "deliverable-id",
        "objective-id",
        "fiscal-year",
        "unknown-lead",
    } <= codes
    for fragment in (
        "must be a whole number",
        "missing required field",
        "unknown status",
        "duplicate deliverable id",
        "does not span two consecutive years",
        "unknown lead department",
        "ends inside this quoted",
        "tab character",
        "Python object tag",
        "possible YAML bomb",
    ):
        assert fragment in messages, fragment


@pytest.mark.parametrize("name", BROKEN)
def test_library_returns_issues_and_never_raises(name):
    report = validate_file(INVALID / name)
    assert not report.ok
    assert all(issue.line is not None and issue.column is not None for issue in report.issues)


@pytest.mark.parametrize("name", ["2014-2015.yaml", "2014-2015.json"])
def test_valid_fixture_is_clean(runner, name):
    result = run(runner, "--format", "text", str(VALID / name))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "1 file checked: 1 valid\n"


def test_yaml_and_json_point_at_their_own_lines():
    """The same schema problem is located in each format's own text."""
    data = json.loads((VALID / "2014-2015.json").read_text("utf-8"))
    data["annex"]["pillars"][0]["objectives"][0]["tasks"][1]["deliverables"][1]["status"] = "paused"
    json_text = json.dumps(data, indent=2)
    # the last deliverable (1.12.2) has the file's last deliverable-level status line
    yaml_text = (VALID / "2014-2015.yaml").read_text("utf-8")
    before, status, after = yaml_text.rpartition("\n          status: ongoing\n")
    yaml_text = before + status.replace("ongoing", "paused") + after
    for text, fmt in ((json_text, "json"), (yaml_text, "yaml")):
        [issue] = validate_text(text, fmt).issues
        assert issue.field == "annex.pillars[0].objectives[0].tasks[1].deliverables[1].status"
        line = text.splitlines()[issue.line - 1]
        assert line[issue.column - 1 :].lstrip('"').startswith("paused"), (fmt, line)
        assert "did you mean 'on_hold'?" in issue.message


def test_line_endings_do_not_change_the_result():
    for name in ("unknown-status.yaml", "wrong-types.json", "tabs.yaml"):
        text = (INVALID / name).read_text("utf-8")
        fmt = io.format_of(Path(name))
        unix = validate_text(text, fmt, file=name).issues
        windows = validate_text(text.replace("\n", "\r\n"), fmt, file=name).issues
        assert [str(i) for i in windows] == [str(i) for i in unix]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, report_2014):
    """data/structured/ and data/raw/ as the lead's extract command lays them out."""
    root = tmp_path_factory.mktemp("repo")
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copy(RAW_REPORT, root / "data" / "raw" / RAW_REPORT.name)
    io.dump(report_2014, root / "data" / "structured" / "2014-2015.yaml")
    io.dump(report_2014, root / "data" / "structured" / "2014-2015.json")
    return root


def test_extracted_report_validates_clean_with_source_check(runner, extracted, monkeypatch):
    monkeypatch.chdir(extracted)  # the default path, data/structured/
    result = run(runner, "--check-source", "--format", "text")
    assert result.exit_code == 0, result.output
    assert result.stderr == "2 files checked: 2 valid\n"


def test_source_hash_is_checked_when_the_raw_file_is_there(extracted, tmp_path):
    structured = tmp_path / "data" / "structured"
    structured.mkdir(parents=True)
    text = (extracted / "data" / "structured" / "2014-2015.yaml").read_text("utf-8")
    (structured / "2014-2015.yaml").write_text(text.replace("sha256: 23e9", "sha256: 0000"))
    # no data/raw/ next to it: nothing to compare with
    assert validate_file(structured / "2014-2015.yaml").ok
    [issue] = validate_file(structured / "2014-2015.yaml", raw_dir=RAW_DIR).issues
    assert issue.code == "source-hash"
    assert (issue.line, issue.column) == (5, 11)
    assert issue.message.startswith(
        f"does not match {RAW_DIR / RAW_REPORT.name} (sha256 23e9c5296ed6...)"
    )


def test_check_source_reports_the_fields_that_drifted(runner, extracted, tmp_path):
    structured = tmp_path / "data" / "structured"
    structured.mkdir(parents=True)
    text = (extracted / "data" / "structured" / "2014-2015.yaml").read_text("utf-8")
    edited = text.replace("status: in_progress", "status: completed", 1)
    assert edited != text
    (structured / "2014-2015.yaml").write_text(edited)
    target = structured / "2014-2015.yaml"
    assert validate_file(target, raw_dir=RAW_DIR).ok  # a hand correction is valid data ...
    result = run(
        runner, "--check-source", "--raw-dir", str(RAW_DIR), "--format", "text", str(target)
    )
    assert result.exit_code == 1  # ... that differs from its source
    line = (
        edited.splitlines().index(
            next(text for text in edited.splitlines() if text.endswith("status: completed"))
        )
        + 1
    )
    [problem] = result.stdout.splitlines()
    assert problem.startswith(f"{target}:{line}:19: annex.pillars[")
    assert problem.endswith(
        "].status: differs from nap-2014-2015-annual-report.txt: the file has 'completed', "
        "re-extraction gives 'in_progress'"
    )


def test_check_source_without_the_raw_file(runner, extracted, tmp_path):
    target = tmp_path / "2014-2015.yaml"
    shutil.copy(extracted / "data" / "structured" / "2014-2015.yaml", target)
    result = run(
        runner, "--check-source", "--raw-dir", str(tmp_path), "--format", "text", str(target)
    )
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}:4:9: source.file: --check-source: raw file "
        f"{tmp_path / RAW_REPORT.name} not found\n"
    )


def test_directory_run_counts_files_and_problems():
    run_ = validate_paths([INVALID, VALID])
    assert len(run_.reports) == len(BROKEN) + 2
    problems = sum(len((INVALID / f"{n}.expected").read_text().splitlines()) for n in BROKEN)
    assert run_.summary() == (
        f"{len(BROKEN) + 2} files checked: 2 valid, {len(BROKEN)} with problems ({problems} problems)"
    )


def test_parallel_validation_gives_the_sequential_result_in_file_order(monkeypatch):
    from htreport.store import validate as validate_module

    monkeypatch.setattr(validate_module, "PARALLEL_THRESHOLD", 2)
    parallel = validate_paths([INVALID, VALID], jobs=2)
    sequential = validate_paths([INVALID, VALID], jobs=1)
    assert [report.file for report in parallel.reports] == [
        report.file for report in sequential.reports
    ]
    assert parallel.issues == sequential.issues
    assert len(parallel.issues) > len(BROKEN)


def test_github_format(runner, monkeypatch):
    monkeypatch.chdir(INVALID)
    result = run(runner, "--format", "github", "missing-fields.yaml", "tabs.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=missing-fields.yaml,line=19,col=5,title=htreport validate%3A schema::"
        "annex.pillars[0].heading: missing required field 'heading'\n"
        "::error file=missing-fields.yaml,line=51,col=11,title=htreport validate%3A schema::"
        "annex.pillars[0].objectives[0].tasks[0].deliverables[1].new: missing required field 'new'\n"
        "::error file=tabs.yaml,line=14,col=1,title=htreport validate%3A syntax::"
        "invalid YAML: tab character; YAML indents with spaces, never tabs\n"
    )


def test_json_format(runner, monkeypatch):
    monkeypatch.chdir(INVALID)
    result = run(runner, "--format", "json", "unknown-leads.yaml", str(VALID / "2014-2015.yaml"))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert document["summary"] == "2 files checked: 1 valid, 1 with problems (3 problems)"
    broken, clean = document["files"]
    assert clean == {"file": str(VALID / "2014-2015.yaml"), "valid": True, "issues": []}
    assert broken["issues"][0] == {
        "file": "unknown-leads.yaml",
        "line": 40,
        "column": 25,
        "code": "unknown-lead",
        "field": "annex.pillars[0].objectives[0].tasks[0].deliverables[0].leads[1].department",
        "message": "unknown lead department 'DOJX' (not in the department registry)",
    }


def test_table_format(runner, monkeypatch, terminal):
    monkeypatch.chdir(INVALID)
    result = run(runner, "--format", "table", "duplicate-key.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [cell.strip() for cell in lines[1].split("┃")[1:-1]] == [
        "Where",
        "Problem",
        "Field",
        "Message",
    ]
    assert [cell.strip() for cell in lines[3].split("│")[1:-1]] == [
        "duplicate-key.yaml:61:11",
        "syntax",
        "",
        "duplicate key 'status' (first at line 60); the",
    ]
    assert lines[-1] == "1 file checked: 0 valid, 1 with problems (1 problem)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-dir"], "error: no-such-dir: no such file or directory\n"),
        (["--format", "xml"], None),
    ],
)
def test_usage_errors_exit_2(runner, monkeypatch, tmp_path, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(runner, *args)
    assert result.exit_code == 2
    if message:
        assert result.stderr == message


def test_a_directory_without_data_files_is_a_usage_error(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "structured").mkdir(parents=True)
    result = run(runner)
    assert result.exit_code == 2
    assert result.stderr == "error: data/structured: no .yaml/.yml/.json files to validate\n"


def test_committed_structured_data_validates_clean(runner):
    files = [p for p in STRUCTURED_DIR.glob("*") if p.suffix in (".yaml", ".json")]
    if not files:
        pytest.skip("data/structured/ not generated yet (the lead regenerates it)")
    # the source hash is compared (data/raw/ is next to it); --check-source is left out on
    # purpose: hand corrections are intended drift, and the extractor moves between regenerations
    result = run(runner, "--format", "text", str(STRUCTURED_DIR))
    assert result.exit_code == 0, result.stdout


def test_pre_commit_hook_runs_validate_on_the_staged_files(runner, monkeypatch):
    import re
    import shlex

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "htreport-validate" and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("data/structured/2014-2015.yaml") and files.search("data/structured/x.json")
    assert not files.search(".pre-commit-config.yaml") and not files.search(
        ".github/workflows/ci.yml"
    )
    command = shlex.split(hook["entry"])
    assert command[0] == "htreport"
    monkeypatch.chdir(FIXTURES)  # pre-commit appends the staged file names
    staged = ["valid/2014-2015.yaml", "invalid/tabs.yaml"]
    result = runner.invoke(app, [*command[1:], *staged])
    assert result.exit_code == 1
    assert (
        result.stdout
        == "invalid/tabs.yaml:14:1: invalid YAML: tab character; YAML indents with spaces, never tabs\n"
    )
