"""Importing ACLED event exports (CSV) into the graph's model, row by row, as Turtle (docs/acled.md).

    >>> from menaka_kg.acled import import_acled
    >>> summary = import_acled("export.csv", "export.ttl")

Each row becomes an event with its participants, place, dates, a casualty claim by ACLED and, for the
four territory sub-event types, a control assertion. Actors and places are matched onto the graph's
nodes by name; what does not match becomes a node of the import namespace. The Turtle is written as the
rows are read, so memory follows the number of distinct actors and places, not of rows.
"""

import calendar
import csv
import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from menaka_kg import resources
from menaka_kg.errors import AmbiguousName, DataError, RowError, UnknownName, shown
from menaka_kg.files import atomic_output, check_outputs
from menaka_kg.names import NameIndex, normalize
from menaka_kg.prefixes import BASE, PREFIXES

IMPORT_BASE = BASE + "acled/"
IMPORT_PREFIXES = {f"acled-{part}": f"{IMPORT_BASE}{part}/"
                   for part in ("event", "actor", "place", "geometry", "claim", "assertion", "source")}
_OUTPUT_PREFIXES = ("mk", "mkc", "evtype", "place", "actor", "sem", "time", "prov", "geo", "skos", "dct", "xsd")
_PREFIX_OF = {namespace: prefix for prefix, namespace in
              (*((p, PREFIXES[p]) for p in _OUTPUT_PREFIXES), *IMPORT_PREFIXES.items())}

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                    "country", "location", "fatalities")

MK, EVTYPE = PREFIXES["mk"], PREFIXES["evtype"]
ACLED_ACTOR = PREFIXES["actor"] + "acled"

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$")
_EVENT_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_-]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_QUALIFIED = re.compile(r"^(.*\S)\s*\(([^()]*)\)$")
_PERIOD = re.compile(r"^\d{4}\s*-\s*(\d{4})?$")

# time_precision: (days before, days after) the recorded date, or None for its whole month; the unit
PRECISIONS = {1: ((0, 0), "unitDay", "the day is known"),
              2: ((3, 3), "unitWeek", "only the week is known: the seven days centred on the recorded date"),
              3: (None, "unitMonth", "only the month is known: the whole month of the recorded date")}

# ACLED's inter codes (numbers, or their names in newer exports): our class, and whether the actor is a party
INTER_CODES = {1: ("StateForce", True), 2: ("ArmedGroup", True), 3: ("ArmedGroup", True), 4: ("ArmedGroup", True),
               5: ("CommunityGroup", False), 6: ("CommunityGroup", False), 7: ("CommunityGroup", False),
               8: ("ForeignForce", True)}
INTER_NAMES = {"stateforces": 1, "rebelgroup": 2, "rebelgroups": 2, "politicalmilitia": 3, "politicalmilitias": 3,
               "identitymilitia": 4, "identitymilitias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
               "externalotherforces": 8}
CIVILIANS = 7

# roles of actor 1 and actor 2 by our event type (the sub-event type first, then its event type)
ROLES = {"armed-clash": ("participant", "participant"),
         "government-regains-territory": ("attacker", "defender"),
         "non-state-actor-overtakes-territory": ("attacker", "defender"),
         "explosions-remote-violence": ("attacker", "defender"),
         "violence-against-civilians": ("attacker", "target"),
         "arrests": ("attacker", "target"),
         "looting-property-destruction": ("attacker", "target")}
ROLE_ORDER = ("attacker", "defender", "target", "supporter", "participant")
CONTROL_TYPES = {EVTYPE + name for name in ("non-state-actor-overtakes-territory", "government-regains-territory",
                                            "non-violent-transfer-of-territory", "headquarters-or-base-established")}
# ACLED spellings that differ from the skos:notation of ontology/event-types.ttl (normalized)
SPELLINGS = {"excessiveforceagainstprotestors": "excessiveforceagainstprotesters"}

