"""Synthetic graphs in the menaka-kg model, for measuring speed and memory at scale.

    python -m benchmarks.generate --triples 100000 [--seed 1] [--defects 0] -o graph.ttl

The graph has the bundled graph's shape and proportions: places in a country > region > cercle >
locality hierarchy (with some bases), actors of every class, source documents (published over the
period and up to half a year after it) and sections, events with two or three participants, a sequence
of control assertions per place (uncertain bounds, the last one open-ended with an mk:openEndNote, some
joint), control of about a third of the cercles and regions, some with a place of theirs excepted
(mk:exceptPlace), which the places within them inherit, relations, leadership, membership, presence and
name assertions, casualty and displacement figures (about one per event) and statements. Everything
conforms to the shapes, except
`--defects` (a fraction of the control assertions) that get a certain overlap with the next control of
their place, a violation the cross-node rule must find. Same seed, same graph, byte for byte.
"""

import argparse
import random
from datetime import date, timedelta

PREFIXES = """@prefix mk: <https://w3id.org/menaka-kg/ontology#> .
@prefix mkc: <https://w3id.org/menaka-kg/concept/> .
@prefix evtype: <https://w3id.org/menaka-kg/event-type/> .
@prefix place: <https://w3id.org/menaka-kg/place/> .
@prefix actor: <https://w3id.org/menaka-kg/actor/> .
@prefix event: <https://w3id.org/menaka-kg/event/> .
@prefix assertion: <https://w3id.org/menaka-kg/assertion/> .
@prefix claim: <https://w3id.org/menaka-kg/claim/> .
@prefix source: <https://w3id.org/menaka-kg/source/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

EVENT_TYPES = ["armed-clash", "attack", "non-state-actor-overtakes-territory", "air-drone-strike",
               "looting-property-destruction", "abduction-forced-disappearance", "agreement", "arrests",
               "remote-explosive-landmine-ied", "change-to-group-activity"]
ACTOR_CLASSES = ["ArmedGroup"] * 6 + ["StateForce", "ForeignForce", "Coalition", "Person", "Person",
                                      "MediaOutlet", "Organisation", "CommunityGroup", "UnnamedSource"]
MODES = ["reported"] * 6 + ["claimed"] * 3 + ["disputed"]
UNITS = [(0, "unitDay"), (6, "unitWeek"), (30, "unitMonth"), (364, "unitYear")]
START, DAYS = date(2012, 1, 1), 12 * 365


class Writer:
    """Collects Turtle statements and counts their triples."""

    def __init__(self):
        self.lines = [PREFIXES]
        self.triples = 0

    def node(self, subject: str, *pairs):
        """One subject with (predicate, object) pairs; objects already in Turtle syntax."""
        pairs = [(p, o) for p, o in pairs if o is not None]
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.lines.append(f"{subject} {body} .\n")
        self.triples += len(pairs)

    def text(self) -> str:
        return "\n".join(self.lines)


def d(day: date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unit(first: date, last: date) -> str:
    span = (last - first).days
    return "time:" + next((u for most, u in UNITS if span <= most), "unitYear") if span <= 364 else "mk:unitDecade"


def bounds(rng, day: date):
    """Earliest and latest bound around a day, with a realistic spread of precision."""
    width = rng.choice([0, 0, 0, 0, 6, 9, 30, 364])
    return day, day + timedelta(days=width)


def generate(triples: int, seed: int = 1, defects: float = 0.0) -> str:
    rng = random.Random(seed)
    w = Writer()
    n = max(10, triples // 62)  # about 62 triples per event in the bundled graph's proportions
    # sources
    documents = max(1, n // 150)
    sections = []
    for k in range(documents):
        issued = START + timedelta(days=(k + 1) * (DAYS + 180) // documents)
        w.node(f"source:doc-{k}", ("a", "mk:SourceDocument"), ("skos:prefLabel", text(f"Report {k}")),
               ("dct:title", text(f"Report {k}")), ("dct:issued", d(issued)))
        for j in range(8):
            sections.append(f"source:doc-{k}-s{j}")
            w.node(sections[-1], ("a", "mk:SourceSection"), ("skos:prefLabel", text(f"Report {k} § {j}")),
                   ("dct:isPartOf", f"source:doc-{k}"), ("mk:sectionPath", text(f"Section {j}")))
    # actors
    actors = []
    for k in range(max(12, n // 2)):
        actors.append(f"actor:a{k}")
        klass = ACTOR_CLASSES[k % len(ACTOR_CLASSES)]
        w.node(actors[-1], ("a", f"mk:{klass}"), ("skos:prefLabel", text(f"Actor {k}")),
               ("skos:altLabel", text(f"A-{k}")), ("dct:description", text(f"Synthetic actor {k}.")),
               ("mk:isPartyToConflict", "true" if klass in ("ArmedGroup", "StateForce", "ForeignForce", "Coalition") else "false"))
    groups = [a for k, a in enumerate(actors) if ACTOR_CLASSES[k % len(ACTOR_CLASSES)] == "ArmedGroup"]
    persons = [a for k, a in enumerate(actors) if ACTOR_CLASSES[k % len(ACTOR_CLASSES)] == "Person"]
    # places: countries > regions > cercles > localities (+ bases)
    w.node("place:c0", ("a", "mk:Country"), ("skos:prefLabel", text("Country 0")))
    regions = [f"place:r{k}" for k in range(max(2, n // 100))]
    for k, region in enumerate(regions):
        w.node(region, ("a", "mk:Region"), ("skos:prefLabel", text(f"Region {k}")), ("geo:sfWithin", "place:c0"))
    cercles = [f"place:ce{k}" for k in range(max(3, n // 30))]
    in_area, region_of = {}, {}  # the localities within each cercle and region; the region of each cercle
    for k, cercle in enumerate(cercles):
        region_of[cercle] = rng.choice(regions)
        w.node(cercle, ("a", "mk:Cercle"), ("skos:prefLabel", text(f"Cercle {k}")), ("geo:sfWithin", region_of[cercle]))
    localities = [f"place:l{k}" for k in range(max(5, int(n * 0.6)))]
    for k, locality in enumerate(localities):
        geometry = f"<https://w3id.org/menaka-kg/geometry/l{k}>" if k % 5 == 0 else None
        cercle = rng.choice(cercles)
        in_area.setdefault(cercle, []).append(locality)
        w.node(locality, ("a", rng.choice(["mk:Village", "mk:Town", "mk:Locality"])), ("skos:prefLabel", text(f"Locality {k}")),
               ("skos:altLabel", text(f"Loc-{k}")), ("geo:sfWithin", cercle), ("geo:hasGeometry", geometry))
        if geometry:
            w.node(geometry, ("a", "geo:Geometry"),
                   ("geo:asWKT", f'"POINT({rng.uniform(-5, 5):.4f} {rng.uniform(12, 20):.4f})"^^geo:wktLiteral'),
                   ("dct:source", "<https://example.org/gazetteer>"))

    def provenance(claimant=None):
        return [("prov:wasDerivedFrom", rng.choice(sections)), ("prov:wasAttributedTo", claimant or rng.choice(actors)),
                ("mk:assertionMode", "mkc:" + rng.choice(MODES))]

    def dated(begin: date, end: date | None, open_end=False):
        eb, lb = bounds(rng, begin)
        pairs = [("sem:hasEarliestBeginTimeStamp", d(eb)), ("sem:hasLatestBeginTimeStamp", d(lb)),
                 ("mk:beginPrecision", unit(eb, lb)), ("mk:dateExpression", text("on a day"))]
        if open_end:
            pairs.append(("mk:openEndNote", text("The source says when it began, not when it ended.")))
        else:
            ee, le = bounds(rng, max(end or lb, lb))
            pairs += [("sem:hasEarliestEndTimeStamp", d(ee)), ("sem:hasLatestEndTimeStamp", d(le)),
                      ("mk:endPrecision", unit(ee, le))]
        return pairs

    # events, figures and statements
    events = []
    for k in range(n):
        day = START + timedelta(days=rng.randrange(DAYS))
        attacker, other = rng.sample(groups, 2)
        events.append(f"event:e{k}")
        w.node(events[-1], ("a", "mk:Event"), ("skos:prefLabel", text(f"Event {k}")),
               ("dct:description", text(f"Synthetic event {k}.")), ("sem:eventType", "evtype:" + rng.choice(EVENT_TYPES)),
               ("sem:hasPlace", rng.choice(localities)), ("mk:attacker", attacker),
               ("mk:defender" if rng.random() < 0.6 else "mk:target", other),
               ("mk:commander", rng.choice(persons) if rng.random() < 0.2 else None),
               *dated(day, day), *provenance())
        for j in range(rng.choice([0, 1, 1, 1, 2])):
            low = rng.randrange(0, 50)
            w.node(f"claim:e{k}-f{j}", ("a", rng.choice(["mk:CasualtyClaim"] * 8 + ["mk:DisplacementClaim"])),
                   ("skos:prefLabel", text(f"Figure {j} on event {k}")), ("dct:description", text("A synthetic figure.")),
                   ("mk:aboutEvent", events[-1]), ("mk:category", "mkc:" + rng.choice(["killed", "wounded", "displaced"])),
                   ("mk:victimStatus", "mkc:" + rng.choice(["civilians", "combatants", "unspecified"])),
                   ("mk:affectedGroup", other), ("mk:low", str(low)), ("mk:best", str(low + 5)), ("mk:high", str(low + 10)),
                   ("mk:figureText", text(f"{low} to {low + 10}")),
                   ("mk:asOfEarliest", d(day)), ("mk:asOfLatest", d(day + timedelta(days=2))), *provenance())
        if rng.random() < 0.15:
            w.node(f"claim:e{k}-st", ("a", "mk:Statement"), ("skos:prefLabel", text(f"Statement on event {k}")),
                   ("dct:description", text("A synthetic statement.")), ("mk:aboutEvent", events[-1]),
                   ("mk:stance", "mkc:" + rng.choice(["affirms", "disputes", "denies"])), *provenance())
    # control: a sequence per place, non-overlapping; a defect overlaps the next one
    controls = 0
    for k, locality in enumerate(localities):
        if controls >= n * 0.35:
            break
        day = START + timedelta(days=rng.randrange(DAYS // 2))
        for j in range(rng.choice([1, 2, 3])):
            controls += 1
            last = j == 2 or rng.random() < 0.3
            joint = rng.random() < 0.1
            holders = rng.sample(groups, 2) if joint else [rng.choice(groups)]
            end = day + timedelta(days=rng.randrange(30, 600))
            pairs = [("a", "mk:ControlAssertion"), ("skos:prefLabel", text(f"Control {j} of locality {k}")),
                     ("dct:description", text("A synthetic control.")), ("mk:controlledPlace", locality),
                     ("mk:controller", ", ".join(holders)), ("mk:controlKind", "mkc:joint-control" if joint else "mkc:full-control"),
                     *dated(day, end, open_end=last)]
            pairs += [("prov:wasDerivedFrom", rng.choice(sections)), ("prov:wasAttributedTo", rng.choice(actors)),
                      ("mk:assertionMode", "mkc:reported")]
            w.node(f"assertion:control-l{k}-{j}", *pairs)
            if last:
                break
            day = end + timedelta(days=400 if rng.random() >= defects else -200)
    # control of areas, as in the bundled graph (about a third of its cercles and regions are held at some
    # time): a sequence per area, some with one or two places of theirs excepted
    for cercle in cercles:
        for locality in in_area.get(cercle, []):
            in_area.setdefault(region_of[cercle], []).append(locality)
    for k, area in enumerate(cercles + regions):
        if rng.random() >= 0.3:
            continue
        day = START + timedelta(days=rng.randrange(DAYS // 2))
        for j in range(rng.choice([1, 2])):
            last = j == 1 or rng.random() < 0.4
            end = day + timedelta(days=rng.randrange(60, 700))
            within = in_area.get(area, [])
            excepted = rng.sample(within, min(len(within), rng.choice([1, 2]))) if within and rng.random() < 0.25 else []
            w.node(f"assertion:control-{area.split(':')[1]}-{j}", ("a", "mk:ControlAssertion"),
                   ("skos:prefLabel", text(f"Control {j} of area {k}")), ("dct:description", text("A synthetic control of an area.")),
                   ("mk:controlledPlace", area), ("mk:controller", rng.choice(groups)), ("mk:controlKind", "mkc:full-control"),
                   ("mk:exceptPlace", ", ".join(excepted) or None), *dated(day, end, open_end=last),
                   ("prov:wasDerivedFrom", rng.choice(sections)), ("prov:wasAttributedTo", rng.choice(actors)),
                   ("mk:assertionMode", "mkc:reported"))
            if last:
                break
            day = end + timedelta(days=200)
    # relations, leadership, membership, presence, names
    for k in range(int(n * 0.25)):
        day = START + timedelta(days=rng.randrange(DAYS))
        w.node(f"assertion:rel-{k}", ("a", "mk:RelationAssertion"), ("skos:prefLabel", text(f"Relation {k}")),
               ("dct:description", text("A synthetic relation.")), ("mk:party", ", ".join(rng.sample(groups, 2))),
               ("mk:relationKind", "mkc:" + rng.choice(["alliance", "cooperation", "hostility", "non-aggression-pact"])),
               *dated(day, day + timedelta(days=300), open_end=rng.random() < 0.5), *provenance())
    for k in range(int(n * 0.1)):
        day = START + timedelta(days=rng.randrange(DAYS))
        w.node(f"assertion:lead-{k}", ("a", "mk:LeadershipAssertion"), ("skos:prefLabel", text(f"Leadership {k}")),
               ("dct:description", text("A synthetic leadership.")), ("mk:leader", rng.choice(persons)),
               ("mk:ledGroup", rng.choice(groups)), ("mk:leadershipRole", "mkc:" + rng.choice(["leader", "commander"])),
               *dated(day, day + timedelta(days=700), open_end=rng.random() < 0.5), *provenance())
    for kind, count in (("Membership", 0.03), ("Presence", 0.2), ("Name", 0.02)):
        for k in range(int(n * count)):
            day = START + timedelta(days=rng.randrange(DAYS))
            slots = {"Membership": [("mk:member", rng.choice(groups)), ("mk:memberOf", rng.choice(groups))],
                     "Presence": [("mk:presentActor", rng.choice(groups)), ("mk:presentAt", rng.choice(localities))],
                     "Name": [("mk:namedActor", rng.choice(groups)), ("mk:name", text(f"Name {k}"))]}[kind]
            w.node(f"assertion:{kind.lower()}-{k}", ("a", f"mk:{kind}Assertion"), ("skos:prefLabel", text(f"{kind} {k}")),
                   ("dct:description", text(f"A synthetic {kind.lower()}.")), *slots,
                   *dated(day, day + timedelta(days=500), open_end=rng.random() < 0.5), *provenance())
    return w.text()


def main():
    parser = argparse.ArgumentParser(description="Write a synthetic menaka-kg graph.")
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.0, help="fraction of controls that overlap the next one")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(generate(args.triples, args.seed, args.defects))


if __name__ == "__main__":
    main()
