"""Shell examples in the README and docs/, run and compared, so a stale example fails CI.

A ```console block holds commands (`$ htreport ...`, continued with a trailing `\\`) each
followed by the output it prints (stdout and stderr together). An output ending in a line
`...` is compared on its first lines only. `$ echo $?` prints the previous command's exit
code; `$ cd DIR` moves the following commands. A block after the comment `<!-- not run: why -->` is not run (it needs files that do
not ship). The blocks of one page run in order in one workspace: a copy of data/, schemas/ and
tests/fixtures/, at 80 columns, piped (so output is plain text).

`pytest tests/test_doc_examples.py --update-golden` writes what the commands print now into the
pages; review that diff like code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SKIP_MARK = re.compile(r"<!--\s*not run:.*?-->")
FENCE = re.compile(r"^```console\s*$")


@dataclass
class Command:
    text: str
    expected: list[str]
    start: int  # index of the `$` line in the page
    output_start: int  # index of its first output line
    end: int  # index after its last output line


@dataclass
class Block:
    commands: list[Command] = field(default_factory=list)


def parse(lines: list[str]) -> list[Block]:
    """The console blocks to run in a page (its lines), skipping those marked not run."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if not FENCE.match(lines[index]):
            index += 1
            continue
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        skipped = bool(SKIP_MARK.search(before))
        index += 1
        block = Block()
        current: Command | None = None
        while index < len(lines) and not lines[index].startswith("```"):
            line = lines[index]
            if line.startswith("$ "):
                if current is not None:
                    current.end = index
                text = line[2:]
                start = index
                while text.endswith("\\") and index + 1 < len(lines):
                    index += 1
                    text = text[:-1] + " " + lines[index].strip()
                current = Command(text, [], start, index + 1, index + 1)
                block.commands.append(current)
            elif current is not None:
                current.expected.append(line)
            index += 1
        if current is not None:
            current.end = index
        if not skipped:
            blocks.append(block)
        index += 1
    return blocks


def workspace(root: Path, into: Path) -> Path:
    for name in ("data", "schemas", "tests/fixtures"):
        shutil.copytree(root / name, into / name)
    return into


def environment(cache: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("FORCE_COLOR", "TERM", "PYTEST_CURRENT_TEST")
    }
    env.update(
        PATH=bin_dir + os.pathsep + env.get("PATH", ""),
        COLUMNS="80",
        NO_COLOR="1",
        HTREPORT_CACHE_DIR=str(cache),
    )
    return env


def run(command: str, cwd: Path, env: dict[str, str], last_code: int) -> tuple[list[str], int]:
    """(output lines, exit code) of one example command (`cd` is handled by `Shell`)."""
    if command.strip() == "echo $?":
        return [str(last_code)], 0
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return [line.rstrip() for line in done.stdout.splitlines()], done.returncode


class Shell:
    """Runs a page's commands in order, remembering `cd` and the last exit code."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.cwd, self.env, self.code = root, env, 0

    def __call__(self, command: str) -> list[str]:
        words = command.split("#")[0].split()
        if len(words) == 2 and words[0] == "cd":
            self.cwd = (self.cwd / words[1]).resolve()
            self.code = 0
            return []
        output, self.code = run(command, self.cwd, self.env, self.code)
        return output


def compare(expected: list[str], actual: list[str]) -> bool:
    wanted = [line.rstrip() for line in expected]
    while wanted and not wanted[-1]:
        wanted.pop()
    if wanted and wanted[-1] == "...":
        head = wanted[:-1]
        return actual[: len(head)] == head
    return actual == wanted


def updated(expected: list[str], actual: list[str]) -> list[str]:
    """What to write for an example's output: all of it, or as many lines as were kept."""
    wanted = [line.rstrip() for line in expected]
    while wanted and not wanted[-1]:
        wanted.pop()
    if wanted and wanted[-1] == "..." and len(actual) > len(wanted) - 1:
        return actual[: len(wanted) - 1] + ["..."]
    return actual
