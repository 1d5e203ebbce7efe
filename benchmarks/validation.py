"""How validation scales: with the graph, with the addition, with the number of results; ACLED imports;
the whole graph, beside Apache Jena's SHACL validator when it is installed.

    python -m benchmarks.validation [--copies 100] [--repeat 3] [--additions 10k,100k,1M]
                                    [--bad 1000,4000] [--acled 10k,100k] [--whole 1M]

1. A small addition (the contributors' skeleton, data/templates/new-report.ttl, twice under two sets of
   IRIs: about 100 triples) against the bundled graph and against it copied N times under renamed IRIs
   (places, actors, events, assertions and claims get a `-copyK` suffix, labels a " (copy K)" suffix).
2. Additions of synthetic triples (benchmarks/generate.py) to the bundled graph, `menaka-kg validate
   FILE` from the shell: seconds and peak memory.
3. Additions of K events that each lack seven required properties, from the shell: the time grows
   with the number of results, not faster.
4. ACLED exports of K rows (benchmarks/acled.py), imported with `menaka-kg import acled` and the output
   validated from the shell, as docs/acled.md describes.
5. The whole synthetic graph: the engine alone on a loaded store (the `python -m benchmarks` row), and
   `menaka-kg validate GRAPH --no-bundled` from the shell, beside `shacl validate` (Apache Jena's, on
   PATH or from Debian's libapache-jena-java) on the same files when it is installed.
Every step runs in a process of its own, so its peak memory is its own.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.__main__ import SIZES, child, step
from menaka_kg import resources

_RENAMED = re.compile(r"(https://w3id\.org/menaka-kg/(?:place|actor|event|assertion|claim|geometry)/[A-Za-z0-9._~-]+)")
_PREFIXED = re.compile(r"(?<![\w:/])((?:place|actor|event|assertion|claim|geometry):[A-Za-z0-9._~-]*[A-Za-z0-9_~-])")
ROOT = Path(__file__).resolve().parents[1]
COMMAND = str(Path(sys.executable).parent / "menaka-kg")


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


def small_addition(folder: Path) -> list[Path]:
    template = resources.report_template().read_text(encoding="utf-8")
    paths = []
    for k in ("a", "b"):
        paths.append(folder / f"addition-{k}.ttl")
        paths[-1].write_text(re.sub(r"example", f"example-{k}", template).replace("EXAMPLE:", f"EXAMPLE {k}:"), encoding="utf-8")
    return paths


def median_time(action, repeat: int):
    timings, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), answer


def shell(command: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak MB, the last line of a command's output and its CPU seconds (its children's
    included; what a shared machine does not inflate), through /usr/bin/time when there."""
    timer = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    done = subprocess.run([timer, "-f", "%M %U %S", *command] if Path(timer).exists() else command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}")
    peak, user, system = map(float, done.stderr.strip().splitlines()[-1].split()) if Path(timer).exists() else (0.0, 0.0, 0.0)
    return seconds, peak / 1024, (done.stdout.strip().splitlines() or [""])[-1], user + system


def small_additions(copies: int, repeat: int, folder: Path):
    from menaka_kg.validation import compiled_shapes, validate_addition
    compiled_shapes()
    additions = small_addition(folder)
    print(f"\n1. A {sum(len(list(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))) for p in additions)}-triple addition\n")
    print(f"{'graph':>15}  {'triples':>9}  {'load (s)':>8}  {'validate addition (s)':>21}  {'nodes checked':>13}")
    rows = []
    for n in (1, copies):
        start = time.perf_counter()
        store = store_with_copies(n)
        load = time.perf_counter() - start
        seconds, report = median_time(lambda: validate_addition(store, additions), repeat)
        assert report.conforms, report.to_text()
        rows.append(seconds)
        print(f"{f'bundled x{n}':>15}  {len(store):>9}  {load:>8.2f}  {seconds:>21.3f}  {report.checked:>13}")
    print(f"ratio of the addition's validation time, x{copies} / x1: {rows[1] / rows[0]:.2f}")


def synthetic_additions(sizes, folder: Path):
    from benchmarks.generate import generate
    print("\n2. Synthetic additions to the bundled graph: menaka-kg validate FILE\n")
    print(f"{'addition':>9}  {'triples':>9}  {'seconds':>8}  {'CPU s':>6}  {'peak MB':>8}  summary")
    for size in sizes:
        path = folder / f"addition-{size}.ttl"
        text = generate(SIZES[size], seed=3)
        path.write_text(text, encoding="utf-8")
        triples = sum(1 for _ in ox.parse(text, format=ox.RdfFormat.TURTLE))
        seconds, peak, summary, cpu = shell([COMMAND, "validate", str(path)])
        print(f"{size:>9}  {triples:>9}  {seconds:>8.2f}  {cpu:>6.1f}  {peak:>8.0f}  {summary}")


