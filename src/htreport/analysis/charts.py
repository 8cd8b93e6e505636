"""The numbers behind each chart (render/charts.py draws them): counts from `summary` and flags.

Each chart is a stacked bar chart: categories along one axis, one stacked series per status
(or flag). The counts come from `summarize`, so a chart always agrees with `htreport summary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from htreport.store.corpus import Corpus

#: Chart kinds, with what they show.
KINDS = {
    "leads": "deliverables by lead department, stacked by status",
    "pillars": "deliverables by pillar, stacked by status",
    "years": "each status's count per report year",
    "flags": "progress flags by lead department",
}


@dataclass(slots=True)
class ChartData:
    """What a chart draws: one bar per category, a stacked segment per series."""

    kind: str
    title: str
    categories: list[str]  # codes (department, pillar, year)
    labels: list[str]  # what the axis shows for each category
    series: dict[str, list[int]] = field(default_factory=dict)
    caption: str = ""
    value_label: str = "deliverables"

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": self.categories,
            "labels": self.labels,
            "series": self.series,
            "caption": self.caption,
        }


def _department_name(code: str) -> str:
    from htreport.model.departments import registry

    department = registry().departments.get(code)
    return f"{department.en} ({code})" if department else code


def _caption(corpus: Corpus) -> str:
    files = ", ".join(sorted({entry.path.name for entry in corpus.entries}))
    return f"Source: {files}" if files else "Source: (no reports)"


def chart_data(kind: str, corpus: Corpus, flags: Any = None) -> ChartData:
    """The data of chart `kind` (a key of KINDS) over `corpus`.

    `flags` (a FlagMap from flags.compute_flags) is needed by the `flags` chart only."""
    from htreport.analysis.summary import summarize
    from htreport.errors import UsageError

    if kind not in KINDS:
        raise UsageError(f"unknown chart {kind!r}; valid charts: {', '.join(KINDS)}")
    summary = summarize(corpus)
    caption = _caption(corpus)
    statuses = summary["statuses"]
    if kind == "leads":
        rows = summary["by_lead"]
        codes = [row["department"] for row in rows]
        return ChartData(
            kind,
            "Deliverables by lead department and status",
            codes,
            [_department_name(code) for code in codes],
            {status: [row[status] for row in rows] for status in statuses},
            caption,
        )
    if kind == "pillars":
        rows = summary["by_pillar"]
        codes = [row["pillar"] for row in rows]
        return ChartData(
            kind,
            "Deliverables by pillar and status",
            codes,
            [code.capitalize() for code in codes],
            {status: [row[status] for row in rows] for status in statuses},
            caption,
        )
    if kind == "years":
        years = sorted({e.report.get("fiscal_year") or e.path.name for e in corpus.entries})
        per_year = {year: summarize(corpus, {year}) for year in years}
        series = {
            status: [sum(row.get(status, 0) for row in per_year[y]["by_pillar"]) for y in years]
            for status in statuses
        }
        return ChartData(
            kind, "Deliverables by status, per report year", years, years, series, caption
        )
    return _flags_chart(corpus, flags or {}, caption)


def _flags_chart(corpus: Corpus, flags: Any, caption: str) -> ChartData:
    from collections import Counter

    from htreport.analysis.filters import lead_department
    from htreport.analysis.flags import FLAG_NAMES

    counts: dict[str, Counter[str]] = {}
    for record in corpus.records("deliverables"):
        by_name = flags.get((record["report"], record["id"]), {})
        for department in dict.fromkeys(lead_department(label)[0] for label in record["leads"]):
            tally = counts.setdefault(department, Counter())
            for name in FLAG_NAMES:
                if name in by_name and by_name[name].value:
                    tally[name] += 1
    codes = sorted(counts, key=lambda code: (-counts[code].total(), code))
    return ChartData(
        "flags",
        "Progress flags by lead department",
        codes,
        [_department_name(code) for code in codes],
        {name: [counts[code][name] for code in codes] for name in FLAG_NAMES},
        caption,
        value_label="flagged deliverables",
    )
