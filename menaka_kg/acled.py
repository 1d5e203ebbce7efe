"""Importing ACLED event exports (CSV) into the graph's model, row by row, as Turtle (docs/acled.md).

    >>> from menaka_kg.acled import import_acled
    >>> summary = import_acled(["export.csv"], "export.ttl")

Each row becomes an event with its participants, place, dates, a casualty claim by ACLED and, for the
four territory sub-event types, a control assertion. Actors and places are matched onto the graph's
nodes by the graph's one matcher (menaka_kg.names); what does not match becomes a node of the import
namespace. A record that reports a curated event is linked to it by an mk:EventLink (the rule and why),
never merged with it. Every IRI derives from the data set's name and ACLED's event id alone, so the
output of a re-import (a newer export, or several exports merged by ACLED's timestamp) replaces the
earlier output as a whole, and a store can replace the earlier import's named graph, `import_graph()`.
The Turtle is written as the rows are read, so memory follows the number of distinct actors, places
and dates, not of rows (a merge of several exports also keeps each event id).
"""

import calendar
import csv
import datetime
import hashlib
import operator
import queue
import threading
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from menaka_kg import resources
from menaka_kg.errors import AmbiguousName, DataError, RowError, shown
from menaka_kg.files import atomic_output, check_outputs
from menaka_kg.names import normalize
from menaka_kg.prefixes import BASE, PREFIXES

IMPORT_BASE = BASE + "acled/"
IMPORT_PREFIXES = {f"acled-{part}": f"{IMPORT_BASE}{part}/"
                   for part in ("event", "actor", "place", "geometry", "claim", "assertion", "link", "source")}
_OUTPUT_PREFIXES = ("mk", "mkc", "evtype", "place", "actor", "event", "sem", "time", "prov", "geo", "skos", "dct",
                    "xsd")
_PREFIX_OF = {namespace: prefix for prefix, namespace in
              (*((p, PREFIXES[p]) for p in _OUTPUT_PREFIXES), *IMPORT_PREFIXES.items())}

DEFAULT_SOURCE_NAME = "ACLED data"
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                    "country", "location", "fatalities")

MK, EVTYPE = PREFIXES["mk"], PREFIXES["evtype"]
ACLED_ACTOR = PREFIXES["actor"] + "acled"

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$")
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_-]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")

# time_precision: (days before, days after) the recorded date, or None for its whole month; the unit
PRECISIONS = {1: ((0, 0), "unitDay", "the day is known"),
              2: ((3, 3), "unitWeek", "only the week is known: the seven days centred on the recorded date"),
              3: (None, "unitMonth", "only the month is known: the whole month of the recorded date")}

_DATING_NOTES = {code: f"ACLED time_precision {code}: {rule}" for code, (_, _, rule) in PRECISIONS.items()}

# ACLED's inter codes (numbers, or their names in newer exports): our class, and whether the actor is a party
INTER_CODES = {1: ("StateForce", True), 2: ("ArmedGroup", True), 3: ("ArmedGroup", True), 4: ("ArmedGroup", True),
               5: ("CommunityGroup", False), 6: ("CommunityGroup", False), 7: ("CommunityGroup", False),
               8: ("ForeignForce", True)}
INTER_NAMES = {"stateforces": 1, "rebelgroup": 2, "rebelgroups": 2, "politicalmilitia": 3, "politicalmilitias": 3,
               "identitymilitia": 4, "identitymilitias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
               "external/otherforces": 8}
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
PLACE_COLUMNS = tuple(level[0] for level in LEVELS)
# the columns a row is read by, in the order `AcledImporter.row` unpacks them
COLUMNS = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
           "inter1", "actor2", "assoc_actor_2", "inter2", "civilian_targeting", *PLACE_COLUMNS, "latitude",
           "longitude", "geo_precision", "source", "notes", "fatalities", "tags", "timestamp")
_GEO_LINES = {"": "", **{code: f"    mk:geoPrecision {code} ;\n" for code in ("1", "2", "3")}}

# link rules (ontology/menaka.ttl, link rule scheme)
SAME_PLACE, NESTED_PLACE = "mkc:same-place-link", "mkc:nested-place-link"
_RULE_WORDS = {SAME_PLACE: "same place", NESTED_PLACE: "one place within the other"}
_COARSE = {MK + "Country", MK + "Region"}  # too wide a place to tell two events apart
# ACLED codes a change of hands as an event and never its end: the control is presumed until a later
# record (or another source) shows another controller (docs/time.md).
OPEN_END_NOTE = "ACLED codes the change of hands, never its end; a later record may show another controller."
SHOWN = 20  # links and unlinked records the summary names; the rest it counts


