"""Every stored query on the tiny valid world of tests/fixtures/minimal.ttl, where each answer is known
exactly."""

from datetime import date

import pytest

import menaka_kg
from tests.conftest import FIXTURES

D = date.fromisoformat
CAPTURE = "https://w3id.org/menaka-kg/event/2022-06-testville-capture"


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load(data=[FIXTURES / "minimal.ttl"], bundled=False)


def test_control_history_in_time_order(kg):
    rows = [(r["controllerLabel"], r["begin"], r["end"]) for r in kg.query("control-history", place="Testville")]
    assert rows == [("Group A", None, D("2022-06-01")), ("Group B", D("2022-06-01"), None)]


def test_controller_at_before_and_after_the_capture(kg):
    may = [(r["controllerLabel"], r["certainty"]) for r in kg.query("controller-at", place="Testville", date="2022-05")]
    july = [(r["controllerLabel"], r["certainty"]) for r in kg.query("controller-at", place="Testville", date="2022-07")]
    assert may == [("Group A", "definite")]
    assert july == [("Group B", "presumed")]


def test_territory_at(kg):
    rows = [(r["placeLabel"], r["certainty"], r["standing"], r["via"] is not None)
            for r in kg.query("territory-at", actor="Group B", date="2022-07")]
    # the camp lies within Testville: Group B's capture of the town covers it and ends the joint hold's
    # presumption; the camp's own (joint) reading follows as an alternative
    assert rows == [("Testville", "presumed", "best", False), ("Test camp", "presumed", "best", True),
                    ("Test camp", "possible", "alternative", False)]


def test_state_at(kg):
    rows = [(r["placeLabel"], r["controllerLabel"], r["certainty"], r["standing"])
            for r in kg.query("state-at", date="2022-07")]
    assert rows == [("Test camp", "Group B", "presumed", "best"), ("Test camp", "Group A", "possible", "alternative"),
                    ("Test camp", "Group B", "possible", "alternative"), ("Testville", "Group B", "presumed", "best")]


def test_events_at_walks_down_the_hierarchy_and_filters_dates(kg):
    assert [r["event"] for r in kg.query("events-at", place="Testland")] == [CAPTURE]
    assert [r["placeLabel"] for r in kg.query("events-at", place="Test Region")] == ["Testville"]
    assert list(kg.query("events-at", place="Test camp")) == []
    assert list(kg.query("events-at", place="Testland", **{"from": "2022-07"})) == []
    assert len(kg.query("events-at", place="Testland", to="2022-06-01")) == 1
    assert list(kg.query("events-at", place="Testland", to="2022-05")) == []


def test_events_of_by_role(kg):
    assert [(r["event"], r["roleLabel"]) for r in kg.query("events-of", actor="Group A")] == [(CAPTURE, "defender")]
    assert list(kg.query("events-of", actor="Group A", role="attacker")) == []
    assert [r["roleLabel"] for r in kg.query("events-of", actor="Leader of A")] == ["commander"]


def test_casualties_by_event_and_by_place(kg):
    by_event = [(r["claimantLabel"], r["low"], r["best"], r["high"], r["categoryLabel"], r["affected"])
                for r in kg.query("casualties", event=CAPTURE)]
    assert by_event == [("Group B", 10, 15, 20, "killed", "Group A")]
    by_place = list(kg.query("casualties", place="Test Region", date="2022-06"))
    assert [r["claim"] for r in by_place] == [r["claim"] for r in kg.query("casualties", event=CAPTURE)]
    assert list(kg.query("casualties", place="Test Region", date="2023")) == []


def test_claims_about_puts_figures_and_statements_side_by_side(kg):
    rows = [(r["kind"], r["claimantLabel"], r["categoryLabel"]) for r in kg.query("claims-about", event=CAPTURE)]
    assert rows == [("figure", "Group B", "killed"), ("statement", "Group A", "denies")]


def test_alliances_at(kg):
    rows = sorted((r["kindLabel"], r["partyLabel"], r["partyRole"] or "", r["otherPartyLabel"], r["certainty"])
                  for r in kg.query("alliances-at", date="2022-06"))
    assert rows == [("hostility", "Group A", "", "Group B", "definite"), ("hostility", "Group B", "", "Group A", "definite"),
                    ("membership assertion", "Coalition C", "group", "Group A", "presumed"),
                    ("membership assertion", "Group A", "member", "Coalition C", "presumed")]
    assert {r["partyLabel"] for r in kg.query("alliances-at", date="2022-06", actor="Group B")} == {"Group B"}


def test_leaders_of(kg):
    rows = [(r["leaderLabel"], r["roleLabel"], r["certainty"]) for r in kg.query("leaders-of", actor="Group A", date="2022-06")]
    assert rows == [("Leader of A", "leader", "presumed")]
    assert list(kg.query("leaders-of", actor="Group B")) == []


def test_actor_timeline(kg):
    kinds = [(r["kind"], r["role"]) for r in kg.query("actor-timeline", actor="Group B")]
    assert sorted(kinds) == sorted([("control", "controller"), ("control", "controller"), ("event", "attacker"),
                                    ("name", "named"), ("presence", "present"), ("relation", "party")])


def test_place_timeline_includes_places_within(kg):
    rows = [(r["kind"], r["placeLabel"]) for r in kg.query("place-timeline", place="Testville")]
    assert sorted(rows) == sorted([("control", "Test camp"), ("control", "Testville"), ("control", "Testville"),
                                   ("event", "Testville"), ("presence", "Test camp")])
