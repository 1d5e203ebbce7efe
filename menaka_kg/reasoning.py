"""The reasoning layer: how each assertion bears on each subject, at any date (docs/time.md).

`derive(store)` reads the assertions of a pyoxigraph store and computes *readings*: an assertion as it
bears on one subject (a place, a pair of actors, a group's head), including control of an area passed
down to every place within it. A reading carries what decides its certainty at any date (when it is
possible, when it certainly held, until when it is presumed and why), its weight (an independent
report, a party's own claim, a disputed claim) and its rivals (readings of the same subject that cannot
hold at the same time). They go into the named graph DERIVED_GRAPH; the stored queries read them and
weigh the readings at the date asked (queries/include/at-date.fragment). The rules live in these two places
only: what a reading is, here; how readings compare at a date, in that query fragment.

`derive` needs only the subjects whose facts changed to be recomputed (`derive(store, subjects)`), so a
persistent store can keep the readings up to date as files are loaded and unloaded.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property

import pyoxigraph as ox

from menaka_kg.periods import OPEN_END, OPEN_START
from menaka_kg.prefixes import BASE, PREFIXES, shorten

DERIVED_GRAPH = ox.NamedNode(BASE + "graph/derived")
READING = BASE + "reading/"

_MK, _MKC, _SEM, _RDF = PREFIXES["mk"], PREFIXES["mkc"], PREFIXES["sem"], PREFIXES["rdf"]
_TYPE = ox.NamedNode(_RDF + "type")
_DATE = ox.NamedNode(PREFIXES["xsd"] + "date")
_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")

# The assertion classes that have readings, and the kind of subject each bears on.
KINDS = {"ControlAssertion": "control", "RelationAssertion": "relation", "MembershipAssertion": "membership",
         "LeadershipAssertion": "leadership", "PresenceAssertion": "presence"}
READING_CLASS = {"control": "ControlReading", "relation": "PairReading", "membership": "PairReading",
                 "leadership": "LeadershipReading", "presence": "PresenceReading"}
_SLOTS = ("controlledPlace", "controller", "controlKind", "exceptPlace", "party", "supportingParty",
          "supportedParty", "relationKind", "member", "memberOf", "leader", "ledGroup", "leadershipRole",
          "presentActor", "presentAt")
_BOUNDS = {"hasEarliestBeginTimeStamp": "eb", "hasLatestBeginTimeStamp": "lb",
           "hasEarliestEndTimeStamp": "ee", "hasLatestEndTimeStamp": "le"}

# Weights: a party's own claim never outranks an independent report; a disputed claim ranks last.
INDEPENDENT, PARTY_CLAIM, DISPUTED = 2, 1, 0

# Relations: the kinds that cannot hold together with hostility between the same parties (each ends
# an older presumption of the other). Cooperation and support can: enemies fight a common enemy side by
# side, or back one another for an operation, without ending their war.
AT_PEACE = {"alliance", "non-aggression-pact", "membership"}
# Control of part of an area says nothing certain of each place within it.
PARTIAL = _MKC + "partial-control"
HEAD = _MKC + "leader"


@dataclass
class Assertion:
    """An assertion's facts: its kind, mode, weight, four bounds and slot values."""

    iri: str
    kind: str
    mode: str = ""
    claimants: list = field(default_factory=list)
    bounds: dict = field(default_factory=dict)
    slots: dict = field(default_factory=dict)
    weight: int = INDEPENDENT

    def values(self, slot: str) -> list[str]:
        return self.slots.get(slot, [])

    def value(self, slot: str) -> str | None:
        values = self.values(slot)
        return values[0] if values else None

    @property
    def denied(self) -> bool:
        return self.mode == _MKC + "denied"


