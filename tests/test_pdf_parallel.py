"""Reading a PDF's pages in several processes gives the Document reading them here gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from htreport.errors import SourceError
from htreport.readers.pdf import pages as pdf_pages
from htreport.readers.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = sorted(FIXTURES.rglob("*.pdf"))


def _outcome(data: bytes, name: str, parallel: bool) -> object:
    try:
        return read_pdf(data, name, parallel=parallel)
    except SourceError as error:
        return f"SourceError: {error}"


def test_every_fixture_pdf_is_among_those_compared():
    assert len(PDFS) >= 16
    assert FIXTURES / "nap-2014-15-annual-report.pdf" in PDFS


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_parallel_pages_give_the_same_document_or_error(path):
    data = path.read_bytes()
    assert _outcome(data, path.name, True) == _outcome(data, path.name, False)


def test_the_shipped_report_is_read_in_two_processes(monkeypatch):
    # not a test that passes by reading everything here: the workers must have been used
    # (whatever threads other tests left running; `_may_fork` is tested on its own below)
    monkeypatch.setattr(pdf_pages, "worker_count", lambda requested, items: 2)
    monkeypatch.setattr(pdf_pages, "_may_fork", lambda count: True)
    sent = []
    real_unpack = pdf_pages._unpack

    def counting_unpack(packed):
        sent.append(packed[0])
        return real_unpack(packed)

    monkeypatch.setattr(pdf_pages, "_unpack", counting_unpack)
    data = (FIXTURES / "nap-2014-15-annual-report.pdf").read_bytes()
    document = read_pdf(data, "report.pdf")
    assert sent == list(range(2, 35, 2))  # page numbers: every other page came from a worker
    assert document == read_pdf(data, "report.pdf", parallel=False)


def test_pages_a_worker_fails_on_are_read_here(monkeypatch):
    monkeypatch.setattr(pdf_pages, "worker_count", lambda requested, items: 2)
    monkeypatch.setattr(pdf_pages, "_may_fork", lambda count: True)

    def failing(data, indices):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(pdf_pages, "_read_share_packed", failing)
    data = (FIXTURES / "nap-2014-15-annual-report.pdf").read_bytes()
    assert read_pdf(data, "report.pdf") == read_pdf(data, "report.pdf", parallel=False)


def test_short_documents_and_worker_processes_read_alone(monkeypatch):
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # threads other tests left
    assert not pdf_pages._may_fork(pdf_pages.PARALLEL_PAGES - 1)
    assert pdf_pages._may_fork(pdf_pages.PARALLEL_PAGES)
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert not pdf_pages._may_fork(100)


def test_a_process_with_other_threads_reads_alone():
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not pdf_pages._may_fork(100)
    finally:
        release.set()
        other.join()
