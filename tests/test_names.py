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
