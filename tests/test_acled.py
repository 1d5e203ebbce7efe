"""Importing ACLED exports: the mapping, matching onto the graph, links to the curated events, re-imports,
the stored queries on the import, bad files, determinism and streaming. The fixtures' rows are written for
these tests, not ACLED data (tests/fixtures/acled/README.md)."""

import csv
import datetime
import itertools
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.acled import AcledImporter, GraphReference, bounds, import_acled, import_graph, read_rows
from menaka_kg.names import acled_forms
from menaka_kg.cli import cli
from menaka_kg.validation import validate_files

FIXTURES = Path(__file__).parent / "fixtures" / "acled"
FIXTURE = FIXTURES / "menaka-2024.csv"
LINKED = FIXTURES / "menaka-2022.csv"
REVISED = FIXTURES / "menaka-2022-revised.csv"
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
    assert acled_forms("Islamic State (Sahel)", {"mali"}) == []
    assert acled_forms("Military Forces of Mali (2021-)") == [("Military Forces of Mali", "base")]
    assert acled_forms("Civilians (Mali)", {"mali"}) == [("Civilians", "base")]
    assert acled_forms("JNIM: Group for Support of Islam and Muslims") == [
        ("JNIM", "abbreviation"), ("Group for Support of Islam and Muslims", "full name")]


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


def test_cells_with_spaces_around_them_import_as_without(tmp_path, bundled, imported):
    def pad(rows, fields):
        for row in rows:
            for column in ("event_id_cnty", "event_date", "time_precision", "sub_event_type", "actor1", "inter1",
                           "admin1", "location", "fatalities", "geo_precision", "timestamp", "civilian_targeting"):
                row[column] = f" {row[column]} " if row[column] else row[column]
    out = tmp_path / "padded.ttl"
    import_acled(edited(tmp_path, pad), out, kg=bundled)
    assert out.read_text(encoding="utf-8").replace("bad.csv", FIXTURE.name) == imported[0].read_text(encoding="utf-8")


# --- streaming ----------------------------------------------------------------------------------
def numbered_copies(count, rows):
    """`count` rows cycling through `rows` (as read_rows gives them), each with an event id of its own."""
    for number, (_, row, index) in zip(range(count), itertools.cycle(rows)):
        copy = list(row)
        copy[index["event_id_cnty"]] = f"GEN{number}"
        yield number + 2, copy, index


def peak_memory_of_import(bundled, count) -> int:
    """Peak memory (bytes) of importing `count` rows, once 1,000 rows have filled the importer's caches."""
    rows = list(read_rows(FIXTURE))
    importer = AcledImporter(GraphReference(bundled), "generated")
    for number, row, index in numbered_copies(1000, rows):
        importer.row(number, row, index)
    tracemalloc.start()
    try:
        for number, row, index in numbered_copies(count, rows):
            importer.row(number, row, index)  # the text is dropped, as a file on disk would take it
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_export_grows(bundled):
    """Ten times the rows, the same peak: keeping even 25 bytes a row would show as 45 kB more."""
    small, large = peak_memory_of_import(bundled, 200), peak_memory_of_import(bundled, 2000)
    assert large < small + 20_000


@pytest.mark.parametrize("fixture, query", [
    (FIXTURE, "events-at -p place=Andéramboukane -p from=2024"),
    (LINKED, "claims-about -p event=event:2022-03-21-talataye-massacre"),
    (LINKED, "events-at -p place=Talataye -p from=2022-03 -p to=2022-03"),
])
def test_docs_show_the_real_answer_on_the_fixture(tmp_path, fixture, query):
    out = tmp_path / fixture.with_suffix(".ttl").name
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "acled", str(fixture), "-o", str(out)]).exit_code == 0
    command = f"$ menaka-kg query {query} --data {out.name}\n"
    shown = (Path(__file__).parents[1] / "docs" / "acled.md").read_text(encoding="utf-8").split(command, 1)[1]
    answer = runner.invoke(cli, ["query", *query.split(), "--data", str(out)])
    assert shown.startswith(answer.output)


# --- links to the curated events the records report ---------------------------------------------
EVENT = "https://w3id.org/menaka-kg/event/"
LINK_RULES = "https://w3id.org/menaka-kg/concept/"


