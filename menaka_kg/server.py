"""A local Oxigraph server (the `oxigraph` package from PyPI) loaded with the graph, and `menaka-kg serve`.

`start` runs `oxigraph serve` in memory on a loopback port and returns once that very process listens
(it prints so on stderr only after binding), so a caller talks only to the server it started. The server
answers queries over the union of its graphs, so the pushed named graph is what queries see; the tests
that talk to a real server use it too.

`Front` is what `menaka-kg serve` puts on the port the user asks for: the static site of the graph
(menaka_kg.site), its IRI paths with content negotiation (`/place/tamalat` is the page to a browser, Turtle
or JSON-LD to a client that asks for them), and `/query`, passed to the Oxigraph child. It serves reads
only: no update, no graph store. It binds its port before anything else starts, so a busy port is an
error, never another server's data overwritten; on SIGTERM or SIGINT it stops the child and removes the
site it built.
"""

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from menaka_kg.errors import MenakaError

# what a client may ask for on an IRI path, and the file of the site that answers it
REPRESENTATIONS = {"text/html": ".html", "application/xhtml+xml": ".html", "text/turtle": ".ttl",
                   "application/ld+json": ".jsonld", "application/json": ".jsonld"}
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
                 ".jsonld": "application/ld+json", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
_LISTENING = "Listening for requests at"


def oxigraph_command() -> str:
    """The oxigraph executable, next to this Python or on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise MenakaError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _die_with_parent():
    """In the child, before exec: ask Linux to end it when its parent dies, even by SIGKILL."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(host: str = "127.0.0.1", port: int | None = None, wait: float = 20) -> tuple[subprocess.Popen, str]:
    """Start `oxigraph serve` on host:port (a free port if None); (process, base URL) once it listens
    and answers. A port another process holds is an error: the child says so and exits."""
    port = port or free_port(host)
    process = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"{host}:{port}", "--union-default-graph"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    base = f"http://{host}:{port}"
    try:
        _wait_until_listening(process, base, wait)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                    return process, base
            except OSError:
                if process.poll() is not None:
                    raise MenakaError("the Oxigraph server stopped") from None
                time.sleep(0.1)
        raise MenakaError(f"the Oxigraph server did not answer on {base} within {wait:g} s")
    except BaseException:
        stop(process)
        raise


def _wait_until_listening(process: subprocess.Popen, base: str, wait: float) -> None:
    """Read the child's stderr until it says it listens (then it holds the port) or it exits."""
    lines = []
    timer = threading.Timer(wait, process.kill)
    timer.start()
    try:
        for raw in process.stderr:
            line = raw.decode(errors="replace").strip()
            if line.startswith(_LISTENING):
                threading.Thread(target=_drain, args=(process.stderr,), daemon=True).start()
                return
            lines.append(line)
    finally:
        timer.cancel()
    process.wait()
    detail = next((line for line in lines if line.startswith("Error")), " ".join(lines)[:300] or "no message")
    raise MenakaError(f"the Oxigraph server could not start on {base}: {detail}")


def _drain(stream) -> None:
    for _ in stream:
        pass


