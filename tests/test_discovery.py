"""Finding structured files under a directory (`store.discovery`): what pathlib's rglob and
filters found, in the same order, whatever the tree holds."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from htreport.settings import STRUCTURED_SUFFIXES
from htreport.store.discovery import _files_under, _suffix, find_structured_files


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
    assert _files_under(root) == rglob_reference(root)
    relative = Path(os.path.relpath(root))
    assert _files_under(relative) == rglob_reference(relative)


def test_the_order_is_the_order_of_paths_not_of_strings(tmp_path):
    (tmp_path / "a").mkdir()
    for path in (tmp_path / "a" / "b.yaml", tmp_path / "a-b.yaml", tmp_path / "a.yaml"):
        path.write_text("x")
    # as strings "a-b.yaml" < "a.yaml" < "a/b.yaml"; as paths the folder "a" comes first
    assert [p.relative_to(tmp_path).as_posix() for p in _files_under(tmp_path)] == [
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
