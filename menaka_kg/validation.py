"""Validating data against SHACL shapes: a whole graph, or new files as an addition to a graph.

The shapes run as SPARQL on the embedded store (menaka_kg.shacl_sparql). `validate_addition` stages
an addition in a named graph of its own beside what a store holds and checks only the nodes the addition
can affect: the nodes it writes about or points at, the instances of every class whose superclasses it
changes, the existing nodes that reach a node it writes about through a path some shape reads, and the
nodes a SPARQL rule compares those with. So its cost follows the size of the addition and of its
effects, not of the graph; the store's graphs are left as they were. An addition larger than a graph
with no results of its own is checked whole beside a copy of the graph instead: every result is then on
a node the addition affects. `validate_files` is the command's
way in: the bundled graph (or nothing) plus the user's files. Nothing is inferred, nothing is written.
"""

import io
import json
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox

from menaka_kg import resources
from menaka_kg.errors import DataError, turtle_syntax_error
from menaka_kg.prefixes import PREFIXES, shorten

SEVERITIES = ("Violation", "Warning", "Info")
SH = PREFIXES["sh"]
_PREF_LABEL = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
_STAGING = "urn:menaka-kg:validation:"
_IRI = re.compile(r"https?://[^\s<>\"'{}|^`]+[^\s<>\"'{}|^`.,;:)]")
_TEMPLATE = re.compile(r"\{[?$](\w+)\}")
# Checking the focus nodes one by one costs about as much per node as checking every target does per
# hundred triples: an addition marking more nodes than the graph has triples over this is checked whole
_WHOLE_RATIO = 100
# A validation of at least this many triples in an in-memory store of our own runs its checks in two
# processes (shacl_sparql.run_checks)
PARALLEL_TRIPLES = 200_000
_COMPARISON_COMPONENTS = ("LessThanConstraintComponent", "LessThanOrEqualsConstraintComponent", "MinExclusiveConstraintComponent",
                          "MinInclusiveConstraintComponent", "MaxExclusiveConstraintComponent", "MaxInclusiveConstraintComponent")


@dataclass(frozen=True)
class ValidationResult:
    """One problem: what is wrong with which node, where the node is written."""

    focus: str                # an IRI, `_:label` for a blank node (its label in the file), or a literal's text
    label: str | None
    path: str | None          # an IRI, or a SPARQL property path for a complex SHACL path
    value: str | None
    message: str
    severity: str             # Violation, Warning or Info (or the IRI of another severity)
    component: str            # e.g. MinCountConstraintComponent (the IRI of a component not of SHACL's)
    source_shape: str
    file: str | None = None
    line: int | None = None
    focus_term: str | None = None  # the focus node and the value as N-Triples terms (the Turtle report's)
    value_term: str | None = None


