"""How long validating a small addition takes, against the bundled graph and against one 100 times larger.

    python -m benchmarks.validation [--copies 100] [--repeat 3]

The larger graph is the bundled data copied N times under renamed IRIs (places, actors, events,
assertions and claims get a `-copyK` suffix, labels a " (copy K)" suffix; the ontology and the sources are
shared). The addition is the contributors' skeleton (data/templates/new-report.ttl) twice, under two sets
of IRIs: about 100 triples. Prints one line per graph size, and the ratio.
"""

import argparse
import re
import statistics
import time

from rdflib import Graph

from menaka_kg import resources
from menaka_kg.graph import parse_files
from menaka_kg.validation import InputFile, _focus_nodes, load_shapes, validate

_RENAMED = re.compile(r"(https://w3id\.org/menaka-kg/(?:place|actor|event|assertion|claim|geometry)/[A-Za-z0-9._~-]+)")
_PREFIXED = re.compile(r"(?<![\w:/])((?:place|actor|event|assertion|claim|geometry):[A-Za-z0-9._~-]*[A-Za-z0-9_~-])")


def copy_of(text: str, k: int) -> str:
    """The Turtle text with every node of ours renamed for copy k, and its labels marked."""
    text = _RENAMED.sub(lambda m: f"{m.group(1)}-copy{k}", text)
    text = "\n".join(line if line.lstrip().startswith("@prefix") else _PREFIXED.sub(lambda m: f"{m.group(1)}-copy{k}", line)
                     for line in text.splitlines())
    return re.sub(r'(skos:(?:prefLabel|altLabel) )"([^"]*)"', lambda m: f'{m.group(1)}"{m.group(2)} (copy {k})"', text)


def graph_with_copies(copies: int) -> Graph:
    graph = parse_files(resources.ontology_files() + resources.data_files())
    texts = [p.read_text(encoding="utf-8") for p in resources.data_files() if p.name != "sources.ttl"]
    for k in range(1, copies):
        for text in texts:
            graph.parse(data=copy_of(text, k), format="turtle")
    return graph


def addition() -> list[InputFile]:
    template = resources.report_template().read_text(encoding="utf-8")
    files = []
    for k in ("a", "b"):
        text = re.sub(r"example", f"example-{k}", template)
        text = text.replace("EXAMPLE:", f"EXAMPLE {k}:")
        files.append(InputFile(f"addition-{k}", text, Graph().parse(data=text, format="turtle")))
    return files


def time_addition(base: Graph, inputs, shapes, ontology: Graph, repeat: int) -> tuple[float, int, int]:
    for file in inputs:
        base += file.graph
    focus = _focus_nodes(base, inputs)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate(base, shapes, focus_nodes=focus, ontology=ontology)
        timings.append(time.perf_counter() - start)
    assert report.conforms, report.to_text()
    return statistics.median(timings), len(focus), sum(len(f.graph) for f in inputs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    shapes = load_shapes()
    ontology = parse_files(resources.ontology_files())
    rows = []
    for copies in (1, args.copies):
        start = time.perf_counter()
        base = graph_with_copies(copies)
        load = time.perf_counter() - start
        size = len(base)
        seconds, focus, triples = time_addition(base, addition(), shapes, ontology, args.repeat)
        rows.append((copies, size, load, triples, focus, seconds))
    print(f"{'graph':>18}  {'triples':>9}  {'parse (s)':>9}  {'addition':>14}  {'validate addition (s)':>21}")
    for copies, size, load, triples, focus, seconds in rows:
        print(f"{f'bundled x{copies}':>18}  {size:>9}  {load:>9.1f}  {f'{triples} triples':>14}  {seconds:>21.2f}")
    print(f"ratio of the addition's validation time, x{args.copies} / x1: {rows[1][5] / rows[0][5]:.2f}")


if __name__ == "__main__":
    main()
