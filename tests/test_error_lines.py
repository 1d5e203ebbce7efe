"""Bad input gets one short line, never `unexpected …`: the cases a hostile user found (issue 13), the
structural guards (values shortened in one place, every message made one line at the edge) and the
small traps (a repeated -p, from after to, a file name given as data, dates queries cannot read)."""

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.cli import cli
from menaka_kg.errors import BadDate, one_line, shown
from tests.conftest import FIXTURES


def one_line_error(result, exit_code=1) -> str:
    assert result.exit_code == exit_code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "unexpected" not in lines[0], result.output
    return lines[0]


def run(*args, **kwargs):
    return CliRunner(**kwargs).invoke(cli, list(args))


@pytest.mark.parametrize("args", [
    ["query", "controller-at", "-p", "place=Tamalat", "-p", "date=9999-12"],
    ["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022/9999-12"],
    ["export", "--snapshot", "9999-12", "-f", "ntriples"],
])
def test_the_last_month_of_the_calendar_is_a_date(args):
    assert run(*args).exit_code == 0


def test_the_last_month_of_the_calendar_is_a_date_in_the_api_and_timeline(tmp_path):
    assert len(menaka_kg.load().query("controller-at", place="Tamalat", date="9999-12")) > 0
    assert run("timeline", "Tamalat", "--to", "9999-12", "-o", str(tmp_path / "t.svg")).exit_code == 0


def test_a_series_from_after_to_is_one_line(tmp_path):
    line = one_line_error(run("map", "--every", "year", "--from", "2023", "--to", "2021", "-o", str(tmp_path)))
    assert line == "Error: --from '2023' is after --to '2021'"


def test_a_series_of_maps_has_a_bound(tmp_path):
    line = one_line_error(run("map", "--every", "month", "--from", "1900", "--to", "2100", "-o", str(tmp_path / "m")))
    assert "would draw 2,412 maps, more than the 240 a series draws" in line
    assert not (tmp_path / "m").exists()


def test_from_after_to_as_two_parameters_is_one_line():
    line = one_line_error(run("query", "events-of", "-p", "actor=JNIM", "-p", "from=2023", "-p", "to=2021"))
    assert line == "Error: from '2023' is after to '2021'"
    with pytest.raises(BadDate):
        menaka_kg.load().query("events-of", actor="JNIM", **{"from": "2023-06", "to": "2023-05"})


def test_a_repeated_parameter_is_an_error_not_the_last_value():
    result = run("query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022", "-p", "place=Talataye")
    assert result.exit_code == 2 and "'place' is given twice" in result.output


def test_a_binary_file_given_to_sparql_is_one_line(tmp_path):
    binary = tmp_path / "query.rq"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert one_line_error(run("sparql", str(binary))) == f"Error: {binary} is not a SPARQL query: it is not UTF-8 text"
    stdin = CliRunner().invoke(cli, ["sparql", "-"], input=b"\xff\xfe\x00")
    assert "standard input is not a SPARQL query" in one_line_error(stdin)


def test_load_with_one_file_name_loads_that_file():
    kg = menaka_kg.load(data=str(FIXTURES / "time-world.ttl"))
    assert kg.resolve("Ridge").label == "Ridge"
    assert menaka_kg.load(data=FIXTURES / "time-world.ttl").resolve("Ridge").label == "Ridge"


def test_data_with_dates_queries_cannot_read_gives_a_warning_naming_the_facts(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n"
                    "<https://w3id.org/menaka-kg/event/mine> sem:hasEarliestBeginTimeStamp \"2022-06\"^^xsd:date ;\n"
                    "    sem:hasLatestBeginTimeStamp \"2022-06-30\"^^xsd:date .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["info", "--data", str(mine)])
    assert result.exit_code == 0
    assert result.stderr == ("Warning: event:mine sem:hasEarliestBeginTimeStamp '2022-06' is not an xsd:date (YYYY-MM-DD): "
                             "the queries leave this fact out\n")
    clean = CliRunner().invoke(cli, ["info", "--data", str(FIXTURES / "time-world.ttl")])
    assert clean.exit_code == 0 and clean.stderr == ""


@pytest.mark.parametrize("args", [
    ["query", "controller-at", "-p", "place=" + "A" * 10_000, "-p", "date=2022"],
    ["query", "controller-at", "-p", "place=Tamalat", "-p", "date=" + "9" * 10_000],
    ["query", "x" * 10_000],
    ["resolve", "Atlan\ntis"],
    ["query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022\n-06"],
    ["query", "controller-at", "-p", "place=Atlan\r\ntis", "-p", "date=2022"],
])
def test_an_error_never_echoes_a_long_value_or_breaks_the_line(args):
    line = one_line_error(run(*args))
    assert len(line) < 700


def test_shown_values_are_short_and_on_one_line():
    assert shown("Andéramboukane") == "'Andéramboukane'"
    assert shown("a\nb") == "'a\\nb'"
    long = shown("x" * 10_000)
    assert len(long) < 120 and long.endswith("(10,000 characters)")
    assert "\n" not in one_line("first\nsecond\r\nthird\x00") and len(one_line("y" * 5000)) == 600