@dataclass
class ImportSummary:
    """What an import wrote, which names matched the graph, what it linked and, for several exports,
    what the merge replaced or dropped."""

    graph: str = ""
    rows: int = 0
    control_assertions: int = 0
    actors_matched: set = field(default_factory=set)
    actors_new: int = 0
    places_matched: set = field(default_factory=set)
    places_new: int = 0
    ambiguous: set = field(default_factory=set)
    linked: int = 0
    links: list = field(default_factory=list)  # the first SHOWN: (event id, curated IRI, its label, rule)
    unlinked: int = 0
    unlinked_ids: list = field(default_factory=list)  # the first SHOWN
    exports: int = 1
    replaced: int = 0  # events in more than one export
    revised: int = 0
    dropped: int = 0
    kept_missing: int = 0

    def __str__(self) -> str:
        from menaka_kg.prefixes import shorten
        lines = [f"{self.rows} events with {self.rows} casualty claims and {self.control_assertions} control "
                 f"assertions; actors: {len(self.actors_matched)} matched, {self.actors_new} new; "
                 f"places: {len(self.places_matched)} matched, {self.places_new} new"]
        if self.ambiguous:
            lines[0] += f"; names matching several nodes, imported as new nodes: {', '.join(sorted(self.ambiguous))}"
        if self.exports > 1:
            merge = (f"merged {self.exports} exports: {self.replaced} events in more than one, {self.revised} of them "
                     "revised (each written once, in its latest version by ACLED's timestamp)")
            if self.dropped:
                merge += f"; {self.dropped} events dropped as gone from the last export"
            if self.kept_missing:
                merge += f"; {self.kept_missing} events kept that the last export lacks (--drop-missing drops them)"
            lines.append(merge)
        lines.append(f"linked {self.linked} of {self.rows} events to the curated events they report"
                     + (":" if self.links else ""))
        lines += [f"  {event_id} reports {shorten(iri)} \"{label}\" ({_RULE_WORDS[rule]})"
                  for event_id, iri, label, rule in self.links]
        if self.linked > len(self.links):
            lines.append(f"  and {self.linked - len(self.links)} more")
        if self.unlinked:
            more = f", and {self.unlinked - len(self.unlinked_ids)} more" if self.unlinked > len(self.unlinked_ids) else ""
            lines.append(f"left {self.unlinked} unlinked: {', '.join(self.unlinked_ids)}{more}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Node:
    """An actor or place a row points at: a node of the graph (curated) or one the import adds. `term` is
    its Turtle form; a place's `ancestors` are it and the places it lies within, nearest first."""

    iri: str
    label: str
    curated: bool
    term: str
    ancestors: tuple = ()
    label_text: str = field(init=False)  # the label escaped for a Turtle string

    def __post_init__(self):
        object.__setattr__(self, "label_text", literal(self.label)[1:-1])


@dataclass
class Candidate:
    """A curated event a record may report: its event type, places, date bounds and participants."""

    iri: str
    label: str
    type: str
    places: set
    actors: set
    earliest: datetime.date
    latest: datetime.date



class GraphReference:
    """What the import matches rows against: the graph's names (its one name index), places, ACLED event
    types and the curated events a record may report."""

    def __init__(self, kg):
        self.names = kg.names()
        self.place_class, self.place_parent = {}, {}
        for row in kg.sparql(resources.internal_query("place-hierarchy")):
            self.place_class.setdefault(row["place"], set()).add(row["class"])
            if row.get("parent"):
                self.place_parent[row["place"]] = row["parent"]
        self.event_types, self.sub_event_types, self.broader, self.event_type_names = {}, {}, {}, {}
        for row in kg.sparql(resources.internal_query("event-type-notations")):
            if row.get("broader"):
                self.sub_event_types[(row["broader"], normalize(row["notation"]))] = row["concept"]
                self.broader[row["concept"]] = row["broader"]
            else:
                self.event_types[normalize(row["notation"])] = row["concept"]
                self.event_type_names[row["concept"]] = row["notation"]
        self.events_at = {}  # place -> curated events there
        self.events_within = {}  # place -> [(distance, curated event)] at places within it
        candidates = {}
        for row in kg.sparql(resources.internal_query("link-candidates")):
            latest = row.get("le") or row.get("lb")
            if row.get("eb") is None or latest is None:
                continue  # an event whose dates are open on one side cannot be told apart from others
            found = candidates.setdefault(row["event"], Candidate(row["event"], row.get("label") or row["event"],
                                                                  row["type"], set(), set(), row["eb"], latest))
            found.places.add(row["place"])
            if row.get("actor"):
                found.actors.add(row["actor"])
        for candidate in candidates.values():
            for place in candidate.places:
                self.events_at.setdefault(place, []).append(candidate)
                for distance, above in enumerate(self.ancestors(place)[1:], start=1):
                    if not self.place_class.get(above, set()) & _COARSE:
                        self.events_within.setdefault(above, []).append((distance, candidate))

    def match(self, names, kind: str, accept=None) -> tuple[str | None, bool]:
        """The one node of `kind` that the names match (as `menaka-kg resolve` matches, probable labels left
        out) and `accept` admits: (IRI or None, whether the names matched several nodes)."""
        found, ambiguous = set(), False
        for name in names:
            try:
                resolution = self.names.find(name, kind, accept=accept, probable=False)
            except AmbiguousName:
                ambiguous = True
                continue
            if resolution is not None:
                found.add(resolution.iri)
        if len(found) == 1 and not ambiguous:
            return found.pop(), False
        return None, ambiguous or len(found) > 1

    def ancestors(self, place: str) -> tuple:
        """The place and those it lies within, walking geo:sfWithin up (a cycle stops the walk)."""
        chain = [place]
        while (place := self.place_parent.get(place)) is not None and place not in chain:
            chain.append(place)
        return tuple(chain)

    def within(self, place: str, scope: str) -> bool:
        return scope in self.ancestors(place)

    def link_groups(self, place: Node) -> list[tuple[str, list]]:
        """The curated events a record at `place` may report, as (rule, events) groups in the order they are
        tried: events at the place itself, then, nearest first, events at a place it lies within or at a place
        within it, a region or a country being too wide a place to tell two events apart."""
        groups = [(SAME_PLACE, self.events_at.get(place.iri, []))]
        nested = {}
        for distance, above in enumerate(place.ancestors[1:], start=1):
            if not self.place_class.get(above, set()) & _COARSE:
                nested.setdefault(distance, []).extend(self.events_at.get(above, ()))
        if place.curated:
            for distance, candidate in self.events_within.get(place.iri, ()):
                nested.setdefault(distance, []).append(candidate)
        groups += [(NESTED_PLACE, nested[distance]) for distance in sorted(nested)]
        return [(rule, events) for rule, events in groups if events]

    def type_match(self, record_type: str, event_type: str) -> int | None:
        """0 when the curated event has the record's ACLED sub-event type, 1 when it has another sub-event type
        of the same ACLED event type, None otherwise."""
        if event_type == record_type:
            return 0
        top = self.broader.get(record_type)
        return 1 if top is not None and self.broader.get(event_type, event_type) == top else None


class AcledImporter:
    """Turns ACLED rows into Turtle text, remembering the actors, places and dates it has written."""

    def __init__(self, reference: GraphReference, source_name: str = DEFAULT_SOURCE_NAME, file_names=()):
        self.ref = reference
        self.source_name = source_name
        self.file_names = list(file_names)
        self.document = import_graph(source_name)
        self.summary = ImportSummary(graph=self.document)
        self._section_label = literal(f"{source_name} § ")[:-1]  # the label's start, without its closing quote
        self._actors = {}  # ACLED actor name -> Node
        self._actor_nodes = {}  # IRI -> Node, of the actors above
        self._places = {}  # tuple of the row's place columns, up to a level -> Node
        self._rows_at = {}  # the row's five place columns -> (Node, ACLED names differing from labels, link groups)
        self._new_labels = {}  # normalized label of a new node -> its IRI
        self._dates = {}  # (event_date, time_precision) -> Dating
        self._types = {}  # (event_type, sub_event_type) -> EventType
        self._sides = {}  # (1 or 2, actor, associated actors, inter) -> Side
        self._latest_timestamp = None
        self._last_timestamp = (None, "")  # the last timestamp cell and its line: rows of one upload share it
        self._targeting = {}  # civilian_targeting cell -> its line
        self._index = self._cells_of = self._targeting_given = None
        self._document_term = term(self.document)
        self._section_prefix = term(f"{self.document}--x")[:-1]

    # --- output ---------------------------------------------------------------------------------
    def header(self) -> str:
        """The comment and prefixes that open the output."""
        lines = [f"# ACLED events imported by `menaka-kg import acled` from {', '.join(self.file_names) or 'an export'}.",
                 "# Generated: edit the CSV and import again rather than editing this file (docs/acled.md).",
                 f"# A re-import under the same source name ({self.source_name}) gives the same IRIs and replaces this",
                 f"# file as a whole; a store keeps it in the named graph <{self.document}>.", ""]
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _OUTPUT_PREFIXES]
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in IMPORT_PREFIXES.items()]
        return "\n".join(lines) + "\n\n"

    def footer(self) -> str:
        """The export's source document, written last: it names the files read and ACLED's latest timestamp."""
        return block(self.document, "mk:SourceDocument", [
            ("skos:prefLabel", [literal(self.source_name)]),
            ("dct:title", [literal(self.source_name)]),
            ("dct:publisher", [term(ACLED_ACTOR)]),
            ("dct:description", [literal("ACLED event data, imported with menaka-kg import acled; each record is a "
                                         "section of it.")]),
            ("dct:modified", [datetime_literal(self._latest_timestamp)] if self._latest_timestamp is not None else []),
            ("mk:sourceFile", [literal(name) for name in self.file_names])])

    def row(self, number: int, row: list, index: dict) -> str:
        """The Turtle of one row (numbered as a spreadsheet shows it, the header being row 1), as `read_rows`
        gives it. Each piece that depends on a few cells only (dates, event type, actors, place) is mapped
        once and cached; the row's own cells are checked here, and a bad one is reported by `Cells`."""
        if index is not self._index:
            self._index, self._cells_of = index, operator.itemgetter(*(index[c] for c in COLUMNS))
            self._targeting_given = "civilian_targeting" not in index.missing
        (event_id, event_date, precision, event_type, sub_type, actor1, assoc1, inter1, actor2, assoc2, inter2,
         targeting, country, admin1, admin2, admin3, location, latitude, longitude, geo, cited, notes, fatalities,
         tags, timestamp) = self._cells_of(row)
        # The cells are used as read; a cell with spaces around it, or a bad one, takes the slower path
        # (Cells strips and checks), and the pieces are cached under the cells as read.
        cells = Cells(number, row, index)
        if not (event_id and fatalities and location and country and actor1):
            for column in REQUIRED_COLUMNS:
                cells.text(column)
        if not _is_event_id(event_id):
            event_id = cells.text("event_id_cnty")
            if not _is_event_id(event_id):
                raise cells.error("event_id_cnty", f"{shown(event_id)} is not an ACLED event id (letters and digits)")
        dating = self._dates.get((event_date, precision)) or self._dating(cells, (event_date, precision))
        kind = self._types.get((event_type, sub_type)) or self._event_type(cells, (event_type, sub_type))
        if not (fatalities.isascii() and fatalities.isdigit()):
            cells.integer("fatalities", 0)  # raises, or accepts a sign
            fatalities = cells.text("fatalities")
        killed = int(fatalities)
        geo = _GEO_LINES.get(geo)
        if geo is None:
            geo = _GEO_LINES[str(cells.integer("geo_precision", 1, 3, required=False) or "")]
        notes, cited, tags = notes.strip(), cited.strip(), tags.strip()
        if self._targeting_given:
            targeting = self._targeting.get(targeting) or self._targeting_line(cells, targeting)
        else:
            targeting = ""
        if timestamp == self._last_timestamp[0]:
            modified = self._last_timestamp[1]
        else:
            modified = self._timestamp_line(cells, timestamp)
        if latitude and longitude:
            try:
                if not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
                    cells.point()
            except ValueError:
                cells.point()
        out = []  # new actors and places first, then the record
        place, place_names, link_groups = (self._rows_at.get((country, admin1, admin2, admin3, location))
                                           or self._place(cells, out, (country, admin1, admin2, admin3, location)))
        side1 = self._sides.get((1, actor1, assoc1, inter1)) or self._side(cells, 1, (actor1, assoc1, inter1), out)
        role1, role2 = kind.roles
        roles, inter, names = side1.lines[role1], side1.inter_line, side1.names_in_source
        side2 = None
        if actor2:
            side2 = self._sides.get((2, actor2, assoc2, inter2)) or self._side(cells, 2, (actor2, assoc2, inter2), out)
            if role2 == "defender" and side2.code == CIVILIANS:
                role2 = "target"
            roles += side2.lines[role2]
            inter += side2.inter_line
            if side2.names_in_source:
                names = tuple(dict.fromkeys(names + side2.names_in_source))

        event = "acled-event:" + event_id
        section = self._section_prefix + event_id
        provenance = f"    prov:wasDerivedFrom {section} ;\n    prov:wasAttributedTo actor:acled ;\n"
        sources = f" ;\n    mk:citedSources {literal(cited)}" if cited else ""
        if not notes:
            notes = f"ACLED codes a {kind.sub_name} event at {location.strip()} on {dating.text} and gives no notes."
        if '"' in notes or "\\" in notes or "\n" in notes or "\r" in notes:
            notes = literal(notes)[1:-1]
        if place_names:
            names = tuple(dict.fromkeys(names + place_names))
        names = f"    mk:nameInSource {', '.join(literal(n) for n in names)} ;\n" if names else ""
        if tags:
            tags = [t for t in dict.fromkeys(t.strip() for t in tags.split(";")) if t]
            tags = f"    mk:tag {', '.join(literal(t) for t in tags)} ;\n" if tags else ""
        out.append(
            f"{section} a mk:SourceSection ;\n    skos:prefLabel {self._section_label}{event_id}\" ;\n"
            f"    dct:isPartOf {self._document_term} ;\n    mk:sectionPath \"{event_id}\"{modified}{sources} .\n\n"
            f"{event} a mk:Event ;\n"
            f"    skos:prefLabel \"ACLED {event_id}: {kind.sub_label} at {place.label_text}\" ;\n"
            f"    dct:identifier \"{event_id}\" ;\n    dct:description \"{notes}\" ;\n"
            f"    sem:eventType {kind.term} ;\n    sem:hasPlace {place.term} ;\n{roles}{names}"
            f"{dating.event_bounds}{targeting}{tags}{inter}{geo}{provenance}    mk:assertionMode mkc:reported .\n\n"
            f"acled-claim:{event_id}-fatalities a mk:CasualtyClaim ;\n"
            f"    skos:prefLabel \"ACLED: {killed} or more killed ({event_id})\" ;\n"
            f"    dct:description \"ACLED's fatality count for event {event_id}, a floor: ACLED codes the lowest "
            f"figure its sources report.\" ;\n"
            f"    mk:aboutEvent {event} ;\n    mk:category mkc:killed ;\n    mk:victimStatus {kind.victims} ;\n"
            f"    mk:low {killed} ;\n    mk:isLowerBound true ;\n    mk:figureText \"fatalities: {fatalities}\" ;\n"
            f"{provenance}    mk:assertionMode mkc:reported .\n\n")
        if kind.control:
            out.append(self._control(event_id, event, kind, place, side1.actors, dating, provenance))
        curated = (side1.curated | side2.curated if side2 else side1.curated) if link_groups else None
        if curated:
            out.append(self._links(event_id, event, kind, place, dating, curated, link_groups))
        else:
            self._unlinked(event_id)
        self.summary.rows += 1
        return out[0] if len(out) == 1 else "".join(out)

    def _timestamp_line(self, cells, raw: str) -> str:
        """The dct:modified line of ACLED's timestamp cell, kept for the next rows (one upload shares it)."""
        line, text = "", raw.strip()
        if text:
            if not (text.isascii() and text.isdigit() and len(text) < 12):
                cells.timestamp()
            timestamp = int(text)
            if self._latest_timestamp is None or timestamp > self._latest_timestamp:
                self._latest_timestamp = timestamp
            line = f" ;\n    dct:modified {datetime_literal(timestamp)}"
        self._last_timestamp = (raw, line)
        return line

    def _targeting_line(self, cells, raw: str) -> str:
        """The mk:civilianTargeting line of ACLED's civilian_targeting cell (checked here, then cached)."""
        line = f"    mk:civilianTargeting {'true' if cells.civilian_targeting() else 'false'} ;\n"
        self._targeting[raw] = line
        return line

    def _unlinked(self, event_id: str) -> None:
        self.summary.unlinked += 1
        if len(self.summary.unlinked_ids) < SHOWN:
            self.summary.unlinked_ids.append(event_id)

    def _control(self, event_id, event, kind, place, controllers, dating, provenance) -> str:
        names = " and ".join(self._actor_nodes[iri].label for iri in controllers)
        holds = "hold" if len(controllers) > 1 else "holds"
        self.summary.control_assertions += 1
        return (f"acled-assertion:{event_id}-control a mk:ControlAssertion ;\n"
                f"    skos:prefLabel {literal(f'{names} {holds} {place.label} (from ACLED {event_id})')} ;\n"
                f"    dct:description {literal(f'Control that begins with ACLED event {event_id} ({kind.sub_name}): actor 1 and its associated actors hold the place from then on. ACLED gives no end, so none is given.')} ;\n"
                f"    mk:controlledPlace {place.term} ;\n"
                f"    mk:controller {', '.join(self._actor_nodes[iri].term for iri in controllers)} ;\n"
                f"    mk:controlKind {'mkc:full-control' if len(controllers) == 1 else 'mkc:joint-control'} ;\n"
                f"    mk:startedBy {event} ;\n"
                f"{dating.begin_bounds_and_wording}{provenance}    mk:assertionMode mkc:implied ;\n"
                f"    mk:openEndNote {literal(OPEN_END_NOTE)} .\n\n")

    def _links(self, event_id, event, kind, place, dating, curated, link_groups) -> str:
        """The links from the record to the curated events it reports: in the first group (the same place,
        else the nearest nesting) with any, the events whose dates overlap the record's, that share a
        participant and have its ACLED event type, the same sub-event type if any has it."""
        earliest, latest = dating.earliest, dating.latest
        for rule, candidates in link_groups:
            found = [(candidate, candidate.actors & curated, rank) for candidate in candidates
                     if latest >= candidate.earliest and earliest <= candidate.latest
                     and not candidate.actors.isdisjoint(curated)
                     and (rank := self.ref.type_match(kind.iri, candidate.type)) is not None]
            if found:
                best = min(rank for *_, rank in found)
                found = [(candidate, shared) for candidate, shared, rank in found if rank == best]
                break
        else:
            self._unlinked(event_id)
            return ""
        self.summary.linked += 1
        alike = (f"both are of ACLED's sub-event type {kind.sub_name}" if best == 0 else
                 f"both are of ACLED's event type {self.ref.event_type_names[self.ref.broader[kind.iri]]}")
        out = []
        for candidate, shared in sorted(found, key=lambda pair: pair[0].iri):
            if len(self.summary.links) < SHOWN:
                self.summary.links.append((event_id, candidate.iri, candidate.label, rule))
            shared_labels = ", ".join(sorted(self.ref.names.label_of(iri, "actor") for iri in shared))
            places = ("both at " + place.label if rule == SAME_PLACE else
                      f"{place.label} and {', '.join(sorted(self.ref.names.label_of(p, 'place') for p in candidate.places))}"
                      " lie one within the other")
            why = (f"ACLED dates {event_id} {dating.earliest.isoformat()} to {dating.latest.isoformat()} ({dating.rule}); "
                   f"the graph's event may have happened {candidate.earliest.isoformat()} to {candidate.latest.isoformat()}; "
                   f"{places}; both name {shared_labels}; {alike}.")
            link = IMPORT_PREFIXES["acled-link"] + event_id + "--" + slug(candidate.iri.rsplit("/", 1)[-1])
            out.append(f"{term(link)} a mk:EventLink ;\n"
                       f"    mk:linkedRecord {event} ;\n    mk:linkedEvent {term(candidate.iri)} ;\n"
                       f"    mk:linkRule {rule} ;\n"
                       f"    mk:sharedParticipant {', '.join(term(iri) for iri in sorted(shared))} ;\n"
                       f"    dct:description {literal(why)} .\n\n")
        return "".join(out)

    # --- mapping, each piece cached by the cells it depends on ----------------------------------
    def _dating(self, cells, raw: tuple) -> "Dating":
        key = (cells.text("event_date"), cells.text("time_precision"))
        dating = self._dates.get(key)
        if dating is None:
            precision = cells.integer("time_precision", 1, 3)
            day = cells.date("event_date")
            try:
                earliest, latest, unit, rule = bounds(day, precision)
            except OverflowError:
                raise cells.error("event_date", f"'{key[0]}' is too close to the end of the calendar") from None
            dating = self._dates[key] = Dating(key[0], earliest, latest, unit, _DATING_NOTES[precision])
        self._dates[raw] = dating
        return dating

    def _event_type(self, cells, raw: tuple) -> "EventType":
        key = (cells.text("event_type"), cells.text("sub_event_type"))
        kind = self._types.get(key)
        if kind is None:
            top = self.ref.event_types.get(normalize(key[0]))
            if top is None:
                raise cells.error("event_type", f"'{key[0]}' is not an ACLED event type")
            sub_key = normalize(key[1])
            sub = self.ref.sub_event_types.get((top, SPELLINGS.get(sub_key, sub_key)))
            if sub is None:
                raise cells.error("sub_event_type", f"'{key[1]}' is not an ACLED sub-event type of {key[0]}")
            roles = next((ROLES[c[len(EVTYPE):]] for c in (sub, self.ref.broader.get(sub, "")) if c[len(EVTYPE):] in ROLES),
                         ("participant", "participant"))
            civilians = self.ref.broader.get(sub) == EVTYPE + "violence-against-civilians"
            kind = self._types[key] = EventType(sub, term(sub), key[1], literal(key[1])[1:-1], roles, sub in CONTROL_TYPES,
                                                "mkc:civilians" if civilians else "mkc:unspecified")
        self._types[raw] = kind
        return kind

    def _side(self, cells, number: int, key: tuple, out: list) -> "Side":
        """Actor `number` of the row (1 or 2) with its associated actors, from the cells (actor, associated
        actors, inter): each of them takes the role the event type gives that side."""
        main, associated, inter_text = (value.strip() for value in key)
        if not main:
            if number == 1:
                cells.text("actor1")  # raises: every row needs actor 1
            side = self._sides[(number, *key)] = Side((), None, dict.fromkeys(ROLE_ORDER, ""), (), frozenset(), "")
            return side
        code = cells.inter(f"inter{number}")
        names = [(main, False)] + [(name.strip(), True) for name in associated.split(";") if name.strip()]
        actors = {}
        for name, is_associated in names:
            actor = self._actor(name, code, is_associated, out)
            actors.setdefault(actor.iri, actor)
        listed = ", ".join(actor.term for actor in actors.values())
        side = self._sides[(number, *key)] = Side(
            tuple(actors), code, {role: f"    mk:{role} {listed} ;\n" for role in ROLE_ORDER},
            tuple(dict.fromkeys(name for name, _ in names if self._actors[name].curated and self._actors[name].label != name)),
            frozenset(iri for iri, actor in actors.items() if actor.curated),
            f"    mk:acledInter{number} {literal(inter_text)} ;\n" if code is not None else "")
        return side

    def _actor(self, name: str, inter: int | None, is_associated: bool, out: list) -> Node:
        """The graph's actor that `name` matches, else a new one: typed by the inter code of its side unless it
        is an associated actor (ACLED codes the type of actor 1 and 2 only), a party unless that side is
        rioters, protesters or civilians."""
        if name in self._actors:
            return self._actors[name]
        iri, ambiguous = self.ref.match([name], "actor")
        if iri:
            node = Node(iri, self.ref.names.label_of(iri, "actor"), True, term(iri))
            self.summary.actors_matched.add(iri)
        else:
            if ambiguous:
                self.summary.ambiguous.add(name)
            iri = IMPORT_PREFIXES["acled-actor"] + slug(name)
            if iri in self._actor_nodes:  # a spelling of an actor already added (case, punctuation)
                self._actors[name] = self._actor_nodes[iri]
                return self._actor_nodes[iri]
            label = self._new_label(iri, [name, f"{name} (ACLED)", f"{name} ({iri.rsplit('/', 1)[-1]})"])
            node = Node(iri, label, False, term(iri))
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

    def _place(self, cells, out: list, raw: tuple) -> tuple[Node, tuple, list]:
        """The row's location node (written with its new parents first), the ACLED names of the graph nodes
        it matched whose labels differ, and the curated events a record there may report."""
        values = tuple(cells.text(column, required=column in REQUIRED_COLUMNS) for column in PLACE_COLUMNS)
        found = self._rows_at.get(values)
        if found is not None:
            self._rows_at[raw] = found
            return found
        parent, scope, names = None, None, []
        for depth, (column, *_) in enumerate(LEVELS):
            value = values[depth]
            if not value:
                continue
            key = values[:depth + 1]
            node = self._places.get(key)
            if node is None:
                node = self._places[key] = self._place_node(key, depth, parent, scope, cells, out)
            if node.curated:
                self.summary.places_matched.add(node.iri)
                if column == "location" and node.label != value:
                    names.append(value)
                if depth <= 1:
                    scope = node.iri
            parent = node
        found = self._rows_at[values] = self._rows_at[raw] = (parent, tuple(names), self.ref.link_groups(parent))
        return found

    def _place_node(self, key, depth, parent, scope, cells, out) -> Node:
        column, classes, patterns, cls, pattern = LEVELS[depth]
        value = key[-1]

        def fits(iri):
            kinds = self.ref.place_class.get(iri, set())
            right_kind = bool(kinds & classes) if classes else not kinds & _ADMIN
            placed = depth == 0 or iri not in self.ref.place_parent or (scope and self.ref.within(iri, scope))
            return right_kind and bool(placed)

        iri, ambiguous = self.ref.match([p.format(value) for p in patterns], "place", fits)
        if iri:
            return Node(iri, self.ref.names.label_of(iri, "place"), True, term(iri), self.ref.ancestors(iri))
        if ambiguous:
            self.summary.ambiguous.add(value)
        if cls is None:  # admin2: a cercle in Mali, a department elsewhere
            cls, pattern = ("Cercle", "{} Cercle") if normalize(key[0]) == "mali" else ("Department", "{} Department")
        iri = IMPORT_PREFIXES["acled-place"] + "--".join(slug(v) if v else "_" for v in key)
        base = pattern.format(value)
        path = " > ".join(v for v in key if v)
        label = self._new_label(iri, [base, f"{base} ({parent.label})" if parent else base, f"{base} ({path})"])
        geometry = IMPORT_PREFIXES["acled-geometry"] + iri[len(IMPORT_PREFIXES["acled-place"]):]
        point = cells.point() if column == "location" else None
        out.append(block(iri, f"mk:{cls}", [
            ("skos:prefLabel", [literal(label)]),
            ("geo:sfWithin", [parent.term] if parent else []),
            ("mk:placementNote", [literal(f"ACLED {column} \"{value}\" ({path}); added by an ACLED import.")]),
            ("geo:hasGeometry", [term(geometry)] if point else [])]))
        if point:
            out.append(block(geometry, "geo:Geometry", [
                ("geo:asWKT", [f'"POINT({point[1]} {point[0]})"^^geo:wktLiteral']),
                ("dct:source", [term(self.document)])]))
        self.summary.places_new += 1
        return Node(iri, label, False, term(iri), (iri, *(parent.ancestors if parent else ())))

    def _new_label(self, iri: str, candidates) -> str:
        """The first candidate label no other node of the graph or the import has (as names compare)."""
        for label in candidates:
            key = normalize(label)
            if not self.ref.names.has_label(label) and self._new_labels.get(key, iri) == iri:
                self._new_labels[key] = iri
                return label
        raise DataError(f"cannot give <{iri}> a label of its own: {candidates[-1]} is taken")


