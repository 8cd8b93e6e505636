"""`htreport export`: SQLite with foreign keys, indexes and FTS5; one CSV per table."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3

import pytest

from htreport.cli import app
from htreport.export.tables import TABLE_NAMES, TABLES


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def database(runner, structured_dir, tmp_path):
    path = tmp_path / "out" / "nap.sqlite"
    result = runner.invoke(app, ["export", str(structured_dir), "--sqlite", str(path)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and result.stdout == ""
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def test_counts_and_lead_join(database, report_2014):
    assert database.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    assert database.execute("SELECT count(*) FROM deliverables").fetchone() == (72,)
    assert database.execute("SELECT count(*) FROM pillars").fetchone() == (4,)
    assert database.execute("SELECT count(*) FROM objectives").fetchone() == (4,)
    assert database.execute("SELECT count(*) FROM tasks").fetchone() == (17,)
    by_department = dict(
        database.execute(
            "SELECT l.department, count(DISTINCT d.id) FROM deliverables d "
            "JOIN deliverable_leads l ON l.deliverable_id = d.id GROUP BY l.department"
        ).fetchall()
    )
    assert by_department["CBSA"] == 12
    assert by_department["ESDC"] == 13
    tfwp = database.execute(
        "SELECT count(*) FROM deliverable_leads WHERE department = 'ESDC' AND program = 'TFWP'"
    ).fetchone()
    assert tfwp == (9,)
    named = database.execute(
        "SELECT d.name_en FROM departments d JOIN deliverable_leads l ON l.department = d.code "
        "WHERE l.department = 'IRCC' LIMIT 1"
    ).fetchone()
    assert named == ("Immigration, Refugees and Citizenship Canada",)
    assert database.execute("SELECT count(*) FROM statistics").fetchone() == (
        len(report_2014.statistics),
    )
    assert database.execute("SELECT count(*) FROM achievements").fetchone() == (
        len(report_2014.achievements),
    )
    assert database.execute("SELECT count(*) FROM footnotes").fetchone() == (
        len(report_2014.footnotes),
    )
    new = database.execute("SELECT count(*) FROM deliverables WHERE new = 1").fetchone()
    in_progress = database.execute(
        "SELECT count(*) FROM deliverables WHERE status = 'in_progress'"
    ).fetchone()
    assert (new, in_progress) == ((8,), (6,))


def test_fts5_search(database, report_2014):
    expected = sorted(
        item.id for *_, item in report_2014.deliverables() if "training" in item.text.lower()
    )
    assert expected
    found = database.execute(
        "SELECT d.deliverable FROM deliverables_fts f JOIN deliverables d ON d.id = f.rowid "
        "WHERE deliverables_fts MATCH 'training' ORDER BY d.id"
    ).fetchall()
    assert sorted(row[0] for row in found) == expected

    # FTS5's default tokenizer: case-insensitive words of letters and digits
    def has_word(text, word):
        return word in re.findall(r"\w+", text.lower())

    for table, texts in (
        ("achievements", [a.text for a in report_2014.achievements]),
        ("statistics", [s.sentence for s in report_2014.statistics]),
    ):
        if not texts:
            continue
        word = max(re.findall(r"[a-z]+", texts[0].lower()), key=len)
        hits = database.execute(
            f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?", (word,)
        ).fetchone()[0]
        assert hits == sum(has_word(text, word) for text in texts) >= 1


def test_foreign_keys_and_indexes(database):
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    keys = database.execute(
        'SELECT "table", "from" FROM pragma_foreign_key_list(\'deliverable_leads\')'
    ).fetchall()
    assert ("deliverables", "deliverable_id") in keys and ("departments", "department") in keys
    indexed = {
        row[0]
        for row in database.execute(
            "SELECT ii.name FROM sqlite_master m, pragma_index_info(m.name) ii "
            "WHERE m.type = 'index' AND m.tbl_name = 'deliverables'"
        )
    }
    assert {"status", "pillar", "task", "start", "new", "report"} <= indexed
    tables = {
        row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert set(TABLE_NAMES) <= tables
    assert {"deliverables_fts", "statistics_fts", "achievements_fts"} <= tables


def test_csv_export_round_trips(runner, structured_dir, tmp_path, database):
    directory = tmp_path / "csv"
    result = runner.invoke(app, ["export", str(structured_dir), "--csv", str(directory)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        f"{name}.csv" for name in TABLE_NAMES
    )
    for name in TABLE_NAMES:
        with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        cursor = database.execute(f'SELECT * FROM "{name}"')
        header = [column[0] for column in cursor.description]
        booleans = {
            c.name for t in TABLES if t.name == name for c in t.columns if c.type == "boolean"
        }
        expected = [
            [
                "" if v is None else {1: "true", 0: "false"}[v] if h in booleans else str(v)
                for h, v in zip(header, row, strict=True)
            ]
            for row in cursor.fetchall()
        ]
        assert rows[0] == header
        assert rows[1:] == expected, name


def test_csv_export_spells_booleans_as_query_csv_does(runner, structured_dir, tmp_path):
    directory = tmp_path / "csv"
    assert (
        runner.invoke(app, ["export", str(structured_dir), "--csv", str(directory)]).exit_code == 0
    )
    with (directory / "deliverables.csv").open(encoding="utf-8", newline="") as stream:
        exported = {(r["report"], r["deliverable"]): r["new"] for r in csv.DictReader(stream)}
    queried = runner.invoke(
        app,
        ["query", "deliverables", str(structured_dir), "-F", "csv", "--fields", "report,id,new"],
    )
    assert queried.exit_code == 0, queried.output
    shown = {(r["report"], r["id"]): r["new"] for r in csv.DictReader(queried.stdout.splitlines())}
    assert exported == shown and set(shown.values()) == {"true", "false"}


def test_refuses_to_overwrite_without_force(runner, structured_dir, tmp_path):
    target = tmp_path / "nap.sqlite"
    target.write_bytes(b"keep me")
    csv_dir = tmp_path / "csv"
    result = runner.invoke(
        app, ["export", str(structured_dir), "--csv", str(csv_dir), "--sqlite", str(target)]
    )
    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: exists; pass --force to overwrite\n"
    assert target.read_bytes() == b"keep me" and not csv_dir.exists()  # nothing written at all
    forced = runner.invoke(app, ["export", str(structured_dir), "--sqlite", str(target), "--force"])
    assert forced.exit_code == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT count(*) FROM deliverables").fetchone() == (72,)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_bad_input(runner, structured_dir, tmp_path):
    nothing = runner.invoke(app, ["export", str(structured_dir)])
    assert (
        nothing.exit_code == 2 and "nothing to do: give --sqlite FILE, --csv DIR" in nothing.stderr
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(structured_dir / "2014-2015.yaml", corpus)
    (corpus / "broken.json").write_text('{"schema_version": "1.0",', "utf-8")
    target = tmp_path / "db.sqlite"
    failed = runner.invoke(app, ["export", str(corpus), "--sqlite", str(target)])
    assert failed.exit_code == 2 and not target.exists()
    assert (
        failed.stderr.startswith(f"error: {corpus / 'broken.json'}:1:")
        and "invalid JSON" in failed.stderr
    )
    skipped = runner.invoke(app, ["export", str(corpus), "--sqlite", str(target), "--skip-invalid"])
    assert skipped.exit_code == 1 and target.exists()
    assert "warning: skipped" in skipped.stderr


def test_several_reports_in_one_database(runner, structured_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (structured_dir / "2014-2015.yaml").read_text("utf-8")
    (corpus / "2014-2015.yaml").write_text(text, "utf-8")
    (corpus / "2015-2016.yaml").write_text(
        text.replace("fiscal_year: 2014-2015", "fiscal_year: 2015-2016"), "utf-8"
    )
    target = tmp_path / "two.sqlite"
    assert runner.invoke(app, ["export", str(corpus), "--sqlite", str(target)]).exit_code == 0
    with sqlite3.connect(target) as connection:
        per_year = connection.execute(
            "SELECT r.fiscal_year, count(*) FROM deliverables d "
            "JOIN reports r ON r.id = d.report_id "
            "JOIN deliverable_leads l ON l.deliverable_id = d.id WHERE l.department = 'CBSA' "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert per_year == [("2014-2015", 12), ("2015-2016", 12)]


def test_a_chart_without_a_status_column_exports_null_statuses(runner, tmp_path):
    import htreport

    from .conftest import HERE

    report = htreport.extract(HERE / "fixtures" / "layouts" / "no-status.txt")
    assert {d.status for *_, d in report.deliverables()} == {None}
    htreport.dump(report, tmp_path / "in" / "2014-2015.yaml")
    result = runner.invoke(
        app, ["export", str(tmp_path / "in"), "--sqlite", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "x.db") as connection:
        rows = connection.execute("SELECT count(*), count(status) FROM deliverables").fetchone()
    assert rows == (72, 0)


def test_a_bad_file_midway_leaves_no_output_at_all(runner, structured_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(structured_dir / "2014-2015.yaml", corpus / "a.yaml")
    (corpus / "b.yaml").write_text("schema_version: '1.0'\nsource: [\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    failed = runner.invoke(
        app,
        [
            "export", str(corpus), "--sqlite", str(out / "db.sqlite"),
            "--metadata", str(out / "datasette.yaml"), "--csv", str(out / "csv"),
            "--datapackage", str(out / "package"), "--parquet", str(out / "parquet"),
        ],
    )  # fmt: skip
    assert failed.exit_code == 2 and str(corpus / "b.yaml") in failed.stderr
    assert list(out.iterdir()) == []  # no file, no directory, no staging copy left behind


def test_forced_export_replaces_only_its_own_files(runner, structured_dir, tmp_path):
    directory = tmp_path / "package"
    directory.mkdir()
    (directory / "notes.txt").write_text("mine", "utf-8")
    (directory / "deliverables.csv").write_text("old", "utf-8")
    refused = runner.invoke(app, ["export", str(structured_dir), "--datapackage", str(directory)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: {directory / 'deliverables.csv'}: exists; pass --force to overwrite\n"
    )
    forced = runner.invoke(
        app, ["export", str(structured_dir), "--datapackage", str(directory), "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert (directory / "notes.txt").read_text("utf-8") == "mine"
    assert (directory / "deliverables.csv").read_text("utf-8").startswith("id,label,report_id,")
    assert (directory / "datapackage.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package"]


def test_metadata_needs_the_database(runner, structured_dir, tmp_path):
    result = runner.invoke(
        app, ["export", str(structured_dir), "--metadata", str(tmp_path / "m.yaml")]
    )
    assert result.exit_code == 2 and "nothing to do" in result.stderr
    result = runner.invoke(
        app,
        ["export", str(structured_dir), "--csv", str(tmp_path / "c"), "--metadata", "m.yaml"],
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --metadata describes the --sqlite database: give --sqlite FILE too\n"
    )
    assert not (tmp_path / "c").exists()
