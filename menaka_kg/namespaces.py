"""The namespaces as rdflib objects, and binding our prefixes on rdflib graphs."""

from rdflib import Namespace

from menaka_kg.prefixes import PREFIXES

MK = Namespace(PREFIXES["mk"])
SH = Namespace(PREFIXES["sh"])


def bind_prefixes(graph):
    """Bind our prefixes (replacing rdflib's defaults) so output never shows `ns1:`."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph
