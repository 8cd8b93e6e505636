"""`htreport report`: the one-page HTML summary, its content, its escaping and, in a real
headless Chromium (selenium), that it renders: headings, the status tables equal to
`summary`'s numbers, the SVG charts drawn with a size, no console error."""

from __future__ import annotations

import os
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

import htreport
from htreport.analysis.flags import FLAG_NAMES, RULES
from htreport.analysis.summary import summarize
from htreport.cli import app
from htreport.store.corpus import load_corpus, load_reports

from .diffpairs import PAIRS_DIR, RAW_REPORT, extracted

pytest.importorskip("matplotlib")  # the `report` extra; installed by the dev extra
pytest.importorskip("jinja2")

YEARS = [RAW_REPORT, PAIRS_DIR / "2015-2016.txt", PAIRS_DIR / "2016-2017.txt"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: The flags of the three-year corpus (`query deliverables --flag NAME -c` agrees, tested below).
FLAG_COUNTS = {
    "stalled": 8,
    "long_running": 118,
    "new_this_year": 5,
    "completed_this_year": 4,
    "dropped": 5,
}
#: links, unreported deliverables, unplanned achievements of the three-year corpus.
LINK_COUNTS = (56, 169, 1)
HEADINGS = [
    "National Action Plan to Combat Human Trafficking: progress summary",
    "Reports",
    "Deliverables by status",
    "By lead department",
    "By pillar",
    "Charts",
    "Progress flags",
    "Key achievements and the deliverables they report on",
    "Unplanned achievements",
    "Unreported deliverables",
]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """structured/ with the three years and, as in data/, raw/ beside it with their sources."""
    root = tmp_path_factory.mktemp("three-years")
    directory, raw = root / "structured", root / "raw"
    raw.mkdir()
    for source in YEARS:
        report = extracted(source)
        htreport.dump(report, directory / f"{report.metadata.fiscal_year}.yaml")
        (raw / report.source.file).write_bytes(source.read_bytes())
    return directory


@pytest.fixture(scope="module")
def page_file(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    output = tmp_path_factory.mktemp("page") / "summary.html"
    result = CliRunner().invoke(app, ["report", str(corpus_dir), "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {output} (3 report(s))\n"
    return output


class _Outline(HTMLParser):
    """Headings, external references and scripts of a page, read by a real HTML parser."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.references: list[tuple[str, str, str]] = []
        self.links: list[str] = []  # <a href>: navigation to a source file, nothing fetched
        self.tags: set[str] = set()
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        for name, value in attrs:
            if tag == "a" and name == "href" and value:
                self.links.append(value)
            elif name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.references.append((tag, name, value))

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None


def test_the_page_is_self_contained_with_every_section(page_file):
    outline = _Outline()
    outline.feed(page_file.read_text("utf-8"))
    assert outline.headings == HEADINGS
    assert outline.references == []  # nothing fetched: no src, no href but in-page anchors
    # the source places link to the source files, relative to the page (raw/ beside the data)
    assert outline.links, "no source place links to its file"
    for href in outline.links:
        assert "://" not in href and not href.startswith("/"), href
        target = (page_file.parent / urllib.request.url2pathname(href.split("#")[0])).resolve()
        assert target.is_file() and target.parent.name == "raw", href

    assert "script" not in outline.tags and "link" not in outline.tags
    assert "svg" in outline.tags


def test_a_pdf_source_is_linked_at_its_page(tmp_path):
    from htreport.render.report import Place, SourceLinks

    report = extracted(RAW_REPORT)
    pdf_report = report.model_copy(
        update={"source": report.source.model_copy(update={"file": "report.pdf"})}
    )
    htreport.dump(pdf_report, tmp_path / "data" / "structured" / "2014-2015.yaml")
    (tmp_path / "data" / "raw").mkdir()
    (tmp_path / "data" / "raw" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    corpus = load_corpus([tmp_path / "data" / "structured"], use_cache=False)
    links = SourceLinks(corpus, tmp_path / "out" / "summary.html")
    assert links.place("report.pdf", 40, 7) == Place(
        "report.pdf:40 (page 7)", "../data/raw/report.pdf#page=7"
    )
    assert links.place("report.pdf", 40, None) == Place("report.pdf:40", "../data/raw/report.pdf")
    assert links.place("elsewhere.txt", 3, None) == Place("elsewhere.txt:3", None)
    assert SourceLinks(corpus, None).place("report.pdf", 1, 1).href is None


def test_chart_ids_are_unique_across_the_page(page_file):
    ids = re.findall(r'\bid="([^"]+)"', page_file.read_text("utf-8"))
    assert len(ids) == len(set(ids))


def test_every_value_is_escaped(corpus_dir, tmp_path):
    from htreport.render.report import build_page, render_page

    corpus = load_corpus([corpus_dir], use_cache=False)
    reports = [report for _path, report in load_reports([corpus_dir])[0]]
    page = build_page(corpus, reports)
    hostile = '<script>alert("x")</script> & <b>'
    page.sources = [hostile]
    page.flagged[0]["text"] = hostile
    html = render_page(page)
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;") == 8
    # the title, the sources line, four chart captions, the footer and the flagged row


def test_the_page_numbers_are_summarys(page_file, corpus_dir):
    from htreport.render.report import build_page

    corpus = load_corpus([corpus_dir], use_cache=False)
    reports = [report for _path, report in load_reports([corpus_dir])[0]]
    page = build_page(corpus, reports)
    assert page.summary == summarize(corpus)
    assert page.flag_counts == FLAG_COUNTS
    assert (len(page.links), len(page.unreported), len(page.unplanned)) == LINK_COUNTS
    assert [chart["kind"] for chart in page.charts] == ["leads", "pillars", "years", "flags"]


def test_the_counts_are_the_querys(runner, corpus_dir):
    def count(*args: str) -> int:
        result = runner.invoke(app, ["query", *args, str(corpus_dir), "-c"])
        assert result.exit_code == 0, result.stderr
        return int(result.stdout)

    for name, expected in FLAG_COUNTS.items():
        assert count("deliverables", "--flag", name) == expected, name
    links = runner.invoke(app, ["links", str(corpus_dir), "-F", "csv"])
    assert links.exit_code == 0, links.stderr
    assert len(links.stdout.splitlines()) - 1 == LINK_COUNTS[0]
    assert count("deliverables", "--unreported") == LINK_COUNTS[1]
    assert count("achievements", "--unplanned") == LINK_COUNTS[2]


def test_two_reports_of_one_year_give_a_page_that_says_why_no_flags(corpus_dir, tmp_path):
    from htreport.render.report import build_page, render_page

    twice = tmp_path / "twice"
    twice.mkdir()
    for name in ("2015-2016.yaml", "2016-2017.yaml"):
        (twice / name).write_bytes((corpus_dir / name).read_bytes())
    (twice / "copy.yaml").write_bytes((corpus_dir / "2016-2017.yaml").read_bytes())
    corpus = load_corpus([twice], use_cache=False)
    page = build_page(corpus, [report for _path, report in load_reports([twice])[0]])
    assert page.flags_note is not None and "two reports of fiscal year 2016-2017" in page.flags_note
    assert page.flagged == [] and [c["kind"] for c in page.charts] == ["leads", "pillars", "years"]
    assert "Flags not computed: two reports of fiscal year 2016-2017" in render_page(page)


def test_refusals_are_one_line_and_exit_2(runner, corpus_dir, tmp_path):
    existing = tmp_path / "summary.html"
    existing.write_text("keep me", "utf-8")
    result = runner.invoke(app, ["report", str(corpus_dir), "-o", str(existing)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {existing}: exists; pass --force to overwrite\n"
    assert existing.read_text("utf-8") == "keep me"
    result = runner.invoke(app, ["report", str(corpus_dir), "-o", str(tmp_path / "page.pdf")])
    assert result.exit_code == 2 and "must end in .html" in result.stderr
    result = runner.invoke(app, ["report", str(tmp_path / "missing"), "-o", str(existing)])
    assert result.exit_code == 2 and existing.read_text("utf-8") == "keep me"
    result = runner.invoke(app, ["report", str(corpus_dir), "-o", str(existing), "--force"])
    assert result.exit_code == 0 and existing.read_text("utf-8").startswith("<!DOCTYPE html>")


# -- in a real browser -------------------------------------------------------------------------


def _browser_or_skip() -> None:
    """Chromium and its driver are installed by .ci/run: under CI a missing browser fails."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {', '.join(missing)} is missing (.ci/run installs them)")
    pytest.skip(f"no {', '.join(missing)} (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser():
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _table(browser, table_id: str) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    table = browser.find_element(By.ID, table_id)
    return [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tr")
    ]


def test_the_page_renders_in_headless_chromium(browser, page_file, corpus_dir, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(page_file.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    headings = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "h1, h2, h3")]
    assert headings == HEADINGS

    summary = summarize(load_corpus([corpus_dir], use_cache=False))
    statuses = summary["statuses"]
    assert _table(browser, "status-by-lead") == [
        ["lead", *statuses, "total"],
        *(
            [row["department"], *(str(row[s]) for s in statuses), str(row["total"])]
            for row in summary["by_lead"]
        ),
    ]
    assert _table(browser, "status-by-pillar") == [
        ["pillar", *statuses, "new", "total"],
        *(
            [row["pillar"], *(str(row[s]) for s in statuses), str(row["new"]), str(row["total"])]
            for row in summary["by_pillar"]
        ),
    ]
    assert _table(browser, "flag-counts") == [
        ["flag", "rule", "deliverables"],
        *([name, RULES[name], str(FLAG_COUNTS[name])] for name in FLAG_NAMES),
    ]
    assert _table(browser, "link-counts") == [
        ["links", str(LINK_COUNTS[0])],
        ["unreported deliverables (no achievement links to them)", str(LINK_COUNTS[1])],
        ["unplanned achievements (link to no deliverable)", str(LINK_COUNTS[2])],
    ]

    charts = browser.find_elements(By.CSS_SELECTOR, "figure svg")
    assert len(charts) == 4
    for chart in charts:
        assert chart.is_displayed()
        assert chart.size["width"] > 300 and chart.size["height"] > 150
        bars = chart.find_elements(By.CSS_SELECTOR, "path, rect")
        assert bars and any(bar.size["width"] > 0 for bar in bars)

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    screenshot = tmp_path / "summary.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
