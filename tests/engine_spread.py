"""The questions every engine is asked (tests/test_virtuoso.py, tests/test_jena.py, tests/test_inference.py):
each stored query with its header's example, and a spread of parameters over the places, actors, events
and dates where the rules differ (areas and their exceptions, claims against reports, facts that end,
relations, leadership). Rows are compared in order, as text: the engines must give the embedded rows."""

from menaka_kg import resources
from menaka_kg.stored_queries import load_stored_queries

STORED = load_stored_queries(resources.queries_dir())

SPREAD = [
    ("controller-at", {"place": "Tamalat", "date": "2022-03"}),
    ("controller-at", {"place": "Tamalat", "date": "2023-05"}),
    ("controller-at", {"place": "Talataye", "date": "2022-09-06"}),
    ("controller-at", {"place": "Tifolat", "date": "2023-05-15"}),
    ("controller-at", {"place": "Ménaka", "date": "2023-05"}),
    ("controller-at", {"place": "Andéramboukane", "date": "2022-06-15"}),
    ("controller-at", {"place": "Labbezenga", "date": "2023/.."}),
    ("territory-at", {"actor": "JNIM", "date": "2023-04"}),
    ("territory-at", {"actor": "ISGS", "date": "2023-05"}),
    ("territory-at", {"actor": "MSA", "date": "2022-03-01/2022-12-31"}),
    ("state-at", {"date": "2022-06-15"}),
    ("state-at", {"date": "2023-05"}),
    ("alliances-at", {"date": "2017"}),
    ("alliances-at", {"date": "2022-06"}),
    ("alliances-at", {"date": "2022-12", "actor": "GATIA"}),
    ("alliances-at", {"date": "2023", "actor": "ISGS"}),
    ("leaders-of", {"actor": "ISGS", "date": "2022-06"}),
    ("leaders-of", {"actor": "MSA"}),
    ("control-periods", {}),
    ("control-periods", {"actor": "ISGS", "from": "2022-03", "to": "2022-12"}),
    ("control-history", {"place": "Andéramboukane"}),
    ("casualties", {"place": "Ménaka Region", "date": "2022-08"}),
    ("casualties", {"event": "event:2022-03-08-tamalat-raid"}),
    ("claims-about", {"event": "event:2022-03-09-insinane-attack"}),
    ("events-at", {"place": "Ménaka Region", "from": "2022-06", "to": "2022-09"}),
    ("events-of", {"actor": "ISGS", "role": "attacker", "from": "2023", "to": "2023"}),
    ("actor-timeline", {"actor": "ISGS"}),
    ("place-timeline", {"place": "Ménaka"}),
]


def example_params(query):
    """The header's examples: required parameters and the first alternative of `requires`."""
    wanted = {p.name for p in query.parameters if p.required}
    if query.requires:
        wanted |= set(query.requires[0])
    return {p.name: p.example for p in query.parameters if p.name in wanted}


def question_id(question) -> str:
    name, params = question
    return " ".join([name, *(f"{key}={value}" for key, value in params.items())])


QUESTIONS = list({question_id(q): q for q in [(name, example_params(query)) for name, query in sorted(STORED.items())]
                  + SPREAD}.values())


def as_text(results, variables=None) -> list[tuple]:
    """The rows as N-Triples text, columns in the order of `variables` (default: the results' own)."""
    order = [results.variables.index(v) for v in (variables or results.variables)]
    return [tuple(None if row[i] is None else str(row[i]) for i in order) for row in results.rows]
