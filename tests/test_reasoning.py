"""The reasoning layer (docs/time.md), rule by rule, on the tiny world of tests/fixtures/reasoning-world.ttl:
who says it, areas and their exceptions, presumptions that end, relations, leadership, membership, the
sources' horizon, standings and the `why` of each row."""

import pytest

import menaka_kg
from menaka_kg import reasoning
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load(data=[FIXTURES / "reasoning-world.ttl"], bundled=False)


def control(kg, place, date):
    """(controller, certainty, standing) in the order the query gives them."""
    return [(r["controllerLabel"], r["certainty"], r["standing"]) for r in kg.query("controller-at", place=place, date=date)]


def relations(kg, actor, date):
    return {(r["kindLabel"], r["otherPartyLabel"]): (r["certainty"], r["standing"])
            for r in kg.query("alliances-at", actor=actor, date=date)}


# --- areas cover the places within them ----------------------------------------------------------------

def test_control_of_an_area_holds_for_the_places_within_it(kg):
    rows = list(kg.query("controller-at", place="Hillside", date="2023-05"))
    assert [(r["controllerLabel"], r["certainty"], r["standing"]) for r in rows][0] == ("Red", "presumed", "best")
    inherited = rows[0]
    assert inherited["via"].endswith("/w-red-upland") and inherited["assertion"] == inherited["via"]
    assert "inherited from control of Upland" in inherited["why"]


def test_an_area_change_ends_the_presumption_of_a_place_within_it(kg):
    assert control(kg, "Hillside", "2023-04") == [("Blue", "presumed", "best"), ("Red", "possible", "alternative")]
    assert control(kg, "Hillside", "2023-05") == [("Red", "presumed", "best"), ("Blue", "possible", "alternative")]
    why = next(r["why"] for r in kg.query("controller-at", place="Hillside", date="2023-05") if r["controllerLabel"] == "Blue")
    assert "presumed until 2023-04-30: assertion:w-red-upland had certainly begun by 2023-05-01" in why


def test_an_area_exception_and_the_places_within_it_are_left_out(kg):
    assert [c for c, *_ in control(kg, "Capital", "2023-05")] == ["Green", "Red"]
    assert all(r["via"] is None or not r["via"].endswith("w-red-upland")
               for r in kg.query("controller-at", place="Old Quarter", date="2023-05"))
    assert control(kg, "Old Quarter", "2023-05")[0] == ("Green", "presumed", "best")  # inherited from Capital


def test_territory_and_state_list_inherited_places_apart_from_their_own(kg):
    held = {r["placeLabel"]: r["via"] for r in kg.query("territory-at", actor="Red", date="2023-05")}
    assert held["Upland"] is None and held["Hillside"].endswith("/w-red-upland")
    assert "Capital" in held and held["Capital"] is None  # Red's own claim to Capital, not the area's
    state = {(r["placeLabel"], r["controllerLabel"]): r["via"] for r in kg.query("state-at", date="2023-05")}
    assert state[("Hillside", "Red")].endswith("/w-red-upland") and state[("Hillside", "Blue")] is None


def test_control_of_part_of_an_area_is_only_possible_in_each_place_and_ends_nothing(kg):
    assert control(kg, "Well", "2022-07") == [("Green", "presumed", "best"), ("Blue", "possible", "alternative")]
    assert control(kg, "Border Strip", "2022-07") == [("Blue", "presumed", "best")]


# --- who says it counts ------------------------------------------------------------------------------------

def test_a_party_claim_never_outranks_an_independent_report(kg):
    assert control(kg, "Capital", "2023-05") == [("Green", "presumed", "best"), ("Red", "presumed", "alternative")]


def test_a_party_claim_does_not_end_an_independent_presumption(kg):
    green = next(r for r in kg.query("controller-at", place="Capital", date="2023-06") if r["controllerLabel"] == "Green")
    assert green["certainty"] == "presumed" and "w-red-capital-claim" not in green["why"]


def test_a_disputed_claim_is_contradicted_and_not_presumed_past_its_bounds(kg):
    assert control(kg, "Hillside", "2022-03-05") == [("Blue", "presumed", "best"), ("Red", "definite", "contradicted")]
    assert [c for c, *_ in control(kg, "Hillside", "2022-03-06")] == ["Blue"]


