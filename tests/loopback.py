"""A tiny HTTP server on 127.0.0.1 for the tests of misbehaving endpoints: it records every request it gets
and answers with what the test asks for (a redirect, an error, HTML, a cut-short body, silence)."""

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Answer:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0  # seconds of silence before answering
    length: int | None = None  # a Content-Length to announce (more than the body: a cut-short answer)


class Loopback:
    """`with Loopback(answer) as server:` a server at `server.url` that gives `answer(received)` (or the
    Answer itself) to every request and keeps them in `server.requests`."""

    def __init__(self, answer):
        self.answer = answer
        self.requests: list[Received] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                received = Received(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                outer.requests.append(received)
                answer = outer.answer(received) if callable(outer.answer) else outer.answer
                time.sleep(answer.delay)
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(answer.length or len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = handle_one

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # a client that gave up: no traceback
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def results(rows: int = 1) -> Answer:
    """A SPARQL JSON answer with `rows` rows of ?n."""
    bindings = ",".join('{"n": {"type": "literal", "value": "1"}}' for _ in range(rows))
    return Answer(200, {"Content-Type": "application/sparql-results+json"},
                  f'{{"head": {{"vars": ["n"]}}, "results": {{"bindings": [{bindings}]}}}}'.encode())
