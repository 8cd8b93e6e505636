"""Every console example in the README and docs/ runs and prints what the page says."""

from __future__ import annotations

import pytest

from . import docexamples
from .conftest import ROOT

PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_docs_have_examples_to_run():
    counted = sum(
        len(block.commands)
        for page in PAGES
        for block in docexamples.parse(page.read_text("utf-8").splitlines())
    )
    assert counted >= 30


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_print_what_the_page_says(page, tmp_path, update_golden):
    lines = page.read_text("utf-8").splitlines()
    blocks = docexamples.parse(lines)
    if not blocks:
        return
    root = docexamples.workspace(ROOT, tmp_path / "work")
    env = docexamples.environment(tmp_path / "cache")
    failures, replacements = [], []
    shell = docexamples.Shell(root, env)
    for block in blocks:
        for command in block.commands:
            actual = shell(command.text)
            if not docexamples.compare(command.expected, actual):
                failures.append(
                    f"{page.name}:{command.start + 1}: $ {command.text}\n"
                    + "\n".join(f"  expected| {line}" for line in command.expected)
                    + "\n"
                    + "\n".join(f"  actual  | {line}" for line in actual)
                )
                replacements.append(
                    (
                        command.output_start,
                        command.end,
                        docexamples.updated(command.expected, actual),
                    )
                )
    if update_golden and replacements:
        for start, end, new in sorted(replacements, reverse=True):
            lines[start:end] = new
        page.write_text("\n".join(lines) + "\n", "utf-8")
        return
    assert not failures, "\n\n".join(failures)


def test_every_command_of_the_analysis_page_is_run():
    """docs/analysis.md shows its commands only in console blocks that this module runs."""
    lines = (ROOT / "docs" / "analysis.md").read_text("utf-8").splitlines()
    run = [command.text for block in docexamples.parse(lines) for command in block.commands]
    shown = [line[2:] for line in lines if line.startswith("$ ")]
    assert run == shown and len(run) >= 15
    assert not [line for line in lines if line.lstrip().startswith("htreport ")]
    for command in ("query", "history", "links", "chart", "report", "extract"):
        assert any(text.startswith(f"htreport {command} ") for text in run), command
