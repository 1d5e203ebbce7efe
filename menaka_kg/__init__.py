"""menaka-kg: a temporal knowledge graph of the Ménaka offensive (Mali, 2022-2023).

`menaka_kg.load()` gives a KnowledgeGraph that answers stored queries (see `menaka_kg.api`);
`menaka_kg.open_store(DIR)` the same on a persistent store (docs/store.md);
`menaka_kg.load_graph()` gives the bundled graph as an rdflib Graph.
"""

__version__ = "0.1.0"


def load(data=(), bundled=True):
    """The bundled graph plus the user's Turtle files, ready for queries (see menaka_kg.api.load)."""
    from menaka_kg.api import load as load_kg
    return load_kg(data, bundled)


def connect(url, timeout=None):
    """A remote SPARQL 1.1 endpoint holding the graph, ready for the same queries (menaka_kg.api.connect)."""
    from menaka_kg.api import connect as connect_remote
    return connect_remote(url, timeout)


def open_store(path):
    """The graph of a persistent store made by `menaka-kg load FILE --store DIR`, read-only, at the
    state it had when opened (menaka_kg.api.open_store; docs/store.md)."""
    from menaka_kg.api import open_store as open_database
    return open_database(path)


def load_graph(include=("ontology", "data")):
    """The bundled graph as an rdflib Graph (see menaka_kg.graph.load_graph)."""
    from menaka_kg.graph import load_graph as load_rdflib
    return load_rdflib(include)
