"""Names resolve to nodes whatever the case, accents, hyphens, apostrophes and spacing; preferred labels
win over alternative ones; ambiguous and unknown names are errors that help."""

import pytest

import menaka_kg
from menaka_kg.errors import AmbiguousName, UnknownName
from menaka_kg.names import NameIndex, normalize
from menaka_kg.prefixes import PREFIXES

P, A = PREFIXES["place"], PREFIXES["actor"]


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


@pytest.mark.parametrize("name, kind, iri", [
    ("Anderamboukane", "place", P + "anderamboukane"),
    ("andéramboukane", "place", P + "anderamboukane"),
    ("ANDERAMBOUKANE ", "place", P + "anderamboukane"),
    ("Labbezenga", "place", P + "labbezanga"),
    ("Essailal", "place", P + "esseylel"),
    ("Ti-n-Fadimata", "place", P + "tin-fadimata"),
    ("Inchinane", "place", P + "insinane"),
    ("Islamic State Sahel Province", "actor", A + "isgs"),
    ("JNIM", "actor", A + "jnim"),
    ("jnim", "actor", A + "jnim"),
    ("Jamaat Nasr al Islam wal Muslimin", "actor", A + "jnim"),
    ("place:tamalat", "place", P + "tamalat"),
    ("<https://w3id.org/menaka-kg/place/tamalat>", "place", P + "tamalat"),
])
def test_names_resolve(kg, name, kind, iri):
    assert kg.resolve(name, kind).iri == iri


def test_preferred_label_wins_over_alternative(kg):
    found = kg.resolve("Ménaka")
    assert found.iri == P + "menaka" and found.how == "preferred label"


def test_probable_label_is_marked(kg):
    found = kg.resolve("Tifandimata", "place")
    assert found.iri == P + "tin-fadimata" and found.how == "probable label"


def test_unknown_name_suggests_close_names(kg):
    with pytest.raises(UnknownName, match=r"no place named 'Tamalatt'; did you mean: .*Tamalat"):
        kg.resolve("Tamalatt", "place")


def test_unknown_iri_is_an_error(kg):
    with pytest.raises(UnknownName, match="no actor with the IRI"):
        kg.resolve("actor:nobody", "actor")


def test_a_name_of_another_kind_does_not_resolve(kg):
    with pytest.raises(UnknownName):
        kg.resolve("JNIM", "place")


def test_ambiguous_name_lists_candidates():
    index = NameIndex([(P + "a", "place", "Twin", "alt"), (P + "b", "place", "Twin", "alt"),
                       (P + "a", "place", "Alpha", "pref"), (P + "b", "place", "Beta", "pref")])
    with pytest.raises(AmbiguousName, match=r"'twin' names several places: Alpha <.*a>; Beta <.*b>"):
        index.resolve("twin", "place")


def test_normalize_folds_what_users_type_differently():
    assert normalize("Jama'at Nasr al-Islam") == normalize("jamaat nasr alislam") == "jamaatnasralislam"
    assert normalize("Ménaka") == normalize("MENAKA")


# --- regressions (issue 13) ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["-Tamalat", "Tamalat.", "(Tamalat)", "Tamalat!"])
def test_names_lose_all_punctuation_so_dash_tamalat_resolves(kg, name):
    """Only spacing and the hyphens and apostrophes inside a word are folded; other punctuation counts."""
    with pytest.raises(UnknownName, match=r"did you mean: .*Tamalat"):
        kg.resolve(name, "place")


@pytest.mark.parametrize("name", [None, "", "   ", 7])
def test_resolve_none_raises_attribute_error(kg, name):
    with pytest.raises(UnknownName, match="a name is needed"):
        kg.resolve(name)


def test_folding_keeps_the_variants_users_type():
    assert normalize("Islamic State – Sahel Province") == normalize("Islamic State - Sahel Province") \
        == normalize("islamic state sahel province")
    assert normalize("al-Naba’") == normalize("al-Naba'") != normalize("al-Naba")
    assert normalize("-Tamalat") != normalize("Tamalat")


# --- ACLED's names and forms: the one matcher of resolve, the stored queries and the import --------
@pytest.mark.parametrize("name, iri, how", [
    ("IS Sahel", A + "isgs", "ACLED name"),
    ("Civilians (Mali)", A + "civilians", "ACLED name"),
    ("MSA: Movement for the Salvation of Azawad", A + "msa", "alternative label, ACLED form"),
    ("GATIA: Imghad Tuareg and Allies Self-Defense Group", A + "gatia", "alternative label, ACLED form"),
    ("JNIM: Group for Support of Islam and Muslims", A + "jnim", "alternative label, ACLED form"),
    ("Wagner Group (2021-)", A + "wagner", "preferred label, ACLED form"),
    ("Movement for the Salvation of Azawad (Mali)", A + "msa", "preferred label, ACLED form"),
])
def test_acled_names_and_forms_resolve(kg, name, iri, how):
    found = kg.resolve(name, "actor")
    assert (found.iri, found.how) == (iri, how)


@pytest.mark.parametrize("name", ["XYZ: Tamalat", "Islamic State (Sahel)", "Military Forces of Mali (2021-)"])
def test_acled_forms_do_not_guess(kg, name):
    """The abbreviation must match (a full name alone is not enough), and only a period or a country in
    brackets is dropped; ACLED names no page gives are not in the graph."""
    with pytest.raises(UnknownName):
        kg.resolve(name)


def test_acled_forms_that_name_two_nodes_are_ambiguous():
    index = NameIndex([(A + "msa", "actor", "MSA", "alt"), (A + "gatia", "actor", "GATIA", "alt"),
                       (A + "gatia", "actor", "Imghad Tuareg Self-Defense Group", "pref")])
    with pytest.raises(AmbiguousName, match="several actors"):
        index.resolve("MSA: Imghad Tuareg Self-Defense Group", "actor")


def test_stored_query_parameters_take_acled_names(kg):
    by_label = kg.bound_query("actor-timeline", actor="Movement for the Salvation of Azawad")
    assert kg.bound_query("actor-timeline", actor="MSA: Movement for the Salvation of Azawad") == by_label


def test_acled_names_are_not_labels_of_the_sources(kg):
    """A data set's name is a node of its own with the page it comes from, never a skos label."""
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?name ?actor ?page ?title WHERE {
          ?n a mk:DatasetName ; mk:acledActorName ?name ; mk:nameOf ?actor ; dct:source ?page .
          ?page dct:title ?title }""")
    names = {r["name"] for r in rows}
    assert {"IS Sahel", "Islamic State Sahel Province", "Civilians (Mali)", "Wagner Group"} <= names
    assert all(r["title"] for r in rows)
    assert not kg.sparql('ASK { ?x <http://www.w3.org/2004/02/skos/core#altLabel> "IS Sahel" }')
