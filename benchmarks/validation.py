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

import pyoxigraph as ox

from menaka_kg import resources
from menaka_kg.validation import InputFile, _focus_nodes, compiled_shapes, validate_store

_RENAMED = re.compile(r"(https://w3id\.org/menaka-kg/(?:place|actor|event|assertion|claim|geometry)/[A-Za-z0-9._~-]+)")
_PREFIXED = re.compile(r"(?<![\w:/])((?:place|actor|event|assertion|claim|geometry):[A-Za-z0-9._~-]*[A-Za-z0-9_~-])")


def copy_of(text: str, k: int) -> str:
    """The Turtle text with every node of ours renamed for copy k, and its labels marked."""
    text = _RENAMED.sub(lambda m: f"{m.group(1)}-copy{k}", text)
    text = "\n".join(line if line.lstrip().startswith("@prefix") else _PREFIXED.sub(lambda m: f"{m.group(1)}-copy{k}", line)
                     for line in text.splitlines())
    return re.sub(r'(skos:(?:prefLabel|altLabel) )"([^"]*)"', lambda m: f'{m.group(1)}"{m.group(2)} (copy {k})"', text)


def store_with_copies(copies: int) -> ox.Store:
    store = ox.Store()
    for path in resources.ontology_files() + resources.data_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    texts = [p.read_text(encoding="utf-8") for p in resources.data_files() if p.name != "sources.ttl"]
    for k in range(1, copies):
        for text in texts:
            store.load(copy_of(text, k), format=ox.RdfFormat.TURTLE)
    return store


def addition() -> list[InputFile]:
    template = resources.report_template().read_text(encoding="utf-8")
    files = []
    for k in ("a", "b"):
        text = re.sub(r"example", f"example-{k}", template).replace("EXAMPLE:", f"EXAMPLE {k}:")
        files.append(InputFile(f"addition-{k}", text, list(ox.parse(text, format=ox.RdfFormat.TURTLE))))
    return files


def median_time(action, repeat: int):
    timings, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compiled_shapes()
    rows = []
    for copies in (1, args.copies):
        start = time.perf_counter()
        store = store_with_copies(copies)
        load = time.perf_counter() - start
        size = len(store)
        full, report = median_time(lambda: validate_store(store), 1)
        assert report.conforms, report.to_text()
        inputs = addition()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for f in inputs for t in f.triples)
        focus = _focus_nodes(store, inputs)
        seconds, report = median_time(lambda: validate_store(store, focus), args.repeat)
        assert report.conforms, report.to_text()
        rows.append((copies, size, load, full, sum(len(f.triples) for f in inputs), seconds))
    print(f"{'graph':>15}  {'triples':>9}  {'load (s)':>8}  {'full validation (s)':>19}  {'addition':>12}  {'validate addition (s)':>21}")
    for copies, size, load, full, triples, seconds in rows:
        print(f"{f'bundled x{copies}':>15}  {size:>9}  {load:>8.2f}  {full:>19.2f}  {f'{triples} triples':>12}  {seconds:>21.3f}")
    print(f"ratio of the addition's validation time, x{args.copies} / x1: {rows[1][5] / rows[0][5]:.2f}")


if __name__ == "__main__":
    main()
