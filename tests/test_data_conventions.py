"""The curation conventions the shapes cannot express: precision matches the span of the bounds
(docs/dating.md), dated nodes keep the source's words for the date, and nothing copies the sources."""

import re
from datetime import date
from pathlib import Path

import pytest

import menaka_kg

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
UNITS = {"unitDay": 1, "unitWeek": 7, "unitMonth": 31, "unitYear": 366}


@pytest.fixture(scope="module")
def kg():
    return menaka_kg.load()


def expected_unit(first: date, last: date) -> str:
    days = (last - first).days + 1
    for unit, most in UNITS.items():
        if days <= most:
            return unit
    return "unitDecade"


@pytest.mark.parametrize("side", ["Begin", "End"])
def test_precision_matches_the_span_of_the_bounds(kg, side):
    rows = kg.sparql(f"""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        SELECT ?node ?early ?late ?unit WHERE {{
          ?node sem:hasEarliest{side}TimeStamp ?early ; sem:hasLatest{side}TimeStamp ?late .
          OPTIONAL {{ ?node mk:{side.lower()}Precision ?unit }}
        }}""")
    wrong = [(row["node"], row.get("unit"), expected_unit(row["early"], row["late"])) for row in rows
             if (row.get("unit") or "").rsplit("#", 1)[-1] != expected_unit(row["early"], row["late"])]
    assert not wrong, "\n".join(f"{n}: {u} should be {e}" for n, u, e in wrong)


def test_events_and_assertions_keep_the_sources_words_for_their_date(kg):
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?node WHERE {
          ?node a/rdfs:subClassOf* ?kind . FILTER (?kind IN (mk:Event, mk:Assertion))
          FILTER NOT EXISTS { ?node mk:dateExpression ?words }
        }""")
    assert not rows.rows, [row["node"] for row in rows]


def test_claims_and_assertions_have_one_claimant_and_one_source_section(kg):
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?node (COUNT(DISTINCT ?who) AS ?claimants) (COUNT(DISTINCT ?where) AS ?sections) WHERE {
          ?node a/rdfs:subClassOf* ?kind . FILTER (?kind IN (mk:Claim, mk:Assertion))
          ?node prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?where .
        } GROUP BY ?node HAVING (COUNT(DISTINCT ?who) > 1 || COUNT(DISTINCT ?where) > 1)""")
    assert not rows.rows, [row["node"] for row in rows]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_no_text_copies_eight_words_of_the_sources(kg):
    """Descriptions, notes and the labels of events, assertions and claims are paraphrases (names and the
    sources' section titles may be quoted; the words of a date or figure live in mk:dateExpression and
    mk:figureText, which are meant to quote)."""
    assert SEEDS.is_dir(), f"the source documents are expected at {SEEDS}"
    source_words = [words(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")]
    runs = {" ".join(ws[i:i + 8]) for ws in source_words for i in range(len(ws) - 7)}
    rows = kg.sparql("""
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?node ?text WHERE {
          { ?node dct:description ?text } UNION { ?node skos:note ?text } UNION { ?node skos:editorialNote ?text }
          UNION { ?node mk:roleTitle ?text }
          UNION { ?node skos:prefLabel ?text ; a/rdfs:subClassOf* ?kind FILTER (?kind IN (mk:Event, mk:Assertion, mk:Claim)) }
          UNION { ?node mk:datingNote ?text } UNION { ?node mk:coverageNote ?text }
        }""")
    copies = []
    for row in rows:
        ws = words(row["text"])
        hits = [" ".join(ws[i:i + 8]) for i in range(len(ws) - 7) if " ".join(ws[i:i + 8]) in runs]
        if hits:
            copies.append(f"{row['node']}: '{hits[0]}'")
    assert not copies, "\n".join(copies)
