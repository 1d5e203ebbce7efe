"""Remote SPARQL 1.1 endpoints: the same stored queries on any triplestore, and pushing the graph to one.

A RemoteEndpoint answers `execute(text)` like the embedded store (Results, a bool, or triples), with the
SPARQL 1.1 Protocol's query operation (a POST form with `query=`): parameters were already bound as RDF
terms by the caller, on the same code path as the embedded store, and the text is a query (never an
update: menaka_kg.readonly) before anything is sent. `push` loads N-Triples into a named graph with the
SPARQL 1.1 Graph Store HTTP Protocol in one PUT request, so a failed push leaves the server's previous
graph as it was. Both go through `_send`, the one place that applies these rules:

- only http and https URLs;
- credentials come from the environment only: MENAKA_KG_USER and MENAKA_KG_PASSWORD (HTTP basic), or
  MENAKA_KG_TOKEN (a bearer token, as QLever asks for updates), and go only to the origin (scheme, host,
  port) of the URL they were given for: a redirect elsewhere is followed without them;
- the timeout (menaka_kg.timeouts) bounds each request; connection errors and 5xx answers are retried
  twice, with 1 and 2 seconds between tries; a request that timed out is not retried (the server may
  still be working on it), nor is a 4xx answer;
- every failure is one EndpointError line (`_explain`);
- a server that asks for HTTP Digest (Virtuoso's /sparql-graph-crud-auth) gets it, from the same two
  variables, for the URL it challenged; a write is first announced by a request without a body, so that
  a server that refuses it at once answers 401 rather than cutting the upload ("Broken pipe");
- an answer cut at the server's row limit (an X-SPARQL-MaxRows header, as Virtuoso sends, with as many
  rows as the limit) is an error, never a short answer.
"""

import base64
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException, IncompleteRead

import pyoxigraph as ox

from menaka_kg.errors import MenakaError, one_line, shown
from menaka_kg.results import Results
from menaka_kg.timeouts import bounded, configured

DEFAULT_GRAPH = "https://w3id.org/menaka-kg/graph"
RETRY_PAUSES = (1, 2)
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"


class EndpointError(MenakaError):
    """An endpoint that cannot be reached, refuses a request or gives an answer that cannot be read."""


def check_url(url: str) -> str:
    """`url` if it is an http or https URL with a host, else an EndpointError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"an endpoint is an http:// or https:// URL, not {shown(url)}")
    return url


def _origin(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


def _authorization() -> str | None:
    """The Authorization header the environment asks for, if any."""
    if token := os.environ.get("MENAKA_KG_TOKEN"):
        return f"Bearer {token}"
    if user := os.environ.get("MENAKA_KG_USER"):
        password = os.environ.get("MENAKA_KG_PASSWORD", "")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return None


class _CredentialsStayHome(urllib.request.HTTPRedirectHandler):
    """Follows a redirect to an http(s) URL; the credentials go along only when it stays on their origin.
    (They are an unredirected header, which urllib never copies onto the redirected request.)"""

    def redirect_request(self, request, answer, code, message, headers, new_url):
        if urllib.parse.urlsplit(new_url).scheme.lower() not in ("http", "https"):
            raise EndpointError(f"{request.full_url} redirected to {shown(new_url)}, which is not an http(s) URL")
        redirected = super().redirect_request(request, answer, code, message, headers, new_url)
        credentials = request.get_header("Authorization")
        if redirected is not None and credentials and _origin(new_url) == _origin(request.full_url):
            redirected.add_unredirected_header("Authorization", credentials)
        return redirected


_OPENER = urllib.request.build_opener(_CredentialsStayHome)


def _body_line(error: urllib.error.HTTPError) -> str:
    """The first line of an error answer's body, as text."""
    try:
        body = error.read().decode("utf-8", "replace")
    except (OSError, HTTPException):
        return ""
    lines = [line.strip() for line in body.splitlines() if line.strip() and not line.lstrip().startswith("<")]
    return f": {lines[0][:200]}" if lines else ""


def _explain(url: str, error: Exception, timeout: float) -> str:
    """The one line that says why a request failed."""
    if isinstance(error, urllib.error.HTTPError):
        if error.code == 401:
            return (f"{url} refused the credentials (401 {error.reason}); set MENAKA_KG_TOKEN, or MENAKA_KG_USER "
                    "and MENAKA_KG_PASSWORD")
        if error.code == 403:
            return f"{url} refused the request (403 {error.reason}){_body_line(error)}"
        return f"{url} answered {error.code} {error.reason}{_body_line(error)}"
    if isinstance(error, IncompleteRead):
        expected = f" of {len(error.partial) + error.expected:,}" if error.expected else ""
        return f"the answer of {url} was cut short ({len(error.partial):,}{expected} bytes)"
    if isinstance(error, HTTPException):  # not HTTP at all
        return f"{url} gave a broken answer ({type(error).__name__}{': ' + str(error) if str(error) else ''})"
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"{url} did not answer within {timeout:g} s (--timeout or MENAKA_KG_TIMEOUT sets the limit)"
    return f"cannot reach {url}: {getattr(reason, 'strerror', None) or reason}"


