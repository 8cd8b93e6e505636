"""`htreport extract` through the CLI: outputs, overwriting, bad input, exit codes."""

from __future__ import annotations

import json

import pytest

import htreport
import htreport.store.io
from htreport.cli import app

from .conftest import RAW_DIR, RAW_REPORT


def invoke(runner, *args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def test_extract_to_stdout_is_the_library_result(runner, report_2014):
    result = invoke(runner, "extract", RAW_REPORT, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == htreport.dumps(report_2014)
    assert result.stdout.startswith("# yaml-language-server: $schema=")


def test_extract_json_format(runner, report_2014):
    result = invoke(runner, "extract", RAW_REPORT, "--format", "json", catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data.pop("$schema").endswith("report.schema.json")
    assert data == htreport.store.io.to_data(report_2014)


def test_output_is_deterministic(runner, tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert invoke(runner, "extract", RAW_REPORT, "-o", first).exit_code == 0
    assert invoke(runner, "extract", RAW_REPORT, "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert htreport.load(first) == htreport.extract(RAW_REPORT)


def test_output_directory_names_files_by_fiscal_year(runner, tmp_path):
    result = invoke(runner, "extract", RAW_DIR, "-o", tmp_path, catch_exceptions=False)
    assert result.exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "2014-2015.yaml" in names
    assert "ps-national-strategy-2019.yaml" in names  # no fiscal year: named by source
    assert len(names) == len(list(RAW_DIR.iterdir()))
    assert "[no-annex]" in result.stderr


def test_refuses_to_overwrite_without_force(runner, tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("precious\n")
    result = invoke(runner, "extract", RAW_REPORT, "-o", target)
    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: exists; pass --force to overwrite\n"
    assert target.read_text() == "precious\n"
    assert invoke(runner, "extract", RAW_REPORT, "-o", target, "--force").exit_code == 0
    assert htreport.load(target).metadata.fiscal_year == "2014-2015"


def test_stdin(runner, report_2014):
    result = invoke(runner, "extract", "-", input=RAW_REPORT.read_bytes(), catch_exceptions=False)
    assert result.exit_code == 0
    assert htreport.loads(result.stdout).deliverables() == report_2014.deliverables()


def test_warnings_go_to_stderr_with_line_numbers_and_into_the_output(runner, tmp_path):
    source = tmp_path / "odd.txt"
    source.write_text(
        "ANNEX A\n\nPREVENTION\n\nObjective 1.1: Prevent.\n\nTask\tDeliverable\tTimeline\tStatus\tLead\n"
        "1.11 Task.\tDo it.\tStart: 2012/13\tOngoing\tMinistry of Magic\n"
    )
    result = invoke(runner, "extract", source)
    assert result.exit_code == 0
    assert (
        f"warning: {source}:8: [unresolved-lead] 1.11.1: lead 'Ministry of Magic' is not in the department registry"
        in result.stderr
    )
    report = htreport.loads(result.stdout)
    assert [(w.code, w.line) for w in report.warnings if w.code != "missing-metadata"] == [
        ("unresolved-lead", 8)
    ]
    assert report.deliverables()[0][3].raw.lead == "Ministry of Magic"


BAD_INPUTS = {
    "empty": (b"", "file is empty"),
    "blank": (b"\n\n  \n", "file is empty"),
    "binary": (
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" * 20,
        "looks like a binary file, not report text or PDF",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(runner, tmp_path, case):
    data, message = BAD_INPUTS[case]
    source = tmp_path / f"{case}.txt"
    source.write_bytes(data)
    target = tmp_path / "out.yaml"
    result = invoke(runner, "extract", source, "-o", target)
    assert result.exit_code == 2
    assert result.stderr == f"error: {source}: {message}\n"
    assert not target.exists()


def test_missing_path(runner, tmp_path):
    result = invoke(runner, "extract", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.txt'}: no such file\n"


def test_cp1252_with_crlf_is_refused_then_read_with_encoding(runner, tmp_path, report_2014):
    source = tmp_path / "windows.txt"
    source.write_bytes(
        RAW_REPORT.read_text("utf-8").replace("\n", "\r\n").encode("cp1252", errors="replace")
    )
    target = tmp_path / "out.yaml"
    target.write_text("keep\n")
    result = invoke(runner, "extract", source, "-o", target, "--force")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {source}:11: not valid UTF-8 (byte 0xc9 at offset 352); "
        "if it is Windows text, pass --encoding cp1252\n"
    )
    assert target.read_text() == "keep\n"  # not clobbered
    result = invoke(runner, "extract", source, "--encoding", "cp1252", "-o", target, "--force")
    assert result.exit_code == 0, result.stderr
    assert htreport.load(target).deliverables() == report_2014.deliverables()


def test_report_without_annex_keeps_metadata_and_warns(runner, tmp_path):
    text = RAW_REPORT.read_text("utf-8").split("ANNEX A")[0]
    source = tmp_path / "no-annex.txt"
    source.write_text(text)
    result = invoke(runner, "extract", source)
    assert result.exit_code == 0
    assert f"warning: {source}: [no-annex] no Annex A action items chart found\n" in result.stderr
    report = htreport.loads(result.stdout)
    assert report.annex is None and report.metadata.fiscal_year == "2014-2015"


def test_directory_with_a_bad_file_writes_the_others_and_exits_1(runner, tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    (sources / "good.txt").write_bytes(RAW_REPORT.read_bytes())
    (sources / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = invoke(runner, "extract", sources, "-o", out)
    assert result.exit_code == 1
    assert f"error: {sources / 'empty.txt'}: file is empty\n" in result.stderr
    assert "1 of 2 file(s) failed" in result.stderr
    assert [p.name for p in out.iterdir()] == ["2014-2015.yaml"]


def test_directory_needs_output(runner):
    result = invoke(runner, "extract", RAW_DIR)
    assert result.exit_code == 2
    assert result.stderr == "error: extracting a directory needs --output DIR\n"


def test_version_and_module_entry_point():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "htreport", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout == f"htreport {htreport.__version__}\n"


def test_output_with_trailing_slash_is_a_new_directory(runner, tmp_path):
    target = tmp_path / "new"
    result = invoke(runner, "extract", RAW_REPORT, "-o", f"{target}/", catch_exceptions=False)
    assert result.exit_code == 0
    assert [p.name for p in target.iterdir()] == ["2014-2015.yaml"]
