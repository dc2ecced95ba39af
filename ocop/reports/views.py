from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ocop.geo.models import Commune, Province

from . import charts, export
from .figures import Area, all_figures, area_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2019  # the programme's first decisions with star classes (Decision 1048/QĐ-TTg)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _query(request) -> tuple[Area, int]:
    area = area_for(
        request.user,
        province=_int(request.GET.get("province")),
        commune=_int(request.GET.get("commune")),
    )
    if area is None:
        raise PermissionDenied
    this_year = timezone.localdate().year
    year = _int(request.GET.get("year")) or this_year
    if not FIRST_YEAR <= year <= this_year + 1:
        year = this_year
    return area, year


def _choices(request, area: Area):
    """The provinces and communes the reader may choose (their scope)."""
    nation = area_for(request.user) == Area()
    provinces = Province.objects.order_by("name") if nation else None
    communes = None
    if area.province is not None:
        whole = area_for(request.user, province=area.province.pk)
        if whole is not None and whole.commune is None:
            communes = Commune.objects.filter(province=area.province).order_by("name")
    return provinces, communes


@login_required
def dashboard(request):
    area, year = _query(request)
    figures = all_figures(area, year, page=True)
    provinces, communes = _choices(request, area)
    query = request.GET.copy()
    context = {
        "area": area,
        "year": year,
        "years": list(range(timezone.localdate().year, 2018, -1)),
        "items": [(f, charts.svg(f)) for f in figures],
        "provinces": provinces,
        "communes": communes,
        "query": query.urlencode(),
        "councils": _councils(request.user, area),
    }
    return render(request, "reports/dashboard.html", context)


def _councils(user, area: Area) -> list:
    """The councils of the area whose score analytics the reader may open (those who run
    them): the dashboard links to them from its score distribution."""
    from ocop.accounts.permissions import Action, can
    from ocop.evaluation.selectors import council_list

    councils = council_list(user=user)
    if area.province is not None:
        councils = councils.filter(province=area.province)
    return [c for c in councils[:50] if can(user, Action.COUNCIL_MANAGE, c)][:10]


@login_required
def figure_csv(request, key: str):
    area, year = _query(request)
    figure = next((f for f in all_figures(area, year) if f.key == key), None)
    if figure is None:
        raise Http404
    response = HttpResponse(export.figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ocop-{key}-{year}.csv"'
    return response


@login_required
def report_xlsx(request):
    area, year = _query(request)
    content = export.figures_xlsx(all_figures(area, year), area=area, year=year)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ocop-{year}.xlsx"'
    return response


@login_required
def summary_pdf(request):
    area, year = _query(request)
    content = export.summary_pdf(area=area, year=year)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tom-tat-ocop-{year}.pdf"'
    return response
