"""The `menaka-kg` command: a thin layer over the Python API (menaka_kg.api)."""

import os
import sys
from pathlib import Path

import click

from menaka_kg.errors import MenakaError, one_line, shown
from menaka_kg.results import FORMATS, Results

GRAPH_FORMATS = ("turtle", "ntriples")


class Cli(click.Group):
    """Turns library errors into one line on stderr and exit code 1; `-v` shows the traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MenakaError as error:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            raise click.ClickException(one_line(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise
        except Exception as error:  # a bug or an environment problem: still one line unless -v
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            raise click.ClickException(one_line(f"unexpected {type(error).__name__}: {error} (run with -v for details)")) from None


def _seconds(ctx, param, value):
    from menaka_kg.timeouts import seconds
    try:
        return None if value is None else seconds(value, "--timeout")
    except MenakaError as error:
        raise click.BadParameter(str(error)) from None


def timeout_option(command):
    """--timeout: how long each query may take."""
    return click.option("--timeout", metavar="SECONDS", callback=_seconds,
                        help="Stop a query that has not answered after this many seconds (default: MENAKA_KG_TIMEOUT, else 30).")(command)


def force_option(command):
    return click.option("--force", is_flag=True, help="Overwrite an output file that exists (never an input).")(command)


def _remember_store(ctx, param, value):
    if value:
        source = ctx.get_parameter_source(param.name)
        ctx.ensure_object(dict)["store"] = (value, source == click.core.ParameterSource.ENVIRONMENT)
    return value


def store_option(command=None, required: bool = False):
    """--store DIR (or MENAKA_KG_STORE): a persistent store to work on (docs/store.md). Kept in the
    context for open_graph rather than passed to the command."""
    def decorate(command):
        return click.option("--store", envvar="MENAKA_KG_STORE", metavar="DIR", required=required, expose_value=False,
                            callback=_remember_store, type=click.Path(file_okay=False),
                            help="A persistent store made by `menaka-kg load` (also MENAKA_KG_STORE; docs/store.md).")(command)
    return decorate(command) if command else decorate


def given_store(others=("data", "no_bundled", "endpoint")) -> str | None:
    """The --store folder of the command being run, if any; a store from MENAKA_KG_STORE yields to the
    `others` options that choose the graph (--data, --no-bundled, --endpoint) given on the command line."""
    ctx = click.get_current_context()
    found = (ctx.obj or {}).get("store")
    if not found:
        return None
    folder, from_environment = found
    graph_given = any(ctx.params.get(name) and ctx.get_parameter_source(name) != click.core.ParameterSource.ENVIRONMENT
                      for name in others)
    if graph_given:
        if from_environment:
            return None
        raise click.UsageError("--store asks the store's graph: it cannot take --data, --no-bundled or --endpoint "
                               "(load the files into the store with `menaka-kg load`)")
    return folder


def open_store(folder):
    """The graph of a store, with a note on stderr when it holds an older bundled graph."""
    from menaka_kg.api import open_store as open_kg
    kg = open_kg(folder)
    if note := kg.database.note():
        click.echo(note, err=True)
    return kg


def graph_options(command):
    """--data, --no-bundled, --endpoint and --store: which graph a command works on; --timeout."""
    command = timeout_option(command)
    command = store_option(command)
    command = click.option("--endpoint", envvar="MENAKA_KG_ENDPOINT", metavar="URL",
                           help="Ask a SPARQL 1.1 endpoint that holds the graph instead (also MENAKA_KG_ENDPOINT).")(command)
    command = click.option("--no-bundled", is_flag=True,
                           help="Use only the --data files (with the ontology), not the bundled graph.")(command)
    command = click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False, allow_dash=True),
                           help="A Turtle file to add to the graph (repeatable; - reads standard input).")(command)
    return command


def graph_ntriples(include=None, data=()) -> bytes:
    """The graph as sorted N-Triples: the store's (--store), else the bundled graph with `data`."""
    from menaka_kg import api, export
    if folder := given_store(others=("data",)):
        return export.serialize(open_store(folder).graph_parts(include or export.DEFAULT_PARTS), "ntriples")
    return api.graph_ntriples(include, data)


