"""Cache entries read from a bare descriptor (`RecordCache._entry_at`, `entries.read_range`),
with `os.pread` or with a seek and a read where there is none (Windows), give what reading
through a buffered file object gave, on intact and damaged cache files alike."""

from __future__ import annotations

import marshal
import os
import random
from pathlib import Path

import pytest

from htreport.store import cache as cache_module
from htreport.store import entries as entries_module
from htreport.store.cache import RecordCache
from htreport.store.corpus import load_corpus

from .conftest import STRUCTURED_DIR


def file_object_header(entry_file, absolute: str):
    """The previous reader, kept as the oracle: (header, where the parts start) or None."""

    def marshalled(stream, limit):
        size = int.from_bytes(stream.read(8), "little")
        if size > limit:
            raise ValueError("too long")
        return marshal.loads(stream.read(size))

    try:
        with open(entry_file, "rb") as stream:
            limit = os.fstat(stream.fileno()).st_size
            contents = marshalled(stream, limit)
            stream.seek(stream.tell() + contents[absolute])
            return marshalled(stream, limit), stream.tell()
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, OverflowError):
        return None


def descriptor_header(cache: RecordCache, entry_file, absolute: str):
    descriptor = entries_module.open_for_reading(entry_file)
    try:
        header, base, _ = cache._entry_at(descriptor, absolute)
        return header, base
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, OverflowError):
        return None
    finally:
        os.close(descriptor)


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """(cache, the data file's absolute path, its cache entry's file) after one load."""
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data_file = corpus / "2014-2015.yaml"
    data_file.write_bytes((STRUCTURED_DIR / "2014-2015.yaml").read_bytes())
    load_corpus([corpus])
    (entry_file,) = (tmp_path / "cache" / "records").iterdir()
    return RecordCache(tmp_path / "cache" / "records"), os.path.abspath(data_file), entry_file


@pytest.fixture(params=[True, False], ids=["pread", "seek-and-read"])
def reads(request, monkeypatch):
    if request.param and not hasattr(os, "pread"):
        pytest.skip("os.pread is not on Windows")
    monkeypatch.setattr(entries_module, "_HAS_PREAD", request.param)


def test_an_intact_entry_reads_as_before(cached, reads):
    cache, absolute, entry_file = cached
    found = descriptor_header(cache, entry_file, absolute)
    assert found is not None and found == file_object_header(entry_file, absolute)


def test_a_header_beyond_the_first_bytes_read_is_read_too(cached, reads, monkeypatch):
    cache, absolute, entry_file = cached
    expected = file_object_header(entry_file, absolute)
    monkeypatch.setattr(cache_module, "_HEAD", 5)  # inside the table of contents' length
    assert descriptor_header(cache, entry_file, absolute) == expected


def test_damaged_entries_read_as_before(cached, reads):
    cache, absolute, entry_file = cached
    whole = entry_file.read_bytes()
    rng = random.Random(13)
    misses = 0
    for case in range(100):
        data = bytearray(whole)
        if case % 3 == 0:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randint(1, 4)):  # the table of contents and the header
            at = rng.randrange(min(len(data), 3000)) if data else 0
            data[at : at + 1] = bytes([rng.randrange(256)])
        entry_file.write_bytes(bytes(data))
        found = descriptor_header(cache, entry_file, absolute)
        assert found == file_object_header(entry_file, absolute), case
        misses += found is None
    assert 0 < misses < 100


def test_read_range_reads_what_a_file_object_reads(tmp_path, reads):
    path = tmp_path / "blob"
    path.write_bytes(bytes(range(256)) * 10)
    for offset, length in [(0, 10), (100, 300), (2550, 100), (5000, 10), (0, 0)]:
        with open(path, "rb") as stream:
            stream.seek(offset)
            expected = stream.read(length)
        assert entries_module.read_range(str(path), offset, length) == expected


def test_settling_an_entry_keeps_its_records(cached, reads):
    cache, absolute, entry_file = cached
    before = descriptor_header(cache, entry_file, absolute)
    stat = os.stat(absolute)
    records = cache.get(Path(absolute), stat)[0].all_parts()
    cache.settle(absolute, checked_at=123)
    settled = cache.get(Path(absolute), stat)[0]
    assert settled.all_parts() == records
    assert settled._cache_file is not None  # read from the settled entry, not rebuilt
    header, _ = descriptor_header(cache, entry_file, absolute)
    assert header["read_at"] == 123
    assert {k: v for k, v in header.items() if k != "read_at"} == {
        k: v for k, v in before[0].items() if k != "read_at"
    }
