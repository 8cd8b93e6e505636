"""The atomic writer (store/atomic.py): modes from the umask, race-free refusal to overwrite,
no temporary file left by SIGTERM or SIGINT, and every OSError one OutputError."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from htreport.errors import OutputError, OutputExistsError
from htreport.store import atomic, cleanup
from htreport.store.atomic import write_atomic

from .conftest import ROOT
from .processes import wait_for

posix_only = pytest.mark.skipif(os.name != "posix", reason="umask and signals are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


class _Umask:
    def __init__(self, mask: int) -> None:
        self.mask = mask

    def __enter__(self) -> None:
        self.saved = os.umask(self.mask)

    def __exit__(self, *exc: object) -> None:
        os.umask(self.saved)


@posix_only
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mask=st.integers(0, 0o777))
def test_a_new_file_gets_0666_less_the_umask(tmp_path, mask):
    target = tmp_path / f"out-{mask:o}" / "x.yaml"
    with _Umask(mask):
        write_atomic(target, "a: 1\n")
    assert _mode(target) == 0o666 & ~mask
    assert target.read_text("utf-8") == "a: 1\n"
    assert _leftovers(target.parent) == []


@posix_only
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mode=st.integers(0, 0o777), mask=st.sampled_from([0o022, 0o077, 0o002, 0]))
def test_an_overwritten_file_keeps_its_mode(tmp_path, mode, mask):
    target = tmp_path / f"x-{mode:o}-{mask:o}.json"
    target.write_text("old", "utf-8")
    os.chmod(target, mode | 0o200)  # writable by its owner, like any file one overwrites
    with _Umask(mask):
        write_atomic(target, b"new", force=True)
    assert _mode(target) == mode | 0o200
    assert target.read_bytes() == b"new"


def test_the_library_dump_honours_the_umask_and_refuses_bad_paths(report_2014, tmp_path):
    import htreport

    with _Umask(0o027):
        htreport.dump(report_2014, tmp_path / "r.yaml")
    assert _mode(tmp_path / "r.yaml") == 0o640
    with pytest.raises(OutputExistsError, match="pass force=True"):
        htreport.dump(report_2014, tmp_path / "r.yaml")
    (tmp_path / "file").write_text("", "utf-8")
    cases = {
        "": "the output path is empty",
        str(tmp_path / "file" / "r.yaml"): f"cannot write: {tmp_path / 'file'} is a file",
        str(tmp_path): "is a directory",
    }
    for path, message in cases.items():
        with pytest.raises(OutputError) as caught:
            htreport.dump(report_2014, path, force=True)
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only file system"),
        (errno.ENOSPC, "no space left on device"),
    ],
)
def test_an_unwritable_place_is_one_output_error(tmp_path, monkeypatch, code, words):
    def refuse(target: Path, *, keep_mode: bool = False):
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(atomic, "create_temporary", refuse)
    target = tmp_path / "x.yaml"
    with pytest.raises(OutputError) as caught:
        write_atomic(target, "x")
    assert str(caught.value) == f"{target}: cannot write: {words}"
    assert list(tmp_path.iterdir()) == []


def _race(path: str, data: bytes, barrier, results, no_links: bool) -> None:
    if no_links:
        os.link = _no_link  # type: ignore[assignment]
    barrier.wait()
    try:
        write_atomic(path, data)
    except OutputExistsError:
        results.put((data[:1], "refused"))
    else:
        results.put((data[:1], "written"))


def _no_link(*args, **kwargs):
    raise OSError(errno.EPERM, "Operation not permitted")


@posix_only
@pytest.mark.parametrize("no_links", [False, True], ids=["hard-link", "no-hard-links"])
def test_two_writers_at_once_never_both_succeed(tmp_path, no_links):
    """Two processes write one new file at the same moment, many times: exactly one wins and
    the file holds the winner's bytes whole (the old check-then-replace let both win)."""
    context = multiprocessing.get_context("fork")
    size = 4 << 20  # large enough that the writes overlap
    for trial in range(12):
        target = tmp_path / f"race-{trial}.yaml"
        barrier, results = context.Barrier(2), context.Queue()
        writers = [
            context.Process(
                target=_race, args=(str(target), mark * size, barrier, results, no_links)
            )
            for mark in (b"a", b"b")
        ]
        for process in writers:
            process.start()
        for process in writers:
            process.join(60)
        outcome = dict(results.get(timeout=10) for _ in writers)
        assert sorted(outcome.values()) == ["refused", "written"], (trial, outcome)
        winner = next(mark for mark, what in outcome.items() if what == "written")
        assert target.read_bytes() == winner * size
    assert _leftovers(tmp_path) == []


def test_without_hard_links_an_existing_file_is_still_never_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "link", _no_link)
    target = tmp_path / "x.txt"
    write_atomic(target, "first")
    handle, temporary = atomic.create_temporary(target)
    os.close(handle)
    with pytest.raises(OutputExistsError):  # past the early check: the publish refuses
        atomic.publish(temporary, target, force=False)
    atomic.discard(temporary)
    assert target.read_text("utf-8") == "first"
    write_atomic(target, "second", force=True)
    assert target.read_text("utf-8") == "second"
    assert _leftovers(tmp_path) == []


_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from htreport.store.atomic import write_atomic

    target, marker = Path(sys.argv[1]), Path(sys.argv[2])

    def chunks():
        for number in range(100_000):
            yield b"x" * (1 << 20)
            if number == 8:
                marker.write_text("writing")
                time.sleep(0.05)  # a slow disk: the signal comes while this write runs

    write_atomic(target, chunks())
    """
)


@posix_only
@pytest.mark.parametrize(
    ("signum", "codes"),
    [(signal.SIGTERM, {143}), (signal.SIGINT, {-signal.SIGINT, 130}), (signal.SIGHUP, {129})],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_a_signal_mid_write_leaves_no_temporary_file(tmp_path, signum, codes):
    """A child writing a large output is stopped by a signal: it exits as the signal means
    (128 + signal; SIGINT as KeyboardInterrupt) and neither the hidden temporary file nor
    the target is left."""
    out = tmp_path / "out"
    out.mkdir()
    target, marker = out / "big.yaml", tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target), str(marker)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    wait_for(marker, child)
    assert any(p.name.startswith(".big.yaml.") for p in out.iterdir())  # mid-write indeed
    child.send_signal(signum)
    child.communicate(timeout=60)
    assert child.returncode in codes
    assert list(out.iterdir()) == []


def test_the_handlers_are_restored_after_a_write(tmp_path):
    before = {signum: signal.getsignal(signum) for signum in cleanup.CLEANUP_SIGNALS}
    write_atomic(tmp_path / "x", "x")
    assert {signum: signal.getsignal(signum) for signum in cleanup.CLEANUP_SIGNALS} == before
    assert cleanup.live_temporaries() == []


def test_a_signal_while_publishing_waits_for_the_rename(tmp_path):
    """A signal that arrives between the rename and the registry update is held: the
    published file is never removed as if it were a temporary."""
    target = tmp_path / "x.txt"
    handle, temporary = atomic.create_temporary(target)
    os.close(handle)
    with pytest.raises(SystemExit) as stopped:
        with cleanup.critical_section():
            cleanup._on_signal(signal.SIGTERM, None)  # as if delivered now
            os.replace(temporary, target)
            cleanup.untrack(temporary)
    assert stopped.value.code == 143
    assert target.exists()
