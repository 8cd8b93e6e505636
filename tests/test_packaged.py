"""The registries' compiled JSON copies (htreport.model.packaged)."""

from __future__ import annotations

import pytest

from htreport.model import packaged

from .conftest import ROOT

DATA = ROOT / "src" / "htreport" / "data"


@pytest.mark.parametrize("name", packaged.REGISTRIES)
def test_the_shipped_compiled_copy_is_current(name):
    expected = packaged.compile_yaml((DATA / name).read_text("utf-8"))
    assert (DATA / packaged.compiled_name(name)).read_text("utf-8") == expected, (
        "run scripts/compile-registries after editing a registry"
    )


@pytest.mark.parametrize("name", packaged.REGISTRIES)
def test_a_registry_reads_as_its_yaml_says(name):
    assert packaged.packaged_yaml(name) == packaged.parse_yaml((DATA / name).read_text("utf-8"))


def test_an_edited_registry_counts_even_before_its_copy_is_compiled(monkeypatch):
    read = packaged._read

    def edited(name: str) -> str:
        text = read(name)
        return text + "extra: [added]\n" if name == "columns.yaml" else text

    monkeypatch.setattr(packaged, "_read", edited)
    assert packaged.packaged_yaml("columns.yaml")["extra"] == ["added"]


@pytest.mark.parametrize("copy", ["", "{", "[]", '{"source_sha256": "x", "data": {}}'])
def test_a_damaged_or_foreign_copy_is_ignored(monkeypatch, copy):
    read = packaged._read
    monkeypatch.setattr(
        packaged, "_read", lambda name: copy if name.endswith(".json") else read(name)
    )
    expected = packaged.parse_yaml((DATA / "departments.yaml").read_text("utf-8"))
    assert packaged.packaged_yaml("departments.yaml") == expected


def test_a_missing_copy_is_ignored(monkeypatch):
    read = packaged._read

    def without_copies(name: str) -> str:
        if name.endswith(".json"):
            raise FileNotFoundError(name)
        return read(name)

    monkeypatch.setattr(packaged, "_read", without_copies)
    expected = packaged.parse_yaml((DATA / "columns.yaml").read_text("utf-8"))
    assert packaged.packaged_yaml("columns.yaml") == expected
