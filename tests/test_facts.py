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


# --- Facts that end (issue 12, item 4) ---------------------------------------------------------------

A = P + "assertion/"
E = P + "event/"


def node(kg, iri):
    """The bounds and links of one assertion: {property local name: set of values}."""
    values = {}
    for row in kg.sparql(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"):
        values.setdefault(row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], set()).add(row["o"])
    return values


def one(values, key):
    (value,) = values[key]
    return value


def test_every_assertion_without_an_end_says_why(kg):
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?a ?note WHERE {
          ?a a/rdfs:subClassOf* mk:Assertion .
          FILTER NOT EXISTS { ?a sem:hasLatestEndTimeStamp ?le }
          OPTIONAL { ?a mk:openEndNote ?note }
        }""")
    assert len(rows) > 50
    assert not [row["a"] for row in rows if not row.get("note")]


def test_a_raid_that_burns_and_leaves_the_labbezanga_camp_is_not_lasting_control(kg):
    hold = node(kg, A + "control-labbezanga-camp-isgs-2023-12-03")
    assert one(hold, "heldDuring") == E + "2023-12-03-labbezenga-camp-attack"
    assert one(hold, "hasEarliestEndTimeStamp") == one(hold, "hasLatestEndTimeStamp") == D("2023-12-03")
    assert one(hold, "wasDerivedFrom") == P + "source/memri-double-attack"  # where the seizure is told


def test_a_cooperation_in_one_operation_ends_with_it(kg):
    for assertion, event in (("cooperation-fama-msa-2022-03-13", "2022-03-13-malian-helicopter-strikes"),
                             ("support-fama-msa-gatia-2022-06", "2022-06-anderamboukane-recapture"),
                             ("cooperation-fama-wagner-2023-11-raids", "2023-11-menaka-region-nomad-raids")):
        values, during = node(kg, A + assertion), node(kg, E + event)
        assert one(values, "heldDuring") == E + event
        assert one(values, "hasLatestEndTimeStamp") <= one(during, "hasLatestEndTimeStamp")
    support = node(kg, A + "support-fama-msa-gatia-2022-06")
    assert support["supportingParty"] == {P + "actor/fama"}
    assert support["supportedParty"] == {P + "actor/msa", P + "actor/gatia"}


def test_statements_cover_what_they_are_about_not_when_they_were_made(kg):
    # al-Sahrawi's accusations are about 2017
    for assertion in ("alliance-msa-gatia-france-niger-2017-al-sahrawi-claim",
                      "alliance-tuareg-france-niger-mali-2017-al-sahrawi-claim"):
        values = node(kg, A + assertion)
        assert one(values, "hasLatestEndTimeStamp") == D("2017-12-31")
        assert one(values, "heldDuring") == E + "2017-al-sahrawi-accusation"
    # the MSA commander's denial is about the time before Wagner came, not an open denial from June 2022
    denial = node(kg, A + "cooperation-msa-wagner-denied-msa-commander")
    assert one(denial, "endedBy") == E + "2022-06-wagner-arrival-menaka"
    assert "hasEarliestBeginTimeStamp" not in denial and one(denial, "hasLatestBeginTimeStamp") == D("2022-06-13")
    assert one(denial, "hasLatestEndTimeStamp") == D("2022-07-15")
    # the MSA official speaks of the winter of 2022-2023
    for assertion in ("alliance-msa-jnim-denied-msa-official", "cooperation-msa-jnim-common-enemy-msa-official"):
        assert one(node(kg, A + assertion), "hasLatestEndTimeStamp") == D("2023-03-01")


def test_french_forces_are_no_longer_hostile_to_isgs_once_they_left_menaka(kg):
    values = node(kg, A + "hostility-barkhane-isgs-2022-06")
    assert one(values, "endedBy") == E + "2022-06-13-menaka-base-handover"
    assert one(values, "hasLatestEndTimeStamp") == D("2022-06-13")


def test_the_open_hostility_certainly_begins_after_the_claimed_2019_pact(kg):
    pact = node(kg, A + "non-aggression-isgs-tuareg-2019-isgs-claim")
    hostility = node(kg, A + "hostility-isgs-tuareg-self-defense-groups-2021")
    assert pact["party"] == hostility["party"]
    assert one(hostility, "hasEarliestBeginTimeStamp") > one(pact, "hasLatestBeginTimeStamp")


def test_the_menaka_region_except_the_town_is_held_whole_by_isgs_in_may_2023(kg):
    for assertion in ("control-menaka-region-isgs-2023-04", "control-menaka-region-isgs-infobox"):
        values = node(kg, A + assertion)
        assert values["exceptPlace"] == {P + "place/menaka"}
        assert values["controlKind"] == {P + "concept/full-control"}
        assert one(values, "hasLatestBeginTimeStamp") <= D("2023-05-31")
    # the MSA's hold on the town leaves out the base the French, the Czech and the army held
    assert node(kg, A + "control-menaka-msa-by-2022")["exceptPlace"] == {P + "place/menaka-base"}


def test_isgs_claims_the_border_from_the_late_may_attacks(kg):
    values = node(kg, A + "control-mali-niger-border-menaka-isgs-2022-05-isgs-claim")
    assert (one(values, "hasEarliestBeginTimeStamp"), one(values, "hasLatestBeginTimeStamp")) == (D("2022-05-20"), D("2022-05-31"))


def test_the_un_gives_the_50000_displaced_in_menaka_city(kg):
    values = node(kg, P + "claim/2022-08-menaka-un-displaced")
    assert one(values, "wasAttributedTo") == P + "actor/un"


def test_no_figure_is_given_before_the_fighting_it_counts(kg):
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        SELECT ?claim WHERE {
          ?claim mk:aboutEvent ?event ; mk:asOfEarliest ?given .
          ?event sem:hasEarliestBeginTimeStamp ?begin .
          FILTER (?given < ?begin)
        }""")
    assert not rows.rows, [row["claim"] for row in rows]


