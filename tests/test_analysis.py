"""Progress flags on the three-year diff pairs, links against the hand labels, charts vs summary."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from htreport.analysis.flags import compute_flags, flagged
from htreport.analysis.links import evaluate, find_links, unplanned
from htreport.store import io

from .conftest import ROOT
from .diffpairs import PAIRS_DIR, RAW_REPORT, extracted, forcing_overrides

SHIPPED = ROOT / "data" / "structured" / "2014-2015.yaml"
LABELS = Path(__file__).parent / "fixtures" / "links" / "2014-2015-labels.yaml"


@pytest.fixture(scope="module")
def three_years():
    reports = [
        extracted(RAW_REPORT),
        extracted(PAIRS_DIR / "2015-2016.txt"),
        extracted(PAIRS_DIR / "2016-2017.txt"),
    ]
    return compute_flags(reports, forcing_overrides("2015-2016"))


def ids(flags, name, year):
    return sorted(i for y, i in flagged(flags, [name]) if y == year)


def test_stalled_is_the_same_unfinished_status_in_consecutive_years(three_years):
    # 2.13.2, 3.11.4 (in_progress) and 3.14.2 (on_hold) are left unchanged by make_pairs.py
    assert ids(three_years, "stalled", "2015-2016") == ["2.13.2", "3.11.4", "3.14.2", "4.14.10"]
    assert ids(three_years, "stalled", "2016-2017") == ["2.13.2", "3.11.3", "3.14.2", "4.14.10"]
    flag = three_years[("2016-2017", "3.14.2")]["stalled"]
    assert flag.years == ("2014-2015", "2015-2016", "2016-2017")
    assert "on_hold" in flag.reason
    # ongoing is continuing work, never stalled
    assert not three_years[("2015-2016", "3.11.1")]["stalled"].value


def test_completed_new_and_dropped_follow_the_pair_ground_truth(three_years):
    assert ids(three_years, "completed_this_year", "2015-2016") == ["2.11.2", "2.13.1", "3.11.2"]
    assert ids(three_years, "completed_this_year", "2016-2017") == ["1.11.2"]
    assert ids(three_years, "new_this_year", "2015-2016") == ["1.11.7", "2.13.4", "4.14.11"]
    assert ids(three_years, "new_this_year", "2016-2017") == ["4.13.4"]
    assert ids(three_years, "dropped", "2014-2015") == ["1.11.4", "2.13.6", "3.13.10"]
    assert ids(three_years, "dropped", "2015-2016") == ["3.11.2"]


def test_long_running_is_three_or_more_years_and_unfinished(three_years):
    assert ids(three_years, "long_running", "2014-2015") == [
        "3.11.1",
        "3.13.11",
        "3.14.2",
        "4.11.3",
        "4.14.10",
        "4.14.2",
    ]


def test_one_report_has_only_long_running_and_the_rest_is_absent():
    flags = compute_flags([io.load(SHIPPED)])
    assert {name for by_name in flags.values() for name in by_name} == {"long_running"}


def test_links_precision_and_recall_do_not_fall_below_the_floor():
    labels = {
        entry["line"]: {str(d) for d in entry["deliverables"]}
        for entry in yaml.safe_load(LABELS.read_text("utf-8"))["achievements"]
    }
    report = io.load(SHIPPED)
    assert len(labels) == len(report.achievements) == 19
    scores = evaluate(find_links([report]), labels)
    # the figures reached at the default threshold (docs/analysis.md): 11 of 18 links right,
    # 11 of 24 labelled links found
    assert scores["precision"] >= 0.61
    assert scores["recall"] >= 0.45


def test_unplanned_achievements_of_the_shipped_report():
    report = io.load(SHIPPED)
    assert unplanned([report], find_links([report])) == {("nap-2014-2015-annual-report.txt", 129)}


@pytest.mark.parametrize("kind", ["leads", "pillars", "years", "flags"])
def test_each_chart_renders_and_its_numbers_are_summarys(kind, tmp_path):
    from htreport.analysis.summary import summarize
    from htreport.cli.chart import chart_of
    from htreport.render.charts import draw
    from htreport.store.corpus import load_corpus

    data = chart_of(kind, [SHIPPED])
    summary = summarize(load_corpus([SHIPPED], use_cache=False))
    if kind == "leads":
        assert data.categories == [row["department"] for row in summary["by_lead"]]
        for status in summary["statuses"]:
            assert data.series[status] == [row[status] for row in summary["by_lead"]]
    elif kind == "pillars":
        for status in summary["statuses"]:
            assert data.series[status] == [row[status] for row in summary["by_pillar"]]
    elif kind == "years":
        assert data.categories == ["2014-2015"]
        assert sum(v[0] for v in data.series.values()) == summary["totals"]["deliverables"]
    else:
        assert sum(data.series["long_running"]) >= 6
    svg = draw(data, "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    # matplotlib draws text as paths, so the caption is checked on the data it is drawn from
    assert data.caption.startswith("Source: ") and ".yaml" in data.caption
    assert draw(data, "png").startswith(b"\x89PNG")


def test_query_flag_unreported_and_unplanned_on_the_cli(runner):
    from htreport.cli import app

    result = runner.invoke(
        app, ["query", "deliverables", str(SHIPPED), "--flag", "long_running", "-c", "--no-cache"]
    )
    assert result.exit_code == 0 and result.stdout == "6\n"
    result = runner.invoke(
        app, ["query", "achievements", str(SHIPPED), "--unplanned", "-F", "csv", "--no-cache"]
    )
    assert result.exit_code == 0 and "Aboriginal" in result.stdout
    result = runner.invoke(app, ["query", "deliverables", str(SHIPPED), "--flag", "nope"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["links", str(SHIPPED), "-F", "json"])
    assert result.exit_code == 0 and '"deliverable": "3.11.3"' in result.stdout


def test_cli_import_does_not_load_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, htreport.cli; print([m for m in ('matplotlib', 'selenium', 'sklearn', 'jinja2') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_history_json_shows_the_flags_with_their_evidence(runner):
    import json

    from htreport.cli import app

    result = runner.invoke(app, ["history", "3.11.1", "--data", str(SHIPPED), "--format", "json"])
    assert result.exit_code == 0, result.output
    flags = json.loads(result.stdout)[0]["flags"]["2014-2015"]
    assert set(flags) == {"long_running"}
    assert flags["long_running"]["value"] is True
    assert flags["long_running"]["years"] == ["2011-2012", "2014-2015"]


def _shipped_report():
    return io.load(SHIPPED)


def test_tfidf_cosines_are_those_of_a_vocabulary_scikit_learn_learns():
    """The vocabulary made ahead gives the cosines of scikit-learn's own learned vocabulary,
    to the last bit."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from htreport.analysis.links import _tfidf_cosines

    report = _shipped_report()
    deliverables = [
        " ".join([d.text, *(s.text for s in d.items), task.text])
        for _p, _o, task, d in report.deliverables()
    ]
    achievements = [a.text for a in report.achievements]
    learned = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    learned.fit(deliverables + achievements)
    expected = cosine_similarity(learned.transform(achievements), learned.transform(deliverables))
    assert (_tfidf_cosines(achievements, deliverables) == expected).all()


