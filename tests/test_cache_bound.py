"""The cache stays bounded (least recently used entries go first) and `htreport cache` shows
and clears it; tests never use the user's cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import htreport
from htreport.cli import app
from htreport.store.cache import cache_dir, cache_usage, prune

from .conftest import STRUCTURED_DIR


def test_tests_use_a_private_cache():
    assert not cache_dir().is_relative_to(Path.home() / ".cache")


def _corpus(tmp_path: Path, count: int) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(count):
        shutil.copy(STRUCTURED_DIR / "2014-2015.yaml", corpus / f"r{number}.yaml")
    return corpus


def test_least_recently_used_entries_are_evicted_first(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = _corpus(tmp_path, 4)
    htreport.load_corpus(corpus)
    records = cache_dir() / "records"
    entries = sorted(records.iterdir())
    count, size = cache_usage(records)
    assert count == 4
    # make the entries' last use 4, 3, 2 and 1 hours ago, in that order
    for hours, entry in zip((4, 3, 2, 1), entries, strict=True):
        moment = entry.stat().st_mtime - hours * 3600
        os.utime(entry, (moment, moment))
    assert prune(records, size // 2) == 2
    assert sorted(records.iterdir()) == entries[2:]


def test_a_run_that_adds_entries_keeps_the_cache_within_its_bound(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = _corpus(tmp_path, 3)
    htreport.load_corpus(corpus)
    _, size = cache_usage(cache_dir() / "records")
    monkeypatch.setenv("HTREPORT_CACHE_MAX_MB", str(size / 3 * 2 / (1024 * 1024)))
    (corpus / "r3.yaml").write_bytes((corpus / "r0.yaml").read_bytes())
    corpus_after = htreport.load_corpus(corpus)
    assert len(corpus_after.entries) == 4
    count, now = cache_usage(cache_dir() / "records")
    assert now <= size / 3 * 2 and count == 2


def test_a_hit_marks_an_old_entry_as_used(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    corpus = _corpus(tmp_path, 1)
    htreport.load_corpus(corpus)
    (entry,) = (cache_dir() / "records").iterdir()
    old = entry.stat().st_mtime - 7200
    os.utime(entry, (old, old))
    assert htreport.load_corpus(corpus).cache_hits == 1
    assert entry.stat().st_mtime > old + 3600


def test_cache_info_and_clear(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HTREPORT_CACHE_MAX_MB", "10")
    htreport.load_corpus(_corpus(tmp_path, 2))
    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0
    lines = info.stdout.splitlines()
    assert lines[0] == f"directory: {tmp_path / 'cache' / 'records'}"
    assert lines[1] == "entries:   2"
    assert lines[2].endswith("(bound 10.0 MB)")
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.stdout == f"removed 2 cache entries from {tmp_path / 'cache' / 'records'}\n"
    assert cache_usage(tmp_path / "cache" / "records") == (0, 0)
