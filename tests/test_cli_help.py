"""Help text: plain placeholders (no Python types), and every example in every --help runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from htreport.cli import app

from .conftest import ROOT


def _commands() -> list[list[str]]:
    """Every command path: ['extract'], ['query', 'deliverables'], ..."""
    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        if subs:
            found += [[name, sub] for sub in subs]
        else:
            found.append([name])
    return found


COMMANDS = _commands()


def _help(runner, words: list[str]) -> str:
    result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("words", [[], *COMMANDS], ids=lambda w: " ".join(w) or "htreport")
def test_help_shows_no_python_types(runner, words):
    text = _help(runner, words)
    for leak in ("<list", "list[", "<int", "<str", "<float", "<path", "range>", "{", "Path]"):
        assert leak not in text, f"{leak!r} in help of {words}"
    assert max(len(line) for line in text.splitlines()) <= 80


def test_every_command_has_examples(runner):
    for words in COMMANDS:
        assert "$ htreport " in _help(runner, words), words


def _examples(runner) -> list[str]:
    examples = []
    for words in COMMANDS:
        for line in _help(runner, words).splitlines():
            match = re.match(r"\s+\$ (htreport .*)", line)
            if match:
                examples.append(match.group(1))
    return examples


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of the shipped data and schemas, where examples may write what they like."""
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root


def test_every_help_example_runs(runner, workspace):
    examples = _examples(runner)
    assert len(examples) >= 15
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    for example in examples:
        done = subprocess.run(
            ["bash", "-c", example],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )
        assert done.returncode == 0, f"{example}\n{done.stderr}"
        assert done.stdout or done.stderr or "-o " in example or "--check" in example, example
