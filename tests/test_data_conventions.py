"""The curation conventions the shapes cannot express: precision matches the span of the bounds
(docs/dating.md), dated nodes keep the source's words for the date, quotations stay short and nothing
else copies the sources (checked against a fingerprint of their word runs, tests/source-shingles.txt,
so that no test needs the documents themselves)."""

import re
from datetime import date
from pathlib import Path

import pytest

import menaka_kg
from tests.source_fingerprint import load_fingerprint, shingle_hashes, words

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


def test_no_text_copies_eight_words_of_the_sources(kg):
    """Descriptions, notes and the labels of events, assertions and claims are paraphrases (names and the
    sources' section titles may be quoted; the words of a date or figure live in mk:dateExpression and
    mk:figureText, which are meant to quote)."""
    source_runs = load_fingerprint()
    rows = kg.sparql("""
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?node ?text WHERE {
          { ?node dct:description ?text } UNION { ?node skos:note ?text } UNION { ?node skos:editorialNote ?text }
          UNION { ?node skos:historyNote ?text } UNION { ?node mk:placementNote ?text } UNION { ?node mk:openEndNote ?text }
          UNION { ?node mk:roleTitle ?text }
          UNION { ?node skos:prefLabel ?text ; a/rdfs:subClassOf* ?kind FILTER (?kind IN (mk:Event, mk:Assertion, mk:Claim)) }
          UNION { ?node mk:datingNote ?text } UNION { ?node mk:coverageNote ?text }
        }""")
    copies = [f"{row['node']}: {row['text'][:80]}" for row in rows if shingle_hashes(row["text"]) & source_runs]
    assert not copies, "\n".join(copies)


def test_the_fingerprint_finds_a_copied_run():
    """The check above can fail: eight words in a row of the Wikipedia article are found, seven are not."""
    source_runs = load_fingerprint()
    assert shingle_hashes("ISGS was able to launch its offensive with several hundred fighters") & source_runs
    assert not shingle_hashes("The group was able to launch its offensive with its own men") & source_runs
    assert not shingle_hashes("ISGS opened the offensive with some hundreds of fighters of its own") & source_runs


QUOTED_WORDS = 10


def quoted_words(text: str) -> int:
    """The words of a quotation, leaving out our own insertions in square brackets."""
    return len(words(re.sub(r"\[[^\]]*\]", " ", text)))


def test_quotations_keep_only_the_words_of_the_date_or_figure(kg):
    """mk:dateExpression and mk:figureText quote the sources: the few words that carry the date or the
    figure, at most ten (issue 13, item 14)."""
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        SELECT ?node ?text WHERE { { ?node mk:dateExpression ?text } UNION { ?node mk:figureText ?text } }""")
    long = [f"{row['node']}: {row['text']!r}" for row in rows if quoted_words(row["text"]) > QUOTED_WORDS]
    assert not long, "\n".join(long)


def test_sources_are_cited_by_their_public_identity(kg):
    """Each document is named by its title and its address or date, never by a file beside the project
    (issue 13, item 14): a clone has no ../shared."""
    rows = kg.sparql("""
        PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?doc ?title ?page ?issued ?file WHERE {
          ?doc a mk:SourceDocument .
          OPTIONAL { ?doc dct:title ?title } OPTIONAL { ?doc foaf:page ?page }
          OPTIONAL { ?doc dct:issued ?issued } OPTIONAL { ?doc mk:sourceFile ?file }
        }""")
    documents = {row["doc"]: row for row in rows}
    assert len(documents) >= 3
    for doc, row in documents.items():
        assert row.get("title") and (row.get("page") or row.get("issued")) and not row.get("file"), doc
    memri = documents["https://w3id.org/menaka-kg/source/memri-2023-12-08"]
    assert memri["page"].startswith("https://www.memri.org/jttm/") and str(memri["issued"]) == "2023-12-08"
    data = Path(__file__).resolve().parents[1] / "data" / "ttl"
    outside = [p.name for p in data.glob("*.ttl") if "shared/" in p.read_text(encoding="utf-8")]
    assert not outside, outside


def test_coverage_notes_point_at_nodes_that_exist(kg):
    """A coverage note that says where a fact is kept names a node of the graph (docs/coverage.md quotes
    the notes: a note calling a represented fact 'not represented' misled its readers)."""
    from menaka_kg.prefixes import PREFIXES
    rows = kg.sparql("""PREFIX mk: <https://w3id.org/menaka-kg/ontology#>
        SELECT ?section ?note WHERE { ?section mk:coverageNote ?note }""")
    named = {f"{prefix}:{local}" for row in rows
             for prefix, local in re.findall(r"\b(event|assertion|claim):([\w-]+[\w])", row["note"])}
    assert len(named) >= 10
    for curie in sorted(named):
        prefix, local = curie.split(":")
        assert kg.sparql(f"ASK {{ <{PREFIXES[prefix]}{local}> ?p ?o }}"), curie
