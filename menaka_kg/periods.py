"""Date parameters: a day, a month, a year or an interval, turned into a period [start, end]."""

from collections import namedtuple
from datetime import date, timedelta

from menaka_kg.errors import BadDate, shown

# The bounds that stand for an open end; stored queries compare xsd:date values against them.
OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)


FORMS = "a day (2022-06-15), a month (2022-06), a year (2022) or an interval (2022-03-01/2022-06-30, ../2022-06, 2022-06/..)"


class Period(namedtuple("Period", "start end text")):
    """A closed period of days (`start`, `end`: dates; `text`: as given); `start`/`end` are
    OPEN_START/OPEN_END for an open end."""

    __slots__ = ()


def _numbers(text: str) -> list[int] | None:
    """[2022, 6, 15] for 2022-06-15, [2022, 6] for 2022-06, [2022] for 2022; None for anything else."""
    parts = text.split("-")
    if len(parts) > 3 or [len(p) for p in parts] != [4, 2, 2][:len(parts)]:
        return None
    return [int(p) for p in parts] if all(p.isascii() and p.isdigit() for p in parts) else None


def _span(text: str, whole: str) -> tuple[date, date]:
    """The first and last day a single date form denotes."""
    numbers = _numbers(text)
    try:
        if numbers and len(numbers) == 3:
            day = date(*numbers)
            return day, day
        if numbers and len(numbers) == 2:
            year, month = numbers
            first = date(year, month, 1)
            if (year, month) == (9999, 12):  # no month follows it in Python's calendar
                return first, date(9999, 12, 31)
            return first, date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if numbers:
            return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
    except ValueError as error:
        raise BadDate(f"{shown(whole)} is not a real date ({error})") from None
    raise BadDate(f"{shown(whole)} is not a date: use {FORMS}")


def parse_period(text: str) -> Period:
    """Parse a date parameter into the period it denotes."""
    text = text.strip()
    if "/" not in text:
        start, end = _span(text, text)
        return Period(start, end, text)
    first, _, second = text.partition("/")
    if "/" in second or (first == ".." and second == ".."):
        raise BadDate(f"{shown(text)} is not a date: use {FORMS}")
    start = OPEN_START if first == ".." else _span(first, text)[0]
    end = OPEN_END if second == ".." else _span(second, text)[1]
    if start > end:
        raise BadDate(f"{shown(text)} ends before it starts")
    return Period(start, end, text)
