"""Date parameters: a day, a month, a year or an interval, turned into a period [start, end]."""

import re
from collections import namedtuple
from datetime import date, timedelta

from menaka_kg.errors import BadDate

# The bounds that stand for an open end; stored queries compare xsd:date values against them.
OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

FORMS = "a day (2022-06-15), a month (2022-06), a year (2022) or an interval (2022-03-01/2022-06-30, ../2022-06, 2022-06/..)"


class Period(namedtuple("Period", "start end text")):
    """A closed period of days (`start`, `end`: dates; `text`: as given); `start`/`end` are
    OPEN_START/OPEN_END for an open end."""

    __slots__ = ()


def _span(text: str, whole: str) -> tuple[date, date]:
    """The first and last day a single date form denotes."""
    try:
        if match := _DAY.match(text):
            day = date(*map(int, match.groups()))
            return day, day
        if match := _MONTH.match(text):
            year, month = map(int, match.groups())
            first = date(year, month, 1)
            return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if match := _YEAR.match(text):
            year = int(match.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError as error:
        raise BadDate(f"'{whole}' is not a real date ({error})") from None
    raise BadDate(f"'{whole}' is not a date: use {FORMS}")


def parse_period(text: str) -> Period:
    """Parse a date parameter into the period it denotes."""
    text = text.strip()
    if "/" not in text:
        start, end = _span(text, text)
        return Period(start, end, text)
    first, _, second = text.partition("/")
    if "/" in second or (first == ".." and second == ".."):
        raise BadDate(f"'{text}' is not a date: use {FORMS}")
    start = OPEN_START if first == ".." else _span(first, text)[0]
    end = OPEN_END if second == ".." else _span(second, text)[1]
    if start > end:
        raise BadDate(f"'{text}' ends before it starts")
    return Period(start, end, text)
