"""The Python API: a loaded knowledge graph that answers stored queries, SPARQL and names.

    >>> import menaka_kg
    >>> kg = menaka_kg.load()
    >>> rows = kg.query("controller-at", place="Andéramboukane", date="2022-06")
"""

import os
from collections import namedtuple

from menaka_kg import resources
from menaka_kg.errors import QueryError, shown
from menaka_kg.names import NameIndex, Resolution
from menaka_kg.results import Results
from menaka_kg.store import EmbeddedStore
from menaka_kg.stored_queries import StoredQuery, bind, load_stored_queries, parameter_terms, parse_header


class Info(namedtuple("Info", "triples classes span sources")):
    """What the graph holds: the number of triples, nodes by class (Results), the (first, last) date of
    its dated facts, and nodes read from each source (Results)."""

    __slots__ = ()


class KnowledgeGraph:
    """The bundled graph and/or the user's files, behind one SPARQL endpoint."""

    def __init__(self, endpoint, bundled: bool = True, data=(), cache=None, names=None):
        self.endpoint = endpoint
        self.bundled = bundled
        self.data = list(data)
        self._cache = cache  # the bundled graph's cache, when the graph is exactly the bundled one
        self._names = names  # a name index given (a persistent store's), else built on first use
        self._queries = None
        self._read = {}  # stored queries read one at a time, by name
        self._graph_checked = False  # a remote endpoint: whether it was seen to hold the graph

    # --- stored queries -------------------------------------------------------------------------
    def stored_queries(self) -> dict[str, StoredQuery]:
        if self._queries is None:
            self._queries = load_stored_queries(resources.queries_dir())
        return self._queries

    def stored_query(self, name: str) -> StoredQuery:
        if name in self._read:
            return self._read[name]
        folder = resources.queries_dir()
        path = os.path.join(folder, f"{name}.rq")
        if os.path.dirname(path) == folder and os.path.isfile(path):  # one header to read, not all of them
            self._read[name] = parse_header(path)
            return self._read[name]
        import difflib
        queries = self.stored_queries()
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; the queries are: {', '.join(queries)}"
        raise QueryError(f"no stored query named {shown(name)}{hint}")

    def bound_query(self, name: str, **params) -> str:
        """The stored query's text with the parameters bound as RDF terms."""
        query = self.stored_query(name)
        values = {key: (None if value is None else str(value)) for key, value in params.items()}
        terms = parameter_terms(query, values, lambda value, kind: self.resolve(value, kind).iri)
        return bind(query, terms)

    def query(self, name: str, **params) -> Results:
        """Run a stored query; parameters are names, IRIs or date strings."""
        text = self.bound_query(name, **params)
        self._check_graph()
        return self.endpoint.execute(text)

    def _check_graph(self) -> None:
        """On a remote endpoint, once: an error unless it holds the graph and its readings (an empty
        endpoint would otherwise answer "no place named …" or no rows)."""
        if hasattr(self.endpoint, "check_graph") and not self._graph_checked:
            self.endpoint.check_graph()
            self._graph_checked = True

    # --- ad hoc SPARQL and names ----------------------------------------------------------------
    def sparql(self, text: str):
        """Run a SPARQL query: Results, a bool (ASK) or triples (CONSTRUCT, DESCRIBE). An update is refused
        before anything runs (menaka_kg.readonly)."""
        from menaka_kg.readonly import read_query
        if not isinstance(text, str):
            raise QueryError(f"a SPARQL query is text (str), not {type(text).__name__}")
        read_query(text)
        return self.endpoint.execute(text)

    @property
    def timeout(self):
        """The seconds a query may take (None: MENAKA_KG_TIMEOUT, else 30); a slower one raises QueryTimeout."""
        return self.endpoint.timeout

    @timeout.setter
    def timeout(self, value):
        from menaka_kg.timeouts import seconds
        self.endpoint.timeout = None if value is None else seconds(value)

    def names(self) -> NameIndex:
        if self._names is None:
            rows = self._cache.names() if self._cache else None
            if rows is None:
                self._check_graph()
                results = self.endpoint.execute(resources.internal_query("names"))
                rows = [(row["node"], row["kind"], row["label"], row["labelKind"]) for row in results]
                if self._cache:
                    self._cache.save(names=rows)
            self._names = NameIndex(rows)
        return self._names

    def resolve(self, name: str, kind: str | None = None) -> Resolution:
        """What a name (IRI, prefixed name or label) denotes; `kind` is place, actor, event or role.
        A remote endpoint is asked about that name only (`_names_for`), not for every label."""
        if self._names is None and hasattr(self.endpoint, "check_graph"):
            return self._names_for(name).resolve(name, kind)
        return self.names().resolve(name, kind)

    def _names_for(self, name: str) -> NameIndex:
        """The names of the nodes `name` may denote: those with a label the name's pattern matches, or the
        name itself as an IRI (queries/internal/name-candidates.rq, the pattern and the IRI bound as RDF
        terms), then the names query about them alone."""
        import pyoxigraph as ox
        from menaka_kg.names import label_pattern
        from menaka_kg.prefixes import MK
        from menaka_kg.stored_queries import bind_text
        iri = NameIndex([])._as_iri(name.strip())[0]
        try:
            node = ox.NamedNode(iri if iri else MK + "any")
        except ValueError:
            node = ox.NamedNode(MK + "any")

        self._check_graph()
        found = self.endpoint.execute(bind_text(resources.internal_query("name-candidates"),
                                                {"pattern": ox.Literal(label_pattern(name)), "iri": node}))
        nodes = " ".join(str(row[0]) for row in found.rows)
        if not nodes:
            return NameIndex([])
        names = resources.internal_query("names").replace("WHERE {\n", f"WHERE {{\n  VALUES ?node {{ {nodes} }}\n", 1)
        results = self.endpoint.execute(names)
        return NameIndex([(row["node"], row["kind"], row["label"], row["labelKind"]) for row in results])

    def validate(self, paths_or_graph, fail_on: str = "violation"):
        """Check Turtle files (or an rdflib Graph) as an addition to this graph; a ValidationReport."""
        from menaka_kg.validation import validate_files
        items = paths_or_graph if isinstance(paths_or_graph, (list, tuple)) else [paths_or_graph]
        return validate_files(items, bundled=self.bundled, fail_on=fail_on, base=self.data)

    def info(self) -> Info:
        """What the graph holds. Its triples are counted in the named graphs that hold it, when there
        are any (a store whose default graph is the union of its graphs has graphs of its own), else in
        the default graph; the readings are never counted."""
        self._check_graph()
        span = next(iter(self.endpoint.execute(resources.internal_query("info-span"))))
        triples = next(iter(self.endpoint.execute(resources.internal_query("info-triples-named"))))["triples"]
        if not triples:
            triples = next(iter(self.endpoint.execute(resources.internal_query("info-triples"))))["triples"]
        return Info(triples=triples, classes=self.endpoint.execute(resources.internal_query("info-classes")),
                    span=(span["from"], span["to"]), sources=self.endpoint.execute(resources.internal_query("info-sources")))