# place levels: column, classes a graph node must have to match, label patterns tried, class of a new node
_ADMIN = {MK + c for c in ("Country", "Region", "Cercle", "Department", "Commune")}
LEVELS = (("country", {MK + "Country"}, ("{}",), "Country", "{}"),
          ("admin1", {MK + "Region"}, ("{} Region", "{}"), "Region", "{} Region"),
          ("admin2", {MK + "Cercle", MK + "Department"}, ("{} Cercle", "{} Department", "{}"), None, None),
          ("admin3", {MK + "Commune"}, ("{} Commune", "{}"), "Commune", "{} Commune"),
          ("location", None, ("{}",), "Locality", "{}"))

@dataclass
class ImportSummary:
    """What an import wrote, and which names matched the graph."""

    rows: int = 0
    control_assertions: int = 0
    actors_matched: set = field(default_factory=set)
    actors_new: int = 0
    places_matched: set = field(default_factory=set)
    places_new: int = 0
    ambiguous: set = field(default_factory=set)

    def __str__(self) -> str:
        text = (f"{self.rows} events with {self.rows} casualty claims and {self.control_assertions} control "
                f"assertions; actors: {len(self.actors_matched)} matched, {self.actors_new} new; "
                f"places: {len(self.places_matched)} matched, {self.places_new} new")
        if self.ambiguous:
            text += f"; names matching several nodes, imported as new nodes: {', '.join(sorted(self.ambiguous))}"
        return text


@dataclass(frozen=True)
class Node:
    """An actor or place a row points at: a node of the graph (curated) or one the import adds."""

    iri: str
    label: str
    curated: bool


class GraphReference:
    """What the import matches rows against: the graph's names, places and ACLED event types."""

    def __init__(self, kg):
        rows = [(r["node"], r["kind"], r["label"], r["labelKind"]) for r in kg.sparql(resources.internal_query("names"))]
        self.names = NameIndex(rows)
        self.labels = {normalize(label) for _, _, label, _ in rows}
        self.place_class, self.place_parent = {}, {}
        for row in kg.sparql(resources.internal_query("place-hierarchy")):
            self.place_class.setdefault(row["place"], set()).add(row["class"])
            if row.get("parent"):
                self.place_parent[row["place"]] = row["parent"]
        self.countries = {normalize(label) for iri, kind, label, _ in rows
                          if kind == "place" and MK + "Country" in self.place_class.get(iri, ())}
        self.event_types, self.sub_event_types, self.broader = {}, {}, {}
        for row in kg.sparql(resources.internal_query("event-type-notations")):
            if row.get("broader"):
                self.sub_event_types[(row["broader"], normalize(row["notation"]))] = row["concept"]
                self.broader[row["concept"]] = row["broader"]
            else:
                self.event_types[normalize(row["notation"])] = row["concept"]

    def match(self, names, kind: str, accept=lambda iri: True) -> tuple[str | None, bool]:
        """The one node of `kind` that the names match by preferred or alternative label and `accept`
        admits: (IRI or None, whether the names matched several nodes)."""
        found, ambiguous = set(), False
        for name in names:
            if normalize(name) not in self.labels:
                continue
            try:
                resolution = self.names.resolve(name, kind)
            except AmbiguousName:
                ambiguous = True
                continue
            except UnknownName:
                continue
            if resolution.how in ("preferred label", "alternative label") and accept(resolution.iri):
                found.add(resolution.iri)
        if len(found) == 1 and not ambiguous:
            return found.pop(), False
        return None, ambiguous or len(found) > 1

    def within(self, place: str, scope: str) -> bool:
        seen = set()
        while place not in seen:
            if place == scope:
                return True
            seen.add(place)
            if place not in self.place_parent:
                return False
            place = self.place_parent[place]
        return False