@dataclass
class ValidationReport:
    """The results of a validation, and whether they pass at the chosen threshold."""

    results: list[ValidationResult]
    files: list[str] = field(default_factory=list)
    checked: int = 0
    fail_on: str = "Violation"
    elsewhere: str = "bundled graph"  # where the text report says a node not written in the files is

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def conforms(self) -> bool:
        """No result at or above the threshold; a severity SHACL does not define counts as a violation."""
        failing = SEVERITIES[: SEVERITIES.index(self.fail_on) + 1]
        return not any(result.severity in failing or result.severity not in SEVERITIES for result in self.results)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s.lower()}{'s' if self.count(s) != 1 else ''}" for s in SEVERITIES)
        others = len(self.results) - sum(self.count(s) for s in SEVERITIES)
        counts += f", {others} of other severities" if others else ""
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
            where = f"{first.file}:{first.line}" if first.file and first.line else (first.file or self.elsewhere)
            label = f' "{first.label}"' if first.label else ""
            lines.append(f"{where}  {_show(focus)}{label}".lstrip())
            for result in results:
                path = f" {_show_path(result.path)}" if result.path else ""
                value = f" = {_show(result.value)}" if result.value is not None else ""
                severity = result.severity.lower() if result.severity in SEVERITIES else shorten(result.severity)
                lines.append(f"  {severity}:{path}{value}: {result.message}")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The stable JSON report documented in docs/validation.md."""
        return json.dumps({
            "conforms": self.conforms,
            "failOn": self.fail_on.lower(),
            "summary": {"violations": self.count("Violation"), "warnings": self.count("Warning"),
                        "infos": self.count("Info"), "nodesChecked": self.checked, "files": self.files},
            "results": [{"focusNode": r.focus, "label": r.label, "file": r.file, "line": r.line,
                         "severity": r.severity.lower() if r.severity in SEVERITIES else r.severity, "path": r.path,
                         "value": r.value, "message": r.message, "constraint": r.component, "shape": r.source_shape}
                        for r in self.results],
        }, ensure_ascii=False, indent=1) + "\n"

    def to_turtle(self) -> str:
        """The standard SHACL validation report graph. Its sh:conforms is SHACL's: true when there is no
        result at all, whatever the --fail-on threshold (which sets the exit code)."""
        lines = [f"_:report <{PREFIXES['rdf']}type> <{SH}ValidationReport> .",
                 f'_:report <{SH}conforms> "{str(not self.results).lower()}"^^<{PREFIXES["xsd"]}boolean> .']
        for number, r in enumerate(self.results):
            node = f"_:result{number}"
            severity = SH + r.severity if r.severity in SEVERITIES else r.severity
            component = SH + r.component if re.fullmatch(r"\w+ConstraintComponent", r.component) else r.component
            lines += [f"_:report <{SH}result> {node} .", f"{node} <{PREFIXES['rdf']}type> <{SH}ValidationResult> .",
                      f"{node} <{SH}focusNode> {r.focus_term or _term(r.focus)} .",
                      f"{node} <{SH}resultSeverity> <{severity}> .",
                      f"{node} <{SH}sourceConstraintComponent> {_node_term(component)} .",
                      f"{node} <{SH}sourceShape> {_node_term(r.source_shape)} .",
                      f"{node} <{SH}resultMessage> {_literal(r.message)} ."]
            if r.path:
                path, structure = _path_structure(r.path, f"path{number}")
                lines += [f"{node} <{SH}resultPath> {path} .", *structure]
            if r.value is not None:
                lines.append(f"{node} <{SH}value> {r.value_term or _term(r.value)} .")
        triples = ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
        prefixes = {**PREFIXES, "sh": SH}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode()

    def format(self, fmt: str) -> str:
        return {"text": self.to_text, "json": self.to_json, "turtle": self.to_turtle}[fmt]()


def _show(value: str) -> str:
    """A term as the text report shows it: a prefixed name where we have one; an anonymous blank node
    (the parser's random name) as [], the line saying where it is."""
    if re.fullmatch(r"_:[0-9a-f]{20,32}(x[0-9a-f]{12})?", value):
        return "[]"
    return shorten(value) if value.startswith(("http://", "https://")) else value


def _show_path(path: str) -> str:
    return re.sub(r"<([^>]*)>", lambda m: shorten(m.group(1)), path) if path.startswith(("(", "^", "<")) else shorten(path)


def _text(node) -> str | None:
    if node is None:
        return None
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _node_term(name: str) -> str:
    return name if name.startswith("_:") else f"<{name}>"


def _term(text: str) -> str:
    """An N-Triples term for a report's string (IRIs and blank nodes as such, anything else a string)."""
    return _node_term(text) if text.startswith(("_:", "http://", "https://", "urn:", "file:")) else _literal(text)


def _path_structure(path: str, stem: str) -> tuple[str, list[str]]:
    """A SPARQL property path (as the compiler writes it) as a SHACL path: its node and its triples."""
    if not path.startswith(("(", "^", "<")):
        return f"<{path}>", []
    tokens = re.findall(r"<[^>]*>|[()/|^*+?]", path)
    triples, counter = [], iter(range(10**9))

    def fresh():
        return f"_:{stem}n{next(counter)}"

    def rdf_list(members):
        head = f"<{PREFIXES['rdf']}nil>"
        for member in reversed(members):
            node = fresh()
            triples.extend([f"{node} <{PREFIXES['rdf']}first> {member} .", f"{node} <{PREFIXES['rdf']}rest> {head} ."])
            head = node
        return head

    def wrap(predicate, inner):
        node = fresh()
        triples.append(f"{node} <{SH}{predicate}> {inner} .")
        return node

    def alternative(k):
        members, k = sequence(k)
        members = [members]
        while k < len(tokens) and tokens[k] == "|":
            member, k = sequence(k + 1)
            members.append(member)
        return (members[0] if len(members) == 1 else wrap("alternativePath", rdf_list(members))), k

    def sequence(k):
        members = []
        member, k = unary(k)
        members.append(member)
        while k < len(tokens) and tokens[k] == "/":
            member, k = unary(k + 1)
            members.append(member)
        return (members[0] if len(members) == 1 else rdf_list(members)), k

    def unary(k):
        if tokens[k] == "^":
            inner, k = unary(k + 1)
            return wrap("inversePath", inner), k
        if tokens[k] == "(":
            inner, k = alternative(k + 1)
            k += 1  # the closing parenthesis
        else:
            inner, k = tokens[k], k + 1
        if k < len(tokens) and tokens[k] in "*+?":
            return wrap({"*": "zeroOrMorePath", "+": "oneOrMorePath", "?": "zeroOrOnePath"}[tokens[k]], inner), k + 1
        return inner, k

    return alternative(0)[0], triples


# --- the user's files --------------------------------------------------------------------------------

@dataclass
class InputFile:
    """One source of an addition: a Turtle file, standard input, an rdflib Graph or pyoxigraph triples;
    where its blank nodes are written (their label and first line), once it is parsed."""

    name: str
    path: str | None = None      # a file to read (again, to find where a node is written)
    text: str | None = None      # the text, when there is no file to read again (standard input)
    base: str | None = None
    format: ox.RdfFormat = ox.RdfFormat.TURTLE
    triples: object = None       # pyoxigraph triples or quads given as they are
    blank: dict = field(default_factory=dict)  # blank node id in the store -> (label shown, line)

    def source(self):
        return self.text.encode("utf-8") if self.path is None else None

    def chunks(self):
        """The text in chunks of whole lines, for finding where a node is written."""
        if self.path is not None:
            with open(self.path, encoding="utf-8") as handle:
                while lines := handle.readlines(1 << 22):
                    yield "".join(lines)
        elif self.text is not None:
            yield self.text


def describe_input(item) -> InputFile:
    """An InputFile for a path ("-" is standard input), an rdflib Graph or an iterable of pyoxigraph triples."""
    if isinstance(item, InputFile):
        return item
    if isinstance(item, (str, Path)):
        if str(item) == "-":
            return InputFile("<stdin>", text=sys.stdin.read(), base="file:///stdin")
        path = Path(item)
        if not path.is_file():
            raise DataError(f"cannot read {item}: {'is a directory' if path.is_dir() else 'No such file or directory'}")
        return InputFile(str(item), path=str(path), base=path.resolve().as_uri())
    if hasattr(item, "serialize") and hasattr(item, "triples"):  # an rdflib Graph, through N-Triples
        return InputFile("<graph>", text=item.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    return InputFile("<triples>", triples=list(item))


class _LineReader(io.RawIOBase):
    """Hands the parser one line at a time, so that what it yields can be placed on a line."""

    def __init__(self, handle):
        self.handle, self.line = handle, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.handle.readline(len(buffer))
        if chunk.endswith(b"\n") or not chunk:
            self.line += bool(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _load(store: ox.Store, inputs: list[InputFile], graph) -> None:
    """Parse the inputs into `graph` of `store`. A text with blank nodes is parsed again line by line, so
    that each blank node's first line is known and its label kept (unless the label is taken)."""
    for item in inputs:
        _parse_into(store, item, graph, tracked=False)
    # a text that writes no _: and no [ has blank nodes only in collections, which an index finds
    pattern = "?s ?p ?o FILTER (isBlank(?s) || isBlank(?o))" if any(map(_writes_blank_nodes, inputs)) else \
        f"?list <{PREFIXES['rdf']}first> ?member"
    where = pattern if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {pattern} }}"
    if not store.query(f"ASK {{ {where} }}"):
        return
    store.clear_graph(graph)
    taken = set()
    for item in inputs:
        _parse_into(store, item, graph, tracked=True, taken=taken)


def _writes_blank_nodes(item: InputFile) -> bool:
    """Whether the input may name a blank node or open one with [ (a Turtle text holding neither can
    have blank nodes only in collections); one pass over the bytes."""
    if item.triples is not None:
        return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in item.triples)
    if item.path is None:
        return "_:" in item.text or "[" in item.text
    try:
        with open(item.path, "rb") as handle:
            last = b""
            while block := handle.read(1 << 24):
                if b"[" in block or b"_:" in last + block[:1] or b"_:" in block:
                    return True
                last = block[-1:]
    except OSError:  # it was read a moment ago: look for blank nodes in the graph instead
        return True
    return False


