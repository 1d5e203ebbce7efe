"""The graph's namespaces as plain strings (no rdflib import, so the query path starts fast)."""

BASE = "https://w3id.org/menaka-kg/"

PREFIXES = {
    "mk": BASE + "ontology#",
    "mkc": BASE + "concept/",
    "evtype": BASE + "event-type/",
    "place": BASE + "place/",
    "actor": BASE + "actor/",
    "event": BASE + "event/",
    "assertion": BASE + "assertion/",
    "claim": BASE + "claim/",
    "source": BASE + "source/",
    "geometry": BASE + "geometry/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "prov": "http://www.w3.org/ns/prov#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

XSD = PREFIXES["xsd"]
MK = PREFIXES["mk"]


def shorten(iri: str) -> str:
    """The prefixed name of an IRI in one of our namespaces, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
