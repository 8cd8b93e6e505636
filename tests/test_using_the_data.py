"""Every example of docs/using-the-data.md runs, in order, and prints what the page shows."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PAGE = ROOT / "docs" / "using-the-data.md"
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _shell_examples(block: str) -> list[tuple[str, list[str]]]:
    """($ command, the output lines shown under it) for each command of a sh block."""
    examples: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            examples.append((line[2:], []))
        else:
            examples[-1][1].append(line)
    return examples


def test_every_example_runs_and_prints_what_is_shown(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data" / "structured", tmp_path / "data" / "structured")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    text = PAGE.read_text("utf-8")
    blocks = BLOCK.findall(text)
    assert [kind for kind, _ in blocks].count("python") >= 4 and len(blocks) >= 8
    for number, (kind, block) in enumerate(blocks, 1):
        if kind == "sh":
            for command, shown in _shell_examples(block):
                result = subprocess.run(
                    command, shell=True, capture_output=True, text=True, timeout=300
                )
                assert result.returncode == 0, (command, result.stderr[-2000:])
                if shown:
                    printed = [line.rstrip() for line in result.stdout.splitlines()]
                    assert printed == shown, command
        else:
            test = doctest.DocTestParser().get_doctest(block, {}, f"block {number}", str(PAGE), 0)
            output: list[str] = []
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test, out=output.append)
            assert runner.failures == 0, "".join(output)
