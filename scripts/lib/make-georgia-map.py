#!/usr/bin/env python3
"""Generates the console map's outline of Georgia and the Georgian web font.

Outline: Sources/OutpostConsole/Resources/static/georgia.json, a compact JSON the console's map
renderer (Sources/OutpostConsole/Map) draws server-side:

    {"source": "...", "frame": {"west": .., "east": .., "south": .., "north": ..},
     "georgia": [[lon, lat, lon, lat, ...], ...],          # rings of Georgia (WGS84 degrees)
     "neighbours": {"RU": [[...]], "TR": [...], ...}}      # neighbours' land, clipped to the frame

Rings are simplified (Douglas-Peucker, --tolerance degrees) and rounded to 3 decimals (about
100 m). The sea (the Black Sea coast) is what no ring covers.

Sources (no network at run time; both are fetched here with the ordinary package clients):
- `--source dcw` (default): the Digital Chart of the World for GMT, Debian package `gmt-dcw`
  (file usr/share/gmt-dcw/dcw-gmt.nc, netCDF-4, read with PyPI `netCDF4`). Licence LGPL-3+
  (the package's copyright file), so the generated file is LGPL-3+ as well; see LICENSES.txt.
- `--source naturalearth`: Natural Earth 1:110m countries (public domain), as shipped in the
  PyPI wheel geopandas==0.14.4 (geopandas/datasets/naturalearth_lowres, read with PyPI `pyshp`).
  Much coarser (24 points for Georgia).

Font: Sources/OutpostConsole/Resources/static/NotoSansGeorgian.woff2, Noto Sans Georgian Regular
from Debian's `fonts-noto-core` (SIL Open Font License 1.1), subset with PyPI `fonttools` +
`brotli` to Georgian (U+10A0-10FF, U+1C90-1CBF, U+2D00-2D2F) and basic Latin.

Rerun (from the repository's root, in a scratch directory for the downloads):

    python3 -m venv /tmp/georgia-venv && . /tmp/georgia-venv/bin/activate
    pip install pyshp netCDF4 fonttools brotli
    mkdir -p /tmp/georgia && cd /tmp/georgia
    apt-get download gmt-dcw fonts-noto-core && dpkg -x gmt-dcw_*.deb dcw && dpkg -x fonts-noto-core_*.deb noto
    cd - && python3 scripts/lib/make-georgia-map.py \\
        --dcw /tmp/georgia/dcw/usr/share/gmt-dcw/dcw-gmt.nc \\
        --font /tmp/georgia/noto/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf

For Natural Earth instead: `pip download --no-deps geopandas==0.14.4`, unzip the wheel, and pass
`--source naturalearth --naturalearth <dir>/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp`.
"""

import argparse
import json
import math
import os
import sys

STATIC = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "OutpostConsole", "Resources", "static")

# The map's frame in degrees: Georgia with a margin, the Black Sea coast to the west.
FRAME = {"west": 39.7, "east": 46.95, "south": 40.85, "north": 43.75}
NEIGHBOURS = ["RU", "TR", "AM", "AZ"]
NATURAL_EARTH_NAMES = {"GE": "Georgia", "RU": "Russia", "TR": "Turkey", "AM": "Armenia", "AZ": "Azerbaijan"}
# Rings smaller than this many square degrees (after clipping) are dropped: islets, slivers.
MIN_AREA = 0.0004


def dcw_rings(path, code):
    """The rings of country `code` in the DCW-GMT netCDF file, as lists of (lon, lat)."""
    import netCDF4

    data = netCDF4.Dataset(path)
    data.set_auto_maskandscale(False)
    xs, ys = data.variables[code + "_lon"], data.variables[code + "_lat"]
    west, east = float(xs.getncattr("min")), float(xs.getncattr("max"))
    south, north = float(ys.getncattr("min")), float(ys.getncattr("max"))
    rings, ring = [], []
    # 65535 in the longitude marks the start of a segment (as GMT's gmt_dcw.c reads it).
    for x, y in zip(xs[:], ys[:]):
        if x == 65535:
            if ring:
                rings.append(ring)
            ring = []
            continue
        lon = west + (east - west) * x / 65535.0
        if lon > 180:
            lon -= 360
        ring.append((lon, south + (north - south) * y / 65535.0))
    if ring:
        rings.append(ring)
    return rings


