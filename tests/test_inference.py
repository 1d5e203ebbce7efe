"""Inference changes no answer: a store that reasons (OWL 2 RL, as `export --inferred` adds it, or GraphDB's
ruleset) gives every question of tests/engine_spread.py the rows of the plain graph, and the graph
conforms to the shapes under RDFS entailment. `--inferred` uses the reasonable reasoner where it draws
the inferences owlrl draws about the graph's nodes."""

import owlrl
import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, RDFS, OWL, Graph

import menaka_kg
from menaka_kg import resources
from menaka_kg.export import _file_triples, _ox_term, _rdflib_graph, _trivial, export_graph, graph_parts, inferred_triples
from menaka_kg.graph import load_graph
from tests.conftest import FIXTURES
from tests.engine_spread import QUESTIONS, as_text, question_id

# What owlrl adds to the schema rather than about the graph's nodes.
SCHEMA = {RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf, OWL.disjointWith, OWL.equivalentClass,
          OWL.equivalentProperty}
VOCABULARY_TYPES = {OWL.AnnotationProperty, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property,
                    RDFS.Class, RDFS.Datatype}


def about_nodes(triples) -> set[str]:
    return {str(t) for t in triples
            if t.predicate.value not in map(str, SCHEMA)
            and not (t.predicate.value == str(RDF.type) and t.object.value in map(str, VOCABULARY_TYPES))}


def test_reasonable_draws_every_inference_owlrl_draws_about_the_nodes():
    triples = _file_triples([*resources.ontology_files(), FIXTURES / "reasoning-world.ttl"])
    reference = _rdflib_graph(triples)
    asserted = set(reference)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(reference)
    by_owlrl = [ox.Triple(*map(_ox_term, t)) for t in reference if t not in asserted and not _trivial(*t)]
    by_reasonable = inferred_triples(triples)
    assert about_nodes(by_reasonable) == about_nodes(by_owlrl) and len(about_nodes(by_reasonable)) > 100


@pytest.fixture(scope="module")
def graphs():
    plain, reasoned = menaka_kg.load(), menaka_kg.load()
    closure = graph_parts(("ontology", "data", "derived"), inferred=True)["inferred"]
    reasoned.endpoint.raw.extend([ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in closure])
    return plain, reasoned, closure


def test_the_closure_adds_what_a_reasoning_store_would(graphs):
    _, _, closure = graphs
    sem_actor = "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"
    assert any(t.predicate.value == sem_actor for t in closure)


@pytest.mark.parametrize("question", QUESTIONS, ids=question_id)
def test_every_question_gives_the_same_rows_with_the_closure(graphs, question):
    plain, reasoned, _ = graphs
    name, params = question
    text = plain.bound_query(name, **params)
    assert as_text(reasoned.sparql(text)) == as_text(plain.sparql(text))


def test_the_graph_conforms_to_the_shapes_under_rdfs_entailment():
    data = Graph().parse(data=export_graph("ntriples", ("ontology", "data", "derived")), format="nt")
    conforms, _, text = pyshacl.validate(data, shacl_graph=load_graph(("shapes",)), inference="rdfs", inplace=False)
    assert conforms, text[:2000]
