"""The entry point's quick path for `menaka-kg query` (no click import) gives exactly the CLI's output,
and hands every other call to the click CLI."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from menaka_kg.cli import cli
from menaka_kg.entry import quick_query

ANSWERED = [
    ["query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2022-06"],
    ["query", "events-of", "--param", "actor=JNIM", "-p", "from=2022-10", "--format", "csv"],
    ["query", "alliances-at", "-p", "date=2022-12", "-f", "jsonl"],
]
HANDED_OVER = [
    ["query", "controller-at", "-p", "place=Atlantis", "-p", "date=2022"],  # an error: the CLI reports it
    ["query", "controller-at", "-p", "place"],  # not KEY=VALUE
    ["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022", "--data", "x.ttl"],
    ["query", "--help"],
    ["query", "controller-at", "-p"],
    ["queries"],
]


@pytest.mark.parametrize("args", ANSWERED)
def test_the_quick_path_prints_what_the_cli_prints(args):
    assert quick_query(args) == CliRunner().invoke(cli, args).stdout_bytes.decode("utf-8")


def test_the_quick_path_takes_joined_options():
    """-pKEY=VALUE and --param=KEY=VALUE went to the click CLI (about 0.1 s more from the shell)."""
    args = ["query", "controller-at", "-pplace=Andéramboukane", "--param=date=2022-06", "--format=csv"]
    answer = quick_query(args)
    assert answer is not None and answer == CliRunner().invoke(cli, args).stdout_bytes.decode("utf-8")


@pytest.mark.parametrize("args", HANDED_OVER)
def test_other_calls_go_to_the_cli(args):
    assert quick_query(args) is None


def test_an_endpoint_in_the_environment_goes_to_the_cli(monkeypatch):
    monkeypatch.setenv("MENAKA_KG_ENDPOINT", "http://127.0.0.1:9/query")
    assert quick_query(ANSWERED[0]) is None


def test_the_installed_command_gives_the_same_output_and_errors():
    command = [os.path.join(os.path.dirname(sys.executable), "menaka-kg")]
    answer = subprocess.run(command + ANSWERED[0], capture_output=True, text=True)
    assert answer.returncode == 0 and answer.stdout == CliRunner().invoke(cli, ANSWERED[0]).output
    error = subprocess.run(command + HANDED_OVER[0], capture_output=True, text=True)
    assert error.returncode == 1 and error.stderr.startswith("Error: no place named 'Atlantis'")