def _retried(error: Exception) -> bool:
    """Whether a failed request is tried again: a 5xx answer or a connection error, never a timeout."""
    if isinstance(error, urllib.error.HTTPError):
        return error.code >= 500
    reason = getattr(error, "reason", error)
    return not (isinstance(reason, TimeoutError) or "timed out" in str(reason) or isinstance(error, HTTPException))


def _digest(challenge: str, *requests: urllib.request.Request) -> list[str] | None:
    """The Digest Authorization headers that answer `challenge` (a WWW-Authenticate value) for each of
    `requests` in turn (one nonce count after the other), from MENAKA_KG_USER and MENAKA_KG_PASSWORD;
    None without them or for another scheme."""
    scheme, _, parameters = challenge.partition(" ")
    user = os.environ.get("MENAKA_KG_USER")
    if scheme.lower() != "digest" or not user or os.environ.get("MENAKA_KG_TOKEN"):
        return None
    passwords = urllib.request.HTTPPasswordMgr()
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
    passwords.add_password(fields.get("realm"), requests[0].full_url, user, os.environ.get("MENAKA_KG_PASSWORD", ""))
    handler = urllib.request.AbstractDigestAuthHandler(passwords)
    answers = [handler.get_authorization(request, fields) for request in requests]
    return [f"Digest {answer}" for answer in answers] if all(answers) else None


