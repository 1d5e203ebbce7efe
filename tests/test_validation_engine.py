"""The shapes compiled to SPARQL (menaka_kg.shacl_sparql) give the results pySHACL gives, on the bundled
graph, on every fixture world and on a synthetic graph with planted defects."""


import pytest

from benchmarks.generate import generate
from menaka_kg import resources
from menaka_kg.graph import parse_files
from menaka_kg.validation import validate
from tests.conftest import FIXTURES


def pyshacl_results(graph):
    from pyshacl import validate as reference
    _, report, _ = reference(graph, shacl_graph=parse_files(resources.shape_files()), inference="none",
                             advanced=True, inplace=False)
    sh = "http://www.w3.org/ns/shacl#"
    from rdflib import URIRef
    found = set()
    for result in report.objects(None, URIRef(sh + "result")):
        get = lambda p: report.value(result, URIRef(sh + p))
        component = str(get("sourceConstraintComponent")).rsplit("#", 1)[1]
        value = None if component in ("MinCountConstraintComponent", "MaxCountConstraintComponent") else get("value")
        found.add((str(get("focusNode")), str(get("resultPath")) if get("resultPath") else None,
                   None if value is None else str(value), component, str(get("resultSeverity")).rsplit("#", 1)[1]))
    return found


def ours(graph):
    return {(r.focus, r.path, r.value, r.component, r.severity) for r in validate(graph).results}


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
