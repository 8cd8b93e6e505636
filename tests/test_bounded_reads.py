"""Every source and data file is read with a byte limit, whatever `stat` says.

`/dev/zero`, pipes and procfs report a size of 0; the read itself must stop at limit + 1."""

from __future__ import annotations

from pathlib import Path

import pytest

import htreport.readers
import htreport.store.io
from htreport.cli import app

DEV_ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero")


def _one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


@needs_dev_zero
def test_extract_of_an_endless_device_is_refused(runner, monkeypatch):
    monkeypatch.setattr(htreport.readers, "MAX_INPUT_BYTES", 4096)
    line = _one_error_line(runner.invoke(app, ["extract", str(DEV_ZERO)]))
    assert "4096-byte limit" in line


@needs_dev_zero
def test_validate_of_an_endless_device_is_refused(runner, monkeypatch):
    monkeypatch.setattr(htreport.store.io, "MAX_DATA_FILE_BYTES", 4096)
    # validate reports an unreadable file as a problem of that file (exit 1), like any other.
    result = runner.invoke(app, ["validate", str(DEV_ZERO)])
    assert result.exit_code == 1, result.output
    assert "/dev/zero: over the 4,096-byte limit for data files; refused" in result.output
    assert "Traceback" not in result.output


def test_extract_of_endless_stdin_is_refused(runner, monkeypatch):
    monkeypatch.setattr(htreport.readers, "MAX_INPUT_BYTES", 4096)
    line = _one_error_line(runner.invoke(app, ["extract", "-"], input="y\n" * 10_000))
    assert "4096-byte limit" in line


def test_a_source_at_the_limit_is_still_read(tmp_path, monkeypatch):
    monkeypatch.setattr(htreport.readers, "MAX_INPUT_BYTES", 10)
    source = tmp_path / "r.txt"
    source.write_bytes(b"0123456789")
    assert htreport.readers.read_bytes(source) == b"0123456789"
    source.write_bytes(b"0123456789A")
    with pytest.raises(htreport.readers.SourceError):
        htreport.readers.read_bytes(source)


# -- settings.read_at_most: sized by the file, bounded by the limit ----------------------------


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [(0, 10, 0), (5, 10, 5), (10, 10, 10), (11, 10, 11), (500, 10, 11)],
)
def test_read_at_most_reads_the_file_or_one_byte_past_the_limit(tmp_path, size, limit, expected):
    from htreport.settings import read_at_most

    path = tmp_path / "data"
    path.write_bytes(bytes(range(256)) * 2 if size == 500 else b"x" * size)
    with path.open("rb") as stream:
        assert read_at_most(stream, limit) == path.read_bytes()[:expected]


def test_read_at_most_reads_on_when_the_file_grew_since_stat(tmp_path, monkeypatch):
    import os
    import types

    from htreport import settings

    path = tmp_path / "data"
    path.write_bytes(b"0123456789" * 3)
    monkeypatch.setattr(os, "fstat", lambda fd: types.SimpleNamespace(st_size=4))
    with path.open("rb") as stream:
        assert settings.read_at_most(stream, 20) == path.read_bytes()[:21]
    with path.open("rb") as stream:
        assert settings.read_at_most(stream, 100) == path.read_bytes()


def test_read_at_most_of_a_stream_without_a_size(tmp_path):
    import io
    import os

    from htreport.settings import read_at_most

    assert read_at_most(io.BytesIO(b"abc" * 10), 7) == b"abcabcab"
    reading, writing = os.pipe()
    os.write(writing, b"p" * 50)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        assert read_at_most(pipe, 20) == b"p" * 21


@needs_dev_zero
def test_read_at_most_of_an_endless_device_stops_past_the_limit():
    from htreport.settings import read_at_most

    with DEV_ZERO.open("rb") as stream:
        assert read_at_most(stream, 4096) == bytes(4097)


# -- a data file on standard input is read as files are: bytes, bounded, UTF-8 ------------------


def test_validate_of_stdin_that_is_not_utf8_is_a_problem_at_its_line(runner):
    result = runner.invoke(app, ["validate", "-"], input=b"title: x\nsummary: \xff\n")
    assert result.exit_code == 1, result.output
    assert "<stdin>:2: not UTF-8 text" in result.output
    assert "Traceback" not in result.output


def test_validate_of_endless_stdin_is_refused(runner, monkeypatch):
    monkeypatch.setattr(htreport.store.io, "MAX_DATA_FILE_BYTES", 4096)
    result = runner.invoke(app, ["validate", "-"], input="a: b\n" * 10_000)
    assert result.exit_code == 1, result.output
    assert "<stdin>: over the 4,096-byte limit for data files; refused" in result.output
    assert "Traceback" not in result.output


def test_query_of_endless_stdin_is_refused(runner, monkeypatch):
    monkeypatch.setattr(htreport.store.io, "MAX_DATA_FILE_BYTES", 4096)
    result = runner.invoke(app, ["query", "deliverables", "-"], input="a: b\n" * 10_000)
    line = _one_error_line(result)
    assert "<stdin>: over the 4,096-byte limit for data files; refused" in line


def test_a_data_file_that_is_not_utf8_is_refused_at_its_line(tmp_path):
    from htreport.errors import DataFileError

    path = tmp_path / "r.yaml"
    path.write_bytes(b"title: x\n\nsummary: caf\xe9\n")
    with pytest.raises(DataFileError, match="not UTF-8 text") as error:
        htreport.store.io.read_data_file(path)
    assert (error.value.path, error.value.line) == (str(path), 3)
