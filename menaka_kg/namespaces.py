"""Binding our prefixes on rdflib graphs."""

from rdflib import Namespace

from menaka_kg.prefixes import PREFIXES


def bind_prefixes(graph):
    """Bind our prefixes (replacing rdflib's defaults) so output never shows `ns1:`."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph
