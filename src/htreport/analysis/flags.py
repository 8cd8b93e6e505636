"""Progress flags on deliverables, computed from the cross-year timelines (never extracted).

Each flag of a deliverable record says true or false together with the rule that decided it
and the report years it looked at, so a reader can check it against the reports:

- `stalled`: the same `in_progress`, `on_hold` or `not_started` status in this report year and
  the one before (`ongoing` describes continuing work and is never stalled);
- `long_running`: started three or more fiscal years before the report's year and neither
  completed nor cancelled;
- `new_this_year`: in this report, with no match in the previous year's report;
- `completed_this_year`: `completed` now, and not `completed` (or absent) the year before;
- `dropped`: in this report, with no match in the next year's report (the flag sits on the
  last record of the deliverable).

A flag that needs a neighbouring year is *absent* (not false) when the corpus holds no report
for that fiscal year: a corpus of one report has only `long_running`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from htreport.analysis.history import Timeline, timelines
from htreport.analysis.overrides import Overrides
from htreport.errors import UsageError
from htreport.model import fiscal
from htreport.model.report import Report

#: The flags, in the order they are shown and exported.
FLAG_NAMES = ("stalled", "long_running", "new_this_year", "completed_this_year", "dropped")

#: The rule of each flag, as shown next to its evidence.
RULES = {
    "stalled": "the same in_progress, on_hold or not_started status in consecutive report years",
    "long_running": "started 3 or more fiscal years before the report year, not completed",
    "new_this_year": "no match in the previous year's report",
    "completed_this_year": "completed now, not completed (or absent) the previous year",
    "dropped": "no match in the next year's report",
}

STALLED_STATUSES = frozenset({"in_progress", "on_hold", "not_started"})
LONG_RUNNING_YEARS = 3
_FINISHED = frozenset({"completed", "cancelled"})


@dataclass(frozen=True, slots=True)
class Flag:
    """One decided flag: its value, the report years that decided it and why."""

    name: str
    value: bool
    years: tuple[str, ...]
    reason: str

    def to_data(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "rule": RULES[self.name],
            "years": list(self.years),
            "reason": self.reason,
        }


#: (report fiscal year, deliverable id) -> flag name -> Flag (undecidable flags are absent).
FlagMap = dict[tuple[str, str], dict[str, Flag]]


def check_names(names: Iterable[str]) -> list[str]:
    """The flag names normalised; an unknown name raises UsageError listing the valid ones."""
    wanted = []
    for name in names:
        flag = name.strip().casefold().replace("-", "_")
        if flag not in FLAG_NAMES:
            raise UsageError(f"--flag: unknown flag {name!r}; valid flags: {', '.join(FLAG_NAMES)}")
        wanted.append(flag)
    return wanted


def _start(year: str) -> int | None:
    return fiscal.parse(year)


def timeline_flags(timeline: Timeline, corpus_years: set[int]) -> dict[str, dict[str, Flag]]:
    """The flags of every record of one timeline, keyed by report year."""
    out: dict[str, dict[str, Flag]] = {}
    present = {year: record for year, record in timeline.years if record is not None}
    by_start = {_start(year): year for year, _record in timeline.years}
    for year, record in timeline.years:
        if record is None:
            continue
        start = _start(year)
        flags: dict[str, Flag] = {}
        long_running = _long_running(record, year, start)
        if long_running is not None:
            flags["long_running"] = long_running
        if start is not None and start - 1 in corpus_years:
            before_year = by_start[start - 1]
            flags.update(_against_previous(record, year, before_year, present, by_start))
        if start is not None and start + 1 in corpus_years:
            after_year = by_start[start + 1]
            gone = after_year not in present
            flags["dropped"] = Flag(
                "dropped",
                gone,
                (year, after_year),
                f"{'absent' if gone else 'present'} in {after_year}",
            )
        out[year] = flags
    return out


def _long_running(record: dict[str, Any], year: str, start: int | None) -> Flag | None:
    begun = _start(record["start"]) if record.get("start") else None
    if start is None or begun is None:
        return None
    age = start - begun
    value = age >= LONG_RUNNING_YEARS and record["status"] not in _FINISHED
    return Flag(
        "long_running",
        value,
        (fiscal.full(begun), year),
        f"started {record['start']}, {age} year(s) before {year}; status {record['status']}",
    )


def _against_previous(
    record: dict[str, Any],
    year: str,
    before_year: str,
    present: dict[str, dict[str, Any]],
    by_start: dict[int | None, str],
) -> dict[str, Flag]:
    before = present.get(before_year)
    status = record["status"]
    flags = {
        "new_this_year": Flag(
            "new_this_year",
            before is None,
            (before_year, year),
            f"{'absent' if before is None else 'present'} in {before_year}",
        )
    }
    done_before = before is not None and before["status"] == "completed"
    flags["completed_this_year"] = Flag(
        "completed_this_year",
        status == "completed" and not done_before,
        (before_year, year),
        f"{before['status'] if before else 'absent'} in {before_year}, {status} in {year}",
    )
    if before is None or status not in STALLED_STATUSES or before["status"] != status:
        reason = f"{before['status'] if before else 'absent'} in {before_year}, {status} in {year}"
        flags["stalled"] = Flag("stalled", False, (before_year, year), reason)
        return flags
    run = [year]
    start = _start(year)
    while start is not None:  # walk back while the status stays the same
        start -= 1
        earlier = present.get(by_start.get(start, ""))
        if earlier is None or earlier["status"] != status:
            break
        run.insert(0, by_start[start])
    flags["stalled"] = Flag(
        "stalled", True, tuple(run), f"{status} in {', '.join(run)} ({len(run)} years)"
    )
    return flags


def compute_flags(reports: Sequence[Report], overrides: Overrides | None = None) -> FlagMap:
    """The flags of every deliverable of `reports` (each with a fiscal year and an Annex A)."""
    dated = [r for r in reports if r.metadata.fiscal_year and r.annex]
    dated.sort(key=lambda r: r.metadata.fiscal_year or "")
    found, _warnings = timelines(dated, overrides)
    corpus_years = {s for r in dated if (s := _start(r.metadata.fiscal_year or "")) is not None}
    flags: FlagMap = {}
    for timeline in found:
        for year, by_name in timeline_flags(timeline, corpus_years).items():
            record = dict(timeline.years)[year]
            assert record is not None
            flags[(year, record["id"])] = by_name
    return flags


def flagged(flags: FlagMap, names: Iterable[str]) -> set[tuple[str, str]]:
    """The (year, id) of the deliverables on which every flag of `names` is true."""
    wanted = list(names)
    return {
        where
        for where, by_name in flags.items()
        if all(name in by_name and by_name[name].value for name in wanted)
    }


def flag_columns(by_name: dict[str, Flag] | None) -> dict[str, Any]:
    """Export columns of one deliverable: each flag 1, 0 or None (undecidable), and the evidence."""
    by_name = by_name or {}
    columns: dict[str, Any] = {
        name: (int(by_name[name].value) if name in by_name else None) for name in FLAG_NAMES
    }
    columns["flag_evidence"] = "; ".join(
        f"{name}: {by_name[name].reason}" for name in FLAG_NAMES if name in by_name
    )
    return columns


def export_flag_values(reports: Sequence[Report]) -> dict[tuple[str, str], dict[str, Any]]:
    """(fiscal year, deliverable id) -> the export's flag columns of that deliverable.

    Empty (every flag NULL) when two reports share a fiscal year: no timeline can be made."""
    try:
        flags = compute_flags(reports)
    except UsageError:
        return {}
    return {where: flag_columns(by_name) for where, by_name in flags.items()}


def timeline_flag_data(timeline: Timeline) -> dict[str, dict[str, Any]]:
    """For `history`: report year -> flag name -> its value, rule, years and reason."""
    corpus_years = {s for year, _record in timeline.years if (s := _start(year)) is not None}
    return {
        year: {name: flag.to_data() for name, flag in by_name.items()}
        for year, by_name in timeline_flags(timeline, corpus_years).items()
    }
