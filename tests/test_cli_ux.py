"""What a person sees: narrow terminals, pipes, output formats, stdin, suggestions, the API."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

import htreport
from htreport.cli import app

from .conftest import RAW_REPORT, ROOT, STRUCTURED_DIR

STRUCTURED = STRUCTURED_DIR / "2014-2015.yaml"


def _console(width: int) -> tuple[Console, object]:
    from io import StringIO

    buffer = StringIO()
    return Console(file=buffer, width=width, no_color=True, highlight=False), buffer


def _squash(text: str) -> str:
    """The printed words with the table borders and line breaks taken out."""
    return " ".join(re.sub(r"[│┃║|]", " ", text).split())


@pytest.mark.parametrize("width", [60, 80, 120])
def test_deliverable_text_and_values_appear_whole(width):
    from htreport.render.query import TABLE_FIELDS, print_records

    records = htreport.load_corpus(STRUCTURED).records("deliverables")
    console, buffer = _console(width)
    print_records(records, "deliverables", "table", sys.stdout, console=console)
    out = buffer.getvalue()
    assert max(len(line) for line in out.splitlines()) <= width
    squashed = _squash(out)
    for record in records:
        assert " ".join(record["text"].split()) in squashed
        for name in TABLE_FIELDS["deliverables"]:
            value = record[name]
            shown = "; ".join(value) if isinstance(value, list) else str(value).lower()
            assert shown.lower() in squashed.lower(), (name, shown)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_statistics_values_are_never_cropped(width):
    from htreport.model.records import csv_value
    from htreport.render.query import TABLE_FIELDS, print_records

    records = htreport.load_corpus(STRUCTURED).records("statistics")
    console, buffer = _console(width)
    print_records(records, "statistics", "table", sys.stdout, console=console)
    lines = buffer.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    squashed = _squash(buffer.getvalue())
    for record in records:
        for name in TABLE_FIELDS["statistics"]:
            assert " ".join(csv_value(record[name]).split()) in squashed, (name, record[name])


@pytest.mark.parametrize("width", [60, 80, 120])
def test_validate_messages_appear_whole(width, tmp_path, monkeypatch):
    from htreport.render import validate as view
    from htreport.store.validate import validate_paths

    bad = tmp_path / "2014-2015.yaml"
    bad.write_text(STRUCTURED.read_text("utf-8").replace("status: ongoing", "status: done", 2))
    run = validate_paths([bad], raw_dir=tmp_path)
    console, buffer = _console(width)
    monkeypatch.setattr(view, "stdout", lambda: console)
    view.table(run)
    out = buffer.getvalue()
    assert max(len(line) for line in out.splitlines()) <= width
    squashed = _squash(out)
    assert run.issues
    for issue in run.issues:
        assert " ".join(issue.message.split()) in squashed
        assert issue.location() in out.replace("\n", "").replace(" ", "")


# -- output format from the suffix -----------------------------------------------------------


def test_extract_json_suffix_writes_json_that_validates(runner, tmp_path):
    target = tmp_path / "x.json"
    result = runner.invoke(app, ["extract", str(RAW_REPORT), "-q", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text("utf-8"))["metadata"]["fiscal_year"] == "2014-2015"
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0


def test_extract_format_overrides_an_unknown_suffix_and_conflicts_are_errors(runner, tmp_path):
    target = tmp_path / "x.txt"
    ok = runner.invoke(app, ["extract", str(RAW_REPORT), "-q", "-F", "json", "-o", str(target)])
    assert ok.exit_code == 0
    assert target.read_text("utf-8").startswith("{")
    clash = runner.invoke(app, ["extract", str(RAW_REPORT), "-q", "-F", "yaml", "-o", "x.json"])
    assert clash.exit_code == 2
    assert "--format yaml does not match the suffix '.json'" in clash.stderr
    assert not Path("x.json").exists()


# -- pipes --------------------------------------------------------------------------------------


BOX = re.compile("[┏┃━│└┡]")


@pytest.mark.parametrize(
    "words",
    [
        ["summary", str(STRUCTURED_DIR)],
        ["diff", str(RAW_REPORT), str(STRUCTURED)],
        ["history", "3.11.2", "--data", str(STRUCTURED_DIR)],
        ["query", "deliverables", str(STRUCTURED_DIR)],
        ["validate", str(STRUCTURED_DIR)],
    ],
    ids=lambda w: w[0],
)
def test_piped_output_is_plain_text(runner, words):
    result = runner.invoke(app, words)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() or result.stderr.strip()
    assert not BOX.search(result.stdout)


def test_piped_summary_lists_each_table_as_aligned_columns(runner):
    out = runner.invoke(app, ["summary", str(STRUCTURED)]).stdout
    assert out.splitlines()[0] == (
        "1 report(s): 72 deliverables (8 new), 61 statistics, 19 achievements"
    )
    assert "\nDeliverables by pillar and status\npillar " in out


def _bin_env() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


@pytest.mark.parametrize(
    "command",
    [
        f"htreport extract {RAW_REPORT} -q | head -1",
        f"htreport query deliverables {STRUCTURED_DIR} -F yaml | head -1",
        "htreport schema | head -1",
    ],
)
def test_a_closed_pipe_exits_0_silently(command):
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        env=_bin_env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 1


# -- directory extract ------------------------------------------------------------------------


@pytest.fixture
def six_reports(tmp_path) -> Path:
    source = tmp_path / "in"
    source.mkdir()
    text = RAW_REPORT.read_text("utf-8")
    for number in range(6):
        (source / f"r{number}.txt").write_text(
            text.replace("2014-2015", f"{2014 + number}-{2015 + number}")
        )
    return source


def test_interrupted_directory_extract_keeps_what_was_done(
    runner, tmp_path, six_reports, monkeypatch
):
    from htreport.pipeline import batch

    real = batch.extract_many

    def interrupted(paths, **options):
        for number, outcome in enumerate(real(paths, **options)):
            if number == 2:
                raise KeyboardInterrupt
            yield outcome

    monkeypatch.setattr(batch, "extract_many", interrupted)
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(six_reports), "-o", str(out), "-q"])
    assert result.exit_code == 130
    assert len(list(out.iterdir())) == 2


def test_directory_extract_says_when_nothing_was_written(runner, tmp_path, six_reports):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(six_reports), "-o", str(out), "-q"]).exit_code == 0
    again = runner.invoke(app, ["extract", str(six_reports), "-o", str(out), "-q"])
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1] == "error: 6 of 6 file(s) failed; none written"
    assert "the others were written" not in again.stderr


def test_reports_of_one_year_are_named_by_their_sources(runner, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a", "b"):
        shutil.copy(RAW_REPORT, source / f"{name}.txt")
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(source), "-o", str(out), "-q"]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["2014-2015--a.yaml", "2014-2015--b.yaml"]


# -- stdin ------------------------------------------------------------------------------------


def test_validate_and_query_read_stdin(runner):
    text = STRUCTURED.read_text("utf-8")
    valid = runner.invoke(app, ["validate", "-"], input=text)
    assert valid.exit_code == 0
    assert valid.stderr == "1 file checked: 1 valid\n"
    broken = runner.invoke(
        app, ["validate", "-"], input=text.replace("status: ongoing", "status: x", 1)
    )
    assert broken.exit_code == 1
    assert broken.stdout.startswith("<stdin>:")
    counted = runner.invoke(app, ["query", "deliverables", "-", "--count"], input=text)
    assert counted.exit_code == 0
    assert counted.stdout == "72\n"


# -- suggestions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        (["deliverables", "--status", "complete"], "did you mean 'completed'?"),
        (["deliverables", "--lead", "RCPM"], "did you mean 'RCMP'?"),
        (["deliverables", "--pillar", "protect"], "did you mean 'protection'?"),
        (["statistics", "--unit", "dollars"], "did you mean 'CAD'?"),
        (["statistics", "--unit", "percnt"], "did you mean 'percent'?"),
        (["statistics", "--section", "forword"], "did you mean 'foreword'?"),
    ],
)
def test_bad_filter_values_get_a_suggestion(runner, words, hint):
    result = runner.invoke(app, ["query", words[0], str(STRUCTURED), *words[1:]])
    assert result.exit_code == 2
    assert hint in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_known_unit_in_any_case_matches(runner):
    result = runner.invoke(app, ["query", "statistics", str(STRUCTURED), "--unit", "cad", "-c"])
    assert result.exit_code == 0
    assert int(result.stdout) > 0


def test_errors_do_not_speak_pydantic():
    from htreport.errors import plain_message

    assert (
        plain_message(
            {
                "type": "greater_than_equal",
                "ctx": {"ge": 1},
                "msg": "Input should be greater than or equal to 1",
            }
        )
        == "must be at least 1"
    )
    assert (
        plain_message(
            {
                "type": "value_error",
                "ctx": {"error": ValueError("bad key")},
                "msg": "Value error, bad key",
            }
        )
        == "bad key"
    )


def test_a_schema_bound_is_reported_in_plain_words(tmp_path):
    from htreport.store.validate import validate_text

    text = STRUCTURED.read_text("utf-8").replace("line: 27", "line: twenty", 1)
    report = validate_text(text, file="x.yaml")
    messages = " ".join(issue.message for issue in report.issues)
    assert "Input should" not in messages and "Value error" not in messages
    assert "must be a whole number, got 'twenty'" in messages


# -- consistency ------------------------------------------------------------------------------


def test_version_short_flag(runner):
    assert runner.invoke(app, ["-V"]).stdout == f"htreport {htreport.__version__}\n"


def test_completion_is_offered(runner):
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


@pytest.mark.parametrize(
    "words",
    [
        ["extract", "-h"],
        ["validate", "-h"],
        ["diff", "-h"],
        ["history", "-h"],
        ["summary", "-h"],
        ["query", "deliverables", "-h"],
    ],
)
def test_every_format_option_has_F_and_shared_names(runner, words):
    text = runner.invoke(app, words).stdout
    names = re.search(r"-F, --format (\S+)", text).group(1).split("|")
    assert set(names) <= {"table", "json", "jsonl", "csv", "yaml", "markdown", "github"}


@pytest.mark.parametrize("old", ["rich", "auto", "text"])
def test_old_format_names_still_work(runner, old):
    command = ["validate", str(STRUCTURED)] if old != "rich" else ["summary", str(STRUCTURED)]
    assert runner.invoke(app, [*command, "--format", old]).exit_code == 0


# -- the library --------------------------------------------------------------------------------


def test_public_api_takes_str_and_pathlike(tmp_path):
    assert len(htreport.load_corpus(str(STRUCTURED_DIR)).entries) >= 1
    assert len(htreport.load_corpus([str(STRUCTURED)]).entries) == 1
    assert htreport.validate(str(STRUCTURED)).ok
    assert htreport.validate_file(str(STRUCTURED)).ok
    report = htreport.load(str(STRUCTURED))
    htreport.dump(report, str(tmp_path / "r.yaml"))
    assert len(htreport.extract(str(RAW_REPORT)).deliverables()) == 72


def test_dir_lists_the_public_names_and_submodules_load_lazily():
    names = dir(htreport)
    for name in ("extract", "load_corpus", "validate", "query", "diff", "history"):
        assert name in names
    assert "TYPE_CHECKING" not in names
    assert callable(htreport.query.run)


def test_library_errors_speak_python_the_cli_speaks_options(runner, tmp_path):
    target = tmp_path / "r.yaml"
    report = htreport.load(STRUCTURED)
    htreport.dump(report, target)
    with pytest.raises(htreport.HtreportError, match=r"pass force=True to overwrite"):
        htreport.dump(report, target)
    again = runner.invoke(app, ["extract", str(RAW_REPORT), "-q", "-o", str(target)])
    assert "pass --force to overwrite" in again.stderr


def test_missing_default_directory_says_to_name_a_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for words in (["query", "deliverables"], ["validate"], ["summary"]):
        result = runner.invoke(app, words)
        assert result.exit_code == 2
        assert "name the data files or directories to read" in result.stderr, words
    assert ROOT.exists()