def format_option(choices=FORMATS, default="table"):
    return click.option("--format", "-f", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: table for people; json, csv and tsv are the W3C SPARQL results formats; jsonl is one object per row.")


def open_graph(data, no_bundled, endpoint=None, timeout=None):
    """The graph a command asks; a warning on stderr for each fact of the --data files that the queries
    cannot read (an xsd:date that is no date)."""
    from menaka_kg.api import connect, load
    if folder := given_store():
        kg = open_store(folder)
        kg.timeout = timeout
        return kg
    if endpoint:
        if data or no_bundled:
            raise click.UsageError("--endpoint asks the endpoint's graph: it cannot take --data or --no-bundled")
        return connect(endpoint, timeout)
    if no_bundled and not data:
        raise click.UsageError("--no-bundled needs at least one --data file")
    kg = load(data=data, bundled=not no_bundled)
    kg.timeout = timeout
    if data:
        from menaka_kg.prefixes import shorten
        facts = kg.endpoint.ill_typed_dates()
        for subject, predicate, value in facts[:5]:
            click.echo(f"Warning: {shorten(subject.value)} {shorten(predicate.value)} {shown(value.value)} is not an "
                       "xsd:date (YYYY-MM-DD): the queries leave this fact out", err=True)
        if len(facts) > 5:
            click.echo(f"Warning: and {len(facts) - 5} more facts with dates that are not xsd:date", err=True)
    return kg


def inputs_of(data, bundled: bool = True) -> list:
    """The files a command reads: the --data files and the bundled graph's (or the ontology's)."""
    from menaka_kg import resources
    return [*data, *(resources.bundled_files() if bundled else resources.ontology_files())]


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
@click.version_option(package_name="menaka-kg")
@click.pass_context
def cli(ctx, verbose):
    """A temporal knowledge graph of the Ménaka offensive (Mali, 2022-2023).

    \b
    Examples:
      menaka-kg queries
      menaka-kg query controller-at -p place=Andéramboukane -p date=2022-06
      menaka-kg resolve Labbezenga
    """
    ctx.obj = {"verbose": verbose}


@cli.command()
@click.argument("name", required=False)
def queries(name):
    """List the stored queries, or show one with its parameters and columns.

    \b
    Examples:
      menaka-kg queries
      menaka-kg queries controller-at
    """
    from menaka_kg.api import KnowledgeGraph
    kg = KnowledgeGraph(endpoint=None)
    if name is None:
        stored = kg.stored_queries()
        width = max(len(n) for n in stored)
        for query in stored.values():
            click.echo(f"{query.name.ljust(width)}  {query.title}")
        return
    query = kg.stored_query(name)
    click.echo(f"{query.name}: {query.title}\n\n{query.description}\n\nParameters:")
    for p in query.parameters:
        need = "required" if p.required else "optional"
        click.echo(f"  {p.name} ({p.kind}, {need}, e.g. {p.example}): {p.doc}")
    if query.requires:
        click.echo("  give: " + " | ".join(" + ".join(a) for a in query.requires))
    click.echo("\nColumns:")
    for column, doc in query.columns:
        click.echo(f"  {column}: {doc}")
    examples = " ".join(f"-p {p.name}={p.example}" for p in query.parameters
                        if p.required or (query.requires and p.name in query.requires[0]))
    click.echo(f"\nExample:\n  menaka-kg query {query.name} {examples}")


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeatable): a name, IRI or prefixed name; a date like 2022-06.")
@format_option()
@click.option("--explain", is_flag=True,
              help="Print each row's why (the rule that gave its certainty and standing) under the table.")