@dataclass
class Reading:
    """An assertion as it bears on one subject, with the dates and notes the stored queries weigh."""

    assertion: Assertion
    subject: tuple
    nature: object
    place: str | None = None
    parties: tuple = ()
    area: str | None = None          # the area whose control this place inherits
    partial: bool = False            # inherited from control of part of the area
    rivals: list = field(default_factory=list)
    presumed_until: date | None = None
    ended_by: Assertion | None = None
    note: str = ""

    @cached_property
    def iri(self) -> str:
        key = "|".join([self.assertion.iri, *map(str, self.subject)])
        return READING + hashlib.blake2b(key.encode(), digest_size=10).hexdigest()

    # --- the dates that decide certainty ---------------------------------------------------------------
    @property
    def eb(self):
        return self.assertion.bounds.get("eb")

    @property
    def lb(self):
        return self.assertion.bounds.get("lb")

    @property
    def ee(self):
        return self.assertion.bounds.get("ee")

    @property
    def le(self):
        return self.assertion.bounds.get("le")

    @property
    def possible_from(self) -> date:
        return self.eb or OPEN_START

    @property
    def possible_until(self) -> date:
        """The latest end; a disputed claim is not presumed past its own bounds, so without a latest end
        it holds at most until its last known bound."""
        if self.le:
            return self.le
        if self.assertion.weight == DISPUTED:
            return self.ee or self.lb or self.eb or OPEN_END
        return OPEN_END

    @property
    def certain_from(self) -> date:
        """The latest begin: from then on it had certainly begun (never, for a partial inheritance)."""
        return OPEN_END if self.partial or not self.lb else self.lb

    @property
    def certain_until(self) -> date:
        """The earliest end; with no end known, it certainly held only at its begin (the earliest one)."""
        return self.ee or self.eb or OPEN_START

    @property
    def presumable(self) -> bool:
        """Whether the sources' silence about its end presumes it to go on."""
        return (not self.ee and not self.le and self.lb is not None and not self.partial
                and self.assertion.weight > DISPUTED)


def _at_war_and_peace(kind: str, other: str) -> bool:
    return {kind, other} & AT_PEACE and "hostility" in (kind, other)


def _defeats(later: Reading, earlier: Reading) -> bool:
    """Whether `later`, once it has certainly begun, ends the presumption of `earlier` (same subject)."""
    kind = earlier.assertion.kind
    if kind == "control":
        return later.nature != earlier.nature
    if kind in ("relation", "membership"):
        (k1, denied1), (k2, denied2) = earlier.nature, later.nature
        if denied1 != denied2:
            return k1 == k2
        return not denied1 and _at_war_and_peace(k1, k2)
    if kind == "leadership":
        return earlier.subject[2] == HEAD and later.nature != earlier.nature
    return later.nature != earlier.nature  # presence: an affirmation and a denial


def _rivals(a: Reading, b: Reading) -> bool:
    """Whether two readings of one subject cannot both hold at the same time."""
    kind = a.assertion.kind
    if kind in ("relation", "membership"):
        (k1, denied1), (k2, denied2) = a.nature, b.nature
        if denied1 != denied2:
            return k1 == k2
        return not denied1 and _at_war_and_peace(k1, k2)
    if kind == "leadership":
        return a.subject[2] == HEAD and a.nature != b.nature
    return a.nature != b.nature


# --- reading the store ---------------------------------------------------------------------------------

def _iri(node) -> str | None:
    return node.value if isinstance(node, ox.NamedNode) else (f"_:{node.value}" if isinstance(node, ox.BlankNode) else None)


def _date(literal) -> date | None:
    if isinstance(literal, ox.Literal) and literal.datatype == _DATE:
        try:
            return date.fromisoformat(literal.value)
        except ValueError:  # an ill-typed date: the validator reports it; the reading ignores it
            return None
    return None


def _term(text: str):
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def _objects(store, predicate: str):
    """(subject, object) for every triple with the predicate, in any graph but the derived one."""
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
        if quad.graph_name != DERIVED_GRAPH:
            yield quad.subject, quad.object


def read_assertions(store, iris=None) -> dict[str, Assertion]:
    """Every assertion of a kind that has readings, with its facts; with `iris` (IRI strings), only the
    assertions among them, each read by its own triples (what an update of a few subjects needs)."""
    if iris is None:
        return _read_all_assertions(store)
    assertions, claimants = {}, set()
    for iri in iris:
        node = _term(iri)
        quads = [quad for quad in store.quads_for_pattern(node, None, None) if quad.graph_name != DERIVED_GRAPH]
        types = {q.object.value for q in quads if q.predicate == _TYPE}
        kind = next((kind for local, kind in reversed(KINDS.items()) if _MK + local in types), None)  # as a full read
        if kind is None:
            continue
        found = assertions[iri] = Assertion(iri, kind)
        for quad in quads:
            _add_fact(found, quad.predicate.value, quad.object)
        claimants.update(found.claimants)
    _weigh_assertions(assertions, {c for c in claimants if c and _is_party(store, c)})
    return assertions