def test_a_party_claim_is_contradicted_by_a_definite_independent_report(kg):
    rows = list(kg.query("controller-at", place="Capital", date="2023-02-01"))
    assert [(r["controllerLabel"], r["certainty"], r["standing"]) for r in rows] == [
        ("Green", "definite", "best"), ("Green", "presumed", "best"), ("Red", "definite", "contradicted")]
    assert "contradicted by assertion:w-green-capital-winter (reported, definite)" in rows[-1]["why"]


def test_a_claimed_pact_gives_way_to_a_war_that_certainly_began_after_it(kg):
    assert relations(kg, "Red", "2021")[("non-aggression pact", "Blue")] == ("presumed", "best")  # then the war
    assert relations(kg, "Red", "2022")[("non-aggression pact", "Blue")] == ("possible", "alternative")


# --- presumptions that end -----------------------------------------------------------------------------

def test_a_change_on_the_same_day_ends_the_presumption(kg):
    assert control(kg, "Mill", "2022-05-31") == [("Blue", "presumed", "best")]
    assert control(kg, "Mill", "2022-06-01") == [("Red", "definite", "best"), ("Blue", "possible", "alternative")]


def test_nothing_is_presumed_after_the_latest_source(kg):
    assert control(kg, "Capital", "2024-06-30")[0] == ("Green", "presumed", "best")
    assert control(kg, "Capital", "2024-07")[0] == ("Green", "possible", "best")
    assert "when the latest source was published" in next(iter(kg.query("controller-at", place="Capital", date="2025")))["why"]


# --- standings ---------------------------------------------------------------------------------------------

def test_two_readings_the_sources_do_not_decide_between_are_tied(kg):
    rows = list(kg.query("controller-at", place="Ford", date="2022-06-15"))
    assert [(r["controllerLabel"], r["standing"]) for r in rows] == [("Blue", "tied"), ("Green", "tied")]
    assert "tied with assertion:w-green-ford (reported, possible)" in rows[0]["why"]
    assert control(kg, "Ford", "2022-07") == [("Green", "presumed", "best")]


def test_readings_that_follow_each_other_within_the_period_are_both_best(kg):
    assert sorted(control(kg, "Hillside", "2023-04/2023-05")) == [("Blue", "presumed", "best"), ("Red", "definite", "best")]


def test_every_row_says_why(kg):
    for name, params in (("controller-at", {"place": "Hillside", "date": "2023"}), ("state-at", {"date": "2022"}),
                         ("territory-at", {"actor": "Blue", "date": "2022"}), ("alliances-at", {"date": "2022"}),
                         ("leaders-of", {"actor": "Red"}), ("control-periods", {})):
        rows = list(kg.query(name, **params))
        assert rows and all(r["why"].startswith(r["certainty"] + ":") and "\n" not in r["why"] for r in rows), name
        ranks = [("best", "tied", "alternative", "contradicted").index(r["standing"]) for r in rows]
        if name != "state-at" and name != "control-periods":  # those are ordered by place first
            assert ranks == sorted(ranks), name


# --- relations, leadership, membership -----------------------------------------------------------------------

def test_hostility_ends_an_older_pact_and_an_alliance_ends_an_older_hostility(kg):
    assert relations(kg, "Red", "2022")[("hostility", "Blue")] == ("presumed", "best")
    assert relations(kg, "Green", "2022-02")[("hostility", "Blue")] == ("presumed", "best")
    after = relations(kg, "Green", "2022-04")
    assert after[("alliance", "Blue")] == ("presumed", "best") and after[("hostility", "Blue")] == ("possible", "alternative")


def test_one_joint_operation_does_not_end_a_war(kg):
    rows = relations(kg, "Green", "2022-05-05")
    assert rows[("cooperation", "Red")] == ("definite", "best") and rows[("hostility", "Red")] == ("presumed", "best")
    assert relations(kg, "Green", "2022-06")[("hostility", "Red")] == ("presumed", "best")


def test_support_keeps_its_direction(kg):
    rows = [(r["partyLabel"], r["partyRole"], r["otherPartyLabel"]) for r in kg.query("alliances-at", date="2022-10")
            if r["kindLabel"] == "support"]
    assert sorted(rows) == [("Blue", "supporter", "Green"), ("Green", "supported", "Blue")]


