"""The persistent store (menaka-kg load … --store DIR) beside the --data path and raw pyoxigraph on the same store.

    python -m benchmarks.store [--sizes 100k,1M,10M] [--repeat 5] [--graphs DIR] [--slow 120] [--validated-for 600]

For each size it writes the seeded synthetic graph (benchmarks/generate.py; with --graphs, DIR/g1m.ttl
and the like are taken when there, as `python -m benchmarks.generate --triples 1000000 -o DIR/g1m.ttl`
writes them) and prints one table:
loading it into a new store (bulk; with validation up to 1M), each stored query cold from the shell and
warm (with its rows and the time per row), and a ~100-triple validated addition. Every figure stands
beside what the --data path costs for the same thing and beside raw pyoxigraph on the same on-disk store
(the same query text, the same files, no validation, no readings). Load steps run in child processes,
so their peak memory (and their CPU time, which a shared machine does not inflate as it does wall time)
is their own. The package's modules are compiled first, as installing it does (a cold start from the shell
would otherwise compile them each time when Python does not write its bytecode cache). `python -m
benchmarks --store` runs this too, for each of its sizes.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parents[1]
COMMAND = str(Path(sys.executable).parent / "menaka-kg")
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000, "10M": 10_000_000}
PARAMS = {"place": "https://w3id.org/menaka-kg/place/l1", "actor": "https://w3id.org/menaka-kg/actor/a0",
          "event": "https://w3id.org/menaka-kg/event/e0", "date": "2018", "from": "2016", "to": "2019",
          "role": "attacker"}
VALIDATED_UP_TO = 1_500_000  # a validated load of the whole graph: up to this size
VALIDATED_FOR = 600  # seconds it (and the --data path's load) may take before it is stopped and given as such
SLOW = 120  # seconds a warm query may take before it is given as not answering


def measured(command: list[str], timeout: float | None = None) -> dict:
    """Run a command in a child of a child: its wall time, CPU time and peak memory (MB); with
    `timeout`, {"stopped": timeout} when it runs longer (it is killed)."""
    code = textwrap.dedent(f"""
        import json, resource, subprocess, sys, time
        start = time.perf_counter()
        try:
            done = subprocess.run({command!r}, capture_output=True, text=True, timeout={timeout!r})
        except subprocess.TimeoutExpired:
            print(json.dumps({{"stopped": {timeout!r}}}))
            sys.exit()
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(json.dumps({{"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024,
                           "code": done.returncode, "err": done.stderr[-2000:]}}))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    if result.get("code", 0) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result['err']}")
    return result


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def query_params(name: str) -> dict:
    from menaka_kg import resources
    from menaka_kg.stored_queries import parse_header
    query = parse_header(os.path.join(resources.queries_dir(), f"{name}.rq"))
    return {p.name: PARAMS[p.name] for p in query.parameters if p.required or (query.requires and p.name in query.requires[0])}


def best(command: list[str], times: int) -> float | None:
    """The best wall time of `times` runs; None when the command fails (e.g. its query's timeout)."""
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        if subprocess.run(command, capture_output=True).returncode != 0:
            return None
        timings.append(time.perf_counter() - start)
    return min(timings)


def current_generation(store: Path) -> str:
    manifest = json.loads((store / "menaka-kg-store.json").read_text())
    return str(store / f"gen-{manifest['generation']}")


def warm_queries(store: Path, graph: Path, repeat: int, data_path: bool) -> dict:
    """Each stored query's warm median on the store (ours and raw pyoxigraph on the same store, same text)
    and, with `data_path`, on the --data path's in-memory store: {name: (rows, store, raw, data)} in s.
    Each query is timed in a process of its own: with glibc's allocator, a small query after one with a
    big answer in the same process took twice as long (docs/performance.md). A query under 50 ms is
    given by the median of 30 runs after its first (on a shared virtual machine a median of a few runs
    of a millisecond query varies by up to twice), one whose first run takes over a second by that run
    (the one that counts its rows); one that does not answer within SLOW seconds is given as None (and
    its rows as None)."""
    from menaka_kg import resources
    from menaka_kg.stored_queries import load_stored_queries
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    answer = {}
    for name in load_stored_queries(resources.queries_dir()):
        code = f"""
            import json, statistics, time, menaka_kg
            from menaka_kg.api import open_store
            from menaka_kg.errors import QueryTimeout
            from benchmarks.store import query_params
            def median(action, n):
                start = time.perf_counter(); action(); first = time.perf_counter() - start
                timings = [first]
                for _ in range(0 if first >= 1 else n if first >= 0.05 else max(n, 30)):
                    start = time.perf_counter(); action(); timings.append(time.perf_counter() - start)
                return statistics.median(timings[1:] or timings)
            kg = open_store({str(store)!r})
            kg.timeout = {SLOW}
            name, values = {name!r}, query_params({name!r})
            text = kg.bound_query(name, **values)
            try:
                start = time.perf_counter()
                rows = len(kg.query(name, **values))
                first = time.perf_counter() - start
            except QueryTimeout:
                print(json.dumps([None, None, None, None]))
                raise SystemExit
            ours = first if first >= 1 else median(lambda: kg.query(name, **values), {repeat})
            raw = median(lambda: list(kg.endpoint.raw.query(text, use_default_graph_as_union=True)), {repeat})
            on_data = None
            if {data_path!r}:
                data = menaka_kg.load(data=[{str(graph)!r}], bundled=False)
                data.timeout = {SLOW}
                data.query(name, **values)  # the first query derives the readings in memory, once
                on_data = median(lambda: data.query(name, **values), {repeat})
            print(json.dumps([rows, ours, raw, on_data]))
        """
        done = subprocess.run(python(code), capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"the warm query {name} failed:\n{done.stderr[-3000:]}")
        answer[name] = tuple(json.loads(done.stdout.strip().splitlines()[-1]))
        print(name, answer[name], file=sys.stderr, flush=True)
    return answer


