"""`menaka-kg serve`: the site and a read-only SPARQL endpoint on one loopback port, content negotiation on
the IRI paths, a busy port refused, and nothing left running after SIGTERM or SIGINT. The command runs as
a real process; the servers are real (Oxigraph from PyPI)."""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest

import menaka_kg
from menaka_kg import server
from menaka_kg.remote import push

COMMAND = os.path.join(os.path.dirname(sys.executable), "menaka-kg")
MARKER = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


def start_serve(port: int):
    """`menaka-kg serve --port PORT` as a process, once it says it serves (or has exited)."""
    process = subprocess.Popen([COMMAND, "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()  # "serving the graph at …", or the error
    return process, line


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as file:
        return [int(child) for child in file.read().split()]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def get(url: str, accept: str | None = None, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(), error.headers


@pytest.fixture(scope="module")
def served():
    port = server.free_port()
    process, line = start_serve(port)
    assert "serving the graph at" in line, line
    yield f"http://127.0.0.1:{port}"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_serve_on_a_busy_port_refuses_and_leaves_the_other_server_alone():
    other, base = server.start()
    try:
        push(MARKER, f"{base}/store")
        port = int(base.rsplit(":", 1)[1])
        process, line = start_serve(port)
        rest = process.stderr.read()
        assert process.wait(timeout=60) == 1
        assert line.startswith("Error: cannot serve on 127.0.0.1:") and "the port is in use" in line and not rest
        count = menaka_kg.connect(f"{base}/query").sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert count.column("n") == [1]  # its data untouched: nothing was pushed to it
    finally:
        server.stop(other)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_its_oxigraph_server_on_sigterm_and_sigint(stop_signal):
    port = server.free_port()
    process, line = start_serve(port)
    assert "serving the graph at" in line, line
    oxigraph = children(process.pid)
    assert len(oxigraph) == 1 and running(oxigraph[0])
    process.send_signal(stop_signal)
    assert process.wait(timeout=30) == 0
    assert not running(oxigraph[0])
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


@pytest.mark.parametrize("accept, content_type", [
    (None, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/ld+json;q=0.5, text/turtle", "text/turtle"),
])
def test_iri_paths_give_the_page_or_the_data_the_client_asks_for(served, accept, content_type):
    status, got, body, headers = get(f"{served}/place/tamalat", accept)
    assert status == 200 and got.startswith(content_type) and headers["Vary"] == "Accept"
    if content_type == "text/turtle":
        triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        assert any(t.object == ox.Literal("Tamalat") for t in triples)
    elif content_type == "application/ld+json":
        assert json.loads(body)["@id"] == "place:tamalat"
    else:
        assert b"<h1>Tamalat</h1>" in body


def test_a_client_that_accepts_none_of_them_gets_406_and_unknown_paths_404(served):
    assert get(f"{served}/place/tamalat", "application/rdf+xml")[0] == 406
    assert get(f"{served}/place/atlantis", "text/html")[0] == 404
    assert get(f"{served}/../../etc/passwd")[0] == 404
    status, content_type, body, _ = get(f"{served}/")
    assert status == 200 and b"place by place" in body
    assert get(f"{served}/assets/search.js")[1].startswith("text/javascript")


def test_the_sparql_endpoint_answers_the_stored_queries_and_refuses_writes(served):
    remote = menaka_kg.connect(f"{served}/query")
    embedded = menaka_kg.load()
    answer = remote.query("controller-at", place="Tamalat", date="2022-04")
    assert answer.rows == embedded.query("controller-at", place="Tamalat", date="2022-04").rows and len(answer) > 2
    for method, path in (("POST", "/update"), ("PUT", "/store"), ("DELETE", "/store"), ("POST", "/store")):
        assert get(f"{served}{path}", method=method, data=b"DROP ALL")[0] == 405
    everything = "SELECT * WHERE { ?s ?p ?o }"
    assert len(remote.sparql(everything)) == len(embedded.sparql(everything)) > len(embedded.endpoint)
