"""Query results as rows of RDF terms, and their formats: table, W3C JSON / CSV / TSV, JSON lines."""

from datetime import date

import pyoxigraph as ox

from menaka_kg.prefixes import XSD

FORMATS = ("table", "json", "csv", "tsv", "jsonl")
_MAX_CELL = 60


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

    def format(self, fmt: str) -> str:
        return {"table": self.to_table, "json": self.to_json, "csv": self.to_csv,
                "tsv": self.to_tsv, "jsonl": self.to_jsonl}[fmt]()

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

    def explained(self) -> str:
        """The table without the `why` column, then each row's why, numbered in row order."""
        from menaka_kg.errors import QueryError
        if "why" not in self.variables:
            raise QueryError("this query gives no why column to explain")
        keep = [i for i, var in enumerate(self.variables) if var != "why"]
        table = Results([self.variables[i] for i in keep], [tuple(row[i] for i in keep) for row in self.rows]).to_table()
        named = next((var for var in self.variables if var.endswith("Label")), None)
        lines = []
        for number, row in enumerate(self, start=1):
            name = row.get(named) or "" if named else ""
            lines.append(f"{number}. {name + ' — ' if name else ''}{row['why']}")
        return table + "\nWhy:\n" + "\n".join(lines) + ("\n" if lines else "")

    def to_table(self) -> str:
        """An aligned table for people: labels stand in for IRIs that have a ...Label column."""
        shown = [v for v in self.variables if not (f"{v}Label" in self.variables)]
        header = [v[: -len("Label")] if v.endswith("Label") and v[: -len("Label")] in self.variables else v
                  for v in shown]
        indexes = [self.variables.index(v) for v in shown]
        cells = [[self._cell(row[i]) for i in indexes] for row in self.rows]
        widths = [max([len(h)] + [len(r[c]) for r in cells]) for c, h in enumerate(header)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _cell(term) -> str:
        if term is None:
            return ""
        text = term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"
        text = " ".join(text.split())
        return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"
