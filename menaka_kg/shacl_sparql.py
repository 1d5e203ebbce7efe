"""The SHACL shapes compiled into SPARQL queries that run on the embedded store (Oxigraph).

pySHACL evaluates constraints node by node on rdflib's engine, which is slow beyond ~10k triples. Each
constraint here becomes one SELECT over all its focus nodes at once (or over the focus nodes of an
addition, marked in a graph of their own), returning only the violations, so validation runs at the
speed of the store's query engine.

It compiles SHACL Core: every target (nodes, classes, implicit classes, subjects and objects of a
property), node and property shapes at the top level or nested, every property path, every constraint
component, sh:deactivated, severities and messages; and SHACL-SPARQL: SPARQL targets, sh:sparql
constraints with pre-binding of $this, $PATH, $currentShape and $shapesGraph, and constraint components
defined by SPARQL validators. What it cannot compile (a recursive shape, a SPARQL construct the standard
excludes from pre-binding, a blank node where the data graph must be matched) raises ShapesError naming
it: never a silent pass. tests/test_w3c_shacl.py runs the W3C test suite through `menaka-kg validate`.
"""

import os
import pickle
import re
import signal
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from itertools import product

import pyoxigraph as ox

from menaka_kg.errors import DataError, ShapesError, turtle_syntax_error
from menaka_kg.threads import cores, in_threads

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL_IMPORTS = ox.NamedNode("http://www.w3.org/2002/07/owl#imports")
TYPE, SUBCLASS = f"<{RDF}type>", f"<{RDFS}subClassOf>"
INSTANCE_OF = f"{TYPE}/{SUBCLASS}*"
FOCUS = "#FOCUS#"  # where a pattern restricting ?this to the focus nodes of an addition goes
SHAPES_GRAPH = "urn:menaka-kg:validation:shapes"  # the IRI $shapesGraph names while validating

# datatypes whose lexical forms the store can check by casting, and XSD datatypes derived from them
_CASTS = ("integer", "decimal", "float", "double", "boolean", "date", "dateTime", "time", "gYear",
          "gYearMonth", "gMonthDay", "duration", "dayTimeDuration", "yearMonthDuration")
_INTEGER_RANGES = {"nonNegativeInteger": (0, None), "positiveInteger": (1, None), "nonPositiveInteger": (None, 0),
                   "negativeInteger": (None, -1), "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
                   "short": (-2**15, 2**15 - 1), "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1),
                   "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255)}
_LEXICAL_PATTERNS = {"language": r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$", "normalizedString": r"^[^\r\n\t]*$",
                     "token": r"^([^\s]+( [^\s]+)*)?$", "NMTOKEN": r"^[\w.:-]+$", "Name": r"^[A-Za-z_:][\w.:-]*$",
                     "NCName": r"^[A-Za-z_][\w.-]*$", "hexBinary": r"^([0-9a-fA-F]{2})*$",
                     "base64Binary": r"^(([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){2}==|([A-Za-z0-9+/] ?){3}=)?$"}
_NODE_KINDS = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
               "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
               "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
_COMPARISONS = {"minExclusive": (">", "not greater than {}"), "minInclusive": (">=", "not greater than or equal to {}"),
                "maxExclusive": ("<", "not less than {}"), "maxInclusive": ("<=", "not less than or equal to {}")}
_TARGETS = ("targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf", "target")
_SHAPE_VALUED = ("node", "property", "not", "qualifiedValueShape")
_LIST_OF_SHAPES = ("and", "or", "xone")
_PARAMETERS = ("class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
               "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
               "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property", "qualifiedValueShape",
               "closed", "hasValue", "in", "sparql")


def sh(local: str) -> ox.NamedNode:
    return ox.NamedNode(SH + local)


def name(node) -> str:
    """A node of the shapes graph as reports name it: its IRI, or _:label."""
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


def parse_shapes(paths) -> "ShapesGraph":
    """Read Turtle shapes files into one shapes graph. Blank node labels are kept (reports name a shape
    `_:label` as its file does; a label two files use is told apart by the file's number), and an
    anonymous blank node is named by its order in its file, so that the same files give the same names."""
    from pathlib import Path
    triples, labels = [], set()
    for number, path in enumerate(paths):
        try:
            parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri()))
        except OSError as error:
            raise DataError(f"cannot read {path}: {error.strerror or error}") from None
        except SyntaxError as error:
            raise turtle_syntax_error(path, error) from None
        own, names = {t.value for q in parsed for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}, {}
        clash = bool(own & labels)

        def renamed(term):
            if not isinstance(term, ox.BlankNode):
                return term
            if term not in names:
                anonymous = re.fullmatch(r"[0-9a-f]{20,32}", term.value)  # the parser's random name
                names[term] = ox.BlankNode(f"f{number}a{len(names)}" if anonymous else
                                           f"{term.value}f{number}" if clash else term.value)
            return names[term]
        triples.extend(ox.Triple(renamed(q.subject), q.predicate, renamed(q.object)) for q in parsed)
        labels |= {n.value for n in names.values()}
    return ShapesGraph(triples)


class ShapesGraph:
    """The shapes graph, with look-ups by subject and predicate. Literals keep their lexical form (a
    store would make "1"^^xsd:boolean the same term as true, which SHACL does not)."""

    def __init__(self, triples):
        self.triples = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
        self._by_subject, self._by_object = {}, {}
        for t in self.triples:
            self._by_subject.setdefault((t.subject, t.predicate), []).append(t.object)
            self._by_object.setdefault((t.predicate, t.object), []).append(t.subject)
            self._by_object.setdefault((t.predicate, None), []).append(t.subject)
            self._by_subject.setdefault((None, t.predicate), []).append(t.object)

    def objects(self, subject, predicate) -> list:
        return sorted(set(self._by_subject.get((subject, predicate), ())), key=str)

    def value(self, subject, predicate):
        return next(iter(self.objects(subject, predicate)), None)

    def subjects(self, predicate, obj=None) -> list:
        return sorted(set(self._by_object.get((predicate, obj), ())), key=str)

    def items(self, node) -> list:
        """The members of an RDF list."""
        members, seen = [], set()
        while node != ox.NamedNode(RDF + "nil"):
            first = self.objects(node, ox.NamedNode(RDF + "first"))
            rest = self.objects(node, ox.NamedNode(RDF + "rest"))
            if len(first) != 1 or len(rest) != 1 or node in seen:
                raise ShapesError(f"{name(node)} is not a well-formed RDF list")
            seen.add(node)
            members.append(first[0])
            node = rest[0]
        return members

    def instances(self, klass: str) -> list:
        """SHACL instances of a class in the shapes graph (rdf:type/rdfs:subClassOf*)."""
        classes, todo = set(), [ox.NamedNode(klass)]
        while todo:
            current = todo.pop()
            if current not in classes:
                classes.add(current)
                todo.extend(self.subjects(ox.NamedNode(RDFS + "subClassOf"), current))
        return sorted({s for c in classes for s in self.subjects(ox.NamedNode(RDF + "type"), c)}, key=str)

    def is_true(self, subject, local: str) -> bool:
        return ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")) in self.objects(subject, sh(local))


@dataclass(frozen=True)
class Outcome:
    """One kind of result a check reports: for the rows where `flag` is true (every row when None)."""

    component: str           # the constraint component's IRI
    shape: str               # the source shape, as `name` gives it
    path: str | None         # the result path in SPARQL syntax (an IRI alone for a predicate path)
    severity: str            # the severity's IRI
    message: str             # the shape's own message, or a default; {?var} is filled from the row
    flag: str | None = None
    value: bool = True       # whether the result has a value: the row's ?value, or the focus node
    value_is_focus: bool = False


