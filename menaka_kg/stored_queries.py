"""Stored queries: `queries/*.rq` files with a comment header, and binding their parameters.

A header line is `# title: …`, `# description: …` (continued on `#   ` lines), `# param: name | kind |
required/optional | example | what it is`, `# requires: a | b c` (alternatives, each a set of parameters
that must be given together) and `# column: name | what it holds`. In the query body a parameter is a
SPARQL variable `$name`; a date parameter `name` is the two variables `$nameStart` and `$nameEnd`.

A body line `# include: NAME | PATTERN [| $a=$b …]` (the bars between spaces) stands for the fragment queries/include/NAME.fragment, with
PATTERN in place of its `#SCOPE#` line (and its variable `$a` named `$b`): the rules several queries
share (how readings weigh at a date) are written once there, and each query says which readings it asks
about.

Binding turns every value into an RDF term first (a resolved IRI, a typed literal) and writes only that
term's canonical N-Triples form over the `$` variable: a user's raw text never reaches the query.
"""

import os
from collections import namedtuple

import pyoxigraph as ox

from menaka_kg.errors import BadDate, QueryError, shown
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
        raise QueryError(f"query '{self.name}' has no parameter {shown(name)} (its parameters: {valid})")

    def usage(self) -> str:
        return " ".join(f"-p {p.name}={p.example}" for p in self.parameters if p.required)


def _expand_includes(text: str, folder: str) -> str:
    """The query text with each `# include: NAME | PATTERN` line replaced by its fragment."""
    lines = []
    for line in text.splitlines():
        marker = line.strip()
        if not marker.startswith("# include:"):
            lines.append(line)
            continue
        name, _, rest = marker[len("# include:"):].partition(" | ")
        scope, _, renames = rest.partition(" | ")
        with open(os.path.join(folder, "include", f"{name.strip()}.fragment"), encoding="utf-8") as file:
            fragment = file.read()
        if "#SCOPE#" not in fragment:
            raise QueryError(f"queries/include/{name.strip()}.fragment has no #SCOPE# line")
        fragment = fragment.replace("#SCOPE#", scope.strip())
        for rename in renames.split():  # $dateStart=$fromStart: the fragment's variable under another name
            old_name, _, new_name = rename.partition("=")
            fragment = "\n".join(line if line.lstrip().startswith("#") else line.replace(old_name, new_name)
                                 for line in fragment.splitlines())
        lines.append(fragment.rstrip("\n"))
    return "\n".join(lines) + "\n"


def parse_header(path) -> StoredQuery:
    """Read a stored query (its includes expanded) and its header."""
    with open(path, encoding="utf-8") as file:
        text = _expand_includes(file.read(), os.path.dirname(path))
    file_name = os.path.basename(path)
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
                raise QueryError(f"{file_name}: bad parameter line '{body}'")
            if need == "optional" and kind in ("text", "integer"):
                raise QueryError(f"{file_name}: optional {kind} parameters are not supported")
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
        raise QueryError(f"{file_name}: the header has no '# title:' line")
    return StoredQuery(os.path.splitext(file_name)[0], fields["title"], fields.get("description", ""), parameters, columns,
                       requires, text, path)


def load_stored_queries(folder) -> dict[str, StoredQuery]:
    """Every stored query of the folder, by name."""
    names = sorted(name for name in os.listdir(folder) if name.endswith(".rq"))
    return {name[:-3]: parse_header(os.path.join(folder, name)) for name in names}


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
    terms, periods = {}, {}
    for parameter in query.parameters:
        value = values.get(parameter.name)
        if parameter.kind == "date":
            period = periods[parameter.name] = parse_period(value) if value is not None else None
            terms[parameter.name + "Start"] = _date_literal(period.start if period else OPEN_START)
            terms[parameter.name + "End"] = _date_literal(period.end if period else OPEN_END)
        elif parameter.kind in NAME_KINDS:
            terms[parameter.name] = ox.NamedNode(resolve(value, parameter.kind)) if value is not None else _ANY
        elif parameter.kind == "integer":
            try:
                terms[parameter.name] = ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
            except ValueError:
                raise QueryError(f"parameter '{parameter.name}' must be a whole number, not {shown(value)}") from None
        else:
            terms[parameter.name] = ox.Literal(value)
    if periods.get("from") and periods.get("to") and periods["from"].start > periods["to"].end:
        raise BadDate(f"from {shown(values['from'])} is after to {shown(values['to'])}")
    return terms


def _pieces(text: str) -> list[str]:
    """The text split around its `$name`s outside comment lines: text, name, text, name, …, text (a
    scan rather than a regular expression, so that the query path does not import `re`)."""
    pieces, chunk = [], []
    for line in text.splitlines():
        start = 0
        while not line.lstrip().startswith("#") and (dollar := line.find("$", start)) >= 0:
            end = dollar + 1
            while end < len(line) and (line[end] == "_" or (line[end].isascii() and line[end].isalnum())):
                end += 1
            chunk.append(line[start:dollar])
            pieces += ["".join(chunk), line[dollar + 1:end]]
            chunk, start = [], end
        chunk.append(line[start:] + "\n")
    return pieces + ["".join(chunk)]


_TEMPLATES: dict[str, list[str]] = {}  # a query text: its pieces, split once


def bind_text(text: str, terms: dict) -> str:
    """The text with each `$variable` that has a term replaced by the term's N-Triples form (comments
    untouched)."""
    pieces = _TEMPLATES.get(text) or _TEMPLATES.setdefault(text, _pieces(text))
    names = pieces[1::2]
    return "".join(piece for index, name in enumerate(names)
                   for piece in (pieces[2 * index], str(terms[name]) if name in terms else "$" + name)) + pieces[-1]


def bind(query: StoredQuery, terms: dict) -> str:
    """The stored query's text with its parameters' terms in place (bind_text)."""
    return bind_text(query.text, terms)