def test_places_carry_no_fact_that_neither_source_nor_a_cited_page_gives(kg):
    tidermene = node(kg, P + "place/tidermene")
    assert not any("Gamou" in text for text in tidermene["description"])
    tin_fadimata = node(kg, P + "place/tin-fadimata")
    assert not any("founded" in text for text in tin_fadimata["description"])
    assert any("Wikipedia article on the movement" in text for text in tin_fadimata["historyNote"])


# --- Nodes for what the sources say and the graph lacked (issue 12, item 4) -------------------------

def test_force_strengths_are_figures_of_their_own_category(kg):
    launch = claimants(kg, "event:menaka-offensive")
    assert ("Wikipedia contributors", "force strength", 100, None, None) in launch   # several hundred fighters
    assert ("Wikipedia contributors", "force strength", 100, None, None) in claimants(kg, "event:2022-03-08-tamalat-raid")
    assert ("Wikipedia contributors", "force strength", 20, None, 50) in claimants(kg, "event:2022-06-wagner-arrival-menaka")
    strength = node(kg, P + "claim/menaka-offensive-wikipedia-contributors-isgs-strength")
    assert strength["type"] == {"https://w3id.org/menaka-kg/ontology#FigureClaim"}  # a size, not a toll
    assert one(strength, "hasLatestBeginTimeStamp") == D("2022-03-08")


def test_the_women_and_children_of_the_mayor_of_tamalat_s_toll(kg):
    claims = claimants(kg, "event:2022-03-08-tamalat-raid")
    assert ("Mayor of Tamalat", "killed or wounded", 25, 25, 25) in claims
    assert ("Mayor of Tamalat", "killed or wounded", 7, 7, 7) in claims


def test_the_arrests_before_the_ansongo_executions(kg):
    arrests = node(kg, E + "2022-arrests-before-tessit-ansongo")
    assert arrests["eventType"] == {P + "event-type/arrests"}
    assert one(arrests, "hasLatestBeginTimeStamp") == D("2022-03-21") and "hasEarliestBeginTimeStamp" not in arrests
    assert ("Wikipedia contributors", "captured", 3, None, 4) in claimants(kg, "event:2022-arrests-before-tessit-ansongo")


def test_isgs_claims_the_petel_kole_attack_in_june(kg):
    claim = node(kg, P + "claim/2022-04-12-petel-kole-attack-isgs-responsibility")
    assert one(claim, "aboutEvent") == E + "2022-04-12-petel-kole-attack"
    assert one(claim, "wasAttributedTo") == P + "actor/isgs"
    assert (one(claim, "asOfEarliest"), one(claim, "asOfLatest")) == (D("2022-06-01"), D("2022-06-30"))


def test_isgs_pulls_out_of_anderamboukane_before_the_june_attack(kg):
    pull_out = node(kg, E + "2022-06-anderamboukane-isgs-withdrawal")
    assert pull_out["eventType"] == {P + "event-type/non-violent-transfer-of-territory"}
    assert one(node(kg, A + "control-anderamboukane-isgs-by-2022-05"), "endedBy") == E + "2022-06-anderamboukane-isgs-withdrawal"
    assert one(pull_out, "hasLatestEndTimeStamp") <= one(node(kg, E + "2022-06-anderamboukane-recapture"), "hasLatestEndTimeStamp")
