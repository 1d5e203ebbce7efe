"""`menaka-kg site`: a static site of the graph that works offline, a page for every place, actor, event,
source document, source section, assertion and claim.

Page paths mirror the IRIs (…/place/tamalat is place/tamalat.html, beside place/tamalat.ttl and
place/tamalat.jsonld), so a redirect service could serve the IRIs from the site. The data comes from the
stored queries (control-periods, control-history, state-at month by month, alliances-at, leaders-of),
whose columns are shown as they come (a column the queries gain later shows up by itself), and from the
internal queries queries/internal/site-*.rq. The pages are Jinja2 templates (menaka_kg/templates/site/);
the search box uses MiniSearch (menaka_kg/vendor/minisearch/). The output folder is built beside the
target and renamed into place at the end (docs/site.md).
"""

import json
import os
import posixpath
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from markupsafe import Markup

from menaka_kg import basemap, resources
from menaka_kg.maps import parse_point
from menaka_kg.errors import OutputError
from menaka_kg.prefixes import BASE, MK, PREFIXES, shorten

KINDS = ("place", "actor", "event", "document", "section", "assertion", "claim")
KIND_NAMES = {"place": "place", "actor": "actor", "event": "event", "document": "source document",
              "section": "source section", "assertion": "assertion", "claim": "claim"}
SEARCHED = ("place", "actor", "event")
MARKER = ".menaka-kg-site"  # in every folder this module writes: only such a folder is replaced
ALL_TIME = "../9999"
_VOCABULARY = tuple(PREFIXES[p] for p in ("mk", "mkc", "evtype"))  # terms of the model, not things in it
_TEMPLATES = Path(__file__).resolve().parent / "templates" / "site"
_VENDOR = Path(__file__).resolve().parent / "vendor"
_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD_STRING = PREFIXES["xsd"] + "string"
HEADERS = {"begin": "begin (earliest)", "beginLatest": "begin (latest)", "end": "end (earliest)",
           "endLatest": "end (latest)", "presumedUntil": "presumed until", "otherParty": "other party",
           "dateLatest": "date (latest)", "figureText": "the source's words", "lowerBound": "at least",
           "asOf": "as of", "roleTitle": "title"}
LOCATOR_WIDTH = 640
OVERVIEW_NAMES = 60  # the front page's map names its places when it has at most this many
MAX_MONTHS = 240  # "who held it" goes month by month over at most 20 years, else year by year
# state-at's columns that the month-by-month table leaves to the control periods' table
MONTH_HIDDEN = ("place", "begin", "beginLatest", "end", "endLatest", "kind", "mode", "claimant", "source")


def page_path(iri: str) -> str:
    """The page of an IRI, without extension: place/tamalat for https://w3id.org/menaka-kg/place/tamalat;
    an IRI outside the graph's namespace goes under other/ (its host and path, each segment quoted)."""
    rest = iri[len(BASE):] if iri.startswith(BASE) else "other/" + iri.split("://", 1)[-1]
    segments = [quote(segment, safe="-_.~") or "_" for segment in rest.replace("#", "/").split("/")]
    return "/".join("_" + s if s in (".", "..") else s for s in segments)


def _value(term) -> str | None:
    if term is None:
        return None
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def records(results) -> list[dict]:
    """A query's rows as dicts of variable to term (a missing binding left out)."""
    return [{var: term for var, term in zip(results.variables, row) if term is not None} for row in results.rows]


# --- what a page shows ---------------------------------------------------------------------------------

def cell(text: str, href: str | None = None, title: str | None = None, external: bool = False) -> str:
    """The HTML of a table cell or a fact: a link to a page, a link out (marked ↗) or text; every text
    escaped here (the templates print it as it is)."""
    text = escape(text)
    extra = f' title="{escape(title)}"' if title else ""
    if href and external:
        return f'<a class="out" href="{escape(href)}" rel="noopener">{text}</a>'
    if href:
        return f'<a href="{escape(href)}"{extra}>{text}</a>'
    return f"<span{extra}>{text}</span>" if extra else text


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # cells' HTML
    attributes: list[dict] = field(default_factory=list)  # data- attributes of each row

    def html(self) -> Markup:
        """The table (in its scrolling frame), built here rather than in a template: a site of a million
        triples has millions of cells."""
        head = "".join(f"<th>{escape(h)}</th>" for h in self.headers)
        body = []
        for index, row in enumerate(self.rows):
            data = "".join(f' data-{key}="{escape(str(value))}"' for key, value in self.attributes[index].items()) \
                if self.attributes else ""
            body.append(f"<tr{data}><td>" + "</td><td>".join(row) + "</td></tr>")
        return Markup(f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
                      + "\n".join(body) + "\n</tbody>\n</table></div>")


