"""The cache of the bundled graph: used when present, keyed by the files' contents, never stale."""

import os
import shutil

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg import cache, resources
from menaka_kg.cli import cli


def test_second_load_comes_from_the_cache_and_holds_the_same_graph(tmp_path, monkeypatch):
    monkeypatch.setenv("MENAKA_KG_CACHE", str(tmp_path))
    first = menaka_kg.load()
    entry = cache.BundledCache(resources.cache_inputs())
    assert entry.graph_path() is not None
    second = menaka_kg.load()
    assert len(second.endpoint) == len(first.endpoint)
    assert second.resolve("Labbezenga").iri == first.resolve("Labbezenga").iri
    assert entry.names() is not None  # the name index was cached by the first resolve


def test_the_key_changes_when_a_file_changes(tmp_path):
    copies = []
    for path in resources.data_files()[:2]:
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        copies.append(copy)
    before = cache.bundled_key(copies)
    copies[0].write_text(copies[0].read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert cache.bundled_key(copies) != before


def test_cache_off_and_an_unwritable_cache_are_not_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("MENAKA_KG_CACHE", "off")
    assert cache.BundledCache(resources.cache_inputs()).entry is None
    assert len(menaka_kg.load().endpoint) > 7000
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("MENAKA_KG_CACHE", str(blocked))
    assert len(menaka_kg.load().endpoint) > 7000


def test_user_data_is_never_cached(tmp_path, monkeypatch):
    from tests.conftest import FIXTURES
    monkeypatch.setenv("MENAKA_KG_CACHE", str(tmp_path))
    kg = menaka_kg.load(data=[FIXTURES / "time-world.ttl"])
    assert kg.resolve("Ridge").label == "Ridge"
    entry = cache.BundledCache(resources.cache_inputs())
    assert entry.names() is None or all(row[2] != "Ridge" for row in entry.names())


def test_a_damaged_name_index_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MENAKA_KG_CACHE", str(tmp_path))
    menaka_kg.load().resolve("Tamalat")
    entry = cache.BundledCache(resources.cache_inputs())
    with open(os.path.join(entry.entry, "names.marshal"), "wb") as damaged:
        damaged.write(b"\x00garbage")
    assert menaka_kg.load().resolve("Labbezenga").iri.endswith("/place/labbezanga")


@pytest.mark.parametrize("damage", ["garbage", "cut at a line", "names of another shape"])
def test_a_damaged_cache_is_built_again_instead_of_failing(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("MENAKA_KG_CACHE", str(tmp_path))
    expected = len(menaka_kg.load().endpoint)
    menaka_kg.load().resolve("Tamalat")
    entry = cache.BundledCache(resources.cache_inputs())
    graph = os.path.join(entry.entry, "graph.nt")
    if damage == "garbage":
        with open(graph, "wb") as damaged:
            damaged.write(b"\x00\xff<not n-triples")
    elif damage == "cut at a line":
        with open(graph, "rb") as whole:
            lines = whole.read().splitlines(keepends=True)
        with open(graph, "wb") as damaged:
            damaged.writelines(lines[: len(lines) // 2])
    else:
        with open(os.path.join(entry.entry, "names.marshal"), "wb") as damaged:
            damaged.write(__import__("marshal").dumps(12))
    kg = menaka_kg.load()
    assert len(kg.endpoint) == expected and kg.resolve("Labbezenga").iri.endswith("/place/labbezanga")
    assert len(menaka_kg.load().endpoint) == expected  # and the rebuilt cache serves the next command
    result = CliRunner().invoke(cli, ["info"])
    assert result.exit_code == 0 and f"{expected} triples" in result.output
