"""Every value that loads can be exported: integers past 64 bits, file names that are not UTF-8.

SQLite integers are 64-bit: a statistic past 2**63 - 1 is stored as its exact decimal text (it
crashed `export --sqlite` with OverflowError). A file name that is not UTF-8 (Python decodes it
with `surrogateescape`) is stored with each such byte as `\\xHH` (it crashed every writer with
UnicodeEncodeError).
"""

from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path

import pytest

from htreport.cli import app
from htreport.model.textclean import file_name_text

from .conftest import RAW_REPORT, STRUCTURED_DIR

YAML = (STRUCTURED_DIR / "2014-2015.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


def _with_value(value: int) -> str:
    start = YAML.index("value: ")
    return YAML[:start] + f"value: {value}" + YAML[YAML.index("\n", start) :]


@pytest.mark.parametrize(
    "value", [2**63 - 1, 2**63, -(2**63) - 1, 12345678901234567890, 10**30 - 1]
)
def test_an_integer_past_64_bits_is_exported_exactly(runner, tmp_path, value) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "2014-2015.yaml").write_text(_with_value(value), encoding="utf-8")
    database = tmp_path / "nap.sqlite"
    result = runner.invoke(
        app, ["export", str(data), "--sqlite", str(database), "--csv", str(tmp_path / "csv")]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        stored, kind = connection.execute(
            "SELECT value, typeof(value) FROM statistics ORDER BY id LIMIT 1"
        ).fetchone()
        others = connection.execute(
            "SELECT count(*) FROM statistics WHERE typeof(value) NOT IN ('integer', 'real')"
        ).fetchone()
    in_64_bits = -(2**63) <= value < 2**63
    assert (stored, kind) == ((value, "integer") if in_64_bits else (str(value), "text"))
    assert others == ((0,) if in_64_bits else (1,))
    with (tmp_path / "csv" / "statistics.csv").open(encoding="utf-8", newline="") as stream:
        first = next(csv.DictReader(stream))
    assert first["value"] == str(value)


def test_a_file_name_that_is_not_utf8_is_stored_in_a_form_that_encodes(runner, tmp_path) -> None:
    name = os.fsdecode(b"report-\xff\xfe.yaml")
    data = tmp_path / "data"
    data.mkdir()
    try:
        (data / name).write_text(YAML, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    database = tmp_path / "nap.sqlite"
    result = runner.invoke(app, ["export", str(data), "--sqlite", str(database)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        (path,) = connection.execute("SELECT path FROM reports").fetchone()
    assert path.endswith("report-\\xff\\xfe.yaml")
    assert path == file_name_text(str(data / name))
    # the original bytes can be read back from the stored form
    assert os.fsencode(str(data / name)).endswith(
        path.rsplit("/", 1)[1].encode().decode("unicode_escape").encode("latin-1")
    )


def test_extract_of_a_source_whose_name_is_not_utf8_writes_valid_data(runner, tmp_path) -> None:
    name = os.fsdecode(b"nap-\xe9t\xe9.txt")  # Latin-1 bytes
    source = tmp_path / name
    try:
        source.write_bytes(RAW_REPORT.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    output = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", str(source), "-o", str(output)])
    assert result.exit_code in (0, 1), result.output
    assert '"file": "nap-\\\\xe9t\\\\xe9.txt"' in output.read_text(encoding="utf-8")
    assert runner.invoke(app, ["validate", str(output)]).exit_code == 0


def test_file_name_text_keeps_utf8_names_unchanged() -> None:
    for name in ("report.txt", "rapport-été.txt", "報告.pdf"):
        assert file_name_text(name) == name
    assert file_name_text(os.fsdecode(b"a\x80b")) == "a\\x80b"
    assert Path(file_name_text(os.fsdecode(b"\xff"))).name.encode("utf-8") == b"\\xff"


@pytest.mark.parametrize("value", [2**53 + 1, 2**63, -(10**30) + 1, 10**30 - 1])
def test_parquet_keeps_whole_numbers_exact(runner, tmp_path, value) -> None:
    # a float64 column rounded 2**53 + 1 to 2**53; decimal(38, 8) holds every allowed value
    pq = pytest.importorskip("pyarrow.parquet")
    from decimal import Decimal

    data = tmp_path / "data"
    data.mkdir()
    (data / "2014-2015.yaml").write_text(_with_value(value), encoding="utf-8")
    result = runner.invoke(app, ["export", str(data), "--parquet", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    values = pq.read_table(tmp_path / "pq" / "statistics.parquet").column("value").to_pylist()
    assert values[0] == Decimal(value)
    assert all(isinstance(v, Decimal) for v in values)


def test_parquet_keeps_fractions_exact_and_refuses_what_it_cannot_hold(runner, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from decimal import Decimal

    data = tmp_path / "data"
    data.mkdir()
    start = YAML.index("value: ")
    fraction = YAML[:start] + "value: 12.5" + YAML[YAML.index("\n", start) :]
    (data / "2014-2015.yaml").write_text(fraction, encoding="utf-8")
    assert (
        runner.invoke(app, ["export", str(data), "--parquet", str(tmp_path / "pq")]).exit_code == 0
    )
    table = pq.read_table(tmp_path / "pq" / "statistics.parquet")
    assert table.column("value").to_pylist()[0] == Decimal("12.5")

    tiny = YAML[:start] + "value: 0.123456789" + YAML[YAML.index("\n", start) :]
    (data / "2014-2015.yaml").write_text(tiny, encoding="utf-8")
    refused = runner.invoke(app, ["export", str(data), "--parquet", str(tmp_path / "pq2")])
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [
        "error: statistics.value 0.123456789: more than 8 decimal places, which the Parquet "
        "export's decimal(38, 8) cannot hold exactly; export it to SQLite or CSV instead"
    ]
    assert not (tmp_path / "pq2").exists()
