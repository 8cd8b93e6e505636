"""Number words, damaged digit groups and money (htreport.model.numbers)."""

from __future__ import annotations

import pytest

from htreport.model import numbers


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("eight", 8),
        ("Nine", 9),
        ("Twenty-six", 26),
        ("fifteen", 15),
        ("one hundred and twenty", 120),
        ("two thousand five hundred", 2500),
        ("three million", 3_000_000),
    ],
)
def test_number_words(words: str, value: int) -> None:
    assert numbers.parse_number_words(words) == value


@pytest.mark.parametrize("text", ["", "several", "eight pleas", "twenty-something"])
def test_not_number_words(text: str) -> None:
    assert numbers.parse_number_words(text) is None


@pytest.mark.parametrize(
    ("digits", "value", "damaged"),
    [
        ("31, 454", 31454, True),
        ("31,454", 31454, False),
        ("200,000", 200000, False),
        ("1, 234, 567", 1234567, True),
        ("977", 977, False),
        ("57.22", 57.22, False),
    ],
)
def test_digits(digits: str, value: float, damaged: bool) -> None:
    parsed = numbers.parse_digits(digits)
    assert parsed == value
    assert isinstance(parsed, int) == isinstance(value, int)
    assert numbers.is_damaged(digits) is damaged


@pytest.mark.parametrize(
    ("money", "value"),
    [
        ("$500,000", 500_000),
        ("$57.22 million", 57_220_000),
        ("$10.28 million", 10_280_000),
        ("$1.5 million", 1_500_000),
        ("$8M", 8_000_000),
        ("C$2 billion", 2_000_000_000),
        ("$75,000", 75_000),
        ("$500", 500),
    ],
)
def test_money(money: str, value: int) -> None:
    assert numbers.parse_money(money) == value
    assert isinstance(numbers.parse_money(money), int)


def test_not_money() -> None:
    assert numbers.parse_money("500 dollars") is None
    assert numbers.parse_money("million") is None