@dataclass(frozen=True)
class Check:
    """One compiled query and what its rows mean."""

    query: str               # a SELECT binding ?this (?value, ?path...); FOCUS marks where the restriction
    outcomes: tuple          # to an addition's focus nodes goes
    per_focus: bool = False        # run once per focus node, ?this substituted (exact SPARQL pre-binding)
    focus_query: str = ""          # with per_focus: the query giving the focus nodes


@dataclass(frozen=True)
class Focus:
    """The focus nodes of a shape: a subquery binding ?this to them (FOCUS opens each target), and a
    pattern true when ?this is one of them (None when only the subquery can tell, for SPARQL targets)."""

    block: str
    member: str | None


class CompiledShapes:
    """A shapes graph as a list of SPARQL checks, and what an addition's validation must look at."""

    def __init__(self, shapes: ShapesGraph):
        self._g = shapes
        self.checks: list[Check] = []       # each from the focus nodes: for an addition's
        self.full_checks: list[Check] = []  # and over every target, checks on values driven by the values
        self.uses_shapes_graph = False
        # paths from a focus node to nodes whose own triples a shape reads, and properties SPARQL rules
        # compare across focus nodes: what an addition changes reaches existing focus nodes through them
        self.look_through: set[str] = set()
        self.join_properties: set[str] = set()
        self._fresh = 0
        self._row_tests: dict[str, list] = {}  # block -> [(outcome, test of ?this)]: one query per block
        self._by_values: dict[tuple, list] = {}  # (query, outcomes) -> focus membership patterns
        self.blocks: set[str] = set()  # the focus blocks, each computed once per validation
        self.prologue = self._prologue()
        self._components = self._constraint_components()
        for shape in self._shapes_with_targets():
            if not self._deactivated(shape):
                self._compile(shape, self._targets(shape), via=(), stack=(shape,))
        for block, tests in self._row_tests.items():
            flags = [f"?_f{k}" for k in range(len(tests))]
            binds = " ".join(f"BIND (COALESCE(!({test}), true) AS {flag})" for (_, test), flag in zip(tests, flags))
            self._check(Check(self.prologue + f"SELECT ?this {' '.join(flags)} WHERE {{ {block} {binds} "
                              f"FILTER ({' || '.join(flags)}) }}",
                              tuple(replace(outcome, flag=flag) for (outcome, _), flag in zip(tests, flags))))
        # a property shape under several node shapes is checked once over every target: its values, then
        # whether their focus node is a focus node of one of those shapes
        for (query, outcomes), members in self._by_values.items():
            member = " UNION ".join(f"{{ {m} }}" for m in members)
            self.full_checks.append(Check(self.prologue + f"SELECT * WHERE {{ {{ {query} }} FILTER EXISTS {{ {member} }} }}", outcomes))

    def _check(self, check: Check, full: tuple | None = None):
        """A check from the focus nodes; over every target, the same or (`full`: a query over values
        and the membership pattern of the focus nodes) one driven by the values."""
        self.checks.append(check)
        if full is None:
            self.full_checks.append(check)
        else:
            members = self._by_values.setdefault((full[0], check.outcomes), [])
            if full[1] not in members:
                members.append(full[1])

    def dump(self) -> tuple:
        """The compiled checks as plain data (for a cache), without the shapes graph."""
        checks = [tuple(tuple(tuple(vars(o).values()) for o in c.outcomes) if k == "outcomes" else v
                        for k, v in vars(c).items()) for c in self.checks + self.full_checks]
        return (checks, len(self.checks), self.uses_shapes_graph, sorted(self.look_through), sorted(self.join_properties),
                self.prologue, self.blocks)

    @classmethod
    def restore(cls, data, read_shapes) -> "CompiledShapes":
        """Compiled shapes from `dump`'s data; `read_shapes()` gives their shapes graph, read only when
        it is asked for (for a result's details, or a check that reads the shapes graph)."""
        compiled = cls.__new__(cls)
        checks, count, compiled.uses_shapes_graph, look_through, joins, compiled.prologue, compiled.blocks = data
        checks = [Check(query, tuple(Outcome(*o) for o in outcomes), *rest) for query, outcomes, *rest in checks]
        compiled._g, compiled.checks, compiled.full_checks = read_shapes, checks[:count], checks[count:]
        compiled.look_through, compiled.join_properties = set(look_through), set(joins)
        return compiled

    # --- the shapes graph -------------------------------------------------------------------------
    @property
    def g(self) -> ShapesGraph:
        if callable(self._g):
            self._g = self._g()
        return self._g

    def _prologue(self) -> str:
        """PREFIX lines for every sh:declare of the shapes graph (SPARQL constraints, targets, validators)."""
        declared = {}
        for declaration in self.g.objects(None, sh("declare")):
            prefix, namespace = self.g.value(declaration, sh("prefix")), self.g.value(declaration, sh("namespace"))
            if prefix is None or namespace is None:
                raise ShapesError(f"sh:declare {name(declaration)} needs sh:prefix and sh:namespace")
            if declared.get(prefix.value, namespace.value) != namespace.value:
                raise ShapesError(f"the prefix {prefix.value}: is declared for two namespaces")
            declared[prefix.value] = namespace.value
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))

    def _shapes_with_targets(self) -> list:
        shapes = {s for p in _TARGETS for s in self.g.subjects(sh(p))}
        candidates = set(self.g.instances(SH + "NodeShape")) | set(self.g.instances(SH + "PropertyShape"))
        candidates |= {s for p in _PARAMETERS + ("path",) for s in self.g.subjects(sh(p))}
        shapes |= candidates & set(self.g.instances(RDFS + "Class"))  # implicit class targets
        return sorted(shapes, key=str)

    def _targets(self, shape) -> Focus:
        """The shape's focus nodes from its targets."""
        g, patterns = self.g, []
        for node in g.objects(shape, sh("targetNode")):
            patterns.append(f"VALUES ?this {{ {self._constant(node, 'sh:targetNode')} }}")
        classes = g.objects(shape, sh("targetClass"))
        if shape in g.instances(RDFS + "Class"):
            classes.append(shape)
        for klass in sorted(set(classes), key=str):
            patterns.append(f"?this {INSTANCE_OF} {self._constant(klass, 'sh:targetClass')}")
        for prop in g.objects(shape, sh("targetSubjectsOf")):
            patterns.append(f"?this {self._constant(prop, 'sh:targetSubjectsOf')} ?_object")
        for prop in g.objects(shape, sh("targetObjectsOf")):
            patterns.append(f"?_subject {self._constant(prop, 'sh:targetObjectsOf')} ?this")
        member = " UNION ".join(f"{{ {p} }}" for p in patterns)
        sparql = False
        for target in g.objects(shape, sh("target")):
            select = g.value(target, sh("select"))
            if select is None:
                raise ShapesError(f"the target {name(target)} of {name(shape)} is not a SPARQL target (sh:select); "
                                  "only sh:SPARQLTarget targets are supported")
            patterns.append(_at_where(select.value, FOCUS))
            sparql = True
        block = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(
            f"{{ {p} }}" if p.lstrip().upper().startswith("SELECT") else f"{{ {FOCUS} {p} }}" for p in patterns) + " } }"
        self.blocks.add(block)
        return Focus(block, None if sparql else member)

    def _constant(self, node, where: str) -> str:
        """A shapes-graph term written into a query: an IRI or a literal (a blank node cannot be)."""
        if isinstance(node, ox.BlankNode):
            raise ShapesError(f"{where} is a blank node ({name(node)}), which cannot be matched in the data graph")
        return str(node)

    def _var(self, stem: str = "a") -> str:
        self._fresh += 1
        return f"?_{stem}{self._fresh}"

    def _severity(self, shape) -> str:
        severity = self.g.value(shape, sh("severity"))
        return severity.value if isinstance(severity, ox.NamedNode) else SH + "Violation"

    def _message(self, node) -> str | None:
        """The node's sh:message: the untagged one, else the English one, else the first."""
        messages = [m for m in self.g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        if not messages:
            return None
        return min(messages, key=lambda m: (m.language not in (None, "en"), m.language is not None, m.value)).value

    def _deactivated(self, node) -> bool:
        return self.g.is_true(node, "deactivated")

    def path(self, node) -> str:
        """A SHACL property path in SPARQL syntax."""
        g = self.g
        if isinstance(node, ox.NamedNode):
            return str(node)
        if isinstance(node, ox.Literal):
            raise ShapesError(f"a property path cannot be a literal ({node})")
        if g.objects(node, ox.NamedNode(RDF + "first")):
            members = g.items(node)
            if len(members) < 2:
                raise ShapesError(f"the sequence path {name(node)} needs at least two members")
            return "(" + "/".join(self.path(m) for m in members) + ")"
        for local, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            if (inner := g.value(node, sh(local))) is not None:
                return f"({self.path(inner)}){mark}"
        if (inner := g.value(node, sh("inversePath"))) is not None:
            return f"^({self.path(inner)})" if not isinstance(inner, ox.NamedNode) else f"^{inner}"
        if (alternatives := g.value(node, sh("alternativePath"))) is not None:
            members = g.items(alternatives)
            if len(members) < 2:
                raise ShapesError(f"the alternative path {name(node)} needs at least two members")
            return "(" + "|".join(self.path(m) for m in members) + ")"
        raise ShapesError(f"{name(node)} is not a SHACL property path")

    def _path_prefixes(self, node) -> list[str]:
        """The path and, for a sequence, each of its leading parts: the nodes they reach are read."""
        if isinstance(node, ox.BlankNode) and self.g.objects(node, ox.NamedNode(RDF + "first")):
            members = [self.path(m) for m in self.g.items(node)]
            return ["/".join(members[:k]) for k in range(1, len(members) + 1)]
        return [self.path(node)]

    # --- compiling a shape against its focus nodes ---------------------------------------------------
    def _compile(self, shape, focus: Focus, via: tuple, stack: tuple):
        """Checks for `shape` on its focus nodes (reached by `via` from the targets)."""
        g = self.g
        if self._deactivated(shape):
            return
        path_node = g.value(shape, sh("path"))
        path = self.path(path_node) if path_node is not None else None
        if path and self._reads_values(shape):
            self.look_through.update("/".join((*via, p)) for p in self._path_prefixes(path_node))
        severity, message = self._severity(shape), self._message(shape)

        def outcome(component, default, **options):
            return Outcome(component, name(shape), path, severity, message or default, value_is_focus=not path, **options)
        context = (shape, focus, path, outcome)
        tests = self._value_tests(shape, "?value" if path else "?this", "?this", via + ((path,) if path else ()), stack)
        if path and tests:
            self._value_check(context, tests)
        for component, test, default, has_value, _ in ([] if path else tests):
            self._row_test(focus, outcome(component, default, value=has_value), test)
        self._focus_checks(context, stack, via)
        for nested in g.objects(shape, sh("property")):
            if nested in stack:
                raise ShapesError(f"the shape {name(nested)} is recursive (sh:property leads back to it)")
            if path is None:
                self._compile(nested, focus, via, stack + (nested,))
            else:
                outer = self._var("focus")
                block = f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT (?this AS {outer}) WHERE {{ {focus.block} }} }} {outer} {path} ?this }} }}"
                member = f"{outer} {path} ?this . {_rename_this(focus.member, outer)}" if focus.member else None
                self.blocks.add(block)
                self._compile(nested, Focus(block, member), via + (path,), stack + (nested,))
        for constraint in g.objects(shape, sh("sparql")):
            if not self._deactivated(constraint):
                self._compile_select(context, constraint, SH + "SPARQLConstraintComponent", self._message(constraint), {})
        for component, parameters, validator, kind in self._custom_uses(shape, path):
            if kind == "select":
                self._compile_select(context, validator, name(component),
                                     self._message(validator) or self._message(component), parameters)

    def _row_test(self, focus: Focus, outcome: Outcome, test: str):
        """A test each focus node passes on its own (its own term, one count): one query per focus block."""
        self._row_tests.setdefault(focus.block, []).append((outcome, test))

    def _add(self, focus: Focus, select: str, body: str, outcomes, group: str = "", by_values: bool = True,
             full_body: str | None = None):
        """A check: `body` binds ?value (and more) from ?this; over every target it is driven by the
        values (`full_body`, when it is written otherwise), the rows then kept when ?this is a focus node."""
        query = f"{select} WHERE {{ {focus.block} {body} }} {group}"
        full = (f"{select} WHERE {{ {full_body or body} }} {group}", focus.member) if by_values and focus.member else None
        self._check(Check(self.prologue + query, tuple(outcomes)), full)

    def _value_check(self, context, tests):
        """The tests of a property shape on each value, in one query (sh:class by an anti-join on the
        class's instances when checking every target)."""
        shape, focus, path, outcome = context
        flags = [f"?_f{k}" for k in range(len(tests))]
        outcomes = [outcome(component, default, flag=flag, value=has_value)
                    for (component, _, default, has_value, _), flag in zip(tests, flags)]
        select = f"SELECT DISTINCT ?this ?value {' '.join(flags)}"

        def body(by_values):
            parts = [f"?this {path} ?value ."]
            for (component, test, _, _, klass), flag in zip(tests, flags):
                if by_values and klass:
                    known = self._var("instance")
                    parts.append(f"OPTIONAL {{ SELECT DISTINCT ?value (true AS {known}) WHERE {{ ?value {INSTANCE_OF} {klass} }} }}")
                    test = f"BOUND({known})"
                parts.append(f"BIND (COALESCE(!({test}), true) AS {flag})")
            return " ".join(parts) + f" FILTER ({' || '.join(flags)})"
        self._add(focus, select, body(False), outcomes, full_body=body(True))

    def _reads_values(self, shape) -> bool:
        """Whether adding triples about a property shape's value nodes can give a focus node a new result:
        a constraint reads the values' own triples and is not one that more triples can only satisfy."""
        g = self.g
        return bool(any(not self._upward(n) for p in ("node", "property") for n in g.objects(shape, sh(p)))
                    or any(not all(self._upward(m) for m in g.items(lst)) for lst in g.objects(shape, sh("and")) + g.objects(shape, sh("or")))
                    or any(g.objects(shape, sh(p)) for p in ("not", "xone", "qualifiedValueShape", "closed"))
                    or self._custom_uses(shape, g.value(shape, sh("path"))))

    def _upward(self, shape, stack=()) -> bool:
        """Whether a node that does not conform to `shape` can only come to conform when triples are added,
        never the reverse: its own term's tests, sh:class, sh:hasValue, sh:minCount and shapes of those."""
        g = self.g
        if shape in stack or self._deactivated(shape):
            return shape not in stack
        stack = stack + (shape,)
        on_values = g.value(shape, sh("path")) is not None
        own_term = ("datatype", "nodeKind", "in", "pattern", "minLength", "maxLength", "languageIn", *_COMPARISONS)
        if any(g.objects(shape, sh(p)) for p in ("maxCount", "not", "xone", "closed", "equals", "disjoint", "lessThan",
                                                  "lessThanOrEquals", "uniqueLang", "qualifiedValueShape", "sparql")):
            return False
        if on_values and any(g.objects(shape, sh(p)) for p in (*own_term, "class", "node", "and", "or")):
            return False  # a new value can fail them
        members = [n for p in ("node", "property") for n in g.objects(shape, sh(p))]
        members += [m for p in ("and", "or") for lst in g.objects(shape, sh(p)) for m in g.items(lst)]
        return all(self._upward(m, stack) for m in members) and not self._custom_uses(shape, g.value(shape, sh("path")))

    def _value_tests(self, shape, v: str, focus: str, via: tuple, stack: tuple) -> list:
        """(component, SPARQL test that value `v` passes, default message, whether the result has a value,
        the class of a sh:class test)."""
        g, tests = self.g, []

        def add(component, test, text, has_value=True, klass=None):
            tests.append((SH + component, test, text, has_value, klass))
        for klass in g.objects(shape, sh("class")):
            constant = self._constant(klass, 'sh:class')
            add("ClassConstraintComponent", f"EXISTS {{ {v} {INSTANCE_OF} {constant} }}", f"not an instance of {klass.value}",
                klass=constant)
        for datatype in g.objects(shape, sh("datatype")):
            add("DatatypeConstraintComponent", f"(isLiteral({v}) && DATATYPE({v}) = {self._constant(datatype, 'sh:datatype')}"
                f" && {well_formed(v, datatype.value)})", f"not a well-formed literal of datatype {datatype.value}")
        for kind in g.objects(shape, sh("nodeKind")):
            local = kind.value[len(SH):] if kind.value.startswith(SH) else None
            if local not in _NODE_KINDS:
                raise ShapesError(f"sh:nodeKind {kind} of {name(shape)} is not a SHACL node kind")
            add("NodeKindConstraintComponent", _NODE_KINDS[local].format(v=v), f"not a node of kind sh:{local}")
        for local, (operator, text) in _COMPARISONS.items():
            for bound in g.objects(shape, sh(local)):
                add(local[0].upper() + local[1:] + "ConstraintComponent",
                    f"COALESCE({v} {operator} {self._constant(bound, 'sh:' + local)}, false)", text.format(bound))
        for local, operator in (("minLength", ">="), ("maxLength", "<=")):
            for length in g.objects(shape, sh(local)):
                add(local[0].upper() + local[1:] + "ConstraintComponent",
                    f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {_integer(length, local)})",
                    f"{'shorter' if operator == '>=' else 'longer'} than {length.value} characters allows")
        flags = g.value(shape, sh("flags"))
        for pattern in g.objects(shape, sh("pattern")):
            arguments = f"{_string(pattern.value)}" + (f", {_string(flags.value)}" if flags is not None else "")
            add("PatternConstraintComponent", f"(!isBlank({v}) && REGEX(STR({v}), {arguments}))",
                f"does not match the pattern {pattern.value}")
        for languages in g.objects(shape, sh("languageIn")):
            tags = [t.value for t in g.items(languages)]
            matches = " || ".join(f"langMatches(LANG({v}), {_string(t)})" for t in tags) or "false"
            add("LanguageInConstraintComponent", f"(isLiteral({v}) && ({matches}))", f"language tag not in {', '.join(tags)}")
        for members in g.objects(shape, sh("in")):
            terms = [self._constant(m, "a member of sh:in") for m in g.items(members)]
            add("InConstraintComponent", "(" + (" || ".join(f"sameTerm({v}, {t})" for t in terms) or "false") + ")",
                f"not one of {', '.join(m.value for m in g.items(members))}")
        if not g.value(shape, sh("path")):
            for value in g.objects(shape, sh("hasValue")):
                add("HasValueConstraintComponent", f"sameTerm({v}, {self._constant(value, 'sh:hasValue')})",
                    f"is not {value.value}", has_value=False)
        for node in g.objects(shape, sh("node")):
            add("NodeConstraintComponent", self.conforms(node, v, via, stack), f"does not conform to the shape {name(node)}")
        for node in g.objects(shape, sh("not")):
            add("NotConstraintComponent", f"!{self.conforms(node, v, via, stack)}", f"conforms to the shape {name(node)}, which sh:not forbids")
        for local, join, text in (("and", " && ", "does not conform to every shape of sh:and"),
                                  ("or", " || ", "conforms to none of the shapes of sh:or")):
            for members in g.objects(shape, sh(local)):
                add(local.capitalize() + "ConstraintComponent",
                    "(" + (join.join(self.conforms(m, v, via, stack) for m in g.items(members)) or local == "and" and "true" or "false") + ")",
                    text)
        for members in g.objects(shape, sh("xone")):
            count = " + ".join(f"IF({self.conforms(m, v, via, stack)}, 1, 0)" for m in g.items(members)) or "0"
            add("XoneConstraintComponent", f"(({count}) = 1)", "does not conform to exactly one shape of sh:xone")
        for component, parameters, validator, kind in self._custom_uses(shape, g.value(shape, sh("path"))):
            if kind == "ask":
                where = f"{name(validator)} of {name(component)}"
                ask = _sparql_body(validator, self.g, "sh:ask")
                _refuse_unsupported(_parse_sparql(self.prologue + ask, where)[1], where, {"this", "value", *parameters})
                body = _substitute(ask[ask.index("{"):], {**parameters, "value": v, "this": focus}, self._prebound(shape))
                tests.append((name(component), f"EXISTS {body}", self._message(validator) or self._message(component) or "", True, None))
        return tests

    def _prebound(self, shape) -> dict:
        """$currentShape and $shapesGraph, as SPARQL terms."""
        return {"currentShape": str(shape) if isinstance(shape, ox.NamedNode) else None, "shapesGraph": f"<{SHAPES_GRAPH}>"}

    def _focus_checks(self, context, stack, via):
        """Checks of the constraints on the set of a focus node's values (counts, comparisons, closure)."""
        shape, focus, p, outcome = context
        g = self.g
        values = f"?this {p} ?value ." if p else "BIND (?this AS ?value)"
        for n in map(lambda n: _integer(n, "minCount"), g.objects(shape, sh("minCount"))):
            default = f"has fewer than {n} value{'s' if n != 1 else ''}"
            if p and n == 1:
                self._row_test(focus, outcome(SH + "MinCountConstraintComponent", "has no value; at least 1 is needed",
                                              value=False), f"EXISTS {{ ?this {p} ?_any }}")
            elif p and n > 1:
                self._add(focus, "SELECT ?this", f"OPTIONAL {{ ?this {p} ?value }}",
                          [outcome(SH + "MinCountConstraintComponent", default, value=False)],
                          f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})", by_values=False)
            elif n > 1:  # a node shape's only value node is the focus node
                self._row_test(focus, outcome(SH + "MinCountConstraintComponent", default, value=False), "false")
        for m in map(lambda m: _integer(m, "maxCount"), g.objects(shape, sh("maxCount"))):
            result = outcome(SH + "MaxCountConstraintComponent", f"has more than {m} value{'s' if m != 1 else ''}", value=False)
            if not p:
                if m < 1:
                    self._row_test(focus, result, "false")
            elif m <= 1:
                pair = "" if m == 0 else f"?this {p} ?_other . FILTER (!sameTerm(?value, ?_other))"
                self._add(focus, "SELECT DISTINCT ?this", f"?this {p} ?value . {pair}", [result])
            else:
                self._add(focus, "SELECT ?this", f"?this {p} ?value .", [result],
                          f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {m})")
        if p:
            for value in g.objects(shape, sh("hasValue")):
                self._row_test(focus, outcome(SH + "HasValueConstraintComponent", f"does not have the value {value.value}",
                                              value=False), f"EXISTS {{ ?this {p} {self._constant(value, 'sh:hasValue')} }}")
        is_value = f"EXISTS {{ ?this {p} ?value }}" if p else "sameTerm(?value, ?this)"
        for other in g.objects(shape, sh("equals")):
            o = self._constant(other, "sh:equals")
            result = [outcome(SH + "EqualsConstraintComponent", f"is not a value of both {p or 'the focus node'} and {other.value}")]
            self._add(focus, "SELECT DISTINCT ?this ?value", f"{values} FILTER NOT EXISTS {{ ?this {o} ?value }}", result, by_values=bool(p))
            self._add(focus, "SELECT DISTINCT ?this ?value", f"?this {o} ?value FILTER (!({is_value}))", result)
        for other in g.objects(shape, sh("disjoint")):
            self._add(focus, "SELECT DISTINCT ?this ?value", f"{values} ?this {self._constant(other, 'sh:disjoint')} ?value",
                      [outcome(SH + "DisjointConstraintComponent", f"is also a value of {other.value}")], by_values=bool(p))
        for local, operator in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in g.objects(shape, sh(local)):
                self._add(focus, "SELECT DISTINCT ?this ?value", f"{values} ?this {self._constant(other, 'sh:' + local)} ?_other "
                          f"FILTER (!COALESCE(?value {operator} ?_other, false))",
                          [outcome(SH + local[0].upper() + local[1:] + "ConstraintComponent",
                                   f"not {'less than' if operator == '<' else 'less than or equal to'} the value of "
                                   f"{other.value} (or not comparable with it)")], by_values=bool(p))
        if p and g.is_true(shape, "uniqueLang"):
            self._add(focus, "SELECT ?this ?_lang", f"?this {p} ?value FILTER (isLiteral(?value)) BIND (LANG(?value) AS ?_lang) "
                      "FILTER (?_lang != \"\")", [outcome(SH + "UniqueLangConstraintComponent",
                                                          "more than one value has the language tag {?_lang}", value=False)],
                      "GROUP BY ?this ?_lang HAVING (COUNT(DISTINCT ?value) > 1)")
        for qualified in g.objects(shape, sh("qualifiedValueShape")):
            low, high = (g.value(shape, sh(local)) for local in ("qualifiedMinCount", "qualifiedMaxCount"))
            bounds = [(low, "<", "QualifiedMinCountConstraintComponent", "fewer"), (high, ">", "QualifiedMaxCountConstraintComponent", "more")]
            bounds = [(_integer(n, "qualifiedMinCount"), op, component, word) for n, op, component, word in bounds if n is not None]
            condition = self._qualified(shape, qualified, "?value", via + ((p,) if p else ()), stack)
            for n, op, component, word in bounds:
                result = outcome(SH + component, f"{word} than {n} values conform to {name(qualified)}", value=False)
                if p:
                    self._add(focus, "SELECT ?this", f"OPTIONAL {{ ?this {p} ?value FILTER ({condition}) }}", [result],
                              f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {n})", by_values=False)
                else:
                    self._row_test(focus, result, f"!(IF({condition.replace('?value', '?this')}, 1, 0) {op} {n})")
        if g.is_true(shape, "closed"):
            allowed = self._allowed_properties(shape)
            test = f"FILTER (?path NOT IN ({', '.join(allowed)}))" if allowed else ""
            node = f"?this {p} ?_node . ?_node" if p else "?this"
            self._add(focus, "SELECT DISTINCT ?this ?path ?value", f"{node} ?path ?value {test}",
                      [outcome(SH + "ClosedConstraintComponent", "uses the property {?path}, which the closed shape does not allow")],
                      by_values=bool(p))

    def _allowed_properties(self, shape) -> list[str]:
        allowed = [str(p) for q in self.g.objects(shape, sh("property"))
                   for p in self.g.objects(q, sh("path")) if isinstance(p, ox.NamedNode)]
        for ignored in self.g.objects(shape, sh("ignoredProperties")):
            allowed += [self._constant(m, "a member of sh:ignoredProperties") for m in self.g.items(ignored)]
        return sorted(set(allowed))

    def _qualified(self, shape, qualified, v, via, stack) -> str:
        """The test that value `v` counts for a qualified value shape: it conforms to it and, with
        sh:qualifiedValueShapesDisjoint, to none of its siblings' qualified value shapes."""
        test = self.conforms(qualified, v, via, stack)
        if self.g.is_true(shape, "qualifiedValueShapesDisjoint"):
            siblings = {s for parent in self.g.subjects(sh("property"), shape)
                        for q in self.g.objects(parent, sh("property")) for s in self.g.objects(q, sh("qualifiedValueShape"))}
            for sibling in sorted(siblings - {qualified}, key=str):
                test += f" && !{self.conforms(sibling, v, via, stack)}"
        return test

    # --- nested shapes: does a node conform? --------------------------------------------------------
    def conforms(self, shape, x: str, via: tuple = (), stack: tuple = ()) -> str:
        """A SPARQL expression true when the node in variable `x` conforms to `shape` (its targets ignored)."""
        g = self.g
        if self._deactivated(shape):
            return "true"
        if shape in stack:
            raise ShapesError(f"the shape {name(shape)} is recursive (it refers back to itself through "
                              "sh:node, sh:property or a logical constraint); SHACL leaves its validation undefined")
        stack = stack + (shape,)
        if g.objects(shape, sh("sparql")):
            raise ShapesError(f"the shape {name(shape)} has a SPARQL constraint and is used through sh:node, sh:not, "
                              "sh:and, sh:or, sh:xone, sh:property of a nested shape or sh:qualifiedValueShape: not supported")
        path_node = g.value(shape, sh("path"))
        if path_node is None:
            return self._conforms_node(shape, x, via, stack)
        p = self.path(path_node)
        if self._reads_values(shape):
            self.look_through.update("/".join((*via, q)) for q in self._path_prefixes(path_node))
        a, parts = self._var(), []
        tests = [test for _, test, *_ in self._value_tests(shape, a, x, via + (p,), stack)]
        if tests:
            parts.append(f"NOT EXISTS {{ {x} {p} {a} FILTER (!({' && '.join(tests)})) }}")
        for n in g.objects(shape, sh("minCount")):
            parts.append(self._count_test(x, p, None, ">=", _integer(n, "minCount")))
        for m in g.objects(shape, sh("maxCount")):
            parts.append(self._count_test(x, p, None, "<=", _integer(m, "maxCount")))
        for value in g.objects(shape, sh("hasValue")):
            parts.append(f"EXISTS {{ {x} {p} {self._constant(value, 'sh:hasValue')} }}")
        for other in g.objects(shape, sh("equals")):
            o = self._constant(other, "sh:equals")
            parts.append(f"NOT EXISTS {{ {x} {p} {a} FILTER NOT EXISTS {{ {x} {o} {a} }} }} && "
                         f"NOT EXISTS {{ {x} {o} {a} FILTER NOT EXISTS {{ {x} {p} {a} }} }}")
        for other in g.objects(shape, sh("disjoint")):
            parts.append(f"NOT EXISTS {{ {x} {p} {a} . {x} {self._constant(other, 'sh:disjoint')} {a} }}")
        for local, operator in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in g.objects(shape, sh(local)):
                b = self._var()
                parts.append(f"NOT EXISTS {{ {x} {p} {a} . {x} {self._constant(other, 'sh:' + local)} {b} "
                             f"FILTER (!COALESCE({a} {operator} {b}, false)) }}")
        if g.is_true(shape, "uniqueLang"):
            b = self._var()
            parts.append(f"NOT EXISTS {{ {x} {p} {a} . {x} {p} {b} FILTER (isLiteral({a}) && isLiteral({b}) && "
                         f"!sameTerm({a}, {b}) && LANG({a}) != \"\" && LANG({a}) = LANG({b})) }}")
        for qualified in g.objects(shape, sh("qualifiedValueShape")):
            b = self._var()
            condition = (b, self._qualified(shape, qualified, b, via + (p,), stack))
            if (low := g.value(shape, sh("qualifiedMinCount"))) is not None:
                parts.append(self._count_test(x, p, condition, ">=", _integer(low, "qualifiedMinCount")))
            if (high := g.value(shape, sh("qualifiedMaxCount"))) is not None:
                parts.append(self._count_test(x, p, condition, "<=", _integer(high, "qualifiedMaxCount")))
        if g.is_true(shape, "closed"):
            parts.append(f"NOT EXISTS {{ {x} {p} {a} . {a} ?_p ?_o {self._closed_filter(shape)} }}")
        for nested in g.objects(shape, sh("property")):
            parts.append(f"NOT EXISTS {{ {x} {p} {a} FILTER (!{self.conforms(nested, a, via + (p,), stack)}) }}")
        for component, parameters, validator, kind in self._custom_uses(shape, path_node):
            if kind == "select":
                raise ShapesError(f"the SPARQL-based constraint component {name(component)} used by {name(shape)} inside another "
                                  "shape has a SELECT validator: not supported there")
        return "(" + (" && ".join(parts) or "true") + ")"

    def _conforms_node(self, shape, x, via, stack) -> str:
        g = self.g
        parts = [test for _, test, *_ in self._value_tests(shape, x, x, via, stack)]
        for other in g.objects(shape, sh("equals")):
            o = self._constant(other, "sh:equals")
            a = self._var()
            parts.append(f"(EXISTS {{ {x} {o} {x} }} && NOT EXISTS {{ {x} {o} {a} FILTER (!sameTerm({a}, {x})) }})")
        for other in g.objects(shape, sh("disjoint")):
            parts.append(f"NOT EXISTS {{ {x} {self._constant(other, 'sh:disjoint')} {x} }}")
        for local, operator in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in g.objects(shape, sh(local)):
                a = self._var()
                parts.append(f"NOT EXISTS {{ {x} {self._constant(other, 'sh:' + local)} {a} FILTER (!COALESCE({x} {operator} {a}, false)) }}")
        for n in g.objects(shape, sh("minCount")):
            parts.append("true" if _integer(n, "minCount") <= 1 else "false")
        for m in g.objects(shape, sh("maxCount")):
            parts.append("true" if _integer(m, "maxCount") >= 1 else "false")
        for qualified in g.objects(shape, sh("qualifiedValueShape")):
            count = f"IF({self._qualified(shape, qualified, x, via, stack)}, 1, 0)"
            if (low := g.value(shape, sh("qualifiedMinCount"))) is not None:
                parts.append(f"({count} >= {_integer(low, 'qualifiedMinCount')})")
            if (high := g.value(shape, sh("qualifiedMaxCount"))) is not None:
                parts.append(f"({count} <= {_integer(high, 'qualifiedMaxCount')})")
        if g.is_true(shape, "closed"):
            parts.append(f"NOT EXISTS {{ {x} ?_p ?_o {self._closed_filter(shape)} }}")
        for nested in g.objects(shape, sh("property")):
            parts.append(self.conforms(nested, x, via, stack))
        for component, parameters, validator, kind in self._custom_uses(shape, None):
            if kind == "select":
                raise ShapesError(f"the SPARQL-based constraint component {name(component)} used by {name(shape)} inside another "
                                  "shape has a SELECT validator: not supported there")
        return "(" + (" && ".join(parts) or "true") + ")"

    def _closed_filter(self, shape) -> str:
        allowed = self._allowed_properties(shape)
        return f"FILTER (?_p NOT IN ({', '.join(allowed)}))" if allowed else ""

    def _count_test(self, x, p, condition, operator, n) -> str:
        """Whether the number of distinct values of `x` is `operator` (>= or <=) n; `condition` is None
        (every value counts) or (variable, test on it) for the values that count."""
        if condition is None and n <= 1:
            a, b = self._var(), self._var()
            return {(">=", 0): "true", (">=", 1): f"EXISTS {{ {x} {p} {a} }}", ("<=", 0): f"NOT EXISTS {{ {x} {p} {a} }}",
                    ("<=", 1): f"NOT EXISTS {{ {x} {p} {a} . {x} {p} {b} FILTER (!sameTerm({a}, {b})) }}"}[operator, n]
        v, test = condition or (self._var(), None)
        focus, count = self._var("x"), self._var("count")
        inner = f"{focus} {p} {v}" + (f" FILTER ({test})" if test else "")
        violated = (f"EXISTS {{ BIND ({x} AS {focus}) LATERAL {{ SELECT {focus} (COUNT(DISTINCT {v}) AS {count}) "
                    f"WHERE {{ {inner} }} GROUP BY {focus} }} FILTER ({count} {'<' if operator == '>=' else '>'} {n}) }}")
        if operator == ">=" and n > 0:  # no value that counts gives no group at all: fewer than n
            some = f"EXISTS {{ {x} {p} {v}" + (f" FILTER ({test})" if test else "") + " }"
            return f"({some} && !{violated})"
        return f"!{violated}"

    # --- SHACL-SPARQL --------------------------------------------------------------------------------
    def _constraint_components(self) -> dict:
        """Constraint components defined in the shapes graph: IRI -> (parameters, validators)."""
        components = {}
        for component in self.g.instances(SH + "ConstraintComponent"):
            parameters = []
            for parameter in self.g.objects(component, sh("parameter")):
                path = self.g.value(parameter, sh("path"))
                if not isinstance(path, ox.NamedNode):
                    raise ShapesError(f"a parameter of {name(component)} needs an IRI as sh:path")
                parameters.append((path, self.g.is_true(parameter, "optional")))
            validators = {local: self.g.value(component, sh(local)) for local in ("validator", "nodeValidator", "propertyValidator")}
            components[component] = (parameters, validators)
        return components

    def _custom_uses(self, shape, path) -> list:
        """(component, {parameter name: SPARQL term}, validator, "ask" or "select") for each use by `shape`."""
        uses = []
        for component, (parameters, validators) in self._components.items():
            required = [p for p, optional in parameters if not optional]
            if not required or not all(self.g.objects(shape, p) for p in required):
                continue
            validator = validators["propertyValidator" if path else "nodeValidator"] or validators["validator"]
            if validator is None:
                raise ShapesError(f"the constraint component {name(component)} has no validator for "
                                  f"{'property' if path else 'node'} shapes")
            kind = "ask" if self.g.value(validator, sh("ask")) is not None else "select"
            local = lambda iri: re.split(r"[#/]", iri.value)[-1]
            present = [p for p, _ in parameters if self.g.objects(shape, p)]
            for values in product(*(self.g.objects(shape, p) for p in present)):
                uses.append((component, {local(p): self._constant(v, f"the parameter {local(p)}") for p, v in zip(present, values)},
                             validator, kind))
        return uses

    def _compile_select(self, context, constraint, component, message, parameters):
        """A SELECT-based SPARQL constraint (or validator) as a check, with $this pre-bound."""
        shape, focus, path, outcome = context
        select = _sparql_body(constraint, self.g, "sh:select")
        where = f"{name(constraint)} of {name(shape)}"
        parsed = _parse_sparql(self.prologue + select, where)
        tree = parsed[1]
        _refuse_unsupported(tree, where, {"this", "currentShape", "shapesGraph", *parameters})
        if re.search(r"[?$]shapesGraph\b", select):
            self.uses_shapes_graph = True
        text = _substitute(select, {**parameters, **({"PATH": path} if path else {}), **self._prebound(shape)}, {})
        if re.search(r"[?$]currentShape\b", text):
            raise ShapesError(f"{where} uses $currentShape, but the shape is a blank node, which a query cannot name")
        text = re.sub(r"\$this\b", "?this", text)
        outcomes = (replace(outcome(component, ""), message=message or outcome(component, "").message, value_is_focus=True),)
        by_join, projects_this = _prebinding_by_join(tree), _projects_this(tree)
        self.join_properties.update(_compared_properties(parsed))  # (translating the tree changes it)
        if by_join:
            self._check(Check(self.prologue + _at_where(text, focus.block), outcomes))
        elif projects_this:
            self._check(Check(self.prologue + f"SELECT * WHERE {{ {focus.block} LATERAL {{ {text} }} }}", outcomes))
        else:
            self._check(Check(self.prologue + text, outcomes, per_focus=True,
                              focus_query=self.prologue + f"SELECT ?this WHERE {{ {focus.block} }}"))


