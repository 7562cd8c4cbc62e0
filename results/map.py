"""The map of Poland by voivodeship as plain data for a server-rendered SVG: no ORM, no JavaScript, no tiles.

The boundaries (contest/data/wojewodztwa-2025.geojson, WGS84, TERC code in JPT_KOD_JE) are projected once per
process with an equirectangular projection scaled by cos(52°) (Poland's middle latitude, so shapes keep their
proportions), simplified with Ramer-Douglas-Peucker to well under a pixel's error, and kept as SVG path strings."""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .text import polish_sort_key

GEOJSON = Path(__file__).resolve().parent.parent / "contest" / "data" / "wojewodztwa-2025.geojson"
WIDTH = 600  # SVG user units; the height follows from the projection
TOLERANCE = 0.8  # simplification error in user units (under a pixel at the natural size of 600 wide)
SCALE_LATITUDE = 52.0

# Count classes: (lowest count, highest count or None for "and more", fill). Sequential blues, light to dark;
# the table beside the map carries the same numbers, so colour never carries them alone.
CLASSES = (
    (0, 0, "#f1f3f5"),
    (1, 1, "#c6dbef"),
    (2, 3, "#6baed6"),
    (4, 7, "#2171b5"),
    (8, None, "#08306b"),
)
STROKE = "#495057"


@dataclass(frozen=True)
class Region:
    code: str  # TERC voivodeship code, e.g. "10"
    name: str  # lower-case Polish name, e.g. "łódzkie"
    path: str  # SVG path data in the map's user units


def _project(ring, west, north, scale):
    factor = math.cos(math.radians(SCALE_LATITUDE))
    return [((lon - west) * factor * scale, (north - lat) * scale) for lon, lat in ring]


def _distance_to_segment(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    if length == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points, tolerance=TOLERANCE):
    """Ramer-Douglas-Peucker on an open polyline, iteratively (a long border would overflow recursion)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = _distance_to_segment(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring, tolerance=TOLERANCE):
    """A closed ring split at its first point and the point farthest from it, each half simplified."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    first = simplify(ring[: far + 1], tolerance)
    second = simplify([*ring[far:], ring[0]], tolerance)
    return first[:-1] + second[:-1]


def path_data(rings):
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        head, *rest = ring
        parts.append(f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z")
    return "".join(parts)


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def build(features, width=WIDTH, tolerance=TOLERANCE):
    """Regions and the height of the viewBox from GeoJSON features (pure; `regions()` caches it for the file)."""
    rings = [ring for feature in features for polygon in _polygons(feature["geometry"]) for ring in polygon]
    lons = [lon for ring in rings for lon, _lat in ring]
    lats = [lat for ring in rings for _lon, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    scale = width / ((east - west) * math.cos(math.radians(SCALE_LATITUDE)))
    height = (north - south) * scale
    regions = []
    for feature in features:
        properties = feature["properties"]
        projected = [
            simplify_ring(_project(ring, west, north, scale), tolerance)
            for polygon in _polygons(feature["geometry"])
            for ring in polygon
        ]
        regions.append(Region(properties["JPT_KOD_JE"], properties["JPT_NAZWA_"], path_data(projected)))
    regions.sort(key=lambda region: polish_sort_key(region.name))
    return tuple(regions), round(height, 1)


@cache
def regions():
    """(regions sorted by name, viewBox height), computed once per process."""
    with open(GEOJSON, encoding="utf-8") as handle:
        return build(json.load(handle)["features"])


def voivodeships():
    """[(TERC code, name)] of the 16 voivodeships in alphabetical order: the archive's filter choices."""
    return [(region.code, region.name) for region in regions()[0]]


def count_class(count):
    """The index in CLASSES of a count."""
    for index, (low, high, _fill) in enumerate(CLASSES):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def shaded(counts):
    """Every region with its count and fill, from {TERC code: count} (codes without entries count 0)."""
    return [
        {
            "region": region,
            "count": counts.get(region.code, 0),
            "fill": CLASSES[count_class(counts.get(region.code, 0))][2],
        }
        for region in regions()[0]
    ]
