"""The generated diff test pairs (tests/fixtures/diff/), extracted once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PAIRS_DIR = HERE / "fixtures" / "diff"
RAW_REPORT = HERE.parent / "data" / "raw" / "nap-2014-2015-annual-report.txt"
#: Each pair: (name of the expected file, old source file).
PAIRS = {
    "pagebreaks": RAW_REPORT,
    "2015-2016": RAW_REPORT,
    "2016-2017": PAIRS_DIR / "2015-2016.txt",
}


@cache
def extracted(path: Path):  # type: ignore[no-untyped-def]
    from htreport.pipeline import extract

    return extract(path)


def expected(name: str) -> dict:
    return yaml.safe_load((PAIRS_DIR / f"{name}.expected.yaml").read_text("utf-8"))


def pair(name: str):  # type: ignore[no-untyped-def]
    """(old report, new report, expected) of a pair."""
    return extracted(PAIRS[name]), extracted(PAIRS_DIR / f"{name}.txt"), expected(name)


def forcing_overrides(name: str):  # type: ignore[no-untyped-def]
    """Overrides forcing the pair's true matches that text similarity cannot find."""
    from htreport.analysis import overrides

    old, new, truth = pair(name)
    entries = [
        {
            "old": f"{old.metadata.fiscal_year}/{old_id}",
            "new": f"{new.metadata.fiscal_year}/{truth['matches'][old_id]}",
        }
        for old_id in truth["needs_override"]
    ]
    return overrides.loads(yaml.safe_dump({"force": entries}), "forced.yaml")