def _read_all_assertions(store) -> dict[str, Assertion]:
    assertions = {}
    for local, kind in KINDS.items():
        for quad in store.quads_for_pattern(None, _TYPE, ox.NamedNode(_MK + local)):
            if quad.graph_name != DERIVED_GRAPH and (iri := _iri(quad.subject)):
                assertions[iri] = Assertion(iri, kind)
    parties = {_iri(s) for s, o in _objects(store, _MK + "isPartyToConflict") if _true(o)}
    parties |= {_iri(s) for s, o in _objects(store, _MK + "speaksFor") if _iri(o) in parties}
    for predicate in _FACTS:
        for subject, value in _objects(store, predicate):
            if (found := assertions.get(_iri(subject))) is not None:
                _add_fact(found, predicate, value)
    _weigh_assertions(assertions, parties)
    return assertions


# The predicates of an assertion's facts that its readings depend on.
_FACTS = [_MK + "assertionMode", PREFIXES["prov"] + "wasAttributedTo", *(_SEM + local for local in _BOUNDS),
          *(_MK + slot for slot in _SLOTS)]


def _add_fact(found: Assertion, predicate: str, value) -> None:
    if predicate == _MK + "assertionMode":
        found.mode = _iri(value) or ""
    elif predicate == PREFIXES["prov"] + "wasAttributedTo":
        found.claimants.append(_iri(value))
    elif predicate.startswith(_SEM) and (key := _BOUNDS.get(predicate[len(_SEM):])):
        if day := _date(value):
            found.bounds[key] = day
    elif predicate.startswith(_MK) and predicate[len(_MK):] in _SLOTS and (iri := _iri(value)):
        found.slots.setdefault(predicate[len(_MK):], []).append(iri)


def _weigh_assertions(assertions: dict[str, Assertion], parties: set) -> None:
    for found in assertions.values():
        for values in found.slots.values():
            values[:] = sorted(set(values))  # a fact stated in two graphs counts once
        if found.mode == _MKC + "disputed":
            found.weight = DISPUTED
        elif found.mode == _MKC + "claimed" or any(c in parties for c in found.claimants):
            found.weight = PARTY_CLAIM


def _true(literal) -> bool:
    return isinstance(literal, ox.Literal) and literal.value in ("true", "1")


def _is_party(store, actor: str) -> bool:
    """Whether an actor is a party to the conflict, or speaks for one."""
    def direct(node):
        return any(_true(q.object) and q.graph_name != DERIVED_GRAPH
                   for q in store.quads_for_pattern(node, ox.NamedNode(_MK + "isPartyToConflict"), None))
    node = _term(actor)
    return direct(node) or any(q.graph_name != DERIVED_GRAPH and isinstance(q.object, (ox.NamedNode, ox.BlankNode))
                               and direct(q.object)
                               for q in store.quads_for_pattern(node, ox.NamedNode(_MK + "speaksFor"), None))


def read_hierarchy(store) -> dict[str, set[str]]:
    """For each place, every place within it (geo:sfWithin+)."""
    parents = {}
    for child, parent in _objects(store, PREFIXES["geo"] + "sfWithin"):
        if _iri(child) and _iri(parent):
            parents.setdefault(_iri(parent), set()).add(_iri(child))
    within = {}

    def collect(place, seen):
        if place in within:
            return within[place]
        found = set()
        for child in parents.get(place, ()):
            if child not in seen:
                found |= {child} | collect(child, seen | {child})
        within[place] = found
        return found

    for place in parents:
        collect(place, {place})
    return within


_DOCUMENT = ox.NamedNode(_MK + "SourceDocument")
_PUBLISHED = [ox.NamedNode(PREFIXES["dct"] + local) for local in ("issued", "date", "created")]  # a document's dates


