"""Bulk work keeps the cyclic garbage collector from rescanning what is loaded.

Loading a data file makes hundreds of thousands of objects that reference counting frees; with
Python's default young-generation threshold (700) the collector walks them, and everything
already loaded, again and again. Worker processes, the command line and `export` run with a
higher threshold and the startup objects frozen; a library caller's collector is left as it
was (an extraction raises the threshold while it runs, and freezes nothing).
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from htreport.store import io
from htreport.store.entries import entry_from_report, load_report
from htreport.store.parallel import BULK_GC_THRESHOLD, bulk_load, map_in_processes

from .conftest import STRUCTURED_DIR


def collector_state(_item: int) -> tuple[int, int]:
    return gc.get_threshold()[0], gc.get_freeze_count()


def test_worker_processes_collect_rarely():
    states = map_in_processes(collector_state, list(range(4)), jobs=2, threshold=2)
    assert all(first >= BULK_GC_THRESHOLD and frozen > 0 for first, frozen in states)


def test_bulk_load_restores_the_collector_afterwards():
    before = gc.get_threshold()
    with bulk_load():
        assert gc.get_threshold()[0] >= BULK_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_bulk_load_inside_a_frozen_process_keeps_it_frozen():
    before = gc.get_threshold()
    try:
        gc.freeze()
        with bulk_load():
            pass
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()


def test_importing_the_command_line_leaves_the_collector_alone():
    code = "import gc; import htreport.cli; print(gc.get_threshold()[0], gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(gc.get_threshold()[0]), "0"]


def test_the_command_line_collects_rarely():
    code = (
        "import gc, sys\n"
        "from htreport.cli import main\n"
        "sys.argv = ['htreport', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == [str(BULK_GC_THRESHOLD), "True"]


def _thresholds_seen_by(monkeypatch, module, name: str) -> list[int]:
    """The collector's young threshold each time `module.name` is called, from now on."""
    seen: list[int] = []
    function = getattr(module, name)

    def noting(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return seen


def test_an_extraction_collects_rarely_and_restores_the_collector(monkeypatch):
    from htreport.parsers import statistics

    from .conftest import RAW_REPORT

    seen = _thresholds_seen_by(monkeypatch, statistics, "parse")
    before = gc.get_threshold()
    from htreport.pipeline import extract

    extract(RAW_REPORT)
    assert seen and seen[0] >= BULK_GC_THRESHOLD
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # nothing of the caller's is frozen


def test_overlapping_extractions_in_threads_restore_the_collector():
    import threading

    from htreport.settings import young_collections_rare

    before = gc.get_threshold()
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    after_first_left: list[int] = []

    def first() -> None:
        with young_collections_rare():
            first_in.set()
            second_in.wait(5)
        first_may_leave.set()

    def second() -> None:
        first_in.wait(5)
        with young_collections_rare():
            second_in.set()
            first_may_leave.wait(5)
            after_first_left.append(gc.get_threshold()[0])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert after_first_left and after_first_left[0] >= BULK_GC_THRESHOLD  # still raised
    assert gc.get_threshold() == before


def test_reading_a_pdf_collects_rarely_and_restores_the_collector(monkeypatch):
    # the library's read_pdf on its own, not through an extraction
    from htreport.readers.pdf import read_pdf
    from htreport.readers.pdf import reader as pdf_reader

    from .conftest import PDF_REPORT

    seen = _thresholds_seen_by(monkeypatch, pdf_reader, "load_pages")
    before = gc.get_threshold()
    assert before[0] < BULK_GC_THRESHOLD  # else the test could not fail
    read_pdf(PDF_REPORT.read_bytes(), "report.pdf", parallel=False)
    assert seen == [BULK_GC_THRESHOLD]
    assert gc.get_threshold() == before


def _garbage_left_by(load) -> int:
    """How many objects only the cyclic collector could free after `load()` runs once more
    (the first call may set up caches that live on)."""
    load()
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        load()
        return gc.collect()
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("path", sorted(STRUCTURED_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_loading_a_data_file_leaves_nothing_for_the_collector(path, fmt):
    """With collections rare in bulk work, a reference cycle made per file keeps that file's
    objects (all its strings, for a cycle through the parser) alive until the collector runs:
    `export --sqlite` of 5,000 files peaked at 585 MB instead of 290 MB when the YAML fast
    path's builder was a recursive closure."""
    text = path.read_text("utf-8")
    data = text if fmt == "yaml" else io.dumps(io.loads(text), "json")
    name = Path(f"{path.stem}.{fmt}")
    assert _garbage_left_by(lambda: io.loads(data, fmt)) == 0
    assert _garbage_left_by(lambda: entry_from_report(name, load_report(data.encode(), name))) == 0


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_careful_path_and_positions_leave_nothing_for_the_collector(fmt):
    """A file the fast path cannot vouch for, or one with a problem to place, builds the
    position tree; its YAML builder was a recursive closure holding the whole tree in a
    cycle (18,000 objects a parse of the shipped report)."""
    from htreport.store.validate import validate_text

    text = (STRUCTURED_DIR / "2014-2015.yaml").read_text("utf-8")
    data = text if fmt == "yaml" else io.dumps(io.loads(text), "json")
    assert _garbage_left_by(lambda: io._parse_carefully(data, fmt, "<string>")) == 0
    assert _garbage_left_by(lambda: io.parse_document(data, fmt).positions) == 0
    wrong = data.replace("2014-04-01", "2014-99-01", 1)
    assert not validate_text(wrong, fmt).ok  # an issue placed through the position tree
    assert _garbage_left_by(lambda: validate_text(wrong, fmt)) == 0
