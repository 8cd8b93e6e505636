"""The one-page HTML report of a corpus: summary tables, charts, flags and links in one file.

The page is self-contained (styles inline, charts as inline SVG, no script, nothing fetched)
and built with a jinja2 template that escapes every value (autoescape); only the SVG that
matplotlib drew is inserted as markup. jinja2 and matplotlib are the `report` extra
(`pip install 'htreport[report]'`), imported here only.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from htreport.analysis.charts import KINDS, ChartData, chart_data
from htreport.analysis.flags import FLAG_NAMES, RULES, FlagMap, compute_flags
from htreport.analysis.links import DEFAULT_MIN_SCORE, find_links, unplanned, unreported
from htreport.analysis.summary import summarize
from htreport.errors import UsageError
from htreport.model.report import Report
from htreport.store.corpus import Corpus
from htreport.store.validate import default_raw_dir

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


@dataclass(frozen=True, slots=True, order=True)
class Place:
    """A record's place in its source report: `file:line`, with the PDF page if any, and a
    link to the source file when it was found (a PDF opened at the page)."""

    text: str
    href: str | None = None

    def __str__(self) -> str:
        return self.text


class SourceLinks:
    """Links from the page to the source reports, relative to where the page is written.

    A record's source file is looked for where `validate` looks for it (`../raw/` of its data
    file, `store.validate.default_raw_dir`); a source not found there gets no link."""

    def __init__(self, corpus: Corpus, output: Path | None) -> None:
        self._hrefs: dict[str, str] = {}
        if output is None:
            return
        base = output.resolve().parent
        for entry in corpus.entries:
            name = entry.report.get("source")
            if not name or name in self._hrefs:
                continue
            raw = default_raw_dir(entry.path.resolve()) / name
            try:
                if raw.is_file():
                    self._hrefs[name] = pathname2url(os.path.relpath(raw, base))
            except (OSError, ValueError):  # an odd name, another drive: no link
                continue

    def place(self, source: str, line: int | None, page: int | None) -> Place:
        text = where(source, line, page)
        href = self._hrefs.get(source)
        if href is not None and page is not None and source.lower().endswith(".pdf"):
            href = f"{href}#page={page}"
        return Place(text, href)


def where(source: str, line: int | None, page: int | None) -> str:
    """A record's place in its source report as text: `file:line`, with the PDF page if any."""
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


def _flagged(
    corpus: Corpus, flags: FlagMap, links: SourceLinks
) -> tuple[dict[str, int], list[dict[str, Any]]]:
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
                    "where": links.place(record["source"], record["line"], record["page"]),
                }
            )
    rows.sort(key=lambda row: (FLAG_NAMES.index(row["flag"]), row["report"] or "", row["where"]))
    return {name: counts[name] for name in FLAG_NAMES}, rows


def build_page(corpus: Corpus, reports: Sequence[Report], output: Path | None = None) -> ReportPage:
    """The page of `corpus` (its records) and `reports` (the same files, as full reports);
    with `output`, where the page will be written, each source place links to its file."""
    summary = summarize(corpus)
    sources = SourceLinks(corpus, output)
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
        page.flag_counts, page.flagged = _flagged(corpus, flags, sources)
    found = find_links(reports)
    page.links = [
        {
            "report": link.report,
            "achievement": link.achievement,
            "achievement_where": sources.place(
                link.source, link.achievement_line, link.achievement_page
            ),
            "deliverable": link.deliverable,
            "deliverable_text": link.deliverable_text,
            "deliverable_where": sources.place(
                link.source, link.deliverable_line, link.deliverable_page
            ),
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
            "where": sources.place(r["source"], r["line"], r["page"]),
        }
        for r in corpus.records("deliverables")
        if (r["source"], r["id"]) in missing
    ]
    lonely = unplanned(reports, found)
    page.unplanned = [
        {
            "report": r["report"],
            "text": r["text"],
            "where": sources.place(r["source"], r["line"], r["page"]),
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


def report_html(corpus: Corpus, reports: Sequence[Report], output: Path | None = None) -> str:
    """The one-page HTML report of a corpus (`output`: where it will be written, for the
    links to the source reports)."""
    return render_page(build_page(corpus, reports, output))