class Dating:
    """A row's date as ACLED gives it, its bounds, and their Turtle for an event (kept, as most rows share a
    date with others) and for a control (made when asked: few rows give one)."""

    __slots__ = ("text", "earliest", "latest", "unit", "rule", "event_bounds")

    def __init__(self, text: str, earliest: datetime.date, latest: datetime.date, unit: str, rule: str):
        self.text, self.earliest, self.latest, self.unit, self.rule = text, earliest, latest, unit, rule
        first, last = date_literal(earliest), date_literal(latest)
        self.event_bounds = (f"    sem:hasEarliestBeginTimeStamp {first} ;\n    sem:hasLatestBeginTimeStamp {last} ;\n"
                             f"    mk:beginPrecision time:{unit} ;\n    sem:hasEarliestEndTimeStamp {first} ;\n"
                             f"    sem:hasLatestEndTimeStamp {last} ;\n    mk:endPrecision time:{unit} ;\n"
                             f"    mk:dateExpression {literal(text)} ;\n    mk:datingNote {literal(rule + '.')} ;\n")

    @property
    def begin_bounds_and_wording(self) -> str:
        """The lines of a control that begins with the event: its begin bounds and the date's wording."""
        return (f"    sem:hasEarliestBeginTimeStamp {date_literal(self.earliest)} ;\n"
                f"    sem:hasLatestBeginTimeStamp {date_literal(self.latest)} ;\n    mk:beginPrecision time:{self.unit} ;\n"
                f"    mk:dateExpression {literal(self.text)} ;\n    mk:datingNote {literal(self.rule + '.')} ;\n")


