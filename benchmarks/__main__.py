"""The benchmark runner: menaka-kg beside the plain way (rdflib Graph + pySHACL defaults), at each size.

    python -m benchmarks [--sizes 10k,100k,1M] [--repeat 5] [--plain-timeout 300] [--store]

For each size it writes a seeded synthetic graph (benchmarks/generate.py) and prints one table: load time
and peak memory; every stored query's warm median (ours, raw pyoxigraph running the same query text, and
rdflib) and its time cold from the shell; full validation; validation of a ~100-triple addition;
export in every format; a push to a local Oxigraph server and every stored query through it. Each step
runs in a child process, so its peak memory is its own. Steps of the plain way that would run past
--plain-timeout are stopped and shown as such. With --store, each size also gets the persistent store's
table (benchmarks/store.py: load, cold and warm stored queries, a validated addition).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000, "10M": 10_000_000}

# the parameters each stored query is given on a synthetic graph (nodes every generated graph has)
SYNTHETIC_PARAMS = {"place": "https://w3id.org/menaka-kg/place/l1", "actor": "https://w3id.org/menaka-kg/actor/a0",
                    "event": "https://w3id.org/menaka-kg/event/e0", "date": "2018", "from": "2016", "to": "2019",
                    "role": "attacker"}


def child(code: str, timeout: float | None = None) -> tuple[float | None, float, str]:
    """Run Python `code` in a child process: (seconds it reports, peak memory in MB, its output)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               text=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, 0.0, "timeout"
    if process.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{err}")
    lines = out.strip().splitlines()
    seconds, peak = (float(x) for x in lines[-1].split())
    return seconds, peak, "\n".join(lines[:-1])


PEAK = "import resource; peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"


def step(setup: str, work: str, repeat: int = 1) -> str:
    """Code that runs `setup`, then times `work` (median of `repeat`) and prints 'seconds peakMB'."""
    return textwrap.dedent(f"""
        import statistics, time
        {setup}
        timings = []
        for _ in range({repeat}):
            start = time.perf_counter()
            {work}
            timings.append(time.perf_counter() - start)
        {PEAK}
        print(statistics.median(timings), peak)
    """)


def ontology_and(graph: str) -> str:
    return f"[*__import__('menaka_kg.resources', fromlist=['x']).ontology_files(), {graph!r}]"


def cold_query(name: str, graph: Path) -> float:
    """Seconds for `menaka-kg query NAME … --no-bundled --data GRAPH` from the shell: a new process that
    parses the graph's Turtle and answers once."""
    from menaka_kg import resources
    from menaka_kg.stored_queries import parse_header
    query = parse_header(os.path.join(resources.queries_dir(), f"{name}.rq"))
    params = [f"{p.name}={SYNTHETIC_PARAMS[p.name]}" for p in query.parameters
              if p.required or (query.requires and p.name in query.requires[0])]
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "menaka-kg"), "query", name, *(f"-p{p}" for p in params),
                    "--no-bundled", "--data", str(graph)], check=True, capture_output=True)
    return time.perf_counter() - start


