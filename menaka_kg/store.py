"""The embedded store: pyoxigraph, in memory, loaded from Turtle files.

The graph itself is the default graph; the readings derived from it (menaka_kg.reasoning) are a named
graph of their own. Queries see both: the default graph is the union of the graphs.
"""

import pyoxigraph as ox

from menaka_kg.errors import DataError, QueryError, turtle_syntax_error
from menaka_kg.results import Results
from menaka_kg.timeouts import bounded, configured

# the facts whose xsd:date is no date, among the properties the shapes give xsd:date values (a query in
# Python rather than in queries/: it is about the files a user adds, not about the graph)
_ILL_TYPED_DATES = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?subject ?predicate ?value WHERE {
  VALUES ?predicate { %s }
  ?subject ?predicate ?value
  FILTER(DATATYPE(?value) = xsd:date && sameTerm(COALESCE(xsd:date(STR(?value)), "no"), "no"))
} ORDER BY ?subject ?predicate ?value"""


def _date_properties() -> list[ox.NamedNode]:
    """The properties whose values the shapes say are xsd:date (sh:path … sh:datatype xsd:date)."""
    from menaka_kg.prefixes import PREFIXES
    from menaka_kg.resources import shape_files
    shapes = ox.Store()
    for path in shape_files():
        shapes.load(path=str(path), format=ox.RdfFormat.TURTLE)
    sh, date = PREFIXES["sh"], ox.NamedNode(PREFIXES["xsd"] + "date")
    found = {quad.object for shape in shapes.quads_for_pattern(None, ox.NamedNode(sh + "datatype"), date)
             for quad in shapes.quads_for_pattern(shape.subject, ox.NamedNode(sh + "path"), None)}
    return sorted((node for node in found if isinstance(node, ox.NamedNode)), key=str)


def _says_from(lowered: str) -> bool:
    """Whether FROM may be a keyword of the (lower-cased) text: the word on a line that is no comment. A
    quick test before readonly's tokenizer, which costs milliseconds on a stored query (whose
    ?possibleFrom is no such word); it looks only at each "from" and its line."""
    start = lowered.find("from")
    while start >= 0:
        before, after = lowered[start - 1:start] or " ", lowered[start + 4:start + 5] or " "
        if not (before.isalnum() or before in "_?$:") and not (after.isalnum() or after in "_:"):
            line_start = max(lowered.rfind("\n", 0, start), lowered.rfind("\r", 0, start)) + 1  # SPARQL's ends of line
            if not lowered[line_start:start].lstrip().startswith("#"):
                return True
        start = lowered.find("from", start + 4)
    return False


class EmbeddedStore:
    """A SPARQL 1.1 store in this process: in memory, or a pyoxigraph store given (e.g. one opened
    read-only from disk by menaka_kg.database)."""

    def __init__(self, store: ox.Store | None = None):
        self._store = ox.Store() if store is None else store
        self.timeout = None  # seconds; None: MENAKA_KG_TIMEOUT, else 30 (menaka_kg.timeouts)

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
            try:
                self._store.load(path=str(cached), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            except (SyntaxError, OSError):  # a damaged cache: built again from the files
                self._store.clear()
                cached = None
        if not cached:
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
        """The number of triples of the graph (its derived readings, menaka_kg.reasoning, not counted)."""
        from menaka_kg.reasoning import DERIVED_GRAPH
        return len(self._store) - sum(1 for _ in self._store.quads_for_pattern(None, None, None, DERIVED_GRAPH))

    def ill_typed_dates(self) -> list[tuple]:
        """(subject, predicate, literal) of each date of the graph's model (the time bounds) that is no
        date ("2022-06", "2022-13-45"): the stored queries compare dates, so they leave those facts out."""
        values = " ".join(str(predicate) for predicate in _date_properties())
        return [tuple(row) for row in self.execute(_ILL_TYPED_DATES % values).rows]

    def dump_ntriples(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself (for validation, which reads it directly)."""
        return self._store

    def execute(self, text: str):
        """Run any query: Results for SELECT, bool for ASK, a list of triples for CONSTRUCT/DESCRIBE. It
        answers within the timeout (menaka_kg.timeouts) and never goes on the network."""
        lowered = text.lower()
        if "service" in lowered:  # the only word that makes pyoxigraph fetch; read_query decides
            from menaka_kg.readonly import check_offline
            check_offline(text)
        # The default graph is the union of the graph and its readings, unless the query names its own
        # dataset (FROM): then that is what it asks.
        union = not _says_from(lowered)
        if not union:
            from menaka_kg.readonly import names_a_dataset
            union = not names_a_dataset(text)
        return bounded(lambda stop: self._answer(text, stop, union), configured(self.timeout))

    def _answer(self, text: str, stop, union: bool):
        try:
            answer = self._store.query(text, use_default_graph_as_union=union)
            if isinstance(answer, ox.QueryBoolean):
                return bool(answer)
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                rows = []
                for solution in answer:
                    if stop.stopped:
                        return None
                    rows.append(tuple(solution[v] for v in variables))
                return Results(variables, rows)
            return [triple for triple in answer if not stop.stopped]
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {error}") from None

    def serialize_triples(self, triples, fmt: str) -> str:
        """CONSTRUCT / DESCRIBE output as Turtle or N-Triples."""
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
        return ox.serialize(triples, format=rdf_format).decode()
