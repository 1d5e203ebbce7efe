"""The stored queries are plain SPARQL 1.1: rdflib's engine gives the rows Oxigraph gives, for every
query, on the bundled graph and on the time-semantics world."""

import pytest

import menaka_kg
from menaka_kg import reasoning, resources
from menaka_kg.export import _rdflib_term as rdflib_term
from menaka_kg.graph import parse_files
from menaka_kg.stored_queries import load_stored_queries
from tests.conftest import FIXTURES
from tests.test_queries import example_params

STORED = load_stored_queries(resources.queries_dir())


def in_order(rows):
    return sorted(rows, key=lambda row: tuple("" if value is None else value for value in row))


def rdflib_rows(graph, text, variables):
    def plain(term):
        if term is None:
            return None
        return str(term)
    return in_order(tuple(plain(row[v]) for v in variables) for row in graph.query(text))


def oxigraph_rows(results):
    return in_order(tuple(None if t is None else t.value for t in row) for row in results.rows)


def with_readings(kg, graph):
    """The rdflib graph with the readings the reasoning layer derived for `kg` (its derived graph)."""
    for quad in reasoning.derive(kg.endpoint.raw):
        graph.add(tuple(rdflib_term(term) for term in (quad.subject, quad.predicate, quad.object)))
    return graph


@pytest.fixture(scope="module")
def worlds():
    worlds = {}
    for name, files, kg in (
            ("bundled", resources.data_files(), menaka_kg.load()),
            ("time", [FIXTURES / "time-world.ttl"], menaka_kg.load(data=[FIXTURES / "time-world.ttl"], bundled=False)),
            ("reasoning", [FIXTURES / "reasoning-world.ttl"],
             menaka_kg.load(data=[FIXTURES / "reasoning-world.ttl"], bundled=False))):
        worlds[name] = kg, with_readings(kg, parse_files([*resources.ontology_files(), *files]))
    return worlds


@pytest.mark.parametrize("name", sorted(STORED))
def test_same_rows_on_rdflib_and_oxigraph_on_the_bundled_graph(worlds, name):
    kg, graph = worlds["bundled"]
    text = kg.bound_query(name, **example_params(STORED[name]))
    ours = kg.sparql(text)
    assert rdflib_rows(graph, text, ours.variables) == oxigraph_rows(ours)


@pytest.mark.parametrize("date", ["2022-06", "2022-06-05", "2022-09-05", "2022-09-06", "2021", "2023/.."])
def test_same_certainty_on_rdflib_and_oxigraph(worlds, date):
    kg, graph = worlds["time"]
    for place in ("Ridge", "Ford"):
        text = kg.bound_query("controller-at", place=place, date=date)
        ours = kg.sparql(text)
        assert rdflib_rows(graph, text, ours.variables) == oxigraph_rows(ours)


@pytest.mark.parametrize("name, params", [
    ("controller-at", {"place": place, "date": date}) for place in ("Hillside", "Capital", "Ford", "Well")
    for date in ("2022-03-05", "2022-06-15", "2023-02-01", "2023-04/2023-05", "2025")
] + [("alliances-at", {"date": date}) for date in ("2021", "2022-05-05", "2022-10")]
  + [("leaders-of", {"actor": "Red", "date": "2022-08"}), ("control-periods", {}), ("state-at", {"date": "2023-05"})])
def test_same_standings_on_rdflib_and_oxigraph(worlds, name, params):
    kg, graph = worlds["reasoning"]
    text = kg.bound_query(name, **params)
    ours = kg.sparql(text)
    assert len(ours) and rdflib_rows(graph, text, ours.variables) == oxigraph_rows(ours)