def raw_cold(store: Path, name: str) -> list[str]:
    """A bare script: import pyoxigraph, open the store read-only, run the stored query's bound text."""
    from menaka_kg.api import open_store
    kg = open_store(store)
    text = kg.bound_query(name, **query_params(name))
    kg.close()
    return python(f"""
        import pyoxigraph as ox
        store = ox.Store.read_only({current_generation(store)!r})
        list(store.query({text!r}, use_default_graph_as_union=True))
    """)


def measure(size: str, graph: Path, addition: Path, folder: Path, repeat: int) -> list[tuple]:
    """Rows of (step, store, --data path, raw pyoxigraph, note)."""
    triples = SIZES[size]
    rows = []
    store = folder / f"store-{size}"
    # loading: the store (bulk), the --data path (parse and derive in memory), raw pyoxigraph's bulk load
    ours = measured([COMMAND, "load", "--no-validate", str(graph), "--store", str(store)])
    data = measured(python(f"import menaka_kg; menaka_kg.load(data=[{str(graph)!r}], bundled=False)"), VALIDATED_FOR)
    raw = measured(python(f"""
        import pyoxigraph as ox
        ox.Store({str(folder / 'raw')!r}).bulk_load(path={str(graph)!r}, format=ox.RdfFormat.TURTLE,
                                               to_graph=ox.NamedNode("https://example.org/g"))"""))
    shutil.rmtree(folder / "raw", ignore_errors=True)
    rows.append(("load the graph, not validated (s; CPU s; peak MB)", ours, data, raw,
                 "store: bulk load + readings + name index, once; --data: what every command pays"))
    if triples <= VALIDATED_UP_TO:
        checked = measured([COMMAND, "load", str(graph), "--store", str(folder / "validated")], VALIDATED_FOR)
        rows.append(("load the graph, validated (s; CPU s; peak MB)", checked, None, None,
                     "the validation is today's engine on the store (menaka_kg.database.validate_addition)"))
        shutil.rmtree(folder / "validated", ignore_errors=True)
    else:
        rows.append(("load the graph, validated", None, None, None,
                     f"not run above {VALIDATED_UP_TO:,} triples: a file larger than the store is checked in memory, about 1 GB a million triples"))
    # stored queries: cold from the shell, then warm
    warm = warm_queries(store, graph, repeat, data_path=triples <= 1_000_000)  # above: the load row says what it costs
    for name, (count, ours, raw_time, on_data) in warm.items():
        if count is None:
            rows.append((f"query {name} warm (ms)", None, None, None, f"no answer within {SLOW} s"))
            continue
        params = [f"-p{key}={value}" for key, value in query_params(name).items()]
        if ours < 1:  # cold from the shell: the queries that answer within a second warm
            cold = best([COMMAND, "query", name, *params, "--store", str(store)], 3)
            cold_raw = best(raw_cold(store, name), 3)
            cold_data = None  # the --data path parses the whole graph each time: above 1M, once, for controller-at
            if triples <= 1_000_000 or name == "controller-at":
                cold_data = best([COMMAND, "query", name, *params, "--no-bundled", "--data", str(graph)], 1)
            rows.append((f"query {name} cold from the shell (s)", {"wall": cold}, {"wall": cold_data},
                         {"wall": cold_raw}, "store: best of 3; --data: one run; not run: it failed (e.g. past the 30 s timeout)"))
        per_row = f"; {ours * 1000 / count:.3f} ms per row" if count else ""
        rows.append((f"query {name} warm (ms)", {"wall": ours, "ms": True}, {"wall": on_data, "ms": True} if on_data else None,
                     {"wall": raw_time, "ms": True}, f"{count} rows{per_row}"))
    # a ~100-triple validated addition, loaded and unloaded
    timings, raw_timings = [], []
    for _ in range(max(3, repeat // 2)):
        start = time.perf_counter()
        subprocess.run([COMMAND, "load", str(addition), "--store", str(store)], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
        subprocess.run([COMMAND, "unload", addition.name, "--store", str(store)], check=True, capture_output=True)
    in_process = measured(python(f"""
        import time, json
        from menaka_kg.database import Database
        db = Database({str(store)!r})
        start = time.perf_counter()
        with db.writing() as writer:
            writer.load([{str(addition)!r}])
            writer.commit()
        print(time.perf_counter() - start)
    """))
    copy = folder / "raw-copy"
    raw = measured(python(f"""
        import pyoxigraph as ox
        ox.Store.read_only({current_generation(store)!r}).backup({str(copy)!r})
        store = ox.Store({str(copy)!r})
        store.load(path={str(addition)!r}, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://example.org/a"))
        store.flush()"""))
    shutil.rmtree(copy, ignore_errors=True)
    data_cold = best([COMMAND, "query", "controller-at", "-pplace=Inékar", "-pdate=2024-02", "--data", str(graph),
                      "--data", str(addition)], 1) if triples <= 1_000_000 else None
    rows.append(("a ~100-triple validated addition, from the shell (s)", {"wall": min(timings)},
                 {"wall": data_cold} if data_cold else None, raw,
                 "store: `menaka-kg load` (best of 3; validation, readings, names, publish); raw: a copy of the "
                 "store + Store.load, no validation; --data: the next query parses graph + addition"))
    rows.append(("  the same, in one process (s)", {"wall": in_process["wall"]}, None, None,
                 "Writer.load + commit, imports and shapes compiled included"))
    return rows


def cell(measured: dict | None) -> str:
    if measured is None:
        return "not run"
    if "stopped" in measured:
        return f"stopped after {measured['stopped']:.0f} s"
    if measured.get("wall") is None:
        return "not run"
    if measured.get("ms"):
        return f"{measured['wall'] * 1000:.2f}"
    text = f"{measured['wall']:.2f}"
    if "cpu" in measured:
        text += f"; {measured['cpu']:.1f} CPU; {measured['peak']:.0f} MB"
    return text


def show(size: str, triples: int, rows) -> None:
    print(f"\n### store, {size}: {triples} triples\n")
    print("| step | store | --data path | raw pyoxigraph, same store | note |\n| --- | --- | --- | --- | --- |")
    for name, ours, data, raw, note in rows:
        print(f"| {name} | {cell(ours)} | {cell(data)} | {cell(raw)} | {note} |")


def run(sizes, repeat: int, graphs: Path | None = None) -> None:
    import compileall
    compileall.compile_dir(str(ROOT / "menaka_kg"), quiet=1)
    with tempfile.TemporaryDirectory(dir=os.environ.get("MENAKA_KG_BENCH_DIR")) as folder:
        folder = Path(folder)
        addition = folder / "addition.ttl"
        addition.write_text((ROOT / "data" / "templates" / "new-report.ttl").read_text(encoding="utf-8"), encoding="utf-8")
        for size in sizes:
            graph = graphs / f"g{size.lower()}.ttl" if graphs else None
            if graph is None or not graph.is_file():
                graph = folder / f"graph-{size}.ttl"
                graph.write_text(generate(SIZES[size], seed=1), encoding="utf-8")
            rows = measure(size, graph, addition, folder, repeat)
            manifest = json.loads((folder / f"store-{size}" / "menaka-kg-store.json").read_text())
            show(size, next(e["triples"] for e in manifest["files"] if e["path"] == os.path.abspath(graph)), rows)  # as the load counted them
            for path in folder.iterdir():
                if path.name.startswith(("store-", "graph-")):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()


def main():
    global SLOW, VALIDATED_FOR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M,10M", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--graphs", type=Path, help="a folder of graphs already generated (g1m.ttl, g10m.ttl, …)")
    parser.add_argument("--slow", type=float, default=SLOW, help="seconds a warm query may take (default %(default)s)")
    parser.add_argument("--validated-for", type=float, default=VALIDATED_FOR,
                        help="seconds the validated load of the whole graph, or the --data path's load, may take (default %(default)s)")
    args = parser.parse_args()
    SLOW, VALIDATED_FOR = args.slow, args.validated_for
    print(f"menaka-kg store benchmarks on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    run(args.sizes.split(","), args.repeat, args.graphs)


if __name__ == "__main__":
    main()