@dataclass
class Section:
    title: str
    anchor: str
    intro: str = ""
    facts: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, cells' HTML)
    table: Table | None = None
    collapsed: bool = False
    empty: str = ""


@dataclass
class Node:
    iri: str
    kind: str
    label: str
    classes: list[tuple[str, str]]  # (IRI, label)
    description: str | None
    path: str = ""  # its page, without extension (page_path)

    def __post_init__(self):
        self.path = page_path(self.iri)

    @property
    def class_label(self) -> str:
        return self.classes[0][1] if self.classes else KIND_NAMES[self.kind]


@dataclass
class Summary:
    folder: Path
    pages: dict[str, int]
    seconds: float

    def __str__(self):
        counts = ", ".join(f"{n} {KIND_NAMES[k]}{'s' if n != 1 else ''}" for k, n in self.pages.items() if n)
        return f"{sum(self.pages.values())} pages ({counts}) in {self.seconds:.1f} s"


class Site:
    """Everything the pages show, read from the graph once."""

    def __init__(self, kg):
        self.kg = kg
        self.nodes: dict[str, Node] = {}
        for row in records(kg.sparql(resources.internal_query("site-pages"))):
            iri, klass = row["node"].value, (row["class"].value, _value(row.get("classLabel")) or shorten(row["class"].value))
            if iri in self.nodes:
                self.nodes[iri].classes.append(klass)
                continue
            self.nodes[iri] = Node(iri, row["kind"].value, _value(row.get("label")) or shorten(iri), [klass],
                                   _value(row.get("description")))
        self.labels = {iri: node.label for iri, node in self.nodes.items()}
        self._statements()
        self._names()

    # --- shared lookups ---
    def _statements(self):
        self.statements = defaultdict(list)  # subject key -> triples
        self.parts_of = defaultdict(list)  # document -> its sections
        part_of = PREFIXES["dct"] + "isPartOf"
        label_properties = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label")  # of concepts, terms
        for subject, predicate, obj in kg_rows(self.kg, "site-statements"):
            self.statements[_value(subject)].append(ox.Triple(subject, predicate, obj))
            if predicate.value == part_of and subject.value in self.nodes:
                self.parts_of[obj.value].append(subject.value)
            elif predicate.value in label_properties:
                self.labels.setdefault(subject.value, obj.value)

    def _names(self):
        self.names = defaultdict(lambda: {"pref": [], "alt": [], "probable": [], "acled": []})
        for row in records(self.kg.sparql(resources.internal_query("names"))):
            self.names[row["node"].value][row["labelKind"].value].append(row["label"].value)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _short(iri)

    def page_triples(self, iri: str) -> list[ox.Triple]:
        """The node's own triples and those of the blank nodes and geometries it points to (which have no
        page of their own), sorted."""
        found, seen, todo = [], {iri}, [iri]
        while todo:
            for triple in self.statements.get(todo.pop(), []):
                found.append(triple)
                obj = triple.object
                key = _value(obj)
                attached = isinstance(obj, ox.BlankNode) or (
                    isinstance(obj, ox.NamedNode) and obj.value.startswith(BASE) and obj.value not in self.nodes
                    and not obj.value.startswith(_VOCABULARY) and triple.predicate.value != _RDF_TYPE)
                if attached and key not in seen and key in self.statements:
                    seen.add(key)
                    todo.append(key)
        return sorted(found, key=str)

    def link(self, term, from_path: str, label: str | None = None) -> str:
        """A cell for a term: a link to its page when it has one, an outside link for other web IRIs."""
        if term is None:
            return cell("")
        if isinstance(term, ox.NamedNode):
            iri = term.value
            text = label or self.label(iri)
            if iri in self.nodes:
                return cell(text, relative(from_path, self.nodes[iri].path + ".html"), title=_short(iri))
            if iri.startswith(("http://", "https://")) and not iri.startswith(_VOCABULARY) and text == shorten(iri):
                return cell(iri, iri, external=True)
            return cell(text, title=iri)
        if isinstance(term, ox.BlankNode):
            return cell(f"_:{term.value}")
        return cell(" ".join(term.value.split()))

    def table(self, rows: list[dict], variables: list[str], from_path: str, hide=()) -> Table:
        """A table of query rows, column by column as the query gives them: an IRI column shows its
        ...Label column's text and links to its page (so a column the queries gain later, such as a
        standing or a `via`, shows up without a change here)."""
        shown = [v for v in variables if v not in hide and not (v.endswith("Label") and v[:-5] in variables)]
        headers = [HEADERS.get(v, v) for v in shown]
        body = []
        for row in rows:
            cells = []
            for var in shown:
                label = row.get(var + "Label")
                cells.append(self.link(row.get(var), from_path, _value(label)))
            body.append(cells)
        return Table(headers, body)


