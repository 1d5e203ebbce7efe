"""`menaka-kg validate` and kg.validate: new files checked as an addition to the bundled graph, with
reports a curator can act on, exit codes scripts can rely on, and nothing changed on disk."""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import menaka_kg
from menaka_kg import resources
from menaka_kg.graph import parse_files
from menaka_kg.validation import validate
from menaka_kg.cli import cli
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "ttl" / "report-2023-12.ttl"
TEMPLATE = ROOT / "data" / "templates" / "new-report.ttl"
SH = "http://www.w3.org/ns/shacl#"


def run(*args, input=None):
    return CliRunner().invoke(cli, ["validate", *map(str, args)], input=input)


def defective_copy(tmp_path, old, new, name="report.ttl"):
    text = REPORT.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_december_2023_report_conforms_as_an_addition_to_the_rest():
    result = run(REPORT)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output and "0 violations" in result.output


@pytest.mark.parametrize("old, new, expected", [
    # a wrong date
    ('sem:hasEarliestBeginTimeStamp "2023-12-03"^^xsd:date', 'sem:hasEarliestBeginTimeStamp "2023-12-32"^^xsd:date',
     "'2023-12-32' is not a valid xsd:date"),
    # a missing source
    ("prov:wasDerivedFrom source:memri-double-attack ;", "",
     "needs exactly one prov:wasDerivedFrom pointing at a source section"),
    # an actor that does not exist
    ("mk:attacker actor:isgs", "mk:attacker actor:islamic-state-sahel",
     "refers to actor:islamic-state-sahel, which exists nowhere in the graph"),
    # a typo'd property
    ("mk:controlledPlace place:labbezanga-camp", "mk:controledPlace place:labbezanga-camp",
     "uses the property mk:controledPlace, which the ontology does not define"),
])
def test_a_defect_in_a_copy_of_the_report_is_caught_with_its_message(tmp_path, old, new, expected):
    path = defective_copy(tmp_path, old, new)
    result = run(path, "--without", "report-2023-12.ttl")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert f"{path}:" in result.output  # the node is located in the file, with its line


def test_text_report_groups_by_node_with_file_line_label_and_summary(tmp_path):
    path = defective_copy(tmp_path, "mk:controlledPlace place:labbezanga-camp", "mk:controledPlace place:labbezanga-camp")
    out = run(path, "--without", "report-2023-12.ttl").output.splitlines()
    header = next(line for line in out if "control-labbezanga-camp" in line)
    line_number = int(header.split()[0].rsplit(":", 1)[1])
    assert "control-labbezanga-camp" in path.read_text().splitlines()[line_number - 1]
    assert '"Malian army and Wagner hold the Labbezenga camp' in header
    assert out[-1].startswith("2 violations, 0 warnings, 0 infos on 1 node;") and out[-1].endswith("does not conform (failing on violation)")


def test_json_report_is_the_documented_structure(tmp_path):
    path = defective_copy(tmp_path, "mk:controlledPlace place:labbezanga-camp", "mk:controledPlace place:labbezanga-camp")
    report = json.loads(run(path, "--without", "report-2023-12.ttl", "--format", "json").output)
    assert set(report) == {"conforms", "failOn", "summary", "results"}
    assert report["conforms"] is False and report["summary"]["violations"] == 2
    assert set(report["summary"]) == {"violations", "warnings", "infos", "nodesChecked", "files"}
    first = report["results"][0]
    assert set(first) == {"focusNode", "label", "file", "line", "severity", "path", "value", "message", "constraint", "shape"}
    assert first["file"] == str(path) and isinstance(first["line"], int) and first["severity"] == "violation"


def test_turtle_report_is_a_shacl_validation_report(tmp_path):
    path = defective_copy(tmp_path, "mk:controlledPlace place:labbezanga-camp", "mk:controledPlace place:labbezanga-camp")
    graph = Graph().parse(data=run(path, "--without", "report-2023-12.ttl", "--format", "turtle").output, format="turtle")
    report = next(graph.subjects(RDF.type, URIRef(SH + "ValidationReport")))
    assert str(graph.value(report, URIRef(SH + "conforms"))) == "false"
    assert len(list(graph.objects(report, URIRef(SH + "result")))) == 2