@click.option("--wide", is_flag=True, help="Show every column in full, however wide the terminal (piped output always does).")
@graph_options
def query(name, params, fmt, explain, wide, data, no_bundled, endpoint, timeout):
    """Run the stored query NAME. In a terminal the table fits its width (long names shortened with an
    ellipsis, the least useful columns left out and named under it); --wide or a pipe gives every column.
    --explain prints each row's why under the table.

    \b
    Examples:
      menaka-kg query controller-at -p place=Andéramboukane -p date=2022-06
      menaka-kg query controller-at -p place=Tamalat -p date=2023-05 --explain
      menaka-kg query events-of -p actor=JNIM -p from=2022-10 --format csv
      menaka-kg query casualties -p event=event:2022-03-09-insinane-attack
      menaka-kg query controller-at -p place=Tamalat -p date=2022 --endpoint http://127.0.0.1:7878/query
    """
    from menaka_kg.entry import split_param
    values = {}
    for param in params:
        if not (pair := split_param(param)):
            raise click.BadParameter(f"{shown(param)} is not KEY=VALUE", param_hint="-p")
        if pair[0] in values:
            raise click.BadParameter(f"{shown(pair[0])} is given twice; give each parameter once", param_hint="-p")
        values[pair[0]] = pair[1]
    if explain and fmt != "table":
        raise click.UsageError(f"--explain goes with the table; the {fmt} output has the why column already")
    from menaka_kg.results import terminal_width
    kg = open_graph(data, no_bundled, endpoint, timeout)
    answer, width = kg.query(name, **values), None if wide else terminal_width()
    click.echo(answer.explained(width) if explain else answer.format(fmt, width), nl=False)


@cli.command()
@click.argument("query_or_file")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS + GRAPH_FORMATS), default=None,
              help="table (default), json, csv, tsv or jsonl for SELECT and ASK; turtle (default) or ntriples for CONSTRUCT and DESCRIBE.")
@graph_options
def sparql(query_or_file, fmt, data, no_bundled, endpoint, timeout):
    """Run your own SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE), given as text or a file (- for stdin).

    \b
    Examples:
      menaka-kg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      menaka-kg sparql my-query.rq --format csv
    """
    if query_or_file == "-":
        text = _utf8(sys.stdin.buffer.read(), "standard input")
    elif Path(query_or_file).is_file():
        text = _utf8(Path(query_or_file).read_bytes(), query_or_file)
    else:
        text = query_or_file
    kg = open_graph(data, no_bundled, endpoint, timeout)
    answer = kg.sparql(text)
    if isinstance(answer, Results):
        if fmt in GRAPH_FORMATS:
            raise click.UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE; a SELECT gives {', '.join(FORMATS)}")
        click.echo(answer.format(fmt or "table"), nl=False)
    elif isinstance(answer, bool):
        if fmt in GRAPH_FORMATS:
            raise click.UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE, not ASK")
        click.echo(f'{{"head": {{}}, "boolean": {str(answer).lower()}}}' if fmt == "json" else ("yes" if answer else "no"))
    else:
        if fmt not in (None, *GRAPH_FORMATS):
            raise click.UsageError(f"a CONSTRUCT or DESCRIBE gives a graph: use --format {' or '.join(GRAPH_FORMATS)}")
        click.echo(kg.endpoint.serialize_triples(answer, fmt or "turtle"), nl=False)


