"""Every output of every command: one `error:` line and exit 2 for a path that cannot be
written, modes from the umask, multi-file exports all or nothing, `export --sqlite -`, and no
temporary file left when the command is stopped by a signal."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from htreport.cli import app
from htreport.export.tables import TABLE_NAMES
from htreport.store import atomic

from .conftest import RAW_REPORT, ROOT
from .processes import wait_for

posix_only = pytest.mark.skipif(os.name != "posix", reason="umask and signals are POSIX")


def _file_outputs(structured: Path) -> dict[str, list[str]]:
    """Each command that writes one file, with {out} where the file name goes."""
    data = str(structured)
    return {
        "extract -o": ["extract", str(RAW_REPORT), "-q", "-o", "{out}"],
        "export --sqlite": ["export", data, "--sqlite", "{out}"],
        "export --metadata": ["export", data, "--sqlite", "{sibling}", "--metadata", "{out}"],
        "chart -o": ["chart", "leads", data, "-o", "{out}"],
    }


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    """A directory holding one report source, for `extract DIR -o DIR`."""
    directory = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW_REPORT, directory)
    return directory


def _directory_outputs(structured: Path, raw: Path) -> dict[str, list[str]]:
    """Each command that writes into a directory, with {out} where the directory goes."""
    data = str(structured)
    return {
        "extract DIR -o": ["extract", str(raw), "-q", "-o", "{out}"],
        "export --csv": ["export", data, "--csv", "{out}"],
        "export --datapackage": ["export", data, "--datapackage", "{out}"],
        "export --parquet": ["export", data, "--parquet", "{out}"],
        "schema --output": ["schema", "--output", "{out}"],
    }


FILE_COMMANDS = list(_file_outputs(Path(".")))
DIRECTORY_COMMANDS = list(_directory_outputs(Path("."), Path(".")))
SUFFIXES = {"chart -o": ".svg", "extract -o": ".yaml", "export --metadata": ".yaml"}


def _argv(template: list[str], out: Path, sibling: Path) -> list[str]:
    return [part.format(out=out, sibling=sibling) for part in template]


def _one_error_line(result, *words: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in result.output
    return lines[0]


def _nothing_new(directory: Path, before: set[str]) -> None:
    assert {p.name for p in directory.iterdir()} == before


@pytest.mark.parametrize("command", FILE_COMMANDS)
@pytest.mark.parametrize("bad", ["parent-is-a-file", "is-a-directory", "empty"])
def test_a_bad_file_output_is_one_error_line(runner, structured_dir, tmp_path, command, bad):
    if bad == "is-a-directory" and command == "extract -o":
        return  # `extract -o DIR` writes into DIR: tested in test_cli_extract.py
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", "utf-8")
    suffix = SUFFIXES.get(command, ".db")
    out, words = {
        "parent-is-a-file": (blocker / f"out{suffix}", [str(blocker), "is a file"]),
        "is-a-directory": (tmp_path / f"dir{suffix}", ["is a directory"]),
        "empty": ("", ["the path is empty"]),
    }[bad]
    if bad == "is-a-directory":
        Path(out).mkdir()
    before = {p.name for p in tmp_path.iterdir()}
    argv = _argv(_file_outputs(structured_dir)[command], out, tmp_path / "db.sqlite")
    _one_error_line(runner.invoke(app, argv), *words)
    _nothing_new(tmp_path, before)


@pytest.mark.parametrize("command", DIRECTORY_COMMANDS)
@pytest.mark.parametrize("bad", ["parent-is-a-file", "empty"])
def test_a_bad_directory_output_is_one_error_line(
    runner, structured_dir, raw_dir, tmp_path, command, bad
):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", "utf-8")
    out, words = {
        "parent-is-a-file": (blocker / "sub", [str(blocker), "is a file"]),
        "empty": ("", ["the path is empty"]),
    }[bad]
    before = {p.name for p in tmp_path.iterdir()}
    argv = _argv(_directory_outputs(structured_dir, raw_dir)[command], out, out)
    _one_error_line(runner.invoke(app, argv), *words)
    _nothing_new(tmp_path, before)


@pytest.mark.parametrize("command", FILE_COMMANDS + DIRECTORY_COMMANDS)
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only file system"),
        (errno.ENOSPC, "no space left on device"),
    ],
)
def test_an_unwritable_place_is_one_error_line(
    runner, structured_dir, raw_dir, tmp_path, monkeypatch, command, code, words
):
    """The file system refuses the first file created in the place (as an unwritable
    directory or a read-only mount does; injected, since root may write anywhere)."""

    def refuse(target: Path, **kwargs: object):
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(atomic, "create_temporary", refuse)
    monkeypatch.setattr(atomic, "create_temporary_directory", refuse)
    templates = {**_file_outputs(structured_dir), **_directory_outputs(structured_dir, raw_dir)}
    out = tmp_path / f"out{SUFFIXES.get(command, '.db')}"
    argv = _argv(templates[command], out, tmp_path / "db.sqlite")
    line = _one_error_line(runner.invoke(app, argv), f"cannot write: {words}")
    assert str(tmp_path) in line
    assert [p for p in tmp_path.rglob("*") if not p.is_dir()] == []  # at most a new, empty DIR


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002, 0o027])
def test_every_output_gets_its_mode_from_the_umask(runner, structured_dir, raw_dir, tmp_path, mask):
    outputs = {
        "extract -o": tmp_path / "r.yaml",
        "chart -o": tmp_path / "c.svg",
        "export --metadata": tmp_path / "m.yaml",
    }
    saved = os.umask(mask)
    try:
        for command, out in outputs.items():
            argv = _argv(_file_outputs(structured_dir)[command], out, tmp_path / "db.sqlite")
            assert runner.invoke(app, argv).exit_code == 0, command
        for command in DIRECTORY_COMMANDS:
            out = tmp_path / command.replace(" ", "_").replace("-", "")
            argv = _argv(_directory_outputs(structured_dir, raw_dir)[command], out, out)
            result = runner.invoke(app, argv)
            assert result.exit_code == 0, (command, result.output)
    finally:
        os.umask(saved)
    for path in tmp_path.rglob("*"):
        expected = 0o777 & ~mask if path.is_dir() else 0o666 & ~mask
        assert stat.S_IMODE(path.stat().st_mode) == expected, (path, oct(mask))


@posix_only
def test_forced_outputs_keep_the_mode_of_the_files_they_replace(runner, structured_dir, tmp_path):
    single = tmp_path / "r.yaml"
    csv_dir = tmp_path / "csv"
    database = tmp_path / "db.sqlite"
    for argv in (
        ["extract", str(RAW_REPORT), "-q", "-o", str(single)],
        ["export", str(structured_dir), "--csv", str(csv_dir), "--sqlite", str(database)],
    ):
        assert runner.invoke(app, argv).exit_code == 0
    files = [single, database, *csv_dir.iterdir()]
    for path in files:
        os.chmod(path, 0o640)
    for argv in (
        ["extract", str(RAW_REPORT), "-q", "-o", str(single), "--force"],
        ["export", str(structured_dir), "--csv", str(csv_dir), "--sqlite", str(database), "-f"],
    ):
        assert runner.invoke(app, argv).exit_code == 0
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o640}


MULTI_FILE = {
    "--csv": [f"{name}.csv" for name in TABLE_NAMES],
    "--datapackage": [*(f"{name}.csv" for name in TABLE_NAMES), "datapackage.json"],
    "--parquet": [f"{name}.parquet" for name in TABLE_NAMES],
}


def _old_export(directory: Path, names: list[str]) -> dict[str, bytes]:
    directory.mkdir()
    for name in names:
        (directory / name).write_bytes(f"old {name}\n".encode())
    (directory / "notes.txt").write_bytes(b"mine\n")
    return {p.name: p.read_bytes() for p in directory.iterdir()}


def _contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


@pytest.mark.parametrize("option", list(MULTI_FILE))
def test_a_failure_on_a_later_table_leaves_the_old_files_untouched(
    runner, structured_dir, tmp_path, monkeypatch, option
):
    """The disk fills up while the seventh table is written: the old export stays whole."""
    from htreport.export.csv_files import CsvWriter
    from htreport.export.parquet import ParquetWriter

    directory = tmp_path / "out"
    old = _old_export(directory, MULTI_FILE[option])
    late_table = TABLE_NAMES[6]
    real_write, real_flush = CsvWriter.write, ParquetWriter._flush

    def write(self, table, values):
        if table == late_table:
            self._writers[table] = _FullDisk()
        real_write(self, table, values)

    def flush(self, name):
        if name == late_table:
            _FullDisk().writerow([])
        real_flush(self, name)

    monkeypatch.setattr(CsvWriter, "write", write)
    monkeypatch.setattr(ParquetWriter, "_flush", flush)
    result = runner.invoke(app, ["export", str(structured_dir), option, str(directory), "-f"])
    _one_error_line(result, f"error: {directory}: cannot write: no space left on device")
    assert _contents(directory) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging copy left


class _FullDisk:
    def writerow(self, row: list[object]) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("option", list(MULTI_FILE))
def test_a_failure_while_publishing_puts_the_old_files_back(
    runner, structured_dir, tmp_path, monkeypatch, option
):
    """Moving the seventh file into the directory fails: the six moved already are put back,
    so the directory never holds half of one export beside half of another."""
    directory = tmp_path / "out"
    old = _old_export(directory, MULTI_FILE[option])
    real_replace = os.replace
    moved: list[str] = []

    def fail_on_the_seventh(source, destination, *args, **kwargs):
        if Path(destination).parent == directory and not Path(source).name.startswith(".old."):
            moved.append(Path(destination).name)
            if len(moved) == 7:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(source, destination, *args, **kwargs)

    monkeypatch.setattr(os, "replace", fail_on_the_seventh)
    result = runner.invoke(app, ["export", str(structured_dir), option, str(directory), "-f"])
    monkeypatch.undo()
    _one_error_line(result, str(directory), "cannot write: input/output error")
    assert len(moved) == 7
    assert _contents(directory) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_file_that_appears_while_publishing_is_never_replaced(
    runner, structured_dir, tmp_path, monkeypatch
):
    """Without --force a CSV file that another writer creates after the early check makes
    the whole export fail, and the files already moved in are taken out again."""
    directory = tmp_path / "csv"
    directory.mkdir()
    real = atomic.publish_new
    calls: list[Path] = []

    def another_writer_first(temporary: Path, target: Path) -> None:
        calls.append(target)
        if len(calls) == 5:
            target.write_text("theirs", "utf-8")
        real(temporary, target)

    monkeypatch.setattr(atomic, "publish_new", another_writer_first)
    result = runner.invoke(app, ["export", str(structured_dir), "--csv", str(directory)])
    _one_error_line(result, str(calls[4]), "exists; pass --force")
    assert _contents(directory) == {calls[4].name: b"theirs"}


def test_sqlite_to_stdout(runner, structured_dir, tmp_path):
    before = set(Path(tempfile.gettempdir()).glob(".htreport-export.*"))
    result = runner.invoke(app, ["export", str(structured_dir), "--sqlite", "-"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote the database to stdout: 1 report(s), 72 deliverables\n"
    assert result.stdout_bytes.startswith(b"SQLite format 3\x00")
    database = tmp_path / "from-stdout.sqlite"
    database.write_bytes(result.stdout_bytes)
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM deliverables").fetchone() == (72,)
    assert set(Path(tempfile.gettempdir()).glob(".htreport-export.*")) == before
    assert not Path("-").exists()


def test_sqlite_to_a_terminal_and_other_outputs_to_stdout_are_refused(
    runner, structured_dir, tmp_path, terminal
):
    data = str(structured_dir)
    cases = [
        (["--sqlite", "-"], "--sqlite -: stdout is a terminal; redirect it"),
        (["--csv", "-"], "--csv -: a directory of files cannot go to standard output"),
        (["--sqlite", str(tmp_path / "x.db"), "--metadata", "-"], "--metadata -: only --sqlite"),
    ]
    for options, message in cases:
        _one_error_line(runner.invoke(app, ["export", data, *options]), message)
    assert list(tmp_path.iterdir()) == [] and not Path("-").exists()


def test_extract_to_dash_is_stdout(runner, tmp_path):
    result = runner.invoke(app, ["extract", str(RAW_REPORT), "-q", "-o", "-", "-F", "json"])
    assert result.exit_code == 0 and result.stdout.startswith("{\n")
    assert not Path("-").exists()


_SLOW_DISK = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    marker = Path(sys.argv.pop(1))
    real_fsync = os.fsync

    def slow_fsync(fd):  # a slow disk: the signal comes while the output is flushed
        marker.write_text("writing")
        time.sleep(30)
        real_fsync(fd)

    os.fsync = slow_fsync
    from htreport.cli import main

    sys.argv[0] = "htreport"
    main()
    """
)


