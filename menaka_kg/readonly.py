"""Read-only SPARQL: what a query text asks for, decided before any store or endpoint sees it.

The SPARQL grammar tells a query from an update by the first keyword after the prologue (PREFIX, BASE
and VERSION declarations): SELECT, CONSTRUCT, DESCRIBE or ASK begin a QueryUnit, INSERT, DELETE, LOAD,
CLEAR, DROP, CREATE, ADD, MOVE, COPY or WITH an UpdateUnit. `read_query` splits the text into the
grammar's tokens (strings, IRIs, prefixed names, variables, comments: a keyword inside one of them is no
keyword) and reads that decision from them; it also refuses an update operation after a query (a `;` or
an update keyword outside every bracket, which no query has), for endpoints that would run one, and
says whether the query asks another service (SERVICE), which the embedded store refuses: it is offline.
(`FROM <iri>` names a graph of the store; pyoxigraph does not fetch it.)
"""

import re

from menaka_kg.errors import QueryError, shown

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_PROLOGUE = {"BASE": 1, "PREFIX": 2, "VERSION": 1}  # keyword: the tokens its declaration takes after it
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<variable>[?$]\w*)
  | (?P<language>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>[\w.\-]*:(?:[\w.\-:%]|{_LOCAL_ESCAPE})*)
  | (?P<keyword>[A-Za-z_]\w*)
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


class UpdateRefused(QueryError):
    """A SPARQL Update (or a query with an update after it) given where only queries are run."""


class OfflineRefused(QueryError):
    """A query that would fetch from the network (SERVICE), given to the embedded store."""


def _tokens(text: str):
    """(kind, text, bracket depth) of each token but spaces and comments."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield kind, match.group(), depth
        if kind == "open":
            depth += 1


def _update_refused(keyword: str) -> UpdateRefused:
    return UpdateRefused(f"this is a SPARQL Update ({keyword.upper()} …), and menaka-kg only reads: it runs SELECT, ASK, "
                         "CONSTRUCT and DESCRIBE queries; change a store with its own tools")


def read_query(text: str) -> tuple[str | None, bool]:
    """(the query form, whether it asks another service) for a SPARQL text; the form is None when the text
    does not begin like a query (the engine's parser then says why). Raises UpdateRefused for an update."""
    tokens = list(_tokens(text))
    position = 0
    while position < len(tokens) and tokens[position][0] == "keyword" and tokens[position][1].upper() in _PROLOGUE:
        position += 1 + _PROLOGUE[tokens[position][1].upper()]
    first = tokens[position][1].upper() if position < len(tokens) and tokens[position][0] == "keyword" else None
    if first in UPDATE_KEYWORDS:
        raise _update_refused(first)
    for kind, value, depth in tokens[position + 1:]:
        if kind == "other" and value == "\\":
            raise QueryError("SPARQL syntax error: a \\u escape outside a string or IRI is not accepted; write the "
                             "character itself")
        if depth == 0 and (value == ";" or (kind == "keyword" and value.upper() in UPDATE_KEYWORDS)):
            raise _update_refused(value if kind == "keyword" else "; then an update")
    service = any(kind == "keyword" and value.upper() == "SERVICE" for kind, value, _ in tokens)
    return (first if first in QUERY_FORMS else None), service


def names_a_dataset(text: str) -> bool:
    """Whether a query says its own dataset (FROM or FROM NAMED), which a store must then use instead of its
    own default graph."""
    return any(kind == "keyword" and value.upper() == "FROM" and depth == 0 for kind, value, depth in _tokens(text))


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK for a query text; a QueryError for an update or anything else."""
    form, _ = read_query(text)
    if form is None:
        start = text.strip()[:40]
        raise QueryError(f"SPARQL syntax error: a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE (after any "
                         f"PREFIX and BASE), not {shown(start or text)}")
    return form


def check_offline(text: str) -> None:
    """Refuse a query that asks another service: the embedded store does not go on the network."""
    if read_query(text)[1]:
        raise OfflineRefused("the embedded store is offline: it does not run SERVICE (a query to another endpoint); "
                             "ask that endpoint with --endpoint instead")