def _parse_into(store, item: InputFile, graph, tracked: bool, taken=None) -> None:
    try:
        if item.triples is not None:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in item.triples)
        elif not tracked:
            store.load(item.source(), path=item.path, format=item.format, base_iri=item.base, to_graph=graph)
        else:
            with (open(item.path, "rb") if item.path else io.BytesIO(item.source())) as handle:
                reader, renamed, batch = _LineReader(handle), {}, []

                def blank(term):
                    if not isinstance(term, ox.BlankNode):
                        return term
                    if term not in renamed:
                        renamed[term] = _fresh_blank(store, term, taken)
                        item.blank[renamed[term].value] = (term.value, reader.line)
                    return renamed[term]
                for quad in ox.parse(reader, format=item.format, base_iri=item.base):
                    batch.append(ox.Quad(blank(quad.subject), quad.predicate, blank(quad.object), graph))
                    if len(batch) >= 100_000:
                        store.extend(batch)
                        batch = []
                store.extend(batch)
    except OSError as error:
        raise DataError(f"cannot read {item.name}: {getattr(error, 'strerror', None) or error}") from None
    except (SyntaxError, ValueError) as error:
        if isinstance(error, SyntaxError):
            raise turtle_syntax_error(item.name, error) from None
        raise DataError(f"{item.name}: {error}") from None