def test_exit_codes_for_files_that_cannot_be_validated(tmp_path):
    missing = run(tmp_path / "nowhere.ttl")
    assert missing.exit_code == 2 and "cannot read" in missing.output
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "open string .\n')
    syntax = run(broken)
    assert syntax.exit_code == 2 and f"{broken}:2:" in syntax.output and "syntax error" in syntax.output
    unknown = tmp_path / "unknown-prefix.ttl"
    unknown.write_text("place:x a foo:Village .\n")
    prefix = run(unknown)
    assert prefix.exit_code == 2 and "unknown-prefix.ttl:1:" in prefix.output and "prefix" in prefix.output
    assert run().exit_code == 2  # no FILES: a usage error


def test_fail_on_sets_the_threshold(tmp_path):
    # the template's open-ended control without the note that says why it has no end (a warning)
    text = TEMPLATE.read_text()
    note = next(line for line in text.splitlines(keepends=True) if "mk:openEndNote" in line)
    addition = tmp_path / "open-end.ttl"
    addition.write_text(text.replace(note, ""), encoding="utf-8")
    lenient = run(addition)
    assert lenient.exit_code == 0, lenient.output
    assert "1 warning" in lenient.output and "control-inekar-isgs-2024-01-example" in lenient.output
    assert run(addition, "--fail-on", "warning").exit_code == 1


def test_standard_input_and_no_bundled():
    assert run("-", input=TEMPLATE.read_text()).exit_code == 0
    alone = run(REPORT, "--no-bundled")
    assert alone.exit_code == 1 and "exists nowhere in the graph" in alone.output


def test_only_the_additions_nodes_are_checked():
    report = menaka_kg.load().validate(str(TEMPLATE))
    assert report.conforms and report.checked == 20  # the 6 nodes it writes about and the 14 it points at


def test_validation_changes_no_file(tmp_path):
    def fingerprint(paths):
        return {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}
    bundled = [*resources.ontology_files(), *resources.data_files(), *resources.shape_files()]
    path = defective_copy(tmp_path, 'sem:hasEarliestBeginTimeStamp "2023-12-03"^^xsd:date',
                          'sem:hasEarliestBeginTimeStamp "2023-12-32"^^xsd:date')
    before = fingerprint([*bundled, path])
    run(path, "--without", "report-2023-12.ttl")
    run(REPORT)
    assert fingerprint([*bundled, path]) == before


def test_api_validates_a_graph_and_leaves_it_unchanged():
    graph = Graph().parse(FIXTURES / "invalid" / "figure-negative.ttl")
    size = len(graph)
    report = menaka_kg.load(data=[FIXTURES / "minimal.ttl"], bundled=False).validate(graph)
    assert [(r.path.rsplit("#", 1)[-1], r.component) for r in report.results] == [("best", "MinInclusiveConstraintComponent")]
    assert report.results[0].file == "<graph>"
    assert len(graph) == size


def test_docs_example_is_the_template_and_validates():
    doc = (ROOT / "docs" / "adding-data.md").read_text(encoding="utf-8")
    example = doc.split("```turtle\n", 1)[1].split("```", 1)[0]
    assert example == TEMPLATE.read_text(encoding="utf-8")
    assert run(TEMPLATE).exit_code == 0


def test_new_report_writes_the_template_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine.ttl"
    runner = CliRunner()
    assert runner.invoke(cli, ["new-report", "--output", str(target)]).exit_code == 0
    assert target.read_text() == TEMPLATE.read_text()
    again = runner.invoke(cli, ["new-report", "--output", str(target)])
    assert again.exit_code == 1 and "exists" in again.output
    assert runner.invoke(cli, ["new-report", "--output", str(target), "--force"]).exit_code == 0
    assert run(target).exit_code == 0


