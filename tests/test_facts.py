"""Facts of the two sources, checked through SPARQL on the loaded graph (issue: the graph itself)."""

from datetime import date

import pytest

import menaka_kg

D = date.fromisoformat
P = "https://w3id.org/menaka-kg/"


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


def history(kg, place, mode="reported"):
    """(controllers, kind, eb, lb, ee, le) of each control assertion of the place with this mode."""
    controls = {}
    for row in kg.query("control-history", place=place):
        if row["certainty"] != mode:
            continue
        key = row["assertion"]
        entry = controls.setdefault(key, [set(), row["kindLabel"], row["begin"], row["beginLatest"], row["end"], row["endLatest"]])
        entry[0].add(row["controllerLabel"])
    return [tuple([frozenset(v[0])] + v[1:]) for v in controls.values()]


ISGS, MSA, GATIA, JNIM = ("Islamic State in the Greater Sahara", "Movement for the Salvation of Azawad",
                          "Imghad Tuareg Self-Defense Group and Allies", "Jama'at Nasr al-Islam wal Muslimin")


def test_anderamboukane_2022(kg):
    controls = history(kg, "Andéramboukane")
    # held by ISGS by May, until the early-June recapture
    assert (frozenset({ISGS}), "full control", D("2022-03-12"), D("2022-05-01"), D("2022-06-01"), D("2022-06-10")) in controls
    # retaken by MSA and GATIA in early June (one assertion, two controllers), lost again the next day
    assert (frozenset({MSA, GATIA}), "joint control", D("2022-06-01"), D("2022-06-10"), D("2022-06-02"), D("2022-06-11")) in controls
    assert (frozenset({ISGS}), "full control", D("2022-06-02"), D("2022-06-11"), None, None) in controls


def test_talataye_joint_control_until_6_september_2022(kg):
    controls = history(kg, "Talataye")
    joint = [c for c in controls if c[0] == frozenset({MSA, JNIM})]
    assert len(joint) == 1
    _, kind, _, lb, ee, le = joint[0]
    assert kind == "joint control" and lb <= D("2022-09-06") and ee == le == D("2022-09-06")
    assert (frozenset({ISGS}), "full control", D("2022-09-06"), D("2022-09-06"), None, None) in controls


def test_tidermene_captured_on_10_april_2023(kg):
    rows = list(kg.query("events-at", place="Tidermene"))
    capture = [r for r in rows if r["typeLabel"] == "Non-state actor overtakes territory"]
    assert [(r["date"], r["dateLatest"]) for r in capture] == [(D("2023-04-10"), D("2023-04-10"))]
    roles = {(r["roleLabel"]) for r in kg.query("events-of", actor="JNIM", **{"from": "2023-04-10", "to": "2023-04-10"})
             if r["event"] == capture[0]["event"]}
    assert roles == {"defender"}
    controls = history(kg, "Tidermene")
    assert (frozenset({ISGS}), "full control", D("2023-04-10"), D("2023-04-10"), None, None) in controls


def claimants(kg, event):
    return {(r["claimantLabel"], r["categoryLabel"], r["low"], r["best"], r["high"])
            for r in kg.query("casualties", event=event)}


def test_tamalat_claims_and_who_made_them(kg):
    claims = claimants(kg, "event:2022-03-08-tamalat-raid")
    assert ("Movement for the Salvation of Azawad", "killed", 4, 4, 4) in claims      # its 9 March statement
    assert ("Mayor of Tamalat", "killed", 153, 153, 153) in claims
    assert ("Mayor of Tamalat", "wounded", 63, 63, 63) in claims
    assert ("France 24", "killed", 400, None, None) in claims
    assert ("Witnesses", "killed", 40, None, 100) in claims
    assert ("Moussa Ag Acharatoumane", "killed", 20, 20, 20) in claims


def test_insinane_claims_and_who_made_them(kg):
    claims = claimants(kg, "event:2022-03-09-insinane-attack")
    assert ("Islamic State", "killed", 250, 250, 250) in claims
    assert ("Wikipedia contributors", "killed", 12, None, None) in claims  # "dozens" of Daoussahak civilians
    modes = {r["claimantLabel"]: r["modeLabel"] for r in kg.query("casualties", event="event:2022-03-09-insinane-attack")}
    assert modes["Islamic State"] == "claimed by a party"


def test_the_3_december_2023_double_attack(kg):
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?part ?place ?claimant ?primary WHERE {
          ?part sem:subEventOf ?whole ; sem:hasPlace ?place ;
                sem:hasEarliestBeginTimeStamp "2023-12-03"^^<http://www.w3.org/2001/XMLSchema#date> ;
                prov:wasAttributedTo ?claimant .
          ?whole sem:hasPlace ?place .
          OPTIONAL { ?part prov:hadPrimarySource ?primary }
        }""")
    places = {row["place"] for row in rows}
    assert {P + "place/menaka-base", P + "place/labbezanga-camp"} <= places
    assert {row["claimant"] for row in rows} <= {P + "actor/al-naba", P + "actor/al-naba-source"}
    assert {row["primary"] for row in rows} == {P + "source/al-naba-420"}
    figures = {(r["categoryLabel"], r["low"], r["best"]) for r in kg.query("casualties", place="Labbézanga", date="2023-12-03")}
    assert ("killed or wounded", 30, 30) in figures


@pytest.mark.parametrize("place", ["Tamalat", "Insinane", "Andéramboukane", "Infoukaretane", "Tadjalalt",
                                   "Labbézanga", "Tikriba", "Talataye", "Tidermene", "Hamakat", "Ménaka",
                                   "Ménaka military base"])
def test_every_place_named_in_the_brief_has_its_control(kg, place):
    assert list(kg.query("control-history", place=place)), place


def test_more_than_sixty_dated_events(kg):
    count = kg.sparql("""PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a mk:Event ; sem:hasLatestBeginTimeStamp ?lb }""")
    assert next(iter(count))["n"] > 60


def test_spellings_of_both_sources_are_labels_of_one_node(kg):
    assert kg.resolve("Labbezenga", "place").iri == kg.resolve("Labbézanga", "place").iri
    assert kg.resolve("Essailal", "place").iri == kg.resolve("Esseylel", "place").iri
    assert kg.resolve("Ti-n-Fadimata", "place").iri == kg.resolve("Tin-Fadimata", "place").iri
    assert kg.resolve("Islamic State Sahel Province", "actor").iri == kg.resolve("ISGS", "actor").iri