def stop(process: subprocess.Popen, wait: float = 5) -> None:
    """End a child server and wait for it (SIGTERM, then SIGKILL if it does not go)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- menaka-kg serve ---------------------------------------------------------------------------------------

def negotiate(accept: str | None) -> str | None:
    """The site file's extension for an Accept header (.html, .ttl or .jsonld; HTML when anything goes),
    or None when the client accepts none of them (406)."""
    if not accept:
        return ".html"
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *parameters = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if quality <= 0:
            continue
        if media in REPRESENTATIONS:
            ranked.append((-quality, 0, position, REPRESENTATIONS[media]))
        elif media in ("*/*", "text/*", "application/*"):
            fallback = {"*/*": ".html", "text/*": ".html", "application/*": ".jsonld"}[media]
            ranked.append((-quality, 1, position, fallback))
    return min(ranked)[3] if ranked else None


class Front(ThreadingHTTPServer):
    """The HTTP server of `menaka-kg serve`: the site from `folder`, and /query passed to `endpoint`."""

    daemon_threads = True  # SO_REUSEADDR stays on (as in http.server): on Linux it never lets two listen

    def __init__(self, host: str, port: int, folder: Path):
        self.folder = folder
        self.endpoint = None  # the Oxigraph child's base URL, once it runs
        try:
            super().__init__((host, port), FrontHandler)
        except OSError as error:
            reason = "the port is in use (another server listens there)" if error.errno in (98, 48) else error.strerror
            raise MenakaError(f"cannot serve on {host}:{port}: {reason}; choose another --port") from None


class FrontHandler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002  (quiet: no line per request)
        pass

    def do_HEAD(self):  # noqa: N802
        self.do_GET(body=False)

    def do_GET(self, body: bool = True):  # noqa: N802
        path, _, query = self.path.partition("?")
        if path == "/query":
            return self._proxy(query)
        if path in ("", "/"):
            path = "/index.html"
        relative = urllib.request.url2pathname(path).lstrip("/")
        target = (self.server.folder / relative).resolve()
        if self.server.folder.resolve() not in target.parents and target != self.server.folder.resolve():
            return self._answer(404, "text/plain; charset=utf-8", b"not found\n", body)
        if target.suffix in CONTENT_TYPES and target.is_file():
            return self._file(target, body)
        extension = negotiate(self.headers.get("Accept"))
        candidate = target.with_name(target.name + ".html")
        if not candidate.is_file():
            return self._answer(404, "text/plain; charset=utf-8", b"not found\n", body)
        if extension is None:
            return self._answer(406, "text/plain; charset=utf-8",
                                b"not acceptable: this IRI is served as text/html, text/turtle or application/ld+json\n",
                                body, vary=True)
        return self._file(target.with_name(target.name + extension), body, vary=True)

    def do_POST(self):  # noqa: N802
        path, _, query = self.path.partition("?")
        if path != "/query":
            return self._answer(405, "text/plain; charset=utf-8", b"read only: only /query takes POST\n")
        self._proxy(query)

    def do_PUT(self):  # noqa: N802
        self._answer(405, "text/plain; charset=utf-8", b"read only\n")

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _file(self, target: Path, body: bool, vary: bool = False):
        self._answer(200, CONTENT_TYPES[target.suffix], target.read_bytes(), body, vary)

    def _answer(self, status: int, content_type: str, content: bytes, body: bool = True, vary: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        if vary:
            self.send_header("Vary", "Accept")
        self.end_headers()
        if body:
            self.wfile.write(content)

    def _proxy(self, query: str):
        """Pass a SPARQL query (GET or POST) to the Oxigraph child and its answer back."""
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if self.command == "POST" else None
        headers = {name: self.headers[name] for name in ("Accept", "Content-Type") if self.headers.get(name)}
        request = urllib.request.Request(f"{self.server.endpoint}/query" + (f"?{query}" if query else ""),
                                         data=data, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                status, content_type, content = answer.status, answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as error:
            status, content_type, content = error.code, error.headers.get("Content-Type", "text/plain"), error.read()
        except OSError as error:
            status, content_type, content = 502, "text/plain; charset=utf-8", f"the SPARQL server failed: {error}\n".encode()
        self._answer(status, content_type, content)


def serve(kg, ntriples: bytes, host: str, port: int, on_ready=None) -> None:
    """`menaka-kg serve`: bind host:port, build the site, start Oxigraph with the graph, and serve until
    SIGTERM or SIGINT (or the child stops); then stop the child and remove the site."""
    from menaka_kg.remote import push
    from menaka_kg.site import write_site

    workspace = Path(tempfile.mkdtemp(prefix="menaka-kg-serve-"))
    front = process = None
    serving = False
    previous = {}

    def stopping(signum, frame):
        raise KeyboardInterrupt

    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.signal(number, stopping)
        front = Front(host, port, workspace / "site")
        write_site(kg, workspace / "site")
        process, base = start()
        push(ntriples, f"{base}/store")
        front.endpoint = base
        threading.Thread(target=front.serve_forever, daemon=True).start()
        serving = True
        if on_ready:
            on_ready(f"http://{host}:{front.server_address[1]}")
        while process.poll() is None:
            time.sleep(0.2)
        raise MenakaError("the Oxigraph server stopped")
    except KeyboardInterrupt:
        pass
    finally:
        if serving:
            front.shutdown()
        if front is not None:
            front.server_close()
        if process is not None:
            stop(process)
        shutil.rmtree(workspace, ignore_errors=True)
        for number, handler in previous.items():
            signal.signal(number, handler)

