"""What changed between two report years: deliverables, statistics, achievements (pure).

`diff(old, new)` matches deliverables across the years (see `matching`), carries the old keys
forward onto the new side and compares, for every matched pair, the fields `text`, `task`,
`status`, `leads`, `start` and `new`. Leads are compared as sets of canonical department codes
(with program), so a lead written CIC one year and IRCC the next is the same lead. Unchanged
deliverables are not listed. The JSON of `ReportDiff` is the contract of `htreport diff
--format json`.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from htreport.analysis.matching import MatchResult, carry_keys, match_reports, normalize, similarity
from htreport.analysis.overrides import Overrides
from htreport.errors import UsageError
from htreport.model.records import deliverable_records
from htreport.model.report import Achievement, Report, Statistic

#: The deliverable fields compared, in output order.
COMPARED_FIELDS = ("text", "task", "status", "leads", "start", "new")
#: Two achievements this similar (0-1) are the same achievement, reworded.
ACHIEVEMENT_THRESHOLD = 0.90


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportSide(_Model):
    """Which report one side of the diff is."""

    file: str
    fiscal_year: str | None
    title: str | None
    sha256: str
    deliverables: int


class DiffSummary(_Model):
    added: int
    removed: int
    changed: int
    unchanged: int
    statistics: int
    achievements_added: int
    achievements_removed: int


class DeliverableChange(_Model):
    kind: Literal["added", "removed", "changed"]
    old: dict[str, Any] | None = Field(description="Deliverable record (as query --format json).")
    new: dict[str, Any] | None
    fields: dict[str, tuple[Any, Any]] = Field(
        default_factory=dict, description="field: [old, new]"
    )
    similarity: float | None = Field(
        default=None, description="Text similarity 0-1 when the text changed."
    )
    word_diff: list[tuple[Literal["=", "-", "+"], str]] | None = Field(
        default=None, description="Word-level diff of the text: [op, words] segments."
    )
    match: str | None = Field(
        default=None, description="How the pair was matched: forced, key, exact, task, moved."
    )


class StatisticChange(_Model):
    kind: Literal["changed"] = "changed"
    counted: str
    unit: str
    qualifiers: list[str]
    old: dict[str, Any]
    new: dict[str, Any]


class AchievementChange(_Model):
    kind: Literal["added", "removed"]
    achievement: dict[str, Any]


class ReportDiff(_Model):
    old: ReportSide
    new: ReportSide
    summary: DiffSummary
    changes: list[DeliverableChange]
    statistics: list[StatisticChange]
    achievements: list[AchievementChange]
    warnings: list[str] = Field(default_factory=list)

    def has_changes(self) -> bool:
        return bool(self.changes or self.statistics or self.achievements)


def check_comparable(old: Report, new: Report) -> None:
    """Refuse two different reports of the same fiscal year (a report with itself is fine)."""
    year = old.metadata.fiscal_year
    if (
        year is not None
        and year == new.metadata.fiscal_year
        and old.source.sha256 != new.source.sha256
    ):
        raise UsageError(
            f"{old.source.file} and {new.source.file} are two different reports of the same year "
            f"{year}; diff compares one report year with another"
        )


def diff(old: Report, new: Report, overrides: Overrides | None = None) -> ReportDiff:
    """Compare two report years (see the module docstring)."""
    check_comparable(old, new)
    result = match_reports(old, new, overrides)
    return build_diff(old, new, result)


def build_diff(old: Report, new: Report, result: MatchResult) -> ReportDiff:
    """The diff of two reports whose deliverables were already matched."""
    carried = carry_keys(old, new, result)
    old_records, new_records = deliverable_records(old), deliverable_records(carried)
    changes: list[DeliverableChange] = []
    unchanged = 0
    for pair in result.pairs:
        change = compare(old_records[pair.old], new_records[pair.new])
        if change is None:
            unchanged += 1
            continue
        change.match = pair.method
        changes.append(change)
    changes += [
        DeliverableChange(kind="removed", old=old_records[i], new=None) for i in result.removed
    ]
    changes += [DeliverableChange(kind="added", old=None, new=new_records[i]) for i in result.added]
    order = {"removed": 0, "changed": 1, "added": 2}
    changes.sort(key=lambda c: (_position(c), order[c.kind]))
    statistics = diff_statistics(old.statistics, new.statistics)
    achievements = diff_achievements(old.achievements, new.achievements)
    return ReportDiff(
        old=_side(old),
        new=_side(new),
        summary=DiffSummary(
            added=len(result.added),
            removed=len(result.removed),
            changed=len(changes) - len(result.added) - len(result.removed),
            unchanged=unchanged,
            statistics=len(statistics),
            achievements_added=sum(a.kind == "added" for a in achievements),
            achievements_removed=sum(a.kind == "removed" for a in achievements),
        ),
        changes=changes,
        statistics=statistics,
        achievements=achievements,
        warnings=list(result.warnings),
    )


def _position(change: DeliverableChange) -> tuple[int, ...]:
    """Order changes by the new report's id (removed ones by their old id)."""
    record = change.new or change.old
    assert record is not None
    return tuple(int(part) for part in record["id"].split("."))


