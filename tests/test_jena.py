"""Apache Jena ARQ (Debian's libapache-jena-java) on the N-Triples export: the bound text of every question
of tests/engine_spread.py gives the embedded rows in the embedded order."""

from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.cli import cli
from menaka_kg.results import Results
from tests import jena
from tests.engine_spread import QUESTIONS, as_text, question_id
from tests.engines_table import record


@pytest.fixture(scope="module")
def arq(tmp_path_factory):
    """The classpath, the exported graph, and a folder for the query files."""
    folder = tmp_path_factory.mktemp("jena")
    data = folder / "menaka-kg.nt"
    assert CliRunner().invoke(cli, ["export", "-o", str(data)]).exit_code == 0
    return jena.classpath(folder / "resources"), data, folder


def test_the_classpath_fix_lets_arq_start(arq):
    path, _, _ = arq
    assert jena.version(path) != "unknown"


def test_every_question_gives_the_embedded_rows_in_order(arq):
    path, data, folder = arq
    embedded = menaka_kg.load()

    def ask(index_question):
        index, (name, params) = index_question
        text = embedded.bound_query(name, **params)
        (folder / f"q{index}.rq").write_text(text, encoding="utf-8")
        answer = ox.parse_query_results(jena.sparql(path, data, folder / f"q{index}.rq"), format=ox.QueryResultsFormat.JSON)
        variables = [v.value for v in answer.variables]
        theirs = Results(variables, [tuple(solution[v] for v in variables) for solution in answer])
        ours = embedded.sparql(text)
        same = sorted(variables) == sorted(ours.variables) and as_text(theirs, ours.variables) == as_text(ours)
        return None if same else f"{question_id((name, params))}: {len(theirs)} rows, {len(ours)} embedded"

    with ThreadPoolExecutor(max_workers=2) as pool:
        wrong = [line for line in pool.map(ask, enumerate(QUESTIONS)) if line]
    assert wrong == []
    record("Jena ARQ", jena.version(path), "`arq.sparql --data` on the N-Triples export", "the bound text of each question",
           f"all {len(QUESTIONS)} questions, same rows in the same order")
