"""Validating graphs against the SHACL shapes, and new files as an addition to the bundled graph.

`validate_files(paths)` checks the user's Turtle files together with the bundled graph, so references to
existing places and actors resolve and the cross-node rules see both, but it validates only the nodes
the files add or change (and the existing nodes a cross-node rule ties them to), so its cost follows the
size of the addition, not of the graph. Nothing is inferred and nothing is written: the user's files are
only read, and the bundled graph is parsed afresh for each run.
"""

import json
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from menaka_kg import resources
from menaka_kg.errors import DataError
from menaka_kg.graph import parse_files
from menaka_kg.namespaces import SH, bind_prefixes
from menaka_kg.prefixes import PREFIXES, shorten

SEVERITIES = ("Violation", "Warning", "Info")
# rdflib logs a traceback for every literal it cannot convert; we report those ourselves, in one line.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
_SKOS_PREF = URIRef(PREFIXES["skos"] + "prefLabel")
_CONTROLLED_PLACE = URIRef(PREFIXES["mk"] + "controlledPlace")
_IRI = re.compile(r"https?://[^\s<>\"'{}|^`]+[^\s<>\"'{}|^`.,;:)]")


@dataclass(frozen=True)
class ValidationResult:
    """One problem: what is wrong with which node, where the node is written."""

    focus: str
    label: str | None
    path: str | None
    value: str | None
    message: str
    severity: str  # Violation, Warning or Info
    component: str
    source_shape: str
    file: str | None = None
    line: int | None = None