def horizon(store) -> date | None:
    """The date after which no source speaks: the latest publication date (dct:issued, dct:date or
    dct:created) of a source document; None when no document has one."""
    documents = {quad.subject for quad in store.quads_for_pattern(None, _TYPE, _DOCUMENT)}
    days = [day for predicate in _PUBLISHED for subject, value in _objects(store, predicate.value)
            if subject in documents and (day := _date(value))]
    return max(days) if days else None


def horizon_after_adding(store, old: date | None, triples) -> date | None:
    """`horizon` of a store once `triples` are added to it, `old` its horizon before: only a document
    they type or date can move it, and only later (reading the documents of a big store again costs
    more than the rest of a small addition)."""
    candidates = {t.subject for t in triples if t.predicate in _PUBLISHED or (t.predicate == _TYPE and t.object == _DOCUMENT)}
    days = [day for subject in candidates if any(True for _ in store.quads_for_pattern(subject, _TYPE, _DOCUMENT))
            for predicate in _PUBLISHED for quad in store.quads_for_pattern(subject, predicate, None)
            if quad.graph_name != DERIVED_GRAPH and (day := _date(quad.object))]
    return max((day for day in (old, *days) if day), default=None)


# --- readings ------------------------------------------------------------------------------------------

def readings_of(assertion: Assertion, within: dict[str, set[str]]) -> list[Reading]:
    """The readings of one assertion: one per subject it bears on."""
    kind, a = assertion.kind, assertion
    if kind == "control":
        area = a.value("controlledPlace")
        if area is None:
            return []
        controllers = frozenset(a.values("controller"))
        own = Reading(a, ("place", area), controllers, place=area)
        excepted = set(a.values("exceptPlace"))
        for place in list(excepted):
            excepted |= within.get(place, set())
        partial = a.value("controlKind") == PARTIAL
        return [own] + [Reading(a, ("place", place), controllers, place=place, area=area, partial=partial)
                        for place in sorted(within.get(area, set()) - excepted)]
    if kind == "relation":
        relation = (a.value("relationKind") or "").rsplit("/", 1)[-1]
        if relation == "support" and a.values("supportingParty") and a.values("supportedParty"):
            pairs = {tuple(sorted((s, r))) for s in a.values("supportingParty") for r in a.values("supportedParty") if s != r}
        else:
            parties = a.values("party")
            pairs = {(p, q) for i, p in enumerate(parties) for q in parties[i + 1:] if p != q}
        return [Reading(a, ("pair", *pair), (relation, a.denied), parties=pair) for pair in sorted(pairs)]
    if kind == "membership":
        member, group = a.value("member"), a.value("memberOf")
        if not member or not group or member == group:
            return []
        pair = tuple(sorted((member, group)))
        return [Reading(a, ("pair", *pair), ("membership", a.denied), parties=pair)]
    if kind == "leadership":
        group, role, leader = a.value("ledGroup"), a.value("leadershipRole"), a.value("leader")
        return [Reading(a, ("role", group, role), leader)] if group and role and leader else []
    place = a.value("presentAt")
    return [Reading(a, ("presence", actor, place), a.denied, place=place) for actor in a.values("presentActor")] if place else []


def _weigh(readings: list[Reading], last_day: date | None) -> None:
    """Presumptions and rivals among the readings of one subject."""
    for reading in readings:
        reading.rivals = [other for other in readings if other.assertion is not reading.assertion
                          and _rivals(reading, other)
                          and other.possible_from <= reading.possible_until
                          and reading.possible_from <= other.possible_until]
        if not reading.presumable:
            reading.note = _no_presumption(reading)
            continue
        start = reading.lb
        defeats = sorted((other.lb - timedelta(days=1), other.assertion.iri, other.assertion) for other in readings
                         if other.assertion is not reading.assertion and not other.partial and other.lb and other.eb
                         and other.eb >= start and other.assertion.weight >= reading.assertion.weight
                         and _defeats(other, reading))
        until, ended_by = (defeats[0][0], defeats[0][2]) if defeats else (OPEN_END, None)
        if last_day and start <= last_day < until:  # the sources' silence presumes nothing after they end
            until, ended_by = last_day, None
        if until < start:
            reading.note = (f"not presumed: {shorten(ended_by.iri)} had certainly begun by {ended_by.bounds['lb']}, "
                            "the day this one certainly began")
            continue
        reading.presumed_until, reading.ended_by = until, ended_by
        if ended_by:
            reading.note = f"presumed until {until}: {shorten(ended_by.iri)} had certainly begun by {ended_by.bounds['lb']}"
        elif until == last_day:
            reading.note = f"nothing has certainly replaced it; presumed until {until}, when the latest source was published"
        else:
            reading.note = "nothing has certainly replaced it"


