"""`menaka-kg site`: a page per node with its Turtle and JSON-LD, pages built from the stored queries, an
output folder written whole and never over an input, and the site in headless Chromium (every page
offline with no error and no broken link, the search, Tamalat in May 2023, a phone-sized window)."""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

import menaka_kg
from menaka_kg import resources, site
from menaka_kg.cli import cli
from menaka_kg.errors import OutputError
from menaka_kg.results import Results
from tests.browser import session

TAMALAT = "https://w3id.org/menaka-kg/place/tamalat"


def build(*args):
    return CliRunner().invoke(cli, ["site", *map(str, args)])


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site") / "site"
    result = build("-o", folder)
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and "index.html" in result.output
    return folder


def holders_in(page_html: str, month: str) -> set[str]:
    """The controllers a place page's month-by-month table gives for `month` (YYYY-MM): the IRIs of the
    rows whose span covers it. Rows come best reading first, so the lead may tighten a test to the first."""
    found = set()
    for first, last, controller in re.findall(r'<tr data-from="([\d-]+)" data-to="([\d-]+)" data-controller="([^"]*)"',
                                              page_html):
        if first <= month <= last and controller:
            found.add(controller)
    return found


def test_every_node_has_a_page_with_its_turtle_and_jsonld(kg, built):
    nodes = {row["node"] for row in kg.sparql(resources.internal_query("site-pages"))}
    assert len(nodes) > 450
    for iri in nodes:
        path = site.page_path(iri)
        for extension in (".html", ".ttl", ".jsonld"):
            assert (built / (path + extension)).is_file(), (iri, extension)
    assert (built / "place" / "tamalat.html").is_file()  # the path mirrors the IRI
    assert {p.name for p in built.iterdir()} >= {"index.html", "places.html", "actors.html", "events.html",
                                                 "sources.html", "about.html", "assets", site.MARKER}


def test_page_paths_mirror_iris_and_stay_inside_the_site():
    assert site.page_path(TAMALAT) == "place/tamalat"
    assert site.page_path("https://w3id.org/menaka-kg/source/wp-lead") == "source/wp-lead"
    assert site.page_path("https://example.org/place/x") == "other/example.org/place/x"
    assert site.page_path("https://example.org/a/../../b c") == "other/example.org/a/_../_../b%20c"


@pytest.mark.parametrize("iri", [TAMALAT, "https://w3id.org/menaka-kg/event/2022-03-08-tamalat-raid",
                                 "https://w3id.org/menaka-kg/place/menaka-region",
                                 "https://w3id.org/menaka-kg/assertion/control-tamalat-isgs-2022-03-08"])
def test_each_page_embeds_its_node_as_jsonld_with_our_context_equal_to_its_turtle(built, iri):
    path = built / site.page_path(iri)
    turtle = rdflib.Graph().parse(path.with_suffix(".ttl"), format="turtle")
    assert (rdflib.URIRef(iri), None, None) in turtle
    page = path.with_suffix(".html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.S).group(1)
    document = json.loads(embedded.replace("<\\/", "</"))
    context = json.loads(resources.jsonld_context().read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == context
    assert document == json.loads(path.with_suffix(".jsonld").read_text(encoding="utf-8"))
    assert isomorphic(rdflib.Graph().parse(data=json.dumps(document), format="json-ld"), turtle)
    assert '<a href="tamalat.ttl">Turtle</a>' in page or f'<a href="{path.name}.ttl">Turtle</a>' in page


def test_the_place_page_of_a_region_carries_its_geometry(built):
    turtle = (built / "place" / "menaka-region.ttl").read_text(encoding="utf-8")
    assert "POINT(2.7 16.7)" in turtle


def test_every_statement_links_to_its_assertion_and_source_section(built):
    page = (built / "place" / "tamalat.html").read_text(encoding="utf-8")
    periods = page[page.index('id="periods"'):page.index('id="history"')]
    rows = re.findall(r"<tr>(.*?)</tr>", periods, re.S)[1:]
    assert len(rows) >= 6
    for row in rows:
        assert 'href="../assertion/' in row and 'href="../source/' in row, row


def best_in(page_html: str, month: str) -> set[str]:
    """The controllers of the first row (the best reading) of the month-by-month table for `month`."""
    return {controller for first, last, controller, lead in re.findall(
        r'<tr data-from="([\d-]+)" data-to="([\d-]+)" data-controller="([^"]*)" data-first="(\w+)"', page_html)
        if first <= month <= last and lead == "yes"}


def test_tamalat_shows_who_held_it_in_may_2023(built):
    page = (built / "place" / "tamalat.html").read_text(encoding="utf-8")
    assert holders_in(page, "2023-05") == {"https://w3id.org/menaka-kg/actor/isgs", "https://w3id.org/menaka-kg/actor/jnim"}
    assert best_in(page, "2023-05") == {"https://w3id.org/menaka-kg/actor/isgs"}  # the region's hold, best reading first
    assert holders_in(page, "2022-03") >= {"https://w3id.org/menaka-kg/actor/isgs", "https://w3id.org/menaka-kg/actor/msa"}


def test_tables_show_the_stored_queries_columns_as_they_come(kg):
    """A column the queries gain (the standing and why of issue 12, a via) is shown without a change."""
    pages = site.Site(kg)
    isgs, assertion = ox.NamedNode("https://w3id.org/menaka-kg/actor/isgs"), ox.NamedNode(
        "https://w3id.org/menaka-kg/assertion/control-tamalat-isgs-2022-03-08")
    answer = Results(["controller", "controllerLabel", "certainty", "standing", "why", "via"],
                     [(isgs, ox.Literal("ISGS"), ox.Literal("presumed"), ox.Literal("best"),
                       ox.Literal("no later control <of> it"), assertion)])
    table = pages.table(site.records(answer), answer.variables, "place/tamalat")
    assert table.headers == ["controller", "certainty", "standing", "why", "via"]
    assert table.rows[0][0] == '<a href="../actor/isgs.html" title="actor:isgs">ISGS</a>'
    assert table.rows[0][3] == "no later control &lt;of&gt; it"
    assert 'href="../assertion/control-tamalat-isgs-2022-03-08.html"' in table.rows[0][4]


def test_the_search_index_has_every_spelling(built):
    text = (built / "assets" / "search-index.js").read_text(encoding="utf-8")
    documents = json.loads(text[text.index("["):text.rindex("]") + 1])
    labbezanga = next(d for d in documents if d["p"] == "place/labbezanga.html")
    assert labbezanga["t"] == "Labbézanga" and "Labbezenga" in labbezanga["n"]
    assert {d["k"] for d in documents} == {"place", "actor", "event"}


def test_a_site_is_replaced_whole_and_a_failed_build_leaves_the_old_one(kg, tmp_path, monkeypatch):
    target = tmp_path / "out"
    site.write_site(kg, target)
    (target / "stale.html").write_text("from an older build")
    with pytest.raises(OutputError, match="use --force"):  # the one rule for existing outputs
        site.write_site(kg, target)
    site.write_site(kg, target, force=True)
    assert not (target / "stale.html").exists() and (target / "index.html").is_file()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    def broken(self):
        (self.folder / "half.html").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site.Writer, "run", broken)
    with pytest.raises(OSError):
        site.write_site(kg, target, force=True)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # no litter, old site whole


def test_the_site_never_writes_into_an_input_or_a_folder_it_did_not_write(tmp_path):
    data = tmp_path / "mine" / "report.ttl"
    data.parent.mkdir()
    data.write_text((Path(__file__).parent / "fixtures" / "minimal.ttl").read_text(encoding="utf-8"))
    for args, message in [(["--data", data, "-o", data.parent], "it holds an input"),
                          (["--data", data, "-o", tmp_path], "it holds an input"),
                          (["-o", data], "it is a file"),
                          (["-o", Path(resources.queries_dir()).parent / "data"], "it holds an input")]:
        result = build(*args)
        assert result.exit_code == 1 and message in result.output, result.output
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep")
    result = build("-o", tmp_path / "notes")
    assert result.exit_code == 1 and "is not a site menaka-kg wrote" in result.output
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "notes"]


