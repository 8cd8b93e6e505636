"""Matching precision/recall over the generated diff pairs, and the time to diff two reports.

    /tmp/venv/bin/python benchmarks/bench_diff.py

Ground truth is tests/fixtures/diff/*.expected.yaml (made by make_pairs.py from line identity,
not by the matcher). A predicted match is a (old id, new id) pair; precision = correct
predicted / predicted, recall = correct predicted / true matches. Printed with and without the
overrides that force the matches no text similarity can find.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htreport.analysis.diff import diff  # noqa: E402
from htreport.analysis.matching import match_reports  # noqa: E402
from tests.diffpairs import PAIRS, forcing_overrides, pair  # noqa: E402


def _ids(report):  # type: ignore[no-untyped-def]
    return [d.id for _p, _o, _t, d in report.deliverables()]


def main() -> int:
    for label, use_overrides in (("without overrides", False), ("with overrides", True)):
        true_total = predicted_total = correct_total = 0
        print(f"matching {label}:")
        for name in PAIRS:
            old, new, truth = pair(name)
            result = match_reports(old, new, forcing_overrides(name) if use_overrides else None)
            old_ids, new_ids = _ids(old), _ids(new)
            predicted = {(old_ids[p.old], new_ids[p.new]) for p in result.pairs}
            true = set(truth["matches"].items())
            correct = len(predicted & true)
            true_total += len(true)
            predicted_total += len(predicted)
            correct_total += correct
            print(
                f"  {name:11s} true {len(true):3d}  predicted {len(predicted):3d}  correct {correct:3d}  "
                f"precision {correct / len(predicted):.3f}  recall {correct / len(true):.3f}"
            )
        print(
            f"  {'all':11s} true {true_total:3d}  predicted {predicted_total:3d}  correct {correct_total:3d}  "
            f"precision {correct_total / predicted_total:.3f}  recall {correct_total / true_total:.3f}"
        )
    old, new, _truth = pair("2015-2016")
    diff(old, new)  # warm up (imports)
    runs = []
    for _ in range(50):
        start = time.perf_counter()
        diff(old, new)
        runs.append(time.perf_counter() - start)
    print(
        f"diff 2014-2015 -> 2015-2016 ({len(_ids(old))} -> {len(_ids(new))} deliverables, already extracted): "
        f"median {statistics.median(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms over {len(runs)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