@pytest.fixture(scope="module")
def linked(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("acled-linked") / "menaka-2022.ttl"
    summary = import_acled(LINKED, out, kg=bundled)
    return out, summary, menaka_kg.load(data=[out])


def links_of(kg):
    rows = kg.sparql("""PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        SELECT ?record ?event ?rule WHERE { ?l a mk:EventLink ; mk:linkedRecord ?record ; mk:linkedEvent ?event ;
                                             mk:linkRule ?rule }""")
    return {(r["record"].rsplit("/", 1)[-1], r["event"].rsplit("/", 1)[-1], r["rule"].rsplit("/", 1)[-1]) for r in rows}


def test_import_links_records_to_the_curated_events_they_report(linked):
    out, summary, kg = linked
    assert links_of(kg) == {
        ("TEST101", "2022-03-08-tamalat-second-raid", "same-place-link"),  # the clash, not the raid that took the town
        ("TEST102", "2022-03-12-anderamboukane-civilian-killings", "same-place-link"),  # an attack, not the clash
        ("TEST103", "2022-03-27-labbezanga-attack", "same-place-link"),
        ("TEST104", "2022-03-21-talataye-massacre", "same-place-link"),  # week precision overlaps 21-25 March
        ("TEST105", "2022-08-07-tessit-camp-attack", "nested-place-link"),  # month precision; the camp lies in Tessit
    }
    assert (summary.linked, summary.unlinked, summary.unlinked_ids) == (5, 2, ["TEST106", "TEST107"])
    assert validate_files([out]).conforms


def test_a_link_says_why_and_is_not_a_merge(linked):
    _, _, kg = linked
    link = ACLED + "link/TEST104--2022-03-21-talataye-massacre"
    (why,) = objects(kg, link, "http://purl.org/dc/terms/description")
    assert "2022-03-20 to 2022-03-26" in why and "both at Talataye" in why and "Islamic State in the Greater Sahara" in why
    assert objects(kg, link, MK + "sharedParticipant") == {ACTOR + "isgs", ACTOR + "civilians"}
    # both events keep their own dates and places
    assert objects(kg, ACLED + "event/TEST104", SEM + "hasEarliestBeginTimeStamp") == {datetime.date(2022, 3, 20)}
    assert objects(kg, EVENT + "2022-03-21-talataye-massacre", SEM + "hasEarliestBeginTimeStamp") == {datetime.date(2022, 3, 21)}
    assert not kg.sparql(f"ASK {{ <{ACLED}event/TEST104> <http://www.w3.org/2002/07/owl#sameAs> ?x }}")


def test_claims_about_shows_acleds_figure_beside_the_sources(linked):
    _, _, kg = linked
    rows = list(kg.query("claims-about", event="event:2022-03-21-talataye-massacre"))
    acled = [r for r in rows if r["claimant"] == ACTOR + "acled"]
    assert [(r["low"], r["about"], r["link"]) for r in acled] == [
        (40, ACLED + "event/TEST104", ACLED + "link/TEST104--2022-03-21-talataye-massacre")]
    assert any(r["claimant"] != ACTOR + "acled" and r["link"] is None for r in rows)


def test_events_at_says_which_events_are_linked(linked):
    _, _, kg = linked
    rows = {r["event"]: r for r in kg.query("events-at", place="Talataye", **{"from": "2022-03", "to": "2022-03"})}
    assert rows[ACLED + "event/TEST104"]["linked"] == EVENT + "2022-03-21-talataye-massacre"
    assert rows[EVENT + "2022-03-21-talataye-massacre"]["linked"] == ACLED + "event/TEST104"
    assert rows[EVENT + "2022-03-21-talataye-massacre"]["links"] == 1


def test_the_command_prints_what_it_linked_and_left_unlinked(tmp_path):
    result = CliRunner().invoke(cli, ["import", "acled", str(LINKED), "-o", str(tmp_path / "out.ttl")])
    assert result.exit_code == 0, result.output
    assert "linked 5 of 7 events to the curated events they report:" in result.output
    assert ('TEST104 reports event:2022-03-21-talataye-massacre "Talataye massacre (21-25 March 2022)" (same place)'
            in result.output)
    assert "left 2 unlinked: TEST106, TEST107" in result.output


# --- re-imports ---------------------------------------------------------------------------------
def test_a_reimport_replaces_each_events_earlier_version(tmp_path, bundled):
    out = tmp_path / "merged.ttl"
    summary = import_acled([LINKED, REVISED], out, kg=bundled)
    kg = menaka_kg.load(data=[out])
    claim = ACLED + "claim/TEST101-fatalities"
    assert objects(kg, claim, MK + "low") == {25}  # the revised figure only: no duplicate, no two versions
    assert len(objects(kg, ACLED + "event/TEST101", "http://purl.org/dc/terms/description")) == 1
    assert len(objects(kg, ACLED + "event/TEST101", "http://www.w3.org/ns/prov#wasDerivedFrom")) == 1
    assert objects(kg, ACLED + "event/TEST103", SEM + "eventType")  # kept: the newer export may be partial
    assert (summary.rows, summary.replaced, summary.revised, summary.kept_missing, summary.dropped) == (8, 6, 1, 1, 0)
    assert validate_files([out]).conforms


def test_a_reimport_can_drop_the_events_acled_deleted(tmp_path):
    out = tmp_path / "merged.ttl"
    result = CliRunner().invoke(cli, ["import", "acled", str(LINKED), str(REVISED), "--drop-missing", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 events dropped as gone from the last export" in result.output
    assert "TEST103" not in out.read_text(encoding="utf-8")


def test_a_reimport_gives_the_same_iris_so_its_output_replaces_the_earlier_one(tmp_path, bundled):
    """The revised export imported alone names the same nodes as the first import: its file replaces the
    first one (or, in a store, the named graph import_graph(source name))."""
    first, second = tmp_path / "first.ttl", tmp_path / "second.ttl"
    one, two = import_acled(LINKED, first, kg=bundled), import_acled(REVISED, second, kg=bundled)
    assert one.graph == two.graph == import_graph() == ACLED + "source/acled-data"
    subjects = {line.split(" ", 1)[0] for path in (first, second)
                for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("acled-event:")}
    assert {"acled-event:TEST101", "acled-event:TEST102"} <= subjects
    kg = menaka_kg.load(data=[second])
    assert objects(kg, ACLED + "claim/TEST101-fatalities", MK + "low") == {25}
    # ACLED's timestamp of the version, on the record's section
    assert 'dct:modified "2023-11-14T22:13:20Z"^^xsd:dateTime' in second.read_text(encoding="utf-8")


# --- regressions (issue 13, item 12) ------------------------------------------------------------
def test_an_inter_code_of_superscript_two_is_a_row_error(tmp_path):
    bad = edited(tmp_path, set_cell(0, "inter1", "²"))
    result = CliRunner().invoke(cli, ["import", "acled", str(bad), "-o", str(tmp_path / "out.ttl")])
    assert result.exit_code == 1 and "row 2, column inter1: '²' is not an ACLED actor type" in result.output


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_end_of_the_calendar_is_a_row_error(tmp_path, day):
    def change(rows, fields):
        rows[0]["event_date"], rows[0]["time_precision"] = day, "2"
    result = CliRunner().invoke(cli, ["import", "acled", str(edited(tmp_path, change)), "-o", str(tmp_path / "out.ttl")])
    assert result.exit_code == 1 and "row 2, column event_date" in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize("query, params", [
    ("events-at", {"place": "Ménaka Region", "from": "2022-03", "to": "2022-08"}),
    ("claims-about", {"event": "event:2022-03-21-talataye-massacre"}),
])
def test_the_link_queries_are_plain_sparql(linked, query, params):
    """rdflib's engine gives the rows Oxigraph gives on an import with links (as tests/test_engines_agree
    checks on the bundled graph)."""
    from menaka_kg import resources
    from menaka_kg.graph import parse_files
    from tests.test_engines_agree import oxigraph_rows, rdflib_rows
    out, _, kg = linked
    graph = parse_files([*resources.ontology_files(), *resources.data_files(), out])
    text = kg.bound_query(query, **params)
    ours = kg.sparql(text)
    assert len(ours) > 1 and rdflib_rows(graph, text, ours.variables) == oxigraph_rows(ours)


def test_a_failed_write_is_raised_not_lost():
    """The output is written from a thread of its own; a write that fails (a full disk) still fails the import."""
    from menaka_kg.acled import _Writer

    class FullDisk:
        def write(self, text):
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        with _Writer(FullDisk()) as out:
            out.write("a row\n")
