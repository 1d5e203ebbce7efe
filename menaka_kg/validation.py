"""Validating graphs against the SHACL shapes, and new files as an addition to the bundled graph.

The shapes run as SPARQL on the embedded store (menaka_kg.shacl_sparql), with the results pySHACL
gives (a test compares them). `validate_files(paths)` loads the user's files with the bundled graph, so
references to existing places and actors resolve and the cross-node rules see both, but checks only the
nodes the files add or change and the existing nodes a cross-node rule ties them to: its cost follows
the size of the addition, not of the graph. Nothing is inferred and nothing is written.
"""

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from menaka_kg import resources
from menaka_kg.errors import DataError, turtle_syntax_error
from menaka_kg.prefixes import PREFIXES, shorten

SEVERITIES = ("Violation", "Warning", "Info")
_PREF_LABEL = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
_CONTROLLED_PLACE = ox.NamedNode(PREFIXES["mk"] + "controlledPlace")
_IRI = re.compile(r"https?://[^\s<>\"'{}|^`]+[^\s<>\"'{}|^`.,;:)]")
_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


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
        lines, by_node = [], {}
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
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import RDF

        from menaka_kg.namespaces import bind_prefixes
        sh = Namespace(PREFIXES["sh"])
        graph = bind_prefixes(Graph())
        report = BNode("report")
        graph.add((report, RDF.type, sh.ValidationReport))
        graph.add((report, sh.conforms, Literal(self.conforms)))
        for number, r in enumerate(self.results):
            node = BNode(f"result{number}")
            graph.add((report, sh.result, node))
            graph.add((node, RDF.type, sh.ValidationResult))
            graph.add((node, sh.focusNode, _rdflib_node(r.focus)))
            graph.add((node, sh.resultSeverity, sh[r.severity]))
            graph.add((node, sh.sourceConstraintComponent, sh[r.component]))
            graph.add((node, sh.resultMessage, Literal(r.message)))
            if r.source_shape and not r.source_shape.startswith("_:"):
                graph.add((node, sh.sourceShape, URIRef(r.source_shape)))
            if r.path:
                graph.add((node, sh.resultPath, URIRef(r.path)))
            if r.value is not None:
                graph.add((node, sh.value, _rdflib_node(r.value) if r.value.startswith(("http", "_:")) else Literal(r.value)))
        return graph.serialize(format="turtle")

    def format(self, fmt: str) -> str:
        return {"text": self.to_text, "json": self.to_json, "turtle": self.to_turtle}[fmt]()


def _rdflib_node(value: str):
    from rdflib import BNode, URIRef
    return BNode(value[2:]) if value.startswith("_:") else URIRef(value)


def _show(value: str) -> str:
    return shorten(value) if value.startswith(("http://", "https://")) else value


def _text(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return node.value


# --- the user's files --------------------------------------------------------------------------------

@dataclass
class InputFile:
    """A Turtle file the user brings: its name, text and triples."""

    name: str
    text: str
    triples: list

    @property
    def subjects(self) -> set:
        return {triple.subject for triple in self.triples}

    def line_of(self, node) -> int | None:
        """The first line where `node` is written as a subject, if it is."""
        if not isinstance(node, ox.NamedNode):
            return None
        iri = node.value
        forms = [f"<{iri}>"]
        for prefix, namespace in re.findall(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", self.text):
            if iri.startswith(namespace) and prefix:
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        pattern = re.compile(r"^\s*(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,])")
        return next((n for n, line in enumerate(self.text.splitlines(), start=1) if pattern.match(line)), None)


def read_input(path) -> InputFile:
    """Read and parse one Turtle file ("-" is standard input); a syntax error names the line and column."""
    name = "<stdin>" if str(path) == "-" else str(path)
    base = "file:///stdin" if str(path) == "-" else Path(path).resolve().as_uri()
    try:
        text = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {name}: {getattr(error, 'strerror', None) or error}") from None
    try:
        triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base))
    except SyntaxError as error:
        raise turtle_syntax_error(name, error) from None
    return InputFile(name, text, triples)


def graph_input(graph) -> InputFile:
    """An rdflib Graph as an input, through N-Triples."""
    return InputFile("<graph>", "", list(ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)))


# --- validating --------------------------------------------------------------------------------------

_COMPILED = {}


def compiled_shapes():
    """The bundled shapes compiled to SPARQL (once per process)."""
    if "shapes" not in _COMPILED:
        from menaka_kg.graph import parse_files
        from menaka_kg.shacl_sparql import CompiledShapes
        _COMPILED["shapes"] = CompiledShapes(parse_files(resources.shape_files()))
    return _COMPILED["shapes"]


