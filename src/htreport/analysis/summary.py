"""An at-a-glance summary of a corpus: deliverables by lead and status, by pillar, what is new."""

from __future__ import annotations

from collections import Counter
from typing import Any

from htreport.analysis.filters import lead_department
from htreport.model.vocabulary import Pillar, Status
from htreport.store.corpus import Corpus


def summarize(corpus: Corpus, years: set[str] | None = None) -> dict[str, Any]:
    """Counts over every report of `corpus` (or only the fiscal `years` given), as plain data.

    A deliverable led by several programs of one department counts once for that department.
    """
    entries = [e for e in corpus.entries if years is None or e.report.get("fiscal_year") in years]
    deliverables = [r for e in entries for r in e.records("deliverables")]
    statuses = [s.value for s in Status if any(r["status"] == s.value for r in deliverables)]

    by_lead: dict[str, Counter[str]] = {}
    for record in deliverables:
        for department in dict.fromkeys(lead_department(label)[0] for label in record["leads"]):
            by_lead.setdefault(department, Counter())[record["status"]] += 1
    by_pillar: dict[str, Counter[str]] = {}
    for record in deliverables:
        counts = by_pillar.setdefault(record["pillar"], Counter())
        counts[record["status"]] += 1
        counts["new"] += record["new"]
    pillar_order = [p.value for p in Pillar]

    return {
        "reports": [
            {
                "report": entry.report.get("fiscal_year"),
                "title": entry.report.get("title"),
                "file": str(entry.path),
                "deliverables": len(entry.records("deliverables")),
                "new": sum(r["new"] for r in entry.records("deliverables")),
                "statistics": len(entry.records("statistics")),
                "achievements": len(entry.records("achievements")),
                "warnings": entry.report.get("warnings", 0),
            }
            for entry in entries
        ],
        "totals": {
            "reports": len(entries),
            "deliverables": len(deliverables),
            "new": sum(r["new"] for r in deliverables),
            "statistics": sum(len(e.records("statistics")) for e in entries),
            "achievements": sum(len(e.records("achievements")) for e in entries),
        },
        "statuses": statuses,
        "by_lead": [
            {"department": code, **{s: counts[s] for s in statuses}, "total": counts.total()}
            for code, counts in sorted(
                by_lead.items(), key=lambda item: (-item[1].total(), item[0])
            )
        ],
        "by_pillar": [
            {
                "pillar": pillar,
                **{s: by_pillar[pillar][s] for s in statuses},
                "new": by_pillar[pillar]["new"],
                "total": sum(by_pillar[pillar][s] for s in statuses),
            }
            for pillar in sorted(
                by_pillar, key=lambda p: pillar_order.index(p) if p in pillar_order else 99
            )
        ],
        "new": [
            {
                "report": r["report"],
                "id": r["id"],
                "status": r["status"],
                "leads": r["leads"],
                "text": r["text"],
            }
            for r in deliverables
            if r["new"]
        ],
    }