@posix_only
@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [(signal.SIGTERM, 143, ""), (signal.SIGINT, 130, "error: interrupted\n")],
    ids=["SIGTERM", "SIGINT"],
)
def test_extract_stopped_mid_write_leaves_nothing(tmp_path, signum, code, message):
    out = tmp_path / "out"
    out.mkdir()
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_DISK, str(marker), "extract", str(RAW_REPORT), "-q",
         "-o", str(out / "2014-2015.yaml")],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    wait_for(marker, child)
    assert [p.name for p in out.iterdir()][0].startswith(".2014-2015.yaml.")
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=60)
    assert (child.returncode, stderr) == (code, message)
    assert list(out.iterdir()) == []


@posix_only
def test_export_of_a_large_corpus_stopped_by_sigterm_leaves_nothing(structured_dir, tmp_path):
    """A real export of many reports, stopped once its staging copies exist: exit 143, no
    database, no CSV directory, no hidden staging file or directory."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (structured_dir / "2014-2015.yaml").read_text("utf-8")
    for year in range(1960, 2000):
        (corpus / f"{year}.yaml").write_text(
            text.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}-{year + 1}"), "utf-8"
        )
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "htreport", "export", str(corpus),
         "--sqlite", str(out / "nap.sqlite"), "--csv", str(out / "csv")],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(list(out.iterdir())) < 2:  # the staging file and the staging directory
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in out.iterdir())
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 143
    assert list(out.iterdir()) == []


def test_the_working_directory_gets_nothing_from_an_empty_path(runner, structured_dir, tmp_path):
    """`--csv "$UNSET"` used to spill the CSV files into the current directory."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(app, ["export", str(structured_dir), "--csv", ""])
    finally:
        os.chdir(cwd)
    _one_error_line(result, "--csv: the path is empty")
    assert list(tmp_path.iterdir()) == []


