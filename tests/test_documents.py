"""Documents of every type (docs/documents.md): metadata, statistics, achievements and warnings
of each opening in tests/fixtures/documents/, compared whole with tests/golden/documents/.

After a deliberate change of behaviour: `pytest tests/test_documents.py --update-golden`, then
review the diff of tests/golden/documents/ like code.
"""

from __future__ import annotations

import pytest
import yaml

from htreport.pipeline import extract

from .conftest import HERE

FIXTURES = HERE / "fixtures" / "documents"
GOLDEN = HERE / "golden" / "documents"
CASES = sorted(path.stem for path in FIXTURES.glob("*.txt"))


def _extracted(case: str) -> str:
    report = extract(FIXTURES / f"{case}.txt")
    data = {
        "metadata": report.metadata.model_dump(mode="json", exclude_none=True),
        "achievements": [a.model_dump(mode="json", exclude_none=True) for a in report.achievements],
        "statistics": [s.model_dump(mode="json", exclude_none=True) for s in report.statistics],
        "warnings": [w.model_dump(mode="json", exclude_none=True) for w in report.warnings],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def test_every_fixture_has_a_golden_file() -> None:
    assert len(CASES) >= 10
    assert sorted(path.stem for path in GOLDEN.glob("*.yaml")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_document_matches_golden(case: str, update_golden: bool) -> None:
    text = _extracted(case)
    golden = GOLDEN / f"{case}.yaml"
    if update_golden:
        golden.write_text(text, "utf-8")
    assert golden.exists(), f"{golden} missing: run pytest --update-golden"
    assert text == golden.read_text("utf-8"), f"{case} drifted; if intended, --update-golden"
