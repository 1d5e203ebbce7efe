"""Read commands never write and the embedded store never goes on the network: a SPARQL Update is refused
before anything is sent, on the embedded store and on every endpoint, and SERVICE is refused offline."""

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.api import graph_ntriples
from menaka_kg.cli import cli
from menaka_kg.readonly import OfflineRefused, UpdateRefused, read_query
from menaka_kg.remote import push
from tests.loopback import Loopback, results

UPDATES = [
    "DROP ALL",
    "clear default",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE <urn:a> TO <urn:b>",
    "COPY <urn:a> TO <urn:b>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX select: <urn:select#>\nBASE <urn:base/>\n# SELECT * WHERE { ?s ?p ?o }\nDROP SILENT GRAPH select:g",
    'SELECT * WHERE { ?s ?p "DROP" } ; DROP ALL',
    "SELECT * WHERE { ?s ?p ?o } DELETE WHERE { ?s ?p ?o }",
]
QUERIES = [
    ("SELECT * WHERE { ?s ?p 'INSERT DATA' }", "SELECT"),
    ("# DROP ALL\nASK { ?s ?p ?o }", "ASK"),
    ('PREFIX drop: <urn:drop#>\nCONSTRUCT { ?s drop:all ?o } WHERE { ?s ?p """DELETE\n;""" }', "CONSTRUCT"),
    ("describe <urn:delete>", "DESCRIBE"),
    ("SELECT (GROUP_CONCAT(?o ; SEPARATOR=';') AS ?all) WHERE { ?s ?p ?o } ORDER BY DESC(?all)", "SELECT"),
    (r"SELECT * WHERE { ?s <urn:p\;q> ?o . ?s ex:a\#b ?o }", "SELECT"),
]


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_refuses_update_on_the_embedded_store(update):
    with pytest.raises(UpdateRefused):
        read_query(update)
    kg = menaka_kg.load()
    before = len(kg.endpoint)
    result = CliRunner().invoke(cli, ["sparql", update])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("Error: this is a SPARQL Update") and "only reads" in result.output
    with pytest.raises(UpdateRefused):
        kg.sparql(update)
    assert len(kg.endpoint) == before


@pytest.mark.parametrize("text, form", QUERIES)
def test_keywords_inside_strings_iris_names_and_comments_are_no_update(text, form):
    assert read_query(text) == (form, False)


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_refuses_update_on_an_endpoint(update):
    with Loopback(results()) as server:
        for call in (["sparql", update, "--endpoint", f"{server.url}/update"],
                     ["sparql", "-", "--endpoint", f"{server.url}/query"]):
            result = CliRunner(env={"MENAKA_KG_TOKEN": "s3cret"}).invoke(cli, call, input=update)
            assert result.exit_code == 1 and "this is a SPARQL Update" in result.output, result.output
        with pytest.raises(UpdateRefused):
            menaka_kg.connect(f"{server.url}/query").sparql(update)
        with pytest.raises(UpdateRefused):
            menaka_kg.connect(f"{server.url}/query").endpoint.execute(update)
    assert server.requests == []  # nothing was sent, not even the token


def test_drop_all_through_sparql_leaves_a_real_server_whole(oxigraph_server):
    push(graph_ntriples(), f"{oxigraph_server}/store")
    kg = menaka_kg.connect(f"{oxigraph_server}/query")
    before = len(kg.endpoint)
    for url in (f"{oxigraph_server}/update", f"{oxigraph_server}/query"):
        assert CliRunner().invoke(cli, ["sparql", "DROP ALL", "--endpoint", url]).exit_code == 1
    assert len(kg.endpoint) == before > 7000


def test_a_query_is_sent_as_a_query_operation():
    with Loopback(results(2)) as server:
        answer = menaka_kg.connect(f"{server.url}/query").sparql("SELECT ?n WHERE { ?s ?p ?n }")
    assert len(answer) == 2
    (request,) = server.requests
    assert request.method == "POST" and request.body.startswith(b"query=SELECT")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
    "select * where { ?x ?y ?z . service silent <{url}/sparql> { ?s ?p ?o } }",
    "ASK { { SELECT * WHERE { SeRvIcE <{url}/sparql> { ?s ?p ?o } } } }",
])
def test_the_embedded_store_refuses_service(query):
    with Loopback(results()) as server:
        text = query.replace("{url}", server.url)
        result = CliRunner().invoke(cli, ["sparql", text])
        assert result.exit_code == 1 and "the embedded store is offline" in result.output
        with pytest.raises(OfflineRefused):
            menaka_kg.load().sparql(text)
    assert server.requests == []


def test_from_a_url_is_a_graph_name_and_fetches_nothing():
    with Loopback(results()) as server:
        result = CliRunner().invoke(cli, ["sparql", f"SELECT * FROM <{server.url}/g.ttl> WHERE {{ ?s ?p ?o }}"])
    assert result.exit_code == 0 and "(0 rows)" in result.output
    assert server.requests == []


def test_service_in_a_string_or_a_name_is_no_service():
    assert read_query("SELECT * WHERE { ?s ?p 'SERVICE <http://x> {}' . ?s ex:service ?o . ?service ?p ?o }")[1] is False
    result = CliRunner().invoke(cli, ["sparql", "SELECT * WHERE { ?s ?p 'SERVICE' } LIMIT 1"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT * FROM <urn:x:nothing> WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT *\nFROM <urn:x:nothing>\nWHERE { ?s ?p ?o } LIMIT 5",
    "select * from\n<urn:x:nothing> where { ?s ?p ?o } LIMIT 5",
    "# from a comment\nSELECT ?possibleFrom WHERE { ?s ?p ?possibleFrom } LIMIT 5 # from here on",
    "# a comment that ends at a carriage return\rSELECT * FROM <urn:x:nothing> WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT * # a comment\r\nFROM <urn:x:nothing> WHERE { ?s ?p ?o } LIMIT 5",
])
def test_from_names_the_dataset_wherever_it_stands_and_possiblefrom_does_not(text):
    """The embedded store's quick test for the word FROM (before the tokenizer) must find it at the start
    and the end of a line (SPARQL's: a line feed or a carriage return), and not in a comment or a variable
    such as the stored queries' ?possibleFrom."""
    rows = len(menaka_kg.load().sparql(text))
    assert rows == (0 if "urn:x:nothing" in text else 5)
