"""Waiting on child processes in the signal and concurrency tests."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def wait_for(path: Path, child: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until `path` exists (the child's sign that it is mid-write), failing if the child
    exits first or never gets there."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never started writing"
        time.sleep(0.02)
