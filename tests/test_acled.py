"""Importing ACLED exports: the mapping, matching onto the graph, the stored queries on the import, bad
files, determinism and streaming. The fixture's rows are written for these tests (tests/fixtures/acled)."""

import csv
import datetime
import itertools
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.acled import AcledImporter, GraphReference, actor_names, bounds, import_acled
from menaka_kg.cli import cli
from menaka_kg.validation import validate_files

FIXTURE = Path(__file__).parent / "fixtures" / "acled" / "menaka-2024.csv"
ACLED = "https://w3id.org/menaka-kg/acled/"
ACTOR = "https://w3id.org/menaka-kg/actor/"
PLACE = "https://w3id.org/menaka-kg/place/"


@pytest.fixture(scope="module")
def bundled():
    return menaka_kg.load()


@pytest.fixture(scope="module")
def imported(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("acled") / "menaka-2024.ttl"
    summary = import_acled(FIXTURE, out, kg=bundled)
    return out, summary


@pytest.fixture(scope="module")
def kg(imported):
    return menaka_kg.load(data=[imported[0]])


def fixture_rows():
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def objects(kg, subject, predicate):
    answer = kg.sparql(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")
    return {row["o"] for row in answer}


MK = "https://w3id.org/menaka-kg/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"


# --- the fixture covers what it must ------------------------------------------------------------
def test_fixture_covers_every_acled_event_type_and_each_time_precision(bundled):
    reference = GraphReference(bundled)
    rows = fixture_rows()
    sub_types = {row["sub_event_type"] for row in rows}
    assert len(reference.sub_event_types) == 25 and len(sub_types) == 25
    assert len({row["event_type"] for row in rows}) == len(reference.event_types) == 6
    assert {row["time_precision"] for row in rows} == {"1", "2", "3"}


# --- the output is valid data of our model ------------------------------------------------------
def test_import_validates_against_the_shapes(imported):
    out, summary = imported
    report = validate_files([out])
    assert report.conforms, report.to_text()
    assert summary.rows == 25 and summary.control_assertions == 4


def test_import_is_deterministic(tmp_path, bundled, imported):
    again = tmp_path / "again.ttl"
    import_acled(FIXTURE, again, kg=bundled)
    assert again.read_bytes() == imported[0].read_bytes()


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("precision, earliest, latest, unit", [
    (1, "2024-01-10", "2024-01-10", "unitDay"),
    (2, "2024-01-07", "2024-01-13", "unitWeek"),
    (3, "2024-01-01", "2024-01-31", "unitMonth"),
])
def test_time_precision_gives_the_bounds(precision, earliest, latest, unit):
    got = bounds(datetime.date(2024, 1, 10), precision)
    assert got[:3] == (datetime.date.fromisoformat(earliest), datetime.date.fromisoformat(latest), unit)


def test_both_acled_date_styles_are_read(kg):
    # TEST002 is dated "10 January 2024" with time_precision 2, TEST004 "15 March 2024" with 3
    event = ACLED + "event/TEST002"
    assert objects(kg, event, SEM + "hasEarliestBeginTimeStamp") == {datetime.date(2024, 1, 7)}
    assert objects(kg, ACLED + "event/TEST004", SEM + "hasLatestEndTimeStamp") == {datetime.date(2024, 3, 31)}


# --- matching onto the curated graph ------------------------------------------------------------
def test_actors_match_the_curated_nodes(kg):
    assert objects(kg, ACLED + "event/TEST002", MK + "attacker") == {ACTOR + "isgs"}
    assert objects(kg, ACLED + "event/TEST002", MK + "defender") == {ACTOR + "msa"}
    assert objects(kg, ACLED + "event/TEST001", MK + "participant") == {ACTOR + "jnim", ACTOR + "isgs"}
    assert objects(kg, ACLED + "event/TEST024", MK + "participant") == {ACTOR + "cma"}
    assert objects(kg, ACLED + "event/TEST010", MK + "target") == {ACTOR + "civilians", ACLED + "actor/tuareg-ethnic-group-mali"}


def test_islamic_state_sahel_is_not_the_central_islamic_state(kg):
    """Dropping "(Sahel)" would name the central organisation, so the name is not shortened: a new actor."""
    assert objects(kg, ACLED + "event/TEST019", MK + "participant") == {ACLED + "actor/islamic-state-sahel"}
    assert actor_names("Islamic State (Sahel)", {"mali"}) == ["Islamic State (Sahel)"]
    assert actor_names("Military Forces of Mali (2021-)") == ["Military Forces of Mali (2021-)", "Military Forces of Mali"]
    assert actor_names("JNIM: Group for Support of Islam and Muslims") == [
        "JNIM: Group for Support of Islam and Muslims", "JNIM", "Group for Support of Islam and Muslims"]


def test_places_match_the_curated_nodes_and_new_ones_sit_in_the_hierarchy(kg):
    assert objects(kg, ACLED + "event/TEST002", SEM + "hasPlace") == {PLACE + "anderamboukane"}
    assert objects(kg, ACLED + "event/TEST001", SEM + "hasPlace") == {PLACE + "menaka"}
    assert objects(kg, ACLED + "event/TEST006", SEM + "hasPlace") == {PLACE + "tillia"}
    commune = ACLED + "place/mali--menaka--menaka--menaka"
    assert objects(kg, commune, "http://www.opengis.net/ont/geosparql#sfWithin") == {PLACE + "menaka-cercle"}
    assert kg.resolve("Intahaka", "place").iri == ACLED + "place/mali--gao--gao--gabero--intahaka"
    assert kg.resolve("Gao Cercle", "place").iri == PLACE + "gao-cercle"


# --- the stored queries answer on the import ----------------------------------------------------
def test_controller_at_answers_from_the_import(kg):
    rows = [r for r in kg.query("controller-at", place="Andéramboukane", date="2024-02-10") if r["certainty"] == "definite"]
    assert {r["controller"] for r in rows} == {ACLED + "actor/military-forces-of-mali-2021", ACTOR + "wagner"}
    assert {r["kindLabel"] for r in rows} == {"joint control"}
    assert all(r["claimant"] == ACTOR + "acled" and r["begin"] == datetime.date(2024, 2, 10) for r in rows)


def test_territory_at_answers_from_the_import(kg):
    places = {r["place"] for r in kg.query("territory-at", actor="Wagner Group", date="2024-08")}
    assert {PLACE + "anderamboukane", PLACE + "tidermene"} <= places


def test_events_at_finds_the_imported_events_within_a_region(kg):
    events = {r["event"] for r in kg.query("events-at", place="Ménaka Region", **{"from": "2024-01", "to": "2024-12"})}
    in_menaka = {row["event_id_cnty"] for row in fixture_rows() if row["admin1"] == "Menaka"}
    assert events == {ACLED + "event/" + e for e in in_menaka}


def test_casualties_gives_acled_fatalities_as_a_floor(kg):
    rows = [r for r in kg.query("casualties", place="Andéramboukane", date="2024-01") if r["claimant"] == ACTOR + "acled"]
    assert [(r["low"], r["best"], r["lowerBound"], r["categoryLabel"]) for r in rows] == [(12, None, True, "killed")]


def test_the_command_imports_and_the_queries_run_on_its_output(tmp_path):
    out = tmp_path / "out.ttl"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "acled", str(FIXTURE), "-o", str(out), "--source-name", "ACLED test export"])
    assert result.exit_code == 0, result.output
    assert "25 events" in result.output and "7 matched" in result.output
    answer = runner.invoke(cli, ["query", "controller-at", "-p", "place=Intahaka", "-p", "date=2024-09", "--data", str(out)])
    assert answer.exit_code == 0 and "Jama'at Nasr al-Islam wal Muslimin  presumed" in answer.output
    events = runner.invoke(cli, ["query", "events-at", "-p", "place=Andéramboukane", "-p", "from=2024", "--data", str(out),
                                 "--format", "csv"])
    assert events.output.count("ACLED TEST0") == 3
    casualties = runner.invoke(cli, ["query", "casualties", "-p", "place=Tamalat", "-p", "date=2024-04", "--data", str(out)])
    assert "ACLED: 15 or more killed (TEST010)" in casualties.output and "ACLED test export § TEST010" in casualties.output


