"""Every error is one line (issue 20): option-parsing errors, control characters in paths and
values, text that decodes into lone surrogates; and `--jobs` is capped by files and cores."""

from __future__ import annotations

import concurrent.futures
import os

import pytest

from htreport.cli import app
from htreport.settings import worker_count

from .conftest import RAW_DIR, STRUCTURED_DIR


@pytest.mark.parametrize(
    "args",
    [
        ["query", "deliverables", "--bogus"],  # an unknown option
        ["extract", "--jobs", "abc", "x.txt"],  # a value of the wrong type
        ["extract", "--jobs", "0", "x.txt"],  # below the minimum
        ["nosuch"],  # an unknown command
        ["validate", "--format", "xx"],  # an unknown choice
        ["diff", str(STRUCTURED_DIR / "2014-2015.yaml")],  # a missing argument
        ["query", "deliverables", "--lead"],  # an option without its value
    ],
    ids=["option", "type", "minimum", "command", "choice", "argument", "value"],
)
def test_an_option_parsing_error_is_one_error_line_and_exit_2(runner, args) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Usage:" not in result.stderr and "╭" not in result.stderr


def test_a_command_without_arguments_still_shows_its_help(runner) -> None:
    result = runner.invoke(app, ["query"])
    assert "Usage:" in result.output and "deliverables" in result.output


@pytest.mark.parametrize("name", ["a\nb.txt", "x\x1b[31mred.txt", "bidi\u202etxt.exe", "nul\x7f"])
def test_control_characters_in_a_path_are_escaped_in_the_error(runner, tmp_path, name) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / name)])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in line)
    assert repr(name)[1:-1] in line  # shown escaped, so it can still be read


def test_control_characters_in_a_value_are_escaped_in_validate_output(runner, tmp_path) -> None:
    text = (STRUCTURED_DIR / "2014-2015.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "2014-2015.yaml"
    bad.write_text(
        text.replace("status: ongoing", 'status: "on\\e[2J\\ngoing"', 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    problem = [line for line in result.stdout.splitlines() if "status" in line]
    assert problem and "\\x1b[2J\\ngoing" in problem[0]
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("unicode_escape", b"The \\ud800 line.\n"), ("utf-7", b"The +2AA- line.\n")],
)
def test_an_encoding_that_decodes_into_a_lone_surrogate_is_refused(
    runner, tmp_path, encoding, body
) -> None:
    source = tmp_path / "r.txt"
    source.write_bytes(b"National Action Plan\n" + body)
    result = runner.invoke(app, ["extract", str(source), "--encoding", encoding])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line == (
        f"error: {source}:2:5: decoding as {encoding} gives a lone surrogate \\ud800, which is "
        "not text; check --encoding"
    )


def test_workers_are_capped_by_files_and_cores() -> None:
    cores = os.cpu_count() or 1
    assert worker_count(99_999, 5) == min(5, cores)
    assert worker_count(None, 1_000) == cores
    assert worker_count(2, 1) == 1
    assert worker_count(100_000, 0) == 1


def test_jobs_100000_starts_no_more_workers_than_files_and_cores(
    runner, tmp_path, monkeypatch
) -> None:
    started: list[int] = []

    class Recording(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs) -> None:
            started.append(max_workers or 0)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    sources = sorted(RAW_DIR.glob("*.txt"))
    result = runner.invoke(
        app, ["extract", str(RAW_DIR), "-o", str(tmp_path / "out"), "--jobs", "100000", "-q"]
    )
    assert result.exit_code in (0, 1), result.output
    if (os.cpu_count() or 1) > 1:
        assert started  # the directory was extracted in workers
    assert all(count <= min(len(sources), os.cpu_count() or 1) for count in started)