def _fresh_blank(store, term: ox.BlankNode, taken: set) -> ox.BlankNode:
    """A blank node of a file as the store holds it: its own label, unless another input or the store
    already has that label (then a new one)."""
    node = term
    if term.value in taken or next(store.quads_for_pattern(term, None, None), None) or \
            next(store.quads_for_pattern(None, None, term), None):
        node = ox.BlankNode(f"{term.value}x{uuid.uuid4().hex[:12]}")
    taken.add(node.value)
    return node


_PREFIX_DECLARATION = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([\w.-]*):[ \t]*<([^>]*)>", re.MULTILINE | re.IGNORECASE)
_FIRST_TERM = re.compile(r"^[ \t]*([^\s;,]+)", re.MULTILINE)


def _subject_lines(item: InputFile, wanted: set) -> dict:
    """The first line where each wanted IRI is written as a subject (the first term of a line, as <IRI>
    or a prefixed name of the file's prefixes): one pass over the text, by regular expressions."""
    found, base = {}, item.base or ""
    forms = {f"<{iri}>": iri for iri in wanted}
    forms.update({f"<{iri[len(base):]}>": iri for iri in wanted if base and iri.startswith(base)})
    line = 1
    for chunk in item.chunks() if wanted else ():
        for declaration in _PREFIX_DECLARATION.finditer(chunk):
            namespace = urljoin(base, declaration.group(2))
            forms.update({f"{declaration.group(1)}:{iri[len(namespace):]}": iri for iri in wanted if iri.startswith(namespace)})
        position = 0
        for term in _FIRST_TERM.finditer(chunk):
            iri = forms.get(term.group(1)) or forms.get(term.group(1).rstrip("."))
            if iri is not None and iri not in found:
                line += chunk.count("\n", position, term.start())
                position = term.start()
                found[iri] = line
                if len(found) == len(wanted):
                    return found
        line += chunk.count("\n", position)
    return found


def _locations(nodes: set, inputs: list[InputFile]) -> dict:
    """Where each node is written: node -> (file, line, how it is named there). A blank node where the
    parser first met it, under its label in the file; an IRI where it is first a subject."""
    located = {}
    for node in nodes:
        for item in inputs:
            if isinstance(node, ox.BlankNode) and node.value in item.blank:
                label, line = item.blank[node.value]
                located[node] = (item.name, line, f"_:{label}")
                break
    wanted = {node.value for node in nodes if isinstance(node, ox.NamedNode)}
    for item in inputs:
        for iri, line in _subject_lines(item, wanted - {n.value for n in located}).items():
            located[ox.NamedNode(iri)] = (item.name, line if item.format == ox.RdfFormat.TURTLE else None, iri)
    return located


