"""The namespaces of the graph and the prefixes every serialization binds."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, GEO, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/menaka-kg/"
MK = Namespace(BASE + "ontology#")
MKC = Namespace(BASE + "concept/")
EVTYPE = Namespace(BASE + "event-type/")
PLACE = Namespace(BASE + "place/")
ACTOR = Namespace(BASE + "actor/")
EVENT = Namespace(BASE + "event/")
ASSERTION = Namespace(BASE + "assertion/")
CLAIM = Namespace(BASE + "claim/")
SOURCE = Namespace(BASE + "source/")
GEOMETRY = Namespace(BASE + "geometry/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "mk": MK, "mkc": MKC, "evtype": EVTYPE, "place": PLACE, "actor": ACTOR, "event": EVENT,
    "assertion": ASSERTION, "claim": CLAIM, "source": SOURCE, "geometry": GEOMETRY,
    "sem": SEM, "time": TIME, "prov": PROV, "geo": GEO, "skos": SKOS, "dct": DCTERMS,
    "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "sh": SH,
}


def bind_prefixes(graph):
    """Bind our prefixes (replacing rdflib's defaults) so output never shows `ns1:`."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
