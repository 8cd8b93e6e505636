"""The progress flags and achievement links in the exports (computed by `htreport export`,
passed to the export as rows): deliverables' flag columns and the `links` table."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

import htreport
from htreport.analysis.flags import FLAG_NAMES, RULES, compute_flags
from htreport.analysis.links import find_links
from htreport.cli import app
from htreport.export.tables import FLAG_RULES, TABLES_BY_NAME

from .diffpairs import PAIRS_DIR, RAW_REPORT, extracted

YEARS = [RAW_REPORT, PAIRS_DIR / "2015-2016.txt", PAIRS_DIR / "2016-2017.txt"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("three-years")
    for source in YEARS:
        report = extracted(source)
        htreport.dump(report, directory / f"{report.metadata.fiscal_year}.yaml")
    return directory


@pytest.fixture(scope="module")
def exported(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(
        app,
        [
            "export",
            str(corpus_dir),
            "--sqlite",
            str(out / "nap.sqlite"),
            "--csv",
            str(out / "csv"),
            "--datapackage",
            str(out / "dp"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return out


def test_the_export_knows_the_same_rules_as_the_analysis():
    assert FLAG_RULES == RULES and tuple(FLAG_RULES) == FLAG_NAMES


def test_flag_columns_equal_the_computed_flags(exported, corpus_dir):
    reports = [extracted(source) for source in YEARS]
    flags = compute_flags(reports)
    with sqlite3.connect(exported / "nap.sqlite") as db:
        rows = db.execute(
            f"SELECT report, deliverable, {', '.join(FLAG_NAMES)}, flag_evidence FROM deliverables"
        ).fetchall()
    assert len(rows) == len(flags) == 216
    for report, deliverable, *values, evidence in rows:
        by_name = flags[(report, deliverable)]
        expected = [int(by_name[n].value) if n in by_name else None for n in FLAG_NAMES]
        assert values == expected, (report, deliverable)
        assert evidence == "; ".join(
            f"{n}: {by_name[n].reason}" for n in FLAG_NAMES if n in by_name
        )
    # the first year has no year before it, the last none after it: undecidable is NULL
    assert {(r[0], r[2], r[4]) for r in rows if r[0] == "2014-2015"} == {("2014-2015", None, None)}
    assert {r[6] for r in rows if r[0] == "2016-2017"} == {None}


def test_links_table_joins_its_achievement_and_deliverable(exported):
    reports = [extracted(source) for source in YEARS]
    expected = sorted(
        (link.report, link.achievement_line, link.deliverable, link.deliverable_line, link.score)
        for report in reports
        for link in find_links([report])
    )
    with sqlite3.connect(exported / "nap.sqlite") as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        joined = db.execute(
            "SELECT l.report, a.line, d.deliverable, d.line, l.score FROM links l "
            "JOIN achievements a ON a.id = l.achievement_id "
            "JOIN deliverables d ON d.id = l.deliverable_id "
            "WHERE a.report_id = l.report_id AND d.report_id = l.report_id"
        ).fetchall()
        arrays = db.execute("SELECT shared_departments, shared_terms FROM links").fetchall()
    assert sorted(joined) == expected and len(expected) == 56
    assert all(isinstance(json.loads(value), list) for pair in arrays for value in pair)


def test_csv_and_datapackage_carry_the_same_links(exported):
    with (exported / "csv" / "links.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(TABLES_BY_NAME["links"].column_names) and len(rows) == 56
    with (exported / "csv" / "deliverables.csv").open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert [*FLAG_NAMES, "flag_evidence"] == header[-6:]
    descriptor = json.loads((exported / "dp" / "datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    links = resources["links"]["schema"]
    assert [f["name"] for f in links["fields"]] == list(TABLES_BY_NAME["links"].column_names)
    assert {"fields": ["achievement_id"], "reference": {"resource": "achievements", "fields": ["id"]}} in links["foreignKeys"]  # fmt: skip
    flag_fields = [
        f for f in resources["deliverables"]["schema"]["fields"] if f["name"] in FLAG_NAMES
    ]
    assert [f["type"] for f in flag_fields] == ["boolean"] * 5


def test_without_the_derived_values_the_library_export_leaves_flags_null(corpus_dir, tmp_path):
    from htreport.export.targets import Targets, export_corpus

    counts, _ = export_corpus(Targets(sqlite=tmp_path / "plain.sqlite"), [corpus_dir])
    assert counts["links"] == 0
    with sqlite3.connect(tmp_path / "plain.sqlite") as db:
        assert db.execute(
            "SELECT count(*) FROM deliverables WHERE stalled IS NOT NULL"
        ).fetchone() == (0,)


def test_two_reports_of_one_year_export_links_but_no_flags(tmp_path, runner):
    # no timeline can be made: every flag NULL (as analysis.flags.export_flag_values says),
    # while each report's links are still found; the export keeps no chart for the flags
    report = extracted(RAW_REPORT)
    htreport.dump(report, tmp_path / "data" / "a.yaml")
    htreport.dump(report, tmp_path / "data" / "b.yaml")
    database = tmp_path / "nap.sqlite"
    result = runner.invoke(app, ["export", str(tmp_path / "data"), "--sqlite", str(database)])
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(database) as connection:
        flagged = connection.execute(
            "SELECT count(*) FROM deliverables WHERE "
            + " OR ".join(f"{name} IS NOT NULL" for name in FLAG_NAMES)
        ).fetchone()
        links = connection.execute(
            "SELECT count(*), count(DISTINCT report_id) FROM links"
        ).fetchone()
    assert flagged == (0,)
    assert links == (2 * len(find_links([report])), 2)


def test_the_derived_values_keep_no_links_and_find_each_reports_as_it_is_written(tmp_path):
    from htreport.cli.export import derived_values

    report = extracted(RAW_REPORT)
    htreport.dump(report, tmp_path / "a.yaml")
    derived = derived_values([tmp_path], skip_invalid=False)
    assert not hasattr(derived, "links")  # nothing kept per file: found as rows are made
    assert derived.find_links is not None
    assert derived.find_links(report) == [link.to_data() for link in find_links([report])]


def test_a_bad_file_after_a_repeated_year_still_stops_the_export(tmp_path, runner):
    # the flags' pass stops reading at the repeated year; the export's own pass finds the file
    report = extracted(RAW_REPORT)
    htreport.dump(report, tmp_path / "data" / "a.yaml")
    htreport.dump(report, tmp_path / "data" / "b.yaml")
    (tmp_path / "data" / "c.yaml").write_text("metadata: [unclosed\n", "utf-8")
    database = tmp_path / "nap.sqlite"
    result = runner.invoke(app, ["export", str(tmp_path / "data"), "--sqlite", str(database)])
    assert result.exit_code == 2
    assert "c.yaml" in result.stderr
    assert not database.exists()


def _tables(database: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(database) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
            )
        ]
        return {
            name: sorted(connection.execute(f"SELECT * FROM {name}"), key=repr)  # noqa: S608
            for name in names
        }


def test_without_links_the_links_table_is_empty_and_every_other_table_the_same(
    exported, corpus_dir, tmp_path, runner
):
    database = tmp_path / "no-links.sqlite"
    result = runner.invoke(
        app, ["export", str(corpus_dir), "--sqlite", str(database), "--no-links"]
    )
    assert result.exit_code == 0, result.stderr
    full, without = _tables(exported / "nap.sqlite"), _tables(database)
    assert full["links"] and without["links"] == []
    assert {name: rows for name, rows in without.items() if name != "links"} == {
        name: rows for name, rows in full.items() if name != "links"
    }