def _utf8(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{name} is not a SPARQL query: it is not UTF-8 text") from None


@cli.command()
@click.argument("name")
@click.option("--kind", type=click.Choice(["place", "actor", "event", "role"]), default=None,
              help="Only names of this kind.")
@graph_options
def resolve(name, kind, data, no_bundled, endpoint, timeout):
    """Show what NAME (a label, alternative label, IRI or prefixed name) resolves to.

    \b
    Examples:
      menaka-kg resolve Labbezenga
      menaka-kg resolve "Islamic State Sahel Province" --kind actor
    """
    from menaka_kg.prefixes import shorten
    found = open_graph(data, no_bundled, endpoint, timeout).resolve(name, kind)
    click.echo(f"{found.label}  {shorten(found.iri)}  <{found.iri}>\n"
               f"  {found.kind}, matched '{found.matched}' by {found.how}")


@cli.command()
@graph_options
def info(data, no_bundled, endpoint, timeout):
    """Say what the graph holds: triples, nodes by class, the time it covers, its sources.

    \b
    Examples:
      menaka-kg info
      menaka-kg info --store ~/menaka-store   # also lists the files loaded into the store
    """
    kg = open_graph(data, no_bundled, endpoint, timeout)
    facts = kg.info()
    start, end = facts.span
    click.echo(f"{facts.triples} triples; dated facts from {start} to {end}\n")
    click.echo("Nodes by class:")
    for row in facts.classes:
        click.echo(f"  {row['count']:>5}  {row.get('classLabel') or row['class']}")
    click.echo("\nSources (events, assertions and claims read from each):")
    for row in facts.sources:
        click.echo(f"  {row['nodes']:>5}  {row.get('documentLabel') or row['document']}")
    if hasattr(kg, "files"):
        click.echo(f"\nLoaded into the store {kg.database.path} (besides the bundled graph of menaka-kg "
                   f"{kg.manifest['bundled']['version']}):")
        for entry in kg.files() or [{"name": "(nothing yet: menaka-kg load FILE --store DIR)"}]:
            if "sha256" not in entry:
                click.echo(f"  {entry['name']}")
                continue
            checked = "validated" if entry["validated"] else "not validated"
            click.echo(f"  {entry['name']}  {entry['triples']} triples  sha256 {entry['sha256'][:16]}  "
                       f"loaded {entry['loaded']}  {checked}  from {entry['path']}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True,
              help="text for people; json (docs/validation.md); turtle, the standard SHACL validation report.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
              help="The least severe result that makes the files fail (exit 1).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Validate against the shapes of this Turtle file instead of the bundled shapes (repeatable).")
@click.option("--no-bundled", is_flag=True,
              help="Validate the files alone, not as an addition to the bundled graph: with the ontology, "
                   "or with --shapes exactly the files.")
@click.option("--without", multiple=True, metavar="NAME",
              help="Leave this bundled data file out, e.g. when FILES hold a new version of it (repeatable).")
@store_option
@click.pass_context
def validate(ctx, files, fmt, fail_on, shapes, no_bundled, without):
    """Check Turtle FILES (- reads standard input) against the shapes, as an addition to the bundled graph.

    Only the problems of the nodes the files can affect are reported (docs/validation.md). Exit codes:
    0 conforms, 1 does not conform (at --fail-on), 2 could not validate (unreadable file, syntax error,
    a shapes construct the validator does not support).

    \b
    Examples:
      menaka-kg validate my-report.ttl
      menaka-kg validate my-report.ttl --format json --fail-on warning
      menaka-kg validate data.ttl --shapes my-shapes.ttl --no-bundled -f turtle
      menaka-kg validate my-report.ttl --store ~/menaka-store   # as an addition to a store
    """
    from menaka_kg.validation import validate_files
    try:
        if folder := given_store():
            if no_bundled or without or shapes:
                raise click.UsageError("--store validates against the store: it takes no --no-bundled, --without or --shapes")
            report = open_store(folder).validate(list(files), fail_on=fail_on)
        else:
            report = validate_files(files, bundled=not no_bundled, fail_on=fail_on, without=without, shapes=shapes or None,
                                    ontology=not (no_bundled and shapes))
    except MenakaError as error:
        if ctx.obj.get("verbose"):
            raise
        click.echo(f"Error: {error}", err=True)
        ctx.exit(2)
    click.echo(report.format(fmt), nl=False)
    ctx.exit(0 if report.conforms else 1)


@cli.command("new-report")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the skeleton (- for standard output).")
@force_option
def new_report(output, force):
    """Write a skeleton report (one source, event, control change and casualty figure) that validates.

    \b
    Example:
      menaka-kg new-report --output my-report.ttl && menaka-kg validate my-report.ttl
    """
    from menaka_kg import resources
    from menaka_kg.files import check_outputs, write_output
    template = resources.report_template()
    text = template.read_text(encoding="utf-8")
    if output == "-":
        click.echo(text, nl=False)
        return
    check_outputs([output], [template], force)
    write_output(output, text)
    click.echo(f"wrote {output}; fill it in, then run: menaka-kg validate {output}", err=True)


@cli.command()
@click.option("--endpoint", envvar="MENAKA_KG_ENDPOINT", required=True, metavar="URL",
              help="The server's SPARQL query endpoint (also MENAKA_KG_ENDPOINT).")
@click.option("--store-url", metavar="URL", help="Its Graph Store Protocol URL (default: the endpoint with /query -> /store, as on Oxigraph).")
@click.option("--graph", "graph_iri", default="https://w3id.org/menaka-kg/graph", show_default=True,
              help="The named graph to replace, or 'default' for the store's default graph (for stores whose default graph is not the union of their graphs, e.g. Fuseki).")
@click.option("--include", default="ontology,data,derived", show_default=True,
              help="What to push: ontology, data, shapes, derived (the readings the stored queries need).")
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False), help="Your own Turtle files to push too.")
@store_option
@timeout_option
def push(endpoint, store_url, graph_iri, include, data, timeout):
    """Load the graph into a triplestore: one PUT that replaces the named graph (Graph Store Protocol).

    Credentials come from MENAKA_KG_USER and MENAKA_KG_PASSWORD (or a bearer token in MENAKA_KG_TOKEN),
    and go only to the endpoint's own host and port (docs/safety.md); connection errors and 5xx answers
    are retried twice, a timeout never. docs/triplestores.md has the URLs of Fuseki, GraphDB, Virtuoso
    and QLever.

    \b
    Examples:
      menaka-kg push --endpoint http://127.0.0.1:7878/query
      menaka-kg push --endpoint http://localhost:3030/menaka/sparql --store-url http://localhost:3030/menaka/data --graph default
      MENAKA_KG_USER=dba MENAKA_KG_PASSWORD=dba menaka-kg push --endpoint http://localhost:8890/sparql --store-url http://localhost:8890/sparql-graph-crud-auth

    Then it asks the endpoint whether the stored queries see the pushed graph, and says what to do when
    they do not (a store whose default graph is not the union of its graphs).
    """
    from menaka_kg.remote import check_pushed, push as push_graph, store_url_for
    parts = [part.strip() for part in include.split(",") if part.strip()]
    triples = graph_ntriples(parts, data)
    target = store_url or store_url_for(endpoint)
    push_graph(triples, target, graph_iri, timeout)
    count = triples.count(b"\n")
    click.echo(f"pushed {count} triples to <{graph_iri}> at {target}", err=True)
    if "ontology" in parts:  # whether the stored queries see what was pushed
        check_pushed(endpoint, graph_iri, readings="derived" in parts, timeout=timeout)