class AcledImporter:
    """Turns ACLED rows into Turtle text, remembering the actors and places it has written."""

    def __init__(self, reference: GraphReference, source_name: str, file_name: str = ""):
        self.ref = reference
        self.source_name = source_name
        self.file_name = file_name
        self.document = IMPORT_PREFIXES["acled-source"] + slug(source_name)
        self.summary = ImportSummary()
        self._actors = {}  # ACLED actor name -> Node
        self._actor_nodes = {}  # IRI -> Node, of the actors above
        self._places = {}  # tuple of the row's place columns, up to a level -> Node
        self._new_labels = {}  # normalized label of a new node -> its IRI

    # --- output ---------------------------------------------------------------------------------
    def header(self) -> str:
        """The prefixes and the export's source document."""
        lines = [f"# ACLED events imported by `menaka-kg import acled` from {self.file_name or 'an export'}.",
                 "# Generated: edit the CSV and import again rather than editing this file (docs/acled.md).", ""]
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _OUTPUT_PREFIXES]
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in IMPORT_PREFIXES.items()]
        document = block(self.document, "mk:SourceDocument", [
            ("skos:prefLabel", [literal(self.source_name)]),
            ("dct:title", [literal(self.source_name)]),
            ("dct:publisher", [term(ACLED_ACTOR)]),
            ("dct:description", [literal("An export of ACLED event data, imported with menaka-kg import acled; "
                                         "each record is a section of it.")]),
            ("mk:sourceFile", [literal(self.file_name)] if self.file_name else [])])
        return "\n".join(lines) + "\n\n" + document

    def row(self, number: int, row: dict) -> str:
        """The Turtle of one row (numbered as a spreadsheet shows it, the header being row 1)."""
        cells = Cells(number, row)
        event_id = cells.text("event_id_cnty")
        if not _EVENT_ID.match(event_id):
            raise cells.error("event_id_cnty", f"{shown(event_id)} is not an ACLED event id (letters and digits)")
        day, precision = cells.date("event_date"), cells.integer("time_precision", 1, 3)
        try:
            earliest, latest, unit, rule = bounds(day, precision)
        except OverflowError:  # the week around 0001-01-01 or 9999-12-31 leaves the calendar
            raise cells.error("event_date", f"{shown(cells.text('event_date'))} is too close to the end of the "
                                            "calendar for its time_precision") from None
        event_type = self._event_type(cells)
        fatalities = cells.integer("fatalities", 0)
        inter1, inter2 = cells.inter("inter1"), cells.inter("inter2")
        geo_precision = cells.integer("geo_precision", 1, 3, required=False)
        civilian_targeting = cells.civilian_targeting()

        out = []  # new actors and places first, then the record
        place, place_names = self._place(cells, cells.point(), out)
        roles, sides, actor_names_in_source = self._participants(cells, event_type, inter1, inter2, out)
        event = IMPORT_PREFIXES["acled-event"] + event_id
        section = f"{self.document}--{event_id}"
        sub_event, date_text = cells.text("sub_event_type"), cells.text("event_date")
        begin = [("sem:hasEarliestBeginTimeStamp", [date_literal(earliest)]),
                 ("sem:hasLatestBeginTimeStamp", [date_literal(latest)]), ("mk:beginPrecision", [f"time:{unit}"])]
        wording = [("mk:dateExpression", [literal(date_text)]),
                   ("mk:datingNote", [literal(f"ACLED time_precision {cells.text('time_precision')}: {rule}.")])]
        provenance = [("prov:wasDerivedFrom", [term(section)]), ("prov:wasAttributedTo", [term(ACLED_ACTOR)])]
        tags = dict.fromkeys(t.strip() for t in cells.text("tags", required=False).split(";") if t.strip())
        cited = cells.text("source", required=False)

        out.append(block(section, "mk:SourceSection", [
            ("skos:prefLabel", [literal(f"{self.source_name} § {event_id}")]),
            ("dct:isPartOf", [term(self.document)]),
            ("mk:sectionPath", [literal(event_id)]),
            ("mk:citedSources", [literal(cited)] if cited else [])]))
        out.append(block(event, "mk:Event", [
            ("skos:prefLabel", [literal(f"ACLED {event_id}: {sub_event} at {place.label}")]),
            ("dct:identifier", [literal(event_id)]),
            ("dct:description", [literal(cells.text("notes", required=False) or f"ACLED codes a {sub_event} event "
                                         f"at {cells.text('location')} on {date_text} and gives no notes.")]),
            ("sem:eventType", [term(event_type)]),
            ("sem:hasPlace", [term(place.iri)]),
            *((f"mk:{role}", [term(iri) for iri in roles[role]]) for role in ROLE_ORDER if role in roles),
            ("mk:nameInSource", [literal(n) for n in dict.fromkeys(actor_names_in_source + place_names)]),
            *begin,
            ("sem:hasEarliestEndTimeStamp", [date_literal(earliest)]),
            ("sem:hasLatestEndTimeStamp", [date_literal(latest)]), ("mk:endPrecision", [f"time:{unit}"]),
            *wording,
            ("mk:civilianTargeting", [] if civilian_targeting is None else [str(civilian_targeting).lower()]),
            ("mk:tag", [literal(t) for t in tags]),
            ("mk:acledInter1", [literal(cells.text("inter1"))] if inter1 is not None else []),
            ("mk:acledInter2", [literal(cells.text("inter2"))] if inter2 is not None else []),
            ("mk:geoPrecision", [str(geo_precision)] if geo_precision is not None else []),
            *provenance, ("mk:assertionMode", ["mkc:reported"])]))
        civilians = self.ref.broader.get(event_type) == EVTYPE + "violence-against-civilians"
        out.append(block(IMPORT_PREFIXES["acled-claim"] + f"{event_id}-fatalities", "mk:CasualtyClaim", [
            ("skos:prefLabel", [literal(f"ACLED: {fatalities} or more killed ({event_id})")]),
            ("dct:description", [literal(f"ACLED's fatality count for event {event_id}. ACLED codes the lowest "
                                         "figure its sources report, so the count is a floor.")]),
            ("mk:aboutEvent", [term(event)]),
            ("mk:category", ["mkc:killed"]),
            ("mk:victimStatus", ["mkc:civilians" if civilians else "mkc:unspecified"]),
            ("mk:low", [str(fatalities)]), ("mk:isLowerBound", ["true"]),
            ("mk:figureText", [literal(f"fatalities: {cells.text('fatalities')}")]),
            *provenance, ("mk:assertionMode", ["mkc:reported"])]))
        if event_type in CONTROL_TYPES:
            controllers = sides["actor1"]
            names = " and ".join(self._actor_nodes[iri].label for iri in controllers)
            holds = "hold" if len(controllers) > 1 else "holds"
            out.append(block(IMPORT_PREFIXES["acled-assertion"] + f"{event_id}-control", "mk:ControlAssertion", [
                ("skos:prefLabel", [literal(f"{names} {holds} {place.label} (from ACLED {event_id})")]),
                ("dct:description", [literal(f"Control that begins with ACLED event {event_id} ({sub_event}): "
                                             "actor 1 and its associated actors hold the place from then on. "
                                             "ACLED gives no end, so none is given.")]),
                ("mk:controlledPlace", [term(place.iri)]),
                ("mk:controller", [term(iri) for iri in controllers]),
                ("mk:controlKind", ["mkc:full-control" if len(controllers) == 1 else "mkc:joint-control"]),
                ("mk:startedBy", [term(event)]),
                *begin, *wording, *provenance, ("mk:assertionMode", ["mkc:implied"])]))
            self.summary.control_assertions += 1
        self.summary.rows += 1
        return "".join(out)

    def _participants(self, cells, event_type: str, inter1, inter2, out: list):
        """The row's actors by role, the actor IRIs of each side (actor 1 or 2 with its associated actors), and
        the ACLED names of the graph's actors whose labels differ."""
        role1, role2 = self._roles(event_type)
        if role2 == "defender" and inter2 == CIVILIANS:
            role2 = "target"
        roles, sides, names_in_source = {}, {}, []
        for column, associated, role, inter in (("actor1", "assoc_actor_1", role1, inter1),
                                                ("actor2", "assoc_actor_2", role2, inter2)):
            main = cells.text(column, required=column == "actor1")
            if not main:
                continue
            names = [(main, False)] + [(name.strip(), True) for name in cells.text(associated, required=False).split(";")
                                       if name.strip()]
            side = sides.setdefault(column, [])
            for name, is_associated in names:
                actor = self._actor(name, inter, is_associated, out)
                if actor.iri not in side:
                    side.append(actor.iri)
                if actor.iri not in roles.setdefault(role, []):
                    roles[role].append(actor.iri)
                if actor.curated and actor.label != name:
                    names_in_source.append(name)
        return roles, sides, names_in_source

    # --- mapping --------------------------------------------------------------------------------
    def _event_type(self, cells) -> str:
        top_name = cells.text("event_type")
        top = self.ref.event_types.get(normalize(top_name))
        if top is None:
            raise cells.error("event_type", f"{shown(top_name)} is not an ACLED event type")
        sub_name = cells.text("sub_event_type")
        key = normalize(sub_name)
        sub = self.ref.sub_event_types.get((top, SPELLINGS.get(key, key)))
        if sub is None:
            raise cells.error("sub_event_type", f"{shown(sub_name)} is not an ACLED sub-event type of {shown(top_name)}")
        return sub

    def _roles(self, event_type: str) -> tuple[str, str]:
        for concept in (event_type, self.ref.broader.get(event_type, "")):
            if concept[len(EVTYPE):] in ROLES:
                return ROLES[concept[len(EVTYPE):]]
        return "participant", "participant"

    def _actor(self, name: str, inter: int | None, is_associated: bool, out: list) -> Node:
        """The graph's actor that `name` matches, else a new one: typed by the inter code of its side unless it
        is an associated actor (ACLED codes the type of actor 1 and 2 only), a party unless that side is
        rioters, protesters or civilians."""
        if name in self._actors:
            return self._actors[name]
        iri, ambiguous = self.ref.match(actor_names(name, self.ref.countries), "actor")
        if iri:
            node = Node(iri, self.ref.names.label_of(iri, "actor"), True)
            self.summary.actors_matched.add(iri)
        else:
            if ambiguous:
                self.summary.ambiguous.add(name)
            iri = IMPORT_PREFIXES["acled-actor"] + slug(name)
            if iri in self._actor_nodes:  # a spelling of an actor already added (case, punctuation)
                self._actors[name] = self._actor_nodes[iri]
                return self._actor_nodes[iri]
            label = self._new_label(iri, [name, f"{name} (ACLED)", f"{name} ({iri.rsplit('/', 1)[-1]})"])
            node = Node(iri, label, False)
            cls, party = INTER_CODES.get(inter, ("Actor", True))
            cls = "Actor" if is_associated else cls
            side = f"associated with an actor of type {inter}" if is_associated else f"of type {inter}"
            kind = f" (ACLED actor {side})" if inter else ""
            out.append(block(iri, f"mk:{cls}", [
                ("skos:prefLabel", [literal(label)]),
                ("dct:description", [literal(f"An actor ACLED names \"{name}\"{kind}; added by an ACLED import.")]),
                ("mk:isPartyToConflict", ["true" if party else "false"])]))
            self.summary.actors_new += 1
        self._actors[name] = self._actor_nodes[iri] = node
        return node

    def _place(self, cells, point, out: list) -> tuple[Node, list]:
        """The row's location node (written with its new parents first) and the ACLED names of the graph
        nodes it matched whose labels differ."""
        values = [cells.text(column, required=column in REQUIRED_COLUMNS) for column, *_ in LEVELS]
        parent, scope, names = None, None, []
        for depth, (column, classes, patterns, cls, pattern) in enumerate(LEVELS):
            value = values[depth]
            if not value:
                continue
            key = tuple(values[:depth + 1])
            node = self._places.get(key)
            if node is None:
                node = self._place_node(key, depth, parent, scope, point, out)
                self._places[key] = node
            if node.curated:
                self.summary.places_matched.add(node.iri)
                if column == "location" and node.label != value:
                    names.append(value)
                if depth <= 1:
                    scope = node.iri
            parent = node
        return parent, names

    def _place_node(self, key, depth, parent, scope, point, out) -> Node:
        column, classes, patterns, cls, pattern = LEVELS[depth]
        value = key[-1]

        def fits(iri):
            kinds = self.ref.place_class.get(iri, set())
            right_kind = bool(kinds & classes) if classes else not kinds & _ADMIN
            placed = depth == 0 or iri not in self.ref.place_parent or (scope and self.ref.within(iri, scope))
            return right_kind and bool(placed)

        iri, ambiguous = self.ref.match([p.format(value) for p in patterns], "place", fits)
        if iri:
            return Node(iri, self.ref.names.label_of(iri, "place"), True)
        if ambiguous:
            self.summary.ambiguous.add(value)
        if cls is None:  # admin2: a cercle in Mali, a department elsewhere
            cls, pattern = ("Cercle", "{} Cercle") if normalize(key[0]) == "mali" else ("Department", "{} Department")
        iri = IMPORT_PREFIXES["acled-place"] + "--".join(slug(v) if v else "_" for v in key)
        base = pattern.format(value)
        path = " > ".join(v for v in key if v)
        label = self._new_label(iri, [base, f"{base} ({parent.label})" if parent else base, f"{base} ({path})"])
        geometry = IMPORT_PREFIXES["acled-geometry"] + iri[len(IMPORT_PREFIXES["acled-place"]):]
        located = column == "location" and point is not None
        out.append(block(iri, f"mk:{cls}", [
            ("skos:prefLabel", [literal(label)]),
            ("geo:sfWithin", [term(parent.iri)] if parent else []),
            ("mk:placementNote", [literal(f"ACLED {column} \"{value}\" ({path}); added by an ACLED import.")]),
            ("geo:hasGeometry", [term(geometry)] if located else [])]))
        if located:
            out.append(block(geometry, "geo:Geometry", [
                ("geo:asWKT", [f'"POINT({point[1]} {point[0]})"^^geo:wktLiteral']),
                ("dct:source", [term(self.document)])]))
        self.summary.places_new += 1
        return Node(iri, label, False)

    def _new_label(self, iri: str, candidates) -> str:
        """The first candidate label no other node of the graph or the import has (ignoring case and accents)."""
        for label in candidates:
            key = normalize(label)
            if key not in self.ref.labels and self._new_labels.get(key, iri) == iri:
                self._new_labels[key] = iri
                return label
        raise DataError(f"cannot give <{iri}> a label of its own: {candidates[-1]} is taken")