# --- validating --------------------------------------------------------------------------------------

_COMPILED = {}


def compiled_shapes(paths=None):
    """The shapes of `paths` (the bundled shapes when None) compiled to SPARQL. The bundled shapes are
    compiled once, then kept in the cache (menaka_kg.cache) under a key of their files and the compiler's."""
    from menaka_kg import shacl_sparql
    from menaka_kg.cache import BundledCache
    if paths:
        return shacl_sparql.CompiledShapes(shacl_sparql.parse_shapes(paths))
    if "shapes" not in _COMPILED:
        files = resources.shape_files()
        cache = BundledCache([*map(str, files), shacl_sparql.__file__])
        data = cache.value("compiled-shapes.marshal")
        compiled = (shacl_sparql.CompiledShapes.restore(data, lambda: shacl_sparql.parse_shapes(files)) if data
                    else shacl_sparql.CompiledShapes(shacl_sparql.parse_shapes(files)))
        if not data:
            cache.keep("compiled-shapes.marshal", compiled.dump())
        _COMPILED["shapes"] = compiled
    return _COMPILED["shapes"]


def _run(store: ox.Store, compiled, focus=None, default_graph=None, named_graphs=(), only=None, inputs=(),
         parallel: bool = False) -> list[ValidationResult]:
    """The results of every check, placed in `inputs`; `focus` is the graph marking the nodes to check
    (None: all), `only` the graph marking those to report (checking everything, then keeping those);
    `parallel` for an in-memory store of our own (shacl_sparql.run_checks)."""
    from menaka_kg.shacl_sparql import SHAPES_GRAPH, run_checks
    shapes_graph = ox.NamedNode(f"{SHAPES_GRAPH}")
    staged_shapes = compiled.uses_shapes_graph and not any(True for _ in store.quads_for_pattern(None, None, None, shapes_graph))
    if staged_shapes:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, shapes_graph) for t in compiled.g.triples)
    try:
        named = [*named_graphs, *([shapes_graph] if compiled.uses_shapes_graph else [])]
        pattern = f"GRAPH {focus} {{ {focus} {focus} ?this }}" if focus is not None else ""
        parallel = parallel and not _fewer_triples(store, default_graph, PARALLEL_TRIPLES)
        rows = run_checks(compiled, store, pattern, default_graph=default_graph, named_graphs=named or None,
                          parallel=parallel)
        if only is not None:
            rows = [row for row in rows if next(store.quads_for_pattern(only, only, row[2]["this"], only), None)]
        located = _locations({solution["this"] for _, _, solution in rows}, inputs)
        labels = {}
        results = {_result(compiled, store, check, outcome, solution, located, labels) for check, outcome, solution in rows}
    finally:
        if staged_shapes:
            store.remove_graph(shapes_graph)
    # in the order the files are written, then the nodes they do not write about
    return sorted(results, key=lambda r: (r.file is None, r.file or "", r.line or 0, r.focus, r.path or "", r.component,
                                          r.value or "", r.message))


def _result(compiled, store, check, outcome, solution, located, labels) -> ValidationResult:
    this = solution["this"]
    value = _binding(solution, "value") if outcome.value else None
    if value is None and outcome.value and outcome.value_is_focus:
        value = this
    path = _binding(solution, "path")
    path = path.value if isinstance(path, ox.NamedNode) else outcome.path
    if path and path.startswith("<") and path.endswith(">") and path.count("<") == 1:
        path = path[1:-1]
    message = outcome.message
    if "{" in message:
        message = _TEMPLATE.sub(lambda m: _text(_binding(solution, m.group(1)) or (this if m.group(1) == "this" else None))
                                or m.group(0), message)
    message = _explain(compiled, store, check, outcome, value, _IRI.sub(lambda m: shorten(m.group(0)), message))
    if this not in labels:
        label = next(store.quads_for_pattern(this, _PREF_LABEL, None), None) if not isinstance(this, ox.Literal) else None
        labels[this] = label.object.value if label else None
    file, line, focus = located.get(this, (None, None, _text(this)))
    return ValidationResult(
        focus=focus, label=labels[this], path=path, value=_text(value), message=message, severity=_local(outcome.severity),
        component=_local(outcome.component), source_shape=outcome.shape, file=file, line=line,
        focus_term=str(this), value_term=str(value) if value is not None else None)