def _no_presumption(reading: Reading) -> str:
    """Why a reading is not presumed to go on."""
    if reading.partial:
        return f"control of part of {shorten(reading.area)} is not presumed of each place in it"
    if reading.ee or reading.le:
        return ""
    if reading.assertion.weight == DISPUTED:
        return "a disputed claim, not presumed past its own bounds"
    return "no latest begin: not presumed"


def compute(assertions: dict[str, Assertion], within: dict[str, set[str]], last_day, subjects=None) -> list[Reading]:
    """The readings of every subject (or only of `subjects`), weighed."""
    by_subject = {}
    for assertion in assertions.values():
        for reading in readings_of(assertion, within):
            if subjects is None or reading.subject in subjects:
                by_subject.setdefault(reading.subject, []).append(reading)
    readings = []
    for subject in sorted(by_subject, key=str):
        group = sorted(by_subject[subject], key=lambda r: r.assertion.iri)
        _weigh(group, last_day)
        readings += group
    return readings


# --- writing -------------------------------------------------------------------------------------------

_PREDICATES = {}


def _mk(local: str) -> ox.NamedNode:
    return _PREDICATES.get(local) or _PREDICATES.setdefault(local, ox.NamedNode(_MK + local))


@cache
def _day(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_DATE)


def _reading_statements(reading: Reading, labels: dict[str, ox.Literal]) -> list[tuple]:
    """(predicate, object) of each triple of one reading (`labels`: the preferred labels of the areas
    and of their assertions)."""
    statements = [
        (_TYPE, _mk(READING_CLASS[reading.assertion.kind])),
        (_mk("readingOf"), _term(reading.assertion.iri)),
        (_mk("possibleFrom"), _day(reading.possible_from)),
        (_mk("possibleUntil"), _day(reading.possible_until)),
        (_mk("certainFrom"), _day(reading.certain_from)),
        (_mk("certainUntil"), _day(reading.certain_until)),
        (_mk("heldUntil"), _day(reading.presumed_until or reading.certain_until)),
        (_mk("weight"), ox.Literal(str(reading.assertion.weight), datatype=_INTEGER)),
        (_mk("certainNote"), ox.Literal(_certain_note(reading))),
        (_mk("presumptionNote"), ox.Literal(reading.note)),
        (_mk("readingNote"), ox.Literal(_reading_note(reading, labels))),
        # how a rival names it in a `why`: its assertion, the place's own before an area's
        (_mk("readingName"), ox.Literal(f"1 {shorten(reading.assertion.iri)} via {_label(labels, reading.area)}"
                                         if reading.area else f"0 {shorten(reading.assertion.iri)}")),
    ]
    if reading.place:
        statements.append((_mk("readingPlace"), _term(reading.place)))
    statements += [(_mk("readingParty"), _term(party)) for party in reading.parties]
    if reading.area:
        # the area's assertion and its label as the reading's own, so that a query reads each in one
        # lookup from the reading (engines evaluate an OPTIONAL of two patterns over every reading)
        statements += [(_mk("viaArea"), _term(reading.area)), (_mk("viaAssertion"), _term(reading.assertion.iri))]
        if reading.assertion.iri in labels:
            statements.append((_mk("viaLabel"), labels[reading.assertion.iri]))
    if reading.presumed_until and reading.presumed_until != OPEN_END:
        statements.append((_mk("presumedUntil"), _day(reading.presumed_until)))
    if reading.ended_by:
        statements.append((_mk("presumptionEndedBy"), _term(reading.ended_by.iri)))
    statements += [(_mk("rival"), ox.NamedNode(rival.iri)) for rival in reading.rivals]
    return statements