class Cells:
    """One row's cells, read and checked by column, with errors that name the row and column."""

    def __init__(self, number: int, row: dict):
        self.number = number
        self.row = row
        if None in row:
            raise RowError(f"row {number}: more cells than the header has columns")

    def error(self, column: str, problem: str) -> RowError:
        return RowError(f"row {self.number}, column {column}: {problem}")

    def text(self, column: str, required: bool = True) -> str:
        value = (self.row.get(column) or "").strip()
        if required and not value:
            raise self.error(column, "empty, but every row needs it")
        return value

    def integer(self, column: str, low: int, high: int | None = None, required: bool = True) -> int | None:
        value = self.text(column, required)
        if not value:
            return None
        if not (value.lstrip("-").isascii() and value.lstrip("-").isdigit()):
            raise self.error(column, f"{shown(value)} is not a whole number")
        number = int(value)
        if number < low or (high is not None and number > high):
            allowed = f"{low} to {high}" if high is not None else f"{low} or more"
            raise self.error(column, f"{number} is out of range ({allowed})")
        return number

    def date(self, column: str) -> datetime.date:
        value = self.text(column)
        try:
            if match := _ISO_DATE.match(value):
                return datetime.date(*map(int, match.groups()))
            if (match := _WORDS_DATE.match(value)) and match[2].lower() in _MONTHS:
                return datetime.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        except ValueError:
            pass
        raise self.error(column, f"{shown(value)} is not a date (2022-06-02 or 02 June 2022)")

    def inter(self, column: str) -> int | None:
        value = self.text(column, required=False)
        if not value or value == "0":
            return None
        code = int(value) if value.isascii() and value.isdigit() else INTER_NAMES.get(normalize(value))
        if code not in INTER_CODES:
            raise self.error(column, f"{shown(value)} is not an ACLED actor type (1-8, or its name such as Rebel group)")
        return code

    def point(self) -> tuple[str, str] | None:
        """(latitude, longitude) as decimal text, or None when either is empty."""
        values = []
        for column, limit in (("latitude", 90), ("longitude", 180)):
            value = self.text(column, required=False)
            if not value:
                return None
            try:
                number = float(value)
            except ValueError:
                raise self.error(column, f"{shown(value)} is not a number") from None
            if not -limit <= number <= limit:
                raise self.error(column, f"{shown(value)} is out of range (-{limit} to {limit})")
            values.append(f"{number:.6f}".rstrip("0").rstrip(".") or "0")
        return values[0], values[1]

    def civilian_targeting(self) -> bool | None:
        if "civilian_targeting" not in self.row:
            return None
        value = self.text("civilian_targeting", required=False)
        if value and normalize(value) != "civiliantargeting":
            raise self.error("civilian_targeting", f"{shown(value)} is neither empty nor 'Civilian targeting'")
        return bool(value)


