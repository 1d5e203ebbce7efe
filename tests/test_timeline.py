"""`menaka-kg timeline`: the SVG has a row per place and a bar per assertion and controller in the actor's
colour; PNG and HTML are whole files (the HTML offline and opening in Chromium); bad input is one line
and leaves no file."""

import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.cli import cli
from menaka_kg.colours import CERTAINTY_ALPHA, actor_colour
from menaka_kg.prefixes import PREFIXES

FIXTURES = Path(__file__).parent / "fixtures"
THREE = ["Andéramboukane", "Tamalat", "Talataye"]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


def draw(tmp_path, name, *args):
    output = tmp_path / name
    result = CliRunner().invoke(cli, ["timeline", *args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


def svg_parts(path):
    """{id: (fill, fill opacity)} of every drawn bar part, and the ids of the row labels and outlines."""
    root = ET.parse(path).getroot()
    # a hatched part is filled with a pattern whose background is the colour
    patterns = {f"url(#{pattern.get('id')})": pattern.find(f"{SVG}rect").get("fill")
                for pattern in root.iter(f"{SVG}pattern")}
    bars, ids = {}, set()
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        ids.add(gid)
        if gid.startswith("bar:"):
            style = group.find(f"{SVG}path").get("style")  # none for SVG's default, opaque black
            style = dict(item.split(": ") for item in style.split("; ")) if style else {}
            fill = style.get("fill", "#000000")
            bars[gid] = (patterns.get(fill, fill), float(style.get("fill-opacity", 1)))
    return bars, ids


def expected_bars(kg, places, **dates):
    """(assertion local name, controller IRI) of every control assertion the query gives for the places."""
    return {(row["assertion"].rsplit("/", 1)[1], row["controller"])
            for place in places for row in kg.query("control-periods", place=place, **dates)}


@pytest.fixture(scope="module")
def three_svg(tmp_path_factory):
    return draw(tmp_path_factory.mktemp("svg"), "three.svg", *THREE, "--from", "2022-03", "--to", "2022-12")


def test_svg_has_a_row_per_place_and_a_bar_per_assertion_and_controller_in_its_colour(kg, three_svg):
    bars, ids = svg_parts(three_svg)
    assert {"row:anderamboukane", "row:tamalat", "row:talataye"} <= ids
    assert len([gid for gid in ids if gid.startswith("row:")]) == 3
    drawn = {(gid.split(":")[1], gid.split(":")[2]) for gid in bars}
    expected = expected_bars(kg, THREE, **{"from": "2022-03", "to": "2022-12"})
    assert drawn == {(assertion, controller.rsplit("/", 1)[1]) for assertion, controller in expected}
    for gid, (fill, _) in bars.items():
        assert fill == actor_colour(PREFIXES["actor"] + gid.split(":")[2]), gid


def test_joint_control_is_one_bar_split_between_its_controllers(three_svg):
    bars, _ = svg_parts(three_svg)
    joint = {gid.split(":")[2]: fill for gid, (fill, _) in bars.items()
             if gid.startswith("bar:control-talataye-msa-jnim-by-2022-09-06:")}
    assert set(joint) == {"msa", "jnim"} and joint["msa"] != joint["jnim"]


def test_certainty_shows_in_the_parts_of_a_bar(three_svg):
    bars, ids = svg_parts(three_svg)
    by_may = "bar:control-anderamboukane-isgs-by-2022-05:isgs"
    assert bars[f"{by_may}:definite"][1] == CERTAINTY_ALPHA["definite"]
    assert bars[f"{by_may}:uncertain-begin"][1] == CERTAINTY_ALPHA["possible"]
    fading = [bars[gid][1] for gid in sorted(bars, key=lambda g: int(g.rsplit(":", 1)[1]) if g[-1].isdigit() else -1)
              if gid.startswith("bar:control-anderamboukane-isgs-2022-06:isgs:open-end:")]
    assert len(fading) > 5 and fading == sorted(fading, reverse=True) and fading[0] <= CERTAINTY_ALPHA["presumed"]
    # a party's claim, disputed by the article, is outlined; a reported control is not
    assert "outline:control-anderamboukane-isgs-2022-03-al-naba-claim" in ids
    assert "outline:control-anderamboukane-isgs-by-2022-05" not in ids


def test_svg_is_deterministic_and_names_its_sources(tmp_path, three_svg):
    again = draw(tmp_path, "again.svg", *THREE, "--from", "2022-03", "--to", "2022-12")
    assert again.read_bytes() == three_svg.read_bytes()
    text = three_svg.read_text(encoding="utf-8")
    assert "Sources: Wikipedia: Ménaka offensive" in text
    assert "Who held Andéramboukane, Tamalat and Talataye" in text


def test_default_is_every_place_with_control_by_region_then_name(kg, tmp_path):
    bars, ids = svg_parts(draw(tmp_path, "all.svg"))
    rows = list(kg.query("control-periods"))
    own = {row["place"] for row in rows if row["via"] is None}  # places with control of their own
    assert {gid for gid in ids if gid.startswith("row:")} == {"row:" + place.rsplit("/", 1)[1] for place in own}
    assert len({gid.split(":")[1] for gid in bars}) == len({row["assertion"] for row in rows if row["place"] in own})
    root = ET.parse(tmp_path / "all.svg").getroot()
    labels = [" ".join(text.text for text in g.iter(f"{SVG}text"))  # a long name is wrapped on two lines
              for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("row:")]
    regions = {row["placeLabel"]: row["regionLabel"] or "\uffff" for row in rows if row["place"] in own}
    assert len(labels) >= 20
    assert labels == sorted(labels, key=lambda label: (regions[label], label))


def test_actor_keeps_only_its_assertions(tmp_path):
    bars, _ = svg_parts(draw(tmp_path, "jnim.svg", "--actor", "JNIM"))
    assertions = {gid.split(":")[1] for gid in bars}
    assert assertions and all("jnim" in assertion for assertion in assertions)


def test_works_on_the_users_data_alone(tmp_path):
    bars, ids = svg_parts(draw(tmp_path, "mine.svg", "--no-bundled", "--data", str(FIXTURES / "minimal.ttl")))
    assert {"row:testville", "row:test-camp"} <= ids
    assert {gid.split(":")[2] for gid in bars if gid.startswith("bar:control-test-camp-joint:")} == {"group-a", "group-b"}


def test_png_is_a_whole_png_of_a_sensible_size(tmp_path):
    data = draw(tmp_path, "three.png", *THREE).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
    width, height = struct.unpack(">II", data[16:24])
    assert 1200 <= width <= 4000 and 500 <= height <= 4000


@pytest.fixture(scope="module")
def all_html(tmp_path_factory):
    return draw(tmp_path_factory.mktemp("html"), "all.html")


def test_html_is_one_offline_file_with_the_places(all_html):
    text = all_html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", text)
    for place in ["Andéramboukane", "Tamalat", "Talataye", "Ménaka military base"]:
        assert json.dumps(place) in text  # plotly's figure JSON escapes non-ASCII letters
    assert "bar:control-talataye-msa-jnim-by-2022-09-06:jnim:definite" in text


def test_html_opens_in_headless_chromium(all_html):
    from tests.browser import CHROMIUM, open_page
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (installed by .ci/run)")
    page = open_page(all_html, ["#menaka-kg-timeline"])
    assert page.errors == []
    assert page.blocked == []
    shown = page.texts["#menaka-kg-timeline"][0]
    assert "Andéramboukane" in shown and "Islamic State in the Greater Sahara" in shown


@pytest.mark.parametrize("args, message", [
    (["Atlantis"], "no place named 'Atlantis'"),
    (["Tamalat", "--from", "June 2022"], "'June 2022' is not a date"),
    (["Tamalat", "--actor", "Nobody at all"], "no actor named"),
])
def test_bad_input_is_one_line_and_no_file(tmp_path, args, message):
    output = tmp_path / "out.svg"
    result = CliRunner().invoke(cli, ["timeline", *args, "-o", str(output)])
    assert result.exit_code == 1
    assert message in result.output and result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unsupported_extension_and_unwritable_path(tmp_path):
    result = CliRunner().invoke(cli, ["timeline", "Tamalat", "-o", str(tmp_path / "out.jpg")])
    assert result.exit_code == 1 and "must end in .svg, .png, .html" in result.output
    result = CliRunner().invoke(cli, ["timeline", "Tamalat", "-o", str(tmp_path / "missing" / "out.svg")])
    assert result.exit_code == 1 and "cannot write" in result.output and result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_failed_drawing_keeps_the_old_file(tmp_path):
    output = tmp_path / "out.svg"
    output.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(cli, ["timeline", "Atlantis", "-o", str(output)])
    assert result.exit_code == 1
    assert output.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [output]


def test_querying_does_not_import_the_plotting_libraries():
    code = ("import sys, menaka_kg, menaka_kg.cli, menaka_kg.timeline; "
            "menaka_kg.timeline.build_timeline(menaka_kg.load(), ['Tamalat']); "
            "print(sorted(m for m in ('matplotlib', 'plotly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_endpoint_gives_the_same_svg(tmp_path, oxigraph_server, three_svg):
    from menaka_kg.api import graph_ntriples
    from menaka_kg.remote import push
    push(graph_ntriples(), f"{oxigraph_server}/store")
    remote = draw(tmp_path, "remote.svg", *THREE, "--from", "2022-03", "--to", "2022-12",
                  "--endpoint", f"{oxigraph_server}/query")
    assert remote.read_bytes() == three_svg.read_bytes()


def test_names_from_added_data_are_text_not_markup(tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text((FIXTURES / "minimal.ttl").read_text(encoding="utf-8")
                       .replace('skos:prefLabel "Testville"', 'skos:prefLabel "<b>Test</b>ville & co"'), encoding="utf-8")
    text = draw(tmp_path, "hostile.html", "--no-bundled", "--data", str(hostile)).read_text(encoding="utf-8")
    text = re.sub(r"\\u([0-9a-f]{4})", lambda match: chr(int(match.group(1), 16)), text)  # plotly's JSON escapes
    assert "<b>Test</b>ville" not in text
    assert "&lt;b&gt;Test&lt;/b&gt;ville &amp; co" in text
