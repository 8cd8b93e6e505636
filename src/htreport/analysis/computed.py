"""Query filters computed over a whole corpus: progress flags, unreported and unplanned."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from htreport.store.corpus import Entry


def keep_computed(
    kind: str,
    matches: list[tuple[Entry, int]],
    paths: Sequence[Path] | None,
    *,
    flags: Sequence[str] = (),
    unreported: bool = False,
    unplanned: bool = False,
) -> list[tuple[Entry, int]]:
    """The `matches` (entry, record position) that also pass the computed filters.

    `flags`: every named flag true (analysis/flags.py); `unreported`: a deliverable no
    achievement links to; `unplanned`: an achievement linking to no deliverable (links.py)."""
    from htreport.analysis.flags import check_names, compute_flags, flagged
    from htreport.analysis.links import find_links
    from htreport.analysis.links import unplanned as find_unplanned
    from htreport.analysis.links import unreported as find_unreported
    from htreport.errors import UsageError
    from htreport.store.corpus import load_reports

    names = check_names(flags)
    if (names or unreported) and kind != "deliverables":
        raise UsageError(f"--flag and --unreported apply to deliverables, not {kind}")
    if unplanned and kind != "achievements":
        raise UsageError(f"--unplanned applies to achievements, not {kind}")
    reports = [report for _path, report in load_reports(paths)[0]]
    kept = matches
    if names:
        chosen = flagged(compute_flags(reports), names)
        kept = [
            (e, i)
            for e, i in kept
            if (e.records(kind)[i]["report"], e.records(kind)[i]["id"]) in chosen
        ]
    if unreported or unplanned:
        links = find_links(reports)
        if unreported:
            lonely = find_unreported(reports, links)
            kept = [
                (e, i)
                for e, i in kept
                if (e.records(kind)[i]["source"], e.records(kind)[i]["id"]) in lonely
            ]
        else:
            orphans = find_unplanned(reports, links)
            kept = [
                (e, i)
                for e, i in kept
                if (e.records(kind)[i]["source"], e.records(kind)[i]["line"]) in orphans
            ]
    return kept