@cli.command()
@click.option("--port", type=int, default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (loopback by default).")
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False), help="Your own Turtle files to serve too.")
@store_option
def serve(port, host, data):
    """Serve the graph: its site (a page per IRI path, or its Turtle or JSON-LD when a client asks for them)
    and a read-only SPARQL endpoint at /query (an Oxigraph server started for it). SIGTERM or Ctrl-C stops
    both (docs/site.md).

    \b
    Examples:
      menaka-kg serve --port 7878   # then open http://127.0.0.1:7878/
      curl -H 'Accept: text/turtle' http://127.0.0.1:7878/place/tamalat
      menaka-kg query controller-at -p place=Tamalat -p date=2022-04 --endpoint http://127.0.0.1:7878/query
    """
    from menaka_kg import server
    from menaka_kg.api import load
    folder = given_store(others=("data",))
    kg = open_store(folder) if folder else load(data=data)
    server.serve(kg, graph_ntriples(data=data), host, port, on_ready=lambda base: click.echo(
        f"serving the graph at {base}/ (SPARQL endpoint {base}/query); Ctrl-C stops it", err=True))


@cli.command()
@click.option("--output", "-o", required=True, metavar="DIR",
              help="The folder to write: a new one, or with --force a site menaka-kg wrote there before (replaced whole).")
@force_option
@graph_options
def site(output, force, data, no_bundled, endpoint, timeout):
    """Write a static site of the graph that works offline: a page per place, actor, event, source,
    assertion and claim, each with its Turtle and JSON-LD, a search box, and maps (docs/site.md).

    \b
    Examples:
      menaka-kg site -o site/ && xdg-open site/index.html
      menaka-kg site --data my-report.ttl -o site/
    """
    from menaka_kg.site import write_site
    summary = write_site(open_graph(data, no_bundled, endpoint, timeout), output, inputs=data, force=force)
    click.echo(f"wrote {output}: {summary}; open {Path(output) / 'index.html'}", err=True)


@cli.command("map")
@click.option("--date", metavar="D", help="The date of one map: a day, month, year or interval (2022-06).")
@click.option("--every", type=click.Choice(["month", "year"]), help="Draw a series instead: one map per step.")
@click.option("--from", "start", metavar="D", help="The first step of a series (2022-03).")
@click.option("--to", "end", metavar="D", help="The last step of a series (2023-05).")
@click.option("--output", "-o", required=True, metavar="PATH",
              help="FILE.html, FILE.png or FILE.geojson; for a series a folder (map-DATE.html in it) or a name with {date}.")