def kg_rows(kg, name: str):
    return kg.sparql(resources.internal_query(name)).rows


def relative(from_path: str, to_file: str) -> str:
    """The link from the page `from_path` (no extension) to the file `to_file`, both site-relative: up to
    the site's root, then down."""
    return "../" * from_path.count("/") + to_file


@lru_cache(maxsize=None)
def _short(iri: str) -> str:
    return shorten(iri)


# --- the data of each kind of page -----------------------------------------------------------------

def _group(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        if key in row:
            grouped[row[key].value].append(row)
    return grouped


def steps(first: date, last: date) -> list[str]:
    """The months from `first` to `last` as date parameters (2022-03); years (2022) when that would be
    more than MAX_MONTHS of them."""
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        return [f"{year:04d}" for year in range(first.year, last.year + 1)]
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first.year * 12 + first.month - 1, last.year * 12 + last.month)]


def _step_words(step: str) -> str:
    return step if len(step) == 4 else date.fromisoformat(step + "-01").strftime("%B %Y")


class Content:
    """The query answers every page draws from, grouped by the node they are about."""

    def __init__(self, kg, site: Site):
        query = kg.query
        periods = query("control-periods")
        self.period_variables = periods.variables
        period_rows = records(periods)
        self.periods_by_place = _group(period_rows, "place")
        self.periods_by_controller = _group(period_rows, "controller")
        self.history = {}
        for place in self.periods_by_place:
            answer = query("control-history", place=place)
            self.history[place] = (answer.variables, records(answer))
        self.month_readings = self._month_readings(kg, period_rows)
        relations = query("alliances-at", date=ALL_TIME)
        self.relation_variables = relations.variables
        self.relations_by_party = _group(records(relations), "party")
        self.leaders = {}
        for group in kg.sparql(resources.internal_query("led-groups")).column("group"):
            answer = query("leaders-of", actor=group)
            self.leaders[group] = (answer.variables, records(answer))
        events = kg.sparql(resources.internal_query("site-events"))
        self.event_variables = events.variables
        self.event_rows = _group(records(events), "event")
        self.events_at_place = defaultdict(list)
        self.parts = defaultdict(list)
        for iri, rows in self.event_rows.items():
            for row in rows:
                if "place" in row:
                    self.events_at_place[row["place"].value].append(iri)
                if "partOf" in row:
                    self.parts[row["partOf"].value].append(iri)
        self.within = defaultdict(set)  # area -> places within it, itself included
        for area, place in kg_rows(kg, "site-within"):
            self.within[area.value].add(place.value)
        participants = kg.sparql(resources.internal_query("site-participants"))
        self.participant_variables = participants.variables
        participant_rows = records(participants)
        self.participants = _group(participant_rows, "event")
        self.events_of_actor = _group(participant_rows, "actor")
        claims = kg.sparql(resources.internal_query("site-claims"))
        self.claim_variables = claims.variables
        claim_rows = records(claims)
        self.claims_by_event = _group(claim_rows, "event")
        self.claims_by_place = _group(claim_rows, "place")
        self.read_from = _group(records(kg.sparql(resources.internal_query("site-read-from"))), "section")
        self.places = {row["place"]: row for row in kg.sparql(resources.internal_query("map-places"))}
        self.parents = defaultdict(set)
        self.children = defaultdict(set)
        for row in kg.sparql(resources.internal_query("place-hierarchy")):
            if row.get("parent"):
                self.parents[row["place"]].add(row["parent"])
                self.children[row["parent"]].add(row["place"])

    @staticmethod
    def _month_readings(kg, period_rows) -> dict[str, list[tuple[int, str, list[dict], list[str]]]]:
        """For every place, its state-at rows month by month (steps), from the first month any control may
        have begun to the last month of the graph's dated facts."""
        days = [row[key].value for row in period_rows for key in ("begin", "beginLatest") if key in row]
        if not days:
            return {}
        span_end = next(iter(kg.sparql(resources.internal_query("info-span"))))["to"]
        last = max(date.fromisoformat(max(days)), span_end or date.fromisoformat(max(days)))
        readings = defaultdict(list)
        for index, step in enumerate(steps(date.fromisoformat(min(days)), last)):
            answer = kg.query("state-at", date=step)
            for place, rows in _group(records(answer), "place").items():
                readings[place].append((index, step, rows, answer.variables))
        return readings


