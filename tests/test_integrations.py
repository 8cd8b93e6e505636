"""The exports of the shipped data, opened with the real tools analysts use: datasette,
sqlite-utils, frictionless, pandas, DuckDB (check-jsonschema and jsonschema: test_schema_tools)."""

from __future__ import annotations

import asyncio
import csv
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from htreport.cli import app
from htreport.export.tables import TABLE_NAMES

from .conftest import ROOT

SHIPPED = ROOT / "data" / "structured"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def shipped():
    import htreport

    return [htreport.load(path) for path in sorted(SHIPPED.glob("*.yaml"))]


@pytest.fixture(scope="module")
def lead_counts(shipped):
    """Deliverables per lead department, counted from the models themselves."""
    counts: Counter[str] = Counter()
    for report in shipped:
        for *_, item in report.deliverables():
            counts.update({lead.department for lead in item.leads})
    return counts


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(
        app,
        [
            "export",
            str(SHIPPED),
            "--sqlite",
            str(out / "nap.db"),
            "--metadata",
            str(out / "datasette.yaml"),
            "--datapackage",
            str(out / "package"),
            "--parquet",
            str(out / "parquet"),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_every_table_has_a_primary_key_a_label_and_followed_foreign_keys(exported):
    with sqlite3.connect(exported / "nap.db") as connection:
        for name in TABLE_NAMES:
            columns = connection.execute(f"PRAGMA table_info('{name}')").fetchall()
            assert any(column[5] for column in columns), f"{name} has no primary key"
            assert "label" in [column[1] for column in columns]
        keys = connection.execute("SELECT * FROM pragma_foreign_key_list('deliverables')")
        assert {(row[2], row[3]) for row in keys} == {
            ("reports", "report_id"),
            ("tasks", "task_id"),
        }
        leads = connection.execute(
            "SELECT leads FROM deliverables WHERE deliverable = '1.11.1'"
        ).fetchone()[0]
    assert json.loads(leads)[:2] == ["PS", "JUS"]


def test_datasette_facets_search_and_labels(exported, lead_counts, shipped):
    from datasette.app import Datasette

    metadata = yaml.safe_load((exported / "datasette.yaml").read_text("utf-8"))
    datasette = Datasette([str(exported / "nap.db")], metadata=metadata)

    async def get(path: str):
        response = await datasette.client.get(path)
        assert response.status_code == 200, path
        return response.json()

    async def requests():
        return await asyncio.gather(
            get("/nap/deliverables.json?_facet_array=leads&_size=0&_facet_size=max"),
            get("/nap/deliverables.json?_search=training&_shape=array&_col=deliverable"),
            get("/nap/deliverable_leads.json?_labels=on&_shape=array&_size=1"),
            get("/nap/deliverables.json?_size=0"),
        )

    facets, found, (lead_row,), plain = asyncio.run(requests())

    by_lead = {r["value"]: r["count"] for r in facets["facet_results"]["leads"]["results"]}
    assert by_lead["CBSA"] == lead_counts["CBSA"] == 12
    assert by_lead["ESDC (TFWP)"] == 9
    # the default facets of the metadata file are there without asking
    assert {"report", "status", "pillar", "leads"} <= set(plain["facet_results"])
    statuses = {r["value"]: r["count"] for r in plain["facet_results"]["status"]["results"]}
    assert statuses["in_progress"] == 6 and sum(statuses.values()) == 72

    expected = sorted(
        item.id
        for report in shipped
        for *_, item in report.deliverables()
        if "training" in item.text.lower()
    )
    assert sorted(row["deliverable"] for row in found) == expected

    assert lead_row["label"] == "2014-2015 1.11.1: PS"
    assert lead_row["deliverable_id"] == {"value": 1, "label": "2014-2015 1.11.1"}
    assert lead_row["department"] == {"value": "PS", "label": "PS: Public Safety Canada"}
    table = metadata["databases"]["nap"]["tables"]["deliverables"]
    assert table["columns"]["new"] == "True when the row was marked NEW:."  # from the model
    assert table["fts_table"] == "deliverables_fts" and table["label_column"] == "label"


def test_sqlite_utils_search_stays_fresh_after_an_edit(exported, tmp_path):
    import sqlite_utils

    copy = tmp_path / "nap.db"
    copy.write_bytes((exported / "nap.db").read_bytes())
    database = sqlite_utils.Database(copy)
    deliverables = database.table("deliverables")
    by_status = Counter(row["status"] for row in deliverables.rows)
    assert (by_status["ongoing"], by_status["in_progress"], sum(by_status.values())) == (
        64,
        6,
        72,
    )
    assert deliverables.detect_fts() == "deliverables_fts"
    assert [row["deliverable"] for row in deliverables.search("zebrafish")] == []
    deliverables.update(1, {"text": "A zebrafish awareness campaign."})
    assert [row["deliverable"] for row in deliverables.search("zebrafish")] == ["1.11.1"]


def _frictionless(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "frictionless"), *arguments], capture_output=True, text=True, timeout=300
    )


