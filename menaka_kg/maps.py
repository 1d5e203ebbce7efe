"""Maps of who held what at a date: an offline HTML page (Leaflet), a PNG for reports, GeoJSON for GIS.

Every place with a gazetteer point is drawn there, split between its controllers at the date (the rows of
the stored query state-at) and shaded by certainty; places without a point are listed beside the map.
folium and matplotlib are imported only when a picture is drawn.
"""

import itertools
import json
import math
import os
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from menaka_kg import basemap, resources
from menaka_kg.colours import CERTAINTY_ALPHA, actor_colour
from menaka_kg.errors import BadDate, OutputError, shown
from menaka_kg.periods import OPEN_END, OPEN_START, Period, parse_period
from menaka_kg.prefixes import MK

FORMATS = {".html": "html", ".png": "png", ".geojson": "geojson"}
MAX_SERIES = 240  # maps in one series: twenty years of months
CERTAINTIES = tuple(CERTAINTY_ALPHA)  # definite, presumed, possible: strongest first
LEADING = ("best", "tied")  # the standings a map draws; the others are in the place's table
NO_CONTROL_COLOUR = "#777777"
BASEMAP_NOTE = (f"The background is offline: {basemap.SOURCE_NOTE}. Regions the graph holds control of are "
                "drawn as areas where Natural Earth has their boundary.")
# A WKT point, longitude first (the default CRS84, or it named explicitly); any other literal is no point.
_POINT = re.compile(r"^\s*(?:<http://www\.opengis\.net/def/crs/OGC/1\.3/CRS84>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$",
                    re.IGNORECASE)
_LEAFLET = Path(__file__).resolve().parent / "vendor" / "leaflet"


@dataclass(frozen=True)
class Place:
    """A place of the graph, with its point (longitude, latitude) when the gazetteer gives one."""

    iri: str
    name: str
    type_iri: str
    type_name: str
    region: str | None
    region_name: str | None
    country: str | None
    country_name: str | None
    point: tuple[float, float] | None

    @property
    def context(self) -> str:
        """'Ménaka Region, Mali': where the place lies, as far as the graph says (a region: its country)."""
        if self.type_iri in (MK + "Region", MK + "Country"):
            return self.country_name or self.name
        return ", ".join(name for name in (self.region_name or "region unknown", self.country_name) if name)


@dataclass(frozen=True)
class Controller:
    """One actor holding a place at the date, with the strongest certainty among its assertions."""

    iri: str
    name: str
    certainty: str

    @property
    def colour(self) -> str:
        return actor_colour(self.iri)


@dataclass
class PlaceState:
    """A place and the state-at rows about it (one per controller of each control assertion)."""

    place: Place
    rows: list[dict]

    def controllers(self) -> list[Controller]:
        """Each controller of the best readings (best or tied, docs/time.md) once, strongest certainty
        first, then by name; alternative and contradicted readings are listed, not drawn."""
        best = {}
        leading = [row for row in self.rows if row.get("standing") in LEADING] or self.rows
        for row in leading:
            rank = CERTAINTIES.index(row["certainty"])
            iri = row["controller"]
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, row.get("controllerLabel") or iri)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], item[1][1]))
        return [Controller(iri, name, CERTAINTIES[rank]) for iri, (rank, name) in ordered]


@dataclass
class MapState:
    """Who held what at one date: places with a point and a controller, places with a controller but no
    point, and places with a point but no controller at the date (drawn grey, for orientation)."""

    period: Period
    placed: list[PlaceState]
    unplaced: list[PlaceState]
    uncontrolled: list[Place]
    sources: list[str]

    @property
    def title(self) -> str:
        span = (f"{self.period.start}" if self.period.start == self.period.end
                else f"{_bound(self.period.start)} to {_bound(self.period.end)}")
        return f"Who held what, {self.period.text} ({span})"

    def on_map_by_region(self) -> list[tuple[str, list[str]]]:
        """The names of the places drawn on the map, grouped by region and country."""
        places = sorted([s.place for s in self.placed] + self.uncontrolled, key=lambda p: (p.context, p.name))
        return [(context, [p.name for p in group])
                for context, group in itertools.groupby(places, key=lambda p: p.context)]

    def areas(self) -> list[tuple[PlaceState, dict]]:
        """The controlled places that the basemap has a boundary for, with that boundary's feature."""
        boundaries = basemap.region_areas()
        return [(s, boundaries[s.place.iri]) for s in self.placed + self.unplaced if s.place.iri in boundaries]

    def extent(self, margin=(0.6, 0.5, 0.6, 0.5)) -> basemap.Extent:
        """The box around every place drawn (and every area), within the basemap's extract."""
        points = [s.place.point for s in self.placed] + [p.point for p in self.uncontrolled]
        points += [point for _, feature in self.areas() for ring in basemap.rings(feature["geometry"])
                   for point in ring]
        return basemap.Extent.around(points, margin)

    def controllers(self) -> list[Controller]:
        """Every actor on the map or in the list, once, by name."""
        found = {c.iri: c for state in self.placed + self.unplaced for c in state.controllers()}
        return sorted(found.values(), key=lambda c: c.name)


