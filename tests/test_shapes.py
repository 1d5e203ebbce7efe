"""The shapes accept the bundled graph and the minimal world, and reject each invalid fixture for its
own reason only (the `# expect:` lines of the fixture: focus node, path, constraint, severity)."""

from pathlib import Path

import pytest

from menaka_kg.prefixes import PREFIXES
from menaka_kg.validation import validate
from tests.conftest import FIXTURES, fixture_world

INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))


def expand(curie: str) -> str | None:
    if curie == "-":
        return None
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def expected_results(path: Path) -> set:
    expected = set()
    for line in path.read_text().splitlines():
        if line.startswith("# expect:"):
            focus, result_path, component, *severity = line.split(":", 1)[1].split()
            expected.add((expand(focus), expand(result_path), component + "ConstraintComponent"
                          if component != "SPARQL" else "SPARQLConstraintComponent",
                          severity[0] if severity else "Violation"))
    return expected


def test_bundled_graph_conforms(bundled_graph):
    report = validate(bundled_graph)
    assert report.results == [], "\n".join(f"{r.focus} {r.path} {r.message}" for r in report.results)
    assert report.conforms


def test_minimal_world_conforms():
    report = validate(fixture_world())
    assert report.results == []


def test_every_kind_of_node_has_an_invalid_fixture():
    fixture_text = " ".join(p.read_text() for p in INVALID)
    assert len(INVALID) >= 15
    for kind in ("mk:Event", "mk:ControlAssertion", "mk:RelationAssertion", "mk:LeadershipAssertion",
                 "mk:MembershipAssertion", "mk:PresenceAssertion", "mk:NameAssertion", "mk:CasualtyClaim",
                 "mk:Statement", "mk:Village", "mk:ArmedGroup", "mk:SourceSection", "mk:SourceDocument"):
        assert f"a {kind}" in fixture_text, kind


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_is_rejected_for_its_own_reason(fixture):
    expected = expected_results(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    report = validate(fixture_world(fixture))
    got = {(r.focus, r.path, r.component, r.severity) for r in report.results}
    assert got == expected
    assert all(r.message for r in report.results)
    report.fail_on = "Violation" if any(severity == "Violation" for *_, severity in expected) else "Warning"
    assert report.conforms is False


def test_an_open_ended_control_that_says_why_is_not_warned_once_per_later_control():
    """A 100k-row ACLED import gave 416,819 such warnings (every open-ended control against every later
    control of its place) and took 185 s to validate; a control whose mk:openEndNote says why it has no
    end is ended by the reasoning where the later control begins."""
    superseded = FIXTURES / "invalid" / "control-superseded-open-end.ttl"
    with_note = superseded.read_text(encoding="utf-8").replace(
        "mk:assertionMode mkc:reported .\n", "mk:assertionMode mkc:reported ; mk:openEndNote \"The test source gives no end.\" .\n")
    graph = fixture_world()
    graph.parse(data=with_note, format="turtle")
    assert validate(graph).results == []
    assert {r.focus for r in validate(fixture_world(superseded)).results} == {PREFIXES["assertion"] + "control-test-camp-a"}
