"""The W3C SHACL test suite (tests/w3c-shacl, vendored with its origin), every test run through
`menaka-kg validate DATA --shapes SHAPES --no-bundled -f turtle`: the report must equal the expected
one on sh:conforms and on the set of results (focus node, path, value, severity, source shape,
constraint component), and a test that expects the shapes to be refused must exit with code 2."""

from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from menaka_kg.cli import cli

SUITE = Path(__file__).parent / "w3c-shacl"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def node(local, namespace=SH):
    return ox.NamedNode(namespace + local)


def read(path: Path | None = None, text: str | None = None) -> ox.Store:
    """A store of a Turtle file or text, its blank nodes under their labels (Store.load renames them)."""
    store = ox.Store()
    base = path.resolve().as_uri() if path else None
    store.extend(ox.parse(text, path=path, format=ox.RdfFormat.TURTLE, base_iri=base))
    return store


def objects(store, subject, predicate):
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]


def value(store, subject, predicate):
    return next(iter(objects(store, subject, predicate)), None)


def items(store, head):
    members = []
    while head != node("nil", RDF):
        members.append(value(store, head, node("first", RDF)))
        head = value(store, head, node("rest", RDF))
    return members


def manifest_entries(manifest: Path):
    """(test id, data file, shapes file, expected report or None for a failure) of a manifest and those
    it includes."""
    store = read(manifest)
    for included in objects(store, None, node("include", MF)):
        yield from manifest_entries(Path(unquote(urlparse(included.value).path)))
    for entries in objects(store, None, node("entries", MF)):
        for test in items(store, entries):
            if node("Validate", SHT) not in objects(store, test, node("type", RDF)):
                continue
            action = value(store, test, node("action", MF))
            data, shapes = (Path(unquote(urlparse(value(store, action, node(p, SHT)).value).path))
                            for p in ("dataGraph", "shapesGraph"))
            result = value(store, test, node("result", MF))
            name = f"{manifest.parent.relative_to(SUITE)}/{test.value.rsplit('/', 1)[-1]}"
            yield pytest.param(data, shapes, None if result == node("Failure", SHT) else (store, result), id=name)


CORE = list(manifest_entries(SUITE / "core" / "manifest.ttl"))
SPARQL = list(manifest_entries(SUITE / "sparql" / "manifest.ttl"))


def canonical(term):
    """A term as the store holds it (literals in their canonical form), in N-Triples syntax."""
    if isinstance(term, ox.Literal):
        store = ox.Store()
        store.add(ox.Quad(node("x"), node("x"), term))
        term = next(iter(store)).object
    return str(term)


def path_text(store, path) -> str:
    """A SHACL path of a report graph as text, whatever blank nodes spell it."""
    if isinstance(path, ox.NamedNode):
        return str(path)
    if value(store, path, node("first", RDF)) is not None:
        return "(" + " / ".join(path_text(store, m) for m in items(store, path)) + ")"
    for local in ("inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
        if (inner := value(store, path, node(local))) is not None:
            return f"{local}({path_text(store, inner)})"
    return "alternative(" + " | ".join(path_text(store, m) for m in items(store, value(store, path, node("alternativePath")))) + ")"


def results(store, report) -> set:
    found = set()
    for result in objects(store, report, node("result")):
        get = lambda local: value(store, result, node(local))
        path = get("resultPath")
        found.add((canonical(get("focusNode")), path_text(store, path) if path is not None else None,
                   canonical(get("value")) if get("value") is not None else None, str(get("resultSeverity")),
                   str(get("sourceShape")), str(get("sourceConstraintComponent"))))
    return found


def run(data: Path, shapes: Path, expected):
    outcome = CliRunner().invoke(cli, ["validate", str(data), "--shapes", str(shapes), "--no-bundled", "-f", "turtle"])
    if expected is None:
        assert outcome.exit_code == 2, outcome.output
        assert len(outcome.output.strip().splitlines()) == 1 and outcome.output.startswith("Error: ")
        return
    assert outcome.exit_code in (0, 1), outcome.output
    store = read(text=outcome.output)
    report = next(q.subject for q in store.quads_for_pattern(None, node("type", RDF), node("ValidationReport")))
    manifest, expected_report = expected
    conforms = value(manifest, expected_report, node("conforms"))
    assert value(store, report, node("conforms")).value == conforms.value
    assert results(store, report) == results(manifest, expected_report)


def test_the_suite_is_all_there():
    assert len(CORE) == 98 and len(SPARQL) == 22


@pytest.mark.parametrize("data, shapes, expected", CORE)
def test_w3c_shacl_core(data, shapes, expected):
    run(data, shapes, expected)


@pytest.mark.parametrize("data, shapes, expected", SPARQL)
def test_w3c_shacl_sparql(data, shapes, expected):
    run(data, shapes, expected)
