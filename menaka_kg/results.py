"""Query results as rows of RDF terms, and their formats: table, W3C JSON / CSV / TSV, JSON lines."""

from datetime import date

import pyoxigraph as ox

from menaka_kg.prefixes import XSD

FORMATS = ("table", "json", "csv", "tsv", "jsonl")
_MAX_CELL = 60
# What a table narrower than its columns leaves out first, most dispensable first (the details a reader can
# ask for with --wide or another format); then the other columns from the right, never the first one.
DISPENSABLE = ("why", "via", "assertion", "relation", "claim", "item", "document", "source", "presumedUntil",
               "endLatest", "beginLatest", "region", "roleTitle", "figureText", "kind", "claimant", "mode")
_NARROWEST = 12  # a text column is never shortened below this (or its header)
_COMFORTABLE = 24  # columns are left out until each text column can have this much (or all it needs)


def native(term):
    """A Python value for a term: str for IRIs, date / int / float / bool for typed literals."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype = term.datatype.value if term.datatype else ""
    try:
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
        if datatype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            return int(term.value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
    except ValueError:
        pass
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != XSD + "string":
        binding["datatype"] = term.datatype.value
    return binding


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


class Results:
    """The answer to a SELECT query: variable names and rows of terms (None where unbound)."""

    def __init__(self, variables: list[str], rows: list[tuple]):
        self.variables = variables
        self.rows = rows

    def __repr__(self):
        return f"Results(variables={self.variables!r}, {len(self.rows)} rows)"

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        """Rows as dicts of Python values, for programs."""
        for row in self.rows:
            yield {var: native(term) for var, term in zip(self.variables, row)}

    def column(self, var: str) -> list:
        index = self.variables.index(var)
        return [native(row[index]) for row in self.rows]

    def format(self, fmt: str, width: int | None = None) -> str:
        """The rows in `fmt`; a table fits `width` columns when one is given (a terminal's)."""
        if fmt == "table":
            return self.to_table(width)
        return {"json": self.to_json, "csv": self.to_csv, "tsv": self.to_tsv, "jsonl": self.to_jsonl}[fmt]()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        import json
        bindings = [{var: _json_term(term) for var, term in zip(self.variables, row) if term is not None}
                    for row in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV (plain values, CRLF line ends)."""
        import csv
        import io
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([_csv_value(term) for term in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV (terms in N-Triples syntax)."""
        lines = ["\t".join("?" + var for var in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if term is None else str(term) for term in row))
        return "\n".join(lines) + "\n"

    def to_jsonl(self) -> str:
        """One JSON object per row, plain values (dates as ISO strings)."""
        import json
        return "".join(json.dumps({k: (v.isoformat() if isinstance(v, date) else v)
                                   for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n"
                       for row in self)

    def explained(self, width: int | None = None) -> str:
        """The table without the `why` column (fitted to `width`, as to_table), then each row's why,
        numbered in row order."""
        from menaka_kg.errors import QueryError
        if "why" not in self.variables:
            raise QueryError("this query gives no why column to explain")
        keep = [i for i, var in enumerate(self.variables) if var != "why"]
        table = Results([self.variables[i] for i in keep], [tuple(row[i] for i in keep) for row in self.rows]).to_table(width)
        named = next((var for var in self.variables if var.endswith("Label")), None)
        lines = []
        for number, row in enumerate(self, start=1):
            name = row.get(named) or "" if named else ""
            lines.append(f"{number}. {name + ' — ' if name else ''}{row['why']}")
        return table + "\nWhy:\n" + "\n".join(lines) + ("\n" if lines else "")

    def to_table(self, width: int | None = None) -> str:
        """An aligned table for people: labels stand in for IRIs that have a ...Label column. With a
        `width`, long cells are shortened with an ellipsis and the least useful columns left out (the last
        line says which) until it fits; without, every column in full (as piped output has it)."""
        shown = [v for v in self.variables if not (f"{v}Label" in self.variables)]
        header = [v[: -len("Label")] if v.endswith("Label") and v[: -len("Label")] in self.variables else v
                  for v in shown]
        indexes = [self.variables.index(v) for v in shown]
        cells = [[self._cell(row[i]) for i in indexes] for row in self.rows]
        count = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        if width is None:
            widths = [max([len(h)] + [len(r[c]) for r in cells]) for c, h in enumerate(header)]
            lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
                     "  ".join("-" * w for w in widths)]
            lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
            return "\n".join(lines + [f"({count})"]) + "\n"
        kept, widths = _fit(header, cells, width)
        left_out = [h for c, h in enumerate(header) if c not in kept]
        lines = ["  ".join(_clip(header[c], widths[c]) for c in kept).rstrip(),
                 "  ".join("-" * widths[c] for c in kept)]
        lines += ["  ".join(_clip(r[c], widths[c]) for c in kept).rstrip() for r in cells]
        note = f"; left out: {', '.join(left_out)} (--wide shows every column)" if left_out else ""
        return "\n".join(lines + _wrap(f"({count}{note})", width)) + "\n"

    @staticmethod
    def _cell(term) -> str:
        if term is None:
            return ""
        text = term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"
        text = " ".join(text.split())
        return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def display_width(text: str) -> int:
    """The columns a text takes in a terminal: combining marks none, wide (East Asian) characters two."""
    import unicodedata
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces (a word longer than that stays whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and display_width(line) + 1 + display_width(word) > width:
            lines.append(line)
            line = " " + word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def _clip(text: str, width: int) -> str:
    """`text` padded to `width` columns, or cut to fit with an ellipsis."""
    if display_width(text) > width:
        while text and display_width(text) > width - 1:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text + " " * (width - display_width(text))


def _fit(header: list[str], cells: list[list[str]], width: int) -> tuple[list[int], list[int]]:
    """Which columns to keep and how wide each is, so that the table fits `width`: leave out columns
    (DISPENSABLE first) until each text column left can be _COMFORTABLE wide, then shorten the widest
    ones, never below _NARROWEST."""
    natural = [max([display_width(h)] + [display_width(r[c]) for r in cells]) for c, h in enumerate(header)]
    comfortable = [min(n, max(display_width(h), _COMFORTABLE)) for n, h in zip(natural, header)]
    narrowest = [min(n, max(display_width(h), _NARROWEST)) for n, h in zip(natural, header)]
    order = [header.index(name) for name in DISPENSABLE if name in header and header.index(name) != 0]
    order += [c for c in reversed(range(1, len(header))) if c not in order]
    kept = list(range(len(header)))

    def total(columns, sizes):
        return sum(sizes[c] for c in columns) + 2 * (len(columns) - 1)

    while len(kept) > 1 and total(kept, comfortable) > width:
        kept.remove(order.pop(0))
    widths = list(natural)
    while total(kept, widths) > width:
        widest = max((c for c in kept if widths[c] > narrowest[c]), key=lambda c: widths[c], default=None)
        if widest is None:
            break
        widths[widest] -= 1
    return kept, widths


def terminal_width() -> int | None:
    """The width of the terminal standard output writes to (COLUMNS when set); None when it is piped."""
    import os
    import sys
    try:
        if not sys.stdout.isatty():
            return None
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None
