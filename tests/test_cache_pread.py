"""Cache entries read with `os.pread` from a bare descriptor (`RecordCache._entry_at`,
`entries.read_range`) give what reading through a buffered file object gives, on intact and
damaged cache files alike."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from htreport.store import cache as cache_module
from htreport.store import entries as entries_module
from htreport.store.cache import RecordCache
from htreport.store.corpus import load_corpus

from .conftest import STRUCTURED_DIR

pytestmark = pytest.mark.skipif(not hasattr(os, "pread"), reason="os.pread is not on Windows")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """(cache, the data file, its stat, its cache entry's file) after one load."""
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data_file = corpus / "2014-2015.yaml"
    data_file.write_bytes((STRUCTURED_DIR / "2014-2015.yaml").read_bytes())
    load_corpus([corpus])
    (entry_file,) = (tmp_path / "cache" / "records").iterdir()
    return RecordCache(tmp_path / "cache" / "records"), data_file, data_file.stat(), entry_file


def _outcome(cache: RecordCache, data_file: Path, stat: os.stat_result, monkeypatch, pread: bool):
    monkeypatch.setattr(cache_module, "_HAS_PREAD", pread)
    found = cache.get(data_file, stat)
    if found is None:
        return None
    entry, racy, digest = found
    return entry.report, entry._locations, racy, digest


def test_an_intact_entry_reads_the_same_both_ways(cached, monkeypatch):
    cache, data_file, stat, _ = cached
    fast = _outcome(cache, data_file, stat, monkeypatch, True)
    assert fast is not None and fast == _outcome(cache, data_file, stat, monkeypatch, False)


def test_a_header_beyond_the_first_bytes_read_is_read_too(cached, monkeypatch):
    cache, data_file, stat, _ = cached
    expected = _outcome(cache, data_file, stat, monkeypatch, True)
    monkeypatch.setattr(cache_module, "_HEAD", 5)  # inside the table of contents' length
    assert _outcome(cache, data_file, stat, monkeypatch, True) == expected


def test_damaged_entries_read_the_same_both_ways(cached, monkeypatch):
    cache, data_file, stat, entry_file = cached
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
        fast = _outcome(cache, data_file, stat, monkeypatch, True)
        assert fast == _outcome(cache, data_file, stat, monkeypatch, False), case
        misses += fast is None
    assert 0 < misses < 100


def test_read_range_reads_what_a_file_object_reads(tmp_path, monkeypatch):
    path = tmp_path / "blob"
    path.write_bytes(bytes(range(256)) * 10)
    for offset, length in [(0, 10), (100, 300), (2550, 100), (5000, 10), (0, 0)]:
        fast = entries_module.read_range(str(path), offset, length)
        monkeypatch.setattr(entries_module, "_HAS_PREAD", False)
        assert fast == entries_module.read_range(str(path), offset, length)
        monkeypatch.setattr(entries_module, "_HAS_PREAD", True)