@pytest.mark.parametrize("fixture", sorted((FIXTURES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_checking_an_addition_gives_the_results_of_checking_everything(fixture):
    """Checking only the addition's nodes finds exactly what checking the whole graph finds."""
    from menaka_kg.validation import validate_files
    scoped = validate_files([fixture], bundled=False, base=[FIXTURES / "minimal.ttl"])
    everything = validate(parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", fixture]))
    assert {(r.focus, r.path, r.value, r.component, r.severity) for r in scoped.results} == \
        {(r.focus, r.path, r.value, r.component, r.severity) for r in everything.results}


# --- issue 13: blank nodes, schema changes, scale, other shapes -------------------------------------

BLANK_EVENTS = """@prefix mk: <https://w3id.org/menaka-kg/ontology#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
[] a mk:Event ;
    sem:hasPlace [ a mk:Locality ] .
_:second a mk:Event .
"""


def test_validation_checks_blank_node_focus_nodes_of_a_file(tmp_path):
    path = tmp_path / "blank.ttl"
    path.write_text(BLANK_EVENTS, encoding="utf-8")
    result = run(path, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    located = {(r["focusNode"].startswith("_:"), r["line"]) for r in report["results"]}
    assert located == {(True, 3), (True, 4), (True, 5)}  # the event, its place, the second event
    assert "_:second" in {r["focusNode"] for r in report["results"]}  # a labelled blank node keeps its label
    assert report["summary"]["nodesChecked"] >= 3


def test_validation_of_blank_nodes_finds_what_pyshacl_finds(tmp_path):
    from tests.test_validation_engine import pyshacl_results
    path = tmp_path / "blank.ttl"
    path.write_text(BLANK_EVENTS + "".join("[] a mk:Event ; sem:hasPlace [ a mk:Locality ] .\n" for _ in range(3)))
    ours = validate_files_results([path])
    reference = pyshacl_results(parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", path]))
    # blank nodes are compared by what is wrong with them, their identities being the parser's
    assert sorted(((r.path, r.component) for r in ours), key=str) == sorted(((p, c) for focus, p, v, c, s in reference), key=str)
    assert len(ours) == 40


def validate_files_results(paths):
    from menaka_kg.validation import validate_files
    return validate_files(paths, bundled=False, base=[FIXTURES / "minimal.ttl"]).results


def test_kg_validate_checks_the_blank_nodes_of_a_graph():
    from rdflib import BNode
    graph = Graph().parse(data=BLANK_EVENTS, format="turtle")
    report = menaka_kg.load().validate(graph)
    blank = {f"_:{node}" for node in graph.all_nodes() if isinstance(node, BNode)}
    assert {r.focus for r in report.results} == blank  # named by the graph's own blank node ids
    assert not report.conforms and report.count("Violation") == 16


def test_an_addition_that_changes_the_classes_is_validated_on_the_whole_graph(tmp_path):
    """mk:Locality rdfs:subClassOf mk:Actor makes every locality an actor: each must now say whether it
    is a party to the conflict. The existing localities are checked and reported."""
    from tests.test_validation_engine import pyshacl_results
    path = tmp_path / "schema.ttl"
    path.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "mk:Town rdfs:subClassOf mk:Actor .\n", encoding="utf-8")
    before = pyshacl_results(parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl"]))
    after = pyshacl_results(parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", path]))
    ours = {(r.focus, r.path, r.value, r.component, r.severity) for r in validate_files_results([path])}
    assert ours == after - before and ours  # place:testville, a town, is now an actor without a party flag
    result = run(path)
    assert result.exit_code == 1 and "bundled graph  place:menaka" in result.output


def test_locating_results_reads_each_file_once(tmp_path, monkeypatch):
    """Each result used to rescan the file for its node's line (4,000 bad events: 141 s)."""
    from menaka_kg import validation
    path = tmp_path / "many.ttl"
    events = "".join(f"event:bad-{n} a mk:Event ; skos:prefLabel \"Bad {n}\" .\n" for n in range(300))
    path.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n@prefix event: <https://w3id.org/menaka-kg/event/> .\n"
                    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n" + events, encoding="utf-8")
    reads = []
    original = validation.InputFile.chunks
    monkeypatch.setattr(validation.InputFile, "chunks", lambda self: reads.append(self.name) or original(self))
    report = validation.validate_files([path])
    assert len({r.focus for r in report.results}) == 300 and len(report.results) >= 1800
    assert reads == [str(path)]
    assert all(r.line == int(r.focus.rsplit("-", 1)[1]) + 4 for r in report.results)


class RecordingStore:
    """A pyoxigraph store that records every query it runs."""

    def __init__(self, store):
        self.store, self.texts = store, []

    def query(self, text, **options):
        self.texts.append(text)
        return self.store.query(text, **options)

    def __getattr__(self, attribute):
        return getattr(self.store, attribute)


def test_validating_an_addition_writes_none_of_its_nodes_into_queries(tmp_path):
    """The focus nodes used to be written into every query (a VALUES block): 1M triples, 6 minutes."""
    from menaka_kg.validation import validate_addition
    path = tmp_path / "events.ttl"
    path.write_text(TEMPLATE.read_text() + "".join(
        f"event:more-{n} a mk:Event ; skos:prefLabel \"More {n}\" .\n" for n in range(5)), encoding="utf-8")
    recording = RecordingStore(menaka_kg.load().endpoint.raw)
    report = validate_addition(recording, [path])
    assert len({r.focus for r in report.results}) == 5
    assert recording.texts and not any("more-" in text or "example" in text for text in recording.texts)


def test_validate_addition_leaves_the_store_as_it_was(tmp_path):
    from menaka_kg.validation import validate_addition
    store = menaka_kg.load().endpoint.raw
    before = set(store)
    path = tmp_path / "blank.ttl"
    path.write_text(BLANK_EVENTS, encoding="utf-8")
    report = validate_addition(store, [path, TEMPLATE])
    assert report.count("Violation") == 16 and report.files == [str(path), str(TEMPLATE)]
    assert set(store) == before


def test_validate_addition_takes_pyoxigraph_triples():
    import pyoxigraph as ox
    from menaka_kg.validation import validate_addition
    event, mk = ox.BlankNode(), "https://w3id.org/menaka-kg/ontology#"
    triples = [ox.Triple(event, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(mk + "Event"))]
    report = validate_addition(menaka_kg.load().endpoint.raw, [triples])
    assert {r.focus for r in report.results} == {f"_:{event.value}"} and report.count("Violation") == 8
    assert report.files == ["<triples>"]


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mk: <https://w3id.org/menaka-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/shapes#> .
ex:ShortLabels a sh:NodeShape ; sh:targetClass mk:Actor ;
    sh:property [ sh:path skos:prefLabel ; sh:maxLength 20 ; sh:message "a label of at most 20 characters" ] .
"""


def test_validate_shapes_replaces_the_bundled_shapes(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    result = run(REPORT, "--without", "report-2023-12.ttl", "--shapes", shapes, "--fail-on", "info")
    assert result.exit_code == 1 and "a label of at most 20 characters" in result.output
    # the actors the report points at, checked against these shapes only
    assert [line.split("  ")[:2] for line in result.output.splitlines() if not line.startswith(" ")][:-1] == \
        [["bundled graph", 'actor:al-naba-source "al-Naba\' exclusive source"'],
         ["bundled graph", 'actor:isgs "Islamic State in the Greater Sahara"']]
    assert result.output.count("violation:") == 2  # and none of the bundled shapes' rules


def test_validate_shapes_with_no_bundled_validates_exactly_the_files(tmp_path):
    """Without the ontology, mk:ArmedGroup is not known to be a subclass of mk:Actor."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "<urn:a> a mk:Actor ; skos:prefLabel \"A name much longer than twenty characters\" .\n"
                    "<urn:b> a mk:ArmedGroup ; skos:prefLabel \"Another name much longer than twenty\" .\n", encoding="utf-8")
    alone = json.loads(run(data, "--shapes", shapes, "--no-bundled", "-f", "json").output)
    assert [r["focusNode"] for r in alone["results"]] == ["urn:a"]
    with_ontology = json.loads(run(data, "--no-bundled", "-f", "json").output)
    assert "urn:b" in {r["focusNode"] for r in with_ontology["results"]}


@pytest.mark.parametrize("shape, construct", [
    ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:node ex:S .", "recursive"),
    ('ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this a mk:Place } }" ] .', "MINUS"),
    ("ex:S a sh:NodeShape ; sh:target [ a ex:MyTargetType ] .", "SPARQL target"),
    ("ex:S a sh:NodeShape ; sh:targetClass mk:Actor ; sh:hasValue [ ] .", "blank node"),
])
def test_validate_refuses_shapes_it_cannot_check_with_one_line(tmp_path, shape, construct):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES + shape + "\n", encoding="utf-8")
    result = run(TEMPLATE, "--shapes", shapes)
    assert result.exit_code == 2 and construct in result.output
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("Error: ")


def _report_copies(count: int) -> str:
    """The report template `count` times under renamed nodes and labels (about 57 triples each)."""
    import re
    template = TEMPLATE.read_text(encoding="utf-8")
    return "\n".join(re.sub(r"example", f"example-{k}", template).replace("EXAMPLE:", f"EXAMPLE {k}:")
                     for k in range(count))


def test_validating_a_large_import_was_quadratic_and_marked_every_node(tmp_path):
    """An addition larger than the bundled graph (as an ACLED import is) is checked whole beside a copy
    of the graph, without marks: the results are those of the marking path, including a problem on a
    node of the bundled graph that the addition causes."""
    from menaka_kg.validation import validate_files
    addition = tmp_path / "large.ttl"
    addition.write_text(_report_copies(200) + """
place:another-anderamboukane a mk:Town ; skos:prefLabel "Andéramboukane" ; geo:sfWithin place:menaka-region .
event:example-unlabelled a mk:Event .
""".replace("place:another", "@prefix geo: <http://www.opengis.net/ont/geosparql#> .\nplace:another", 1), encoding="utf-8")
    flawed = tmp_path / "flawed.ttl"  # a problem of the existing graph, on a node the addition does not touch
    flawed.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n"
                      "<https://w3id.org/menaka-kg/event/elsewhere> a mk:Event .\n", encoding="utf-8")
    whole = validate_files([addition])
    marked = validate_files([addition], base=[flawed])

    def found(report):
        return {(r.focus, r.path, r.value, r.component, r.severity, r.file, r.line) for r in report.results}
    assert found(whole) == found(marked)
    focus_nodes = {r.focus for r in whole.results}
    assert {"https://w3id.org/menaka-kg/place/anderamboukane", "https://w3id.org/menaka-kg/place/another-anderamboukane",
            "https://w3id.org/menaka-kg/event/example-unlabelled"} <= focus_nodes
    assert "https://w3id.org/menaka-kg/event/elsewhere" not in focus_nodes
    assert whole.checked > 200 * 8


def test_checks_split_over_two_processes_find_what_one_process_finds(tmp_path, monkeypatch):
    """Half of the checks of a large validation run in a forked copy of the process; their rows come
    back whole (a result with a value, a path and a message read from the row)."""
    from menaka_kg import shacl_sparql, validation
    from menaka_kg.validation import validate_files
    addition = tmp_path / "large.ttl"
    addition.write_text(_report_copies(3) + (FIXTURES / "invalid" / "control-certain-overlap.ttl").read_text(encoding="utf-8")
                        + (FIXTURES / "invalid" / "event-missing-label.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    one = validate_files([addition], base=[FIXTURES / "minimal.ttl"])
    forks = []
    real_fork = shacl_sparql.os.fork
    monkeypatch.setattr(shacl_sparql.os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setattr(validation, "PARALLEL_TRIPLES", 0)
    two = validate_files([addition], base=[FIXTURES / "minimal.ttl"])
    assert forks and {r.component for r in one.results} >= {"SPARQLConstraintComponent", "MinCountConstraintComponent"}
    assert two.results == one.results


def test_checks_run_by_two_threads_find_what_one_thread_finds(tmp_path, monkeypatch):
    """On two cores the focus blocks and then the checks are run by two threads (pyoxigraph lets go of
    the GIL in a query); the results are those one thread finds, in the same order."""
    from menaka_kg import shacl_sparql, threads
    from menaka_kg.validation import validate_files
    addition = tmp_path / "flawed.ttl"
    addition.write_text(_report_copies(2) + (FIXTURES / "invalid" / "control-certain-overlap.ttl").read_text(encoding="utf-8")
                        + (FIXTURES / "invalid" / "event-missing-label.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(shacl_sparql, "cores", lambda: 1)
    one = validate_files([addition], base=[FIXTURES / "minimal.ttl"])
    started = []
    handed = threads.in_worker  # a helper thread (started or reused) is handed part of the work
    monkeypatch.setattr(threads, "in_worker", lambda task, done: started.append(task) or handed(task, done))
    monkeypatch.setattr(shacl_sparql, "cores", lambda: 2)
    two = validate_files([addition], base=[FIXTURES / "minimal.ttl"])
    assert started and {r.component for r in one.results} >= {"SPARQLConstraintComponent", "MinCountConstraintComponent"}
    assert two.results == one.results


def test_an_error_in_one_thread_stops_the_checks_and_is_raised():
    """The results come back in the order of the checks; a failing check ends the run: no check is
    begun after it, and its error reaches the caller."""
    import threading
    from menaka_kg.threads import in_threads
    assert in_threads(lambda k: k * k, [(k,) for k in range(50)], 2) == [k * k for k in range(50)]
    begun, lock = [], threading.Lock()

    def check(k):
        with lock:
            begun.append(k)
        if k == 3:
            raise ValueError("check 3 failed")
        return k
    with pytest.raises(ValueError, match="check 3 failed"):
        in_threads(check, [(k,) for k in range(50)], 2)
    assert 3 in begun and len(begun) <= 5


def test_a_check_whose_focus_block_is_empty_is_not_run(monkeypatch, tmp_path):
    """An addition's focus nodes reach few shapes: a check starting from a block that holds none of them
    has no result, and is not run (at 10M triples each run is a millisecond or two of lookups)."""
    from menaka_kg import shacl_sparql
    from menaka_kg.validation import compiled_shapes, validate_files
    addition = tmp_path / "event.ttl"
    addition.write_text((FIXTURES / "invalid" / "event-missing-label.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    compiled, queries = compiled_shapes(), []
    real_run = shacl_sparql.run_checks

    class Counting:
        def __init__(self, store):
            self.store = store

        def __getattr__(self, name):
            return getattr(self.store, name)

        def query(self, text, **options):
            queries.append(text)
            return self.store.query(text, **options)
    monkeypatch.setattr(shacl_sparql, "run_checks", lambda shapes, store, *a, **k: real_run(shapes, Counting(store), *a, **k))
    report = validate_files([addition], base=[FIXTURES / "minimal.ttl"])
    finds = compiled.prologue + "SELECT ?this WHERE { { SELECT DISTINCT ?this"
    checks_run = [q for q in queries if not q.startswith(finds)]
    assert any(r.component == "MinCountConstraintComponent" for r in report.results)
    assert 0 < len(checks_run) < len(compiled.checks) / 2


def test_blank_nodes_written_only_as_a_collection_are_placed_on_their_line(tmp_path):
    """A text with no _: and no [ has blank nodes only in collections; they are still found and placed."""
    path = tmp_path / "collection.ttl"
    path.write_text("@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n"
                    "@prefix place: <https://w3id.org/menaka-kg/place/> .\n\n"
                    "( place:menaka ) a mk:Event .\n", encoding="utf-8")
    from menaka_kg.validation import validate_files
    report = validate_files([path])
    assert report.results and {(r.file, r.line) for r in report.results if r.focus.startswith("_:")} == {(str(path), 4)}