def test_frictionless_validates_the_package_and_reads_the_right_types(exported):
    from frictionless import Package

    result = _frictionless("validate", str(exported / "package" / "datapackage.json"))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "VALID" in result.stdout and "INVALID" not in result.stdout

    package = Package(str(exported / "package" / "datapackage.json"))
    rows = package.get_resource("deliverables").read_rows()
    first = rows[0]
    assert first["task"] == "1.11" and isinstance(first["task"], str)
    assert first["new"] is False and first["leads"][:2] == ["PS", "JUS"]
    assert Counter(row["status"] for row in rows)["in_progress"] == 6
    field = package.get_resource("deliverables").schema.get_field("status")
    assert "completed" in field.constraints["enum"]


def test_frictionless_fails_a_damaged_csv(exported, tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    for source in (exported / "package").iterdir():
        (package / source.name).write_bytes(source.read_bytes())
    path = package / "deliverables.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    status = rows[0].index("status")
    rows[1][status] = "finished"  # not a status
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    result = _frictionless("validate", str(package / "datapackage.json"))
    assert result.returncode == 1
    assert "constraint-error" in result.stdout and "finished" in result.stdout


def test_pandas_frames_have_the_right_dtypes(lead_counts, shipped, monkeypatch, tmp_path):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    import pandas as pd

    import htreport

    frame = htreport.to_pandas("deliverables", paths=SHIPPED, use_cache=False)
    assert len(frame) == 72
    assert frame["task"].dtype == "string" and frame.loc[0, "task"] == "1.11"
    assert frame["new"].dtype == "boolean" and int(frame["new"].sum()) == 8
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert "cancelled" in frame["status"].cat.categories
    assert frame["status"].value_counts()["in_progress"] == 6
    assert frame.loc[0, "leads"][:2] == ["PS", "JUS"]
    exploded = frame["leads"].explode().str.replace(r" \(.*\)$", "", regex=True)
    assert exploded.value_counts()["CBSA"] == lead_counts["CBSA"]

    cbsa = htreport.to_pandas("deliverables", SHIPPED, lead="CBSA", status="ongoing")
    expected = [
        item.id
        for report in shipped
        for *_, item in report.deliverables()
        if item.status.value == "ongoing" and any(lead.department == "CBSA" for lead in item.leads)
    ]
    assert list(cbsa["id"]) == expected and len(expected) >= 5
    statistics = htreport.to_pandas("statistics", SHIPPED, use_cache=False)
    assert statistics["value"].dtype == "float64" and statistics["section"].dtype == "category"


def test_duckdb_and_pandas_read_the_parquet_export(exported, lead_counts):
    import duckdb
    import pandas as pd

    parquet = exported / "parquet"
    assert sorted(p.name for p in parquet.iterdir()) == sorted(f"{n}.parquet" for n in TABLE_NAMES)
    connection = duckdb.connect()
    by_lead = dict(
        connection.execute(
            f"SELECT department, count(DISTINCT deliverable_id) FROM "
            f"read_parquet('{parquet / 'deliverable_leads.parquet'}') GROUP BY 1"
        ).fetchall()
    )
    with sqlite3.connect(exported / "nap.db") as sqlite:
        in_sqlite = dict(
            sqlite.execute(
                "SELECT department, count(DISTINCT deliverable_id) FROM deliverable_leads "
                "GROUP BY 1"
            ).fetchall()
        )
    assert by_lead == in_sqlite == dict(lead_counts)
    unnested = connection.execute(
        f"SELECT count(*) FROM (SELECT unnest(leads) AS lead FROM "
        f"read_parquet('{parquet / 'deliverables.parquet'}')) WHERE lead = 'CBSA'"
    ).fetchone()
    assert unnested == (12,)

    frame = pd.read_parquet(parquet / "deliverables.parquet")
    assert frame.loc[0, "task"] == "1.11" and frame["new"].dtype == bool
    assert list(frame.loc[0, "leads"])[:2] == ["PS", "JUS"]


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "htreport", "--help"],
        ["-c", "import htreport; htreport.__all__"],
    ],
)
def test_pandas_and_pyarrow_are_not_imported_at_start_up(command):
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['htreport', '--help']\n"
        "try:\n"
        "    runpy.run_module('htreport', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        if command[0] == "-m"
        else command[1] + "\n"
    )
    probe += "import sys; print(sorted({'pandas', 'pyarrow', 'sqlite_utils', 'datasette'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
