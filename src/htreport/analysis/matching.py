"""Cross-year matching of deliverables: which row of next year's chart continues which of this year's.

Deliverables are reworded, renumbered and moved between tasks from one report to the next, so
matching runs in phases, each one only over the deliverables still unmatched:

1. `forced`: pairs a researcher forced in the overrides file (`data/matches.yaml`);
2. `key`: the same stable key on both sides (a NEW file whose keys were carried forward);
3. `exact`: the same text once case, punctuation and spacing are ignored;
4. `task`: fuzzy text similarity >= TASK_THRESHOLD within the same task id;
5. `moved`: fuzzy text similarity >= MOVED_THRESHOLD across tasks.

Every phase is a one-to-one assignment: candidate pairs are taken best score first (ties: same
task, then same id, then report order) and a deliverable already assigned is never assigned
again. Pairs forbidden in the overrides file are never made, by any phase.

The thresholds come from the 2014-2015 chart: between two *different* deliverables of one
report the similarity never exceeds 0.66 (bar one near-duplicate pair, 2.13.6 and 2.14.2,
which exact matching keeps apart), so 0.70 within a task and 0.80 across tasks leave a margin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from htreport.model.report import Report

if TYPE_CHECKING:
    from htreport.analysis.overrides import Overrides

#: Minimum similarity (0-1) for a fuzzy match inside the same task.
TASK_THRESHOLD = 0.70
#: Minimum similarity (0-1) for a fuzzy match across tasks (a moved deliverable).
MOVED_THRESHOLD = 0.80

Method = Literal["forced", "key", "exact", "task", "moved"]
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Item:
    """One deliverable as matching sees it."""

    index: int  # position in Report.deliverables()
    id: str
    key: str | None
    ref: str  # "<fiscal year>/<id>", the form overrides use
    task: str
    text: str
    norm: str


@dataclass(frozen=True, slots=True)
class Pair:
    """A match: old and new are indexes into each report's deliverables()."""

    old: int
    new: int
    method: Method
    score: float


@dataclass(slots=True)
class MatchResult:
    """The outcome of matching two reports."""

    pairs: list[Pair]
    removed: list[int]  # old indexes with no match
    added: list[int]  # new indexes with no match
    warnings: list[str] = field(default_factory=list)

    def by_new(self) -> dict[int, Pair]:
        return {pair.new: pair for pair in self.pairs}

    def by_old(self) -> dict[int, Pair]:
        return {pair.old: pair for pair in self.pairs}


def normalize(text: str) -> str:
    """The form compared by matching: case, punctuation and spacing ignored."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def similarity(first: str, second: str) -> float:
    """Text similarity in [0, 1]: the better of rapidfuzz's ratio and token-sort ratio.

    Token sort forgives clauses moved around inside a sentence; plain ratio forgives small
    edits. Both run on the normalized text."""
    from rapidfuzz import fuzz

    a, b = normalize(first), normalize(second)
    if a == b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100


def items_of(report: Report) -> list[Item]:
    """The deliverables of `report`, in report order, as matching items."""
    year = report.metadata.fiscal_year or report.source.file
    return [
        Item(
            index=index,
            id=deliverable.id,
            key=deliverable.key,
            ref=f"{year}/{deliverable.id}",
            task=task.id,
            text=deliverable.text,
            norm=normalize(deliverable.text),
        )
        for index, (_pillar, _objective, task, deliverable) in enumerate(report.deliverables())
    ]


def match_reports(old: Report, new: Report, overrides: Overrides | None = None) -> MatchResult:
    """Match the deliverables of `old` to those of `new` (see the module docstring)."""
    old_items, new_items = items_of(old), items_of(new)
    forced: list[tuple[int, int]] = []
    forbidden: set[tuple[int, int]] = set()
    warnings: list[str] = []
    if overrides is not None:
        resolved = overrides.resolve(old, new)
        forced, forbidden, warnings = resolved.force, resolved.forbid, resolved.warnings
    matcher = _Matcher(old_items, new_items, forbidden)
    for old_index, new_index in forced:
        matcher.take(
            old_index,
            new_index,
            "forced",
            similarity(old_items[old_index].text, new_items[new_index].text),
        )
    matcher.phase("key", lambda o, n: 1.0 if o.key is not None and o.key == n.key else None)
    matcher.phase("exact", lambda o, n: 1.0 if o.norm == n.norm else None)
    scores = _Scores()
    matcher.phase(
        "task", lambda o, n: scores.at_least(o, n, TASK_THRESHOLD) if o.task == n.task else None
    )
    matcher.phase("moved", lambda o, n: scores.at_least(o, n, MOVED_THRESHOLD))
    pairs = sorted(matcher.pairs, key=lambda pair: pair.new)
    return MatchResult(
        pairs=pairs,
        removed=[item.index for item in old_items if item.index not in matcher.old_done],
        added=[item.index for item in new_items if item.index not in matcher.new_done],
        warnings=warnings,
    )


class _Scores:
    """Similarity of item pairs, computed once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], float] = {}

    def at_least(self, old: Item, new: Item, threshold: float) -> float | None:
        pair = (old.norm, new.norm)
        if pair not in self._cache:
            self._cache[pair] = similarity(old.norm, new.norm)
        score = self._cache[pair]
        return score if score >= threshold else None


class _Matcher:
    def __init__(self, old: list[Item], new: list[Item], forbidden: set[tuple[int, int]]) -> None:
        self.old, self.new, self.forbidden = old, new, forbidden
        self.pairs: list[Pair] = []
        self.old_done: set[int] = set()
        self.new_done: set[int] = set()

    def take(self, old: int, new: int, method: Method, score: float) -> None:
        self.pairs.append(Pair(old, new, method, round(score, 3)))
        self.old_done.add(old)
        self.new_done.add(new)

    def phase(self, method: Method, score_of) -> None:
        """Assign, best first, every still-free pair that `score_of` gives a score."""
        candidates = []
        for o in self.old:
            if o.index in self.old_done:
                continue
            for n in self.new:
                if n.index in self.new_done or (o.index, n.index) in self.forbidden:
                    continue
                score = score_of(o, n)
                if score is not None:
                    candidates.append(
                        (-score, o.task != n.task, o.id != n.id, o.index, n.index, score)
                    )
        for *_, old_index, new_index, score in sorted(candidates):
            if old_index not in self.old_done and new_index not in self.new_done:
                self.take(old_index, new_index, method, score)


def default_key(report: Report, deliverable_id: str) -> str:
    """The key a deliverable gets when it first appears: `<fiscal year>/<id>`."""
    return f"{report.metadata.fiscal_year or report.source.file}/{deliverable_id}"


def carry_keys(old: Report, new: Report, result: MatchResult) -> Report:
    """A copy of `new` whose matched deliverables carry the key of their `old` match.

    An unmatched deliverable gets its default key when it has none, or when its key is one of
    `old`'s (carried by an earlier run, now undone by an override): a key names one deliverable."""
    carried = new.model_copy(deep=True)
    old_rows = old.deliverables()
    old_keys = {d.key or default_key(old, d.id) for _p, _o, _t, d in old_rows}
    matched = result.by_new()
    for index, (_p, _o, _t, deliverable) in enumerate(carried.deliverables()):
        pair = matched.get(index)
        if pair is not None:
            source = old_rows[pair.old][3]
            deliverable.key = source.key or default_key(old, source.id)
        elif deliverable.key is None or deliverable.key in old_keys:
            deliverable.key = default_key(carried, deliverable.id)
    return carried