def measure(graph: Path, addition: Path, repeat: int, plain_timeout: float, skip_plain_validation: bool):
    rows = []
    files = ontology_and(str(graph))

    def row(name, ours, plain=None, note=""):
        rows.append((name, ours, plain, note))

    # load
    ours = child(step("import pyoxigraph as ox", f"s = ox.Store()\n            for f in {files}: s.load(path=str(f), format=ox.RdfFormat.TURTLE)"))
    plain = child(step("import rdflib", f"g = rdflib.Graph()\n            for f in {files}: g.parse(f, format='turtle')"),
                  timeout=plain_timeout)
    row("load (s, peak MB)", ours, plain)
    # every stored query, warm
    code = textwrap.dedent(f"""
        import statistics, time, rdflib, pyoxigraph as ox, menaka_kg
        from menaka_kg import resources
        from menaka_kg.stored_queries import load_stored_queries, parameter_terms, bind
        kg = menaka_kg.load(data=[{str(graph)!r}], bundled=False)
        g = rdflib.Graph()
        for f in {files}: g.parse(f, format='turtle')
        params = {SYNTHETIC_PARAMS!r}
        for name, q in load_stored_queries(resources.queries_dir()).items():
            values = {{p.name: params[p.name] for p in q.parameters
                       if p.required or (q.requires and p.name in q.requires[0])}}
            text = kg.bound_query(name, **values)
            def median(action, n):
                timings = []
                for _ in range(n):
                    start = time.perf_counter(); action(); timings.append(time.perf_counter() - start)
                return statistics.median(timings)
            ours = median(lambda: kg.query(name, **values), {repeat})
            raw = median(lambda: list(kg.endpoint.raw.query(text)), {repeat})
            plain = median(lambda: list(g.query(text)), max(1, {repeat} // 2))
            print(name, ours, raw, plain)
        print(0, 0)
    """)
    _, _, out = child(code, timeout=plain_timeout * 4)
    if out == "timeout":
        row("stored queries", None, None, f"stopped after {plain_timeout * 4:.0f} s (the plain way is the slow part)")
        out = ""
    for line in out.splitlines():
        name, ours, raw, plain = line.split()
        rows.append((f"query {name} (ms)", (float(ours), None), (float(plain), None),
                     f"raw pyoxigraph {float(raw) * 1000:.2f} ms; cold from the shell {cold_query(name, graph):.2f} s"))
    # validation: everything, and a small addition
    ours = child(step("import pyoxigraph as ox\n        from menaka_kg.validation import validate_store, compiled_shapes\n"
                      f"        s = ox.Store()\n        for f in {files}: s.load(path=str(f), format=ox.RdfFormat.TURTLE)\n"
                      "        compiled_shapes()", "report = validate_store(s)"))
    plain = None if skip_plain_validation else child(step(
        "import rdflib, pyshacl\n        from menaka_kg import resources\n        g = rdflib.Graph()\n"
        f"        for f in {files}: g.parse(f, format='turtle')\n"
        "        shapes = rdflib.Graph()\n        for f in resources.shape_files(): shapes.parse(f)",
        "pyshacl.validate(g, shacl_graph=shapes, advanced=True)"), timeout=plain_timeout)
    note = "" if plain else "plain way not run at this size"
    try:
        import pyrudof  # noqa: F401  (optional: pip install '.[bench]')
        seconds, peak, _ = child(step("import pyrudof\n        from menaka_kg import resources\n        r = pyrudof.Rudof(pyrudof.RudofConfig())\n"
                                      f"        for f in {files}: r.read_data(str(f), merge=True)\n"
                                      "        r.read_shacl(str(resources.shape_files()[0]))", "report = r.validate_shacl()"),
                                 timeout=plain_timeout)
        note += ("; " if note else "") + (f"pyrudof: {seconds:.2f} s, {peak:.0f} MB" if seconds else "pyrudof did not finish")
    except ImportError:
        note += ("; " if note else "") + "pyrudof not installed (pip install '.[bench]')"
    row("full validation (s, peak MB)", ours, plain, note)
    ours = child(step("import pyoxigraph as ox\n        from menaka_kg.validation import validate_addition, compiled_shapes\n"
                      f"        s = ox.Store()\n        for f in {files}: s.load(path=str(f), format=ox.RdfFormat.TURTLE)\n"
                      "        compiled_shapes()", f"report = validate_addition(s, [{str(addition)!r}])", repeat))
    plain = None if skip_plain_validation else child(step(
        "import rdflib, pyshacl\n        from menaka_kg import resources\n        g = rdflib.Graph()\n"
        f"        for f in {files} + [{str(addition)!r}]: g.parse(f, format='turtle')\n"
        "        shapes = rdflib.Graph()\n        for f in resources.shape_files(): shapes.parse(f)",
        "pyshacl.validate(g, shacl_graph=shapes, advanced=True)"), timeout=plain_timeout)
    row("validate a ~100-triple addition (s)", ours, plain, "the graph already loaded (the store is left as it was); "
        "plain: pySHACL on graph + addition")
    # the whole job in one process: load, every stored query, full validation (the memory bar)
    code = step("import menaka_kg\n        from menaka_kg import resources\n        from menaka_kg.validation import validate_store\n"
                "        from menaka_kg.stored_queries import load_stored_queries\n"
                f"        params = {SYNTHETIC_PARAMS!r}",
                f"kg = menaka_kg.load(data=[{str(graph)!r}], bundled=False)\n"
                "            for name, q in load_stored_queries(resources.queries_dir()).items():\n"
                "                kg.query(name, **{p.name: params[p.name] for p in q.parameters if p.required or (q.requires and p.name in q.requires[0])})\n"
                "            validate_store(kg.endpoint.raw)")
    row("load + every query + full validation, one process (s, peak MB)", child(code))
    # export, every format: ours (sorted, canonical, our prefixes) beside rdflib's serializer
    for fmt, rdflib_fmt in (("ntriples", "nt"), ("nquads", "nquads"), ("turtle", "turtle"), ("trig", "trig"),
                            ("jsonld", "json-ld"), ("rdfxml", "xml")):
        ours = child(step("from menaka_kg.export import export_graph",
                          f"export_graph({fmt!r}, ('ontology',), [{str(graph)!r}])"), timeout=plain_timeout)
        plain = child(step(f"import rdflib\n        g = rdflib.Dataset() if {fmt!r} in ('nquads', 'trig') else rdflib.Graph()\n"
                           f"        for f in {files}: g.parse(f, format='turtle')", f"g.serialize(format={rdflib_fmt!r})"),
                      timeout=plain_timeout)
        row(f"export {fmt} (s, peak MB)", ours, plain, "ours includes reading the files")
    rows.extend(remote_rows(graph, files, repeat, plain_timeout))
    return rows


