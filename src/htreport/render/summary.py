"""Print a corpus summary (see summary.py) as rich tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _columns(rows: list[dict[str, Any]], columns: list[str]):
    from htreport.render.layout import Column

    return [
        Column(
            name.replace("_", " "),
            wide=name in ("text", "leads"),
            key=name in ("report", "id", "department", "pillar"),
            numeric=bool(rows) and all(isinstance(row.get(name), int) for row in rows),
        )
        for name in columns
    ]


def _totals_line(summary: dict[str, Any]) -> str:
    totals = summary["totals"]
    return (
        f"{totals['reports']} report(s): {totals['deliverables']} deliverables "
        f"({totals['new']} new), "
        f"{totals['statistics']} statistics, {totals['achievements']} achievements"
    )


def _sections(summary: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], list[str]]]:
    """(title, rows, columns) of each table of the summary."""
    statuses = summary["statuses"]
    sections = [
        (
            "Reports",
            summary["reports"],
            ["report", "deliverables", "new", "statistics", "achievements", "warnings"],
        ),
        (
            "Deliverables by lead department and status",
            summary["by_lead"],
            ["department", *statuses, "total"],
        ),
        (
            "Deliverables by pillar and status",
            summary["by_pillar"],
            ["pillar", *statuses, "new", "total"],
        ),
    ]
    if summary["new"]:
        sections.append(
            ("New deliverables", summary["new"], ["report", "id", "status", "leads", "text"])
        )
    return sections


def print_summary(summary: dict[str, Any], console: Console) -> None:
    """Reports, deliverables by lead department and status, by pillar, and the new ones."""
    from htreport.render.layout import print_rows

    console.print(_totals_line(summary), markup=False)
    for title, rows, columns in _sections(summary):
        cells = [[_cell(row.get(name)) for name in columns] for row in rows]
        print_rows(console, title, _columns(rows, columns), cells)


def plain_summary(summary: dict[str, Any]) -> str:
    """The summary as plain text (for pipes): each table as aligned columns under its title."""
    from htreport.render.query import plain_table

    parts = [_totals_line(summary)]
    for title, rows, columns in _sections(summary):
        headers = [name.replace("_", " ") for name in columns]
        renamed = [
            {h: _cell(row.get(n)) for h, n in zip(headers, columns, strict=True)} for row in rows
        ]
        parts.append(f"{title}\n{plain_table(renamed, headers)}".rstrip("\n"))
    return "\n\n".join(parts) + "\n"