@force_option
@graph_options
def map_command(date, every, start, end, output, force, data, no_bundled, endpoint, timeout):
    """Draw who held what at a date: every place with coordinates, split by controller and shaded by
    certainty; places without coordinates are listed beside the map (docs/pictures.md).

    The extension picks the format: .html (Leaflet inlined, works offline), .png, .geojson (one feature
    per controller of each place). A series writes one map per month or year: -o maps/ writes
    maps/map-2022-03.html, maps/map-2022-04.html, ...; -o 'maps/{date}.png' writes maps/2022-03.png, ...

    \b
    Examples:
      menaka-kg map --date 2022-06 -o map-2022-06.html
      menaka-kg map --date 2022-06 -o map-2022-06.geojson
      menaka-kg map --every month --from 2022-03 --to 2023-05 -o maps/
    """
    from menaka_kg import maps
    if every:
        if date or not (start and end):
            raise click.UsageError("a series takes --every with --from and --to, not --date")
        dates = maps.series_dates(start, end, every)
        paths = maps.series_paths(output, dates)
    else:
        if not date or start or end:
            raise click.UsageError("give --date for one map, or --every with --from and --to for a series")
        dates, paths = [date], [Path(output)]
    from menaka_kg.files import check_outputs
    for path in paths:
        maps.output_format(path)
    check_outputs(paths, inputs_of(data, not no_bundled), force)
    maps.write_maps(open_graph(data, no_bundled, endpoint, timeout), dates, paths, create_folders=bool(every))
    click.echo(f"wrote {paths[0]}" + (f" … {paths[-1]} ({len(paths)} maps)" if len(paths) > 1 else ""), err=True)


@cli.command()
@click.argument("places", nargs=-1, metavar="[PLACE]...")
@click.option("--actor", metavar="A", help="Only control by this actor, alone or jointly (a name, IRI or prefixed name).")
@click.option("--from", "date_from", metavar="D", help="The first day shown: a day, month, year (2022-03).")
@click.option("--to", "date_to", metavar="D", help="The last day shown: a day, month, year (2022-12).")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="The picture to write: FILE.svg, FILE.png or FILE.html (interactive, works offline).")
@force_option
@graph_options
def timeline(places, actor, date_from, date_to, output, force, data, no_bundled, endpoint, timeout):
    """Draw who held each PLACE when: a row per place, a bar per control assertion (default: every place held).

    Solid where the control is definite, hatched where its begin or end is uncertain, fading where its end is
    unknown; outlined when a party claims it or it is disputed; events are marks on the rows
    (docs/pictures.md).

    \b
    Examples:
      menaka-kg timeline Andéramboukane Tamalat Talataye -o timeline.svg
      menaka-kg timeline --actor JNIM --from 2022-06 -o jnim.png
      menaka-kg timeline -o everything.html
    """
    from menaka_kg.files import check_outputs
    from menaka_kg.timeline import build_timeline, check_output, write_timeline
    check_output(output)
    check_outputs([output], inputs_of(data, not no_bundled), force)
    drawn = build_timeline(open_graph(data, no_bundled, endpoint, timeout), places, actor, date_from, date_to)
    write_timeline(drawn, output)
    click.echo(f"wrote {output}: {len(drawn.rows)} place{'' if len(drawn.rows) == 1 else 's'}", err=True)


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]),
              default=None, help="The RDF format (default: from the -o file's extension, else turtle).")
@click.option("--include", default=None, metavar="PARTS",
              help="The bundled parts, comma-separated: ontology, data, shapes, derived (the readings the stored queries need)  [default: ontology,data,derived].")
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False),
              help="Your own Turtle files to export too (repeatable).")
@click.option("--inferred", is_flag=True, help="Add the OWL 2 RL closure (the reasonable reasoner) without trivial axioms.")
@click.option("--snapshot", metavar="DATE",
              help="Write the state of the world at DATE as plain triples instead (controlledBy, alliedWith, leads...).")