def reading_quads(reading: Reading, labels: dict[str, ox.Literal]) -> list[ox.Quad]:
    """The triples of one reading, in the derived graph (`labels`: the preferred labels of the areas and of their assertions)."""
    node = ox.NamedNode(reading.iri)
    return [ox.Quad(node, predicate, obj, DERIVED_GRAPH) for predicate, obj in _reading_statements(reading, labels)]


@cache
def _ntriples(predicate: ox.NamedNode) -> str:
    return str(predicate)


def reading_nquads(reading: Reading, labels: dict[str, ox.Literal]) -> str:
    """The quads of `reading_quads` as N-Quads lines (what a bulk load reads, without a Python Quad for
    each: building one costs more than writing its line)."""
    node, graph = str(ox.NamedNode(reading.iri)), _ntriples(DERIVED_GRAPH)
    return "".join(f"{node} {_ntriples(predicate)} {obj} {graph} .\n" for predicate, obj in _reading_statements(reading, labels))


def _label(labels: dict[str, ox.Literal], iri: str) -> str:
    return labels[iri].value if iri in labels else shorten(iri)


def _reading_note(reading: Reading, labels: dict[str, ox.Literal]) -> str:
    """What the reading is beside its assertion, for its `why`: a denial, an area's control passed down."""
    notes = ["a denial: it is said not to hold"] if reading.assertion.denied else []
    if reading.area:
        notes.append(f"inherited from control of {_label(labels, reading.area)}")
    return "; ".join(notes)


def _certain_note(reading: Reading) -> str:
    """When the reading certainly held, in words, for its `why` when it is definite."""
    if reading.partial:
        return "never certain of one place"
    if not reading.lb:
        return "no latest begin: never certain"
    if not reading.ee:
        begun = f"on {reading.lb}" if reading.eb == reading.lb else f"between {reading.eb or 'an unknown date'} and {reading.lb}"
        return f"began {begun}, so it held then"
    if reading.lb <= reading.ee:
        return f"certainly held from {reading.lb} to {reading.ee}"
    return (f"certainly held at some time between {reading.ee} and {reading.lb} "
            f"(begun by {reading.lb}, ended no earlier than {reading.ee})")


def derived_quads(store, subjects=None, facts=None):
    """The derived graph's quads for the store's assertions (all subjects, or only `subjects`), one
    reading at a time. `facts` is a store to read the assertions, the hierarchy and the sources' dates
    from instead (one holding at least the triples `is_input` accepts, e.g. an in-memory copy of them);
    the areas' labels are read from `store`."""
    readings = all_readings(store if facts is None else facts, subjects)
    labels = _labels(store, readings)
    for reading in readings:
        yield from reading_quads(reading, labels)


def all_readings(facts, subjects=None) -> list[Reading]:
    """The readings of every subject (or of `subjects`) of a store's assertions, weighed."""
    return compute(read_assertions(facts), read_hierarchy(facts), horizon(facts), subjects)


def derived_nquads(store, readings):
    """The quads of `readings` (all_readings) as N-Quads text, one reading's lines at a time; the
    areas' labels are read from `store`."""
    labels = _labels(store, readings)
    for reading in readings:
        yield reading_nquads(reading, labels)


def derive(store, subjects=None, facts=None) -> list[ox.Quad]:
    """The derived graph's quads for the store's assertions, as a list (see `derived_quads`)."""
    return list(derived_quads(store, subjects, facts))


def _labels(store, readings) -> dict[str, ox.Literal]:
    """The preferred labels of the areas the readings inherit from and of those areas' assertions."""
    labels, label = {}, ox.NamedNode(PREFIXES["skos"] + "prefLabel")
    for iri in {iri for reading in readings if reading.area for iri in (reading.area, reading.assertion.iri)}:
        for quad in store.quads_for_pattern(_term(iri), label, None):
            if quad.graph_name != DERIVED_GRAPH:
                labels[iri] = quad.object
                break
    return labels


def refresh(store) -> int:
    """Replace the store's derived graph with what its assertions give now; the number of quads."""
    quads = derive(store)
    store.remove_graph(DERIVED_GRAPH)
    store.extend(quads)
    return len(quads)


# --- keeping the readings of a store up to date ---------------------------------------------------------