# --- pages ------------------------------------------------------------------------------------------------

def _statements_section(site: Site, node: Node) -> Section:
    rows = []
    for triple in site.page_triples(node.iri):
        rows.append([site.link(triple.subject, node.path) if triple.subject.value != node.iri else cell("this"),
                     cell(site.label(triple.predicate.value), title=triple.predicate.value),
                     site.link(triple.object, node.path)])
    return Section("Every statement of this page's data", "statements",
                   intro="The node's own triples, as in this page's Turtle and JSON-LD.",
                   table=Table(["subject", "property", "value"], rows), collapsed=True)


def _names_fact(site: Site, node: Node) -> list[tuple[str, list[str]]]:
    names = site.names.get(node.iri)
    facts = []
    if names and names["alt"]:
        facts.append(("Also written", [cell(name) for name in names["alt"]]))
    if names and names["probable"]:
        facts.append(("Probably also", [cell(name) for name in names["probable"]]))
    if names and names["acled"]:  # a data set's name, never a spelling of the sources (data/ttl/acled-names.ttl)
        facts.append(("Named in ACLED", [cell(name) for name in names["acled"]]))
    return facts


def _overview(site: Site, node: Node) -> Section:
    facts = [("Kind", [cell(label) for _, label in node.classes])] + _names_fact(site, node)
    if node.description:
        facts.append(("Description", [cell(node.description)]))
    return Section("", "about", facts=facts)


def _source_facts(site: Site, node: Node) -> list[tuple[str, list[str]]]:
    """Source section, claimant and mode of an event, assertion or claim (its own triples)."""
    wanted = {PREFIXES["prov"] + "wasDerivedFrom": "Source section", PREFIXES["mk"] + "alsoStatedIn": "Also stated in",
              PREFIXES["prov"] + "wasAttributedTo": "Who says so", MK + "assertionMode": "Mode"}
    found = defaultdict(list)
    for triple in site.statements.get(node.iri, []):
        if triple.predicate.value in wanted:
            found[wanted[triple.predicate.value]].append(site.link(triple.object, node.path))
    return [(name, found[name]) for name in wanted.values() if found[name]]


def place_sections(site: Site, content: Content, node: Node) -> list[Section]:
    iri, path = node.iri, node.path
    overview = _overview(site, node)
    ups, frontier = [], sorted(content.parents.get(iri, ()))
    while frontier:  # the chain of parents up to the top
        parent = frontier[0]
        if parent in ups:
            break
        ups.append(parent)
        frontier = sorted(content.parents.get(parent, ()))
    if ups:
        overview.facts.append(("Lies within", [site.link(ox.NamedNode(p), path) for p in ups]))
    children = sorted(content.children.get(iri, ()), key=site.label)
    if children:
        overview.facts.append(("Places within it", [site.link(ox.NamedNode(c), path) for c in children]))
    point = content.places.get(iri, {}).get("wkt")
    overview.facts.append(("Coordinates", [cell(point or "none in the gazetteer (not on a map; none guessed)")]))
    sections = [overview]

    table = None
    for first, last, rows, variables in _merge_months(content.month_readings.get(iri, [])):
        when = _step_words(first) if first == last else f"{_step_words(first)} – {_step_words(last)}"
        part = site.table(rows, variables, path, hide=MONTH_HIDDEN)
        for index, cells in enumerate(part.rows):
            part.attributes.append({"from": first, "to": last, "controller": _value(rows[index].get("controller")) or "",
                                    "first": "yes" if index == 0 else "no"})
            cells.insert(0, cell(when if index == 0 else ""))
        if table is None:
            table = Table(["when"] + part.headers, [], [])
        table.rows += part.rows
        table.attributes += part.attributes
    sections.append(Section("Who held it, month by month", "held", table=table,
                            intro="The stored query state-at, asked for each month (each year when the graph spans more "
                                  "than 20 years): every control that may hold in the month, best reading first, "
                                  "with how certain it is; each links to its assertion (the bounds, mode and source "
                                  "are under Control periods).",
                            empty="No control of this place is recorded."))
    periods = content.periods_by_place.get(iri, [])
    if periods:
        sections.append(Section("Control periods", "periods", table=site.table(periods, content.period_variables, path,
                                                                              hide=("place", "region")),
                                intro="The stored query control-periods for this place: every control assertion "
                                      "with its four time bounds, its source section and its assertion."))
    if iri in content.history:
        variables, rows = content.history[iri]
        sections.append(Section("Every change of hands, as each source tells it", "history",
                                table=site.table(rows, variables, path), collapsed=True,
                                intro="The stored query control-history: here certainty is the source's mode."))
    within = content.within.get(iri, {iri})
    events = sorted({e for place in within for e in content.events_at_place.get(place, ())},
                    key=lambda e: _event_sort_key(content.event_rows[e][0]))
    rows = [row for e in events for row in content.event_rows[e] if row.get("place") and row["place"].value in within]
    rows = _dedupe(rows, ("event", "place"))
    sections.append(Section("Events here and within it, in time order", "events",
                            table=site.table(rows, ["begin", "beginLatest", "event", "eventLabel", "type", "typeLabel",
                                                    "place", "placeLabel", "mode", "modeLabel", "source", "sourceLabel"],
                                             path) if rows else None,
                            empty="No event is recorded here."))
    claim_rows = [row for e in events for row in content.claims_by_event.get(e, []) if row["about"] == row["event"]]
    claim_rows += [row for place in within for row in content.claims_by_place.get(place, [])]
    claim_rows = _dedupe(claim_rows, ("claim",))
    if claim_rows:
        sections.append(Section("Figures and statements about it and its events", "figures",
                                table=site.table(claim_rows, _claim_columns(content, "about", "place"), path)))
    return sections


