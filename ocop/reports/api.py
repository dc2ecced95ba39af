"""The dashboard's figures as JSON, for the reader's area (the same selectors as the page);
the public catalogue's counts are public at /api/catalog/facets."""

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from . import views
from .figures import all_figures

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
def figures(request, province: int | None = None, commune: int | None = None, year: int = 0):
    """Every dashboard figure of an area (within the caller's scope) and year."""
    request.GET = request.GET.copy()
    for key, value in (("province", province), ("commune", commune), ("year", year)):
        if value:
            request.GET[key] = str(value)
    try:
        area, year = views._query(request)
    except PermissionDenied:
        raise
    return {
        "area": area.label,
        "year": year,
        "figures": [
            {
                "key": f.key,
                "title": f.title,
                "columns": f.columns,
                "rows": [[str(v) if hasattr(v, "isoformat") else v for v in r] for r in f.rows],
                "total": f.total,
            }
            for f in all_figures(area, year)
        ],
    }