def _local(iri: str) -> str:
    return iri[len(SH):] if iri.startswith(SH) else iri


def _explain(compiled, store, check, outcome, value, message: str) -> str:
    """The message, with what a curator needs first: an impossible date, a reference to nothing."""
    component = _local(outcome.component)
    if component in ("DatatypeConstraintComponent", *_COMPARISON_COMPONENTS) and isinstance(value, ox.Literal):
        from menaka_kg.shacl_sparql import well_formed
        datatype = value.datatype.value
        expected = _expected_datatype(compiled, outcome.shape)
        ill_formed = not store.query(f"ASK {{ FILTER ({well_formed(str(value), datatype)}) }}")
        if ill_formed and component == "DatatypeConstraintComponent" and datatype == expected:
            return f"'{value.value}' is not a valid {shorten(datatype)} (an impossible date or a malformed value)"
        if ill_formed and component != "DatatypeConstraintComponent":
            return f"'{value.value}' is not a valid {shorten(datatype)}, so it cannot be compared; {message}"
    if component == "ClassConstraintComponent" and isinstance(value, ox.NamedNode) and \
            not any(True for _ in store.quads_for_pattern(value, None, None)):
        return f"refers to {shorten(value.value)}, which exists nowhere in the graph; {message}"
    return message


def _binding(solution, name):
    try:
        return solution[name]
    except KeyError:
        return None


def _expected_datatype(compiled, shape: str):
    from menaka_kg.shacl_sparql import sh
    node = ox.BlankNode(shape[2:]) if shape.startswith("_:") else ox.NamedNode(shape)
    datatype = compiled.g.value(node, sh("datatype"))
    return datatype.value if datatype is not None else None


def _count(store, query: str, **options) -> int:
    return int(next(iter(store.query(query, **options)))["n"].value)


def _subjects(store, **options) -> int:
    """The number of nodes a whole validation checks: the subjects of the (default) graph."""
    return _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", **options)