def _rename_this(pattern: str, variable: str) -> str:
    return re.sub(r"\?this\b", variable, pattern)


def well_formed(v: str, datatype: str) -> str:
    """A SPARQL test that the literal in `v` has a lexical form valid for `datatype` (true when the
    datatype is not one of XSD's the store can check)."""
    local = datatype[len(XSD):] if datatype.startswith(XSD) else None
    if local in _CASTS:
        return f"COALESCE(DATATYPE(<{datatype}>(STR({v}))) = <{datatype}>, false)"
    if local in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[local]
        cast = f"<{XSD}integer>(STR({v}))"
        ranges = "".join(f" && {cast} {op} {bound}" for op, bound in ((">=", low), ("<=", high)) if bound is not None)
        return f"COALESCE(DATATYPE({cast}) = <{XSD}integer>{ranges}, false)"
    if local == "dateTimeStamp":
        return f"COALESCE(TZ(<{XSD}dateTime>(STR({v}))) != \"\", false)"
    if local in _LEXICAL_PATTERNS:
        return f"REGEX(STR({v}), {_string(_LEXICAL_PATTERNS[local])})"
    return "true"


def _integer(literal, what: str) -> int:
    try:
        return int(literal.value)
    except (AttributeError, ValueError):
        raise ShapesError(f"sh:{what} must be an integer, not {literal}") from None


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _at_where(select: str, pattern: str) -> str:
    """A SELECT (or ASK) query with `pattern` at the start of its WHERE block."""
    match = re.search(r"\bWHERE\s*\{", select, flags=re.IGNORECASE) or re.search(r"\{", select)
    if match is None:
        raise ShapesError(f"a SPARQL query without a WHERE block: {select.strip()[:60]}")
    return select[:match.end()] + f" {pattern} " + select[match.end():]


