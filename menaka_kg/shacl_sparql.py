"""The SHACL shapes compiled into SPARQL queries that run on the embedded store (Oxigraph).

pySHACL evaluates constraints node by node on rdflib's engine, which is slow beyond ~10k triples. Each
constraint here becomes one SELECT over all its targets at once (or over given focus nodes), returning
the violating focus nodes and values, so validation is as fast as the store's query engine. It covers the
SHACL our shapes use: targets by class, by subjects of a property and by a SPARQL query; minCount,
maxCount, datatype (with well-formedness), class, in, hasValue, node, or, lessThanOrEquals,
minInclusive, pattern, nodeKind on simple paths; SHACL-SPARQL constraints; severities and messages.
The test suite checks that its results are those of pySHACL.
"""

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from menaka_kg.prefixes import PREFIXES

SH = PREFIXES["sh"]
XSD = PREFIXES["xsd"]
PROLOGUE = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"
_WELL_FORMED = {XSD + t: f"xsd:{t}" for t in ("date", "integer", "boolean", "decimal", "double", "dateTime")}


def sh(local: str) -> URIRef:
    return URIRef(SH + local)


def term(node) -> str:
    """A shapes-graph term in SPARQL syntax."""
    if isinstance(node, Literal):
        return node.n3()
    return f"<{node}>"


