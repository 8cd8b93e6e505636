"""Text cleaning, fiscal years and statuses: the small rules the parsers share."""

from __future__ import annotations

import pytest

from htreport.model import fiscal
from htreport.model.report import Status
from htreport.model.status import parse_statuses
from htreport.model.textclean import clean, join_fragments


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