def test_the_command_has_help_with_an_example():
    result = CliRunner().invoke(cli, ["import", "acled", "--help"])
    assert result.exit_code == 0 and "menaka-kg import acled export.csv -o export.ttl" in result.output


# --- bad files ----------------------------------------------------------------------------------
def edited(tmp_path, change):
    rows = fixture_rows()
    fields = list(rows[0])
    change(rows, fields)
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def drop_fatalities(rows, fields):
    fields.remove("fatalities")


def set_cell(index, column, value):
    def change(rows, fields):
        rows[index][column] = value
    return change


@pytest.mark.parametrize("change, expected", [
    (drop_fatalities, "row 1 (the header): missing column fatalities"),
    (set_cell(2, "event_date", "2024-02-30"), "row 4, column event_date: '2024-02-30' is not a date"),
    (set_cell(4, "fatalities", "twelve"), "row 6, column fatalities: 'twelve' is not a whole number"),
    (set_cell(0, "time_precision", "4"), "row 2, column time_precision: 4 is out of range (1 to 3)"),
    (set_cell(1, "latitude", "north"), "row 3, column latitude: 'north' is not a number"),
    (set_cell(5, "sub_event_type", "Ambush"), "row 7, column sub_event_type: 'Ambush' is not an ACLED sub-event type"),
    (set_cell(6, "inter1", "9"), "row 8, column inter1: '9' is not an ACLED actor type"),
])
def test_a_bad_file_gives_one_line_and_leaves_the_output_alone(tmp_path, change, expected):
    bad = edited(tmp_path, change)
    out = tmp_path / "out.ttl"
    out.write_text("the previous import\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "acled", str(bad), "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and expected in result.output, result.output
    assert out.read_text(encoding="utf-8") == "the previous import\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out.ttl"]


