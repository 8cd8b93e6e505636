"""Views of a report diff and of deliverable timelines: rich on a terminal, and markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from htreport.render import stdout

if TYPE_CHECKING:
    from htreport.analysis.diff import DeliverableChange, ReportDiff
    from htreport.analysis.history import Timeline


def _year(side: Any) -> str:
    return side.fiscal_year or side.file


def _value(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name == "leads":
        return "; ".join(value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def summary_line(result: ReportDiff) -> str:
    s = result.summary
    parts = [
        f"{s.added} added",
        f"{s.removed} removed",
        f"{s.changed} changed",
        f"{s.unchanged} unchanged",
    ]
    if s.statistics:
        parts.append(f"{s.statistics} statistic(s) changed")
    if s.achievements_added or s.achievements_removed:
        parts.append(f"achievements +{s.achievements_added} -{s.achievements_removed}")
    return f"{_year(result.old)} → {_year(result.new)}: " + ", ".join(parts)


def _ids(change: DeliverableChange) -> str:
    old, new = change.old, change.new
    if old and new:
        return old["id"] if old["id"] == new["id"] else f"{old['id']} → {new['id']}"
    record = new or old
    assert record is not None
    return record["id"]


# -- markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_words(change: DeliverableChange) -> str:
    parts = []
    for op, words in change.word_diff or []:
        parts.append(words if op == "=" else f"~~{words}~~" if op == "-" else f"**{words}**")
    return _md(" ".join(parts))


def markdown(result: ReportDiff) -> str:
    """The diff as markdown, e.g. for a pull request description."""
    out = [f"## Changes {_year(result.old)} → {_year(result.new)}", "", summary_line(result), ""]
    for kind, title in (("added", "Added"), ("removed", "Removed"), ("changed", "Changed")):
        changes = [c for c in result.changes if c.kind == kind]
        if not changes:
            continue
        out += [f"### {title} deliverables ({len(changes)})", ""]
        for change in changes:
            record = change.new or change.old
            assert record is not None
            if kind != "changed":
                out.append(
                    f"- **{record['id']}** {_md(record['text'])} "
                    f"({_value('leads', record['leads'])}; {record['status']}; start {_value('start', record['start'])})"
                )
                continue
            out += [f"#### {_ids(change)} (key `{record['key']}`, matched {change.match})", ""]
            out += [f"| field | {_year(result.old)} | {_year(result.new)} |", "|---|---|---|"]
            for name, (before, after) in change.fields.items():
                if name == "text":
                    continue
                out.append(f"| {name} | {_md(_value(name, before))} | {_md(_value(name, after))} |")
            if "text" in change.fields:
                out.append(f"| text | similarity {change.similarity:.2f} | |")
                out += ["", _md_words(change)]
            out.append("")
        out.append("")
    if result.statistics:
        out += [
            "### Statistics",
            "",
            f"| counted | unit | {_year(result.old)} | {_year(result.new)} |",
            "|---|---|---|---|",
        ]
        for stat in result.statistics:
            out.append(
                f"| {_md(stat.counted)} | {stat.unit} | {_md(stat.old['raw'])} | {_md(stat.new['raw'])} |"
            )
        out.append("")
    if result.achievements:
        out += ["### Achievements", ""]
        for item in result.achievements:
            sign = "+" if item.kind == "added" else "−"
            out.append(f"- {sign} {_md(item.achievement['text'])}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


#: year -> flag name -> {"value", "rule", "years", "reason"} (analysis.flags.timeline_flag_data)
YearFlags = dict[str, dict[str, dict[str, Any]]]


def flags_cell(year_flags: dict[str, dict[str, Any]] | None) -> str:
    """The flags of one year: the true ones by name, `—` when none is true."""
    names = [name for name, flag in (year_flags or {}).items() if flag["value"]]
    return ", ".join(names) or "—"


def flag_evidence(flags: YearFlags) -> list[str]:
    """One line per true flag: the year, the flag and the reason (which names its years)."""
    return [
        f"{year} {name}: {flag['reason']}"
        for year, by_name in flags.items()
        for name, flag in by_name.items()
        if flag["value"]
    ]


def timelines_markdown(found: list[Timeline], flags: list[YearFlags] | None = None) -> str:
    """Each timeline as a markdown table, with each year's true flags and their evidence."""
    out: list[str] = []
    for index, timeline in enumerate(found):
        year_flags = flags[index] if flags else {}
        out += [
            f"### `{timeline.key}`",
            "",
            "| year | id | status | leads | start | flags | text |",
            "|---|---|---|---|---|---|---|",
        ]
        for year, record in timeline.years:
            if record is None:
                out.append(f"| {year} | — | not in the report | | | | |")
            else:
                out.append(
                    f"| {year} | {record['id']} | {record['status']} | {_md(_value('leads', record['leads']))} "
                    f"| {_value('start', record['start'])} | {flags_cell(year_flags.get(year))} "
                    f"| {_md(record['text'])} |"
                )
        evidence = flag_evidence(year_flags)
        if evidence:
            out += ["", *(f"- {_md(line)}" for line in evidence)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- terminal (rich) ------------------------------------------------------------------------


def _rich_words(change: DeliverableChange):
    from rich.text import Text

    text = Text()
    for op, words in change.word_diff or []:
        if text:
            text.append(" ")
        if op == "=":
            text.append(words)
        elif op == "-":
            text.append(f"[-{words}-]", style="red strike")
        else:
            text.append(f"{{+{words}+}}", style="green")
    return text


def print_diff(result: ReportDiff) -> None:
    """A rich summary of the diff on stdout."""
    from rich.table import Table
    from rich.text import Text

    console = stdout()
    console.print(Text(summary_line(result), style="bold"))
    if not result.changes and not result.statistics and not result.achievements:
        return
    if result.changes:
        table = Table(show_lines=True, expand=True)
        table.add_column("", width=1, no_wrap=True)
        table.add_column("id", no_wrap=True)
        table.add_column("what changed", ratio=1)
        for change in result.changes:
            record = change.new or change.old
            assert record is not None
            if change.kind == "added":
                table.add_row(
                    Text("+", style="green"),
                    _ids(change),
                    Text(
                        f"{record['text']} ({_value('leads', record['leads'])}; {record['status']})"
                    ),
                )
                continue
            if change.kind == "removed":
                table.add_row(
                    Text("-", style="red"),
                    _ids(change),
                    Text(
                        f"{record['text']} ({_value('leads', record['leads'])}; {record['status']})"
                    ),
                )
                continue
            body = Text()
            for name, (before, after) in change.fields.items():
                if name == "text":
                    continue
                body.append(f"{name}: {_value(name, before)} → {_value(name, after)}\n")
            if "text" in change.fields:
                body.append(f"text (similarity {change.similarity:.2f}): ")
                body.append_text(_rich_words(change))
            body.rstrip()
            table.add_row(Text("~", style="yellow"), _ids(change), body)
        console.print(table)
    if result.statistics:
        table = Table(title="Statistics", expand=True)
        for column in ("counted", "unit", _year(result.old), _year(result.new)):
            table.add_column(column)
        for stat in result.statistics:
            table.add_row(stat.counted, stat.unit, stat.old["raw"], stat.new["raw"])
        console.print(table)
    for item in result.achievements:
        sign, style = ("+", "green") if item.kind == "added" else ("-", "red")
        console.print(Text(f"{sign} achievement: {item.achievement['text']}", style=style))


def print_timelines(found: list[Timeline], flags: list[YearFlags] | None = None) -> None:
    """Each timeline as a rich table, one row per year, each year's true flags under its status,
    then the evidence of those flags."""
    from rich.table import Table
    from rich.text import Text

    console = stdout()
    for index, timeline in enumerate(found):
        year_flags = flags[index] if flags else {}
        table = Table(title=f"{timeline.key}", expand=True, title_justify="left")
        for column in ("year", "id", "status", "leads", "start"):
            table.add_column(column, no_wrap=True)
        table.add_column("text", ratio=1)
        for year, record in timeline.years:
            if record is None:
                table.add_row(year, "—", Text("not in the report", style="dim"), "", "", "")
            else:
                status = Text(record["status"])
                for name, flag in year_flags.get(year, {}).items():  # under the status: 80 columns
                    if flag["value"]:
                        status.append(f"\n{name}", style="bold")
                table.add_row(
                    year,
                    record["id"],
                    status,
                    _value("leads", record["leads"]),
                    _value("start", record["start"]),
                    record["text"],
                )
        console.print(table)
        for line in flag_evidence(year_flags):
            console.print(Text(f"  {line}"))