def _dedupe(rows, keys):
    seen, kept = set(), []
    for row in rows:
        key = tuple(_value(row.get(k)) for k in keys)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _claim_columns(content: Content, *about) -> list[str]:
    skip = {"event", "about", "aboutLabel", "place", "placeLabel"} - {c for a in about for c in (a, a + "Label")}
    return [v for v in content.claim_variables if v not in skip]


def _event_sort_key(row) -> tuple:
    return (_value(row.get("begin")) or _value(row.get("beginLatest")) or "0001", _value(row.get("beginLatest")) or "9999",
            _value(row.get("eventLabel")) or "")


def _merge_months(readings):
    """Consecutive steps with the same readings, as (first, last, rows, variables)."""
    merged = []
    for index, step, rows, variables in readings:
        key = [tuple(_value(row.get(v)) for v in variables if v != "place") for row in rows]
        if merged and merged[-1][4] == key and merged[-1][5] == index - 1:
            merged[-1][1], merged[-1][5] = step, index
        else:
            merged.append([step, step, rows, variables, key, index])
    return [(first, last, rows, variables) for first, last, rows, variables, _, _ in merged]


def actor_sections(site: Site, content: Content, node: Node) -> list[Section]:
    iri, path = node.iri, node.path
    sections = [_overview(site, node)]
    if iri in content.leaders:
        variables, rows = content.leaders[iri]
        sections.append(Section("Leaders over time", "leaders", table=site.table(rows, variables, path),
                                intro="The stored query leaders-of, over all time."))
    relations = content.relations_by_party.get(iri, [])
    if relations:
        sections.append(Section("Relations over time", "relations",
                                table=site.table(relations, content.relation_variables, path, hide=("party", "certainty")),
                                intro="The stored query alliances-at over all time: every relation and membership of "
                                      "this actor, with its bounds, mode, claimant and source section."))
    held = content.periods_by_controller.get(iri, [])
    if held:
        sections.append(Section("Places it held over time", "held",
                                table=site.table(held, content.period_variables, path, hide=("controller", "region")),
                                intro="The stored query control-periods: every control assertion naming this actor "
                                      "among its controllers."))
    events = sorted(content.events_of_actor.get(iri, []),
                    key=lambda row: _event_sort_key(content.event_rows.get(row["event"].value, [{}])[0]))
    rows = []
    for row in events:
        first = content.event_rows.get(row["event"].value, [{}])[0]
        rows.append({**{k: v for k, v in first.items() if k in ("begin", "beginLatest", "event", "eventLabel",
                                                                   "type", "typeLabel", "source", "sourceLabel")},
                     "role": row["role"], "roleLabel": row.get("roleLabel")})
    sections.append(Section("Events it took part in", "events",
                            table=site.table(rows, ["begin", "beginLatest", "event", "eventLabel", "role", "roleLabel",
                                                    "type", "typeLabel", "source", "sourceLabel"], path) if rows else None,
                            empty="No event names it."))
    return sections


