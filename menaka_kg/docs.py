"""Generating docs/queries.md from the stored queries' headers (run `python -m menaka_kg.docs`)."""

from pathlib import Path

from menaka_kg import resources
from menaka_kg.stored_queries import load_stored_queries

QUERIES_DOC = Path("docs") / "queries.md"
COVERAGE_DOC = Path("docs") / "coverage.md"


def queries_markdown() -> str:
    """The reference of every stored query, from the headers of queries/*.rq."""
    lines = ["# Stored queries", "",
             "Generated from the headers of `queries/*.rq` by `python -m menaka_kg.docs`; do not edit by hand.",
             "Run one with `menaka-kg query NAME -p KEY=VALUE …` or `kg.query(NAME, KEY=VALUE, …)`. Place, actor",
             "and event parameters take a label, an alternative label, an IRI or a prefixed name; date parameters",
             "take a day, a month, a year or an interval (see [time.md](time.md)).", ""]
    stored = load_stored_queries(resources.queries_dir())
    lines += [f"- [`{q.name}`](#{q.name}): {q.title}" for q in stored.values()]
    for query in stored.values():
        lines += ["", f"## {query.name}", "", f"**{query.title}.** {query.description}", "",
                  "| parameter | kind | required | example | meaning |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| `{p.name}` | {p.kind} | {'yes' if p.required else 'no'} | `{p.example}` | {p.doc} |"
                  for p in query.parameters]
        if query.requires:
            lines += ["", "Give " + " or ".join(" and ".join(f"`{n}`" for n in a) for a in query.requires) + "."]
        lines += ["", "| column | meaning |", "| --- | --- |"]
        lines += [f"| `{name}` | {doc} |" for name, doc in query.columns]
        example = " ".join(f"-p {p.name}={p.example}" for p in query.parameters
                           if p.required or (query.requires and p.name in query.requires[0]))
        lines += ["", "```", f"menaka-kg query {query.name} {example}".rstrip(), "```"]
    return "\n".join(lines) + "\n"


def coverage_markdown(kg) -> str:
    """Each section of each source and the nodes read from it, from the loaded graph."""
    from menaka_kg.prefixes import shorten
    sections = {}
    for row in kg.sparql(resources.internal_query("coverage")):
        entry = sections.setdefault((row["documentLabel"], row["path"], row["section"]), {"note": row.get("note"), "nodes": {}})
        if row.get("node"):
            entry["nodes"].setdefault(row["classLabel"], []).append((row["nodeLabel"], shorten(row["node"])))
    order = {"Infobox": 0, "Lead": 1, "Introduction": 0}
    lines = ["# Coverage: what the graph holds from each section of the sources", "",
             "Generated from the graph by `python -m menaka_kg.docs` (every event, assertion and claim names the",
             "section it is read from with `prov:wasDerivedFrom`); do not edit by hand. What a section says that the",
             "graph does not hold as a node is its `mk:coverageNote` in `data/ttl/sources.ttl`, quoted here.", "",
             "| source | section | events | assertions | claims |", "| --- | --- | --- | --- | --- |"]
    ordered = sorted(sections.items(), key=lambda item: (item[0][0], order.get(item[0][1], 2), str(item[0][2])))
    for (document, path, _), entry in ordered:
        kinds = entry["nodes"]
        count = lambda words: sum(len(v) for k, v in kinds.items() if any(w in k for w in words))
        lines.append(f"| {document} | {path} | {count(['event'])} | {count(['assertion'])} | {count(['claim', 'statement'])} |")
    for (document, path, section), entry in ordered:
        lines += ["", f"## {document}: {path}", ""]
        if entry["note"]:
            lines += [f"> {entry['note']}", ""]
        for class_label, nodes in sorted(entry["nodes"].items()):
            lines.append(f"- **{class_label}** ({len(nodes)}): " + "; ".join(f"{label} (`{iri}`)" for label, iri in sorted(nodes)))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from menaka_kg.api import load
    QUERIES_DOC.write_text(queries_markdown(), encoding="utf-8")
    COVERAGE_DOC.write_text(coverage_markdown(load()), encoding="utf-8")
    print(f"wrote {QUERIES_DOC} and {COVERAGE_DOC}")