def _bound(day) -> str:
    return "…" if day in (OPEN_START, OPEN_END) else day.isoformat()


def _iso_or_none(day) -> str | None:
    return None if day in (OPEN_START, OPEN_END) else day.isoformat()


# --- the data -------------------------------------------------------------------------------------

def parse_point(wkt: str | None) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT point literal; None for anything else."""
    match = _POINT.match(wkt or "")
    return (float(match.group(1)), float(match.group(2))) if match else None


def _places(kg) -> dict[str, Place]:
    places = {}
    for row in kg.sparql(resources.internal_query("map-places")):
        if row["place"] in places:
            continue
        places[row["place"]] = Place(
            row["place"], row.get("placeLabel") or row["place"], row["placeType"], row.get("placeTypeLabel") or "place",
            row.get("region"), row.get("regionLabel"), row.get("country"), row.get("countryLabel"),
            parse_point(row.get("wkt")))
    return places


def _sources(kg) -> list[str]:
    return [row.get("documentLabel") or row["document"]
            for row in kg.sparql(resources.internal_query("info-sources")) if row["nodes"]]


def map_states(kg, dates) -> list[MapState]:
    """The state of every place at each date (a day, month, year or interval, as in the stored queries)."""
    periods = [parse_period(date) for date in dates]
    places, sources = _places(kg), _sources(kg)
    states = []
    for period in periods:
        by_place = {}
        for row in kg.query("state-at", date=period.text):
            by_place.setdefault(row["place"], []).append(row)
        held = [PlaceState(places.get(iri) or Place(iri, rows[0].get("placeLabel") or iri, "", "place", None, None,
                                                    None, None, None), rows)
                for iri, rows in by_place.items()]
        states.append(MapState(
            period,
            placed=sorted((s for s in held if s.place.point), key=lambda s: s.place.name),
            unplaced=sorted((s for s in held if not s.place.point), key=lambda s: (s.place.context, s.place.name)),
            uncontrolled=sorted((p for p in places.values() if p.point and p.iri not in by_place), key=lambda p: p.name),
            sources=sources))
    return states


def map_state(kg, date: str) -> MapState:
    return map_states(kg, [date])[0]


# --- GeoJSON --------------------------------------------------------------------------------------

def to_geojson(state: MapState) -> str:
    """A FeatureCollection with one feature per state-at row: a Point ([lon, lat]) for a place with
    coordinates, no geometry (null, as RFC 7946 allows) for one without. Sorted, so two runs are equal."""
    features = []
    for place_state in state.placed + sorted(state.unplaced, key=lambda s: s.place.name):
        place = place_state.place
        for row in place_state.rows:
            properties = {
                "place": place.iri, "placeLabel": place.name, "placeType": place.type_name,
                "region": place.region, "regionLabel": place.region_name,
                "country": place.country, "countryLabel": place.country_name,
            }
            for column in ("controller", "controllerLabel", "certainty", "standing", "why", "begin", "beginLatest",
                           "end", "endLatest", "kind", "kindLabel", "mode", "modeLabel", "claimant", "claimantLabel",
                           "source", "sourceLabel", "assertion", "assertionLabel", "via", "viaLabel"):
                value = row.get(column)
                properties[column] = value.isoformat() if hasattr(value, "isoformat") else value
            properties.update(date=state.period.text, dateStart=_iso_or_none(state.period.start),
                              dateEnd=_iso_or_none(state.period.end))
            geometry = {"type": "Point", "coordinates": list(place.point)} if place.point else None
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


# --- HTML (folium, with Leaflet inlined) -----------------------------------------------------------

_PIE_RADIUS = 9


def _pie_svg(controllers: list[Controller]) -> str:
    """A circle split into one wedge per controller, in its colour and shaded by its certainty."""
    size, r = 2 * _PIE_RADIUS + 4, _PIE_RADIUS
    c = size / 2
    shapes = [f'<circle cx="{c}" cy="{c}" r="{r + 1}" fill="white" fill-opacity="0.8"/>']
    for index, controller in enumerate(controllers):
        style = (f'fill="{controller.colour}" fill-opacity="{CERTAINTY_ALPHA[controller.certainty]}" '
                 f'stroke="{controller.colour}" stroke-width="1.5"'
                 + (' stroke-dasharray="2.5 1.5"' if controller.certainty == "possible" else ""))
        if len(controllers) == 1:
            shapes.append(f'<circle cx="{c}" cy="{c}" r="{r}" {style}/>')
            continue
        start = 2 * math.pi * index / len(controllers) - math.pi / 2
        end = 2 * math.pi * (index + 1) / len(controllers) - math.pi / 2
        x0, y0 = c + r * math.cos(start), c + r * math.sin(start)
        x1, y1 = c + r * math.cos(end), c + r * math.sin(end)
        large = 1 if end - start > math.pi else 0
        shapes.append(f'<path d="M{c},{c} L{x0:.2f},{y0:.2f} A{r},{r} 0 {large} 1 {x1:.2f},{y1:.2f} Z" {style}/>')
    return f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">{"".join(shapes)}</svg>'


def _swatch(colour: str, certainty: str) -> str:
    dashed = "dashed" if certainty == "possible" else "solid"
    rgba = _rgba(colour, CERTAINTY_ALPHA[certainty])
    return f'<span class="swatch" style="background:{rgba};border:1.5px {dashed} {colour}"></span>'


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _range(earliest, latest) -> str:
    """'2022-03-12', '2022-03-12 … 2022-05-01' or '…' for a bound pair."""
    if earliest == latest:
        return str(earliest or "…")
    return f"{earliest or '…'} … {latest or '…'}"


def _row_html(row: dict) -> str:
    return (f'<tr><td>{_swatch(actor_colour(row["controller"]), row["certainty"])}'
            f'{escape(row.get("controllerLabel") or row["controller"])}</td><td>{row["certainty"]}</td>'
            f'<td>{escape(row.get("standing") or "")}</td>'
            f'<td>{escape(row.get("kindLabel") or "")}</td><td class="day">{_range(row.get("begin"), row.get("beginLatest"))}</td>'
            f'<td class="day">{_range(row.get("end"), row.get("endLatest")) if row.get("end") or row.get("endLatest") else "unknown"}</td>'
            f'<td>{escape(row.get("modeLabel") or "")}, {escape(row.get("claimantLabel") or "")}</td>'
            f'<td>{escape(row.get("sourceLabel") or "")}</td></tr>')


def _popup_html(place_state: PlaceState) -> str:
    place = place_state.place
    return (f'<b>{escape(place.name)}</b> <small>({escape(place.type_name)}, {escape(place.context)})</small>'
            '<table class="rows"><tr><th>controller</th><th>certainty</th><th>standing</th><th>kind</th><th>begin</th><th>end</th>'
            '<th>mode, claimant</th><th>source</th></tr>'
            + "".join(_row_html(row) for row in place_state.rows) + "</table>")


def _panel_html(state: MapState) -> str:
    legend = "".join(f'<li>{_swatch(c.colour, "definite")}{escape(c.name)}</li>' for c in state.controllers())
    certainty = "".join(f'<li>{_swatch("#555555", name)}{name}</li>' for name in CERTAINTIES)
    unplaced = "".join(
        f'<li><b>{escape(s.place.name)}</b> <small>{escape(s.place.context)}</small><br>'
        + "; ".join(f'{_swatch(c.colour, c.certainty)}{escape(c.name)} ({c.certainty})' for c in s.controllers())
        + "</li>" for s in state.unplaced)
    on_map = "".join(f"<li><i>{escape(context)}</i>: {escape(', '.join(names))}</li>"
                     for context, names in state.on_map_by_region())
    return (f'<div id="menaka-panel"><h1>{escape(state.title)}</h1>'
            f'<p class="note" id="menaka-basemap-note">{escape(BASEMAP_NOTE)}</p>'
            f'<h2>Controllers</h2><ul>{legend or "<li>none at this date</li>"}</ul>'
            f'<h2>Certainty (docs/time.md)</h2><ul>{certainty}</ul>'
            '<p>A circle split in parts: several controllers at the date (joint control or conflicting '
            'claims; click it for each assertion). Grey hollow: no control recorded at the date.</p>'
            f'<h2>Not on the map (no coordinates)</h2><ul id="menaka-unplaced">{unplaced or "<li>none</li>"}</ul>'
            f'<h2>On the map, by region</h2><ul>{on_map}</ul>'
            f'<p class="sources">Sources: {escape("; ".join(state.sources))}. Made with menaka-kg '
            '(stored query state-at); points from the gazetteer, none guessed.</p></div>')


_PAGE_CSS = """
#menaka-panel { position: absolute; top: 10px; right: 10px; bottom: 10px; width: 320px; overflow-y: auto;
  z-index: 1000; background: rgba(255,255,255,0.95); padding: 8px 12px; font: 12px/1.35 sans-serif;
  box-shadow: 0 1px 4px rgba(0,0,0,0.4); border-radius: 4px; }