def remote_rows(graph: Path, files: str, repeat: int, plain_timeout: float):
    """Push to a local Oxigraph server (ours: menaka-kg push's code; plain: rdflib's N-Triples in one PUT),
    then every stored query through it (ours: connect().query; plain: SPARQLWrapper with the same text).
    Both pushes replace the same named graph, ours last, so the queries see one copy."""
    from urllib.parse import quote

    from menaka_kg import server
    from menaka_kg.remote import DEFAULT_GRAPH
    process, base = server.start()
    try:
        plain = child(step("import rdflib, urllib.request\n        g = rdflib.Graph()",
                           f"for f in {files}: g.parse(f, format='turtle')\n"
                           f"            urllib.request.urlopen(urllib.request.Request({base + '/store?graph=' + quote(DEFAULT_GRAPH, safe='')!r}, "
                           "data=g.serialize(format='nt', encoding='utf-8'), method='PUT', "
                           "headers={'Content-Type': 'application/n-triples'})).read()"), timeout=plain_timeout)
        ours = child(step("from menaka_kg.api import graph_ntriples\n        from menaka_kg.remote import push",
                          f"push(graph_ntriples(('ontology', 'derived'), [{str(graph)!r}]), {base + '/store'!r})"))
        rows = [("push to an Oxigraph server (s, peak MB)", ours, plain, "plain: rdflib parse + serialize + one PUT")]
        code = textwrap.dedent(f"""
            import statistics, time, menaka_kg
            from SPARQLWrapper import SPARQLWrapper, JSON, POST
            from menaka_kg import resources
            from menaka_kg.stored_queries import load_stored_queries
            kg = menaka_kg.connect({base + '/query'!r})
            embedded = menaka_kg.load(data=[{str(graph)!r}], bundled=False)
            params = {SYNTHETIC_PARAMS!r}
            def median(action, n):
                timings = []
                for _ in range(n):
                    start = time.perf_counter(); action(); timings.append(time.perf_counter() - start)
                return statistics.median(timings)
            for name, q in load_stored_queries(resources.queries_dir()).items():
                values = {{p.name: params[p.name] for p in q.parameters
                           if p.required or (q.requires and p.name in q.requires[0])}}
                text = kg.bound_query(name, **values)
                def plain():
                    wrapper = SPARQLWrapper({base + '/query'!r}); wrapper.setQuery(text); wrapper.setMethod(POST)
                    wrapper.setReturnFormat(JSON); wrapper.query().convert()
                ours = median(lambda: kg.query(name, **values), {repeat})
                local = median(lambda: embedded.query(name, **values), {repeat})
                print(name, ours, median(plain, {repeat}), local)
            print(0, 0)
        """)
        _, _, out = child(code, timeout=plain_timeout * 4)
        for line in out.splitlines():
            name, ours, plain, local = line.split()
            rows.append((f"remote query {name} (ms)", (float(ours), None), (float(plain), None),
                         f"embedded {float(local) * 1000:.2f} ms"))
        return rows
    finally:
        process.terminate()
        process.wait(timeout=10)
    return rows


