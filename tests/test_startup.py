"""Start-up stays light: a command imports only what it uses (docs/performance.md).

Each check runs the command in a fresh interpreter and lists the heavy modules it loaded;
the time itself is measured by benchmarks/bench_scale.py, never here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT_REPORT = ROOT / "data" / "raw" / "nap-2014-2015-annual-report.txt"

PROBE = """
import contextlib, io, sys
sys.argv = ["htreport", *{args!r}]
import htreport.cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        htreport.cli.main()
    except SystemExit:
        pass
print(sorted(set({modules!r}) & set(sys.modules)))
"""


def loaded(args: list[str], modules: set[str]) -> list[str]:
    code = PROBE.format(args=args, modules=sorted(modules))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's list


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_imports_neither_pydantic_nor_the_models_nor_yaml(args):
    heavy = {"pydantic", "yaml", "rich", "htreport.model.report", "htreport.pipeline", "re2"}
    assert loaded(args, heavy) == []


def test_extracting_a_text_report_loads_no_pdf_html_or_fuzzy_matching_library():
    others = {
        "pdfplumber",
        "pdfminer",
        "pypdfium2",
        "htreport.readers.pdf",
        "bs4",
        "markdown_it",
        "rich",
        "rapidfuzz",
        "re2",
    }
    found = loaded(["extract", str(TEXT_REPORT), "--quiet", "--format", "json"], others)
    assert found == []


def test_extracting_a_directory_of_text_reports_builds_no_models(tmp_path):
    """The report's data is checked against the schema; the models (pydantic) are built only
    where that check cannot vouch for it (`pipeline.report_data`)."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "report.txt").write_bytes(TEXT_REPORT.read_bytes())
    args = ["extract", str(source), "-o", str(tmp_path / "out"), "--quiet", "--format", "json"]
    assert loaded(args, {"pydantic", "htreport.model.report"}) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["2014-2015.json"]


def test_an_export_without_links_loads_no_scoring_library(tmp_path):
    args = ["export", str(ROOT / "data" / "structured"), "--sqlite", str(tmp_path / "x.sqlite")]
    scoring = {"sklearn", "scipy", "rapidfuzz", "htreport.analysis.links"}
    assert loaded([*args, "--no-links"], scoring) == []
    assert loaded([*args, "--force"], scoring) == sorted(scoring)