# --- the pieces of the mapping, as functions --------------------------------------------------------
def bounds(day: datetime.date, precision: int) -> tuple[datetime.date, datetime.date, str, str]:
    """Earliest and latest day of an event ACLED dates `day` with `precision`, the unit, and the rule."""
    span, unit, rule = PRECISIONS[precision]
    if span is None:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last), unit, rule
    before, after = span
    return day - datetime.timedelta(days=before), day + datetime.timedelta(days=after), unit, rule


def actor_names(name: str, countries=frozenset()) -> list[str]:
    """The names an ACLED actor is matched by: the name; without a trailing period or country in brackets
    ("Military Forces of Mali (2021-)", "Civilians (Mali)"); an acronym before ': ' and the name after it."""
    names = [name]
    match = _QUALIFIED.match(name)
    if match and (_PERIOD.match(match[2].strip()) or normalize(match[2]) in countries):
        name = match[1]
        names.append(name)
    if ": " in name:
        names += [part.strip() for part in name.split(": ", 1)]
    return list(dict.fromkeys(names))


def slug(text: str) -> str:
    """A readable, stable IRI part: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x" + hashlib.sha1(text.encode()).hexdigest()[:10]


def literal(text: str) -> str:
    """A plain string literal, escaped by pyoxigraph's N-Triples serializer (also valid Turtle)."""
    return str(ox.Literal(text))