def connect(url: str, timeout=None) -> KnowledgeGraph:
    """A remote SPARQL 1.1 endpoint that holds the graph (e.g. pushed with `menaka-kg push`); `timeout`
    as KnowledgeGraph.timeout."""
    from menaka_kg.remote import RemoteEndpoint
    kg = KnowledgeGraph(RemoteEndpoint(url), bundled=False)
    kg.timeout = timeout
    return kg


def graph_ntriples(include=None, data=()) -> bytes:
    """The bundled parts named in `include` (ontology, data, shapes, derived; by default the graph and its
    readings) plus `data` files, as sorted N-Triples."""
    from menaka_kg.export import DEFAULT_PARTS, export_graph
    return export_graph("ntriples", include or DEFAULT_PARTS, data)


def open_store(path) -> KnowledgeGraph:
    """The graph of a persistent store (menaka_kg.database; `menaka-kg load FILE --store DIR` makes
    one), opened read-only at its current state: loads by other processes do not change what it answers."""
    from menaka_kg.database import Database
    return Database(path).open()


def load(data=(), bundled: bool = True) -> KnowledgeGraph:
    """The bundled graph (ontology and curated data) plus the user's Turtle files, in an embedded store,
    with the readings the reasoning layer derives from them all (menaka_kg.reasoning).

    The bundled graph comes from the cache (menaka_kg.cache) when it is there, and is put there when not.
    """
    data = [data] if isinstance(data, (str, os.PathLike)) else list(data)  # one file, or several
    store = EmbeddedStore()
    cache = None
    if bundled:
        cache = store.load_bundled(derived=not data)
    else:
        for path in resources.ontology_files():
            store.load(path)
    for path in data:
        store.load(path)
    if data or not bundled:
        store.derive()
    return KnowledgeGraph(store, bundled=bundled, data=data, cache=cache if not data else None)
