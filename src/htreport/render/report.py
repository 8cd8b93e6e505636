"""The one-page HTML report of a corpus: summary tables, charts, flags and links in one file.

The page is self-contained (styles inline, charts as inline SVG, no script, nothing fetched)
and built with a jinja2 template that escapes every value (autoescape); only the SVG that
matplotlib drew is inserted as markup. jinja2 and matplotlib are the `report` extra
(`pip install 'htreport[report]'`), imported here only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from htreport.analysis.charts import KINDS, ChartData, chart_data
from htreport.analysis.flags import FLAG_NAMES, RULES, FlagMap, compute_flags
from htreport.analysis.links import DEFAULT_MIN_SCORE, find_links, unplanned, unreported
from htreport.analysis.summary import summarize
from htreport.errors import UsageError
from htreport.model.report import Report
from htreport.store.corpus import Corpus

_SVG_START = re.compile(r"<svg\b")
_SVG_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(slots=True)
class ReportPage:
    """Everything the page shows, as plain values (the template only lays them out)."""

    summary: dict[str, Any]
    sources: list[str]
    charts: list[dict[str, Any]] = field(default_factory=list)
    flag_rules: dict[str, str] = field(default_factory=dict)
    flag_counts: dict[str, int] = field(default_factory=dict)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    flags_note: str | None = None
    links: list[dict[str, Any]] = field(default_factory=list)
    min_score: float = DEFAULT_MIN_SCORE
    unreported: list[dict[str, Any]] = field(default_factory=list)
    unplanned: list[dict[str, Any]] = field(default_factory=list)


def where(source: str, line: int | None, page: int | None) -> str:
    """A record's place in its source report: `file:line`, with the PDF page if any."""
    place = f"{source}:{line}" if line is not None else source
    return f"{place} (page {page})" if page is not None else place


def inline_svg(svg: bytes, prefix: str) -> str:
    """matplotlib's SVG without its XML prolog, its ids prefixed so that several charts in
    one page never share an id (their clip paths would then cross)."""
    text = svg.decode("utf-8")
    start = _SVG_START.search(text)
    if start is None:
        raise ValueError("not an SVG document")
    text = text[start.start() :]
    ids = set(_SVG_ID.findall(text))
    for name in sorted(ids, key=len, reverse=True):
        text = (
            text.replace(f'id="{name}"', f'id="{prefix}-{name}"')
            .replace(f"url(#{name})", f"url(#{prefix}-{name})")
            .replace(f'href="#{name}"', f'href="#{prefix}-{name}"')
        )
    return text


def _charts(corpus: Corpus, flags: FlagMap | None, years: int) -> list[dict[str, Any]]:
    from htreport.render.charts import draw

    kinds = [kind for kind in KINDS if (kind != "years" or years > 1)]
    if flags is None:
        kinds.remove("flags")
    charts = []
    for kind in kinds:
        data: ChartData = chart_data(kind, corpus, flags)
        if not data.categories:
            continue
        charts.append(
            {
                "kind": kind,
                "title": data.title,
                "description": KINDS[kind],
                "svg": inline_svg(draw(data, "svg"), f"chart-{kind}"),
            }
        )
    return charts


def _flagged(corpus: Corpus, flags: FlagMap) -> tuple[dict[str, int], list[dict[str, Any]]]:
    counts: Counter[str] = Counter()
    rows = []
    for record in corpus.records("deliverables"):
        by_name = flags.get((record["report"], record["id"]), {})
        for name in FLAG_NAMES:
            flag = by_name.get(name)
            if flag is None or not flag.value:
                continue
            counts[name] += 1
            rows.append(
                {
                    "flag": name,
                    "report": record["report"],
                    "id": record["id"],
                    "status": record["status"],
                    "leads": "; ".join(record["leads"]),
                    "years": ", ".join(flag.years),
                    "reason": flag.reason,
                    "text": record["text"],
                    "where": where(record["source"], record["line"], record["page"]),
                }
            )
    rows.sort(key=lambda row: (FLAG_NAMES.index(row["flag"]), row["report"] or "", row["where"]))
    return {name: counts[name] for name in FLAG_NAMES}, rows


def build_page(corpus: Corpus, reports: Sequence[Report]) -> ReportPage:
    """The page of `corpus` (its records) and `reports` (the same files, as full reports)."""
    summary = summarize(corpus)
    page = ReportPage(
        summary=summary,
        sources=sorted({entry.report.get("source") or entry.path.name for entry in corpus.entries}),
        flag_rules=dict(RULES),
    )
    flags: FlagMap | None
    try:
        flags = compute_flags(reports)
    except UsageError as error:  # two reports of one year: no timeline, so no flags
        flags = None
        page.flags_note = f"Flags not computed: {error}"
    if flags is not None:
        page.flag_counts, page.flagged = _flagged(corpus, flags)
    found = find_links(reports)
    page.links = [
        {
            "report": link.report,
            "achievement": link.achievement,
            "achievement_where": where(link.source, link.achievement_line, link.achievement_page),
            "deliverable": link.deliverable,
            "deliverable_text": link.deliverable_text,
            "deliverable_where": where(link.source, link.deliverable_line, link.deliverable_page),
            "score": f"{link.score:.3f}",
            "tfidf": f"{link.tfidf:.3f}",
            "terms": f"{link.terms:.3f}",
            "shared_departments": ", ".join(link.shared_departments),
            "shared_terms": ", ".join(link.shared_terms),
        }
        for link in found
    ]
    missing = unreported(reports, found)
    page.unreported = [
        {
            "report": r["report"],
            "id": r["id"],
            "text": r["text"],
            "where": where(r["source"], r["line"], r["page"]),
        }
        for r in corpus.records("deliverables")
        if (r["source"], r["id"]) in missing
    ]
    lonely = unplanned(reports, found)
    page.unplanned = [
        {
            "report": r["report"],
            "text": r["text"],
            "where": where(r["source"], r["line"], r["page"]),
        }
        for r in corpus.records("achievements")
        if (r["source"], r["line"]) in lonely
    ]
    page.charts = _charts(corpus, flags, len(summary["reports"]))
    return page


def _environment():
    try:
        import jinja2
    except ImportError:
        raise UsageError("the HTML report needs jinja2: pip install 'htreport[report]'") from None
    return jinja2.Environment(
        loader=jinja2.PackageLoader("htreport.render", "templates"),
        autoescape=True,  # every value is escaped; only the charts' SVG is marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(page: ReportPage) -> str:
    """The page as one HTML document."""
    from markupsafe import Markup

    environment = _environment()
    charts = [{**chart, "svg": Markup(chart["svg"])} for chart in page.charts]
    return environment.get_template("report.html.j2").render(
        page=page,
        charts=charts,
        summary=page.summary,
        flag_names=FLAG_NAMES,
    )


def report_html(corpus: Corpus, reports: Sequence[Report]) -> str:
    """The one-page HTML report of a corpus."""
    return render_page(build_page(corpus, reports))
