"""The shapes compiled to SPARQL (menaka_kg.shacl_sparql) give the results pySHACL gives, on the bundled
graph, on every fixture world and on a synthetic graph with planted defects."""


import pytest

from benchmarks.generate import generate
from menaka_kg import resources
from menaka_kg.graph import parse_files
from menaka_kg.prefixes import PREFIXES
from menaka_kg.validation import validate
from tests.conftest import FIXTURES


def pyshacl_results(graph, shapes=None):
    from pyshacl import validate as reference
    _, report, _ = reference(graph, shacl_graph=parse_files(shapes or resources.shape_files()), inference="none",
                             advanced=True, inplace=False)
    sh = "http://www.w3.org/ns/shacl#"
    from rdflib import URIRef
    found = set()
    for result in report.objects(None, URIRef(sh + "result")):
        get = lambda p: report.value(result, URIRef(sh + p))
        component = str(get("sourceConstraintComponent")).rsplit("#", 1)[1]
        value = None if component in ("MinCountConstraintComponent", "MaxCountConstraintComponent") else get("value")
        path = get("resultPath")
        inverse = report.value(path, URIRef(sh + "inversePath")) if path is not None else None
        path = f"^<{inverse}>" if inverse is not None else path  # the one complex path the tests use
        found.add((str(get("focusNode")), str(path) if path else None,
                   None if value is None else str(value), component, str(get("resultSeverity")).rsplit("#", 1)[1]))
    return found


def ours(graph, shapes=None):
    return {(r.focus, r.path, r.value, r.component, r.severity) for r in validate(graph, shapes=shapes).results}


# pySHACL cannot compare an ill-typed literal (it raises), so that fixture is compared on the others' terms
WORLDS = [p for p in sorted((FIXTURES / "invalid").glob("*.ttl")) if p.stem != "event-ill-typed-date"]


@pytest.mark.parametrize("fixture", WORLDS, ids=lambda p: p.stem)
def test_same_results_as_pyshacl_on_fixture_worlds(fixture):
    graph = parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", fixture])
    assert ours(graph) == pyshacl_results(graph)


def test_same_results_as_pyshacl_on_the_bundled_graph(bundled_graph):
    assert ours(bundled_graph) == pyshacl_results(bundled_graph) == set()


def test_same_results_as_pyshacl_on_a_synthetic_graph_with_defects(tmp_path):
    path = tmp_path / "synthetic.ttl"
    path.write_text(generate(3000, seed=7, defects=0.3), encoding="utf-8")
    graph = parse_files([*resources.ontology_files(), path])
    found = ours(graph)
    assert any(component == "SPARQLConstraintComponent" for *_, component, _ in found)  # the planted overlaps
    assert found == pyshacl_results(graph)


# --- issue 13: every kind of constraint, as pySHACL checks it ----------------------------------------