@dataclass(frozen=True)
class EventType:
    """A row's event type: the concept, its Turtle, ACLED's sub-event name, the roles of actor 1 and 2,
    whether it gives a control assertion and the victim status of its fatalities."""

    iri: str
    term: str
    sub_name: str
    sub_label: str  # escaped for a Turtle string
    roles: tuple
    control: bool
    victims: str


@dataclass(frozen=True)
class Side:
    """Actor 1 or actor 2 of a row with its associated actors: their IRIs (in order, each once), the inter
    code, the line that gives them each role, the ACLED names of curated actors whose labels differ, the
    curated actors among them (for links) and the side's mk:acledInter line."""

    actors: tuple
    code: int | None
    lines: dict
    names_in_source: tuple
    curated: frozenset
    inter_line: str


class Cells:
    """One row's cells, read and checked by column, with errors that name the row and column."""

    __slots__ = ("number", "row", "index")

    def __init__(self, number: int, row: list, index: dict):
        self.number, self.row, self.index = number, row, index

    def error(self, column: str, problem: str) -> RowError:
        return RowError(f"row {self.number}, column {column}: {problem}")

    def text(self, column: str, required: bool = True) -> str:
        position = self.index.get(column)
        value = self.row[position].strip() if position is not None else ""
        if required and not value:
            raise self.error(column, "empty, but every row needs it")
        return value

    def integer(self, column: str, low: int, high: int | None = None, required: bool = True) -> int | None:
        value = self.text(column, required)
        if not value:
            return None
        digits = value[1:] if value[0] in "+-" else value
        if not (digits.isascii() and digits.isdigit()):
            raise self.error(column, f"'{value}' is not a whole number")
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
        raise self.error(column, f"'{value}' is not a date (2022-06-02 or 02 June 2022)")

    def inter(self, column: str) -> int | None:
        value = self.text(column, required=False)
        if not value or value == "0":
            return None
        code = int(value) if value.isascii() and value.isdigit() else INTER_NAMES.get(normalize(value))
        if code not in INTER_CODES:
            raise self.error(column, f"'{value}' is not an ACLED actor type (1-8, or its name such as Rebel group)")
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
                raise self.error(column, f"'{value}' is not a number") from None
            if not -limit <= number <= limit:
                raise self.error(column, f"{value} is out of range (-{limit} to {limit})")
            values.append(f"{number:.6f}".rstrip("0").rstrip(".") or "0")
        return values[0], values[1]

    def civilian_targeting(self) -> bool | None:
        if "civilian_targeting" in self.index.missing:
            return None
        value = self.text("civilian_targeting", required=False)
        if value and normalize(value) != "civiliantargeting":
            raise self.error("civilian_targeting", f"'{value}' is neither empty nor 'Civilian targeting'")
        return bool(value)

    def timestamp(self) -> int | None:
        """ACLED's timestamp (seconds since 1970, UTC) of the row's version, None when the column is empty."""
        return self.integer("timestamp", 0, 253402300799, required=False)  # up to the last second of 9999