@click.option("--output", "-o", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write, atomically (- for standard output).")
@force_option
@timeout_option
@store_option
def export(fmt, include, data, inferred, snapshot, output, force, timeout):
    """Write the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML for another triplestore.

    The same graph gives the same bytes (sorted, canonical blank nodes, our prefixes). N-Quads and TriG
    put each part in a named graph under https://w3id.org/menaka-kg/graph/ (docs/triplestores.md).

    \b
    Examples:
      menaka-kg export -o menaka-kg.ttl
      menaka-kg export --format nquads --include ontology,data,shapes -o menaka-kg.nq
      menaka-kg export --inferred -o menaka-kg-inferred.nt
      menaka-kg export --snapshot 2022-06-15 -o state-2022-06-15.ttl
    """
    from menaka_kg import export as exporting, resources
    from menaka_kg.files import check_outputs, write_output
    fmt = fmt or exporting.EXTENSIONS.get(Path(output).suffix.lower(), "turtle")
    check_outputs([output], [*data, *resources.part_files(("ontology", "data", "shapes"))], force)
    if snapshot:
        if include or inferred:
            raise click.UsageError("--snapshot writes plain triples of the state at a date: it takes no --include or --inferred")
        content = exporting.export_snapshot(open_graph(data, False, timeout=timeout), snapshot, fmt)
    else:
        parts = [part.strip() for part in (include or "ontology,data,derived").split(",") if part.strip()]
        if folder := given_store():
            content = exporting.serialize(open_store(folder).graph_parts(parts, inferred), fmt)
        else:
            content = exporting.export_graph(fmt, parts, data, inferred)
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(content)  # (click.get_binary_stream, deprecated since click 8.2)
        return
    write_output(output, content)
    click.echo(f"wrote {output} ({fmt}, {len(content):,} bytes)", err=True)


def load_into_store(files, name=None, validate=True, fail_on="violation", fmt="text") -> None:
    """Load files into the --store: a line per file on stderr; the report and exit 1 when they do not conform."""
    from menaka_kg.database import AdditionRefused, Database
    database = Database(given_store())
    try:
        with database.writing() as writer:
            outcome = writer.load(list(files), name=name, validate=validate, fail_on=fail_on)
            writer.commit()
    except AdditionRefused as refused:
        click.echo(refused.report.format(fmt), nl=False)
        raise click.ClickException(f"nothing loaded into {database.path}: the files do not conform") from None
    for loaded, what, entry in outcome:
        checked = "" if entry.get("validated") else ", not validated"
        click.echo(f"{what} {loaded}: {entry['triples']} triples{checked} ({database.path})", err=True)


@cli.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", metavar="NAME", help="Load the (one) file under this name instead of its file name.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
              help="The least severe validation result that refuses the files.")
@click.option("--no-validate", is_flag=True,
              help="Load without validating (the store lists the files as not validated), e.g. for data checked before.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True,
              help="The validation report's format, when the files are refused.")
@store_option(required=True)
def load_command(files, name, fail_on, no_validate, fmt):
    """Validate Turtle FILES as an addition to the store and load them, each into a named graph of its own.

    All the files are loaded, or none: a file that does not conform, cannot be read, Ctrl-C or a kill
    leaves the store as it was, and queries go on answering from it while a load runs. A file loaded
    before under the same name is replaced. The store is made, with the bundled graph, if the folder
    is new or empty (docs/store.md).

    \b
    Examples:
      menaka-kg load my-report.ttl --store ~/menaka-store
      menaka-kg query controller-at -p place=Inékar -p date=2024-02 --store ~/menaka-store
    """
    load_into_store(files, name, not no_validate, fail_on, fmt)


@cli.command()
@click.argument("name")
@store_option(required=True)
def unload(name):
    """Remove the file loaded under NAME from the store (its readings go with it).

    \b
    Example:
      menaka-kg unload my-report.ttl --store ~/menaka-store
    """
    from menaka_kg.database import Database
    database = Database(given_store())
    with database.writing(create=False) as writer:
        entry = writer.unload(name)
        writer.commit()
    click.echo(f"unloaded {name}: {entry['triples']} triples ({database.path})", err=True)