def test_hostility_ends_a_membership(kg):
    assert relations(kg, "Blue", "2022-08")[("membership assertion", "League")] == ("presumed", "best")
    assert relations(kg, "Blue", "2022-10")[("membership assertion", "League")] == ("possible", "alternative")


def test_a_group_has_one_head_at_a_time_and_many_commanders(kg):
    rows = {r["leaderLabel"]: (r["certainty"], r["standing"]) for r in kg.query("leaders-of", actor="Red", date="2022-08")}
    assert rows == {"Boss Two": ("presumed", "best"), "Boss One": ("possible", "alternative"),
                    "Captain One": ("presumed", "best"), "Captain Two": ("presumed", "best")}


# --- the derived graph ---------------------------------------------------------------------------------------

def test_readings_are_one_graph_the_stored_queries_read(kg):
    graphs = set(kg.endpoint.raw.named_graphs())
    assert reasoning.DERIVED_GRAPH in graphs
    readings = kg.sparql("PREFIX mk: <https://w3id.org/menaka-kg/ontology#> "
                         "SELECT (COUNT(*) AS ?n) WHERE { ?r a mk:ControlReading }").column("n")[0]
    assert readings == 17  # 12 own control assertions; Hillside from Upland; Old Quarter from Capital's three; Well
    graph = sum(1 for quad in kg.endpoint.raw if quad.graph_name != reasoning.DERIVED_GRAPH)
    assert kg.info().triples == graph  # the readings are not counted as the graph's triples


def test_readings_are_the_same_when_derived_again():
    from menaka_kg.store import EmbeddedStore
    store = EmbeddedStore()
    store.load(FIXTURES / "reasoning-world.ttl")
    first = sorted(map(str, reasoning.derive(store.raw)))
    store.derive()
    assert sorted(map(str, reasoning.derive(store.raw))) == first  # the derived graph does not feed itself


# --- on the bundled graph ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return menaka_kg.load()


def test_a_handover_day_is_not_a_contradiction(bundled):
    """The MSA held Tamalat until the raid of 8 March 2022, ISGS held it that day, and the MSA was back
    by the next: three readings of March that follow each other, all best."""
    rows = {r["assertion"].rsplit("/", 1)[-1]: (r["certainty"], r["standing"])
            for r in bundled.query("controller-at", place="Tamalat", date="2022-03")}
    assert rows["control-tamalat-msa-by-2022-03"] == ("definite", "best")
    assert rows["control-tamalat-isgs-2022-03-08"] == ("definite", "best")
    assert rows["control-tamalat-msa-2022-03-08-local-sources"] == ("definite", "best")
    assert rows["control-tamalat-isgs-2022-03-al-naba-claim"][1] == "contradicted"


def test_the_analysts_questions_get_honest_answers(bundled):
    def first(place, date):
        return [(r["controllerLabel"], r["certainty"], r["standing"])
                for r in bundled.query("controller-at", place=place, date=date)]
    # a party's disputed claim never comes first, and ties are said
    tamalat_april = first("Tamalat", "2022-04-15")
    assert [standing for *_, standing in tamalat_april[:2]] == ["tied", "tied"]
    assert {c for c, *_ in tamalat_april[:2]} == {"Movement for the Salvation of Azawad", "Islamic State in the Greater Sahara"}
    # the region's control reaches its villages, and ends JNIM's presumption on Tamalat
    assert first("Tifolat", "2023-05-15")[0] == ("Islamic State in the Greater Sahara", "presumed", "best")
    tamalat_may = first("Tamalat", "2023-05")
    assert tamalat_may[0][0] == "Islamic State in the Greater Sahara" and tamalat_may[0][2] == "best"
    assert ("Jama'at Nasr al-Islam wal Muslimin", "possible", "alternative") in tamalat_may
    # the exception keeps its own controller
    assert first("Ménaka", "2023-05")[0] == ("Movement for the Salvation of Azawad", "presumed", "best")
    # al-Naba's claim of 12 March is not presumed into June
    assert all(r["mode"].endswith("/reported") for r in bundled.query("controller-at", place="Andéramboukane", date="2022-06"))