# --- the pieces of the mapping, as functions --------------------------------------------------------
def _is_event_id(text: str) -> bool:
    """ACLED's event ids are ASCII letters and digits, with hyphens and underscores."""
    return text.isascii() and text.replace("-", "").replace("_", "").isalnum()


def import_graph(source_name: str = DEFAULT_SOURCE_NAME) -> str:
    """The IRI of an import's source document, which also names the graph a store keeps the import in: the
    same for every import under the same source name, so that a re-import replaces it."""
    return IMPORT_PREFIXES["acled-source"] + slug(source_name)


def bounds(day: datetime.date, precision: int) -> tuple[datetime.date, datetime.date, str, str]:
    """Earliest and latest day of an event ACLED dates `day` with `precision`, the unit, and the rule."""
    span, unit, rule = PRECISIONS[precision]
    if span is None:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last), unit, rule
    before, after = span
    return day - datetime.timedelta(days=before), day + datetime.timedelta(days=after), unit, rule


def slug(text: str) -> str:
    """A readable, stable IRI part: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x" + hashlib.sha1(text.encode()).hexdigest()[:10]


def literal(text: str) -> str:
    """A plain string literal in Turtle (and N-Triples) syntax: the four characters a quoted string may not
    hold raw are escaped."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


def date_literal(day: datetime.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def datetime_literal(timestamp: int) -> str:
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return f'"{moment.strftime("%Y-%m-%dT%H:%M:%SZ")}"^^xsd:dateTime'


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
class Header(dict):
    """A file's column positions by name; the columns the import reads that the file lacks point at an empty
    cell that `read_rows` appends to every row, and are listed in `missing`."""

    missing: frozenset = frozenset()


def read_rows(path):
    """The rows of an ACLED CSV export as (row number as a spreadsheet shows it, cells, Header), once the
    header has every required column. Each row has as many cells as the header, and one empty cell more."""
    path, number = Path(path), 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            names = next(reader, [])
            missing = [c for c in REQUIRED_COLUMNS if c not in names]
            if missing:
                raise RowError(f"row 1 (the header): missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
            width = len(names)
            header = Header({name: position for position, name in reversed(list(enumerate(names)))})
            header.missing = frozenset(c for c in COLUMNS if c not in header)
            header.update(dict.fromkeys(header.missing, width))
            for number, row in enumerate(reader, start=2):
                if len(row) > width:
                    raise RowError(f"row {number}: more cells than the header has columns")
                if row:
                    if len(row) < width:
                        row += [""] * (width - len(row))
                    row.append("")
                    yield number, row, header
    except csv.Error as error:
        raise RowError(f"row {number + 1}: not valid CSV ({error})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None


def _latest_versions(paths) -> tuple[dict, dict, set]:
    """For a merge: each event id's kept version, (timestamp, file position, row number), the latest by
    ACLED's timestamp (a later file, then a later row, wins a tie); each id's number of versions and set
    of timestamps; and the ids of the last file."""
    kept, versions, in_last = {}, {}, set()
    for position, path in enumerate(paths):
        try:
            for number, row, index in read_rows(path):
                cells = Cells(number, row, index)
                event_id = cells.text("event_id_cnty")
                version = (cells.timestamp() or 0, position, number)
                count, timestamps = versions.get(event_id, (0, frozenset()))
                versions[event_id] = (count + 1, timestamps | {version[0]})
                if event_id not in kept or version > kept[event_id]:
                    kept[event_id] = version
                if position == len(paths) - 1:
                    in_last.add(event_id)
        except RowError as error:
            raise RowError(f"{path}, {error}") from None
    return kept, versions, in_last


class _Writer:
    """Writes text to a file from a thread of its own, so that the disk writes (which release the GIL)
    overlap the mapping of the next rows. A failed write is raised by the next `write` or at the end."""

    def __init__(self, out):
        self.out, self.chunks, self.error = out, queue.Queue(maxsize=4), None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while (chunk := self.chunks.get()) is not None:
            if self.error is None:
                try:
                    self.out.write(chunk)
                except BaseException as error:  # raised in the importing thread
                    self.error = error

    def write(self, chunk: str) -> None:
        if self.error is not None:
            raise self.error
        self.chunks.put(chunk)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, kind, value, traceback):
        self.chunks.put(None)
        self.thread.join()
        if kind is None and self.error is not None:
            raise self.error


def import_acled(csv_paths, output, source_name: str | None = None, kg=None, drop_missing: bool = False) -> ImportSummary:
    """Map ACLED CSV exports onto the graph's model and write them to `output` as Turtle, matching actors and
    places onto `kg` (the bundled graph if None) and linking records to the curated events they report.

    `csv_paths` is one path or several: several are merged, each event id written once in its latest version
    by ACLED's timestamp; `drop_missing` leaves out the events the last export lacks (ACLED deleted them, when
    the last export covers what the earlier ones did). Nothing is written when a row is bad."""
    if kg is None:
        from menaka_kg.api import load
        kg = load()
    paths = [Path(p) for p in ([csv_paths] if isinstance(csv_paths, (str, Path)) else csv_paths)]
    if not paths:
        raise DataError("no ACLED export given")
    check_outputs([output], paths, force=True)  # never over an input; the CLI asks for --force before an existing file
    importer = AcledImporter(GraphReference(kg), source_name or DEFAULT_SOURCE_NAME, [p.name for p in paths])
    summary = importer.summary
    summary.exports = len(paths)
    kept = in_last = None
    if len(paths) > 1:
        kept, versions, in_last = _latest_versions(paths)
        summary.replaced = sum(1 for count, _ in versions.values() if count > 1)
        summary.revised = sum(1 for count, timestamps in versions.values() if len(timestamps) > 1)
    try:
        with atomic_output(output) as handle, _Writer(handle) as out:
            out.write(importer.header())
            pending = []  # rows written 500 at a time
            for position, path in enumerate(paths):
                try:
                    for number, row, index in read_rows(path):
                        if kept is not None:
                            event_id = Cells(number, row, index).text("event_id_cnty")
                            if kept[event_id][1:] != (position, number):
                                continue  # a version that a later one replaces
                            if event_id not in in_last:
                                if drop_missing:
                                    summary.dropped += 1
                                    continue
                                summary.kept_missing += 1
                        pending.append(importer.row(number, row, index))
                        if len(pending) >= 500:
                            out.write("".join(pending))
                            pending.clear()
                except RowError as error:
                    raise RowError(f"{path}, {error}") from None
            out.write("".join(pending) + importer.footer())
    except OSError as error:
        raise DataError(f"cannot write {output}: {error.strerror or error}") from None
    return summary