def cold_start_on_the_bundled_graph(repeat: int):
    """`menaka-kg query controller-at` from the shell beside the least a Python program can do: import
    pyoxigraph, load the bundled Turtle files, run the same query text. The package's bytecode is
    compiled first, as `pip install` does (this machine sets PYTHONDONTWRITEBYTECODE, so a source
    checkout would otherwise compile every module on every call); the runs alternate, best of each kept."""
    import menaka_kg
    from menaka_kg import resources
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(menaka_kg.__file__).parent)], check=True,
                   capture_output=True)
    text = menaka_kg.load().bound_query("controller-at", place="Andéramboukane", date="2022-06")
    files = [str(p) for p in resources.ontology_files() + resources.data_files()]
    least = f"import pyoxigraph as ox\ns = ox.Store()\nfor f in {files!r}: s.load(path=f, format=ox.RdfFormat.TURTLE)\nlist(s.query({text!r}))"
    command = [str(Path(sys.executable).parent / "menaka-kg"), "query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2022-06"]
    timings = {"ours": [], "least": []}
    for _ in range(max(repeat, 10)):
        for name, args in (("ours", command), ("least", [sys.executable, "-c", least])):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            timings[name].append(time.perf_counter() - start)
    ours, minimal = min(timings["ours"]), min(timings["least"])
    print(f"\nCold start on the bundled graph (best of {len(timings['ours'])}): menaka-kg query controller-at {ours:.3f} s; "
          f"a bare pyoxigraph script, same files and query text, {minimal:.3f} s; ratio {ours / minimal:.2f}")


def show(size: str, triples: int, rows):
    print(f"\n## {size}: {triples} triples\n")
    print("| step | menaka-kg | plain way | ratio | note |\n| --- | --- | --- | --- | --- |")
    for name, ours, plain, note in rows:
        scale = 1000 if "(ms)" in name else 1

        def cell(measured):
            if measured is None:
                return "not run"
            seconds, peak = measured[0], measured[1]
            if seconds is None:
                return "did not finish"
            return f"{seconds * scale:.2f}" + (f", {peak:.0f} MB" if peak else "")
        ratio = f"{plain[0] / ours[0]:.1f}x" if plain and plain[0] and ours[0] else ""
        print(f"| {name} | {cell(ours)} | {cell(plain)} | {ratio} | {note} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plain-timeout", type=float, default=300, help="seconds before a plain-way step is stopped")
    parser.add_argument("--store", action="store_true", help="the persistent store's table too (benchmarks/store.py)")
    args = parser.parse_args()
    print(f"menaka-kg benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    cold_start_on_the_bundled_graph(args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        addition = Path(folder) / "addition.ttl"
        addition.write_text((ROOT / "data" / "templates" / "new-report.ttl").read_text(encoding="utf-8"), encoding="utf-8")
        for size in args.sizes.split(","):
            graph = Path(folder) / f"graph-{size}.ttl"
            text = generate(SIZES[size], seed=1)
            graph.write_text(text, encoding="utf-8")
            triples = sum(1 for _ in __import__("pyoxigraph").parse(text, format=__import__("pyoxigraph").RdfFormat.TURTLE))
            rows = measure(graph, addition, args.repeat, args.plain_timeout, skip_plain_validation=SIZES[size] > 150_000)
            show(size, triples, rows)
            if args.store:
                from benchmarks import store
                store.show(size, triples, store.measure(size, graph, addition, Path(folder), args.repeat))


if __name__ == "__main__":
    main()