def _sparql_body(node, g: ShapesGraph, what: str) -> str:
    text = g.value(node, sh(what.split(":")[1]))
    if not isinstance(text, ox.Literal):
        raise ShapesError(f"{name(node)} needs {what} with the query")
    return text.value


def _substitute(query: str, values: dict, prebound: dict) -> str:
    """The query with $name (and ?name, for pre-bound names) replaced by SPARQL terms, where given."""
    for key, term in {**prebound, **values}.items():
        if term is not None:
            query = re.sub(r"\bbound\s*\(\s*[$?]" + re.escape(key) + r"\s*\)", "(true)", query, flags=re.IGNORECASE)
            query = re.sub(r"[$?]" + re.escape(key) + r"\b", lambda _: term, query)
    return query


def _parse_sparql(text: str, where: str):
    from rdflib.plugins.sparql.parser import parseQuery
    try:
        return parseQuery(text)
    except Exception as error:  # pyparsing's errors: the query does not parse
        raise ShapesError(f"{where}: SPARQL syntax error: {str(error).splitlines()[0]}") from None


def _get(node, key: str):
    """A child of an rdflib syntax-tree node, or None (CompValue.get answers a missing key with its name)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _walk(node, into_exists: bool = True):
    """Every node of an rdflib SPARQL syntax tree (not inside EXISTS patterns unless `into_exists`)."""
    from pyparsing import ParseResults
    yield node
    if not into_exists and getattr(node, "name", None) in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple, ParseResults)):
        children = node
    else:
        return
    for child in children:
        yield from _walk(child, into_exists)


def _mentions(node, variable: str = "this") -> bool:
    from rdflib.term import Variable
    return any(isinstance(n, Variable) and str(n) == variable for n in _walk(node))


def _refuse_unsupported(tree, where: str, prebound: set):
    """The SPARQL features SHACL excludes from pre-binding queries (SHACL 5.3.1) raise ShapesError."""
    for node in _walk(tree):
        kind = getattr(node, "name", None)
        if kind in ("MinusGraphPattern", "ServiceGraphPattern", "InlineData"):
            raise ShapesError(f"{where} uses {dict(MinusGraphPattern='MINUS', ServiceGraphPattern='SERVICE', InlineData='VALUES')[kind]}, "
                              "which SHACL does not allow in a SPARQL constraint")
        if kind == "SubSelect" and not any(_mentions(v, "this") for v in _get(node, "projection") or []):
            raise ShapesError(f"{where} has a nested SELECT that does not project $this, which SHACL does not allow")
        if kind == "Bind" and str(_get(node, "var")) in prebound:
            raise ShapesError(f"{where} binds the pre-bound variable ${_get(node, 'var')} (AS), which SHACL does not allow")
    if _get(tree, "valuesClause"):
        raise ShapesError(f"{where} uses VALUES, which SHACL does not allow in a SPARQL constraint")


def _prebinding_by_join(tree) -> bool:
    """Whether joining the focus nodes at the start of the WHERE block gives the results of pre-binding
    $this: it does when every FILTER or BIND that reads $this sees it bound."""
    if _get(tree, "limitoffset") or not _projects_this(tree):
        return False
    groupby = _get(tree, "groupby")
    if groupby is not None and not _mentions(groupby):
        return False
    return _group_safe(_get(tree, "where"), bound=True, filters_bound=True)


def _projects_this(tree) -> bool:
    projection = _get(tree, "projection")
    return projection is None or any(_mentions(_get(v, "var")) for v in projection)


def _group_safe(group, bound: bool, filters_bound: bool) -> bool:
    """Whether, in a group where ?this is bound (`bound`) or its FILTERs see it bound, every use of ?this
    sees it bound."""
    if group is None:
        return True
    if getattr(group, "name", None) == "SubSelect":
        return not _mentions(group)
    parts = _get(group, "part") or []
    binds_itself = any(p.name == "TriplesBlock" and _mentions(p) for p in parts)
    filters_bound = filters_bound or bound or binds_itself
    for part in parts:
        if part.name == "TriplesBlock":
            bound = bound or _mentions(part)
        elif part.name == "Filter":
            if not _expression_safe(_get(part, "expr"), filters_bound):
                return False
        elif part.name == "Bind":
            if not _expression_safe(_get(part, "expr"), bound):
                return False
        elif part.name == "OptionalGraphPattern":
            if not _group_safe(_get(part, "graph"), False, bound):
                return False
        elif part.name == "GroupOrUnionGraphPattern":
            if not all(_group_safe(g, False, False) for g in _get(part, "graph")):
                return False
        elif part.name == "GraphGraphPattern":
            if not _group_safe(_get(part, "graph"), False, False):
                return False
        elif _mentions(part):
            return False
    return True


def _expression_safe(expression, bound: bool) -> bool:
    """An expression reading ?this needs it bound; the patterns of its EXISTS see what the row binds."""
    from rdflib.term import Variable
    outside = any(isinstance(n, Variable) and str(n) == "this" for n in _walk(expression, into_exists=False))
    exists = [n for n in _walk(expression) if getattr(n, "name", None) in ("Builtin_EXISTS", "Builtin_NOTEXISTS")]
    return (bound or not outside) and all(_group_safe(_get(e, "graph"), bound, bound) for e in exists)


def _compared_properties(parsed) -> set:
    """Properties a SPARQL rule compares across focus nodes: P in `$this P ?x . ?other P ?x`."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.term import URIRef, Variable
    try:
        algebra = translateQuery(parsed).algebra
    except Exception:  # rdflib cannot translate it: no property is known to be compared
        return set()
    triples = [t for node in _walk(algebra) if getattr(node, "name", None) == "BGP" for t in node.get("triples") or []]
    return {f"<{p1}>" for s1, p1, o1 in triples for s2, p2, o2 in triples
            if isinstance(p1, URIRef) and p1 == p2 and isinstance(o1, Variable) and o1 == o2
            and s1 == Variable("this") and isinstance(s2, Variable) and s2 != s1}


