"""Exporting the graph for other triplestores: six RDF formats, the same bytes for the same graph.

Triples are sorted by their N-Triples form and blank nodes get canonical labels (menaka_kg.blank_nodes,
in polynomial time, prefixed with the part they come from), so a diff of two exports shows what changed in
the knowledge, not in the serializer. The quad formats (N-Quads, TriG) put each part in a named graph of
its own under https://w3id.org/menaka-kg/graph/ (ontology, data, shapes, derived, added, inferred,
snapshot). The derived part holds the readings of the reasoning layer (menaka_kg.reasoning), so that a
triplestore loaded with the export answers the stored queries as the embedded store does.
"""

import hashlib
import json

import pyoxigraph as ox

from menaka_kg import resources
from menaka_kg.blank_nodes import canonical_labels
from menaka_kg.errors import DataError, QueryError, shown
from menaka_kg.periods import OPEN_END, OPEN_START, parse_period
from menaka_kg.prefixes import BASE, PREFIXES, shorten
from menaka_kg.store import EmbeddedStore

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
           "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld",
              ".rdf": "rdfxml", ".xml": "rdfxml"}
GRAPHS = BASE + "graph/"
SNAPSHOT = BASE + "snapshot/"
DENIED = PREFIXES["mkc"] + "denied"  # a denial says the relation does NOT hold: never a snapshot triple
_PREFIXED_FORMATS = ("turtle", "trig", "rdfxml")
# What an export holds unless told otherwise: the graph and the readings the stored queries need.
PARTS = ("ontology", "data", "shapes", "derived")
DEFAULT_PARTS = ("ontology", "data", "derived")
# datatypes that compact JSON-LD writes as JSON booleans and numbers
_JSON_NATIVE = {PREFIXES["xsd"] + name for name in ("boolean", "integer", "double")}

_RDF, _RDFS, _OWL, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["xsd"]
# owlrl writes these for every resource, class or property; they say nothing about the Ménaka offensive.
_TRIVIAL_OBJECTS = {_OWL + "Thing", _RDFS + "Resource"}
_SCHEMA_PREDICATES = {_RDF + "type", _RDFS + "subClassOf", _RDFS + "domain", _RDFS + "range"}


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def canonical(triples, part: str) -> list[ox.Triple]:
    """The triples without duplicates, sorted by N-Triples form, blank nodes relabelled canonically
    (menaka_kg.blank_nodes, prefixed with the part)."""
    by_text = {str(t): t for t in triples if not _has_blank(t)}
    blank = [t for t in triples if _has_blank(t)]
    if blank:
        labels = {value: ox.BlankNode(label) for value, label in canonical_labels(blank, part).items()}

        def relabel(term):
            return labels[term.value] if isinstance(term, ox.BlankNode) else term
        by_text.update((str(t), t) for t in (ox.Triple(relabel(t.subject), t.predicate, relabel(t.object)) for t in blank))
    return [by_text[key] for key in sorted(by_text)]


def _file_triples(paths) -> list[ox.Triple]:
    store = EmbeddedStore()
    for path in paths:
        store.load(path)
    return [quad.triple for quad in store.raw]


def derived_triples(paths) -> list[ox.Triple]:
    """The readings the reasoning layer derives from these Turtle files (menaka_kg.reasoning)."""
    from menaka_kg.reasoning import derive
    store = EmbeddedStore()
    for path in paths:
        store.load(path)
    return [quad.triple for quad in derive(store.raw)]


def graph_parts(include=DEFAULT_PARTS, data=(), inferred: bool = False) -> dict[str, list[ox.Triple]]:
    """The bundled parts named in `include` (ontology, data, shapes, and "derived": the readings of the
    ontology, the data and the user's files), the user's `data` files ("added") and, with `inferred`, the
    OWL 2 RL closure ("inferred"), each as canonical triples."""
    unknown = [part for part in include if part not in PARTS]
    if unknown:
        raise QueryError(f"cannot include {', '.join(unknown)}: choose among {', '.join(PARTS)}")
    files = {part: resources.part_files([part]) for part in include if part != "derived"}
    if data:
        files["added"] = list(data)
    parts = {part: canonical(_file_triples(paths), part) for part, paths in files.items()}
    if "derived" in include:
        read = [*resources.ontology_files(), *files.get("data", []), *files.get("added", [])]
        parts["derived"] = canonical(derived_triples(read), "derived")
    if inferred:
        parts["inferred"] = canonical(inferred_triples([t for triples in parts.values() for t in triples]), "inferred")
    return parts


