"""What `export --inferred` costs against the reasoner alone, on synthetic graphs (benchmarks.generate).

    python -m benchmarks.inference [--sizes 10k,100k] [--owlrl-sizes 10k]

For each size: reasonable alone (its loading of the Turtle file and its closure), `inferred_triples`
(what `--inferred` runs: writing the triples, the same reasoner, and turning its answer into the triples
it adds without the trivial axioms), and owlrl on the same triples (the reasoner `--inferred` used
before; slow, so only at the sizes asked). Seconds, the best of --repeat runs; nothing is asserted.
"""

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.generate import generate
from menaka_kg import resources
from menaka_kg.export import _file_triples, _rdflib_graph, inferred_triples

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def best(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--owlrl-sizes", default="10k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import owlrl
    import reasonable
    print(f"{'size':>6} {'triples':>9} {'reasonable alone':>17} {'--inferred':>11} {'ratio':>6} {'owlrl':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes.split(","):
            data = Path(folder) / f"{size}.ttl"
            data.write_text(generate(SIZES[size]), encoding="utf-8")
            triples = _file_triples([*resources.ontology_files(), data])
            turtle = Path(folder) / f"{size}-all.ttl"
            turtle.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

            def alone():
                reasoner = reasonable.PyReasoner()
                reasoner.load_file(str(turtle))
                reasoner.reason()

            reasoner_time = best(alone, args.repeat)
            ours = best(lambda: inferred_triples(triples), args.repeat)
            owl = "-"
            if size in args.owlrl_sizes.split(","):
                def closure():
                    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                                           datatype_axioms=False).expand(_rdflib_graph(triples))
                owl = f"{best(closure, 1):.2f}"
            print(f"{size:>6} {len(triples):>9,} {reasoner_time:>17.2f} {ours:>11.2f} {ours / reasoner_time:>6.2f} {owl:>8}")


if __name__ == "__main__":
    main()