def date_literal(day: datetime.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def term(iri: str) -> str:
    """An IRI as a prefixed name where its local part is safe in Turtle, else in angle brackets."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _PREFIX_OF.get(iri[:cut])
    if prefix and _SAFE_LOCAL.match(iri[cut:]):
        return f"{prefix}:{iri[cut:]}"
    return f"<{iri}>"


def block(subject: str, cls: str, pairs) -> str:
    """One node in Turtle: its class, then each property with values (properties without values left out)."""
    lines = [f"{term(subject)} a {cls}"]
    lines += [f"    {predicate} {', '.join(values)}" for predicate, values in pairs if values]
    return " ;\n".join(lines) + " .\n\n"


# --- the entry point ------------------------------------------------------------------------------
def read_rows(path):
    """The rows of an ACLED CSV export, each numbered as a spreadsheet shows it, once the header has every
    required column."""
    path, number = Path(path), 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RowError(f"row 1 (the header): missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
            for number, row in enumerate(reader, start=2):
                yield number, row
    except csv.Error as error:
        raise RowError(f"row {number + 1}: not valid CSV ({error})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None


def import_acled(csv_path, output, source_name: str | None = None, kg=None) -> ImportSummary:
    """Map an ACLED CSV export onto the graph's model and write it to `output` as Turtle, matching actors and
    places onto `kg` (the bundled graph if None). Nothing is written when a row is bad."""
    if kg is None:
        from menaka_kg.api import load
        kg = load()
    csv_path = Path(csv_path)
    check_outputs([output], [csv_path], force=True)  # the CLI asks for --force before an existing file
    importer = AcledImporter(GraphReference(kg), source_name or f"ACLED export {csv_path.name}", csv_path.name)
    try:
        with atomic_output(output) as out:
            out.write(importer.header())
            for number, row in read_rows(csv_path):
                out.write(importer.row(number, row))
    except RowError as error:
        raise RowError(f"{csv_path}, {error}") from None
    except OSError as error:
        raise DataError(f"cannot write {output}: {error.strerror or error}") from None
    return importer.summary
