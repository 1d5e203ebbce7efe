"""A persistent store: the graph on disk (pyoxigraph's RocksDB store), loaded once and asked many times.

A store is a folder (docs/store.md):

    menaka-kg-store.json   the manifest: format version, current generation, the bundled graph it holds,
                           the files loaded (name, checksum, triples, when) and the sources' horizon
    write.lock             locked (flock) by the one process that writes
    gen-N/                 generation N: a RocksDB database, never written again once published
    gen-N/readers.lock     locked shared by every process that reads generation N

Inside a generation each part is a named graph: the bundled ontology and data
(https://w3id.org/menaka-kg/graph/ontology, …/data), each loaded file (…/graph/added/NAME), the
readings of the reasoning layer (…/graph/derived) and an index of names (…/graph/name-index). Queries
see their union, as on the in-memory store.

What is atomic: a write (load, unload, upgrade) copies the current generation (a RocksDB checkpoint:
hard links to its immutable files), changes the copy, and publishes it by replacing the manifest with
one rename. Until then readers see the previous generation, which nothing writes (pyoxigraph's
read-only mode is undefined while another process writes the same database, and RocksDB lets only one
process open it for writing). A failing file, Ctrl-C or kill -9 leaves the manifest, so the store, as
it was; the next write removes the unpublished copy. Old generations are removed by the next write once
no reader holds them.
"""

import fcntl
import gc
import hashlib
import io
import json
import os
import shutil
import stat
import time
import unicodedata
from contextlib import contextmanager
from itertools import chain
from urllib.parse import quote

import pyoxigraph as ox

from menaka_kg import reasoning, resources
from menaka_kg.api import KnowledgeGraph
from menaka_kg.errors import DataError, MenakaError, turtle_syntax_error
from menaka_kg.names import NameIndex
from menaka_kg.prefixes import BASE
from menaka_kg.store import EmbeddedStore
from menaka_kg.threads import beside

FORMAT = 1  # the layout above; a store of another format is refused with a clear error
MANIFEST = "menaka-kg-store.json"
WRITE_LOCK = "write.lock"
READERS = "readers.lock"
ONTOLOGY_GRAPH = ox.NamedNode(BASE + "graph/ontology")
DATA_GRAPH = ox.NamedNode(BASE + "graph/data")
ADDED = BASE + "graph/added/"
NAME_GRAPH = ox.NamedNode(BASE + "graph/name-index")
_NAME_KEY = BASE + "name-key/"  # + a normalized form: the labels that have it are its objects
_HAS_LABEL = ox.NamedNode(BASE + "store#label")
_INTERNAL = (reasoning.DERIVED_GRAPH, NAME_GRAPH)
# Up to this size the files of a load are read in Python: each triple validated and the readings of the
# subjects they touch updated in place. Larger loads are bulk-loaded (the parse and indexing in Rust, in
# parallel) and the readings and names computed again for everything.
SMALL_BYTES = 8_000_000
SMALL_TRIPLES = 100_000


_PART = 26_000_000  # bytes of N-Quads (about 200,000 quads) a bulk load is given: it holds its batch in memory


def _bulk_write(store, texts) -> None:
    """Bulk-load N-Quads text (an iterator of strings of whole lines), _PART bytes at a time (one load
    of the 10M graph's 3.9M quads of readings and names took its peak from 1.86 to 2.59 GB)."""
    texts = iter(texts)
    while True:
        stream = _TextStream(texts, _PART)
        store.bulk_load(io.BufferedReader(stream, 1 << 20), format=ox.RdfFormat.N_QUADS, lenient=True)
        if stream.ended:
            return


class _TextStream(io.RawIOBase):
    """A binary stream of the UTF-8 encoding of an iterator's strings, read as it is consumed, that ends
    after the string that makes it reach `size` bytes (`ended`: the iterator has no more)."""

    def __init__(self, texts, size: int):
        self._texts, self._pending, self._left, self.ended = texts, b"", size, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        pieces, length = [self._pending], len(self._pending)
        while length < len(buffer) and self._left > 0:
            text = next(self._texts, None)
            if text is None:
                self.ended, self._left = True, 0
                break
            pieces.append(text.encode())
            length += len(pieces[-1])
            self._left -= len(pieces[-1])
        self._pending = b"".join(pieces)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class StoreError(MenakaError):
    """A store that cannot be opened or written as asked: missing, of another format, busy."""


class AdditionRefused(MenakaError):
    """Files that do not conform, so nothing was loaded; `report` is their validation report."""

    def __init__(self, report):
        super().__init__(f"nothing loaded: {report.summary()}")
        self.report = report


