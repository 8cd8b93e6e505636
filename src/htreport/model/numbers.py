"""Numbers as reports print them: digits, number words, damaged digit groups, money.

>>> parse_number_words("Twenty-six")
26
>>> parse_digits("31, 454")
31454
>>> parse_money("$57.22 million")
57220000
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: Multipliers written after digits: "$57.22 million", "$8M", "10 thousand".
MULTIPLIERS = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "billion": 1_000_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
}

NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES])
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: A run of number words: "eight", "Twenty-six", "one hundred and twenty".
NUMBER_WORDS_PATTERN = re.compile(
    rf"\b(?:{_WORD})(?:(?:[\s-]++|\s++and\s++)(?:{_WORD}))*\b", re.IGNORECASE
)

#: Digits with well-formed thousands groups (1,234,567), a damaged group ("31, 454") or none.
DIGITS_PATTERN = re.compile(r"\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
#: A thousands group separated by comma + space: the damage a PDF or retyping leaves.
DAMAGED_GROUP = re.compile(r"\d,\s\d{3}(?!\d)")


def parse_number_words(text: str) -> int | None:
    """The value of number words ("eight", "Twenty-six", "two hundred and five"), else None."""
    words = [w for w in re.split(r"[\s-]+", text.strip().casefold()) if w and w != "and"]
    if not words:
        return None
    total = current = 0
    seen = False
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_digits(text: str) -> int | float:
    """The value of printed digits: "1,234", "31, 454" (a damaged group), "57.22"."""
    plain = re.sub(r",\s?", "", text.strip())
    value = float(plain)
    return int(value) if value.is_integer() and "." not in plain else value


def is_damaged(text: str) -> bool:
    """True when a thousands group is separated by ", " ("31, 454"), which needs a repair."""
    return bool(DAMAGED_GROUP.search(text))


def scale(value: int | float, multiplier: str | None) -> int | float:
    """Apply a written multiplier ("million", "M") to a value, keeping whole numbers exact."""
    if not multiplier:
        return value
    factor = MULTIPLIERS[multiplier.casefold()]
    result = round(value * factor, 6)
    return int(result) if float(result).is_integer() else result


_MONEY = re.compile(
    r"^(?:CA?\$|C\$|\$)\s?(?P<digits>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>thousand|million|billion|bn|mm|[kmb])?\b",
    re.IGNORECASE,
)


def parse_money(text: str) -> int | float | None:
    """Dollars in any usual form: "$500,000", "$57.22 million", "$8M", "C$1.5 billion"."""
    match = _MONEY.match(text.strip())
    if not match:
        return None
    return scale(parse_digits(match.group("digits")), match.group("mult"))
