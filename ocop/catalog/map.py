"""The map of Vietnam by province, drawn on the server as SVG from the boundary data shipped
in data/vn-provinces-34.json (see data/MAP_SOURCES.md): no tile server, no script, no
network. Each province is coloured by its number of recognised products and links to its
catalogue page; the Hoàng Sa and Trường Sa archipelagos are drawn with their provinces."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).parent / "data" / "vn-provinces-34.json"
# The data's attribution, as a message to translate (a test keeps the two equal).
ATTRIBUTION = _(
    "Made with Natural Earth (naturalearthdata.com, public domain); provinces as merged on "
    "1 July 2025"
)
# Light to dark green; the first is for provinces with no recognised product.
SHADES = ("#eef2ef", "#d4ebdc", "#a8d5b8", "#72b990", "#3f9667", "#1f6f43")


@cache
def boundaries() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def shade(count: int, highest: int) -> str:
    """The colour of a count on a scale of five steps up to the highest count."""
    if count <= 0 or highest <= 0:
        return SHADES[0]
    step = min(5, 1 + (count * 5 - 1) // highest)
    return SHADES[step]


@dataclass(frozen=True)
class MapProvince:
    code: int
    name: str
    d: str
    cx: float
    cy: float
    count: int
    fill: str
    url: str | None


@dataclass(frozen=True)
class MapView:
    view_box: str
    provinces: list[MapProvince]
    islands: list[dict]
    legend: list[tuple[str, str]]  # (colour, range label)
    attribution: str


def map_view(counts: dict[int, int], urls: dict[int, str]) -> MapView:
    data = boundaries()
    highest = max(counts.values(), default=0)
    provinces = [
        MapProvince(
            code=int(code),
            name=p["name"],
            d=p["d"],
            cx=p["cx"],
            cy=p["cy"],
            count=counts.get(int(code), 0),
            fill=shade(counts.get(int(code), 0), highest),
            url=urls.get(int(code)),
        )
        for code, p in data["provinces"].items()
    ]
    legend = [(SHADES[0], "0")]
    if highest:
        bounds = [(highest * i) // 5 for i in range(6)]
        for i in range(1, 6):
            low, high = bounds[i - 1] + 1, bounds[i]
            if high >= low:
                legend.append((SHADES[i], f"{low}–{high}" if high > low else str(high)))
    islands = [
        {**island, "count": counts.get(int(island["province"]), 0)}
        for island in data.get("islands", [])
    ]
    return MapView(data["viewBox"], provinces, islands, legend, str(ATTRIBUTION))
