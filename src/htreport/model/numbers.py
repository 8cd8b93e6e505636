"""Numbers as reports print them: digits, number words, damaged digit groups, money.

>>> parse_number_words("Twenty-six")
26
>>> parse_digits("31, 454")
31454
>>> parse_money("$57.22 million")
57220000

Every value is exact: digits are read as decimals (never through a float), a whole number is an
`int` of any size up to the bound, and a fraction is a `float` only when it has at most
`MAX_SIGNIFICANT_DIGITS` significant digits, so that its shortest printed form is the decimal as
written. A number past the bound raises `NumberTooLarge` (the parser keeps it as text).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: Whole numbers have at most this many digits (below 10**30). No report counts anything past a
#: quadrillion; the bound keeps 20-digit numbers exact while a few hundred digits, or more than
#: Python's 4,300-digit int/str limit, are text, never Infinity or a crash.
MAX_DIGITS = 30
MAX_VALUE = 10**MAX_DIGITS - 1
#: A fraction keeps at most this many significant digits, which an IEEE double holds exactly
#: as decimal text (57.22 stays 57.22); more would be rounded, so such a number is text too.
MAX_SIGNIFICANT_DIGITS = 15


class NumberTooLarge(ValueError):
    """A number too large (or too precise) to be stored exactly as a statistic."""


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
#: A run of number words: "eight", "Twenty-six", "one hundred and twenty" (to be matched
#: with IGNORECASE). The text of a pattern, which the scanners build theirs from.
NUMBER_WORDS_REGEX = rf"\b(?:{_WORD})(?:(?:[\s-]++|\s++and\s++)(?:{_WORD}))*\b"

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
        if current > MAX_VALUE or total > MAX_VALUE:
            raise NumberTooLarge(f"more than {MAX_DIGITS} digits")
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
    if not seen:
        return None
    value = total + current
    if value > MAX_VALUE:
        raise NumberTooLarge(f"more than {MAX_DIGITS} digits")
    return value


def parse_digits(text: str) -> int | float:
    """The value of printed digits: "1,234", "31, 454" (a damaged group), "57.22".

    Raises NumberTooLarge past `MAX_DIGITS` digits or `MAX_SIGNIFICANT_DIGITS` in a fraction."""
    plain = re.sub(r",\s?", "", text.strip())
    whole = plain.split(".", 1)[0].lstrip("0")
    if len(whole) > MAX_DIGITS:  # before any conversion: int() refuses past 4,300 digits
        raise NumberTooLarge(f"{len(whole):,} digits, more than {MAX_DIGITS}")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    if "." in plain:
        return _fraction(value)
    return exact(value)


def exact(value: Decimal) -> int | float:
    """`value` as an int when whole, else as a float that prints as the same decimal."""
    if value == value.to_integral_value():
        whole = int(value)
        if abs(whole) > MAX_VALUE:
            raise NumberTooLarge(f"more than {MAX_DIGITS} digits")
        return whole
    return _fraction(value)


def _fraction(value: Decimal) -> float:
    digits = value.normalize().as_tuple().digits
    if abs(value) > MAX_VALUE:
        raise NumberTooLarge(f"more than {MAX_DIGITS} digits")
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        raise NumberTooLarge(
            f"{len(digits)} significant digits, more than {MAX_SIGNIFICANT_DIGITS} "
            "(it would be rounded)"
        )
    return float(value)


def is_damaged(text: str) -> bool:
    """True when a thousands group is separated by ", " ("31, 454"), which needs a repair."""
    return bool(DAMAGED_GROUP.search(text))


def scale(value: int | float, multiplier: str | None) -> int | float:
    """Apply a written multiplier ("million", "M") to a value, keeping whole numbers exact."""
    if not multiplier:
        return value
    factor = MULTIPLIERS[multiplier.casefold()]
    return exact(Decimal(repr(value) if isinstance(value, float) else value) * factor)


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