def _challenge(request: urllib.request.Request, timeout: float) -> str | None:
    """For a write: the Digest header its URL asks for, learnt from a HEAD request without the body and
    tried on a second one (None when it asks for none, or for Basic, which `_authorization` gives); an
    EndpointError when it asks for credentials and the environment has none or the server refuses them
    (a server that refuses them once the body is on its way cuts the upload: "Broken pipe")."""
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        with _OPENER.open(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        if error.code != 401:
            return None
        challenge = error.headers.get("WWW-Authenticate", "")
    except (urllib.error.URLError, HTTPException, OSError):
        return None  # the write itself reports it
    if not (os.environ.get("MENAKA_KG_USER") or os.environ.get("MENAKA_KG_TOKEN")):
        scheme = challenge.split(" ", 1)[0] or "HTTP"
        raise EndpointError(f"{request.full_url} asks for credentials (401, {scheme}): set MENAKA_KG_USER and "
                            "MENAKA_KG_PASSWORD (or MENAKA_KG_TOKEN)")
    answers = _digest(challenge, probe, request)
    if not answers:
        return None
    probe.add_unredirected_header("Authorization", answers[0])
    try:
        with _OPENER.open(probe, timeout=timeout):
            pass
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise EndpointError(one_line(_explain(request.full_url, error, timeout))) from None
    except (urllib.error.URLError, HTTPException, OSError):
        pass  # the write itself reports it
    return answers[1]


def _send(request: urllib.request.Request, timeout: float) -> tuple[bytes, str, dict]:
    """The answer's body, media type and headers, sent with the credentials for its origin within
    `timeout` seconds, retrying connection errors and 5xx answers."""
    check_url(request.full_url)
    authorization = _challenge(request, timeout) if request.get_method() == "PUT" else None
    if authorization := authorization or _authorization():
        request.add_unredirected_header("Authorization", authorization)

    def attempt(stop):
        try:
            with _OPENER.open(request, timeout=timeout) as answer:
                return answer.read(), answer.headers.get_content_type(), dict(answer.headers)
        except urllib.error.HTTPError as error:  # Digest asked for after all: answer it once
            digest = _digest(error.headers.get("WWW-Authenticate", ""), request) if error.code == 401 else None
            if not digest or request.unredirected_hdrs.get("Authorization", "").startswith("Digest "):
                raise
            request.add_unredirected_header("Authorization", digest[0])
            with _OPENER.open(request, timeout=timeout) as answer:
                return answer.read(), answer.headers.get_content_type(), dict(answer.headers)

    for pause in (*RETRY_PAUSES, None):
        try:
            return bounded(attempt, timeout, request.full_url)
        except (urllib.error.URLError, HTTPException, OSError) as error:
            if pause is None or not _retried(error):
                raise EndpointError(one_line(_explain(request.full_url, error, timeout))) from None
        time.sleep(pause)
    raise AssertionError("unreachable")


def _unreadable(url: str, media_type: str, what: str, error: Exception) -> EndpointError:
    return EndpointError(one_line(f"{url} answered {media_type or 'without a media type'}, which cannot be read as "
                                  f"{what}: {error}"))


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint (e.g. http://127.0.0.1:7878/query for Oxigraph)."""

    def __init__(self, url: str):
        self.url = check_url(url)
        self.timeout = None  # seconds; None: MENAKA_KG_TIMEOUT, else 30 (menaka_kg.timeouts)

    def execute(self, text: str):
        """Run a query: Results for SELECT, bool for ASK, a list of triples for CONSTRUCT/DESCRIBE."""
        from menaka_kg.readonly import query_form
        graph_answer = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": text}).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": _GRAPH_ACCEPT if graph_answer else _RESULTS_ACCEPT})
        body, media_type, headers = _send(request, configured(self.timeout))
        try:
            if graph_answer:
                rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
                return list(ox.parse(body, format=rdf_format))
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is None:
                raise ValueError("not a SPARQL results format")
            answer = ox.parse_query_results(body, format=results_format)
            if isinstance(answer, ox.QueryBoolean):
                return bool(answer)
            variables = [v.value for v in answer.variables]
            rows = [tuple(map(_canonical, (solution[v] for v in variables))) for solution in answer]
        except (SyntaxError, ValueError, OSError) as error:
            raise _unreadable(self.url, media_type, "RDF" if graph_answer else "SPARQL results", error) from None
        limit = {key.lower(): value for key, value in headers.items()}.get("x-sparql-maxrows", "")
        if limit.strip().isdigit() and len(rows) >= int(limit):
            raise EndpointError(f"{self.url} cut its answer at {int(limit):,} rows (X-SPARQL-MaxRows): raise the "
                                "server's row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
        return Results(variables, rows)

    def check_graph(self, readings: bool = True) -> None:
        """An EndpointError unless the stored queries see the graph here: the ontology and (with
        `readings`) the readings of the reasoning layer, in the default graph, the one queries read."""
        from menaka_kg import resources
        row = self.execute(resources.internal_query("holds-graph")).rows[0]
        has_ontology, has_readings = (term is not None and term.value in ("true", "1") for term in row)
        if not has_ontology:
            raise EndpointError(f"{self.url} does not hold the menaka-kg graph (no ontology <https://w3id.org/menaka-kg/"
                                "ontology> in the graph its queries read): load it with menaka-kg push, or see "
                                "docs/triplestores.md")
        if readings and not has_readings:
            raise EndpointError(f"{self.url} holds the graph without its readings (the part 'derived'), which the "
                                "stored queries need: push it with --include ontology,data,derived")

    def __len__(self):
        """The number of triples in the server's named graphs (where `push` puts the graph)."""
        rows = self.execute("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows.rows[0][0].value)

    def serialize_triples(self, triples, fmt: str) -> str:
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
        return ox.serialize(triples, format=rdf_format).decode()


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _canonical(term):
    """The term with a boolean in its canonical form (Virtuoso writes true as "1")."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    return term


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL next to a query endpoint (Oxigraph: /query -> /store)."""
    return endpoint[: -len("/query")] + "/store" if endpoint.endswith("/query") else endpoint


def check_pushed(endpoint: str, graph: str, readings: bool = True, timeout=None) -> None:
    """After a push of `graph` through another URL: an EndpointError, saying what to do, unless the
    stored queries at `endpoint` see it (a store whose default graph is not the union of its graphs
    does not show a named graph to them)."""
    remote = RemoteEndpoint(endpoint)
    remote.timeout = timeout
    try:
        remote.check_graph(readings)
        return
    except EndpointError:
        if graph == "default":
            raise
    ontology = "<https://w3id.org/menaka-kg/ontology> a <http://www.w3.org/2002/07/owl#Ontology>"
    if remote.execute(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ {ontology} }} }}"):
        raise EndpointError(f"pushed to <{graph}>, but the queries at {endpoint} read the server's default graph, which "
                            "does not include it: push again with --graph default (this replaces the default graph), "
                            "or serve the store with its default graph as the union of its graphs (Oxigraph: "
                            "oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)")
    raise EndpointError(f"pushed to <{graph}>, but {endpoint} does not show it: is the Graph Store URL (--store-url) "
                        "on the same server as the endpoint?")


def push(ntriples: bytes, store_url: str, graph: str = DEFAULT_GRAPH, timeout=None) -> None:
    """Replace the named graph `graph` (or the default graph, for "default") at `store_url` with
    `ntriples`, in one PUT request."""
    from urllib.parse import quote
    target = f"{store_url}?default" if graph == "default" else f"{store_url}?graph={quote(graph, safe='')}"
    request = urllib.request.Request(target, data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    _send(request, configured(timeout))
