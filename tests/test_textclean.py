"""Text cleaning, fiscal years and statuses: the small rules the parsers share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from htreport.model import fiscal
from htreport.model.report import Status
from htreport.model.status import parse_statuses
from htreport.model.textclean import (
    clean,
    join_fragments,
    normalize_unicode,
    squash,
    strip_markup,
)

from .conftest import HERE, RAW_DIR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("***Canada's National Action Plan***", "Canada's National Action Plan"),
        ("up to \\$500,000", "up to $500,000"),
        (
            "assess <i>Criminal Code</i> and <i>IRPA</i> offences",
            "assess Criminal Code and IRPA offences",
        ),
        ('online: <ul style="list-style-type: none"> Develop', "online: Develop"),
        ("see <http://www.justice.gc.ca/eng/>.", "see http://www.justice.gc.ca/eng/."),
        ("a\u00a0b  c ,", "a b c,"),
        ("*I'm Not for Sale*", "I'm Not for Sale"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (
            "Provide regular briefings on",
            "detection methods",
            "Provide regular briefings on detection methods",
        ),
        ("traf-", "ficking", "trafficking"),
        ("anti-", "trafficking", "anti-trafficking"),
        ("Start:", "2011/12", "Start: 2011/12"),
        ("", "x", "x"),
    ],
)
def test_join_fragments(first, second, joined):
    assert join_fragments(first, second) == joined


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Start: 2014/2015", 2014),
        ("Start: 2014/15", 2014),
        ("2011/12", 2011),
        ("2014-2015", 2014),
        ("1999/00", 1999),
        ("2014/16", None),
        ("2014", None),
    ],
)
def test_fiscal_year_forms(text, start):
    assert fiscal.parse(text) == start


def test_fiscal_year_formats():
    assert (fiscal.short(2014), fiscal.full(2014), fiscal.short(1999)) == (
        "2014-15",
        "2014-2015",
        "1999-00",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Ongoing", [(Status.ONGOING, None)]),
        ("In progress", [(Status.IN_PROGRESS, None)]),
        ("Completed (September 2014)", [(Status.COMPLETED, "September 2014")]),
        ("On hold", [(Status.ON_HOLD, None)]),
        ("Ongoing Ongoing Ongoing", [(Status.ONGOING, None)] * 3),
        ("Something else", []),
    ],
)
def test_statuses(cell, expected):
    assert [(s.status, s.detail) for s in parse_statuses(cell)] == expected


def _clean_fully(text: str) -> str:
    """`clean` without its shortcut for ASCII text that has no markup."""
    return squash(strip_markup(normalize_unicode(text)))


@given(st.text(alphabet=" \t\n\u00a0abcAB.,;:)(<>/\\*_-1'é", max_size=40))
def test_the_shortcut_for_plain_ascii_cleans_as_the_full_rules(text):
    assert clean(text) == _clean_fully(text)


def test_every_line_of_the_shipped_reports_cleans_as_the_full_rules():
    sources = [*RAW_DIR.iterdir(), *(HERE / "fixtures" / "documents").glob("*.txt")]
    sources += [
        HERE / "fixtures" / "formats" / name for name in ("nap-2014-2015.html", "nap-2014-2015.md")
    ]
    lines = {line for source in sources for line in source.read_text("utf-8").splitlines()}
    assert len(lines) > 1000
    assert all(clean(line) == _clean_fully(line) for line in lines)
