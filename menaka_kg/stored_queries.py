"""Stored queries: `queries/*.rq` files with a comment header, and binding their parameters.

A header line is `# title: …`, `# description: …` (continued on `#   ` lines), `# param: name | kind |
required/optional | example | what it is`, `# requires: a | b c` (alternatives, each a set of parameters
that must be given together) and `# column: name | what it holds`. In the query body a parameter is a
SPARQL variable `$name`; a date parameter `name` is the two variables `$nameStart` and `$nameEnd`.

Binding turns every value into an RDF term first (a resolved IRI, a typed literal) and writes only that
term's canonical N-Triples form over the `$` variable: a user's raw text never reaches the query.
"""

import re
from collections import namedtuple
from pathlib import Path

import pyoxigraph as ox

from menaka_kg.errors import QueryError
from menaka_kg.periods import OPEN_END, OPEN_START, parse_period
from menaka_kg.prefixes import MK, XSD

KINDS = ("place", "actor", "event", "role", "date", "text", "integer")
NAME_KINDS = ("place", "actor", "event", "role")
_ANY = ox.NamedNode(MK + "any")
_DATE = ox.NamedNode(XSD + "date")


class Parameter(namedtuple("Parameter", "name kind required example doc")):
    """A `# param:` line: name, kind (KINDS), required (bool), an example value, what it is."""

    __slots__ = ()


class StoredQuery(namedtuple("StoredQuery", "name title description parameters columns requires text path")):
    """A stored query: its header (title, description, parameters, (column, doc) pairs, the `# requires:`
    alternatives), its text and its file."""

    __slots__ = ()

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        valid = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (its parameters: {valid})")

    def usage(self) -> str:
        return " ".join(f"-p {p.name}={p.example}" for p in self.parameters if p.required)


def parse_header(path: Path) -> StoredQuery:
    """Read a stored query and its header."""
    text = path.read_text(encoding="utf-8")
    fields, parameters, columns, requires = {}, [], [], []
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if line.startswith("#   ") and last:
            fields[last] += " " + body
            continue
        key, _, value = body.partition(":")
        value = value.strip()
        if key in ("title", "description"):
            fields[key], last = value, key
        elif key == "param":
            name, kind, need, example, doc = [part.strip() for part in value.split("|")]
            if kind not in KINDS or need not in ("required", "optional"):
                raise QueryError(f"{path.name}: bad parameter line '{body}'")
            if need == "optional" and kind in ("text", "integer"):
                raise QueryError(f"{path.name}: optional {kind} parameters are not supported")
            parameters.append(Parameter(name, kind, need == "required", example, doc))
            last = None
        elif key == "column":
            name, _, doc = value.partition("|")
            columns.append((name.strip(), doc.strip()))
            last = None
        elif key == "requires":
            requires = [alternative.split() for alternative in value.split("|")]
            last = None
    if "title" not in fields:
        raise QueryError(f"{path.name}: the header has no '# title:' line")
    return StoredQuery(path.stem, fields["title"], fields.get("description", ""), parameters, columns,
                       requires, text, path)


def load_stored_queries(folder: Path) -> dict[str, StoredQuery]:
    return {path.stem: parse_header(path) for path in sorted(folder.glob("*.rq"))}


def _date_literal(day) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=_DATE)


def parameter_terms(query: StoredQuery, values: dict[str, str], resolve) -> dict[str, ox.NamedNode | ox.Literal]:
    """The RDF term for every `$variable` of the query, from the user's values.

    `resolve(name, kind)` turns a name into an IRI string (or raises UnknownName / AmbiguousName).
    """
    for name in values:
        query.parameter(name)
    given = {name for name, value in values.items() if value is not None}
    missing = [p.name for p in query.parameters if p.required and p.name not in given]
    if missing:
        raise QueryError(f"query '{query.name}' needs {', '.join(missing)} (e.g. {query.usage()})")
    if query.requires and not any(set(alternative) <= given for alternative in query.requires):
        options = " or ".join(" and ".join(a) for a in query.requires)
        raise QueryError(f"query '{query.name}' needs {options}")
    terms = {}
    for parameter in query.parameters:
        value = values.get(parameter.name)
        if parameter.kind == "date":
            period = parse_period(value) if value is not None else None
            terms[parameter.name + "Start"] = _date_literal(period.start if period else OPEN_START)
            terms[parameter.name + "End"] = _date_literal(period.end if period else OPEN_END)
        elif parameter.kind in NAME_KINDS:
            terms[parameter.name] = ox.NamedNode(resolve(value, parameter.kind)) if value is not None else _ANY
        elif parameter.kind == "integer":
            try:
                terms[parameter.name] = ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
            except ValueError:
                raise QueryError(f"parameter '{parameter.name}' must be a whole number, not '{value}'") from None
        else:
            terms[parameter.name] = ox.Literal(value)
    return terms


_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def bind(query: StoredQuery, terms: dict) -> str:
    """The query text with each `$variable` replaced by its term's N-Triples form (comments untouched)."""

    def substitute(line: str) -> str:
        if line.lstrip().startswith("#"):
            return line
        return _VARIABLE.sub(lambda m: str(terms[m.group(1)]) if m.group(1) in terms else m.group(0), line)

    return "\n".join(substitute(line) for line in query.text.splitlines()) + "\n"
