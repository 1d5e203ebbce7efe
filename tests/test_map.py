"""`menaka-kg map`: the GeoJSON holds the state-at rows, the HTML shows them offline in Chromium, the PNG
is a PNG, a series writes one map per month, and bad input fails cleanly."""

import json
import struct
import subprocess
import sys

import pytest
from click.testing import CliRunner

import menaka_kg
import menaka_kg.maps
from menaka_kg import basemap
from menaka_kg.cli import cli
from tests.browser import open_page

ANDERAMBOUKANE = "https://w3id.org/menaka-kg/place/anderamboukane"


def run(*args):
    return CliRunner().invoke(cli, ["map", *map(str, args)])


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    """The June 2022 map in the three formats."""
    folder = tmp_path_factory.mktemp("june")
    for extension in ("geojson", "html", "png"):
        result = run("--date", "2022-06", "-o", folder / f"map.{extension}")
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def features(june):
    collection = json.loads((june / "map.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def test_geojson_has_one_feature_per_state_at_row(kg, features):
    rows = list(kg.query("state-at", date="2022-06"))
    assert sorted((f["properties"]["place"], f["properties"]["assertion"], f["properties"]["controller"])
                  for f in features) == sorted((r["place"], r["assertion"], r["controller"]) for r in rows)


def test_geojson_anderamboukane_in_june_2022_matches_controller_at(kg, features):
    expected = [(r["controller"], r["certainty"], r["assertion"], r["mode"], r["claimant"], r["source"],
                 str(r["begin"]), str(r["beginLatest"]))
                for r in kg.query("controller-at", place="Andéramboukane", date="2022-06")]
    mine = [f for f in features if f["properties"]["place"] == ANDERAMBOUKANE]
    got = [(p["controller"], p["certainty"], p["assertion"], p["mode"], p["claimant"], p["source"], p["begin"],
            p["beginLatest"]) for p in (f["properties"] for f in mine)]
    assert sorted(got) == sorted(expected) and len(got) == 5
    first = mine[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [3.023309, 15.422376]}  # WKT POINT(lon lat)
    properties = first["properties"]
    assert properties["placeLabel"] == "Andéramboukane" and properties["regionLabel"] == "Ménaka Region"
    assert properties["countryLabel"] == "Mali" and properties["date"] == "2022-06"
    assert (properties["dateStart"], properties["dateEnd"]) == ("2022-06-01", "2022-06-30")
    joint = {p["controllerLabel"] for p in (f["properties"] for f in mine) if p["kindLabel"] == "joint control"}
    assert joint == {"Movement for the Salvation of Azawad", "Imghad Tuareg Self-Defense Group and Allies"}


def test_geojson_properties_and_unplaced_places(features):
    keys = {"place", "placeLabel", "placeType", "region", "regionLabel", "country", "countryLabel", "controller",
            "controllerLabel", "certainty", "begin", "beginLatest", "end", "endLatest", "kind", "kindLabel", "mode",
            "modeLabel", "claimant", "claimantLabel", "source", "sourceLabel", "assertion", "assertionLabel",
            "standing", "why", "via", "viaLabel", "date", "dateStart", "dateEnd"}
    assert all(set(f["properties"]) == keys for f in features)
    assert {f["properties"]["certainty"] for f in features} == {"definite", "presumed", "possible"}
    tamalat = [f for f in features if f["properties"]["placeLabel"] == "Tamalat"]
    assert tamalat and all(f["geometry"] is None for f in tamalat)  # no coordinates: none guessed


def test_geojson_is_deterministic(june, tmp_path):
    assert run("--date", "2022-06", "-o", tmp_path / "again.geojson").exit_code == 0
    assert (tmp_path / "again.geojson").read_bytes() == (june / "map.geojson").read_bytes()


def test_html_loads_no_remote_script_or_style(june):
    page = (june / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link " not in page
    assert "cdn.jsdelivr" not in page and "jquery" not in page.lower()
    assert 'L.version="1.9.4"' in page or 't.version="1.9.4"' in page  # the vendored Leaflet, inlined


def test_html_shows_markers_labels_and_lists_offline_in_chromium(june, features, tmp_path):
    placed = {f["properties"]["placeLabel"] for f in features if f["geometry"]}
    unplaced = {f["properties"]["placeLabel"] for f in features if not f["geometry"]}
    page = open_page(june / "map.html", [".menaka-place.controlled", ".menaka-label.controlled",
                                         ".menaka-place.uncontrolled", "#menaka-unplaced > li",
                                         "#menaka-basemap-note", "path.menaka-border", "path.menaka-river",
                                         ".menaka-basemap-name.country", ".menaka-basemap-name.region"],
                     click=".menaka-place.controlled", screenshot=tmp_path / "map.png")
    assert page.errors == []
    assert page.counts[".menaka-place.controlled"] == len(placed)
    assert {"Andéramboukane", "Ménaka", "Talataye", "Labbézanga camp"} <= placed
    assert set(page.texts[".menaka-label.controlled"]) == placed
    assert page.counts[".menaka-place.uncontrolled"] > 0
    assert page.counts["#menaka-unplaced > li"] == len(unplaced)
    assert "Natural Earth" in page.texts["#menaka-basemap-note"][0]
    assert page.counts[".menaka-place.controlled popup"] == 1
    assert page.blocked == []  # no tile layer: nothing asked of the network
    assert page.counts["path.menaka-border"] >= 3 and page.counts["path.menaka-river"] > 0
    assert {"MALI", "NIGER"} <= set(page.texts[".menaka-basemap-name.country"])
    assert "Tillabéri" in page.texts[".menaka-basemap-name.region"]
    assert _pixels_near(tmp_path / "map.png", basemap.BORDER) > 500  # the borders show on the screenshot


def _pixels_near(png, colour: str, tolerance: int = 40) -> int:
    """How many pixels of a PNG are within `tolerance` of `colour` on each channel."""
    import numpy
    from PIL import Image
    target = numpy.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = numpy.asarray(Image.open(png).convert("RGB"), dtype=int)
    return int((numpy.abs(pixels - target) <= tolerance).all(axis=-1).sum())


def test_png_is_a_png_with_borders_and_the_niger(june):
    data = (june / "map.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 1000 and height > 600
    assert _pixels_near(june / "map.png", basemap.BORDER, 25) > 1000
    assert _pixels_near(june / "map.png", basemap.RIVER, 25) > 300


AREA = """
@prefix mk: <https://w3id.org/menaka-kg/ontology#> .
@prefix mkc: <https://w3id.org/menaka-kg/concept/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/assertion/tillaberi> a mk:ControlAssertion ;
    mk:controlledPlace <https://w3id.org/menaka-kg/place/tillaberi-region> ;
    mk:controller <https://w3id.org/menaka-kg/actor/isgs> ; mk:controlKind mkc:partial-control ;
    mk:assertionMode mkc:reported ;
    sem:hasEarliestBeginTimeStamp "2022-06-01"^^xsd:date ; sem:hasLatestBeginTimeStamp "2022-06-05"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/menaka-kg/source/wp-lead> ;
    prov:wasAttributedTo <https://w3id.org/menaka-kg/actor/wikipedia-contributors> .
"""


def test_a_controlled_region_with_a_boundary_is_drawn_as_an_area(tmp_path):
    data = tmp_path / "area.ttl"
    data.write_text(AREA, encoding="utf-8")
    state = menaka_kg.maps.map_state(menaka_kg.load(data=[data]), "2022-06")
    assert [s.place.name for s, _ in state.areas()] == ["Tillabéri Region"]
    assert run("--date", "2022-06", "--data", data, "-o", tmp_path / "map.html").exit_code == 0
    page = open_page(tmp_path / "map.html", ["path.menaka-area"], click="path.menaka-area")
    assert page.errors == [] and page.counts["path.menaka-area"] == 1
    assert "Tillabéri Region" in page.texts["path.menaka-area popup"][0]


def test_a_region_without_a_boundary_is_never_drawn_as_an_area(kg):
    state = menaka_kg.maps.map_state(kg, "2023-05")  # ISGS holds Ménaka Region: Natural Earth has no outline
    assert any(s.place.name == "Ménaka Region" for s in state.placed) and state.areas() == []


def test_series_writes_one_map_per_month(tmp_path):
    result = run("--every", "month", "--from", "2022-03", "--to", "2022-06", "-o", tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == [
        "map-2022-03.html", "map-2022-04.html", "map-2022-05.html", "map-2022-06.html"]
    result = run("--every", "month", "--from", "2022-11", "--to", "2023-01", "-o", tmp_path / "{date}.geojson")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.geojson")) == ["2022-11.geojson", "2022-12.geojson", "2023-01.geojson"]
    dates = {json.loads(p.read_text())["features"][0]["properties"]["date"] for p in tmp_path.glob("*.geojson")}
    assert dates == {"2022-11", "2022-12", "2023-01"}


@pytest.mark.parametrize("args, message", [
    (["--date", "June 2022", "-o", "{tmp}/m.html"], "'June 2022' is not a date"),
    (["--date", "2022-02-30", "-o", "{tmp}/m.png"], "is not a real date"),
    (["--date", "2022-06", "-o", "{tmp}/m.svg"], "give a file ending in .html, .png, .geojson"),
    (["--date", "2022-06", "-o", "{tmp}/missing/m.html"], "there is no folder"),
    (["--date", "2022-06", "-o", "{tmp}/old.geojson/m.png"], "is not a writable folder"),
    (["--date", "2022-06", "-o", "{tmp}/folder.html"], "it is a folder"),
    (["--every", "month", "--from", "../2022-06", "--to", "2022-08", "-o", "{tmp}/maps"], "not an open end"),
    (["--every", "month", "--from", "2022-06", "--to", "2022-08", "-o", "{tmp}/m.png"], "give a folder or a name with {date}"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    (tmp_path / "old.geojson").write_text("untouched")
    (tmp_path / "folder.html").mkdir()
    result = run(*[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["folder.html", "old.geojson"]
    assert (tmp_path / "old.geojson").read_text() == "untouched"


@pytest.mark.parametrize("args", [
    ["-o", "m.html"],                                                    # no --date, no series
    ["--date", "2022-06", "--every", "month", "-o", "maps"],             # both
    ["--every", "month", "--from", "2022-06", "-o", "maps"],             # no --to
])
def test_misused_options_exit_2(args):
    assert run(*args).exit_code == 2


def test_the_query_path_does_not_import_the_drawing_libraries():
    code = ("import sys, menaka_kg, menaka_kg.cli, menaka_kg.maps as m; "
            "m.to_geojson(m.map_state(menaka_kg.load(), '2022-06')); "
            "print(sorted(n for n in ('folium', 'matplotlib', 'branca') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


HOSTILE_PLACE = """
@prefix mk: <https://w3id.org/menaka-kg/ontology#> .
@prefix mkc: <https://w3id.org/menaka-kg/concept/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/place/x> a mk:Village ; skos:prefLabel "</script><b>X</b> `${alert(1)}` \\"q\\"" ;
    geo:sfWithin <https://w3id.org/menaka-kg/place/menaka-region> ;
    geo:hasGeometry [ geo:asWKT "POINT(2.0 15.0)"^^geo:wktLiteral ] .
<https://example.org/actor/y> a mk:ArmedGroup ; skos:prefLabel "<img src=x onerror=alert(2)>" .
<https://example.org/assertion/z> a mk:ControlAssertion ; mk:controlledPlace <https://example.org/place/x> ;
    mk:controller <https://example.org/actor/y> ; mk:controlKind mkc:full-control ; mk:assertionMode mkc:reported ;
    sem:hasEarliestBeginTimeStamp "2022-06-01"^^xsd:date ; sem:hasLatestBeginTimeStamp "2022-06-05"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/menaka-kg/source/wp-lead> ;
    prov:wasAttributedTo <https://w3id.org/menaka-kg/actor/wikipedia-contributors> .
"""


def test_names_from_added_data_are_text_not_markup(tmp_path, features):
    data = tmp_path / "hostile.ttl"
    data.write_text(HOSTILE_PLACE, encoding="utf-8")
    result = run("--date", "2022-06", "--data", data, "-o", tmp_path / "map.html")
    assert result.exit_code == 0, result.output
    page = open_page(tmp_path / "map.html", [".menaka-place.controlled", ".menaka-label.controlled", "img[src=x]"])
    assert page.errors == [] and page.counts["img[src=x]"] == 0
    assert page.counts[".menaka-place.controlled"] == len({f["properties"]["place"] for f in features if f["geometry"]}) + 1
    assert '</script><b>X</b> `${alert(1)}` "q"' in page.texts[".menaka-label.controlled"]
    result = run("--date", "2022-06", "--data", data, "-o", tmp_path / "map.png")  # a '$' is not TeX
    assert result.exit_code == 0, result.output