def naturalearth_rings(path, code):
    """The rings of country `code` in Natural Earth's lowres shapefile."""
    import shapefile

    for shape_record in shapefile.Reader(path).iterShapeRecords():
        if shape_record.record["name"] == NATURAL_EARTH_NAMES[code]:
            shape = shape_record.shape
            bounds = list(shape.parts) + [len(shape.points)]
            return [[tuple(p) for p in shape.points[a:b]] for a, b in zip(bounds, bounds[1:])]
    sys.exit(f"no {NATURAL_EARTH_NAMES[code]} in {path}")


def clip(ring, frame):
    """Sutherland-Hodgman: the part of polygon `ring` inside the rectangle `frame`."""
    edges = [
        (lambda p: p[0] >= frame["west"], lambda a, b: cross_x(a, b, frame["west"])),
        (lambda p: p[0] <= frame["east"], lambda a, b: cross_x(a, b, frame["east"])),
        (lambda p: p[1] >= frame["south"], lambda a, b: cross_y(a, b, frame["south"])),
        (lambda p: p[1] <= frame["north"], lambda a, b: cross_y(a, b, frame["north"])),
    ]
    points = ring
    for inside, cross in edges:
        if not points:
            break
        output = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    output.append(cross(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cross(previous, point))
            previous = point
        points = output
    return points


def cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tolerance):
    """Douglas-Peucker in degrees, longitudes scaled by cos(latitude) so both axes weigh alike."""
    if len(points) < 3:
        return points
    scale = math.cos(math.radians((FRAME["south"] + FRAME["north"]) / 2))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first][0] * scale, points[first][1]
        bx, by = points[last][0] * scale, points[last][1]
        length = math.hypot(bx - ax, by - ay)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index][0] * scale, points[index][1]
            if length == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep) if kept]


def area(ring):
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) / 2


def flat(rings, tolerance):
    """Clipped, simplified rings as flat [lon, lat, ...] lists rounded to 3 decimals."""
    result = []
    for ring in rings:
        if ring and ring[0] == ring[-1]:
            ring = ring[:-1]
        ring = clip(ring, FRAME)
        if len(ring) < 3 or area(ring) < MIN_AREA:
            continue
        ring = simplify(ring + ring[:1], tolerance)[:-1]
        if len(ring) >= 3:
            result.append([round(value, 3) for point in ring for value in point])
    return result


def make_outline(args):
    if args.source == "dcw":
        if not args.dcw:
            sys.exit("--dcw <dcw-gmt.nc> is required with --source dcw")
        read = lambda code: dcw_rings(args.dcw, code)  # noqa: E731
        source = "Digital Chart of the World for GMT (DCW-GMT), LGPL-3+"
    else:
        if not args.naturalearth:
            sys.exit("--naturalearth <naturalearth_lowres.shp> is required with --source naturalearth")
        read = lambda code: naturalearth_rings(args.naturalearth, code)  # noqa: E731
        source = "Natural Earth 1:110m countries, public domain"
    outline = {
        "source": source,
        "frame": FRAME,
        "georgia": flat(read("GE"), args.tolerance),
        "neighbours": {code: flat(read(code), args.tolerance) for code in NEIGHBOURS},
    }
    path = os.path.join(STATIC, "georgia.json")
    with open(path, "w") as file:
        json.dump(outline, file, separators=(",", ":"))
        file.write("\n")
    points = sum(len(r) // 2 for r in outline["georgia"])
    print(f"{path}: {os.path.getsize(path)} bytes, Georgia {len(outline['georgia'])} rings, {points} points")


def make_font(path):
    from fontTools import subset

    output = os.path.join(STATIC, "NotoSansGeorgian.woff2")
    subset.main(
        [
            path,
            "--unicodes=U+0020-007E,U+00A0,U+10A0-10FF,U+1C90-1CBF,U+2D00-2D2F",
            "--layout-features=*",
            "--flavor=woff2",
            "--no-hinting",
            f"--output-file={output}",
        ]
    )
    print(f"{output}: {os.path.getsize(output)} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=["dcw", "naturalearth"], default="dcw")
    parser.add_argument("--dcw", help="path of dcw-gmt.nc (Debian gmt-dcw)")
    parser.add_argument("--naturalearth", help="path of naturalearth_lowres.shp (PyPI geopandas==0.14.4)")
    parser.add_argument("--tolerance", type=float, default=0.008, help="simplification, degrees (default 0.008)")
    parser.add_argument("--font", help="path of NotoSansGeorgian-Regular.ttf (Debian fonts-noto-core)")
    parser.add_argument("--no-outline", action="store_true", help="only make the font")
    args = parser.parse_args()
    if not args.no_outline:
        make_outline(args)
    if args.font:
        make_font(args.font)


if __name__ == "__main__":
    main()