@cli.group("store")
def store_group():
    """Make, update and copy a persistent store (docs/store.md).

    \b
    Example:
      menaka-kg store create --store ~/menaka-store
    """


@store_group.command("create")
@store_option(required=True)
def store_create():
    """Make a new store holding the bundled graph (a new or empty folder).

    \b
    Example:
      menaka-kg store create --store ~/menaka-store
    """
    from menaka_kg.database import Database
    database = Database(given_store())
    if database.exists():
        raise click.ClickException(f"{database.path} holds a store already")
    with database.writing() as writer:
        writer.commit()
    click.echo(f"made a store at {database.path} with the bundled graph ({writer.bundled['triples']} triples)", err=True)


@store_group.command("upgrade")
@store_option(required=True)
def store_upgrade():
    """Replace the store's bundled graph and readings by this version's, keeping the files loaded.

    \b
    Example:
      menaka-kg store upgrade --store ~/menaka-store
    """
    from menaka_kg import __version__
    from menaka_kg.database import Database
    database = Database(given_store())
    with database.writing(create=False) as writer:
        changed = writer.upgrade()
        writer.commit()
    click.echo(f"{database.path}: " + (f"now holds the bundled graph of menaka-kg {__version__}" if changed
                                       else f"holds the bundled graph of menaka-kg {__version__} already"), err=True)


@store_group.command("backup")
@click.argument("target", type=click.Path(file_okay=False))
@store_option(required=True)
def store_backup(target):
    """Copy the store's current state to TARGET, a new folder, while readers and writers go on.

    \b
    Example:
      menaka-kg store backup ~/menaka-store-2024-06-01 --store ~/menaka-store
    """
    from menaka_kg.database import Database
    copied = Database(given_store()).backup(target)
    click.echo(f"copied the store to {target}: {copied}", err=True)


@cli.group("import")
def import_group():
    """Turn other data sets' exports into Turtle of this graph's model, to use with --data.

    \b
    Example:
      menaka-kg import acled export.csv -o export.ttl
    """


@import_group.command("acled")
@click.argument("csv_files", metavar="FILE.csv...", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="The Turtle file to write (replaced only when the whole export imports).")
@click.option("--source-name", metavar="NAME",
              help="The data set's name as a source document (default: ACLED data); re-imports under one name replace each other.")
@click.option("--drop-missing", is_flag=True,
              help="With several exports, leave out the events the last one lacks (ACLED deleted them).")
@force_option
@timeout_option
@store_option
def import_acled(csv_files, output, source_name, drop_missing, force, timeout):
    """Map ACLED exports (CSV) onto the graph's model: events, participants, places, ACLED's fatality
    counts and, for territory changes, control. Actors and places are matched onto the graph's by name,
    and records are linked to the curated events they report (docs/acled.md). Several exports are merged,
    each event in its latest version by ACLED's timestamp. A bad row stops the import with its row and
    column; nothing is written then.

    \b
    Examples:
      menaka-kg import acled export.csv -o export.ttl
      menaka-kg import acled export.csv newer-export.csv --drop-missing -o export.ttl
      menaka-kg validate export.ttl
      menaka-kg query controller-at -p place=Andéramboukane -p date=2024-02 --data export.ttl
      menaka-kg import acled export.csv -o export.ttl --store ~/menaka-store   # and load it
    """
    from menaka_kg.acled import import_acled as run_import
    from menaka_kg.files import check_outputs
    if output == "-":
        raise click.BadParameter("the import writes a file it can replace whole once every row is read: give its "
                                 "name, not -", param_hint="-o")
    check_outputs([output], [*csv_files, *inputs_of(())], force)
    summary = run_import(csv_files, output, source_name, kg=open_graph((), False, timeout=timeout),
                         drop_missing=drop_missing)
    click.echo(f"wrote {output}: {summary}", err=True)
    if given_store():  # --store: and load it (validated) under the output's name
        load_into_store([output])


def _stop(signum, frame):
    """SIGTERM ends the command like Ctrl-C: the query stops, a file being written is deleted."""
    raise SystemExit(128 + signum)


def main():
    import signal
    signal.signal(signal.SIGTERM, _stop)
    try:
        cli(prog_name="menaka-kg")
    except BrokenPipeError:  # the reader (e.g. `head`) closed the pipe: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
