"""Exports: every format round-trips to the loaded graph, byte-for-byte stable, loads into a real Oxigraph
server with the same triple count; --inferred adds the OWL 2 RL closure without noise; --snapshot gives
plain triples traceable to their assertions."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import menaka_kg
from menaka_kg import resources
from menaka_kg.cli import cli
from menaka_kg.export import FORMATS, GRAPHS, export_graph, export_snapshot
from menaka_kg.graph import load_graph
from menaka_kg.prefixes import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
                  "rdfxml": "xml"}
MEDIA_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "nquads": "application/n-quads",
               "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
MK, MKC, ACTOR, PLACE = PREFIXES["mk"], PREFIXES["mkc"], PREFIXES["actor"], PREFIXES["place"]


def parsed(content: bytes, fmt: str) -> Graph:
    """The export read back by rdflib (the union of the named graphs for quad formats)."""
    if fmt in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=content, format=RDFLIB_FORMATS[fmt])
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=content, format=RDFLIB_FORMATS[fmt])


@pytest.fixture(scope="module")
def loaded():
    return load_graph(("ontology", "data", "shapes"))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_round_trips_to_the_loaded_graph(fmt, loaded):
    content = export_graph(fmt, ("ontology", "data", "shapes"))
    assert isomorphic(parsed(content, fmt), loaded)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_same_graph_gives_the_same_bytes_in_another_process(fmt):
    here = export_graph(fmt, ("ontology", "data", "shapes"))
    code = (f"import sys; from menaka_kg.export import export_graph; "
            f"sys.stdout.buffer.write(export_graph({fmt!r}, ('ontology', 'data', 'shapes')))")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert here == there


def test_turtle_uses_our_prefixes_and_no_generated_ones():
    text = export_graph("turtle").decode()
    assert "ns1:" not in text and "@prefix place: <https://w3id.org/menaka-kg/place/> ." in text
    assert "place:anderamboukane" in text


def test_ntriples_are_sorted_lines():
    lines = export_graph("ntriples", ("ontology", "data")).decode().splitlines()
    assert lines == sorted(set(lines)) and len(lines) == len(load_graph())


def test_an_export_carries_the_readings_the_stored_queries_need():
    dataset = Dataset()
    dataset.parse(data=export_graph("nquads"), format="nquads")
    readings = dataset.graph(URIRef(GRAPHS + "derived"))
    assert len(readings) > 1000 and {str(g.identifier) for g in dataset.graphs() if len(g)} == {
        GRAPHS + part for part in ("ontology", "data", "derived")}


def test_quad_formats_keep_each_part_in_its_named_graph():
    dataset = Dataset()
    dataset.parse(data=export_graph("nquads", ("ontology", "data", "shapes")), format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {GRAPHS + "ontology", GRAPHS + "data", GRAPHS + "shapes"}
    assert len(dataset.graph(URIRef(GRAPHS + "shapes"))) == len(load_graph(("shapes",)))


def test_jsonld_uses_the_context_kept_in_the_repository():
    document = json.loads(export_graph("jsonld"))
    context = json.loads(resources.jsonld_context().read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == context == PREFIXES
    ids = [node["@id"] for node in document["@graph"]]
    assert "place:anderamboukane" in ids and ids == sorted(ids)


def test_added_files_are_exported_with_the_graph(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix place: <https://w3id.org/menaka-kg/place/> .\n"
                    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "place:anderamboukane skos:altLabel \"Anderamboukane (my spelling)\" .\n", encoding="utf-8")
    dataset = Dataset()
    dataset.parse(data=export_graph("trig", ("ontology", "data"), [mine]), format="trig")
    assert len(dataset.graph(URIRef(GRAPHS + "added"))) == 1


BLANK_HEAVY = {
    "100 blank-node events": "[] a mk:Event ; sem:hasPlace [ a mk:Locality ] .\n" * 100,
    "10 identical blank structures": "[] a mk:Event ; sem:hasPlace [ a mk:Locality ; mk:near [ a mk:Locality ] ] ;\n"
                                     "   mk:party [ a mk:Actor ], [ a mk:Actor ] .\n" * 10,
    "a blank node with 50 identical children": "[] mk:p " + ", ".join(["[ a mk:Locality ]"] * 50) + " .\n",
    "a ring of 40 blank nodes": "".join(f"_:b{i} mk:next _:b{(i + 1) % 40} .\n" for i in range(40)),
    "a clique of 12 blank nodes": "".join(f"_:b{i} mk:p _:b{j} .\n" for i in range(12) for j in range(12) if i != j),
}


def blank_pattern(triples) -> list[str]:
    """The triples with every blank node written _:x, sorted: what any relabelling keeps."""
    import pyoxigraph as ox
    def text(term):
        return "_:x" if isinstance(term, ox.BlankNode) else str(term)
    return sorted(f"{text(t.subject)} {t.predicate} {text(t.object)}" for t in triples)


@pytest.mark.parametrize("name", sorted(BLANK_HEAVY))
def test_export_and_push_do_not_hang_on_blank_node_heavy_data(tmp_path, name):
    """rdflib's canonicalization took 88 s for ten identical structures and did not end for 100 events:
    the same graph, written in another order with other blank node labels, gives the same bytes, at once."""
    import pyoxigraph as ox
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n"
                    "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n" + BLANK_HEAVY[name], encoding="utf-8")
    triples = [quad.triple for quad in ox.parse(path=str(mine), format=ox.RdfFormat.TURTLE)]
    other = {}

    def relabelled(term):
        return other.setdefault(term.value, ox.BlankNode()) if isinstance(term, ox.BlankNode) else term
    shuffled = tmp_path / "shuffled.nt"
    shuffled.write_bytes(ox.serialize([ox.Triple(relabelled(t.subject), t.predicate, relabelled(t.object))
                                       for t in reversed(triples)], format=ox.RdfFormat.N_TRIPLES))
    runs = []
    for path, seed in ((mine, "1"), (shuffled, "2")):
        code = (f"import sys; from menaka_kg.export import export_graph; "
                f"sys.stdout.buffer.write(export_graph('ntriples', (), [{str(path)!r}]))")
        runs.append(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60,
                                   env={**os.environ, "PYTHONHASHSEED": seed}).stdout)
    assert runs[0] == runs[1]
    exported = [quad.triple for quad in ox.parse(runs[0], format=ox.RdfFormat.N_TRIPLES)]
    assert blank_pattern(exported) == blank_pattern(triples)
    assert len({t.value for t in exported for t in (t.subject, t.object) if isinstance(t, ox.BlankNode)}) == len(other)


def test_jsonld_with_an_ill_typed_literal_is_one_line_not_a_traceback(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<urn:menaka-kg:a> <urn:menaka-kg:b> "2022-13-45"^^xsd:date, "many"^^xsd:integer .\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--include", "ontology", "--data", str(mine), "-f", "jsonld"])
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: cannot write JSON-LD: <urn:menaka-kg:a> <urn:menaka-kg:b> has the value 'many'")
    mine.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<urn:menaka-kg:a> <urn:menaka-kg:b> "2022-13-45"^^xsd:date .\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--include", "ontology", "--data", str(mine), "-f", "jsonld"])
    assert result.exit_code == 0 and result.stderr == ""
    node = next(n for n in json.loads(result.stdout)["@graph"] if n["@id"] == "urn:menaka-kg:a")
    assert node["urn:menaka-kg:b"] == {"@type": "xsd:date", "@value": "2022-13-45"}


# --- inferred --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inferred():
    content = export_graph("nquads", ("ontology", "data"), inferred=True)
    dataset = Dataset()
    dataset.parse(data=content, format="nquads")
    return dataset.graph(URIRef(GRAPHS + "inferred"))


def test_inferred_adds_the_closure_of_the_ontology(inferred):
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    base = load_graph()
    attacks = list(base.subject_objects(URIRef(MK + "attacker")))
    assert attacks and all((event, URIRef(sem + "hasActor"), actor) in inferred for event, actor in attacks)
    rdf_type = URIRef(PREFIXES["rdf"] + "type")
    assert (URIRef(PLACE + "anderamboukane"), rdf_type, URIRef(sem + "Place")) in inferred
    assert not any(t in base for t in inferred)


def test_inferred_leaves_out_trivial_axioms(inferred):
    trivial = {PREFIXES["owl"] + "Thing", PREFIXES["rdfs"] + "Resource"}
    assert not [t for t in inferred if t[0] == t[2]]
    assert not [t for t in inferred if str(t[2]) in trivial]
    assert not [t for t in inferred if not isinstance(t[0], URIRef)]


# --- snapshots --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def snapshot():
    return Graph().parse(data=export_snapshot(menaka_kg.load(), "2022-06-15", "turtle"), format="turtle")


def test_snapshot_states_who_held_what(snapshot):
    anderamboukane = URIRef(PLACE + "anderamboukane")
    held = set(snapshot.objects(anderamboukane, URIRef(MK + "controlledBy")))
    assert held == {URIRef(ACTOR + "isgs")}  # MSA and GATIA held it for a day in early June only
    assert (URIRef(ACTOR + "moussa-ag-acharatoumane"), URIRef(MK + "leads"), URIRef(ACTOR + "msa")) in snapshot
    assert (URIRef(ACTOR + "isgs"), URIRef(MK + "isMemberOf"), URIRef(ACTOR + "islamic-state")) in snapshot


def test_each_snapshot_triple_is_traceable_to_its_assertion(snapshot):
    rdf, prov = PREFIXES["rdf"], PREFIXES["prov"]
    direct = [t for t in snapshot if str(t[1]).startswith(MK) and str(t[1]) not in (MK + "certainty", MK + "standing")]
    assert direct
    for s, p, o in direct:
        statements = set(snapshot.subjects(URIRef(rdf + "subject"), s)) & set(snapshot.subjects(URIRef(rdf + "object"), o))
        statements &= set(snapshot.subjects(URIRef(rdf + "predicate"), p))
        assert statements, (s, p, o)
        for statement in statements:
            assert str(snapshot.value(statement, URIRef(MK + "certainty"))) in ("definite", "presumed")
            assert str(snapshot.value(statement, URIRef(MK + "standing"))) in ("best", "tied")
            assert str(snapshot.value(statement, URIRef(prov + "wasDerivedFrom"))).startswith(PREFIXES["assertion"])


def test_snapshot_leaves_out_denials(snapshot):
    kg = menaka_kg.load()
    denied = kg.sparql(f"SELECT ?a WHERE {{ ?a <{MK}assertionMode> <{MKC}denied> }}").column("a")
    assert denied
    derived = {str(o) for o in snapshot.objects(None, URIRef(PREFIXES["prov"] + "wasDerivedFrom"))}
    assert not derived & set(denied)


def test_snapshot_takes_the_query_date_forms():
    result = CliRunner().invoke(cli, ["export", "--snapshot", "June 2022"])
    assert result.exit_code != 0 and "June 2022" in result.output and len(result.output.strip().splitlines()) == 1


# --- the command ----------------------------------------------------------------------------------------

def test_the_format_follows_the_file_extension(tmp_path):
    out = tmp_path / "graph.nq"
    result = CliRunner().invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_graph("nquads")


def test_a_failed_export_leaves_the_old_file_whole(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--include", "ontology,bogus", "-o", str(out), "--force"])
    assert result.exit_code == 1 and "bogus" in result.output
    assert out.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [out]


def test_an_unwritable_output_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["export", "-o", str(tmp_path / "missing" / "graph.ttl")])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1 and "cannot write" in result.output


# --- a real triplestore -----------------------------------------------------------------------------------

def count(base: str, graph: str | None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
    return menaka_kg.connect(f"{base}/query").sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").column("n")[0]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_loads_into_oxigraph_with_the_same_triple_count(oxigraph_server, fmt):
    content = export_graph(fmt, ("ontology", "data", "shapes"))
    expected = len(load_graph(("ontology", "data", "shapes")))
    quads = fmt in ("nquads", "trig")
    graph = None if quads else f"urn:menaka-kg-test:{fmt}"
    target = f"{oxigraph_server}/store" + ("" if quads else f"?graph={graph}")
    request = urllib.request.Request(target, data=content, method="POST" if quads else "PUT",
                                     headers={"Content-Type": MEDIA_TYPES[fmt]})
    with urllib.request.urlopen(request, timeout=60):
        pass
    try:
        assert count(oxigraph_server, graph) == expected
    finally:
        cleanup = "CLEAR ALL" if quads else f"CLEAR GRAPH <{graph}>"
        urllib.request.urlopen(urllib.request.Request(f"{oxigraph_server}/update", data=cleanup.encode(),
                                                      headers={"Content-Type": "application/sparql-update"}), timeout=30)