# One more shape for the minimal world, each of a kind the compiler used to drop (0 results where pySHACL
# reports violations) or misread (sh:flags and sh:deactivated ignored: false violations); some need a
# little more data.
KINDS = {
    "maxLength": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:property [ sh:path skos:prefLabel ; sh:maxLength 8 ] .", ""),
    "minLength": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:property [ sh:path skos:prefLabel ; sh:minLength 8 ] .", ""),
    "languageIn": ('ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:property [ sh:path skos:altLabel ; sh:languageIn ( "fr" ) ] .',
                   'actor:group-a skos:altLabel "Groupe A"@fr, "Group A"@en .'),
    "uniqueLang": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:property [ sh:path skos:altLabel ; sh:uniqueLang true ] .",
                   'actor:group-a skos:altLabel "Groupe A"@fr, "Le groupe A"@fr .'),
    "qualifiedValueShape": ("ex:S a sh:NodeShape ; sh:targetClass mk:ControlAssertion ; sh:property [ sh:path mk:controller ; "
                            "sh:qualifiedValueShape [ sh:class mk:Coalition ] ; sh:qualifiedMinCount 1 ] .", ""),
    "not": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:not [ sh:class mk:ArmedGroup ] .", ""),
    "and": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:and ( [ sh:class mk:Actor ] [ sh:class mk:ArmedGroup ] ) .", ""),
    "xone": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:xone ( [ sh:class mk:ArmedGroup ] [ sh:class mk:Actor ] ) .", ""),
    "closed": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; "
               "sh:property [ sh:path skos:prefLabel ] .", ""),
    "maxInclusive": ("ex:S a sh:NodeShape ; sh:targetClass mk:CasualtyClaim ; sh:property [ sh:path mk:best ; sh:maxInclusive 10 ] .", ""),
    "minExclusive": ("ex:S a sh:NodeShape ; sh:targetClass mk:CasualtyClaim ; sh:property [ sh:path mk:low ; sh:minExclusive 10 ] .", ""),
    "equals": ("ex:S a sh:NodeShape ; sh:targetClass mk:CasualtyClaim ; sh:property [ sh:path mk:low ; sh:equals mk:best ] .", ""),
    "disjoint": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:property [ sh:path skos:prefLabel ; sh:disjoint skos:altLabel ] .",
                 'actor:group-b skos:altLabel "Group B" .'),
    "lessThan": ("ex:S a sh:NodeShape ; sh:targetClass mk:CasualtyClaim ; sh:property [ sh:path mk:best ; sh:lessThan mk:low ] .", ""),
    "targetNode": ("ex:S a sh:NodeShape ; sh:targetNode actor:group-a ; sh:property [ sh:path skos:altLabel ; sh:minCount 1 ] .", ""),
    "targetObjectsOf": ("ex:S a sh:NodeShape ; sh:targetObjectsOf mk:attacker ; sh:class mk:Coalition .", ""),
    "property shape at the top": ("ex:S a sh:PropertyShape ; sh:targetClass mk:Actor ; sh:path skos:altLabel ; sh:minCount 1 .", ""),
    "flags": ('ex:S a sh:NodeShape ; sh:targetClass mk:ArmedGroup ; sh:property [ sh:path skos:prefLabel ; sh:pattern "^group" ; sh:flags "i" ] .', ""),
    "deactivated": ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:deactivated true ; "
                    "sh:property [ sh:path skos:altLabel ; sh:minCount 1 ] .", ""),
    "inverse path": ("ex:S a sh:NodeShape ; sh:targetClass mk:Place ; sh:property [ sh:path [ sh:inversePath sem:hasPlace ] ; sh:minCount 1 ] .", ""),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_constraint_added_to_the_shapes_is_checked_as_pyshacl_checks_it(tmp_path, kind):
    shape, data = KINDS[kind]
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "@prefix ex: <http://example.org/shapes#> .\n"
    shapes, extra = tmp_path / "more-shapes.ttl", tmp_path / "more-data.ttl"
    shapes.write_text(head + shape + "\n", encoding="utf-8")
    extra.write_text(head + data + "\n", encoding="utf-8")
    graph = parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", extra])
    both = [*resources.shape_files(), shapes]
    expected = pyshacl_results(graph, both)
    assert expected or kind in ("flags", "deactivated")
    assert ours(graph, both) == expected


def test_checking_only_an_additions_nodes_gives_the_w3c_suites_results(monkeypatch):
    """On every W3C test, an empty store plus the test's data as an addition gives the results of
    validating it whole, on the focus nodes an addition can mark (not the literals sh:targetNode or
    sh:targetObjectsOf names; checked whole beside the empty graph, as an addition larger than its graph
    is, it may have those too): so it does checked from the focus nodes it marks (forced here whatever
    the sizes), and as the sizes choose."""
    import pyoxigraph as ox
    from menaka_kg import validation
    from menaka_kg.validation import compiled_shapes, validate_addition, validate_files
    from tests.test_w3c_shacl import CORE, SPARQL

    def found(report, literals=True):
        return {(r.focus, r.path, r.value, r.component) for r in report.results if literals or not r.focus_term.startswith('"')}
    for case in CORE + SPARQL:
        data, shapes, expected = case.values
        if expected is None:
            continue
        whole = validate_files([data], bundled=False, shapes=[shapes], ontology=False)
        with monkeypatch.context() as forced:
            forced.setattr(validation, "_larger", lambda *arguments: False)
            forced.setattr(validation, "_fewer_triples", lambda *arguments: False)
            marked = validate_addition(ox.Store(), [data], compiled_shapes([shapes]))
        assert found(marked) == found(whole, literals=False), case.id
        plain = validate_addition(ox.Store(), [data], compiled_shapes([shapes]))
        assert found(plain, literals=False) == found(whole, literals=False) and found(plain) <= found(whole), case.id
        # as from a persistent store (its graphs named): an addition larger than them is checked in memory
        copied = validate_addition(ox.Store(), [data], compiled_shapes([shapes]), graphs=[])
        assert found(copied) == found(plain), case.id
