#!/usr/bin/env python3
"""Projected points by PROJ (pyproj), for `crates/patroliq-core/tests/projected_reference.rs`.

Reads the CRS tables and the cities of `crates/patroliq-core/src/load/layout/projected.rs` (so a
zone or city added there is checked without editing this file) and writes, with pyproj's
transformations from WGS 84, for every city and every CRS the loader tries for it (its State
Plane zones or national grids, and the UTM zone of its longitude), a point 1 km north-east of
the city's centre as X/Y in that CRS; plus, for every UTM family the loader knows, a point on
the first and the last zone's central meridian. The Rust test turns each X/Y back into degrees
with proj4rs and finds the CRS by where the point lands, as the loader does.

Usage: scripts/projected_reference.py FIXTURE_DIR   (writes FIXTURE_DIR/projected_reference.json)
"""
import json
import math
import re
import sys
from pathlib import Path

from pyproj import Transformer

root = Path(__file__).resolve().parent.parent
src = (root / "crates/patroliq-core/src/load/layout/projected.rs").read_text()
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

crss = [(int(c), z) for c, z in re.findall(r'Crs \{ code: (\d+), name: "[^"]*", zone: "([^"]*)"', src)]
cities = [
    (n, float(la), float(lo), re.findall(r'"([^"]+)"', zs))
    for n, la, lo, zs in re.findall(
        r'City \{ name: "([^"]+)", lat: (-?[\d.]+), lon: (-?[\d.]+), zones: &\[([^\]]*)\] \}', src
    )
]
families = [
    (int(code), int(zone), int(n), south == "true")
    for south, code, zone, n in re.findall(
        r"UtmFamily \{ datum: \"[^\"]*\", params: \"[^\"]*\", south: (\w+), first: \((\d+), (\d+)\), zones: (\d+) \}",
        src,
    )
]
assert len(crss) > 100 and len(cities) > 100 and len(families) >= 10, (len(crss), len(cities), len(families))


def xy(code, lat, lon):
    t = Transformer.from_crs(4326, code, always_xy=True)
    return t.transform(lon, lat)


def nudge(lat, lon, km=1.0):
    """A point `km` north-east of (lat, lon): the centre itself is where every city's list starts."""
    d = km / math.sqrt(2) / 111.2
    return lat + d, lon + d / math.cos(math.radians(lat))


points = []
for name, lat, lon, zones in cities:
    la, lo = nudge(lat, lon)
    for code, zone in crss:
        if zone in zones:
            x, y = xy(code, la, lo)
            points.append({"code": code, "city": name, "x": x, "y": y, "lat": la, "lon": lo, "find": True})
    # The city's UTM zone on WGS 84 (the loader may take its country's datum: metres apart).
    zone = min(60, int((lon + 180) // 6) + 1)
    code = (32700 if lat < 0 else 32600) + zone
    x, y = xy(code, la, lo)
    points.append({"code": code, "city": name, "x": x, "y": y, "lat": la, "lon": lo, "find": True})
for first_code, first_zone, n, south in families:
    for i in (0, n - 1):
        zone = first_zone + i
        lon = -183 + 6 * zone + 0.3
        lat = -30.0 if south else 45.0
        x, y = xy(first_code + i, lat, lon)
        points.append({"code": first_code + i, "city": None, "x": x, "y": y, "lat": lat, "lon": lon, "find": False})

(out / "projected_reference.json").write_text(json.dumps({"points": points}, indent=0))
print(f"{len(points)} points in {len(crss)} tabled CRSs, {len(cities)} cities, {len(families)} UTM families")