def set_cells(index, **values):
    def change(rows, fields):
        rows[index].update(values)
    return change


@pytest.mark.parametrize("change, expected", [
    (set_cell(6, "inter1", "²"), "row 8, column inter1: '²' is not an ACLED actor type"),
    (set_cell(4, "fatalities", "１２"), "row 6, column fatalities: '１２' is not a whole number"),
    (set_cells(0, event_date="0001-01-01", time_precision="2"),
     "row 2, column event_date: '0001-01-01' is too close to the end of the calendar for its time_precision"),
    (set_cells(0, event_date="9999-12-30", time_precision="2"),
     "row 2, column event_date: '9999-12-30' is too close to the end of the calendar for its time_precision"),
    (set_cell(1, "notes", "x" * 10_000), None),  # a long cell is data, not an error
])
def test_a_superscript_inter_code_or_a_date_at_the_calendars_end_is_one_line(tmp_path, change, expected):
    result = CliRunner().invoke(cli, ["import", "acled", str(edited(tmp_path, change)), "-o", str(tmp_path / "out.ttl")])
    if expected is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1 and result.output.count("\n") == 1 and expected in result.output, result.output
    assert "unexpected" not in result.output and not (tmp_path / "out.ttl").exists()


# --- streaming ----------------------------------------------------------------------------------
def numbered_copies(count, rows):
    """`count` rows cycling through `rows`, each with an event id of its own."""
    for number, row in zip(range(count), itertools.cycle(rows)):
        yield number + 2, {**row, "event_id_cnty": f"GEN{number}"}


def peak_memory_of_import(bundled, count) -> int:
    """Peak memory (bytes) of importing `count` rows, once 1,000 rows have filled the importer's caches."""
    rows = fixture_rows()
    importer = AcledImporter(GraphReference(bundled), "generated")
    for number, row in numbered_copies(1000, rows):
        importer.row(number, row)
    tracemalloc.start()
    try:
        for number, row in numbered_copies(count, rows):
            importer.row(number, row)  # the text is dropped, as a file on disk would take it
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_export_grows(bundled):
    """Ten times the rows, the same peak: keeping even 25 bytes a row would show as 45 kB more."""
    small, large = peak_memory_of_import(bundled, 200), peak_memory_of_import(bundled, 2000)
    assert large < small + 20_000


def test_docs_show_the_real_answer_on_the_fixture(tmp_path):
    out = tmp_path / "menaka-2024.ttl"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "acled", str(FIXTURE), "-o", str(out)]).exit_code == 0
    command = "$ menaka-kg query controller-at -p place=Andéramboukane -p date=2024-02-10 --data menaka-2024.ttl\n"
    shown = (Path(__file__).parents[1] / "docs" / "acled.md").read_text(encoding="utf-8").split(command, 1)[1].split("```", 1)[0]
    answer = runner.invoke(cli, ["query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2024-02-10",
                                 "--data", str(out)])
    assert answer.output == shown