def event_sections(site: Site, content: Content, node: Node) -> list[Section]:
    iri, path = node.iri, node.path
    overview = _overview(site, node)
    rows = content.event_rows.get(iri, [{}])
    first = rows[0]
    if first.get("dateExpression"):
        overview.facts.append(("When, in the source's words", [cell(first["dateExpression"].value)]))
    bounds = [(HEADERS[key], _value(first.get(key)) or "not given") for key in ("begin", "beginLatest", "end", "endLatest")]
    overview.facts.append(("When, as bounds", [cell(f"{name}: {value}") for name, value in bounds]))
    for title, key in (("Type", "type"), ("Where", "place"), ("Part of", "partOf")):
        terms = list({row[key].value: row[key] for row in rows if key in row}.values())
        if terms:
            overview.facts.append((title, [site.link(term, path) for term in terms]))
    if content.parts.get(iri):
        parts = sorted(set(content.parts[iri]), key=lambda e: _event_sort_key(content.event_rows[e][0]))
        overview.facts.append(("Its parts", [site.link(ox.NamedNode(e), path) for e in parts]))
    overview.facts += _source_facts(site, node)
    sections = [overview]
    participants = content.participants.get(iri, [])
    sections.append(Section("Who took part", "participants",
                            table=site.table(participants, ["role", "roleLabel", "actor", "actorLabel"], path)
                            if participants else None, empty="No participant is named."))
    claims = content.claims_by_event.get(iri, [])
    sections.append(Section("Every claim about it, side by side", "claims",
                            table=site.table(claims, _claim_columns(content, "about"), path) if claims else None,
                            intro="Figures and statements about the event and its parts, from every claimant, "
                                  "each with its mode and source section.",
                            empty="No figure or statement is about it."))
    return sections


def source_sections(site: Site, content: Content, node: Node) -> list[Section]:
    iri, path = node.iri, node.path
    overview = _overview(site, node)
    labels = {PREFIXES["dct"] + "title": "Title", PREFIXES["dct"] + "publisher": "Publisher",
              PREFIXES["dct"] + "isPartOf": "Part of", MK + "sectionPath": "Section",
              "http://xmlns.com/foaf/0.1/page": "Web page",
              MK + "coverageNote": "What was left out"}
    for triple in site.statements.get(iri, []):
        if triple.predicate.value in labels:
            overview.facts.append((labels[triple.predicate.value], [site.link(triple.object, path)]))
    sections = [overview]
    if node.kind == "document":
        parts = sorted(site.parts_of.get(iri, ()), key=site.label)
        rows = [[site.link(ox.NamedNode(s), path), cell(str(len(content.read_from.get(s, []))))] for s in parts]
        sections.append(Section("Its sections", "sections", table=Table(["section", "nodes read from it"], rows)
                                if rows else None, empty="No section of it is in the graph."))
    read = content.read_from.get(iri, [])
    if node.kind == "section" or read:
        rows = [[cell(KIND_NAMES.get(site.nodes[r["node"].value].kind, "") if r["node"].value in site.nodes else ""),
                 site.link(r["node"], path), cell(r["how"].value)] for r in read]
        sections.append(Section("What was read from it", "read", table=Table(["kind", "node", "how"], rows)
                                if rows else None, empty="Nothing in the graph cites it."))
    return sections


def statement_sections(site: Site, content: Content, node: Node) -> list[Section]:
    """An assertion or a claim: what it says is its statements; here its source first."""
    overview = _overview(site, node)
    overview.facts += _source_facts(site, node)
    return [overview]


SECTIONS = {"place": place_sections, "actor": actor_sections, "event": event_sections, "document": source_sections,
            "section": source_sections, "assertion": statement_sections, "claim": statement_sections}