def serialize(parts: dict[str, list[ox.Triple]], fmt: str) -> bytes:
    """The parts in one RDF format; quad formats keep each part in its named graph."""
    prefixes = PREFIXES if fmt in _PREFIXED_FORMATS else None
    if fmt in ("nquads", "trig"):
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPHS + name))
                 for name in sorted(parts) for t in parts[name]]
        return ox.serialize(quads, format=FORMATS[fmt], prefixes=prefixes)
    merged = {str(t): t for triples in parts.values() for t in triples}
    triples = [merged[key] for key in sorted(merged)]
    if fmt == "jsonld":
        return _jsonld(triples)
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=prefixes)


def export_graph(fmt: str = "turtle", include=DEFAULT_PARTS, data=(), inferred: bool = False) -> bytes:
    """The graph (bundled parts, the user's files, optionally the inferred triples) in one RDF format."""
    return serialize(graph_parts(include, data, inferred), fmt)


# --- JSON-LD ------------------------------------------------------------------------------------------

def _rdflib_term(term):
    from rdflib import BNode, Literal, URIRef
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value  # the text kept as written (rdflib would rewrite "x"^^xsd:boolean as false)
    return Literal(term.value, datatype=None if datatype == _XSD + "string" else URIRef(datatype), normalize=False)


def _rdflib_graph(triples):
    """The triples in an rdflib Graph; rdflib's traceback and warning for each literal whose text is not
    of its datatype (which it keeps as written) are silenced."""
    import logging
    import warnings
    from rdflib import Graph
    graph = Graph()
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for t in triples:
                graph.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
    finally:
        logger.disabled = disabled
    return graph


