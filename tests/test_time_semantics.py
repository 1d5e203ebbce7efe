"""The certainty of controller-at / territory-at answers (docs/time.md), branch by branch, on a tiny
world, including the boundaries of each branch."""

import pytest

import menaka_kg
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load(data=[FIXTURES / "time-world.ttl"], bundled=False)


def certainty(kg, place, date):
    return {row["controllerLabel"]: row["certainty"] for row in kg.query("controller-at", place=place, date=date)}


@pytest.mark.parametrize("date, expected", [
    # Red: begin 2-11 June, no end.
    ("2022-06", {"Red": "definite"}),              # begins within June: certainly held then
    ("2022-07", {"Red": "presumed"}),              # began by then, end unknown, nothing later
    ("2022-06-05", {"Red": "possible"}),           # may not have begun yet on 5 June
    ("2022-06-11", {"Red": "presumed"}),           # latest begin is that day: certainly begun by its end
    ("2022-06-01", {}),                            # cannot have begun yet
    # Blue: 1 March to 31 May.
    ("2022-05-31", {"Blue": "definite"}),          # last day held
    ("2022-03-01", {"Blue": "definite"}),          # first day held
    ("2022-02-28", {}),                            # the day before
    ("2022-03-01/2022-06-01", {"Blue": "definite"}),  # an interval that covers Blue and not Red
    ("2022-05-15/2022-06-30", {"Blue": "definite", "Red": "definite"}),
    ("../2022-02", {}),                            # open start
    ("2023/..", {"Red": "presumed"}),              # open end
])
def test_ridge(kg, date, expected):
    assert certainty(kg, "Ridge", date) == expected


@pytest.mark.parametrize("date, expected", [
    # Green: latest begin 1 January 2022, no earliest begin, no end; Blue begins 1-5 September 2022.
    ("2021", {"Green": "possible"}),                       # may have begun any time before 2022
    ("2022-01-01", {"Green": "presumed"}),                 # latest begin reached, earliest unknown
    ("2022-08", {"Green": "presumed"}),                    # nothing later has certainly begun yet
    ("2022-09-05", {"Green": "possible", "Blue": "presumed"}),   # Blue certainly begun by then: Green defeated that day
    ("2022-09", {"Green": "presumed", "Blue": "definite"}),      # Blue's whole begin lies in September
    ("2022-09-06", {"Green": "possible", "Blue": "presumed"}),   # and after
    ("2022-09-03", {"Green": "presumed", "Blue": "possible"}),
])
def test_ford_presumption_defeated_by_a_later_control(kg, date, expected):
    assert certainty(kg, "Ford", date) == expected


def test_rows_are_ordered_definite_presumed_possible(kg):
    rows = list(kg.query("state-at", date="2022-09"))
    ford = [r["certainty"] for r in rows if r["placeLabel"] == "Ford"]
    assert ford == ["definite", "presumed"]


def test_territory_at_uses_the_same_rules(kg):
    rows = {r["placeLabel"]: r["certainty"] for r in kg.query("territory-at", actor="Blue", date="2022-09-06")}
    assert rows == {"Ford": "presumed"}
