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
