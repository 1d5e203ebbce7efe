"""The embedded store: pyoxigraph, in memory, loaded from Turtle files.

The graph itself is the default graph; the readings derived from it (menaka_kg.reasoning) are a named
graph of their own. Queries see both: the default graph is the union of the graphs.
"""

import pyoxigraph as ox

from menaka_kg.errors import DataError, QueryError, turtle_syntax_error
from menaka_kg.results import Results


class EmbeddedStore:
    """A SPARQL 1.1 store in this process: in memory, or a pyoxigraph store given (e.g. one opened
    read-only from disk by menaka_kg.database)."""

    def __init__(self, store: ox.Store | None = None):
        self._store = ox.Store() if store is None else store

    def load(self, path) -> None:
        """Add a Turtle file, or standard input for "-", to the default graph."""
        rdf_format = ox.RdfFormat.TURTLE
        try:
            if str(path) == "-":
                import sys
                self._store.load(sys.stdin.buffer.read(), format=rdf_format)
            else:
                self._store.load(path=str(path), format=rdf_format)
        except OSError as error:
            raise DataError(f"cannot read {path}: {error.strerror or error}") from None
        except SyntaxError as error:
            raise turtle_syntax_error(path, error) from None

    def load_bundled(self, derived: bool = True):
        """Add the ontology and the bundled data (and, with `derived`, their readings: see
        menaka_kg.reasoning), from the cache when it holds them (filling it when not); the cache entry,
        for the name index."""
        from menaka_kg.cache import BundledCache
        from menaka_kg.resources import bundled_files, cache_inputs
        cache = BundledCache(cache_inputs())
        cached, cached_readings = cache.graph_path(), cache.derived_path()
        if cached:  # written by us from checked files: parsed leniently, skipping the IRI checks
            self._store.load(path=str(cached), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        else:
            for path in bundled_files():
                self.load(path)
            cache.save(graph_ntriples=self.dump_ntriples())
        if derived and cached_readings:
            self._store.load(path=str(cached_readings), format=ox.RdfFormat.N_QUADS, lenient=True)
        elif derived:
            self.derive()
            cache.save(derived_nquads=self.dump_derived())
        return cache

    def derive(self) -> None:
        """Compute the readings of what the store holds now into the derived graph (replacing it)."""
        from menaka_kg.reasoning import refresh
        refresh(self._store)

    def dump_derived(self) -> bytes:
        """The derived graph as N-Quads (in its named graph)."""
        from menaka_kg.reasoning import DERIVED_GRAPH
        return ox.serialize(self._store.quads_for_pattern(None, None, None, DERIVED_GRAPH), format=ox.RdfFormat.N_QUADS)

    def __len__(self):
        return len(self._store)

    def dump_ntriples(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself (for validation, which reads it directly)."""
        return self._store

    def execute(self, text: str):
        """Run any query: Results for SELECT, bool for ASK, a list of triples for CONSTRUCT/DESCRIBE."""
        try:
            answer = self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        except OSError as error:
            raise QueryError(f"the query failed: {error}") from None
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            return Results(variables, [tuple(solution[v] for v in variables) for solution in answer])
        return list(answer)

    def serialize_triples(self, triples, fmt: str) -> str:
        """CONSTRUCT / DESCRIBE output as Turtle or N-Triples."""
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
        return ox.serialize(triples, format=rdf_format).decode()