@dataclass
class ValidationReport:
    """The results of a validation, and whether they pass at the chosen threshold."""

    results: list[ValidationResult]
    report_graph: Graph
    files: list[str] = field(default_factory=list)
    checked: int = 0
    fail_on: str = "Violation"

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def conforms(self) -> bool:
        failing = SEVERITIES[: SEVERITIES.index(self.fail_on) + 1]
        return not any(result.severity in failing for result in self.results)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s.lower()}{'s' if self.count(s) != 1 else ''}" for s in SEVERITIES)
        nodes = len({r.focus for r in self.results})
        verdict = "conforms" if self.conforms else "does not conform"
        where = f" in {len(self.files)} file{'s' if len(self.files) != 1 else ''}" if self.files else ""
        return (f"{counts} on {nodes} node{'s' if nodes != 1 else ''}; {self.checked} nodes checked{where}: "
                f"{verdict} (failing on {self.fail_on.lower()})")

    def to_text(self) -> str:
        """Results grouped by node: where it is written, its label, then each problem."""
        lines = []
        by_node = {}
        for result in self.results:
            by_node.setdefault(result.focus, []).append(result)
        for focus, results in by_node.items():
            first = results[0]
            where = f"{first.file}:{first.line}" if first.file and first.line else (first.file or "bundled graph")
            label = f' "{first.label}"' if first.label else ""
            lines.append(f"{where}  {shorten(focus)}{label}")
            for result in results:
                path = f" {shorten(result.path)}" if result.path else ""
                value = f" = {_show(result.value)}" if result.value is not None else ""
                lines.append(f"  {result.severity.lower()}:{path}{value}: {result.message}")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The stable JSON report documented in docs/adding-data.md."""
        return json.dumps({
            "conforms": self.conforms,
            "failOn": self.fail_on.lower(),
            "summary": {"violations": self.count("Violation"), "warnings": self.count("Warning"),
                        "infos": self.count("Info"), "nodesChecked": self.checked, "files": self.files},
            "results": [{"focusNode": r.focus, "label": r.label, "file": r.file, "line": r.line,
                         "severity": r.severity.lower(), "path": r.path, "value": r.value,
                         "message": r.message, "constraint": r.component, "shape": r.source_shape}
                        for r in self.results],
        }, ensure_ascii=False, indent=1) + "\n"

    def to_turtle(self) -> str:
        """The standard SHACL validation report graph."""
        return bind_prefixes(self.report_graph).serialize(format="turtle")

    def format(self, fmt: str) -> str:
        return {"text": self.to_text, "json": self.to_json, "turtle": self.to_turtle}[fmt]()


def _show(value: str) -> str:
    return shorten(value) if value.startswith(("http://", "https://")) else value


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def load_shapes() -> Graph:
    return parse_files(resources.shape_files())


# --- reading the user's files ----------------------------------------------------------------------

@dataclass
class InputFile:
    """A Turtle file the user brings: its name, text and triples."""

    name: str
    text: str
    graph: Graph

    def line_of(self, node) -> int | None:
        """The first line where `node` is written as a subject, if it is."""
        if not isinstance(node, URIRef):
            return None
        forms = [f"<{node}>"]
        for prefix, namespace in self.graph.namespaces():
            if str(node).startswith(str(namespace)) and prefix:
                forms.append(f"{prefix}:{str(node)[len(str(namespace)):]}")
        pattern = re.compile(r"^\s*(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,])")
        for number, line in enumerate(self.text.splitlines(), start=1):
            if pattern.match(line):
                return number
        return None


def read_input(path) -> InputFile:
    """Read and parse one Turtle file ("-" is standard input); a syntax error names the line and column."""
    import pyoxigraph as ox

    name = "<stdin>" if str(path) == "-" else str(path)
    base = "file:///stdin" if str(path) == "-" else Path(path).resolve().as_uri()
    try:
        text = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {name}: {getattr(error, 'strerror', None) or error}") from None
    try:
        for _ in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base):
            pass
    except SyntaxError as error:
        message = error.msg.split(": ", 1)[-1]
        raise DataError(f"{name}:{error.lineno}:{error.offset}: Turtle syntax error: {message}") from None
    graph = Graph()
    graph.parse(data=text, format="turtle", publicID=base)
    return InputFile(name, text, graph)


# --- validating -------------------------------------------------------------------------------------

def validate(data_graph: Graph, shapes: Graph | None = None, focus_nodes=None, ontology: Graph | None = None) -> ValidationReport:
    """Validate `data_graph` (which should include the ontology), all of it or only `focus_nodes`.

    With `focus_nodes`, pySHACL runs on their neighbourhood (what the constraints read: the nodes, the
    nodes they point to, the place hierarchy above them, plus `ontology`), not on the whole graph, so the
    cost follows the number of focus nodes. Literals that are not valid for their datatype
    ("2022-13-45"^^xsd:date) are reported here and held out of what pySHACL sees (it cannot compare
    them). `data_graph` is left as it was.
    """
    from pyshacl import validate as pyshacl_validate

    if focus_nodes is not None and not focus_nodes:
        return ValidationReport([], Graph(), checked=0)
    nodes = set(focus_nodes) if focus_nodes is not None else set(data_graph.subjects())
    checked_graph = _neighbourhood(data_graph, nodes, ontology) if focus_nodes is not None else data_graph
    ill_typed = [(node, predicate, value) for node in nodes for predicate, value in checked_graph.predicate_objects(node)
                 if isinstance(value, Literal) and value.ill_typed]
    for triple in ill_typed:
        checked_graph.remove(triple)
    shapes = shapes if shapes is not None else load_shapes()
    if focus_nodes is not None:
        # pySHACL checks a nested sh:node only on focus nodes, so the values it applies to join them
        nested = {value for path in _node_shape_paths(shapes) for node in nodes for value in checked_graph.objects(node, path)}
    try:
        _, report_graph, _ = pyshacl_validate(
            checked_graph, shacl_graph=shapes,
            inference="none", inplace=True, allow_warnings=False, advanced=True,
            focus_nodes=list(nodes | nested) if focus_nodes is not None else None,
        )
    finally:
        if checked_graph is data_graph:
            for triple in ill_typed:
                data_graph.add(triple)
    results = []
    for result in list(report_graph.objects(None, SH.result)):
        focus = report_graph.value(result, SH.focusNode)
        value = report_graph.value(result, SH.value)
        component = _local(report_graph.value(result, SH.sourceConstraintComponent))
        message = str(report_graph.value(result, SH.resultMessage) or "")
        message = _IRI.sub(lambda m: shorten(m.group(0)), message)
        if component == "ClassConstraintComponent" and isinstance(value, URIRef) and (value, None, None) not in data_graph:
            message = f"refers to {shorten(str(value))}, which exists nowhere in the graph; {message}"
        path = report_graph.value(result, SH.resultPath)
        results.append(ValidationResult(
            focus=_term(focus), label=_label(data_graph, focus),
            path=str(path) if isinstance(path, URIRef) else None,
            value=_term(value) if value is not None else None,
            message=message, severity=_local(report_graph.value(result, SH.resultSeverity)),
            component=component, source_shape=_term(report_graph.value(result, SH.sourceShape)),
        ))
    results += [_ill_typed_result(data_graph, report_graph, *triple) for triple in ill_typed]
    results.sort(key=lambda r: (r.focus, r.path or "", r.component, r.value or ""))
    return ValidationReport(results, report_graph, checked=len(nodes))


_GEO_WITHIN = URIRef(PREFIXES["geo"] + "sfWithin")


def _node_shape_paths(shapes: Graph) -> set:
    """The properties whose values the shapes check against a nested node shape (sh:node)."""
    return {shapes.value(shape, SH.path) for shape in shapes.subjects(SH.node, None)} - {None}


def _neighbourhood(graph: Graph, nodes, ontology: Graph | None) -> Graph:
    """What the shapes read about `nodes`: their triples, the triples of the nodes they point to (types,
    schemes, geometries, labels), the chain of places above every place involved, and the ontology."""
    neighbourhood = Graph()
    if ontology is not None:
        neighbourhood += ontology
    described = set()

    def describe(node):
        if node not in described:
            described.add(node)
            for triple in graph.triples((node, None, None)):
                neighbourhood.add(triple)

    for node in nodes:
        describe(node)
    for node in nodes:
        for value in list(graph.objects(node, None)):
            if isinstance(value, (URIRef, BNode)):
                describe(value)
                parent = graph.value(value, _GEO_WITHIN)
                while parent is not None and parent not in described:
                    describe(parent)
                    parent = graph.value(parent, _GEO_WITHIN)
    return neighbourhood


def _label(graph: Graph, node) -> str | None:
    label = graph.value(node, _SKOS_PREF)
    return str(label) if label is not None else None


def _ill_typed_result(graph: Graph, report_graph: Graph, node, predicate, value) -> ValidationResult:
    """A Datatype result for a literal whose lexical form is not valid for its datatype, added to the
    SHACL report graph too."""
    from rdflib.namespace import RDF
    datatype = shorten(str(value.datatype))
    message = f"'{value}' is not a valid {datatype} (an impossible date or a malformed value)"
    result = BNode()
    report = next(report_graph.subjects(RDF.type, SH.ValidationReport), None)
    if report is not None:
        report_graph.add((report, SH.result, result))
        report_graph.set((report, SH.conforms, Literal(False)))
    for p, o in ((RDF.type, SH.ValidationResult), (SH.focusNode, node), (SH.resultPath, predicate),
                 (SH.value, value), (SH.resultSeverity, SH.Violation), (SH.resultMessage, Literal(message)),
                 (SH.sourceConstraintComponent, SH.DatatypeConstraintComponent)):
        report_graph.add((result, p, o))
    return ValidationResult(focus=_term(node), label=_label(graph, node), path=str(predicate), value=str(value),
                            message=message, severity="Violation", component="DatatypeConstraintComponent",
                            source_shape="")


def _term(term) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _focus_nodes(graph: Graph, inputs: list[InputFile]) -> set:
    """The nodes the files add or change, and the existing nodes the cross-node rules tie them to:
    other controls of the places they control, and nodes that share their preferred labels."""
    added = {subject for file in inputs for subject in file.graph.subjects()}
    related = set()
    for node in added:
        for place in graph.objects(node, _CONTROLLED_PLACE):
            related.update(graph.subjects(_CONTROLLED_PLACE, place))
        for label in graph.objects(node, _SKOS_PREF):
            related.update(graph.subjects(_SKOS_PREF, label))
    return added | related


def validate_files(paths, bundled: bool = True, fail_on: str = "violation", without=(), base=()) -> ValidationReport:
    """Validate Turtle files as an addition to the bundled graph (or, with bundled=False, on their own,
    with the ontology). Reports the problems of the nodes they add or change.

    `paths` may hold rdflib Graphs as well as file names. `base` are more Turtle files to validate
    against (not to report on). A bundled data file that is one of `paths`, or whose name is in
    `without`, is left out of the bundled graph: a new version of it is checked against the rest.
    """
    fail_on = fail_on.capitalize()
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {', '.join(s.lower() for s in SEVERITIES)}")
    inputs = [InputFile("<graph>", "", path) if isinstance(path, Graph) else read_input(path) for path in paths]
    left_out = {Path(path).resolve() for path in paths if not isinstance(path, Graph) and str(path) != "-"}
    unknown = [name for name in without if name not in {p.name for p in resources.data_files()}]
    if unknown:
        raise DataError(f"no bundled data file named {', '.join(unknown)} (see data/ttl/)")
    data = [p for p in resources.data_files() if p.resolve() not in left_out and p.name not in without]
    ontology = parse_files(resources.ontology_files())
    graph = parse_files([*(data if bundled else []), *base])
    graph += ontology
    for file in inputs:
        graph += file.graph
    report = validate(graph, focus_nodes=_focus_nodes(graph, inputs), ontology=ontology)
    located = []
    for result in report.results:
        node = BNode(result.focus[2:]) if result.focus.startswith("_:") else URIRef(result.focus)
        where = next(((f.name, f.line_of(node)) for f in inputs if (node, None, None) in f.graph), (None, None))
        located.append(ValidationResult(**{**result.__dict__, "file": where[0], "line": where[1]}))
    report.results = located
    report.files = [file.name for file in inputs]
    report.fail_on = fail_on
    return report