def well_formed(var: str) -> str:
    """True unless `var` is a literal whose lexical form is not valid for its (known) datatype."""
    cases = " ".join(f"IF(DATATYPE({var}) = {cast}, COALESCE({cast}(STR({var})) = {var}, false)," for cast in _WELL_FORMED.values())
    return f"(!isLiteral({var}) || {cases} true{')' * len(_WELL_FORMED)})"


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the query, and what its rows mean."""

    query: str
    shape: str
    path: str | None
    component: str
    severity: str
    message: str
    value_is_focus: bool = False


class CompiledShapes:
    """The shapes graph as a list of SPARQL checks."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self.prefixes = self._declared_prefixes()
        self.checks: list[Check] = []
        for shape in sorted(set(shapes.subjects(RDF.type, sh("NodeShape"))), key=str):
            targets = self._targets(shape)
            if targets:
                self._compile_node_shape(shape, targets)

    # --- targets -----------------------------------------------------------------------------------
    def _declared_prefixes(self) -> str:
        lines = []
        for declaration in self.g.objects(None, sh("declare")):
            lines.append(f"PREFIX {self.g.value(declaration, sh('prefix'))}: <{self.g.value(declaration, sh('namespace'))}>")
        return "\n".join(sorted(set(lines))) + "\n"

    def _targets(self, shape) -> list[str]:
        """One group pattern per target, each opening with a #FOCUS# marker where a VALUES block of
        focus nodes goes, so that checking a few nodes never scans the whole graph."""
        patterns = [f"{{ #FOCUS# ?this rdf:type/rdfs:subClassOf* {term(c)} }}" for c in self.g.objects(shape, sh("targetClass"))]
        patterns += [f"{{ #FOCUS# ?this {term(p)} ?targetObject }}" for p in self.g.objects(shape, sh("targetSubjectsOf"))]
        for target in self.g.objects(shape, sh("target")):
            patterns.append("{ " + with_focus(str(self.g.value(target, sh("select")))) + " }")
        return patterns

    @staticmethod
    def target_block(targets: list[str]) -> str:
        """The focus nodes: `?this` bound to each target."""
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(targets) + " } }"

    # --- node shapes --------------------------------------------------------------------------------
    def _severity(self, shape) -> str:
        severity = self.g.value(shape, sh("severity"))
        return str(severity).rsplit("#", 1)[-1] if severity else "Violation"

    def _message(self, shape) -> str:
        message = self.g.value(shape, sh("message"))
        return str(message) if message is not None else ""

    def _compile_node_shape(self, shape, targets):
        block = self.target_block(targets)
        severity = self._severity(shape)
        for property_shape in self.g.objects(shape, sh("property")):
            self._compile_property_shape(property_shape, block)
        for alternatives in self.g.objects(shape, sh("or")):
            conforms = " || ".join(self._conforms(alt, "?this") for alt in Collection(self.g, alternatives))
            self._add(f"SELECT ?this WHERE {{ {block} FILTER (!({conforms})) }}", shape, None,
                      "OrConstraintComponent", severity, self._message(shape), value_is_focus=True)
        for constraint in self.g.objects(shape, sh("sparql")):
            select = with_focus(re.sub(r"\$this\b", "?this", str(self.g.value(constraint, sh("select")))))
            query = f"SELECT * WHERE {{ {block} {{ {select} }} }}"
            self._add(query, shape, None, "SPARQLConstraintComponent", severity,
                      str(self.g.value(constraint, sh("message")) or ""), value_is_focus=True)

    def _compile_property_shape(self, shape, block):
        path = self.g.value(shape, sh("path"))
        if not isinstance(path, URIRef):
            raise NotImplementedError(f"only simple paths are compiled (shape {shape})")
        p, g = term(path), self.g
        severity, message = self._severity(shape), self._message(shape)
        values = f"{block} ?this {p} ?value ."

        def add(query, component):
            self._add(query, shape, str(path), component, severity, message)

        if (n := g.value(shape, sh("minCount"))) is not None:
            add(f"SELECT ?this WHERE {{ {block} OPTIONAL {{ ?this {p} ?value }} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) < {int(n)})", "MinCountConstraintComponent")
        if (n := g.value(shape, sh("maxCount"))) is not None:
            add(f"SELECT ?this WHERE {{ {block} ?this {p} ?value }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) > {int(n)})", "MaxCountConstraintComponent")
        for constraint, test in self._value_tests(shape):
            add(f"SELECT ?this ?value WHERE {{ {values} FILTER (!({test})) }}", constraint)
        if (other := g.value(shape, sh("lessThanOrEquals"))) is not None:
            add(f"SELECT ?this ?value WHERE {{ {values} ?this {term(other)} ?other . "
                f"FILTER ({well_formed('?value')} && {well_formed('?other')} && !COALESCE(?value <= ?other, false)) }}",
                "LessThanOrEqualsConstraintComponent")
        if (value := g.value(shape, sh("hasValue"))) is not None:
            add(f"SELECT ?this WHERE {{ {block} FILTER NOT EXISTS {{ ?this {p} {term(value)} }} }}",
                "HasValueConstraintComponent")

    def _value_tests(self, shape):
        """(component, SPARQL test that ?value passes) for the constraints on each value."""
        g = self.g
        if (datatype := g.value(shape, sh("datatype"))) is not None:
            yield "DatatypeConstraintComponent", (f"isLiteral(?value) && DATATYPE(?value) = {term(datatype)} "
                                                  f"&& LANG(?value) = \"\" && {well_formed('?value')}")
        if (klass := g.value(shape, sh("class"))) is not None:
            yield "ClassConstraintComponent", f"EXISTS {{ ?value rdf:type/rdfs:subClassOf* {term(klass)} }}"
        if (members := g.value(shape, sh("in"))) is not None:
            yield "InConstraintComponent", f"?value IN ({', '.join(term(m) for m in Collection(g, members))})"
        if (node := g.value(shape, sh("node"))) is not None:
            yield "NodeConstraintComponent", self._conforms(node, "?value")
        if (alternatives := g.value(shape, sh("or"))) is not None:
            yield "OrConstraintComponent", " || ".join(self._conforms(a, "?value") for a in Collection(g, alternatives))
        if (low := g.value(shape, sh("minInclusive"))) is not None:
            yield "MinInclusiveConstraintComponent", f"!{well_formed('?value')} || COALESCE(?value >= {term(low)}, false)"
        if (pattern := g.value(shape, sh("pattern"))) is not None:
            yield "PatternConstraintComponent", f"!isBlank(?value) && REGEX(STR(?value), {Literal(str(pattern)).n3()})"
        if (kind := g.value(shape, sh("nodeKind"))) is not None:
            yield "NodeKindConstraintComponent", {SH + "IRI": "isIRI(?value)", SH + "Literal": "isLiteral(?value)",
                                                  SH + "BlankNode": "isBlank(?value)"}[str(kind)]

    def _conforms(self, shape, var: str) -> str:
        """A SPARQL expression: does `var` conform to `shape` (its own constraints and property shapes)?"""
        g, tests = self.g, []
        for constraint, test in self._value_tests(shape):
            tests.append(test.replace("?value", var))
        for property_shape in [shape, *g.objects(shape, sh("property"))]:
            path = g.value(property_shape, sh("path"))
            if path is None:
                continue
            p = term(path)
            if (n := g.value(property_shape, sh("minCount"))) is not None:
                tests.append(f"EXISTS {{ {var} {p} ?v1 }}" if int(n) == 1 else
                             f"EXISTS {{ SELECT (COUNT(*) AS ?c) WHERE {{ {var} {p} ?v }} HAVING (?c >= {int(n)}) }}")
            if (n := g.value(property_shape, sh("maxCount"))) is not None:
                if int(n) != 1:
                    raise NotImplementedError("nested sh:maxCount other than 1")
                tests.append(f"NOT EXISTS {{ {var} {p} ?v1, ?v2 . FILTER (?v1 != ?v2) }}")
            if (value := g.value(property_shape, sh("hasValue"))) is not None:
                tests.append(f"EXISTS {{ {var} {p} {term(value)} }}")
            inner = f"{var}_v"
            for constraint, test in (self._value_tests(property_shape) if property_shape != shape else []):
                tests.append(f"NOT EXISTS {{ {var} {p} {inner} . FILTER (!({test.replace('?value', inner)})) }}")
        return "(" + " && ".join(tests or ["true"]) + ")"

    def _add(self, query, shape, path, component, severity, message, value_is_focus=False):
        self.checks.append(Check(PROLOGUE + self.prefixes + query, _name(shape), path, component, severity,
                                 message, value_is_focus))


def with_focus(select: str) -> str:
    """A SELECT query with the #FOCUS# marker at the start of its WHERE block."""
    match = re.search(r"\bWHERE\s*\{", select, flags=re.IGNORECASE)
    if match is None:
        raise NotImplementedError(f"a SELECT without WHERE: {select[:60]}")
    return select[:match.end()] + " #FOCUS# " + select[match.end():]


def _name(node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def run_checks(compiled: CompiledShapes, store, focus_nodes=None) -> list[tuple]:
    """Run every check on a pyoxigraph Store; rows of (check, focus, path, value, bindings)."""
    focus = ""
    if focus_nodes is not None:
        import pyoxigraph as ox
        focus = "VALUES ?this { " + " ".join(str(n) for n in focus_nodes if isinstance(n, ox.NamedNode)) + " }"
    rows = []
    for check in compiled.checks:
        for solution in store.query(check.query.replace("#FOCUS#", focus)):
            this = solution["this"]
            path = check.path
            try:
                path = solution["path"].value if solution["path"] is not None else path
            except KeyError:
                pass
            try:
                value = solution["value"]
            except KeyError:
                value = None
            if value is None and check.value_is_focus:
                value = this
            rows.append((check, this, path, value, solution))
    return rows
