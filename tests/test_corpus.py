"""corpus.py: finding structured files, the record cache (never stale), invalid files."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from htreport.errors import DataFileError
from htreport.model.records import deliverable_records
from htreport.store import cache as cache_module
from htreport.store import corpus as corpus_module
from htreport.store.corpus import cache_dir, find_structured_files, load_corpus


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def corpus_dir(structured_dir, tmp_path):
    directory = tmp_path / "corpus"
    directory.mkdir()
    shutil.copy(structured_dir / "2014-2015.yaml", directory / "2014-2015.yaml")
    return directory


def set_status(text, deliverable, status):
    """`text` with the status of one deliverable changed (the first status line after its id)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {deliverable}")
    number = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("status: "))
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = f"{indent}status: {status}\n"
    return "".join(lines)


def statuses(corpus):
    return {r["id"]: r["status"] for r in corpus.records("deliverables")}


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "a"
    monkeypatch.delenv("HTREPORT_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "htreport"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "htreport"


def test_records_equal_the_report_records(corpus_dir, report_2014):
    corpus = load_corpus([corpus_dir])
    assert corpus.records("deliverables") == deliverable_records(report_2014)
    assert len(corpus.records("statistics")) == len(report_2014.statistics)
    assert len(corpus.records("achievements")) == len(report_2014.achievements)


def test_second_load_is_a_cache_hit_with_the_same_records(corpus_dir, tmp_path):
    cold = load_corpus([corpus_dir])
    warm = load_corpus([corpus_dir])
    assert (cold.cache_hits, warm.cache_hits) == (0, 1)
    assert warm.records("deliverables") == cold.records("deliverables")
    assert list((tmp_path / "cache" / "records").iterdir())
    uncached = load_corpus([corpus_dir], use_cache=False)
    assert uncached.cache_hits == 0 and uncached.records("deliverables") == cold.records(
        "deliverables"
    )


def test_edit_after_a_query_is_seen(corpus_dir):
    path = corpus_dir / "2014-2015.yaml"
    assert statuses(load_corpus([corpus_dir]))["3.11.2"] == "in_progress"
    text = path.read_text("utf-8")
    path.write_text(set_status(text, "3.11.2", "completed"), "utf-8")
    assert statuses(load_corpus([corpus_dir]))["3.11.2"] == "completed"


def test_same_size_edit_with_restored_mtime_is_seen(corpus_dir):
    """The hardest case for a stat-based cache: same size, same mtime, edited in place."""
    path = corpus_dir / "2014-2015.yaml"
    before = statuses(load_corpus([corpus_dir]))
    assert before["1.11.1"] == "ongoing"
    stat = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("status: ongoing", "status: unknown", 1)  # same length
    assert len(edited) == len(text)
    with path.open("r+", encoding="utf-8") as stream:  # in place: same inode
        stream.write(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = load_corpus([corpus_dir])
    assert statuses(after)["1.11.1"] == "unknown"


def test_racy_entry_is_verified_by_hash_even_when_every_stamp_matches(corpus_dir, monkeypatch):
    path = corpus_dir / "2014-2015.yaml"
    load_corpus([corpus_dir])
    real_stat = Path.stat
    frozen = real_stat(path)

    def same_stat(self, *args, **kwargs):  # as if the edit below kept size, inode, mtime and ctime
        return frozen if self == path else real_stat(self, *args, **kwargs)

    text = path.read_text("utf-8")
    path.write_text(text.replace("status: ongoing", "status: unknown", 1), "utf-8")
    monkeypatch.setattr(Path, "stat", same_stat)
    assert statuses(load_corpus([corpus_dir]))["1.11.1"] == "unknown"


def test_settled_entries_are_trusted_on_their_stamps(corpus_dir, monkeypatch):
    load_corpus([corpus_dir])
    monkeypatch.setattr(cache_module, "RACY_WINDOW_NS", -(10**18))  # every entry settled
    reads = []
    real_read = cache_module.read_capped
    monkeypatch.setattr(cache_module, "read_capped", lambda p: reads.append(p) or real_read(p))
    assert load_corpus([corpus_dir]).cache_hits == 1
    assert reads == []  # a hit on stamps alone does not even read the file


def test_corrupt_or_foreign_cache_entries_are_ignored(corpus_dir, tmp_path):
    expected = load_corpus([corpus_dir]).records("deliverables")
    (entry,) = (tmp_path / "cache" / "records").iterdir()
    whole = entry.read_bytes()
    for garbage in (
        b"",
        b"\x00\x01garbage",
        whole[:100],
        whole[:-100],
        b"\xff" * 8 + whole[8:],
        b"[]",
    ):
        entry.write_bytes(garbage)
        corpus = load_corpus([corpus_dir])
        assert corpus.cache_hits == 0
        assert corpus.records("deliverables") == expected
    assert load_corpus([corpus_dir]).cache_hits == 1  # rebuilt
    whole = entry.read_bytes()
    middle = len(whole) // 2
    entry.write_bytes(whole[:middle] + b"x" * 8 + whole[middle + 8 :])  # inside a record's text
    damaged = load_corpus([corpus_dir])
    assert damaged.records("deliverables") == expected  # a part that fails to decode is re-read
    assert [e.json_texts("deliverables") for e in damaged.entries] != []


def test_unwritable_cache_only_costs_speed(corpus_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(blocker))
    assert len(load_corpus([corpus_dir]).records("deliverables")) == 72


def test_find_files_recursive_sorted_deduplicated_hidden_skipped(corpus_dir):
    (corpus_dir / "sub").mkdir()
    shutil.copy(corpus_dir / "2014-2015.yaml", corpus_dir / "sub" / "copy.json.yaml")
    (corpus_dir / ".hidden.yaml").write_text("junk")
    (corpus_dir / "notes.txt").write_text("not structured")
    found = find_structured_files([corpus_dir, corpus_dir / "2014-2015.yaml"])
    assert [p.relative_to(corpus_dir).as_posix() for p in found] == [
        "2014-2015.yaml",
        "sub/copy.json.yaml",
    ]


def test_directory_without_structured_files(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(
        DataFileError, match=r"no structured files \(\*\.yaml, \*\.yml, \*\.json\) here"
    ):
        load_corpus([tmp_path])
    with pytest.raises(DataFileError, match="no such file or directory"):
        load_corpus([tmp_path / "missing"])


def test_corrupt_file_names_file_and_line(corpus_dir):
    bad = corpus_dir / "broken.yaml"
    bad.write_text("schema_version: '1.0'\nsource: [unclosed\n", "utf-8")
    with pytest.raises(DataFileError) as caught:
        load_corpus([corpus_dir])
    assert caught.value.path == str(bad)
    assert caught.value.line is not None and str(caught.value).startswith(f"{bad}:")


def test_invalid_value_is_located_on_its_line(corpus_dir):
    path = corpus_dir / "2014-2015.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.strip() == "status: ongoing")
    lines[number] = lines[number].replace("ongoing", "sleeping")
    path.write_text("".join(lines), "utf-8")
    with pytest.raises(DataFileError) as caught:
        load_corpus([corpus_dir])
    assert caught.value.line == number + 1
    assert "status" in caught.value.message


def test_skip_invalid_keeps_the_others(corpus_dir):
    (corpus_dir / "a-broken.yaml").write_text("{not: [valid", "utf-8")
    (corpus_dir / "b-binary.json").write_bytes(b"\xff\xfe\x00garbage")
    corpus = load_corpus([corpus_dir], skip_invalid=True)
    assert len(corpus.records("deliverables")) == 72
    assert [Path(error.path).name for error in corpus.skipped] == ["a-broken.yaml", "b-binary.json"]


def test_parallel_cold_load_equals_sequential(corpus_dir, monkeypatch):
    text = (corpus_dir / "2014-2015.yaml").read_text("utf-8")
    for start in range(1990, 2000):
        year = f"{start}-{start + 1}"
        (corpus_dir / f"{year}.yaml").write_text(
            text.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}")
        )
    (corpus_dir / "zz-broken.yaml").write_text("- just a list\n", "utf-8")
    monkeypatch.setattr(corpus_module, "PARALLEL_THRESHOLD", 2)
    parallel = load_corpus([corpus_dir], use_cache=False, jobs=2, skip_invalid=True)
    sequential = load_corpus([corpus_dir], use_cache=False, jobs=1, skip_invalid=True)
    assert parallel.records("deliverables") == sequential.records("deliverables")
    assert len(parallel.records("deliverables")) == 11 * 72
    assert [str(e) for e in parallel.skipped] == [str(e) for e in sequential.skipped]
    assert "zz-broken.yaml:1" in str(parallel.skipped[0])


def test_entries_from_workers_read_their_parts_from_the_cache(corpus_dir, tmp_path, monkeypatch):
    """A worker sends back an entry backed by the cache entry it wrote, not every record; its
    records, index and JSON texts are those of a sequential load, even when that cache entry
    is damaged afterwards (the part is rebuilt from the file)."""
    text = (corpus_dir / "2014-2015.yaml").read_text("utf-8")
    for start in range(1990, 1994):
        year = f"{start}-{start + 1}"
        (corpus_dir / f"{year}.yaml").write_text(
            text.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}")
        )
    monkeypatch.setattr(corpus_module, "PARALLEL_THRESHOLD", 2)
    parallel = load_corpus([corpus_dir], jobs=2)
    assert all(entry._parts == {} and entry._cache_file for entry in parallel.entries)
    for cache_file in (tmp_path / "cache" / "records").iterdir():
        data = bytearray(cache_file.read_bytes())
        data[-10:] = b"\x00" * 10  # damage the last part of every entry
        cache_file.write_bytes(bytes(data))
    sequential = load_corpus([corpus_dir], use_cache=False, jobs=1)
    for kind in ("deliverables", "statistics", "achievements"):
        assert parallel.records(kind) == sequential.records(kind)
        for ours, theirs in zip(parallel.entries, sequential.entries, strict=True):
            assert ours.index(kind) == theirs.index(kind)
            assert ours.json_texts(kind) == theirs.json_texts(kind)


def test_the_cache_fingerprint_covers_the_modules_that_shape_records():
    """A change to the record code must invalidate cached entries: every module named exists."""
    package = Path(cache_module.__file__).resolve().parent.parent
    assert all((package / name).is_file() for name in cache_module._SHAPING_MODULES)


def test_a_query_lets_go_of_each_file_s_parts_once_read(corpus_dir):
    """Memory stays flat over a large corpus: parts read from the cache are not kept."""
    from htreport.analysis.query import (
        Filters,
        matched_json_groups,
        matched_json_texts,
        select_entries,
    )

    load_corpus([corpus_dir])  # fills the cache
    corpus = load_corpus([corpus_dir])
    assert corpus.cache_hits == len(corpus.entries)
    matches = select_entries(corpus, "deliverables", Filters.parse(lead=["RCMP"]))
    texts = list(matched_json_texts(matches, "deliverables"))
    assert all(entry._parts == {} for entry in corpus.entries)
    groups = list(matched_json_groups(matches, "deliverables"))
    assert all(entry._parts == {} for entry in corpus.entries)
    assert [text for group in groups for text in group] == texts
    assert len(groups) == len(corpus.entries)  # one group per file with matches
    fresh = load_corpus([corpus_dir], use_cache=False)
    expected = [
        text
        for entry in fresh.entries
        for record, text in zip(
            entry.records("deliverables"), entry.json_texts("deliverables"), strict=True
        )
        if "RCMP" in record["leads"]
    ]
    assert texts == expected and len(texts) > 10


class _CountingStream:
    """A text stream that records each write (as one system call would be, unbuffered)."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["{}"],
        ['{"a": 1}', "{}", "[]"],
        [f'{{"n": {n}, "text": "{"x" * 300}"}}' for n in range(900)],
    ],
    ids=["none", "one", "three", "many"],
)
def test_streamed_json_is_the_json_list_in_few_writes(texts):
    from htreport.render.query import WRITE_CHUNK_CHARS, json_list, write_json_list, write_lines

    listed, lines = _CountingStream(), _CountingStream()
    write_json_list(iter(texts), listed)
    write_lines(iter(texts), lines)
    assert "".join(listed.writes) == json_list(texts)
    assert "".join(lines.writes) == "".join(text + "\n" for text in texts)
    for stream in (listed, lines):
        # one write per WRITE_CHUNK_CHARS (plus the last), not one per record
        total = len("".join(stream.writes))
        assert len(stream.writes) <= total // WRITE_CHUNK_CHARS + 1
        assert all(len(write) < WRITE_CHUNK_CHARS + 400 for write in stream.writes)


@pytest.mark.parametrize("seed", range(20))
def test_texts_written_a_file_at_a_time_are_the_same_json(seed):
    from htreport.render.query import json_list, write_json_groups, write_line_groups

    rng = random.Random(seed)
    texts = [
        f'{{"n": {n}, "text": "{"x" * rng.randrange(400)}"}}' for n in range(rng.randrange(300))
    ]
    groups, start = [], 0
    while start < len(texts) or rng.random() < 0.3:  # empty groups too
        end = min(len(texts), start + rng.randrange(40))
        groups.append(texts[start:end])
        start = end
    listed, lines = _CountingStream(), _CountingStream()
    write_json_groups(iter(groups), listed)
    write_line_groups(iter(groups), lines)
    assert "".join(listed.writes) == json_list(texts)
    assert "".join(lines.writes) == "".join(text + "\n" for text in texts)