def _side(report: Report) -> ReportSide:
    return ReportSide(
        file=report.source.file,
        fiscal_year=report.metadata.fiscal_year,
        title=report.metadata.title,
        sha256=report.source.sha256,
        deliverables=len(report.deliverables()),
    )


def compare(old: dict[str, Any], new: dict[str, Any]) -> DeliverableChange | None:
    """The change between two matched deliverable records, or None when none of COMPARED_FIELDS differ."""
    fields: dict[str, tuple[Any, Any]] = {}
    for name in COMPARED_FIELDS:
        before, after = old[name], new[name]
        same = sorted(set(before)) == sorted(set(after)) if name == "leads" else before == after
        if not same:
            fields[name] = (before, after)
    if not fields:
        return None
    change = DeliverableChange(kind="changed", old=old, new=new, fields=fields)
    if "text" in fields:
        change.similarity = round(similarity(old["text"], new["text"]), 3)
        change.word_diff = word_diff(old["text"], new["text"])
    return change


def word_diff(old: str, new: str) -> list[tuple[Literal["=", "-", "+"], str]]:
    """Word-level diff: segments of equal (=), deleted (-) and inserted (+) words."""
    before, after = old.split(), new.split()
    segments: list[tuple[Literal["=", "-", "+"], str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("=", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("-", " ".join(before[i1:i2])))
        if j2 > j1:
            segments.append(("+", " ".join(after[j1:j2])))
    return segments


# -- statistics and achievements ------------------------------------------------------------


def _statistic_key(statistic: Statistic) -> tuple[str, str, tuple[str, ...]]:
    """What a statistic counts; the time reference is left out (it moves with the year)."""
    return (
        normalize(statistic.counted),
        statistic.unit,
        tuple(sorted(normalize(q) for q in statistic.qualifiers)),
    )


def _statistic_view(statistic: Statistic) -> dict[str, Any]:
    return {
        "value": statistic.value,
        "raw": statistic.raw,
        "time_ref": statistic.time_ref,
        "section": statistic.section.value,
        "sentence": statistic.sentence,
        "line": statistic.provenance.line,
        "page": statistic.provenance.page,
    }


def diff_statistics(old: list[Statistic], new: list[Statistic]) -> list[StatisticChange]:
    """Statistics counting the same thing (counted, unit, qualifiers) whose value changed.

    Within one such group, equal values pair off first as unchanged; the rest pair in report
    order. Statistics with no counterpart are not listed (prose numbers come and go)."""
    groups: dict[tuple[str, str, tuple[str, ...]], tuple[list[Statistic], list[Statistic]]] = {}
    for side, statistics in ((0, old), (1, new)):
        for statistic in statistics:
            groups.setdefault(_statistic_key(statistic), ([], []))[side].append(statistic)
    changes = []
    for (_counted, unit, _qualifiers), (before, after) in groups.items():
        before, after = list(before), list(after)
        for statistic in list(before):
            same = next((s for s in after if s.value == statistic.value), None)
            if same is not None:
                before.remove(statistic)
                after.remove(same)
        for first, second in zip(before, after, strict=False):
            changes.append(
                StatisticChange(
                    counted=first.counted,
                    unit=unit,
                    qualifiers=list(first.qualifiers),
                    old=_statistic_view(first),
                    new=_statistic_view(second),
                )
            )
    return changes


def _achievement_view(achievement: Achievement) -> dict[str, Any]:
    return {
        "section": achievement.section.value,
        "heading": achievement.heading,
        "departments": list(achievement.departments),
        "text": achievement.text,
        "line": achievement.provenance.line,
        "page": achievement.provenance.page,
    }


def diff_achievements(old: list[Achievement], new: list[Achievement]) -> list[AchievementChange]:
    """Achievements added and removed; one reworded slightly (similarity >= ACHIEVEMENT_THRESHOLD)
    is the same achievement. Matching is one-to-one, best first."""
    candidates = []
    for i, first in enumerate(old):
        for j, second in enumerate(new):
            score = similarity(first.text, second.text)
            if score >= ACHIEVEMENT_THRESHOLD:
                candidates.append((-score, i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _score, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
    changes = [
        AchievementChange(kind="removed", achievement=_achievement_view(a))
        for i, a in enumerate(old)
        if i not in used_old
    ]
    changes += [
        AchievementChange(kind="added", achievement=_achievement_view(a))
        for j, a in enumerate(new)
        if j not in used_new
    ]
    return changes