_INPUT_TYPES = {*(ox.NamedNode(_MK + local) for local in KINDS), _DOCUMENT}
# what the readings read of assertions and source documents only: mode, claimants, bounds, publication dates
_OWN = {*(ox.NamedNode(p) for p in [*_FACTS[:2], *(_SEM + local for local in _BOUNDS)]), *_PUBLISHED}
_ANY = {ox.NamedNode(p) for p in [*_FACTS, _MK + "isPartyToConflict", _MK + "speaksFor", PREFIXES["geo"] + "sfWithin"]} - _OWN


def typed_subjects(store) -> set[str]:
    """The IRIs of the store's assertions of a kind that has readings and of its source documents."""
    return {iri for klass in _INPUT_TYPES for q in store.quads_for_pattern(None, _TYPE, klass)
            if q.graph_name != DERIVED_GRAPH and (iri := _iri(q.subject))}


def input_predicates() -> set[ox.NamedNode]:
    """Every predicate of the triples is_input accepts."""
    return {*_ANY, *_OWN, _TYPE}


def is_input(triple, typed=None) -> bool:
    """Whether the readings read a triple (labels aside): what a store of the reasoning's inputs (the
    `facts` of `derived_quads`) must hold. With `typed` (typed_subjects), the facts that count only on
    assertions and source documents (mode, claimants, bounds, dates) are kept for those alone."""
    predicate = triple.predicate
    if predicate in _ANY:
        return True
    if predicate in _OWN:
        return typed is None or _iri(triple.subject) in typed
    return predicate == _TYPE and triple.object in _INPUT_TYPES


def is_input_so_far(triple, typed: set, late: set) -> bool:
    """is_input for the triples of a file read in order, before it is in a store: `typed`
    (typed_subjects of the rest) grows with the file's own types. A fact that counts only on assertions
    and source documents, about an IRI not typed so far, is left out and the IRI put in `late`: those
    typed further on have such facts to read again (from the store, which names blank nodes anew)."""
    if is_input(triple, typed):
        if triple.predicate == _TYPE and (iri := _iri(triple.subject)):
            typed.add(iri)
        return True
    if triple.predicate in _OWN and isinstance(triple.subject, ox.NamedNode):
        late.add(triple.subject.value)
    return False


def _linked(store, node: str, predicate: str, down: bool = True) -> set[str]:
    """The nodes `predicate` links to `node` (subjects of `?x predicate node`), or from it (down=False)."""
    pattern = (None, ox.NamedNode(predicate), _term(node)) if down else (_term(node), ox.NamedNode(predicate), None)
    found = set()
    for quad in store.quads_for_pattern(*pattern):
        if quad.graph_name != DERIVED_GRAPH and (iri := _iri(quad.subject if down else quad.object)):
            found.add(iri)
    return found


def _closure(store, place: str, down: bool) -> set[str]:
    """Every place within `place` (down) or that contains it (up), by geo:sfWithin+."""
    found, todo = set(), [place]
    while todo:
        for other in _linked(store, todo.pop(), PREFIXES["geo"] + "sfWithin", down):
            if other not in found and other != place:
                found.add(other)
                todo.append(other)
    return found


def subjects_of(store, nodes) -> set[tuple]:
    """The subjects whose readings facts about `nodes` (IRI strings) bear on, in the store as it is: the
    subjects of the assertions among them and of the assertions attributed to them or to those who speak
    for them (a party's claim weighs less), and each of them as a place with every place within it (an
    area passes its control down; its label is in their notes). Taken before and after a change of those
    facts, the union is every subject the change may alter."""
    nodes = {node for node in nodes if not node.startswith("_:")}
    claimants = set(nodes)
    for node in nodes:
        claimants |= _linked(store, node, _MK + "speaksFor")
    attributed = {a for c in claimants for a in _linked(store, c, PREFIXES["prov"] + "wasAttributedTo")}
    subjects = set()
    for assertion in read_assertions(store, nodes | attributed).values():
        areas = [assertion.value("controlledPlace"), *assertion.values("exceptPlace")] if assertion.kind == "control" else []
        within = {area: _closure(store, area, down=True) for area in areas if area}
        subjects |= {reading.subject for reading in readings_of(assertion, within)}
    for node in nodes:
        subjects |= {("place", place) for place in {node, *_closure(store, node, down=True)}}
    return subjects


