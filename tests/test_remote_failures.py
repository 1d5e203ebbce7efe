"""Endpoints that misbehave, played by loopback servers started here: credentials go only to the origin they
are for, and every failure is one line that says what happened (the status and the server's words,
"cannot reach" only for a server that cannot be reached), retried only when trying again can help."""

import time

import pytest
from click.testing import CliRunner

from menaka_kg.cli import cli
from tests.loopback import Answer, Loopback, results

SELECT = "SELECT ?n WHERE { ?s ?p ?n }"


def failed(result) -> str:
    """The one error line of a failed command."""
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ") and "unexpected" not in result.output
    return result.output


def query(url, env=None, *options):
    return CliRunner(env=env or {}).invoke(cli, ["sparql", SELECT, "--endpoint", url, *options])


@pytest.mark.parametrize("env, header", [({"MENAKA_KG_TOKEN": "s3cret"}, "Bearer s3cret"),
                                         ({"MENAKA_KG_USER": "analyst", "MENAKA_KG_PASSWORD": "pw"}, "Basic YW5hbHlzdDpwdw==")])
def test_credentials_do_not_follow_a_redirect_to_another_port(env, header):
    with Loopback(results()) as elsewhere, Loopback(Answer(302, {"Location": f"{elsewhere.url}/query"})) as endpoint:
        result = query(f"{endpoint.url}/query", {"MENAKA_KG_TOKEN": None, "MENAKA_KG_USER": None, **env})
    assert result.exit_code == 0, result.output
    assert endpoint.requests[0].headers.get("Authorization") == header
    assert [r.headers.get("Authorization") for r in elsewhere.requests] == [None]


def test_credentials_follow_a_redirect_on_their_own_origin():
    def answer(received):
        return Answer(302, {"Location": "/moved"}) if received.path == "/query" else results()
    with Loopback(answer) as endpoint:
        assert query(f"{endpoint.url}/query", {"MENAKA_KG_TOKEN": "s3cret"}).exit_code == 0
    assert [(r.path, r.headers.get("Authorization")) for r in endpoint.requests] == [
        ("/query", "Bearer s3cret"), ("/moved", "Bearer s3cret")]


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/etc/passwd"])
def test_a_redirect_to_a_file_is_refused(location):
    with Loopback(Answer(302, {"Location": location})) as endpoint:
        line = failed(query(f"{endpoint.url}/query"))
    assert f"'{location}'" in line and ("not an http(s) URL" in line or "is not allowed" in line) and "root:" not in line


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/query", "127.0.0.1:7878/query", "http:///query"])
def test_an_endpoint_is_http_or_https_only(url):
    line = failed(query(url))
    assert "an endpoint is an http:// or https:// URL" in line and "root:" not in line


def test_a_401_says_the_credentials_were_refused():
    with Loopback(Answer(401, {"Content-Type": "text/plain"}, b"Unauthorized\n")) as endpoint:
        line = failed(query(f"{endpoint.url}/query", {"MENAKA_KG_TOKEN": "wrong"}))
        push = failed(CliRunner(env={"MENAKA_KG_TOKEN": "wrong"}).invoke(
            cli, ["push", "--endpoint", f"{endpoint.url}/query", "--include", "ontology"]))
    for said in (line, push):
        assert "refused the credentials (401 Unauthorized)" in said and "b'" not in said
    assert len(endpoint.requests) == 2


def test_a_500_is_said_as_an_error_of_the_server_and_retried():
    with Loopback(Answer(500, {"Content-Type": "text/plain"}, b"boom: out of memory\n")) as endpoint:
        line = failed(query(f"{endpoint.url}/query"))
    assert f"{endpoint.url}/query answered 500 Internal Server Error: boom: out of memory" in line
    assert "cannot reach" not in line and len(endpoint.requests) == 3


@pytest.mark.parametrize("status", [400, 403, 404])
def test_a_4xx_is_not_retried(status):
    with Loopback(Answer(status, {"Content-Type": "text/plain"}, b"no\n")) as endpoint:
        start = time.monotonic()
        line = failed(query(f"{endpoint.url}/query"))
        assert time.monotonic() - start < 1
    assert f"({status} " in line or f"answered {status} " in line
    assert len(endpoint.requests) == 1


def test_a_server_that_is_not_there_cannot_be_reached():
    from menaka_kg.server import free_port
    line = failed(query(f"http://127.0.0.1:{free_port()}/query", {}, "--timeout", "2"))
    assert "cannot reach" in line


@pytest.mark.parametrize("answer", [
    Answer(200, {"Content-Type": "text/html"}, b"<html><body>\n<h1>Welcome to our portal</h1>\n</body></html>\n"),
    Answer(200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {"vars": ["n"]}, "results": {"bind'),
    Answer(200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {"vars": []}', length=5000),
])
def test_an_answer_that_is_not_sparql_results_is_one_line(answer):
    with Loopback(answer) as endpoint:
        line = failed(query(f"{endpoint.url}/query"))
    assert endpoint.url in line and len(endpoint.requests) == 1
