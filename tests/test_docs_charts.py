"""docs/charts.md: its synonym example works, and its fixtures exist."""

from __future__ import annotations

import re

import yaml

from htreport.model.columns import column_registry, registry_from

from .conftest import HERE, ROOT

PAGE = (ROOT / "docs" / "charts.md").read_text("utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE, re.DOTALL)


def test_the_python_example_runs():
    (code,) = _blocks("python")
    exec(compile(code, "docs/charts.md", "exec"), {})


def test_the_yaml_example_added_to_the_registry_makes_the_header_recognised():
    (snippet,) = _blocks("yaml")
    packaged = yaml.safe_load(
        (ROOT / "src" / "htreport" / "data" / "columns.yaml").read_text("utf-8")
    )
    for column, names in yaml.safe_load(snippet)["columns"].items():
        packaged["columns"][column] += names
    assert column_registry().column_of("Champion(s)") is None
    assert registry_from(packaged).column_of("Champion(s)") == "lead"


def test_every_fixture_named_exists():
    for name in re.findall(r"`((?:layouts|pdf)/[\w.-]+\.(?:txt|pdf))`", PAGE):
        assert (HERE / "fixtures" / name).exists(), name
