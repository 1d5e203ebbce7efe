"""OpenLink Virtuoso (Debian's virtuoso-opensource 7.2), started here on 127.0.0.1 as its docs say, loaded
as docs/triplestores.md says: with the bulk loader, then with `menaka-kg push` (HTTP Digest). Every
stored query, over a spread of parameters, gives the embedded rows in the embedded order; an answer cut
at the row limit is an error; `info` counts our graph only; an empty server says so."""

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.api import graph_ntriples
from menaka_kg.cli import cli
from menaka_kg.remote import DEFAULT_GRAPH, EndpointError
from tests import virtuoso
from tests.engine_spread import QUESTIONS, as_text, question_id
from tests.engines_table import record

DIGEST = {"MENAKA_KG_USER": virtuoso.USER, "MENAKA_KG_PASSWORD": virtuoso.PASSWORD}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server for the session (it takes seconds to create its database)."""
    running = virtuoso.Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def embedded():
    return menaka_kg.load()


@pytest.fixture(scope="module")
def expected(embedded):
    """Each question's bound text and its embedded rows."""
    answers = {}
    for name, params in QUESTIONS:
        text = embedded.bound_query(name, **params)
        rows = embedded.sparql(text)
        answers[question_id((name, params))] = text, rows.variables, as_text(rows)
    return answers


def disagreements(endpoint: str, expected: dict) -> list[str]:
    remote = menaka_kg.connect(endpoint)
    wrong = []
    for question, (text, variables, rows) in expected.items():
        try:
            answer = remote.sparql(text)
        except EndpointError as error:
            wrong.append(f"{question}: {error}")
            continue
        if sorted(answer.variables) != sorted(variables) or as_text(answer, variables) != rows:
            wrong.append(f"{question}: {len(answer)} rows, {len(rows)} embedded")
    return wrong


@pytest.fixture(scope="module")
def bulk_loaded(server, expected, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk", numbered=True)
    path = folder / "menaka-kg.nt"
    assert CliRunner().invoke(cli, ["export", "-o", str(path)]).exit_code == 0
    server.bulk_load(path, DEFAULT_GRAPH)
    return server


def test_the_bulk_loaded_graph_answers_every_question_as_the_embedded_store(bulk_loaded, expected):
    assert disagreements(bulk_loaded.endpoint, expected) == []
    record("Virtuoso", virtuoso.version(), "bulk loader: `ld_dir`, `rdf_loader_run()`, `checkpoint` (N-Triples export)",
           "`query`, `sparql`, `resolve`, `info`", f"all {len(expected)} questions, same rows in the same order")


@pytest.fixture(scope="module")
def pushed(bulk_loaded, expected):
    """The same server after `menaka-kg push` (Digest) replaced the bulk-loaded graph."""
    bulk_loaded.clear(DEFAULT_GRAPH)
    assert not menaka_kg.connect(bulk_loaded.endpoint).sparql("ASK { ?s ?p ?o FILTER (STRSTARTS(STR(?s), 'https://w3id.org/menaka-kg/')) }")
    result = CliRunner(env=DIGEST).invoke(cli, ["push", "--endpoint", bulk_loaded.endpoint, "--store-url", bulk_loaded.store])
    assert result.exit_code == 0, result.output
    return bulk_loaded


def test_push_with_digest_answers_every_question_as_the_embedded_store(pushed, expected):
    assert disagreements(pushed.endpoint, expected) == []
    record("Virtuoso", virtuoso.version(), "`menaka-kg push` to `/sparql-graph-crud-auth` (HTTP Digest)",
           "`push`, `query`, `sparql`, `resolve`, `info`", f"all {len(expected)} questions, same rows in the same order")


def test_names_parameters_and_the_cli_resolve_on_the_server(pushed):
    args = ["query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2022-06"]
    assert CliRunner().invoke(cli, [*args, "--endpoint", pushed.endpoint]).output == CliRunner().invoke(cli, args).output
    assert menaka_kg.connect(pushed.endpoint).resolve("Labbezenga").iri.endswith("/place/labbezanga")


def test_info_counts_our_graph_not_virtuosos_system_graphs(pushed, embedded):
    assert menaka_kg.connect(pushed.endpoint).info().triples == embedded.info().triples


def test_an_answer_cut_at_the_row_limit_is_an_error(pushed):
    result = CliRunner().invoke(cli, ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", pushed.endpoint])
    assert result.exit_code == 1 and "cut its answer at 10,000 rows" in result.output
    assert len(menaka_kg.connect(pushed.endpoint).sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 9999")) == 9999


def test_push_without_credentials_says_what_is_missing(pushed):
    result = CliRunner(env={"MENAKA_KG_USER": None, "MENAKA_KG_TOKEN": None}).invoke(
        cli, ["push", "--endpoint", pushed.endpoint, "--store-url", pushed.store])
    assert result.exit_code == 1 and "asks for credentials (401, Digest)" in result.output and "Broken pipe" not in result.output
    wrong = CliRunner(env={**DIGEST, "MENAKA_KG_PASSWORD": "wrong"}).invoke(
        cli, ["push", "--endpoint", pushed.endpoint, "--store-url", pushed.store])
    assert wrong.exit_code == 1 and "refused the credentials" in wrong.output


def test_an_empty_server_says_it_does_not_hold_the_graph(pushed):
    pushed.clear(DEFAULT_GRAPH)
    try:
        for args in (["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022"], ["resolve", "Tamalat"], ["info"]):
            result = CliRunner().invoke(cli, [*args, "--endpoint", pushed.endpoint])
            assert result.exit_code == 1 and "does not hold the menaka-kg graph" in result.output, result.output
    finally:
        CliRunner(env=DIGEST).invoke(cli, ["push", "--endpoint", pushed.endpoint, "--store-url", pushed.store])
