"""The dashboard's figures as JSON: all of them for the reader's area (the same selectors
as the page), and the public register's counts for any area, to anyone."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from ocop.pagination import DbInt

from . import views
from .figures import Figure, all_figures, public_area, public_figures

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    total: int


class FiguresOut(Schema):
    area: str
    year: int
    figures: list[FigureOut]


@router.get("/figures", response=FiguresOut)
def figures(request, province: DbInt | None = None, commune: DbInt | None = None, year: DbInt = 0):
    """Every dashboard figure of an area (within the caller's scope) and year."""
    request.GET = request.GET.copy()
    for key, value in (("province", province), ("commune", commune), ("year", year)):
        if value:
            request.GET[key] = str(value)
    try:
        area, year = views._query(request)
    except PermissionDenied:
        raise
    return {"area": area.label, "year": year, "figures": _out(all_figures(area, year))}


class PublicFiguresOut(Schema):
    area: str
    figures: list[FigureOut]


@router.get("/public", response=PublicFiguresOut, auth=None)
def public(request, province: DbInt | None = None, commune: DbInt | None = None):
    """Recognised products by star class, product group and place, and certificates issued
    by year: the public register's counts, for the nation, a province or a commune. Open
    to anyone, like the catalogue."""
    area = public_area(province=province, commune=commune)
    if area is None:
        raise Http404
    return {"area": area.label, "figures": _out(public_figures(area))}


def _out(figures: list[Figure]) -> list[dict]:
    return [
        {
            "key": f.key,
            "title": f.title,
            "columns": f.columns,
            "rows": [[str(v) if hasattr(v, "isoformat") else v for v in r] for r in f.rows],
            "total": f.total,
        }
        for f in figures
    ]
