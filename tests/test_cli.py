"""The command line: help with examples on every command, one-line errors with the right exit codes,
and parameters that cannot change a query."""

import pytest
from click.testing import CliRunner

from menaka_kg.cli import cli
from tests.conftest import FIXTURES

COMMANDS = sorted(cli.commands)


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "menaka-kg " in result.output


@pytest.mark.parametrize("args, message", [
    (["query", "controller-at", "-p", "place=Atlantis", "-p", "date=2022-06"], "no place named 'Atlantis'"),
    (["query", "controller-at", "-p", "place=Tamalat", "-p", "date=June 2022"], "'June 2022' is not a date"),
    (["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022-02-30"], "is not a real date"),
    (["query", "controller-at", "-p", "place=Tamalat"], "needs date"),
    (["query", "controler-at"], "no stored query named 'controler-at'; did you mean controller-at"),
    (["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022", "-p", "colour=red"], "has no parameter 'colour'"),
    (["query", "casualties", "-p", "place=Tamalat"], "needs event or place and date"),
    (["resolve", "Nowhere-at-all"], "no place, actor or event named"),
    (["sparql", "SELECT * WHERE { ?s ?p }"], "SPARQL syntax error"),
    (["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022", "--data", "missing.ttl"], "cannot read missing.ttl"),
])
def test_errors_are_one_line_with_exit_1(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output


def test_syntax_error_in_a_data_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = run("info", "--data", str(bad))
    assert result.exit_code == 1
    assert "bad.ttl" in result.output and "syntax error" in result.output


@pytest.mark.parametrize("args", [
    ["query"],                                   # missing NAME
    ["query", "controller-at", "-p", "place"],   # not KEY=VALUE
    ["query", "controller-at", "--format", "xml"],
    ["info", "--no-bundled"],                    # needs --data
])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_verbose_shows_the_traceback():
    result = run("-v", "query", "controller-at", "-p", "place=Atlantis", "-p", "date=2022")
    assert result.exit_code == 1
    assert result.exception is not None and "Atlantis" in str(result.exception)


@pytest.mark.parametrize("hostile", [
    'Tamalat> } ; DELETE WHERE { ?s ?p ?o } #',
    '"}} UNION { ?s ?p ?o } #',
    "<https://w3id.org/menaka-kg/place/tamalat> } INSERT DATA { <a:b> <a:c> <a:d> } #",
])
def test_injection_in_a_parameter_is_an_unknown_name_and_changes_nothing(hostile):
    import menaka_kg
    kg = menaka_kg.load()
    before = len(kg.endpoint)
    with pytest.raises(Exception) as error:
        kg.query("controller-at", place=hostile, date="2022")
    assert type(error.value).__name__ == "UnknownName"
    assert len(kg.endpoint) == before
    result = run("query", "controller-at", "-p", f"place={hostile}", "-p", "date=2022")
    assert result.exit_code == 1 and "Error: no place" in result.output


def test_no_bundled_queries_only_the_users_files():
    result = run("query", "controller-at", "-p", "place=Ridge", "-p", "date=2022-06",
                 "--no-bundled", "--data", str(FIXTURES / "time-world.ttl"))
    assert result.exit_code == 0, result.output
    assert "Red" in result.output and "definite" in result.output
    assert run("resolve", "Ridge").exit_code == 1  # not in the bundled graph


def test_sparql_ask_construct_and_stdin():
    assert run("sparql", "ASK { ?s ?p ?o }").output.strip() == "yes"
    result = run("sparql", "-", "--format", "ntriples",
                 input="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?s = <https://w3id.org/menaka-kg/place/tamalat>) }")
    assert result.exit_code == 0 and "<https://w3id.org/menaka-kg/place/tamalat>" in result.output
    assert run("sparql", "ASK { ?s ?p ?o }", "--format", "turtle").exit_code == 2


def test_resolve_and_info():
    result = run("resolve", "Labbezenga")
    assert result.exit_code == 0 and "Labbézanga" in result.output and "alternative label" in result.output
    info = run("info")
    assert info.exit_code == 0 and "triples" in info.output and "control assertion" in info.output


def test_queries_lists_and_shows():
    listed = run("queries").output
    assert "controller-at" in listed and "casualties" in listed
    shown = run("queries", "controller-at").output
    assert "place (place, required" in shown and "Example:" in shown
