"""How long `menaka-kg site` takes: the bundled graph (goal: at most 10 s) and seeded synthetic graphs
(goal: minutes at 1M triples).

    python -m benchmarks.site [--sizes bundled,100k,1M]

Each build runs in a child process (benchmarks/__main__.py's `child`) and prints the time to load the
graph, the time to build the site (every page with its Turtle and JSON-LD, the search index, the maps),
the number of pages and files, the site's size and the child's peak memory. Triples: the graph with the
ontology.
"""

import argparse
import tempfile
import textwrap
from pathlib import Path

from benchmarks.__main__ import PEAK, SIZES, child
from benchmarks.generate import generate


def measure(graph: Path | None, output: Path) -> tuple[float, float, str]:
    data = f"data=[{str(graph)!r}], bundled=False" if graph else ""
    return child(textwrap.dedent(f"""
        import time, menaka_kg
        from menaka_kg.site import write_site
        start = time.perf_counter()
        kg = menaka_kg.load({data})
        loaded = time.perf_counter() - start
        summary = write_site(kg, {str(output)!r})
        print(f"{{loaded:.2f}}|{{sum(summary.pages.values())}}|{{len(kg.endpoint)}}")
        {PEAK}
        print(summary.seconds, peak)
    """))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="bundled,100k", help=f"comma-separated: bundled, {', '.join(SIZES)}")
    args = parser.parse_args()
    print(f"{'graph':>8}  {'triples':>8}  {'load s':>6}  {'build s':>7}  {'pages':>6}  {'files':>7}  {'MB':>6}  {'peak MB':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes.split(","):
            size = size.strip()
            graph = None
            if size != "bundled":
                graph = Path(folder) / f"{size}.ttl"
                graph.write_text(generate(SIZES[size]), encoding="utf-8")
            output = Path(folder) / f"site-{size}"
            seconds, peak, printed = measure(graph, output)
            loaded, pages, triples = printed.split("|")
            files = [p for p in output.rglob("*") if p.is_file()]
            print(f"{size:>8}  {triples:>8}  {float(loaded):>6.2f}  {seconds:>7.1f}  {pages:>6}  {len(files):>7}  "
                  f"{sum(p.stat().st_size for p in files) / 2**20:>6.1f}  {peak:>7.0f}")


if __name__ == "__main__":
    main()
