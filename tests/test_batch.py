"""`htreport extract DIR -o OUTDIR`: good files written, bad PDFs reported and skipped, exit 1."""

from __future__ import annotations

import shutil

import pytest

import htreport
from htreport.cli import app
from htreport.pipeline.batch import extract_many

from .conftest import HERE, PDF_REPORT, RAW_REPORT

PDF_DIR = HERE / "fixtures" / "pdf"


@pytest.fixture
def mixed_dir(tmp_path):
    """Two good copies of the 2014-2015 report (text and PDF), a PDF that is not a report, and
    two bad PDFs."""
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(RAW_REPORT, source / "a-text.txt")
    shutil.copy(PDF_REPORT, source / "b-report.pdf")
    for name in ("encrypted.pdf", "not-a-report.pdf", "truncated.pdf"):
        shutil.copy(PDF_DIR / name, source / name)
    return source


def _run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_files_are_reported_and_skipped_the_others_written(runner, tmp_path, mixed_dir, jobs):
    out = tmp_path / "out"
    result = _run(runner, "extract", mixed_dir, "-o", out, "--jobs", jobs, "--quiet")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {mixed_dir / 'encrypted.pdf'}: PDF is encrypted (password-protected); decrypt it first (e.g. qpdf --decrypt)",
        f"error: {mixed_dir / 'truncated.pdf'}: PDF is truncated (no %%EOF at its end)",
        "error: 2 of 5 file(s) failed; 3 written",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "2014-2015--a-text.yaml",
        "2014-2015--b-report.yaml",
        "not-a-report.yaml",
    ]
    from_text = htreport.load(out / "2014-2015--a-text.yaml")
    from_pdf = htreport.load(out / "2014-2015--b-report.yaml")
    assert from_text.source.format == "text" and from_pdf.source.format == "pdf"
    assert [d.id for *_, d in from_pdf.deliverables()] == [
        d.id for *_, d in from_text.deliverables()
    ]
    assert htreport.load(out / "not-a-report.yaml").annex is None


def test_parallel_and_serial_runs_write_the_same_files(runner, tmp_path, mixed_dir):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    first = _run(runner, "extract", mixed_dir, "-o", serial, "-j", "1")
    second = _run(runner, "extract", mixed_dir, "-o", parallel, "-j", "3")
    assert first.exit_code == second.exit_code == 1
    assert first.stderr == second.stderr
    for path in serial.iterdir():
        assert (parallel / path.name).read_bytes() == path.read_bytes()


def test_existing_outputs_are_kept_without_force(runner, tmp_path, mixed_dir):
    out = tmp_path / "out"
    out.mkdir()
    (out / "not-a-report.yaml").write_text("precious\n")
    result = _run(runner, "extract", mixed_dir, "-o", out, "-q")
    assert result.exit_code == 1
    assert f"error: {out / 'not-a-report.yaml'}: exists; pass --force to overwrite" in result.stderr
    assert "error: 3 of 5 file(s) failed; 2 written" in result.stderr
    assert (out / "not-a-report.yaml").read_text() == "precious\n"
    assert (out / "2014-2015--b-report.yaml").exists()


def test_all_good_files_exit_0(runner, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(PDF_REPORT, source / "report.pdf")
    shutil.copy(PDF_DIR / "not-a-report.pdf", source / "minutes.pdf")
    result = _run(runner, "extract", source, "-o", tmp_path / "out", "-j", "2", "-q")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2014-2015.yaml",
        "minutes.yaml",
    ]


