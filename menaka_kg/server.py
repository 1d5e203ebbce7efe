"""A local Oxigraph server (the `oxigraph` package from PyPI), loaded with the graph.

Used by `menaka-kg serve` and by the tests that talk to a real server. The server is in memory and
answers queries over the union of its graphs, so the pushed named graph is what queries see.
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from menaka_kg.errors import MenakaError


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


def start(host: str = "127.0.0.1", port: int | None = None, wait: float = 20) -> tuple[subprocess.Popen, str]:
    """Start `oxigraph serve` on host:port (a free port if None); (process, base URL) once it answers."""
    port = port or free_port(host)
    process = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"{host}:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MenakaError(f"the Oxigraph server stopped: {process.stderr.read().decode(errors='replace').strip()[:300]}")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise MenakaError(f"the Oxigraph server did not answer on {base} within {wait:g} s")