def run_checks(compiled: CompiledShapes, store: ox.Store, focus: str = "", default_graph=None, named_graphs=None,
               parallel: bool = False) -> list:
    """Run every check on a pyoxigraph store: (check, outcome, solution) for each result row. `focus` is
    the pattern restricting ?this (empty: every target); `default_graph` and `named_graphs` pick the
    store's graphs as pyoxigraph's query does. With `parallel`, for a large in-memory store only (the
    caller says so), on Linux with several cores the checks are run by this process and a forked copy
    of it, which reads the same pages: each takes the next group of checks (those starting from the same
    focus nodes, which it finds once) until none is left, and the copy sends its rows back (two
    processes, each with a GIL of its own, are quicker there than two threads: 11.9 s against 12.9 s
    for a graph of 1M triples). Otherwise the checks run in threads, one a core (see _check_rows):
    a persistent store cannot be forked."""
    checks = compiled.checks if focus else compiled.full_checks
    options = {"default_graph": default_graph, "named_graphs": named_graphs}
    groups = _groups(compiled, checks) if parallel and sys.platform.startswith("linux") and cores() > 1 else []
    if not 1 < len(groups) < 256:
        return _check_rows(compiled, store, checks, focus, options, threads=cores())
    queue, queued = os.pipe()  # one byte per group; a read of one byte takes one group, whichever process reads it
    os.write(queued, bytes(range(len(groups))))
    os.close(queued)
    answers, answered = os.pipe()

    def taken(as_values: bool) -> list:
        rows = []
        while group := os.read(queue, 1):
            rows += _check_rows(compiled, store, [checks[k] for k in groups[group[0]]], focus, options, as_values)
        return rows
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # the copy: its rows, as check and outcome numbers and bound values, then it ends
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _end_with(parent)
            os.close(answers)
            number = {id(check): k for k, check in enumerate(checks)}
            found = [(number[id(check)], check.outcomes.index(outcome), values) for check, outcome, values in taken(True)]
            with os.fdopen(answered, "wb") as out:
                pickle.dump(found, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(answered)
    try:
        with os.fdopen(answers, "rb") as source:
            rows = taken(False)
            data = source.read()
        _, status = os.waitpid(child, 0)
        child = None
        if status != 0 or not data:
            raise RuntimeError("the process running half of the checks failed")
        found = pickle.loads(data)
    finally:
        os.close(queue)
        if child is not None:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    return rows + [(checks[c], checks[c].outcomes[o], values) for c, o, values in found]


def _end_with(parent: int) -> None:
    """Have the kernel end this process when its parent ends, so that a killed validation leaves no copy
    working on."""
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before that was asked
        os._exit(1)


def _groups(compiled: CompiledShapes, checks) -> list[list[int]]:
    """The numbers of `checks` in groups that start from the same focus blocks (a check that starts from
    none is alone): those with blocks to find first, the largest first, so that two processes taking
    them in turn end together."""
    groups = {}
    for number, check in enumerate(checks):
        groups.setdefault(_blocks_of(compiled, check) or number, []).append(number)
    return [groups[key] for key in sorted(groups, key=lambda key: (isinstance(key, int), -len(groups[key])))]


def _blocks_of(compiled: CompiledShapes, check) -> tuple[str, ...]:
    """The focus blocks a check's queries start from, in a fixed order."""
    return tuple(b for b in sorted(compiled.blocks) if b in check.query or b in check.focus_query)


def _check_rows(compiled: CompiledShapes, store: ox.Store, checks, focus: str, options, as_values: bool = False,
                threads: int = 1) -> list:
    """The rows of `checks` (see run_checks), each solution as a dict of its bound values when
    `as_values`. Each focus block that several of them use (or, from an addition's focus nodes, any) is
    found once, kept in a graph of its own while they run, so that a check starts from it (pyoxigraph
    then evaluates a check's patterns from the focus nodes, where it would join a target's subquery with
    their whole extent), and removed; a block one check uses stays its subquery, found as it runs.
    With `threads` > 1, the blocks and then the checks are run by that many threads: pyoxigraph lets go
    of the GIL while it plans and evaluates a query, so that as many queries run at once (an addition
    to a store of 10M triples is checked in half the time on two cores)."""
    scratch = ox.NamedNode(f"urn:menaka-kg:validation:targets-{uuid.uuid4().hex}")
    named = options["named_graphs"]
    options = {**options, "named_graphs": None if named is None else [*named, scratch]}
    found = {}  # block -> the pattern of its materialized focus nodes
    empty = set()  # the materialized blocks without a focus node

    def resolved(text: str) -> str:
        for block in sorted(found, key=len, reverse=True):  # a nested block holds its outer block's text
            text = text.replace(block, found[block])
        return text.replace(FOCUS, focus)

    def focus_nodes(block) -> list:
        return [s["this"] for s in store.query(compiled.prologue + f"SELECT ?this WHERE {{ {resolved(block)} }}", **options)]
    try:
        blocks = [_blocks_of(compiled, check) for check in checks]
        uses = Counter(block for starts in blocks for block in starts)
        used = [b for b, count in uses.items() if count > (0 if focus else 1)]
        numbers = {block: number for number, block in enumerate(sorted(used, key=len))}
        waiting = set(used)
        while waiting:  # a nested block is found after the blocks it holds, from their nodes
            ready = [b for b in waiting if not any(o in waiting and o != b and o in b for o in used)]
            for block, nodes in zip(ready, in_threads(focus_nodes, [(block,) for block in ready], threads)):
                key = ox.NamedNode(f"{scratch.value}#{numbers[block]}")
                store.extend([ox.Quad(key, scratch, node, scratch) for node in nodes])
                found[block] = f"GRAPH {scratch} {{ {key} {scratch} ?this }}"
                if not nodes:
                    empty.add(block)
            waiting.difference_update(ready)

        def rows_of(check, starts):
            if not empty.isdisjoint(starts):
                # every check joins its focus block as a required part (or, per focus node, runs once
                # for each of them): without a focus node it has no result, and is not run
                return []
            if check.per_focus:
                nodes = [s["this"] for s in store.query(resolved(check.focus_query), **options)]
                answers = (store.query(resolved(check.query), substitutions={ox.Variable("this"): node}, **options)
                           for node in nodes)
            else:
                answers = [store.query(resolved(check.query), **options)]
            rows = []
            for solutions in answers:
                names = [v.value for v in solutions.variables]
                for solution in solutions:
                    kept = {n: v for n, v in zip(names, solution) if v is not None} if as_values else solution
                    rows += [(check, outcome, kept) for outcome in check.outcomes
                             if outcome.flag is None or _true(solution, outcome.flag[1:])]
            return rows
        return [row for rows in in_threads(rows_of, list(zip(checks, blocks)), threads) for row in rows]
    finally:
        store.remove_graph(scratch)


def _true(solution, variable: str) -> bool:
    value = solution[variable]
    return value is not None and value.value == "true"