#menaka-panel h1 { font-size: 15px; margin: 0 0 6px; } #menaka-panel h2 { font-size: 13px; margin: 10px 0 4px; }
#menaka-panel ul { list-style: none; padding: 0; margin: 0; } #menaka-panel li { margin: 2px 0; }
#menaka-panel .note { background: #fff4cc; padding: 4px 6px; margin: 0; }
#menaka-panel .sources { color: #555; font-size: 11px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px;
  vertical-align: -1px; box-sizing: border-box; }
.leaflet-tooltip.menaka-label { background: rgba(255,255,255,0.8); border: none; box-shadow: none;
  padding: 0 3px; font: 600 12px sans-serif; color: #222; }
.leaflet-tooltip.menaka-label.uncontrolled { font-weight: normal; font-style: italic; color: #666; }
.leaflet-tooltip.menaka-label::before { display: none; }
table.rows { border-collapse: collapse; margin-top: 4px; } table.rows td, table.rows th { padding: 1px 4px;
  border-bottom: 1px solid #ddd; text-align: left; font-size: 11px; vertical-align: top; }
table.rows td.day { white-space: nowrap; }
.menaka-place { background: none; border: none; }
.folium-map { background: #e8e5dd; }
.menaka-basemap-name { text-align: center; color: #6b6b6b; white-space: nowrap; pointer-events: none; }
.menaka-basemap-name.region { font: italic 11px sans-serif; }
.menaka-basemap-name.country { font: bold 14px sans-serif; letter-spacing: 3px; opacity: 0.8; }
"""


def to_html(state: MapState) -> str:
    """A self-contained page: Leaflet is inlined, so points, labels and lists show with no internet."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    class OfflineMap(folium.Map):
        """folium's map without its CDN scripts and styles (Leaflet is inlined into the page instead)."""

        default_js = []
        default_css = []

    class PlaceMarker(MacroElement):
        """A Leaflet marker with an SVG icon, a permanent label and a popup (all text passed as JSON)."""

        _template = Template(
            "{% macro script(this, kwargs) %}L.marker({{ this.location|tojson }}, {icon: L.divIcon({{ this.icon|tojson }})})"
            ".bindTooltip({{ this.label|tojson }}, {{ this.label_options|tojson }})"
            ".bindPopup({{ this.popup|tojson }}, {maxWidth: 640}).addTo({{ this._parent.get_name() }});{% endmacro %}")

        def __init__(self, place: Place, svg: str, size: int, kind: str, popup: str, spot: tuple[int, int]):
            super().__init__()
            lon, lat = place.point
            self.location, self.label, self.popup = [lat, lon], escape(place.name), popup
            self.icon = {"html": svg, "iconSize": [size, size], "iconAnchor": [size // 2, size // 2],
                         "className": f"menaka-place {kind}"}
            direction = {(1, 0): "right", (-1, 0): "left", (0, 1): "top", (0, -1): "bottom"}[spot]
            self.label_options = {"permanent": True, "direction": direction, "className": f"menaka-label {kind}",
                                  "offset": [spot[0] * (size // 2 + 2), -spot[1] * (size // 2 + 2)]}

    class BaseLayer(MacroElement):
        """The offline basemap (basemap.py) as Leaflet GeoJSON layers under the places, with region and
        country names; the areas of controlled regions on top of it, each with its popup."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "L.geoJSON({{ this.data|tojson }}, {interactive: false, style: function (f) {"
            " return {{ this.styles|tojson }}[f.properties.layer]; }}).addTo({{ this._parent.get_name() }});"
            "{% for area in this.areas %}L.geoJSON({{ area.geometry|tojson }}, {style: {{ area.style|tojson }},"
            " className: 'menaka-area'}).bindPopup({{ area.popup|tojson }}, {maxWidth: 640})"
            ".addTo({{ this._parent.get_name() }});{% endfor %}"
            "{% for name in this.names %}L.marker({{ name.location|tojson }}, {interactive: false, icon: L.divIcon("
            "{{ name.icon|tojson }})}).addTo({{ this._parent.get_name() }});{% endfor %}"
            "{% endmacro %}")

        def __init__(self, extent: basemap.Extent, areas):
            super().__init__()
            shown = [f for layer in ("country", "region", "river") for f in basemap.features(layer)
                     if extent.overlaps(f["geometry"])]
            # the graph's countries and their neighbours are filled differently
            self.data = {"type": "FeatureCollection", "features": [
                dict(f, properties={"layer": "neighbour" if f["properties"]["layer"] == "country"
                                    and f["properties"]["iso"] not in basemap.GRAPH_COUNTRIES else f["properties"]["layer"]})
                for f in shown]}
            self.styles = {
                "country": {"color": basemap.BORDER, "weight": 1.5, "fillColor": basemap.COUNTRY_FILL, "fillOpacity": 1,
                            "className": "menaka-border"},
                "neighbour": {"color": basemap.BORDER, "weight": 1.5, "fillColor": basemap.OTHER_FILL, "fillOpacity": 1,
                              "className": "menaka-border"},
                "region": {"color": basemap.REGION_LINE, "weight": 0.8, "dashArray": "4 3", "fill": False,
                           "className": "menaka-region"},
                "river": {"color": basemap.RIVER, "weight": 1.6, "className": "menaka-river"}}
            self.areas = [{"geometry": feature["geometry"], "popup": _popup_html(place_state),
                           "style": {"color": controller.colour, "weight": 1.5, "fillColor": controller.colour,
                                     "fillOpacity": CERTAINTY_ALPHA[controller.certainty] * 0.35}}
                          for place_state, feature in areas for controller in place_state.controllers()]
            self.names = [{"location": [lat, lon], "icon": {"html": escape(name), "className": f"menaka-basemap-name {layer}",
                                                            "iconSize": [160, 16], "iconAnchor": [80, 8]}}
                          for layer, name, lon, lat in basemap.names(extent)]

    points = [s.place.point for s in state.placed] + [p.point for p in state.uncontrolled]
    page = OfflineMap(location=[16, 1.5], zoom_start=7, tiles=None, control_scale=True, zoom_snap=0.25)
    figure = page.get_root()
    figure.title = escape(state.title)
    leaflet_js = (_LEAFLET / "leaflet.js").read_text(encoding="utf-8").replace("//# sourceMappingURL=leaflet.js.map", "")
    figure.header.add_child(Element(f"<style>{(_LEAFLET / 'leaflet.css').read_text(encoding='utf-8')}</style>"), name="leaflet_css")
    figure.header.add_child(Element(f"<script>{leaflet_js}</script>"), name="leaflet_js")
    figure.header.add_child(Element(f"<style>{_PAGE_CSS}</style>"), name="menaka_css")
    figure.html.add_child(Element(_panel_html(state)), name="menaka_panel")
    page.add_child(BaseLayer(state.extent(), state.areas()))
    pie_size = 2 * _PIE_RADIUS + 4
    spots = iter(_html_label_spots([(s.place, pie_size, 7.2) for s in state.placed]
                                   + [(place, 10, 6.3) for place in state.uncontrolled]))
    for place_state in state.placed:
        page.add_child(PlaceMarker(place_state.place, _pie_svg(place_state.controllers()), pie_size,
                                   "controlled", _popup_html(place_state), next(spots)))
    for place in state.uncontrolled:
        svg = ('<svg width="10" height="10"><circle cx="5" cy="5" r="3.5" fill="white" fill-opacity="0.8" '
               f'stroke="{NO_CONTROL_COLOUR}" stroke-width="1.2"/></svg>')
        page.add_child(PlaceMarker(place, svg, 10, "uncontrolled",
                                   f"<b>{escape(place.name)}</b> ({escape(place.type_name)}, {escape(place.context)}): "
                                   f"no control recorded at {escape(state.period.text)}", next(spots)))
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        page.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding_top_left=(30, 30),
                        padding_bottom_right=(460, 30))
    _number_elements(figure)
    return figure.render()


def _html_label_spots(labels, zoom: float = 7.5) -> list[tuple[int, int]]:
    """Label spots (right, left, above, below) for (place, marker size, pixels per character) at about the
    zoom the page opens with (Web Mercator pixels); labels estimated at 16 pixels high."""
    scale = 256 * 2 ** zoom
    boxes = []
    for place, size, char_width in labels:
        lon, lat = place.point
        x = scale * (lon + 180) / 360
        y = scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)  # y up
        boxes.append((x, y, char_width * len(place.name) + 6, 16, size / 2 + 2))
    return label_spots(boxes, spots=LABEL_SPOTS[:4])


def _number_elements(root) -> None:
    """Replace folium's random element ids by sequential ones, so the same state gives the same page."""
    stack, number = [root], 0
    while stack:
        element = stack.pop(0)
        element._id = f"{number:04d}"
        number += 1
        stack.extend(element._children.values())


# --- PNG (matplotlib) -----------------------------------------------------------------------------

def to_png(state: MapState) -> bytes:
    """A picture for reports: points split by controller, labels, legend, the unplaced places beside it."""
    import matplotlib
    with matplotlib.rc_context({"text.parse_math": False}):  # a '$' in a name is a dollar, not TeX
        return _draw_png(state)


def _draw_png(state: MapState) -> bytes:
    import io

    from matplotlib import transforms
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Wedge

    figure = Figure(figsize=(14, 8.5), dpi=130)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.05, 0.1, 0.6, 0.8))
    panel = figure.add_axes((0.68, 0.1, 0.31, 0.8))
    panel.axis("off")
    figure.text(0.05, 0.95, state.title, fontsize=15, fontweight="bold", va="top")
    extent = state.extent(margin=(0.6, 0.5, 1.4, 0.5))
    axes.set_xlim(extent.west, extent.east)
    axes.set_ylim(extent.south, extent.north)
    axes.set_aspect(extent.aspect, adjustable="box", anchor="NW")
    names = _draw_basemap(axes, extent, state.areas())
    axes.xaxis.set_major_formatter(lambda x, _: f"{abs(x):g}°{'E' if x >= 0 else 'W'}")
    axes.yaxis.set_major_formatter(lambda y, _: f"{y:g}°N")
    axes.tick_params(labelsize=8, colors="#666666")

    labels, context_labels = [], []  # (annotation, its marker's radius in points)
    for place in state.uncontrolled:
        axes.plot(*place.point, "o", markersize=5, markerfacecolor="white", markeredgecolor=NO_CONTROL_COLOUR, zorder=2)
        context_labels.append((axes.annotate(place.name, place.point, fontsize=8, fontstyle="italic",
                                             color="#666666", zorder=2), 4))
    radius = 0.1  # inches
    for place_state in state.placed:
        at_point = figure.dpi_scale_trans + transforms.ScaledTranslation(*place_state.place.point, axes.transData)
        axes.add_patch(Wedge((0, 0), radius * 1.2, 0, 360, transform=at_point, facecolor="white", edgecolor="none", zorder=3))
        controllers = place_state.controllers()
        for index, controller in enumerate(controllers):
            axes.add_patch(Wedge((0, 0), radius, 90 - 360 * (index + 1) / len(controllers),
                                 90 - 360 * index / len(controllers), transform=at_point, zorder=4,
                                 **_wedge_style(controller.colour, controller.certainty)))
        labels.append((axes.annotate(place_state.place.name, place_state.place.point, fontsize=10, fontweight="bold",
                                     zorder=5, bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.7,
                                                     "edgecolor": "none"}), 9))
    _place_labels(figure, axes, labels + context_labels, names)

    handles = [Patch(label=c.name, **_wedge_style(c.colour, "definite")) for c in state.controllers()]
    handles += [Patch(label=name, **_wedge_style("#555555", name)) for name in CERTAINTIES]
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=NO_CONTROL_COLOUR,
                          label="no control recorded at the date"))
    handles += [Line2D([], [], color=basemap.BORDER, linewidth=1.2, label="country border"),
                Line2D([], [], color=basemap.REGION_LINE, linewidth=0.8, linestyle=(0, (3, 2)), label="region boundary"),
                Line2D([], [], color=basemap.RIVER, linewidth=1.3, label="rivers (the Niger)")]
    legend = panel.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False, borderaxespad=0,
                          title="Controllers and certainty", title_fontproperties={"weight": "bold", "size": 9.5})
    legend._legend_box.align = "left"
    figure.canvas.draw()
    below = panel.transAxes.inverted().transform(legend.get_window_extent(figure.canvas.get_renderer()))[0][1] - 0.03
    panel.text(0, below, "A circle split in parts: several controllers at the date\n(joint control or conflicting claims).",
               fontsize=8.5, va="top", transform=panel.transAxes)
    panel.text(0, below - 0.07, "Not on the map (no coordinates)", fontsize=9.5, fontweight="bold", va="top",
               transform=panel.transAxes)
    lines = []  # (place state or None, text): a region heading, then its places
    for context, group in itertools.groupby(state.unplaced, key=lambda s: s.place.context):
        lines.append((None, context))
        lines += [(s, f"{s.place.name}  ({', '.join(dict.fromkeys(c.certainty for c in s.controllers()))})")
                  for s in group]
    top = below - 0.12
    step, y = min(0.028, top / max(1, len(lines))), top
    for place_state, text in lines or [(None, "none")]:
        controllers = place_state.controllers() if place_state else []
        for index, controller in enumerate(controllers):
            at_line = figure.dpi_scale_trans + transforms.ScaledTranslation(0.02 + 0.028 * index, y, panel.transAxes)
            panel.add_patch(Wedge((0, 0), 0.045, 0, 360, transform=at_line, **_wedge_style(controller.colour, controller.certainty)))
        panel.text(0.02 + 0.028 * len(controllers) if place_state else 0, y, text, fontsize=8, va="center",
                   transform=panel.transAxes, fontstyle="normal" if place_state else "italic")
        y -= step
    figure.canvas.draw()
    box = axes.get_position()
    on_map = [f"{context}: {', '.join(names)}" for context, names in state.on_map_by_region()]
    figure.text(box.x0, box.y0 - 0.05, _wrap("On the map, by region: " + "; ".join(on_map) + ".", 120),
                fontsize=8.5, va="top")
    figure.text(0.05, 0.02, _wrap(f"Sources: {'; '.join(state.sources)}. Control from the stored query state-at "
                                  "(certainty: docs/time.md); points from the gazetteer, none guessed. "
                                  f"{basemap.SOURCE_NOTE}. Made with menaka-kg.", 190), fontsize=8, color="#555555", va="bottom")
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": "menaka-kg"})
    return out.getvalue()


def _draw_basemap(axes, extent: basemap.Extent, areas) -> list:
    """Countries, the areas of controlled regions, region boundaries, rivers, borders and names, under the
    points (zorder below 1); the names' texts."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as Outline

    def outline(geometry):
        vertices, codes = [], []
        for ring in basemap.rings(geometry):
            vertices += ring
            codes += [Outline.MOVETO] + [Outline.LINETO] * (len(ring) - 1)
        return Outline(vertices, codes)

    axes.set_facecolor(basemap.OTHER_FILL)
    countries = [c for c in basemap.features("country") if extent.overlaps(c["geometry"])]
    for country in countries:
        fill = basemap.COUNTRY_FILL if country["properties"]["iso"] in basemap.GRAPH_COUNTRIES else basemap.OTHER_FILL
        axes.add_patch(PathPatch(outline(country["geometry"]), facecolor=fill, edgecolor="none", zorder=0.1))
    for place_state, feature in areas:
        for controller in place_state.controllers():
            alpha = CERTAINTY_ALPHA[controller.certainty] * 0.35
            axes.add_patch(PathPatch(outline(feature["geometry"]), facecolor=to_rgba(controller.colour, alpha),
                                     edgecolor=controller.colour, linewidth=1.4, zorder=0.2,
                                     gid=f"area:{place_state.place.iri}"))
    for region in basemap.features("region"):
        if extent.overlaps(region["geometry"]):
            axes.add_patch(PathPatch(outline(region["geometry"]), fill=False, edgecolor=basemap.REGION_LINE,
                                     linewidth=0.6, linestyle=(0, (3, 2)), zorder=0.3))
    for river in basemap.features("river"):
        if extent.overlaps(river["geometry"]):
            lons, lats = zip(*river["geometry"]["coordinates"])
            axes.plot(lons, lats, color=basemap.RIVER, linewidth=1.3, solid_joinstyle="round", zorder=0.4)
    for country in countries:
        axes.add_patch(PathPatch(outline(country["geometry"]), fill=False, edgecolor=basemap.BORDER, linewidth=1.1,
                                 zorder=0.5))
    texts = []
    for layer, name, lon, lat in basemap.names(extent):
        style = ({"fontsize": 8.5, "fontstyle": "italic"} if layer == "region"
                 else {"fontsize": 12, "alpha": 0.8, "fontweight": "bold"})
        texts.append(axes.text(lon, lat, name, ha="center", va="center", color=basemap.NAME, zorder=0.6,
                               clip_on=True, **style))
    return texts


def _wedge_style(colour: str, certainty: str) -> dict:
    """Fill shaded by certainty; a possible control also has a dashed outline."""
    from matplotlib.colors import to_rgba
    return {"facecolor": to_rgba(colour, CERTAINTY_ALPHA[certainty]), "edgecolor": colour, "linewidth": 1.3,
            "linestyle": "--" if certainty == "possible" else "-"}


# Where a label may go around its point, in order of preference: (dx, dy), y up.
LABEL_SPOTS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


def label_spots(labels, spots=LABEL_SPOTS, taken=()) -> list[tuple[int, int]]:
    """For each label (x, y, width, height, gap; pixels, y up), the first spot around its point whose box,
    `gap` away from the point, overlaps no marker (a square of side 2 gap) and no label placed before it
    (the first spot when none is free)."""
    taken = [(x - r, y - r, x + r, y + r) for x, y, _, _, r in labels] + list(taken)
    chosen = []
    for x, y, width, height, gap in labels:
        boxes = []
        for dx, dy in spots:
            left = x + gap if dx > 0 else x - gap - width if dx < 0 else x - width / 2
            bottom = y + gap if dy > 0 else y - gap - height if dy < 0 else y - height / 2
            boxes.append(((dx, dy), (left, bottom, left + width, bottom + height)))
        free = [(spot, box) for spot, box in boxes
                if not any(a[0] < box[2] and box[0] < a[2] and a[1] < box[3] and box[1] < a[3] for a in taken)]
        spot, box = (free or boxes)[0]
        chosen.append(spot)
        taken.append(box)
    return chosen


def _place_labels(figure, axes, labels, obstacles=()) -> None:
    """Move each label (an annotation and its marker's radius in points) to a free spot around its point,
    off the `obstacles` (texts of the basemap) where it can."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    taken = [tuple(text.get_window_extent(renderer).extents) for text in obstacles]
    pixels_per_point = figure.dpi / 72
    measured = []
    for text, radius in labels:
        box = text.get_window_extent(renderer)
        measured.append((*axes.transData.transform(text.xy), box.width, box.height, (radius + 2) * pixels_per_point))
    for (text, radius), (dx, dy) in zip(labels, label_spots(measured, taken=taken)):
        text.set_position((dx * (radius + 2), dy * (radius + 2)))
        text.set_anncoords("offset points")
        text.set_horizontalalignment({1: "left", 0: "center", -1: "right"}[dx])
        text.set_verticalalignment({1: "bottom", 0: "center", -1: "top"}[dy])


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width, subsequent_indent="   ")) if text else ""


# --- files ----------------------------------------------------------------------------------------

def output_format(path) -> str:
    """html, png or geojson, from the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"cannot write a map to '{path}': give a file ending in {', '.join(FORMATS)}")
    return FORMATS[suffix]


def series_dates(start: str, end: str, step: str) -> list[str]:
    """The months (or years) from the one holding `start` to the one holding `end`, as date parameters;
    at most MAX_SERIES of them."""
    first, last = parse_period(start).start, parse_period(end).end
    if first == OPEN_START or last == OPEN_END:
        raise BadDate("a series needs a real --from and --to, not an open end (..)")
    if first > last:
        raise BadDate(f"--from {shown(start)} is after --to {shown(end)}")
    if step == "year":
        dates = [f"{year:04d}" for year in range(first.year, last.year + 1)]
    else:
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        dates = [f"{month // 12:04d}-{month % 12 + 1:02d}" for month in months]
    if len(dates) > MAX_SERIES:
        raise BadDate(f"--from {shown(start)} --to {shown(end)} would draw {len(dates):,} maps, more than the "
                      f"{MAX_SERIES} a series draws: give a shorter span{' or --every year' if step == 'month' else ''}")
    return dates


def series_paths(output: str, dates: list[str]) -> list[Path]:
    """Where each map of a series goes: OUTPUT with {date} replaced, or OUTPUT/map-DATE.html for a folder."""
    if "{date}" in output:
        return [Path(output.replace("{date}", date)) for date in dates]
    if Path(output).suffix.lower() in FORMATS:
        raise OutputError(f"a series writes one map per step: give a folder or a name with {{date}}, not '{output}'")
    return [Path(output) / f"map-{date}.html" for date in dates]


def render(state: MapState, fmt: str) -> str | bytes:
    return {"html": to_html, "png": to_png, "geojson": to_geojson}[fmt](state)


def write_maps(kg, dates: list[str], paths: list[Path], create_folders: bool = False) -> None:
    """Draw the map of each date and write it to its path; nothing is written unless all can be drawn.
    A missing folder is an error unless `create_folders` (a series into a new folder)."""
    from menaka_kg.files import write_atomically
    formats = [output_format(path) for path in paths]
    for path in paths:
        if path.is_dir():
            raise OutputError(f"cannot write a map to '{path}': it is a folder")
        folder = path.parent
        if not folder.exists() and not create_folders:
            raise OutputError(f"cannot write {path}: there is no folder {folder}")
        if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK)):
            raise OutputError(f"cannot write {path}: {folder} is not a writable folder")
    pictures = [render(state, fmt) for state, fmt in zip(map_states(kg, dates), formats)]
    for path, picture in zip(paths, pictures):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, picture)
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