def test_an_oserror_that_escapes_the_library_is_still_one_line(runner, tmp_path, monkeypatch):
    """The command line's last net: an OSError no library code turned into an HtreportError
    is one `error:` line with its file, exit 2, not a traceback."""
    from htreport.store import schemas

    def unreadable(directory: Path) -> list[str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(directory / "x.json"))

    monkeypatch.setattr(schemas, "stale_files", unreadable)
    result = runner.invoke(app, ["schema", "--output", str(tmp_path), "--check"])
    assert result.stderr == f"error: {tmp_path / 'x.json'}: permission denied\n"
    assert result.exit_code == 2


def test_no_temporary_or_handler_outlives_a_command(runner, structured_dir, tmp_path):
    from htreport.store import cleanup

    handlers = {signum: signal.getsignal(signum) for signum in cleanup.CLEANUP_SIGNALS}
    for argv in (
        ["export", str(structured_dir), "--sqlite", str(tmp_path / "db"), "--csv", str(tmp_path)],
        ["extract", str(RAW_REPORT), "-q", "-o", str(tmp_path / "r.yaml")],
        ["export", str(structured_dir), "--sqlite", str(tmp_path / "db")],  # refused: exists
    ):
        runner.invoke(app, argv)
        assert cleanup.live_temporaries() == []
        assert {signum: signal.getsignal(signum) for signum in cleanup.CLEANUP_SIGNALS} == handlers
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