def test_finding_links_leaves_nothing_for_the_collector():
    """scikit-learn's learned vocabulary is a reference cycle holding every word; `export`
    finds each report's links with the collector running rarely, and these piled up (peak
    memory 342 MB for the links of 1,500 reports, 197 MB without them)."""
    import gc

    report = _shipped_report()
    find_links([report])
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        find_links([report])
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_a_report_whose_texts_are_all_stop_words_still_gets_its_links():
    """No word left for TF-IDF: every cosine is 0 and the other evidence still scores (this
    raised scikit-learn's `empty vocabulary` ValueError, a traceback in `links` and
    `export`)."""
    report = _shipped_report()
    achievements = [a.model_copy(update={"text": "the and of"}) for a in report.achievements]
    annex = report.annex.model_copy(deep=True)
    for pillar in annex.pillars:
        for objective in pillar.objectives:
            for task in objective.tasks:
                task.text = "it is"
                for deliverable in task.deliverables:
                    deliverable.text, deliverable.items = "to be", []
    bare = report.model_copy(update={"achievements": achievements, "annex": annex})
    links = find_links([bare])
    assert links, "department evidence alone reaches the threshold"
    assert {link.tfidf for link in links} == {0.0}
    assert all(link.shared_departments and link.score == 0.2 for link in links)


@pytest.mark.parametrize(("min_score", "per_achievement"), [(0.0, 1), (0.15, 1), (0.3, 3)])
def test_find_links_keeps_what_it_would_keep_of_the_candidates(min_score, per_achievement):
    """find_links builds only the links it keeps; they are those the candidates give, taken
    best first per achievement line while they reach the score."""
    from htreport.analysis.links import candidates

    report = _shipped_report()
    expected, taken = [], {}
    for link in candidates(report):
        count = taken.get(link.achievement_line, 0)
        if link.score >= min_score and count < per_achievement:
            expected.append(link)
            taken[link.achievement_line] = count + 1
    assert find_links([report], min_score, per_achievement) == expected
    assert len(expected) >= len(report.achievements) * (min_score == 0.0)