def _sorted_json(value, ordered: bool = False):
    """Node objects sorted by @id and every set of values sorted (RDF lists, "@list", keep their order),
    so the same graph gives the same text."""
    if isinstance(value, dict):
        return {key: _sorted_json(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return items if ordered else sorted(items, key=lambda item: (
            not isinstance(item, dict) or "@id" not in item, json.dumps(item, sort_keys=True, ensure_ascii=False)))
    return value


def _jsonld(triples) -> bytes:
    """Compact JSON-LD with the context kept in the repository (ontology/context.jsonld)."""
    from rdflib import Literal
    context = json.loads(resources.jsonld_context().read_text(encoding="utf-8"))["@context"]
    graph = _rdflib_graph(triples)
    for subject, predicate, obj in graph:
        if isinstance(obj, Literal) and obj.ill_typed and str(obj.datatype) in _JSON_NATIVE:
            raise DataError(f"cannot write JSON-LD: <{subject}> <{predicate}> has the value {shown(obj)}, which is no "
                            f"{shorten(str(obj.datatype))} (JSON-LD would write another value); correct it, or export "
                            "another format")
    document = json.loads(graph.serialize(format="json-ld", context=context))
    nodes = document.get("@graph", [{k: v for k, v in document.items() if k != "@context"}] if triples else [])
    body = {"@context": context, "@graph": _sorted_json(nodes)}
    return (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


# --- the OWL 2 RL closure -----------------------------------------------------------------------------

def _ox_term(term):
    from rdflib import BNode, URIRef
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _trivial(subject, predicate, obj) -> bool:
    """A triple true of anything: x owl:sameAs x, x a owl:Thing, a literal typed by its own datatype..."""
    from rdflib import Literal
    return (isinstance(subject, Literal) or subject == obj
            or (str(predicate) in _SCHEMA_PREDICATES and str(obj) in _TRIVIAL_OBJECTS)
            or (str(predicate) == _RDF + "type" and str(obj) == _RDFS + "Datatype"))


def inferred_triples(triples) -> list[ox.Triple]:
    """What the OWL 2 RL rules add to the triples, without the trivial axioms.

    The reasoner is reasonable (a compiled OWL 2 RL reasoner, some 40 times faster than owlrl here:
    benchmarks/inference.py), reading the triples as N-Triples, which is Turtle. It draws every
    inference owlrl draws about the graph's nodes; it leaves out some that owlrl adds to the schema
    (domains and ranges inherited along sub-properties, built-in annotation properties): a test compares
    them (tests/test_inference.py)."""
    import os
    import tempfile

    import reasonable
    asserted = {str(t) for t in triples}
    with tempfile.TemporaryDirectory(prefix="menaka-kg-inferred-") as folder:
        path = os.path.join(folder, "graph.ttl")
        with open(path, "wb") as file:
            file.write(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        reasoner = reasonable.PyReasoner()
        reasoner.load_file(path)
        closure = reasoner.reason()
    inferred = (ox.Triple(*map(_ox_term, t)) for t in closure if not _trivial(*t))
    return [t for t in inferred if str(t) not in asserted]


# --- snapshots ----------------------------------------------------------------------------------------

def _iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


def _snapshot_facts(kg, date: str):
    """(subject, its label, kind, object, its label, assertion, certainty, standing, mode) for each answer
    of the stored queries at `date`: control (state-at), relations and memberships (alliances-at, from the
    supporting party and from the member only), leadership (leaders-of, asked of every group that has
    leaders)."""
    for row in kg.query("state-at", date=date):
        yield (row["place"], row["placeLabel"], row["kind"], row["controller"], row["controllerLabel"],
               row["assertion"], row["certainty"], row["standing"], row["mode"])
    for row in kg.query("alliances-at", date=date):
        if row["partyRole"] not in ("supported", "group"):
            yield (row["party"], row["partyLabel"], row["kind"], row["otherParty"], row["otherPartyLabel"],
                   row["relation"], row["certainty"], row["standing"], row["mode"])
    for group in kg.sparql(resources.internal_query("led-groups")).column("group"):
        group_label = kg.names().label_of(group, "actor")
        for row in kg.query("leaders-of", actor=group, date=date):
            yield (row["leader"], row["leaderLabel"], row["role"], group, group_label,
                   row["assertion"], row["certainty"], row["standing"], row["mode"])


def snapshot_triples(kg, date: str) -> list[ox.Triple]:
    """The state of the world at `date` as plain triples (mk:controlledBy, mk:alliedWith, mk:leads...)
    from the definite and presumed answers that are the best reading or tied with it (denials left out),
    each described by an rdf:Statement that names its assertion, certainty and standing, with the labels
    of the nodes they link."""
    period = parse_period(date)
    start = ".." if period.start == OPEN_START else period.start.isoformat()
    end = ".." if period.end == OPEN_END else period.end.isoformat()
    span = start if start == end else f"{start}/{end}"
    direct = {row["kind"]: row["property"] for row in kg.sparql(resources.internal_query("direct-properties"))}
    triples = []
    for subject, subject_label, kind, obj, obj_label, assertion, certainty, standing, mode in _snapshot_facts(kg, date):
        if (certainty not in ("definite", "presumed") or standing not in ("best", "tied") or mode == DENIED
                or kind not in direct):
            continue
        s, p, o = ox.NamedNode(subject), ox.NamedNode(direct[kind]), ox.NamedNode(obj)
        key = hashlib.sha1(f"{s} {p} {o} {assertion}".encode()).hexdigest()[:16]
        statement = ox.NamedNode(f"{SNAPSHOT}{span.replace('/', '--')}/{key}")
        triples += [
            ox.Triple(s, p, o),
            ox.Triple(statement, _iri("rdf", "type"), _iri("rdf", "Statement")),
            ox.Triple(statement, _iri("rdf", "subject"), s),
            ox.Triple(statement, _iri("rdf", "predicate"), p),
            ox.Triple(statement, _iri("rdf", "object"), o),
            ox.Triple(statement, _iri("prov", "wasDerivedFrom"), ox.NamedNode(assertion)),
            ox.Triple(statement, _iri("mk", "certainty"), ox.Literal(certainty)),
            ox.Triple(statement, _iri("mk", "standing"), ox.Literal(standing)),
            ox.Triple(statement, _iri("dct", "temporal"), ox.Literal(span)),
        ]
        for node, label in ((s, subject_label), (o, obj_label)):
            if label:
                triples.append(ox.Triple(node, _iri("rdfs", "label"), ox.Literal(label)))
    return triples


def export_snapshot(kg, date: str, fmt: str = "turtle") -> bytes:
    """The state of the world at `date` as plain triples, in one RDF format."""
    return serialize({"snapshot": canonical(snapshot_triples(kg, date), "snapshot")}, fmt)
