"""Remote SPARQL 1.1 endpoints: the same stored queries on any triplestore, and pushing the graph to one.

A RemoteEndpoint answers `execute(text)` like the embedded store (Results, a bool, or triples), through
SPARQLWrapper (queries by POST); parameters were already bound as RDF terms by the caller, on the same code path as the
embedded store. `push` loads Turtle into a named graph with the SPARQL 1.1 Graph Store HTTP Protocol in
one PUT request, so a failed push leaves the server's previous graph as it was.

Credentials come from the environment only: MENAKA_KG_USER and MENAKA_KG_PASSWORD (HTTP basic), or
MENAKA_KG_TOKEN (a bearer token, as QLever asks for updates).
Timeout: MENAKA_KG_TIMEOUT seconds (default 30). Connection errors and 5xx answers are retried twice,
with 1 and 2 seconds between tries; 4xx answers are reported at once.
"""

import base64
import os
import time
import urllib.error
import urllib.request

import pyoxigraph as ox

from menaka_kg.errors import MenakaError
from menaka_kg.results import Results

DEFAULT_GRAPH = "https://w3id.org/menaka-kg/graph"
RETRY_PAUSES = (1, 2)


class EndpointError(MenakaError):
    """An endpoint that cannot be reached or that refuses a request."""


def _timeout() -> float:
    return float(os.environ.get("MENAKA_KG_TIMEOUT", "30"))


def _authorization() -> str | None:
    """The Authorization header the environment asks for, if any."""
    if token := os.environ.get("MENAKA_KG_TOKEN"):
        return f"Bearer {token}"
    if user := os.environ.get("MENAKA_KG_USER"):
        password = os.environ.get("MENAKA_KG_PASSWORD", "")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return None


def _explain(url: str, error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        body = error.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0][:300]}" if body else ""
        if error.code == 401:
            return f"{url} refused the credentials (401); set MENAKA_KG_USER and MENAKA_KG_PASSWORD"
        return f"{url} answered {error.code} {error.reason}{detail}"
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"{url} did not answer within {_timeout():g} s (MENAKA_KG_TIMEOUT)"
    return f"cannot reach {url}: {reason}"


def _send(request: urllib.request.Request) -> bytes:
    """Send with the timeout and credentials, retrying connection errors and 5xx answers."""
    if authorization := _authorization():
        request.add_header("Authorization", authorization)
    for attempt, pause in enumerate((*RETRY_PAUSES, None)):
        try:
            with urllib.request.urlopen(request, timeout=_timeout()) as answer:
                return answer.read()
        except urllib.error.HTTPError as error:
            if error.code < 500 or pause is None:
                raise EndpointError(_explain(request.full_url, error)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            if pause is None:
                raise EndpointError(_explain(request.full_url, error)) from None
        time.sleep(pause)
    raise AssertionError("unreachable")


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint (e.g. http://127.0.0.1:7878/query for Oxigraph)."""

    def __init__(self, url: str):
        self.url = url

    def execute(self, text: str):
        """Run any query: Results for SELECT, bool for ASK, a list of triples for CONSTRUCT/DESCRIBE."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

        wrapper = SPARQLWrapper(self.url)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(_timeout()))
        if authorization := _authorization():
            wrapper.addCustomHttpHeader("Authorization", authorization)
        graph_answer = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_answer else JSON)
        for pause in (*RETRY_PAUSES, None):
            try:
                body = wrapper.query().response.read()
                break
            except (urllib.error.URLError, TimeoutError, ConnectionError, EndPointInternalError) as error:
                if pause is None:
                    raise EndpointError(_explain(self.url, error)) from None
            except urllib.error.HTTPError as error:
                raise EndpointError(_explain(self.url, error)) from None
            except SPARQLWrapperException as error:
                lines = [line for line in str(error).splitlines() if line.strip()]
                raise EndpointError(f"{self.url}: {lines[-1][:300] if lines else type(error).__name__}") from None
            time.sleep(pause)
        if graph_answer:
            return list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        variables = [v.value for v in answer.variables]
        return Results(variables, [tuple(solution[v] for v in variables) for solution in answer])

    def __len__(self):
        """The number of triples in the server's named graphs (where `push` puts the graph)."""
        rows = self.execute("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows.rows[0][0].value)

    def serialize_triples(self, triples, fmt: str) -> str:
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
        return ox.serialize(triples, format=rdf_format).decode()


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL next to a query endpoint (Oxigraph: /query -> /store)."""
    return endpoint[: -len("/query")] + "/store" if endpoint.endswith("/query") else endpoint


def push(ntriples: bytes, store_url: str, graph: str = DEFAULT_GRAPH) -> None:
    """Replace the named graph `graph` (or the default graph, for "default") at `store_url` with
    `ntriples`, in one PUT request."""
    from urllib.parse import quote
    target = f"{store_url}?default" if graph == "default" else f"{store_url}?graph={quote(graph, safe='')}"
    request = urllib.request.Request(target, data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    _send(request)
