"""`htreport query ...` through the CLI: counts, every format, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
import yaml

from htreport.analysis.query import Filters, run
from htreport.cli import app
from htreport.model.records import DELIVERABLE_FIELDS, csv_value
from htreport.render.query import TABLE_FIELDS, print_records
from htreport.store.corpus import load_corpus

from .conftest import ROOT, STRUCTURED_DIR


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


def query(runner, *args):
    return runner.invoke(app, ["query", *args])


def count(runner, structured_dir, *options):
    result = query(runner, "deliverables", str(structured_dir), *options, "--count")
    assert result.exit_code == 0, result.output
    return int(result.stdout)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--lead", "CBSA"], 12),
        (["--lead", "ESDC"], 13),
        (["--lead", "TFWP"], 9),
        (["--status", "in_progress"], 6),
        (["--new"], 8),
        (["--task", "3.11"], 6),
        ([], 72),
    ],
)
def test_issue_counts(runner, structured_dir, options, expected):
    assert count(runner, structured_dir, *options) == expected


def test_lead_is_case_insensitive_and_cic_finds_ircc(runner, structured_dir, report_2014):
    ircc = sum(
        any(lead.department == "IRCC" for lead in item.leads)
        for *_, item in report_2014.deliverables()
    )
    assert ircc > 0
    assert count(runner, structured_dir, "--lead", "cic") == ircc
    assert count(runner, structured_dir, "--lead", "IRCC") == ircc
    assert count(runner, structured_dir, "--lead", "cbsa") == 12


def test_every_filter_through_the_cli(runner, structured_dir):
    records = load_corpus([structured_dir]).records("deliverables")
    cases = {
        ("--pillar", "protection"): [r for r in records if r["pillar"] == "protection"],
        ("--year", "2014-15"): records,
        ("--start", "2013/14"): [r for r in records if r["start"] == "2013-14"],
        ("--grep", "TRAINING"): [
            r for r in records if "training" in (r["text"] + " ".join(r["items"])).lower()
        ],
        ("--lead", "RCMP", "--status", "ongoing", "--pillar", "prosecution"): [
            r
            for r in records
            if any(label.startswith("RCMP") for label in r["leads"])
            and r["status"] == "ongoing"
            and r["pillar"] == "prosecution"
        ],
    }
    for options, expected in cases.items():
        assert expected, options
        result = query(runner, "deliverables", str(structured_dir), *options, "--format", "json")
        assert result.exit_code == 0, result.output
        assert [r["id"] for r in json.loads(result.stdout)] == [r["id"] for r in expected], options


def test_json_equals_the_library_result(runner, structured_dir):
    result = query(
        runner, "deliverables", str(structured_dir), "--lead", "RCMP", "--format", "json"
    )
    assert result.exit_code == 0
    library = run(
        load_corpus([structured_dir]).records("deliverables"),
        "deliverables",
        Filters.parse(lead=["RCMP"]),
    )
    assert json.loads(result.stdout) == library
    assert list(library[0]) == list(DELIVERABLE_FIELDS)


def test_jsonl_and_yaml_carry_the_same_records(runner, structured_dir):
    as_json = json.loads(
        query(runner, "deliverables", str(structured_dir), "--task", "3.11", "-F", "json").stdout
    )
    jsonl = query(
        runner, "deliverables", str(structured_dir), "--task", "3.11", "-F", "jsonl"
    ).stdout
    assert [json.loads(line) for line in jsonl.splitlines()] == as_json
    as_yaml = query(
        runner, "deliverables", str(structured_dir), "--task", "3.11", "-F", "yaml"
    ).stdout
    assert yaml.safe_load(as_yaml) == as_json


def test_csv_round_trips(runner, structured_dir):
    result = query(runner, "deliverables", str(structured_dir), "--lead", "ESDC", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = run(
        load_corpus([structured_dir]).records("deliverables"),
        "deliverables",
        Filters.parse(lead=["ESDC"]),
    )
    assert rows == [
        {name: csv_value(value) for name, value in record.items()} for record in expected
    ]
    multi = [row for row in rows if "; " in row["leads"]]
    assert multi, "some ESDC deliverables have several leads, joined with '; '"


def test_fields_and_sort(runner, structured_dir):
    result = query(
        runner,
        "deliverables",
        str(structured_dir),
        "--task",
        "3.11",
        "--fields",
        "id,status",
        "--sort",
        "-id",
        "-F",
        "csv",
    )
    assert result.stdout.splitlines() == [
        "id,status",
        *[f"{r['id']},{r['status']}" for r in reversed(_task_311(structured_dir))],
    ]


def _task_311(structured_dir):
    return [r for r in load_corpus([structured_dir]).records("deliverables") if r["task"] == "3.11"]


def test_plain_table_when_piped(runner, structured_dir):
    result = query(runner, "deliverables", str(structured_dir), "--task", "3.11")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == list(TABLE_FIELDS["deliverables"])
    assert len(lines) == 7 and "│" not in result.stdout and "\x1b[" not in result.stdout
    text_column = lines[0].index("text")
    for line, record in zip(lines[1:], _task_311(structured_dir), strict=True):
        assert line[text_column:] == record["text"]  # aligned, and the text is never cut


def test_rich_table_on_a_terminal_honours_no_color(structured_dir):
    from rich.console import Console

    records = _task_311(structured_dir)
    for no_color, colours in ((True, False), (False, True)):
        buffer = io.StringIO()
        console = Console(
            file=buffer, force_terminal=True, width=120, no_color=no_color, color_system="standard"
        )
        print_records(records, "deliverables", "table", buffer, console=console)
        out = buffer.getvalue()
        assert "┃" in out and "3.11.6" in out
        assert (
            bool(re.search(r"\x1b\[(?:\d+;)*3[0-7]m", out)) is colours
        )  # status colours unless NO_COLOR


def test_statistics_and_achievements_commands(runner, structured_dir, report_2014):
    stats = query(runner, "statistics", str(structured_dir), "-F", "json")
    assert stats.exit_code == 0
    assert len(json.loads(stats.stdout)) == len(report_2014.statistics)
    wins = query(runner, "achievements", str(structured_dir), "--count")
    assert int(wins.stdout) == len(report_2014.achievements)
    if report_2014.statistics:
        section = report_2014.statistics[0].section.value
        expected = sum(s.section.value == section for s in report_2014.statistics)
        result = query(runner, "statistics", str(structured_dir), "--section", section, "--count")
        assert int(result.stdout) == expected
    refused = query(runner, "statistics", str(structured_dir), "--status", "ongoing")
    assert refused.exit_code == 2  # not an option of this command


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--lead", "XYZ"],
            "error: --lead: unknown lead 'XYZ'; valid values: PS, RCMP, HTNCC, CBSA, IRCC",
        ),
        (
            ["--status", "done-ish"],
            "error: --status: unknown status 'done-ish'; "
            "valid values: ongoing, in_progress, completed",
        ),
        (
            ["--fields", "id,colour"],
            "error: --fields: unknown field 'colour' for deliverables; valid fields: report, id",
        ),
    ],
)
def test_unknown_values_one_line_exit_2(runner, structured_dir, options, message):
    result = query(runner, "deliverables", str(structured_dir), *options)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_directory_without_structured_files(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = query(runner, "deliverables", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: no structured files (*.yaml, *.yml, *.json) here\n"


def test_corrupt_file_in_a_corpus_then_skip_invalid(runner, structured_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(structured_dir / "2014-2015.yaml", corpus / "2014-2015.yaml")
    bad = corpus / "2015-2016.yaml"
    bad.write_text("schema_version: '1.0'\nsource:\n  file: x\n  sha256: [\n", "utf-8")
    result = query(runner, "deliverables", str(corpus), "--lead", "CBSA", "--count")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {bad}:") and "invalid YAML" in result.stderr
    assert "Traceback" not in result.output
    skipped = query(
        runner, "deliverables", str(corpus), "--lead", "CBSA", "--count", "--skip-invalid"
    )
    assert skipped.exit_code == 1
    assert skipped.stdout == "12\n"
    assert skipped.stderr.startswith(f"warning: skipped {bad}:")
    assert skipped.stderr.endswith("error: 1 file(s) skipped as invalid\n")


def test_query_sees_an_edit(runner, structured_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "2014-2015.yaml"
    shutil.copy(structured_dir / "2014-2015.yaml", path)
    assert count(runner, corpus, "--new") == 8
    path.write_text(path.read_text("utf-8").replace("new: true", "new: false", 1), "utf-8")
    assert count(runner, corpus, "--new") == 7
    assert count(runner, corpus, "--new", "--no-cache") == 7


def test_default_path_is_data_structured(runner, monkeypatch):
    if not (STRUCTURED_DIR / "2014-2015.yaml").exists():
        pytest.skip("data/structured/ not generated yet")
    monkeypatch.chdir(ROOT)
    explicit = query(runner, "deliverables", str(STRUCTURED_DIR), "--format", "json")
    default = query(runner, "deliverables", "--format", "json")
    assert default.exit_code == 0
    assert default.stdout == explicit.stdout
    assert any(r["report"] == "2014-2015" for r in json.loads(default.stdout))


def test_statistics_unit_min_max(runner, structured_dir, report_2014):
    result = query(
        runner,
        "statistics",
        str(structured_dir),
        "--unit",
        "cad",
        "--min",
        "1000000",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    expected = [s.raw for s in report_2014.statistics if s.unit == "CAD" and s.value >= 1_000_000]
    assert [record["raw"] for record in json.loads(result.stdout)] == expected
    assert "$57.22 million" not in expected  # that page is not in this corpus
    assert len(expected) >= 4
    between = [s for s in report_2014.statistics if 100 <= s.value <= 300]
    counted = query(
        runner, "statistics", str(structured_dir), "--min", "100", "--max", "300", "--count"
    )
    assert int(counted.stdout) == len(between) > 0
    refused = query(runner, "deliverables", str(structured_dir), "--unit", "CAD")
    assert refused.exit_code == 2
