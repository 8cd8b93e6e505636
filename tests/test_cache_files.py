"""Cache entries written together share one file (store.cache.RecordCache): a cold parallel
load creates a file per worker batch, not per entry, and everything the cache promises still
holds: hits give the records of a fresh load, a changed file is never served stale, the size
bound frees shared files, a damaged shared file is rebuilt, and a file system without hard
links gets a file per entry."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import struct
import time
from pathlib import Path

import pytest

from htreport.store import cache as cache_module
from htreport.store.cache import cache_dir, cache_usage, prune
from htreport.store.corpus import load_corpus
from htreport.store.entries import Entry

from .conftest import STRUCTURED_DIR

COUNT = 20


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def corpus(tmp_path) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    text = (STRUCTURED_DIR / "2014-2015.yaml").read_text("utf-8")
    for number in range(COUNT):
        year = f"{1990 + number}-{1991 + number}"
        (directory / f"r{number:02d}.yaml").write_text(
            text.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}"), "utf-8"
        )
    old = time.time() - 60  # past the racy window: hits need no hashing
    for path in directory.iterdir():
        os.utime(path, (old, old))
    return directory


def records_dir() -> Path:
    return cache_dir() / "records"


def files_of(directory: Path) -> dict[int, list[Path]]:
    """Entry names by the file (inode) they name."""
    found: dict[int, list[Path]] = {}
    for path in sorted(directory.glob("*.marshal")):
        found.setdefault(path.stat().st_ino, []).append(path)
    return found


def reference(corpus: Path) -> list:
    return load_corpus([corpus], use_cache=False, jobs=1).records("deliverables")


def test_a_parallel_cold_load_shares_files_and_a_warm_load_gives_the_same_records(corpus):
    cold = load_corpus([corpus], jobs=2)
    shared = files_of(records_dir())
    assert sum(len(names) for names in shared.values()) == COUNT
    assert 1 < len(shared) < COUNT
    count, size = cache_usage(records_dir())
    assert count == COUNT
    assert size == sum(names[0].stat().st_size for names in shared.values())
    assert list(records_dir().glob("*.tmp")) == []
    warm = load_corpus([corpus], jobs=2)
    assert (cold.cache_hits, warm.cache_hits) == (0, COUNT)
    expected = reference(corpus)
    assert cold.records("deliverables") == expected
    assert warm.records("deliverables") == expected
    assert [e.json_texts("deliverables") for e in warm.entries] == [
        e.json_texts("deliverables") for e in load_corpus([corpus], use_cache=False).entries
    ]


def test_a_changed_file_gets_an_entry_of_its_own_and_its_neighbours_still_hit(corpus):
    load_corpus([corpus], jobs=2)
    changed = corpus / "r03.yaml"
    changed.write_text(changed.read_text("utf-8").replace("status: ongoing", "status: on_hold"))
    again = load_corpus([corpus], jobs=2)
    assert again.cache_hits == COUNT - 1
    assert again.records("deliverables") == reference(corpus)
    names = files_of(records_dir())
    alone = [group for group in names.values() if len(group) == 1]
    assert alone, "the rewritten entry is a file of its own"
    assert load_corpus([corpus], jobs=2).cache_hits == COUNT


def test_the_size_bound_frees_shared_files_whole(corpus):
    load_corpus([corpus], jobs=2)
    count, size = cache_usage(records_dir())
    removed = prune(records_dir(), size // 2)
    left, now = cache_usage(records_dir())
    assert now <= size // 2 and removed == count - left and 0 < left < count
    assert all(name.exists() for names in files_of(records_dir()).values() for name in names)
    after = load_corpus([corpus], jobs=2)
    assert after.cache_hits == left
    assert after.records("deliverables") == reference(corpus)
    assert prune(records_dir(), 0) == COUNT and cache_usage(records_dir()) == (0, 0)


def test_a_damaged_shared_file_is_rebuilt(corpus):
    load_corpus([corpus], jobs=2)
    names = max(files_of(records_dir()).values(), key=len)
    data = bytearray(names[0].read_bytes())
    data[8:12] = b"\xff\xff\xff\xff"  # the table of contents
    names[0].write_bytes(bytes(data))
    again = load_corpus([corpus], jobs=2)
    assert again.cache_hits == COUNT - len(names)
    assert again.records("deliverables") == reference(corpus)
    assert load_corpus([corpus], jobs=2).cache_hits == COUNT


def test_without_hard_links_each_entry_gets_a_file_of_its_own(corpus, monkeypatch):
    def no_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    cold = load_corpus([corpus], jobs=2)
    assert len(files_of(records_dir())) == COUNT
    assert list(records_dir().glob("*.tmp")) == []
    assert cold.records("deliverables") == reference(corpus)
    assert load_corpus([corpus], jobs=2).cache_hits == COUNT


def test_an_entry_settled_out_of_a_shared_file_leaves_the_others_alone(corpus, monkeypatch):
    load_corpus([corpus], jobs=2)
    store = cache_module.RecordCache(records_dir())
    path = corpus / "r05.yaml"
    name = store._entry_path(os.path.abspath(path))
    neighbours = next(group for group in files_of(records_dir()).values() if name in group)
    assert len(neighbours) > 1
    # checked "later" than the file's change time (which utime set to now): no more hashing
    store.settle(path, time.time_ns() + 10**12)
    after = files_of(records_dir())
    assert after[name.stat().st_ino] == [name]
    rest = [other for other in neighbours if other != name]
    assert after[rest[0].stat().st_ino] == rest
    entry, needs_hash, digest = store.get(path, path.stat())
    assert not needs_hash and digest
    again = load_corpus([corpus], jobs=1)
    assert again.cache_hits == COUNT
    assert again.records("deliverables") == reference(corpus)


def test_an_entry_name_taken_by_another_file_is_replaced(corpus, tmp_path):
    """Publishing over an existing name (an older entry of the same path) replaces it."""
    load_corpus([corpus], jobs=2)
    shutil.rmtree(tmp_path / "cache" / "records")
    load_corpus([corpus], jobs=1)  # every entry a file of its own
    for path in corpus.iterdir():
        path.write_bytes(path.read_bytes())  # new mtime: every entry stale
    again = load_corpus([corpus], jobs=2)
    assert again.cache_hits == 0
    assert 1 < len(files_of(records_dir())) < COUNT
    assert sum(len(n) for n in files_of(records_dir()).values()) == COUNT
    assert load_corpus([corpus], jobs=2).cache_hits == COUNT


def test_part_locations_are_kept_packed_and_read_back_exactly():
    offsets = {"deliverables": [10, 20, 30], "statistics.json": [2**40, 5, 2**32 - 1]}
    entry = Entry(Path("x.yaml"), {}, cache_file=Path("c.marshal"), offsets=offsets)
    assert entry._location("deliverables") == (10, 20, 30)
    assert entry._location("statistics.json") == (2**40, 5, 2**32 - 1)
    assert entry._location("achievements") is None
    assert entry._location("nonsense") is None
    assert Entry(Path("x.yaml"), {}, offsets=offsets)._location("deliverables") is None
    restored = pickle.loads(pickle.dumps(entry))
    assert restored._location("statistics.json") == (2**40, 5, 2**32 - 1)
    with pytest.raises(struct.error):
        Entry(Path("x.yaml"), {}, cache_file="c", offsets={"deliverables": [-1, 2, 3]})


def test_a_header_with_impossible_offsets_is_a_miss(corpus):
    load_corpus([corpus], jobs=1)  # an entry file each
    path = corpus / "r07.yaml"
    name = cache_module.RecordCache(records_dir())._entry_path(os.path.abspath(path))
    data = name.read_bytes()
    table_end = 8 + int.from_bytes(data[:8], "little")
    start = table_end + marshal.loads(data[8:table_end])[os.path.abspath(path)]
    header_end = start + 8 + int.from_bytes(data[start : start + 8], "little")
    header = marshal.loads(data[start + 8 : header_end])
    header["records"]["deliverables"][0] = -(10**9)  # before the start of the file
    encoded = marshal.dumps(header)
    name.write_bytes(
        data[:start] + len(encoded).to_bytes(8, "little") + encoded + data[header_end:]
    )
    again = load_corpus([corpus], jobs=1)
    assert again.cache_hits == COUNT - 1
    assert again.records("deliverables") == reference(corpus)
