"""Docs can't drift: every command has help and appears in the README; the README's set-up
commands are the ones CI runs."""

from __future__ import annotations

import re

import pytest

from htreport.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_registered():
    assert command_names() == sorted(
        [
            "cache",
            "chart",
            "diff",
            "export",
            "extract",
            "history",
            "links",
            "query",
            "report",
            "schema",
            "summary",
            "validate",
        ]
    )


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_and_is_in_the_readme(runner, name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert f"`htreport {name}" in README


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_test_one():
    block = re.search(r"```sh\n(.*?)```", README, re.DOTALL).group(1)
    lines = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert lines[0] == "pip install -e . && htreport extract data/raw/ -o data/structured/ --force"
    assert lines[1] == 'pip install -c requirements/dev.txt -e ".[dev]" && pytest'
    assert lines[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_exit_codes_are_documented():
    from htreport.errors import ExitCode

    for code in ExitCode:
        assert f"| {code.value} | `{code.name}` |" in README


def test_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_mkdocs_builds_strict(tmp_path):
    pytest.importorskip("mkdocs")
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "api" / "index.html").read_text("utf-8").count("load_corpus") > 0
    # the schema is published where data files' $schema points (settings.SCHEMA_URL)
    from htreport.settings import SCHEMA_URL

    site_url = re.search(r"^site_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert site_url and SCHEMA_URL.startswith(site_url[1])
    published = tmp_path / "site" / SCHEMA_URL.removeprefix(site_url[1])
    assert published.read_bytes() == (ROOT / "schemas" / "report.schema.json").read_bytes()


def test_docs_link_only_to_files_that_exist():
    for page in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / ".pre-commit-hooks.yaml"]:
        for target in re.findall(r"\]\(([^)#:]+)\)|see (docs/\S+\.md)", page.read_text("utf-8")):
            name = next(t for t in target if t)
            assert (page.parent / name).exists(), (page.name, name)