def test_an_unexpected_failure_on_one_file_does_not_stop_the_batch(
    monkeypatch, tmp_path, mixed_dir
):
    from htreport.pipeline import batch

    real = batch.extract

    def flaky(path, **kwargs):
        if path.name == "a-text.txt":
            raise RuntimeError("boom")
        return real(path, **kwargs)

    monkeypatch.setattr(batch, "extract", flaky)
    outcomes = list(extract_many(sorted(mixed_dir.iterdir())))
    assert [o.path.name for o in outcomes] == sorted(p.name for p in mixed_dir.iterdir())
    failed = {o.path.name: str(o.error) for o in outcomes if o.error}
    assert (
        failed["a-text.txt"]
        == f"{mixed_dir / 'a-text.txt'}: unexpected error (RuntimeError: boom); please report this bug"
    )
    assert sum(o.report is not None for o in outcomes) == 2


DOCUMENTS = HERE / "fixtures" / "documents"


def test_documents_of_one_year_never_share_a_name(runner, tmp_path):
    """A news release about the 2013-2014 report is named with its type, beside the report."""
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(DOCUMENTS / "annual-report-2013-2014-capture.txt", source / "report.txt")
    shutil.copy(DOCUMENTS / "news-release-2014.txt", source / "release.txt")
    shutil.copy(DOCUMENTS / "national-strategy-report-2021-2023.txt", source / "ns-2021-2023.txt")
    shutil.copy(DOCUMENTS / "evaluation-2016-2017.txt", source / "evaluation.txt")
    result = _run(runner, "extract", source, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2013-2014--news-release.yaml",
        "2013-2014.yaml",
        "2016-2017--evaluation.yaml",
        "ns-2021-2023.yaml",  # two fiscal years: no one year to name it by
    ]
    assert htreport.load(tmp_path / "out" / "2013-2014--news-release.yaml").metadata.edition is None
    validated = _run(runner, "validate", tmp_path / "out")
    assert validated.exit_code == 0, validated.output


def test_a_name_clash_is_an_error_before_anything_is_written(runner, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(RAW_REPORT, source / "report.txt")
    shutil.copy(PDF_REPORT, source / "report.pdf")
    shutil.copy(PDF_DIR / "not-a-report.pdf", source / "minutes.pdf")
    out = tmp_path / "out"
    result = _run(runner, "extract", source, "-o", out, "-q")
    assert result.exit_code == 2
    # sources that share a stem could only share an output name: refused before extracting
    assert result.stderr.splitlines() == [
        f"error: {source / 'report.txt'}: report.pdf and report.txt would get the same output "
        "name; rename one of the sources or extract them apart"
    ]
    assert not out.exists() or not any(out.iterdir())


def test_names_told_apart_by_stem_when_reports_share_a_year():
    import htreport
    from htreport.pipeline.batch import output_names

    report = htreport.extract(RAW_REPORT)
    other = report.model_copy(deep=True)
    other.source.file = "copy.txt"
    assert output_names([report, other], ".yaml") == [
        "2014-2015--nap-2014-2015-annual-report.yaml",
        "2014-2015--copy.yaml",
    ]


@pytest.mark.parametrize(("fmt", "jobs"), [("yaml", "1"), ("json", "2")])
def test_a_directory_is_written_as_each_file_is_alone(runner, tmp_path, fmt, jobs):
    """`extract DIR` writes, for each source, the bytes `extract FILE` writes."""
    source = tmp_path / "in"
    source.mkdir()
    sources = [RAW_REPORT, PDF_REPORT, *sorted(DOCUMENTS.glob("*.txt"))[:4]]
    sources += [HERE / "fixtures" / "formats" / name for name in ("nap-2014-2015.html",)]
    for number, path in enumerate(sources):
        shutil.copy(path, source / f"{number:02d}-{path.name}")
    out = tmp_path / "out"
    result = _run(runner, "extract", source, "-o", out, "-j", jobs, "-q", "-F", fmt)
    assert result.exit_code == 0, result.stderr
    alone = []
    for path in sorted(source.iterdir()):
        single = _run(runner, "extract", path, "-q", "-F", fmt)
        assert single.exit_code == 0, single.stderr
        alone.append(single.stdout_bytes)
    # each output names its source (source.file), so equal lists pair every file with its own
    assert sorted(path.read_bytes() for path in out.iterdir()) == sorted(alone)