def validate_store(store: ox.Store, focus_nodes=None, compiled=None) -> ValidationReport:
    """Validate what `store` holds (data with the ontology): everything, or only `focus_nodes`."""
    from menaka_kg.shacl_sparql import run_checks

    compiled = compiled or compiled_shapes()
    if focus_nodes is not None and not focus_nodes:
        return ValidationReport([], checked=0)
    results = set()
    for check, this, path, value, solution in run_checks(compiled, store, focus_nodes):
        message = _TEMPLATE.sub(lambda m: _text(_binding(solution, m.group(1))) or m.group(0), check.message)
        message = _IRI.sub(lambda m: shorten(m.group(0)), message)
        if check.component == "DatatypeConstraintComponent" and isinstance(value, ox.Literal) and \
                value.datatype == _expected_datatype(compiled, check.shape):
            message = f"'{value.value}' is not a valid {shorten(value.datatype.value)} (an impossible date or a malformed value)"
        if check.component == "ClassConstraintComponent" and isinstance(value, ox.NamedNode) and \
                not any(True for _ in store.quads_for_pattern(value, None, None)):
            message = f"refers to {shorten(value.value)}, which exists nowhere in the graph; {message}"
        if check.component in ("MinCountConstraintComponent", "MaxCountConstraintComponent"):
            value = None
        label = next(store.quads_for_pattern(this, _PREF_LABEL, None), None)
        results.add(ValidationResult(
            focus=_text(this), label=label.object.value if label else None, path=path, value=_text(value),
            message=message, severity=check.severity, component=check.component, source_shape=check.shape))
    ordered = sorted(results, key=lambda r: (r.focus, r.path or "", r.component, r.value or ""))
    checked = len(focus_nodes) if focus_nodes is not None else len({q.subject for q in store})
    return ValidationReport(ordered, checked=checked)


def _binding(solution, name):
    try:
        return solution[name]
    except KeyError:
        return None


def _expected_datatype(compiled, shape: str):
    from rdflib import BNode, URIRef
    node = BNode(shape[2:]) if shape.startswith("_:") else URIRef(shape)
    datatype = compiled.g.value(node, URIRef(PREFIXES["sh"] + "datatype"))
    return ox.NamedNode(str(datatype)) if datatype is not None else None


def validate(data_graph, focus_nodes=None) -> ValidationReport:
    """Validate an rdflib Graph (which should include the ontology), all of it or only `focus_nodes`."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in graph_input(data_graph).triples)
    focus = None if focus_nodes is None else [ox.NamedNode(str(n)) for n in focus_nodes]
    return validate_store(store, focus)


def _focus_nodes(store: ox.Store, inputs: list[InputFile]) -> set:
    """The nodes the files add or change, and the existing nodes the cross-node rules tie them to:
    other controls of the places they control, and nodes that share their preferred labels."""
    added = {subject for file in inputs for subject in file.subjects if isinstance(subject, ox.NamedNode)}
    related = set()
    for node in added:
        for quad in store.quads_for_pattern(node, _CONTROLLED_PLACE, None):
            related.update(q.subject for q in store.quads_for_pattern(None, _CONTROLLED_PLACE, quad.object))
        for quad in store.quads_for_pattern(node, _PREF_LABEL, None):
            related.update(q.subject for q in store.quads_for_pattern(None, _PREF_LABEL, quad.object))
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
    inputs = [read_input(path) if isinstance(path, (str, Path)) else graph_input(path) for path in paths]
    left_out = {Path(path).resolve() for path in paths if isinstance(path, (str, Path)) and str(path) != "-"}
    unknown = [name for name in without if name not in {p.name for p in resources.data_files()}]
    if unknown:
        raise DataError(f"no bundled data file named {', '.join(unknown)} (see data/ttl/)")
    data = [p for p in resources.data_files() if p.resolve() not in left_out and p.name not in without]
    from menaka_kg.store import EmbeddedStore
    store = EmbeddedStore()
    whole_bundle = bundled and len(data) == len(resources.data_files())
    if whole_bundle:
        store.load_bundled()
    for path in ([] if whole_bundle else [*resources.ontology_files(), *(data if bundled else [])]) + list(base):
        store.load(path)
    store.raw.extend(ox.Quad(t.subject, t.predicate, t.object) for file in inputs for t in file.triples)
    report = validate_store(store.raw, _focus_nodes(store.raw, inputs))
    located = []
    for result in report.results:
        node = ox.BlankNode(result.focus[2:]) if result.focus.startswith("_:") else ox.NamedNode(result.focus)
        where = next(((f.name, f.line_of(node)) for f in inputs if node in f.subjects), (None, None))
        located.append(ValidationResult(**{**result.__dict__, "file": where[0], "line": where[1]}))
    report.results = located
    report.files = [file.name for file in inputs]
    report.fail_on = fail_on
    return report