def bad_events(counts, folder: Path):
    print("\n3. Additions of events that each lack seven required properties: menaka-kg validate FILE\n")
    print(f"{'events':>7}  {'seconds':>8}  {'CPU s':>6}  {'peak MB':>8}  summary")
    head = "@prefix mk: <https://w3id.org/menaka-kg/ontology#> .\n@prefix event: <https://w3id.org/menaka-kg/event/> .\n" \
           "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n@prefix place: <https://w3id.org/menaka-kg/place/> .\n"
    for count in counts:
        path = folder / f"bad-{count}.ttl"
        path.write_text(head + "".join(f"event:bad-{n} a mk:Event ; sem:hasPlace place:menaka .\n" for n in range(count)),
                        encoding="utf-8")
        seconds, peak, summary, cpu = shell([COMMAND, "validate", str(path)])
        print(f"{count:>7}  {seconds:>8.2f}  {cpu:>6.1f}  {peak:>8.0f}  {summary}")


def acled_imports(sizes, folder: Path):
    from benchmarks.acled import SIZES as ROWS, generate
    print("\n4. ACLED imports (benchmarks/acled.py): menaka-kg import acled, then menaka-kg validate OUT.ttl\n")
    print(f"{'rows':>7}  {'Turtle MB':>9}  {'import s':>8}  {'validate s':>10}  {'CPU s':>6}  {'peak MB':>8}  summary")
    for size in sizes:
        export, output = folder / f"acled-{size}.csv", folder / f"acled-{size}.ttl"
        generate(export, ROWS[size], 7)
        imported = shell([COMMAND, "import", "acled", str(export), "-o", str(output)])[0]
        seconds, peak, summary, cpu = shell([COMMAND, "validate", str(output)])
        print(f"{ROWS[size]:>7}  {output.stat().st_size / 2**20:>9.1f}  {imported:>8.2f}  {seconds:>10.2f}  {cpu:>6.1f}  "
              f"{peak:>8.0f}  {summary}")


def whole_graphs(sizes, repeat: int, folder: Path):
    from benchmarks.generate import generate
    print("\n5. The whole synthetic graph, no bundled data\n")
    print(f"{'graph':>6}  {'triples':>9}  {'engine s':>8}  {'engine MB':>9}  {'menaka-kg validate s':>20}  {'MB':>6}  "
          f"{'Jena shacl validate s':>21}  {'MB':>6}")
    jena = jena_shacl(folder)
    for size in sizes:
        graph = folder / f"graph-{size}.ttl"
        text = generate(SIZES[size], seed=1)
        graph.write_text(text, encoding="utf-8")
        triples = sum(1 for _ in ox.parse(text, format=ox.RdfFormat.TURTLE))
        files = [str(p) for p in resources.ontology_files()] + [str(graph)]
        engine, engine_peak, _ = child(step(
            "import pyoxigraph as ox\n        from menaka_kg.validation import validate_store, compiled_shapes\n"
            f"        s = ox.Store()\n        for f in {files!r}: s.load(path=f, format=ox.RdfFormat.TURTLE)\n"
            "        compiled_shapes()", "report = validate_store(s)", repeat))
        runs = [shell([COMMAND, "validate", str(graph), "--no-bundled"]) for _ in range(repeat)]
        ours = min(runs)
        if jena:
            shapes = [str(p) for p in resources.shape_files()]
            data = folder / f"graph-{size}-with-ontology.ttl"
            data.write_text("".join(Path(f).read_text(encoding="utf-8") + "\n" for f in files), encoding="utf-8")
            theirs = min(shell([*jena, "validate", "--data", str(data), "--shapes", shapes[0]]) for _ in range(repeat))
            reference = f"{theirs[0]:>21.2f}  {theirs[1]:>6.0f}"
        else:
            reference = f"{'(no Jena installed)':>21}  {'':>6}"
        print(f"{size:>6}  {triples:>9}  {engine:>8.2f}  {engine_peak:>9.0f}  {ours[0]:>20.2f}  {ours[1]:>6.0f}  {reference}")


def jena_shacl(folder: Path) -> list[str] | None:
    """Apache Jena's `shacl` command: on PATH, or Debian's jars (libapache-jena-java) run by java."""
    if shutil.which("shacl"):
        return [shutil.which("shacl")]
    try:
        from tests.jena import classpath
        return ["java", "-cp", classpath(folder), "shacl.shacl"]
    except AssertionError:  # neither Java nor Jena is installed
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--additions", default="10k,100k,1M", help="synthetic additions: 10k, 100k, 1M (empty: none)")
    parser.add_argument("--bad", default="1000,4000", help="additions of this many defective events (empty: none)")
    parser.add_argument("--acled", default="10k,100k", help="ACLED imports of 1k, 10k, 100k or 1M rows (empty: none)")
    parser.add_argument("--whole", default="1M", help="whole synthetic graphs: 10k, 100k, 1M (empty: none)")
    args = parser.parse_args()
    split = lambda value: [v for v in value.split(",") if v]
    print(f"menaka-kg validation benchmarks, Python {sys.version.split()[0]}, pyoxigraph {ox.__version__}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        small_additions(args.copies, args.repeat, folder)
        synthetic_additions(split(args.additions), folder)
        bad_events([int(n) for n in split(args.bad)], folder)
        acled_imports(split(args.acled), folder)
        whole_graphs(split(args.whole), args.repeat, folder)


if __name__ == "__main__":
    main()