HOSTILE = (Path(__file__).parent / "test_map.py").read_text(encoding="utf-8").split('HOSTILE_PLACE = """')[1].split('"""')[0]


def test_names_from_added_data_are_text_not_markup(tmp_path):
    data = tmp_path / "hostile.ttl"
    data.write_text(HOSTILE.replace("\\\\", "\\"), encoding="utf-8")
    result = build("--data", data, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "other" / "example.org" / "place" / "x.html").read_text(encoding="utf-8")
    assert "</script><b>X</b>" not in page and "&lt;/script&gt;&lt;b&gt;X&lt;/b&gt;" in page
    outside_scripts = [re.sub(r"<script.*?</script>", "", p.read_text(encoding="utf-8"), flags=re.S)
                       for p in (tmp_path / "out").rglob("*.html")]
    assert not any("<img src=x" in text for text in outside_scripts)  # in the JSON-LD it is JSON, not markup


# --- in headless Chromium --------------------------------------------------------------------------------

LINKS = """() => Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))
  .map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), document.baseURI).href)
  .filter(u => u.startsWith('file:'))"""


def test_every_page_opens_offline_with_no_error_and_no_broken_link(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 500
    broken, failing = [], {}
    with session() as (page, errors):
        for path in pages:
            errors.clear()
            page.goto(path.as_uri(), wait_until="load")
            for url in page.evaluate(LINKS):
                target = Path(unquote(urlparse(url).path))
                if not target.exists():
                    broken.append((path.relative_to(built), url))
            if errors:
                failing[str(path.relative_to(built))] = list(errors)
    assert failing == {} and broken == []


def test_the_search_finds_labbezanga_without_accents_and_opens_its_page(built):
    with session() as (page, errors):
        page.goto((built / "event" / "2022-03-08-tamalat-raid.html").as_uri())
        page.fill("#search", "labbezenga")
        first = page.locator("#search-results a").first
        first.wait_for()
        assert first.inner_text().startswith("Labbézanga")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/place/labbezanga.html")
        assert page.locator("h1").inner_text() == "Labbézanga"
        page.goto((built / "index.html").as_uri())
        page.fill("#search", "islamic state sahel province")
        page.locator("#search-results a").first.wait_for()
        assert "Islamic State in the Greater Sahara" in page.locator("#search-results a").all_inner_texts()[0]
        assert errors == []


def test_the_tamalat_page_shows_who_held_it_in_may_2023_in_a_phone_sized_window(built):
    with session(size=(390, 844)) as (page, errors):
        page.goto((built / "place" / "tamalat.html").as_uri())
        shown = page.evaluate("""() => Array.from(document.querySelectorAll('#held tr[data-from]'))
            .filter(r => r.dataset.from <= '2023-05' && '2023-05' <= r.dataset.to)
            .map(r => r.cells[1].innerText.trim()).filter(t => t)""")
        assert shown and shown[0] == "Islamic State in the Greater Sahara", shown
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390  # the page does not scroll sideways; wide tables scroll inside their frame
        search = page.locator("#search").bounding_box()
        assert search["x"] >= 0 and search["x"] + search["width"] <= 390
        assert page.locator("h1").bounding_box()["width"] <= 390
        assert errors == []
