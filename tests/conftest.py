"""Shared fixtures: the bundled graph (loaded once) and the small test world."""

import os
import tempfile
from pathlib import Path

import pytest

# the tests use a cache of their own, never the user's
os.environ.setdefault("MENAKA_KG_CACHE", tempfile.mkdtemp(prefix="menaka-kg-test-cache-"))

from menaka_kg import load_graph
from menaka_kg.graph import parse_files
from menaka_kg import resources

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def bundled_graph():
    return load_graph()


def fixture_world(*extra_files):
    """The ontology, the minimal valid world and any extra fixture files, as one graph."""
    return parse_files([*resources.ontology_files(), FIXTURES / "minimal.ttl", *extra_files])


@pytest.fixture(scope="module")
def oxigraph_server():
    """A real Oxigraph server on 127.0.0.1 (a free port, in memory): its base URL. Fails, never skips,
    when the server cannot start."""
    from menaka_kg import server
    from menaka_kg.errors import MenakaError
    try:
        process, base = server.start()
    except MenakaError as error:
        pytest.fail(f"cannot start the Oxigraph server: {error}")
    yield base
    process.terminate()
    process.wait(timeout=10)
