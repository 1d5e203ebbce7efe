"""Loading the bundled graph (ontology + curated data) and user files into rdflib."""

from pathlib import Path

from rdflib import Graph

from menaka_kg import resources
from menaka_kg.namespaces import bind_prefixes


def parse_files(paths, graph=None) -> Graph:
    """Parse Turtle files into `graph` (a new one if None)."""
    graph = bind_prefixes(Graph()) if graph is None else graph
    for path in paths:
        graph.parse(Path(path), format="turtle")
    return graph


def load_graph(include=("ontology", "data")) -> Graph:
    """The bundled graph: the ontology and the curated data, optionally the shapes."""
    return parse_files(resources.part_files(include))