def store_key() -> str:
    """What a store's bundled graph, readings and names are computed from: the bundled files, the
    reasoning layer and the name matcher with its query. A store made by a version whose key differs
    holds an older bundled graph or readings, and says so (`menaka-kg store upgrade`)."""
    from menaka_kg.cache import bundled_key
    package = os.path.dirname(os.path.realpath(__file__))
    return bundled_key([*resources.cache_inputs(), os.path.join(package, "names.py"),
                        os.path.join(resources.queries_dir(), "internal", "names.rq")])


def file_graph(name: str) -> ox.NamedNode:
    return ox.NamedNode(ADDED + quote(name, safe=""))


def checksum(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Database:
    """A store folder: its manifest, its readers and its one writer."""

    def __init__(self, path):
        self.path = os.path.abspath(os.fspath(path))
        self.manifest_path = os.path.join(self.path, MANIFEST)

    def exists(self) -> bool:
        return os.path.isfile(self.manifest_path)

    def manifest(self) -> dict:
        """The manifest, checked: a missing store, a damaged manifest or another format is an error."""
        try:
            with open(self.manifest_path, encoding="utf-8") as file:
                manifest = json.load(file)
        except FileNotFoundError:
            raise StoreError(f"no menaka-kg store at {self.path}: make one with `menaka-kg store create --store "
                             f"{self.path}` or `menaka-kg load FILE --store {self.path}`") from None
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot read the store's manifest {self.manifest_path}: {error}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            from menaka_kg import __version__
            raise StoreError(f"the store at {self.path} has format {found!r}; menaka-kg {__version__} reads format "
                             f"{FORMAT} only: open it with the menaka-kg that made it (its `export` can move the data)")
        return manifest

    def generation_path(self, number: int) -> str:
        return os.path.join(self.path, f"gen-{number}")

    def outdated(self) -> bool:
        """Whether the store holds the bundled graph (or readings) of another menaka-kg version."""
        return self.manifest()["bundled"]["key"] != store_key()

    def note(self) -> str | None:
        """A line to show the user when the store is outdated, else None."""
        if not self.outdated():
            return None
        return (f"note: the store at {self.path} holds the bundled graph of menaka-kg "
                f"{self.manifest()['bundled'].get('version', '?')}, which differs from this version's; "
                f"`menaka-kg store upgrade --store {self.path}` brings it up to date")

    # --- reading --------------------------------------------------------------------------------------
    def open(self) -> "StoreGraph":
        """The current generation, read-only, held for as long as the graph object lives."""
        for _ in range(50):
            manifest = self.manifest()
            folder = self.generation_path(manifest["generation"])
            try:
                lock = os.open(os.path.join(folder, READERS), os.O_RDONLY)
            except FileNotFoundError:  # a writer published a newer one and removed this one meanwhile
                continue
            fcntl.flock(lock, fcntl.LOCK_SH)
            if not os.path.exists(os.path.join(folder, READERS)):
                os.close(lock)
                continue
            try:
                raw = ox.Store.read_only(folder)
            except (OSError, RuntimeError) as error:  # RocksDB's own errors are RuntimeErrors
                os.close(lock)
                raise StoreError(f"cannot open the store at {self.path}: {error}") from None
            return StoreGraph(self, manifest, raw, lock)
        raise StoreError(f"the store at {self.path} kept changing while it was opened; try again")

    # --- writing --------------------------------------------------------------------------------------
    @contextmanager
    def writing(self, create: bool = True):
        """A Writer on a copy of the current generation (a new store when there is none and `create`),
        holding the write lock; nothing is published unless its `commit` is called."""
        if not self.exists():
            if not create:
                self.manifest()  # raises: no store
            if os.path.isdir(self.path) and set(os.listdir(self.path)) - {WRITE_LOCK}:
                raise StoreError(f"{self.path} is not empty and holds no menaka-kg store: give a new or empty folder")
        try:
            os.makedirs(self.path, exist_ok=True)
            lock = os.open(os.path.join(self.path, WRITE_LOCK), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(f"cannot write the store at {self.path}: {error.strerror or error}") from None
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(lock, 32, 0).decode(errors="replace").strip() or "?"
                raise StoreError(f"another process (pid {holder}) is writing the store at {self.path}; "
                                 "try again when it has finished") from None
            os.ftruncate(lock, 0)
            os.pwrite(lock, f"{os.getpid()}\n".encode(), 0)
            manifest = self.manifest() if self.exists() else None
            self._collect(keep=manifest["generation"] if manifest else None)
            writer = None
            try:
                writer = Writer(self, manifest)
                try:
                    yield writer
                finally:
                    writer.discard()
            except OSError as error:  # a full disk, a file-size limit: the copy is removed
                if error.filename and not os.path.abspath(error.filename).startswith(self.path + os.sep):
                    raise DataError(f"cannot read {error.filename}: {error.strerror or error}") from None
                published = writer is not None and writer.manifest is not manifest
                raise StoreError(f"cannot write the store at {self.path}: {error.strerror or error}"
                                 + ("" if published else "; the store is as it was")) from None
        finally:
            os.close(lock)

    def _collect(self, keep) -> None:
        """Remove every generation but `keep` that no reader holds, and what killed writes left."""
        for name in os.listdir(self.path):
            folder = os.path.join(self.path, name)
            if name.startswith(".trash-"):
                shutil.rmtree(folder, ignore_errors=True)
            if not (name.startswith("gen-") and os.path.isdir(folder)) or name == f"gen-{keep}":
                continue
            try:
                lock = os.open(os.path.join(folder, READERS), os.O_RDONLY)
            except FileNotFoundError:  # never published: a killed or failed write's copy
                lock = None
            try:
                if lock is not None:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # a reader still uses it: the next write removes it
                os.close(lock)
                continue
            trash = os.path.join(self.path, f".trash-{name}-{os.getpid()}")
            os.rename(folder, trash)
            if lock is not None:
                os.close(lock)
            shutil.rmtree(trash, ignore_errors=True)

    def backup(self, target) -> str:
        """Copy the current generation, with a manifest naming it, into `target` (a new folder): a store
        of its own. Readers and writers may go on meanwhile (the generation copied is immutable).
        RocksDB hard-links its files when `target` is on the same filesystem, else copies them."""
        target = os.path.abspath(os.fspath(target))
        if os.path.exists(target):
            raise StoreError(f"{target} exists: give a new folder to copy the store to")
        graph = self.open()
        try:
            os.makedirs(target)
            folder = os.path.join(target, "gen-1")
            graph.endpoint.raw.backup(folder)
            with open(os.path.join(folder, READERS), "w"):
                pass
            _sync_folder(folder)
            manifest = {**graph.manifest, "generation": 1, "updated": _now()}
            from menaka_kg.files import write_atomically
            write_atomically(os.path.join(target, MANIFEST), json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        except OSError as error:
            raise StoreError(f"cannot copy the store to {target}: {error.strerror or error}") from None
        finally:
            graph.close()
        files = len(graph.manifest["files"])
        return f"the bundled graph and {files} file{'' if files == 1 else 's'}"

    @contextmanager
    def scratch(self):
        """A private writable copy of the current generation, removed afterwards (to validate an
        addition against the store without changing it). In the store's folder when it can be written
        (hard links, cheap), else in the system's temporary folder (a full copy)."""
        import tempfile
        manifest = self.manifest()
        folder = self.generation_path(manifest["generation"])
        parent = tempfile.mkdtemp(prefix=".scratch-", dir=self.path if os.access(self.path, os.W_OK) else None)
        target = os.path.join(parent, "gen")
        try:
            source = self.open()
            try:
                source.endpoint.raw.backup(target)
            finally:
                source.close()
            del source
            yield ox.Store(target), manifest, folder
        finally:
            shutil.rmtree(parent, ignore_errors=True)


class Writer:
    """The changes of one write: applied to a copy of the current generation, published by `commit`."""

    def __init__(self, database: Database, manifest: dict | None):
        self.database = database
        self.manifest = manifest
        self.number = (manifest["generation"] if manifest else 0) + 1
        self.folder = database.generation_path(self.number)
        self.loaded = {entry["name"]: entry for entry in manifest["files"]} if manifest else {}
        self.horizon = manifest.get("horizon") if manifest else None
        self.changed = False
        self.bulk_written = False  # whether the copy was bulk-loaded, and is compacted before it is published
        try:
            if manifest:
                source = ox.Store.read_only(database.generation_path(manifest["generation"]))
                source.backup(self.folder)
                del source
                self.store = ox.Store(self.folder)
                self.bundled = manifest["bundled"]
            else:
                self.store = ox.Store(self.folder)
                self._load_bundled()
                self.changed = True
        except BaseException:  # e.g. a full disk: no half-made copy left
            self.discard()
            raise

    # --- the bundled graph ------------------------------------------------------------------------------
    def _load_bundled(self) -> None:
        from menaka_kg import __version__
        for graph, paths in ((ONTOLOGY_GRAPH, resources.ontology_files()), (DATA_GRAPH, resources.data_files())):
            memory = ox.Store()
            for path in paths:
                memory.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
            self.store.bulk_extend(memory)
        self.bundled = {"key": store_key(), "version": __version__, "loaded": _now(),
                        "triples": sum(_count(self.store, g) for g in (ONTOLOGY_GRAPH, DATA_GRAPH))}
        self._recompute()

    def upgrade(self) -> bool:
        """Replace the bundled graph by this version's and compute every reading and name again;
        False when it is already this version's."""
        if self.bundled["key"] == store_key():
            return False
        self.store.remove_graph(ONTOLOGY_GRAPH)
        self.store.remove_graph(DATA_GRAPH)
        self._load_bundled()
        self.changed = True
        return True

    # --- loading and unloading files -----------------------------------------------------------------
    def load(self, paths, name: str | None = None, validate: bool = True, fail_on: str = "violation") -> list:
        """Load Turtle files, each into a graph of its own named after the file (or `name`, for one
        file): all of them or, when one is unreadable or (with `validate`) does not conform, none. A file
        already loaded under that name is replaced, or left as it is when its content is the same.
        (name, what happened, entry) for each file; raises AdditionRefused with the report."""
        if name is not None and len(paths) != 1:
            raise StoreError("a name can be given to one file only")
        plan, outcome = [], []
        for path in paths:
            path = os.fspath(path)
            if path == "-" or not os.path.isfile(path):
                raise DataError(f"cannot read {path}: " + ("give a file, not standard input" if path == "-" else "no such file"))
            entry = {"name": name or os.path.basename(path), "path": os.path.abspath(path), "sha256": checksum(path),
                     "bytes": os.path.getsize(path), "validated": validate}
            entry["graph"] = file_graph(entry["name"]).value
            old = self.loaded.get(entry["name"])
            if any(p["name"] == entry["name"] for p, _ in plan):
                raise StoreError(f"two files named {entry['name']}: give one of them another name with --name")
            if old and old["sha256"] == entry["sha256"]:
                outcome.append((entry["name"], "unchanged", old))
                continue
            plan.append((entry, old))
        if not plan:
            return outcome
        report = None
        if validate:  # as an addition to what the store holds, a file it replaces left out
            replaced = {old["graph"] for _, old in plan if old}
            graphs = [g for g in self.store.named_graphs() if g not in _INTERNAL and g.value not in replaced]
            from menaka_kg.validation import validate_addition
            report = validate_addition(self.store, [entry["path"] for entry, _ in plan], fail_on=fail_on,
                                       elsewhere="store", graphs=graphs)
            if not report.conforms:
                raise AdditionRefused(report)
        if sum(entry["bytes"] for entry, _ in plan) <= SMALL_BYTES:
            self._load_small(plan)
        else:
            self._load_bulk(plan)
        for entry, old in plan:
            if "triples" not in entry:  # a bulk load counted them as it read them
                entry["triples"] = _count(self.store, ox.NamedNode(entry["graph"]))
            entry["loaded"] = _now()
            if report is not None:
                entry["warnings"] = sum(1 for r in report.results if r.file in (entry["path"], None))
            self.loaded[entry["name"]] = entry
            outcome.append((entry["name"], "replaced" if old else "loaded", entry))
        self.changed = True
        return outcome

    def _load_small(self, plan) -> None:
        """Load the files triple by triple, and update the readings and names of what they touch."""
        triples = [_read_triples(entry["path"]) for entry, _ in plan]
        nodes = {_text(term) for file in triples for t in file for term in (t.subject, t.object)
                 if isinstance(term, ox.NamedNode)}
        labels = {t.object for file in triples for t in file if _is_label(t.predicate, t.object)}
        for _, old in plan:
            if old:
                nodes |= _graph_nodes(self.store, ox.NamedNode(old["graph"]))
                labels |= _graph_labels(self.store, ox.NamedNode(old["graph"]))
        schema = any(_is_schema(t.predicate) for file in triples for t in file)
        before = reasoning.subjects_of(self.store, nodes)
        for _, old in plan:
            if old:
                self.store.remove_graph(ox.NamedNode(old["graph"]))
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(entry["graph"]))
                 for (entry, _), file in zip(plan, triples) for t in file]
        # a transaction costs about 0.1 ms a triple on disk; the bulk loader far less, past its set-up
        (self.store.extend if len(quads) < 5000 else self.store.bulk_extend)(quads)
        added = None if any(old for _, old in plan) else [t for file in triples for t in file]
        self._bring_up_to_date(nodes, before, schema, labels, added)

    def _load_bulk(self, plan) -> None:
        """Bulk-load the files (the parse and indexing in Rust), then every reading and name again."""
        for _, old in plan:
            if old:
                self.store.remove_graph(ox.NamedNode(old["graph"]))
        self._recompute(new_files=[entry for entry, _ in plan])

    def unload(self, name: str) -> dict:
        """Remove a loaded file (by its name in the store); its entry."""
        entry = self.loaded.get(name)
        if entry is None:
            names = ", ".join(sorted(self.loaded)) or "none"
            raise StoreError(f"no file named {name!r} is loaded in the store (loaded: {names})")
        graph = ox.NamedNode(entry["graph"])
        if entry["triples"] <= SMALL_TRIPLES:
            nodes = _graph_nodes(self.store, graph)
            schema = any(_is_schema(q.predicate) for q in self.store.quads_for_pattern(None, None, None, graph))
            labels = _graph_labels(self.store, graph)
            before = reasoning.subjects_of(self.store, nodes)
            self.store.remove_graph(graph)
            self._bring_up_to_date(nodes, before, schema, labels)
        else:
            self.store.remove_graph(graph)
            self._recompute()
        del self.loaded[name]
        self.changed = True
        return entry

    # --- readings and names -----------------------------------------------------------------------------
    def _bring_up_to_date(self, nodes: set, before: set, schema: bool, labels: set, added=None) -> None:
        """Readings and names after a change of the facts about `nodes` (`before`: the subjects they
        bore on before it) and of the `labels` (literals); everything again when the change moved the
        schema. `added`: the triples, when the change only added them."""
        if schema:
            self._recompute()
            return
        if added is None or self.horizon is None:
            horizon = reasoning.horizon(self.store)
        else:
            horizon = reasoning.horizon_after_adding(self.store, _day(self.horizon), added)
        after = reasoning.subjects_of(self.store, nodes)
        moved = reasoning.horizon_subjects(self.store, _day(self.horizon), horizon)
        reasoning.update(self.store, before | after | moved, touched=nodes, last_day=horizon)
        self.horizon = _iso(horizon)
        for label in labels:
            quad = _label_quad(label)
            if any(q.graph_name not in _INTERNAL and _is_label(q.predicate, label)
                   for q in self.store.quads_for_pattern(None, None, label)):
                self.store.add(quad)
            else:
                self.store.remove(quad)

    def _recompute(self, new_files=()) -> None:
        """Every reading and name again, the `new_files` bulk-loaded meanwhile. The reasoning reads its
        inputs from an in-memory store: a new file's read from the file, in Python, while the bulk loader
        loads it (pyoxigraph lets go of the GIL), and kept on disk until the loader is done, which takes
        most of the memory; the rest read from the store's other graphs into the same file (reading them
        out of RocksDB term by term is what takes the time). The labels of the name index are gathered to
        a file in the same pass. The readings and the name index go to the bulk loader as N-Quads text,
        streamed a part at a time (the facts let go of first), so memory stays bounded."""
        facts = ox.Store()
        typed = reasoning.typed_subjects(self.store)  # the new files' own types are added as they are read
        new_graphs = {entry["graph"] for entry in new_files}
        label_predicates = {ox.NamedNode(p) for p in name_predicates()}
        inputs, names = os.path.join(self.folder, "inputs.nt"), os.path.join(self.folder, "names.nq")

        def take(triples, accepted) -> int:
            count = 0
            for t in triples:
                count += 1
                if accepted(t):
                    kept.write(f"{t} .\n")
                elif t.predicate in label_predicates and isinstance(t.object, ox.Literal):
                    labels.write(_label_line(t.object))
            return count

        try:
            with open(inputs, "w", encoding="utf-8") as kept, open(names, "w", encoding="utf-8") as labels:
                late = {}  # per new graph: the IRIs left out of is_input_so_far
                for entry in new_files:
                    graph, base = ox.NamedNode(entry["graph"]), _file_iri(entry["path"])
                    late[graph] = set()

                    def load():
                        self.store.bulk_load(path=entry["path"], format=ox.RdfFormat.TURTLE, to_graph=graph, base_iri=base)

                    def read():
                        with open(entry["path"], "rb") as file:
                            entry["triples"] = take(ox.parse(file, format=ox.RdfFormat.TURTLE, base_iri=base, lenient=True),
                                                    lambda t: reasoning.is_input_so_far(t, typed, late[graph]))
                    try:  # the loader in this thread reuses what the validation let go of (in another: +200 MB at 1M)
                        beside(read, load)
                    except SyntaxError as error:
                        raise turtle_syntax_error(entry["path"], error) from None
                wanted = " ".join(str(p) for p in reasoning.input_predicates() | label_predicates)
                for graph in self.store.named_graphs():
                    if graph not in _INTERNAL and graph.value not in new_graphs:  # only the predicates wanted
                        take(self.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ VALUES ?p {{ {wanted} }} ?s ?p ?o }} }}"),
                             lambda t: reasoning.is_input(t, typed))
            facts.load(path=inputs, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            for graph, iris in late.items():  # typed further on, or in a file read after
                facts.extend(ox.Quad(q.subject, q.predicate, q.object) for iri in iris & typed
                             for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, graph)
                             if reasoning.is_input(q, typed))
            del typed
            readings, self.horizon = reasoning.all_readings(facts), _iso(reasoning.horizon(facts))
            del facts
            self.store.remove_graph(NAME_GRAPH)
            self.store.remove_graph(reasoning.DERIVED_GRAPH)
            self.bulk_written = True
            with open(names, encoding="utf-8") as labels:
                _bulk_write(self.store, chain(reasoning.derived_nquads(self.store, readings), labels))
        finally:
            for path in (inputs, names):
                if os.path.exists(path):
                    os.remove(path)

    # --- publishing ---------------------------------------------------------------------------------------
    def commit(self) -> None:
        """Publish the copy as the store's current generation (one rename of the manifest)."""
        if not self.changed:
            return
        from menaka_kg.files import write_atomically
        self.horizon = _iso(reasoning.horizon(self.store)) if self.horizon is None else self.horizon
        if self.bulk_written:
            # the bulk loader adds its files beside the old ones, key ranges overlapping, so that a
            # lookup reads one of each; compacted, it reads one (warm lookup queries 23-44% faster;
            # 20 to 47 s at 10M, from one machine to the next)
            self.store.optimize()
        self.store.flush()
        self._close()
        with open(os.path.join(self.folder, READERS), "w"):
            pass
        _sync_folder(self.folder)
        manifest = {"format": FORMAT, "generation": self.number, "bundled": self.bundled,
                    "files": sorted(self.loaded.values(), key=lambda e: e["name"]), "horizon": self.horizon,
                    "updated": _now()}
        write_atomically(self.database.manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        _sync_folder(self.database.path, files=False)
        self.manifest, self.changed, self.folder = manifest, False, None
        self.database._collect(keep=self.number)

    def discard(self) -> None:
        """Drop an unpublished copy (after a failure, or when nothing changed)."""
        if self.folder is None:
            return
        if hasattr(self, "store"):
            self._close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def _close(self) -> None:
        """Close the copy's RocksDB: it closes, and its background compactions end, only when no reference
        is left, and a reference cycle held it open (a reader opening the published copy then missed the
        files a compaction had just removed)."""
        del self.store
        gc.collect()


# --- the graph of a store --------------------------------------------------------------------------------

class StoreGraph(KnowledgeGraph):
    """A KnowledgeGraph on one generation of a store, read-only."""

    def __init__(self, database: Database, manifest: dict, raw: ox.Store, lock: int):
        super().__init__(EmbeddedStore(raw), bundled=True, names=StoreNames(raw))
        self.database = database
        self.manifest = manifest
        self._lock = lock

    def close(self) -> None:
        """Let go of the generation (the graph is not usable afterwards)."""
        if self._lock is not None:
            self.endpoint = self._names = None
            os.close(self._lock)
            self._lock = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001  (interpreter shutdown)
            pass

    def files(self) -> list[dict]:
        """The files loaded, as the manifest lists them."""
        return self.manifest["files"]

    def info(self):
        """As KnowledgeGraph.info, with the number of triples from the manifest (bundled + files)."""
        from menaka_kg.api import Info
        facts = super().info()
        triples = self.manifest["bundled"]["triples"] + sum(e["triples"] for e in self.manifest["files"])
        return Info(triples, facts.classes, facts.span, facts.sources)

    def validate(self, paths_or_graph, fail_on: str = "violation"):
        """Check Turtle files as an addition to the store (nothing is loaded)."""
        paths = paths_or_graph if isinstance(paths_or_graph, (list, tuple)) else [paths_or_graph]
        return validate_files_against(self.database, paths, fail_on)

    def graph_parts(self, include, inferred: bool = False) -> dict:
        """The store's parts for an export (menaka_kg.export): ontology, data, derived, the loaded files
        as "added", and the bundled shapes, each as canonical triples."""
        from menaka_kg import export
        unknown = [part for part in include if part not in export.PARTS]
        if unknown:
            raise StoreError(f"cannot include {', '.join(unknown)}: choose among {', '.join(export.PARTS)}")
        raw = self.endpoint.raw
        graphs = {"ontology": [ONTOLOGY_GRAPH], "data": [DATA_GRAPH], "derived": [reasoning.DERIVED_GRAPH],
                  "added": [file_graph(entry["name"]) for entry in self.files()]}
        parts = {}
        for part in [*include, *(["added"] if self.files() else [])]:
            if part == "shapes":
                parts[part] = export.canonical(export._file_triples(resources.shape_files()), part)
            else:
                parts[part] = export.canonical([q.triple for g in graphs[part] for q in raw.quads_for_pattern(None, None, None, g)], part)
        if inferred:
            parts["inferred"] = export.canonical(export.inferred_triples([t for ts in parts.values() for t in ts]), "inferred")
        return parts


class _OnDemand(dict):
    """A dict that completes a key from `load(key)` the first time it is asked for (and everything from
    `load_all()` when all its items are)."""

    def __init__(self, data, load, load_all):
        super().__init__(data)
        self._load, self._load_all, self._tried = load, load_all, set()

    def _ensure(self, key):
        if key not in self._tried:
            self._tried.add(key)
            self._load(key)

    def get(self, key, default=None):
        self._ensure(key)
        return dict.get(self, key, default)

    def __contains__(self, key):
        self._ensure(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._ensure(key)
        return dict.__getitem__(self, key)

    def items(self):
        self._load_all()
        return dict.items(self)


class StoreNames(NameIndex):
    """The name index of a store, read as needed. The store keeps, for each normalized form, the labels
    that have it (its name-index graph), so resolving a name costs a lookup of its form and the names
    query on those labels or nodes, not the whole index. menaka_kg.names keeps the matching rules; this
    only gives it the rows of the names query it needs."""

    def __init__(self, store: ox.Store):
        self._store, self._rows = store, set()
        super().__init__([])
        self._entries = _OnDemand(self._entries, self._fetch_key, self._fetch_all)
        self._labels = _OnDemand(self._labels, lambda key: self._fetch(nodes=[key[0]]), self._fetch_all)
        self._kinds = _OnDemand(self._kinds, lambda iri: self._fetch(nodes=[iri]), self._fetch_all)
        roles = _base_nodes(store)  # matched by their IRI's local name too: always in the index
        self._fetch(nodes=roles)

    def _fetch_key(self, key: str) -> None:
        labels = [q.object for q in self._store.quads_for_pattern(_bucket(key), _HAS_LABEL, None, NAME_GRAPH)]
        self._fetch(labels=labels)

    def _fetch(self, nodes=None, labels=None) -> None:
        rows = [row for row in _names_rows(self._store, nodes, labels) if row not in self._rows]
        self._rows.update(rows)
        part = NameIndex(rows)
        for mapping in ("_entries", "_labels", "_kinds", "_countries"):
            mine, theirs = getattr(self, mapping, None), getattr(part, mapping, None)
            if isinstance(theirs, set):
                mine.update(theirs)
                continue
            for key, value in (theirs or {}).items():
                if isinstance(value, list):
                    dict.setdefault(mine, key, []).extend(value)
                elif isinstance(value, set):
                    dict.setdefault(mine, key, set()).update(value)
                else:
                    dict.__setitem__(mine, key, value)

    def _fetch_all(self) -> None:
        if not getattr(self, "_all", False):
            self._all = True
            self._fetch()


def _base_nodes(store) -> list[str]:
    """The roles: the sub-properties of sem:hasActor."""
    from menaka_kg.prefixes import PREFIXES
    return sorted({_text(q.subject) for q in store.quads_for_pattern(
        None, ox.NamedNode(PREFIXES["rdfs"] + "subPropertyOf"), ox.NamedNode(PREFIXES["sem"] + "hasActor"))})


def _names_rows(store, nodes=None, labels=None) -> list[tuple]:
    """The rows of the names query (queries/internal/names.rq): every row, or those of `nodes` (IRI
    strings) or of `labels` (literals)."""
    text = resources.internal_query("names")
    if nodes is not None or labels is not None:
        terms = [str(_term(node)) for node in nodes] if nodes is not None else [str(label) for label in labels]
        if not terms:
            return []
        where = text.find("WHERE {")
        if where < 0:
            raise StoreError("queries/internal/names.rq has no 'WHERE {'")
        variable = "?node" if nodes is not None else "?label"
        text = f"{text[:where + 7]} VALUES {variable} {{ {' '.join(terms)} }} {text[where + 7:]}"
    return [tuple(_text(solution[v]) for v in ("node", "kind", "label", "labelKind"))
            for solution in store.query(text, use_default_graph_as_union=True)]


_NAME_PREDICATES = []


def name_predicates() -> set[str]:
    """The predicates the names query reads labels with: every IRI its text names (a triple with one of
    them and a literal object is a label the name index keeps)."""
    if not _NAME_PREDICATES:
        import re
        text = resources.internal_query("names")
        prefixes = dict(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", text))
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().upper().startswith(("PREFIX", "#")))
        found = set(re.findall(r"<([^>\s]+)>", body))
        found |= {prefixes[p] + local for p, local in re.findall(r"(?<![\w?$])([\w-]+):([\w-]+)", body) if p in prefixes}
        _NAME_PREDICATES.append(found)
    return _NAME_PREDICATES[0]


def _is_label(predicate, obj) -> bool:
    return predicate.value in name_predicates() and isinstance(obj, ox.Literal)


def _bucket(text: str) -> ox.NamedNode:
    """The name-index node of a label or name: its letters and digits, case and accents folded. Coarser
    than menaka_kg.names.normalize (two labels it matches share a bucket) and much faster to compute;
    the names query and the matcher then sort the bucket's labels out."""
    return ox.NamedNode(_NAME_KEY + "".join(filter(str.isalnum, unicodedata.normalize("NFKD", text.casefold()))))


def _label_quad(label: ox.Literal) -> ox.Quad:
    return ox.Quad(_bucket(label.value), _HAS_LABEL, label, NAME_GRAPH)


def _label_line(label: ox.Literal) -> str:
    """_label_quad as an N-Quads line."""
    return f"{_bucket(label.value)} {_HAS_LABEL} {label} {NAME_GRAPH} .\n"


def _graph_labels(store, graph) -> set:
    return {q.object for q in store.quads_for_pattern(None, None, None, graph) if _is_label(q.predicate, q.object)}


# --- validation ---------------------------------------------------------------------------------------------

def validate_files_against(database: Database, paths, fail_on: str = "violation"):
    """Validate Turtle files as an addition to a store (menaka_kg.validation.validate_addition, as `load`
    does), on a scratch copy of it: the store is not changed."""
    from menaka_kg.validation import validate_addition
    with database.scratch() as (store, _, _):
        graphs = [g for g in store.named_graphs() if g not in _INTERNAL]
        report = validate_addition(store, list(paths), fail_on=fail_on, elsewhere="store", graphs=graphs)
        del store
    return report


# --- helpers -------------------------------------------------------------------------------------------------

def _count(store, graph) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    return int(next(iter(store.query(query)))["n"].value)


def _read_triples(path) -> list:
    """The triples of a Turtle file, with the base IRI validation gives it."""
    try:
        with open(path, "rb") as file:
            return list(ox.parse(file, format=ox.RdfFormat.TURTLE, base_iri=_file_iri(path)))
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    except SyntaxError as error:
        raise turtle_syntax_error(path, error) from None


def _graph_nodes(store, graph) -> set[str]:
    """The IRIs a graph mentions as subject or object."""
    return {_text(term) for q in store.quads_for_pattern(None, None, None, graph) for term in (q.subject, q.object)
            if isinstance(term, ox.NamedNode)}


def _is_schema(predicate) -> bool:
    """Whether a triple changes the classes or roles (and so the kind of every name)."""
    return predicate.value.startswith("http://www.w3.org/2000/01/rdf-schema#sub")


def _text(term) -> str | None:
    if term is None:
        return None
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _term(text: str):
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def _file_iri(path: str) -> str:
    from pathlib import Path
    return Path(path).resolve().as_uri()


def _day(text):
    from datetime import date
    return date.fromisoformat(text) if text else None


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _sync_folder(folder: str, files: bool = True) -> None:
    """Make a folder's files (and its entries) durable before the manifest points to them. A file with
    another link is one of the previous generation's, made durable when that was published (the copy
    links to its immutable files), so only the files written since are synced."""
    if files:
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            status = os.lstat(path)
            if stat.S_ISREG(status.st_mode) and status.st_nlink == 1:
                handle = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(handle)
                finally:
                    os.close(handle)
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