# --- JSON-LD and Turtle -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _namespace(iri: str) -> str | None:
    """The prefix of our context whose namespace the IRI is in, if any."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("/"):
            return prefix
    return None


def _curie(iri: str) -> str:
    prefix = _namespace(iri)
    return f"{prefix}:{iri[len(PREFIXES[prefix]):]}" if prefix else iri


def _jsonld_value(term):
    if isinstance(term, ox.NamedNode):
        return {"@id": _curie(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _curie(term.datatype.value)}


def jsonld(triples, context: dict) -> dict:
    """The triples as compact JSON-LD with our context: one node object per subject, prefixed names."""
    nodes = {}
    for triple in triples:
        node = nodes.setdefault(_value(triple.subject), {"@id": _jsonld_value(triple.subject)["@id"]})
        if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(_curie(triple.object.value))
        else:
            node.setdefault(_curie(triple.predicate.value), []).append(_jsonld_value(triple.object))
    objects = list(nodes.values())
    if len(objects) == 1:
        return {"@context": context, **objects[0]}
    return {"@context": context, "@graph": objects}


def turtle(triples) -> bytes:
    """The triples as Turtle, with the prefixes of our context that they use."""
    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object) if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    used = {prefix: PREFIXES[prefix] for prefix in {_namespace(iri) for iri in iris} if prefix}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(sorted(used.items())))


# --- writing ----------------------------------------------------------------------------------------------

def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    environment = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return environment


class Writer:
    """Writes the pages into a folder (a fresh one: see write_site)."""

    def __init__(self, kg, folder: Path):
        self.folder = folder
        self.site = Site(kg)
        self.content = Content(kg, self.site)
        self.environment = _environment()
        self.context = json.loads(resources.jsonld_context().read_text(encoding="utf-8"))["@context"]
        self.extent = basemap.Extent.around([p for p in (self._point(iri) for iri in self.site.nodes) if p])
        self.projection = basemap.SvgProjection(self.extent, LOCATOR_WIDTH)
        self._folders = set()

    def _point(self, iri):
        return parse_point(self.content.places.get(iri, {}).get("wkt"))

    def write(self, path: str, content: str | bytes) -> None:
        target = self.folder / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)

    def render(self, template: str, path: str, **values) -> None:
        root = "../" * path.count("/")
        self.write(path + ".html", self.environment.get_template(template).render(root=root, path=path, **values))

    def run(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for node in self.site.nodes.values():
            self.node_page(node)
            counts[node.kind] += 1
        self.assets()
        self.lists()
        self.write(MARKER, "A site written by menaka-kg site: menaka-kg may replace this folder.\n")
        return counts

    def node_page(self, node: Node) -> None:
        triples = self.site.page_triples(node.iri)
        document = json.dumps(jsonld(triples, self.context), ensure_ascii=False)
        self.write(node.path + ".ttl", turtle(triples))
        self.write(node.path + ".jsonld", document + "\n")
        sections = SECTIONS[node.kind](self.site, self.content, node)
        sections.append(_statements_section(self.site, node))
        point = self._point(node.iri)
        locator = self.projection.percent(*point) if point else None
        self.render("node.html", node.path, node=node, kind_name=KIND_NAMES[node.kind], sections=sections,
                    jsonld=Markup(document.replace("</", "<\\/")), iri=node.iri, locator=locator, basename=posixpath.basename(node.path))

    def assets(self) -> None:
        script = (_VENDOR / "minisearch" / "minisearch.js").read_text(encoding="utf-8")
        self.write("assets/minisearch.js", "\n".join(line for line in script.splitlines()
                                                      if not line.startswith("//# sourceMappingURL")) + "\n")
        for name in ("site.css", "search.js"):
            self.write(f"assets/{name}", (_TEMPLATES / name).read_text(encoding="utf-8"))
        documents = []
        for node in self.site.nodes.values():
            if node.kind in SEARCHED:
                names = self.site.names.get(node.iri, {})
                others = [n for kind in ("pref", "alt", "probable", "acled") for n in names.get(kind, []) if n != node.label]
                documents.append({"id": len(documents), "t": node.label, "n": " ".join(others), "k": node.kind,
                                  "c": self._context(node), "p": node.path + ".html"})
        self.write("assets/search-index.js", "window.MENAKA_SEARCH = "
                   + json.dumps(documents, ensure_ascii=False, separators=(",", ":")) + ";\n")
        self.write("assets/basemap.svg", basemap.svg(self.projection))

    def overview(self) -> Markup:
        """The front page's map: the basemap with a dot linking to each place that has a point (named
        when there are few enough to read)."""
        placed = [(node, point) for node in self.site.nodes.values()
                  if node.kind == "place" and (point := self._point(node.iri))]
        dots = []
        for node, point in sorted(placed, key=lambda item: item[0].label):
            x, y = self.projection.xy(*point)
            name = (f'<text x="{x + 7:.1f}" y="{y + 4:.1f}" font-size="12" fill="#222" stroke="white" '
                    f'stroke-width="3" paint-order="stroke">{escape(node.label)}</text>' if len(placed) <= OVERVIEW_NAMES else "")
            dots.append(f'<a href="{node.path}.html"><circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#d55e00" '
                        f'stroke="white" stroke-width="1.5"/>{name}<title>{escape(node.label)}</title></a>')
        return Markup(basemap.svg(self.projection, "".join(dots)).replace("<svg ", '<svg class="overview" ', 1))

    def _context(self, node: Node) -> str:
        if node.kind == "place":
            place = self.content.places.get(node.iri, {})
            return ", ".join(n for n in (node.class_label, place.get("regionLabel"), place.get("countryLabel")) if n)
        if node.kind == "event":
            first = self.content.event_rows.get(node.iri, [{}])[0]
            return " ".join(n for n in (_value(first.get("begin")) or _value(first.get("beginLatest")),
                                        _value(first.get("placeLabel"))) if n)
        return node.class_label

    def lists(self) -> None:
        by_kind = defaultdict(list)
        for node in self.site.nodes.values():
            by_kind[node.kind].append(node)
        groups = {}
        groups["places"] = _grouped(by_kind["place"], lambda n: self.content.places.get(n.iri, {}).get("countryLabel")
                                    or "Not in a country of the graph", lambda n: (self._context(n), n.label))
        groups["actors"] = _grouped(by_kind["actor"], lambda n: n.class_label, lambda n: n.label.casefold())
        groups["events"] = _grouped(by_kind["event"], lambda n: (self._context(n)[:4] or "Undated"),
                                    lambda n: _event_sort_key(self.content.event_rows.get(n.iri, [{}])[0]))
        groups["sources"] = _grouped(by_kind["document"] + by_kind["section"], lambda n: KIND_NAMES[n.kind].capitalize() + "s",
                                     lambda n: n.label)
        groups["statements"] = _grouped(by_kind["assertion"] + by_kind["claim"], lambda n: n.class_label.capitalize(),
                                        lambda n: n.label)
        titles = {"places": "Places", "actors": "Actors", "events": "Events", "sources": "Sources",
                  "statements": "Assertions and claims"}
        for name, grouped in groups.items():
            self.render("list.html", name, title=titles[name],
                        groups=[(heading, [(n, self._context(n)) for n in nodes]) for heading, nodes in grouped])
        counts = {name: sum(len(nodes) for _, nodes in grouped) for name, grouped in groups.items()}
        span = next(iter(self.site.kg.sparql(resources.internal_query("info-span"))))
        self.render("index.html", "index", titles=titles, counts=counts, span=span, overview=self.overview(),
                    sources=[n for n in by_kind["document"]])
        self.render("about.html", "about")


def _grouped(nodes, heading, order):
    groups = defaultdict(list)
    for node in nodes:
        groups[heading(node)].append(node)
    return [(name, sorted(groups[name], key=order)) for name in sorted(groups, key=str)]


# --- the output folder ------------------------------------------------------------------------------------

def check_output(output, inputs=(), force: bool = False) -> Path:
    """The output folder (absolute), refused when it is or holds an input, when it is a folder menaka-kg
    did not write, or when it is a site menaka-kg wrote and `force` is not given (the one rule for existing
    outputs, menaka_kg.files.check_outputs)."""
    target = Path(os.path.abspath(output))
    real = Path(os.path.realpath(target))
    for item in list(inputs) + resources.bundled_files():
        if str(item) == "-":
            continue
        found = Path(os.path.realpath(item))
        if found == real or real in found.parents:
            raise OutputError(f"cannot write the site to {output}: it holds an input ({item})")
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"cannot write the site to {output}: it is a file")
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise OutputError(f"cannot write the site to {output}: the folder is not empty and is not a site "
                              "menaka-kg wrote; give a new folder")
        if any(target.iterdir()) and not force:
            raise OutputError(f"{output} holds a site already; use --force to replace it")
    parent = real.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write the site to {output}: {parent} is not a writable folder")
    return target


def write_site(kg, output, inputs=(), force: bool = False) -> Summary:
    """Build the site in a new folder beside `output`, then put it in place of `output` in one rename
    (an older site there, with `force`, is moved aside and deleted); a failure leaves `output` as it was."""
    start = time.perf_counter()
    target = check_output(output, inputs, force)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        pages = Writer(kg, temporary).run()
        os.chmod(temporary, 0o777 & ~_umask())
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / "site")
        os.replace(temporary, target)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return Summary(target, pages, time.perf_counter() - start)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