def _triples_up_to(store, graphs, limit: int) -> int:
    """The number of triples in the union of `graphs`, or `limit` if there are more (counting no further)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit} }}"
    return _count(store, query, default_graph=graphs)


def _fewer_triples(store, graphs, limit: int) -> bool:
    """Whether the union of `graphs` holds fewer than `limit` triples."""
    return _triples_up_to(store, graphs, limit) < limit


def _larger(these, those) -> bool:
    """Whether the union of a (store, graphs) pair's graphs holds more triples than the other's: both
    counted up to a bound that grows until one is below it, so the cost follows the smaller."""
    limit = 4096
    while True:
        counted, other = _triples_up_to(*these, limit), _triples_up_to(*those, limit)
        if counted < limit or other < limit:
            return counted > other
        limit *= 4


def validate_store(store: ox.Store, focus_nodes=None, compiled=None, inputs=(), parallel: bool = False) -> ValidationReport:
    """Validate what the default graph of `store` holds (data with the ontology): everything, or only
    `focus_nodes` (a list of pyoxigraph terms). `inputs` (InputFiles) say where the nodes are written;
    `parallel` is for an in-memory store of our own (shacl_sparql.run_checks)."""
    compiled = compiled or compiled_shapes()
    if focus_nodes is None:
        results = _run(store, compiled, inputs=inputs, parallel=parallel)
        return ValidationReport(results, checked=_subjects(store))
    focus = ox.NamedNode(f"{_STAGING}focus-{uuid.uuid4().hex}")
    try:
        store.extend(ox.Quad(focus, focus, node, focus) for node in focus_nodes)
        return ValidationReport(_run(store, compiled, focus, named_graphs=[focus], inputs=inputs), checked=len(set(focus_nodes)))
    finally:
        store.remove_graph(focus)


def validate(data_graph, focus_nodes=None, shapes=None) -> ValidationReport:
    """Validate an rdflib Graph (which should include the ontology), all of it or only `focus_nodes`."""
    store = ox.Store()
    item = describe_input(data_graph)
    _load(store, [item], ox.DefaultGraph())
    focus = None if focus_nodes is None else [ox.NamedNode(str(n)) for n in focus_nodes]
    return validate_store(store, focus, compiled_shapes(shapes), inputs=[item], parallel=True)


def validate_addition(store: ox.Store, addition, shapes=None, fail_on: str = "violation",
                      elsewhere: str = "existing graph", graphs=None, parallel: bool = False) -> ValidationReport:
    """Validate `addition` as an addition to what the default graph of `store` holds (or, with `graphs`,
    the union of those graphs: a persistent store's, menaka_kg.database), against `shapes` (a
    CompiledShapes; the bundled shapes when None).

    `addition` is a list of Turtle file paths ("-" is standard input), rdflib Graphs, InputFiles or
    iterables of pyoxigraph triples. The addition is staged in a named graph of its own and only the nodes
    it can affect are checked (see the module's docstring); afterwards the store holds what it held.
    `parallel` is for an in-memory store of our own (shacl_sparql.run_checks)."""
    fail_on = _threshold(fail_on)
    compiled = shapes or compiled_shapes()
    inputs = [describe_input(item) for item in addition]
    token = uuid.uuid4().hex
    staged, focus = ox.NamedNode(f"{_STAGING}addition-{token}"), ox.NamedNode(f"{_STAGING}focus-{token}")
    existing = [ox.DefaultGraph()] if graphs is None else list(graphs)
    union = {"default_graph": [*existing, staged]}
    # an update's WHERE reads the store's default graph, unless USING names the graphs it reads instead
    using = "" if graphs is None else " ".join([*(f"USING {g}" for g in existing), f"USING NAMED {staged}", f"USING NAMED {focus}"])
    try:
        # from a persistent store the addition is read into memory first (RocksDB's writes and lookups
        # cost 15 to 30 times as much), and staged in the store only when it is checked there
        parsed = store if graphs is None else ox.Store()
        _load(parsed, inputs, staged)
        if _larger((parsed, [staged]), (store, existing)) and not _run(store, compiled, default_graph=existing):
            # a graph without problems of its own, smaller than the addition: every problem of the two
            # together is on a node the addition affects, so the staged graph takes a copy of the graph
            # and is checked whole, alone (no marks, no union of graphs to read)
            if parsed is store:
                store.update(f"INSERT {{ GRAPH {staged} {{ ?s ?p ?o }} }} {using} WHERE {{ ?s ?p ?o }}")
            else:
                parsed.extend(ox.Quad(q.subject, q.predicate, q.object, staged)
                              for graph in existing for q in store.quads_for_pattern(None, None, None, graph))
            alone = {"default_graph": [staged]}
            results = _run(parsed, compiled, inputs=inputs, parallel=parallel or parsed is not store, **alone)
            checked = _subjects(parsed, **alone)
        else:
            if parsed is not store:
                _load(store, inputs, staged)
            checked = _mark_affected(store, compiled, staged, focus, union, using)
            # what the store already holds is not counted twice
            store.update(f"DELETE {{ GRAPH {staged} {{ ?s ?p ?o }} }} {using} WHERE {{ GRAPH {staged} {{ ?s ?p ?o }} ?s ?p ?o }}")
            whole = _fewer_triples(store, [*existing, staged], _WHOLE_RATIO * checked)
            results = _run(store, compiled, None if whole else focus, named_graphs=[focus], only=focus if whole else None,
                           inputs=inputs, parallel=parallel, **union)
    finally:
        store.remove_graph(staged)
        store.remove_graph(focus)
    return ValidationReport(results, files=[item.name for item in inputs], checked=checked, fail_on=fail_on,
                            elsewhere=elsewhere)


def _mark_affected(store, compiled, staged, focus, union, using: str = "") -> int:
    """Mark in the graph `focus` the nodes an addition (in the graph `staged`) can affect; their number.
    The big sets are marked by SPARQL updates (nothing goes through Python); an update reads the store's
    default graph (or the graphs `using` names), so a pattern on the whole graph is written as the union
    of it and the addition."""
    rdf, rdfs = PREFIXES["rdf"], PREFIXES["rdfs"]
    mark = f"INSERT {{ GRAPH {focus} {{ {focus} {focus} ?n }} }} {using} WHERE"
    changed = f"GRAPH {focus} {{ {focus} {focus} ?m }}"

    def either(pattern):
        return f"{{ {{ {pattern} }} UNION {{ GRAPH {staged} {{ {pattern} }} }} }}"
    # the nodes it writes about, and the instances of every class whose superclasses it changes
    store.update(f"{mark} {{ SELECT DISTINCT ?n WHERE {{ GRAPH {staged} {{ ?n ?p ?o }} }} }}")
    instances = f"SELECT DISTINCT ?n WHERE {{ GRAPH {staged} {{ ?c <{rdfs}subClassOf> ?d }} ?k <{rdfs}subClassOf>* ?c . ?n <{rdf}type> ?k }}"
    derived = [s["n"] for s in store.query(instances, named_graphs=[staged], **union)]
    if compiled.look_through:  # existing nodes whose shapes read a node it writes about
        paths = "|".join(f"({p})" for p in sorted(compiled.look_through))
        derived += [s["n"] for s in store.query(f"SELECT DISTINCT ?n WHERE {{ {changed} ?n {paths} ?m }}",
                                                  named_graphs=[focus], **union)]
    store.extend([ox.Quad(focus, focus, node, focus) for node in derived])
    for prop in sorted(compiled.join_properties):  # nodes a SPARQL rule compares with those
        store.update(f"{mark} {{ SELECT DISTINCT ?n WHERE {{ {changed} {either(f'?m {prop} ?x')} {either(f'?n {prop} ?x')} }} }}")
    # and the nodes it points at
    store.update(f"{mark} {{ SELECT DISTINCT ?n WHERE {{ GRAPH {staged} {{ ?s ?p ?n }} FILTER (!isLiteral(?n)) }} }}")
    return _count(store, f"SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE {{ GRAPH {focus} {{ {focus} {focus} ?n }} }}",
                  named_graphs=[focus])


def _threshold(fail_on: str) -> str:
    fail_on = fail_on.capitalize()
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {', '.join(s.lower() for s in SEVERITIES)}")
    return fail_on


def validate_files(paths, bundled: bool = True, fail_on: str = "violation", without=(), base=(),
                   shapes=None, ontology: bool = True) -> ValidationReport:
    """Validate Turtle files as an addition to the bundled graph (or, with bundled=False, on their own,
    with the ontology unless `ontology` is False). Reports the problems of the nodes they can affect.

    `paths` may hold rdflib Graphs as well as file names. `base` are more Turtle files to validate
    against (not to report on). A bundled data file that is one of `paths`, or whose name is in
    `without`, is left out of the bundled graph: a new version of it is checked against the rest.
    `shapes` are shapes files to validate against instead of the bundled shapes.
    """
    fail_on = _threshold(fail_on)
    compiled = compiled_shapes(shapes)
    inputs = [describe_input(path) for path in paths]
    left_out = {Path(item.path).resolve() for item in inputs if item.path}
    unknown = [name for name in without if name not in {p.name for p in resources.data_files()}]
    if unknown:
        raise DataError(f"no bundled data file named {', '.join(unknown)} (see data/ttl/)")
    from menaka_kg.store import EmbeddedStore
    store = EmbeddedStore()
    if not bundled and not base:  # the files are the whole data graph: every node is checked
        _load(store.raw, inputs, ox.DefaultGraph())
        for path in resources.ontology_files() if ontology else []:
            store.load(path)
        report = validate_store(store.raw, compiled=compiled, inputs=inputs, parallel=True)
        report.files, report.fail_on, report.elsewhere = [i.name for i in inputs], fail_on, "ontology" if ontology else ""
        return report
    data = [p for p in resources.data_files() if p.resolve() not in left_out and p.name not in without]
    whole_bundle = bundled and len(data) == len(resources.data_files())
    if whole_bundle:
        store.load_bundled()
    for path in ([] if whole_bundle else [*resources.ontology_files(), *(data if bundled else [])]) + list(base):
        store.load(path)
    return validate_addition(store.raw, inputs, compiled, fail_on, "bundled graph" if bundled else "existing graph",
                             parallel=True)
