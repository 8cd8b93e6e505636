"""Re-extraction of every file in data/raw/ must equal the committed data/structured/ whole.

After a deliberate change of behaviour: `pytest tests/test_golden.py --update-golden`, then
review the diff of data/structured/ like code.
"""

from __future__ import annotations

import pytest

import htreport
from htreport.pipeline.batch import list_sources, output_names

from .conftest import RAW_DIR, STRUCTURED_DIR

SOURCES = list_sources(RAW_DIR)


@pytest.fixture(scope="module")
def extracted() -> dict[str, str]:
    reports = [htreport.extract(path) for path in SOURCES]
    names = output_names(reports, ".yaml")
    return {name: htreport.dumps(report) for name, report in zip(names, reports, strict=True)}


def test_every_raw_file_has_structured_data(extracted, update_golden):
    if update_golden:
        for stale in STRUCTURED_DIR.glob("*.yaml"):
            if stale.name not in extracted:
                stale.unlink()
    committed = sorted(p.name for p in STRUCTURED_DIR.glob("*.yaml"))
    assert committed == sorted(extracted)


@pytest.mark.parametrize("index", range(len(SOURCES)), ids=[p.stem for p in SOURCES])
def test_reextraction_matches_committed(index, extracted, update_golden):
    name = sorted(extracted)[index]
    golden = STRUCTURED_DIR / name
    if update_golden:
        golden.write_text(extracted[name], encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run pytest --update-golden"
    assert extracted[name] == golden.read_text(encoding="utf-8"), (
        f"{golden.name} drifted from re-extraction; if intended, run pytest --update-golden"
    )