def horizon_subjects(store, old: date | None, new: date | None) -> set[tuple]:
    """The subjects whose readings a move of the sources' horizon from `old` to `new` can change: those
    with a reading presumed until the old horizon, and those with a presumption that began by the new
    one and runs past it (the new horizon cuts it)."""
    if old == new:
        return set()
    assertions = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(_MK + "presumedUntil"), None, DERIVED_GRAPH):
        until = _date(quad.object)
        began = next((_date(q.object) for q in store.quads_for_pattern(quad.subject, ox.NamedNode(_MK + "certainFrom"), None,
                                                                      DERIVED_GRAPH)), None)
        if until == old or (new and began and began <= new < until):
            assertions |= {_iri(q.object) for q in store.quads_for_pattern(quad.subject, ox.NamedNode(_MK + "readingOf"), None,
                                                                          DERIVED_GRAPH)}
    return subjects_of(store, assertions)


def update(store, subjects, touched=(), last_day=None) -> int:
    """Replace the readings of `subjects` in the store's derived graph with those its assertions give
    now, reading only the assertions that bear on them; the readings of the `touched` assertions (IRI
    strings, e.g. those a change removed) go too. `last_day` is the sources' horizon (computed when not
    given). The number of quads written."""
    subjects = set(subjects)
    places = {s[1] for s in subjects if s[0] == "place"}
    presence_places = {s[2] for s in subjects if s[0] == "presence"}
    within, candidates = {}, set()
    for place in places:
        candidates |= _linked(store, place, _MK + "controlledPlace")
        for area in _closure(store, place, down=False):
            within.setdefault(area, set()).add(place)
            candidates |= _linked(store, area, _MK + "controlledPlace")
    for subject in subjects:
        if subject[0] == "pair":
            candidates |= {a for slot in ("party", "supportingParty", "supportedParty", "member", "memberOf")
                           for a in _linked(store, subject[1], _MK + slot)}
        elif subject[0] == "role":
            candidates |= _linked(store, subject[1], _MK + "ledGroup")
    for place in presence_places:
        candidates |= _linked(store, place, _MK + "presentAt")
    assertions = read_assertions(store, candidates)
    for assertion in assertions.values():  # every presence at those places is weighed again
        if assertion.kind == "presence" and assertion.value("presentAt") in presence_places:
            subjects |= {("presence", actor, assertion.value("presentAt")) for actor in assertion.values("presentActor")}
    if last_day is None:
        last_day = horizon(store)
    readings = compute(assertions, within, last_day, subjects)
    old = {q.subject for t in touched for q in store.quads_for_pattern(None, ox.NamedNode(_MK + "readingOf"), _term(t), DERIVED_GRAPH)}
    old |= _readings_where(store, "ControlReading", "readingPlace", places)
    old |= _readings_where(store, "PresenceReading", "readingPlace", presence_places)
    for subject in subjects:
        if subject[0] == "pair":
            old |= _readings_where(store, "PairReading", "readingParty", [subject[1]]) & \
                _readings_where(store, "PairReading", "readingParty", [subject[2]])
    old |= {ox.NamedNode(r.iri) for r in readings}
    old |= {ox.NamedNode(reading.iri) for a in assertions.values() if a.kind == "leadership"
            for reading in readings_of(a, within) if reading.subject in subjects}
    for node in old:
        for quad in list(store.quads_for_pattern(node, None, None, DERIVED_GRAPH)):
            store.remove(quad)
    labels = _labels(store, readings)
    quads = [quad for reading in readings for quad in reading_quads(reading, labels)]
    store.extend(quads)
    return len(quads)


def _readings_where(store, klass: str, predicate: str, values) -> set:
    """The readings of a class whose `predicate` is one of `values`."""
    kind = ox.NamedNode(_MK + klass)
    return {q.subject for value in values
            for q in store.quads_for_pattern(None, ox.NamedNode(_MK + predicate), _term(value), DERIVED_GRAPH)
            if any(True for _ in store.quads_for_pattern(q.subject, _TYPE, kind, DERIVED_GRAPH))}
