"""Finding structured files under a directory (`store.discovery`): what pathlib's rglob and
filters found, in the same order, whatever the tree holds."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from htreport.settings import STRUCTURED_SUFFIXES
from htreport.store.discovery import _suffix, files_under, find_structured_files


def rglob_reference(path: Path) -> list[Path]:
    """The previous implementation, kept as the oracle."""
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix.lower() in STRUCTURED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and p.is_file()
    )


NAMES = ["a.yaml", "b.YML", "c.json", "d.Json", "e.yaml.bak", "yaml", "f.", ".yaml", ".g.yaml",
         "h.txt", "a-b.yaml", "a b.json", "é.yaml", "Z.yaml", "a.yml", "x.y.json"]  # fmt: skip
FOLDERS = ["a", "a-b", "a.b", ".hidden", "deep/er", "A", "sub.yaml", "é"]


def _tree(root: Path, rng: random.Random) -> None:
    for folder in rng.sample(FOLDERS, k=rng.randint(0, len(FOLDERS))):
        (root / folder).mkdir(parents=True, exist_ok=True)
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    for _ in range(rng.randint(1, 25)):
        (rng.choice(folders) / rng.choice(NAMES)).write_text("x")
    files = [p for p in root.rglob("*") if p.is_file()]
    if files:
        os.symlink(rng.choice(files), root / "link-to-file.yaml")
    os.symlink(root / "missing", root / "broken.yaml")
    if (root / "a").is_dir():
        os.symlink(root / "a", root / "linked-dir")  # not followed
        os.symlink(root / "a", root / "linked-dir.yaml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.yaml")


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX trees")
@pytest.mark.parametrize("seed", range(25))
def test_files_under_a_directory_are_those_rglob_found_in_its_order(tmp_path, seed):
    root = tmp_path / "corpus"
    root.mkdir()
    _tree(root, random.Random(seed))
    assert files_under(root, []) == rglob_reference(root)
    relative = Path(os.path.relpath(root))
    assert files_under(relative, []) == rglob_reference(relative)


def test_the_order_is_the_order_of_paths_not_of_strings(tmp_path):
    (tmp_path / "a").mkdir()
    for path in (tmp_path / "a" / "b.yaml", tmp_path / "a-b.yaml", tmp_path / "a.yaml"):
        path.write_text("x")
    # as strings "a-b.yaml" < "a.yaml" < "a/b.yaml"; as paths the folder "a" comes first
    assert [p.relative_to(tmp_path).as_posix() for p in files_under(tmp_path, [])] == [
        "a/b.yaml",
        "a-b.yaml",
        "a.yaml",
    ]


@pytest.mark.parametrize("name", NAMES + ["..", ".", "a..yaml", "a.b.", "noext"])
def test_suffix_is_pathlibs(name):
    assert _suffix(name) == Path(name).suffix


def test_a_file_named_twice_is_found_once(tmp_path):
    (tmp_path / "a.yaml").write_text("x")
    found = find_structured_files([tmp_path, tmp_path / "a.yaml", Path(os.path.relpath(tmp_path))])
    assert found == [tmp_path / "a.yaml"]


# A folder that cannot be listed. As root (CI) permissions do not stop a listing, so the
# refusal is made by patching os.scandir for that one folder; the real one is checked below
# where the tests run as another user.


@pytest.fixture
def locked_corpus(tmp_path, monkeypatch):
    """`corpus/open/report.yaml` readable, `corpus/locked/` not listable; returns both paths."""
    from .conftest import STRUCTURED_DIR

    corpus = tmp_path / "corpus"
    for folder in ("open", "locked"):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "report.yaml").write_bytes(
            (STRUCTURED_DIR / "2014-2015.yaml").read_bytes()
        )
    locked = corpus / "locked"
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return corpus, locked


def test_a_folder_that_cannot_be_listed_is_an_error_naming_it(locked_corpus):
    from htreport.errors import DataFileError

    corpus, locked = locked_corpus
    with pytest.raises(DataFileError) as error:
        find_structured_files(corpus)
    assert str(error.value) == f"{locked}: cannot list this folder: Permission denied"


def test_the_folders_that_cannot_be_listed_can_be_collected_instead(locked_corpus):
    corpus, locked = locked_corpus
    unlisted = []
    assert find_structured_files(corpus, unlisted=unlisted) == [corpus / "open" / "report.yaml"]
    assert [(error.path, error.message) for error in unlisted] == [
        (str(locked), "cannot list this folder: Permission denied")
    ]


def test_a_given_folder_that_cannot_be_listed_is_not_called_empty(locked_corpus):
    from htreport.errors import DataFileError

    _corpus, locked = locked_corpus
    with pytest.raises(DataFileError, match="cannot list this folder"):
        find_structured_files(locked)
    unlisted = []
    assert find_structured_files(locked, unlisted=unlisted) == []
    assert len(unlisted) == 1


def test_a_corpus_skips_an_unlistable_folder_only_when_asked(locked_corpus, tmp_path, monkeypatch):
    from htreport.errors import DataFileError
    from htreport.store.corpus import iter_reports, load_corpus

    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus, locked = locked_corpus
    with pytest.raises(DataFileError, match="cannot list"):
        load_corpus(corpus)
    loaded = load_corpus(corpus, skip_invalid=True)
    assert [entry.path for entry in loaded.entries] == [corpus / "open" / "report.yaml"]
    assert [error.path for error in loaded.skipped] == [str(locked)]
    with pytest.raises(DataFileError, match="cannot list"):
        list(iter_reports(corpus))
    skipped = []
    reports = list(iter_reports(corpus, skip_invalid=True, skipped=skipped))
    assert [path for path, _report in reports] == [corpus / "open" / "report.yaml"]
    assert [error.path for error in skipped] == [str(locked)]


def test_commands_name_a_folder_they_cannot_list(locked_corpus, tmp_path, monkeypatch, runner):
    from htreport.cli import app

    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus, locked = locked_corpus
    line = f"{locked}: cannot list this folder: Permission denied"

    refused = runner.invoke(app, ["query", "deliverables", str(corpus), "--count"])
    assert (refused.exit_code, refused.stdout, refused.stderr) == (2, "", f"error: {line}\n")

    skipping = runner.invoke(
        app, ["query", "deliverables", str(corpus), "--count", "--skip-invalid"]
    )
    assert skipping.exit_code == 1
    assert int(skipping.stdout) > 0  # the readable report's deliverables
    assert f"skipped {line}" in skipping.stderr

    summarized = runner.invoke(app, ["summary", str(corpus)])
    assert (summarized.exit_code, summarized.stderr) == (2, f"error: {line}\n")

    database = tmp_path / "out.sqlite"
    exported = runner.invoke(app, ["export", str(corpus), "--sqlite", str(database)])
    assert (exported.exit_code, exported.stderr) == (2, f"error: {line}\n")
    assert not database.exists()
    exported = runner.invoke(
        app, ["export", str(corpus), "--sqlite", str(database), "--skip-invalid"]
    )
    assert exported.exit_code == 1
    assert f"skipped {line}" in exported.stderr
    assert database.exists()  # the readable report, exported

    validated = runner.invoke(app, ["validate", str(corpus)])
    assert validated.exit_code == 1
    assert line in validated.output
    assert "2 files checked: 1 valid, 1 with problems (1 problem)" in validated.output


@pytest.mark.skipif(
    os.name == "nt" or not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="a folder's permissions stop only a user who is not root",
)
def test_a_folder_without_read_permission_is_named(tmp_path):
    from htreport.errors import DataFileError

    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.yaml").write_text("x")
    (tmp_path / "b.yaml").write_text("x")
    locked.chmod(0)
    try:
        with pytest.raises(DataFileError, match="cannot list this folder: Permission denied"):
            find_structured_files(tmp_path)
    finally:
        locked.chmod(0o755)
