"""A cache of the bundled graph, so a command does not parse the Turtle files on every call.

The cache holds the ontology and the bundled data as one N-Triples file (faster to load than the
Turtle files) and the name index, under a key that is a checksum (CRC-32 and Adler-32, from zlib, which
starts faster than hashlib) of every bundled file's name and content, and of the names query that builds
the index (queries/internal/names.rq): when one of them changes, the key changes and the cache is rebuilt,
so it is never stale; a cached graph that is not the length it was written with, or does not parse, is
rebuilt too. The name index is kept in Python's marshal
format, whose version is part of the key. It lives in
$MENAKA_KG_CACHE, else $XDG_CACHE_HOME/menaka-kg, else ~/.cache/menaka-kg; set MENAKA_KG_CACHE=off to
do without it. A cache that cannot be written is skipped, never an error.
"""

import marshal
import os
import zlib


def _folder() -> str | None:
    setting = os.environ.get("MENAKA_KG_CACHE")
    if setting == "off":
        return None
    if setting:
        return setting
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "menaka-kg")


def bundled_key(files) -> str:
    crc, adler = 0, 1
    for path in files:
        with open(path, "rb") as file:
            for chunk in (os.path.basename(path).encode(), file.read()):
                crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    return f"{crc:08x}{adler:08x}m{marshal.version}"


class BundledCache:
    """The cache entry of the current bundled files (None-safe: every method copes with no folder)."""

    def __init__(self, files):
        from menaka_kg.resources import queries_dir
        folder = _folder()
        names_query = os.path.join(queries_dir(), "internal", "names.rq")
        self.entry = os.path.join(folder, bundled_key([*files, names_query])) if folder else None

    def _file(self, name: str) -> str | None:
        path = os.path.join(self.entry, name) if self.entry else None
        return path if path and os.path.isfile(path) else None

    def graph_path(self) -> str | None:
        """The cached graph, unless it is missing or damaged (not the length it was written with)."""
        path = self._file("graph.nt")
        if not path:
            return None
        try:
            with open(os.path.join(self.entry, "graph.length"), encoding="ascii") as file:
                return path if os.path.getsize(path) == int(file.read()) else None
        except (OSError, ValueError):
            return None

    def derived_path(self) -> str | None:
        """The readings of the bundled graph (menaka_kg.reasoning), as N-Quads in their graph."""
        return self._file("derived.nq")

    def names(self):
        """The cached name index rows, unless they are missing or damaged (then built again)."""
        rows = self.value("names.marshal")
        if isinstance(rows, list) and all(isinstance(row, tuple) and len(row) == 4 for row in rows):
            return rows
        return None

    def value(self, name: str):
        """A value kept in marshal form under `name`, or None (a damaged entry is built again)."""
        path = self._file(name)
        try:
            if path:
                with open(path, "rb") as file:
                    return marshal.load(file)
        except (ValueError, EOFError, TypeError, OSError):
            pass
        return None

    def keep(self, name: str, value) -> None:
        """Keep `value` (of marshal's types) under `name`; a cache that cannot be written is skipped."""
        if not self.entry:
            return
        from menaka_kg.files import write_atomically
        try:
            os.makedirs(self.entry, exist_ok=True)
            write_atomically(os.path.join(self.entry, name), marshal.dumps(value))
        except OSError:
            pass

    def save(self, graph_ntriples: bytes | None = None, names=None, derived_nquads: bytes | None = None) -> None:
        if not self.entry:
            return
        from menaka_kg.files import write_atomically
        try:
            os.makedirs(self.entry, exist_ok=True)
            if graph_ntriples is not None:
                write_atomically(os.path.join(self.entry, "graph.nt"), graph_ntriples)
                write_atomically(os.path.join(self.entry, "graph.length"), str(len(graph_ntriples)))
            if derived_nquads is not None:
                write_atomically(os.path.join(self.entry, "derived.nq"), derived_nquads)
        except OSError:
            pass
        if names is not None:
            self.keep("names.marshal", [tuple(row) for row in names])
