"""The programme's figures for an area and a year, counted from the records (never typed):
what the dashboards draw, the reports send upward and the API answers.

Every figure is a `Figure`: a title, column headings and rows of plain values, so that the
chart, the table, the CSV and the Excel sheet all show the same numbers. An area is the
nation, a province or a commune; the reader only ever gets an area inside their scope
(`area_for`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import ROLE_SCOPE_FIELD
from ocop.accounts.permissions import RULES, Action, Reach, memberships
from ocop.caching import Generation
from ocop.certificates.models import Certificate, CertificateStatus
from ocop.dossiers.models import Dossier
from ocop.evaluation.models import Assignment, AssignmentStatus
from ocop.geo.models import Commune, Province
from ocop.ideas.models import ProductIdea
from ocop.plans.models import BusinessPlan

EXPIRY_WINDOW_DAYS = 183  # "expiring soon": within six months, the first reminder
PAGE_ROWS = 50  # a long list on the dashboard page (the files hold every row)


@dataclass(frozen=True)
class Area:
    province: Province | None = None
    commune: Commune | None = None

    @property
    def label(self) -> str:
        if self.commune:
            return f"{self.commune.name}, {self.commune.province.name}"
        if self.province:
            return self.province.name
        return _("The whole country")

    def producer_q(self, prefix: str) -> Q:
        """A filter on a model whose `prefix` leads to its producer."""
        if self.commune:
            return Q(**{f"{prefix}commune_id": self.commune.pk})
        if self.province:
            return Q(**{f"{prefix}commune__province_id": self.province.pk})
        return Q()


def area_for(user, *, province: int | None = None, commune: int | None = None) -> Area | None:
    """The area a reader asked for, within their scope: the nation's officers may look
    anywhere, a provincial officer at the province or one of its communes, a commune
    officer at the commune. Without a (permitted) choice, the widest area of their scope.
    None when they may see no dashboard at all."""
    allowed = RULES[Action.DASHBOARD_VIEW]
    provinces, communes, nation = [], [], False
    for m in memberships(user):
        reach = allowed.get(m.role)
        if reach is None:
            continue
        if reach is Reach.NATION or ROLE_SCOPE_FIELD[m.role] is None:
            nation = True
        elif m.province_id:
            provinces.append(m.province_id)
        elif m.commune_id:
            communes.append(m.commune_id)
    if not (nation or provinces or communes):
        return None
    if commune:
        c = Commune.objects.select_related("province").filter(pk=commune).first()
        if c and (nation or c.province_id in provinces or c.pk in communes):
            return Area(province=c.province, commune=c)
    if province and (nation or province in provinces):
        p = Province.objects.filter(pk=province).first()
        if p:
            return Area(province=p)
    if nation:
        return Area()
    if provinces:
        return Area(province=Province.objects.get(pk=provinces[0]))
    c = Commune.objects.select_related("province").get(pk=communes[0])
    return Area(province=c.province, commune=c)


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: str = "bar"  # bar, hbar, funnel, stacked, table
    sheet: str = ""  # a short name for its Excel sheet (31 characters at most)

    @property
    def total(self) -> int:
        return sum(r[-1] for r in self.rows if isinstance(r[-1], int))


def _live(area: Area, today: datetime.date):
    return Certificate.objects.filter(
        area.producer_q("producer__"),
        status=CertificateStatus.VALID,
        superseded_by__isnull=True,
        expires_on__gte=today,
    )


def recognised_by_stars(area: Area, today: datetime.date) -> Figure:
    counts = dict(_live(area, today).values_list("stars").annotate(n=Count("id")))
    return Figure(
        "stars",
        _("Recognised products by star class"),
        [_("Star class"), _("Products")],
        [[f"{s}★", counts.get(s, 0)] for s in (3, 4, 5)],
        sheet=_("Star classes"),
    )


def recognised_by_group(area: Area, today: datetime.date) -> Figure:
    rows = (
        _live(area, today)
        .values_list("product__product_group__name_vi")
        .annotate(n=Count("id"))
        .order_by("-n", "product__product_group__name_vi")
    )
    return Figure(
        "groups",
        _("Recognised products by product group"),
        [_("Product group"), _("Products")],
        [[name, n] for name, n in rows],
        chart="hbar",
        sheet=_("Product groups"),
    )


def recognised_by_place(area: Area, today: datetime.date) -> Figure:
    """By province for the nation, by commune for a province (a commune has one row)."""
    if area.province is None:
        field, heading = "producer__commune__province__name", _("Province")
    else:
        field, heading = "producer__commune__name", _("Commune")
    rows = _live(area, today).values_list(field).annotate(n=Count("id")).order_by("-n", field)
    return Figure(
        "places",
        _("Recognised products by place"),
        [heading, _("Products")],
        [[name, n] for name, n in rows],
        chart="hbar",
        sheet=_("Places"),
    )


def certificates_by_year(area: Area) -> Figure:
    rows = (
        Certificate.objects.filter(area.producer_q("producer__"))
        .annotate(year=ExtractYear("issued_on"))
        .values_list("year", "stars")
        .annotate(n=Count("id"))
    )
    table: dict[int, Counter] = {}
    for year, stars, n in rows:
        table.setdefault(year, Counter())[stars] += n
    return Figure(
        "years",
        _("Certificates issued by year"),
        [_("Year"), "3★", "4★", "5★", _("Total")],
        [[y, c[3], c[4], c[5], c[3] + c[4] + c[5]] for y, c in sorted(table.items())],
        chart="stacked",
        sheet=_("By year"),
    )


def funnel(area: Area, year: int) -> Figure:
    """The cycle of the year: ideas registered, plans, dossiers, ranked, recognised."""
    ideas = ProductIdea.objects.filter(area.producer_q("producer__"), year=year).count()
    plans = BusinessPlan.objects.filter(
        area.producer_q("idea__producer__"), idea__year=year
    ).count()
    dossiers = Dossier.objects.filter(area.producer_q("product__producer__"), year=year).count()
    ranked = _closed(area, year).count()
    recognised = Certificate.objects.filter(
        area.producer_q("producer__"), issued_on__year=year
    ).count()
    return Figure(
        "funnel",
        _("The cycle in %(year)s") % {"year": year},
        [_("Step"), _("Number")],
        [
            [_("Product ideas"), ideas],
            [_("Business plans"), plans],
            [_("Evaluation dossiers"), dossiers],
            [_("Ranked by a council"), ranked],
            [_("Certificates issued"), recognised],
        ],
        chart="funnel",
        sheet=_("Cycle"),
    )


def _closed(area: Area, year: int):
    return Assignment.objects.filter(
        area.producer_q("dossier__product__producer__"),
        status=AssignmentStatus.CLOSED,
        session__round__trial=False,
        closed_at__year=year,
    )


def evaluation_throughput(area: Area, year: int) -> Figure:
    counts = dict(
        _closed(area, year)
        .annotate(month=ExtractMonth("closed_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    return Figure(
        "throughput",
        _("Dossiers ranked by month, %(year)s") % {"year": year},
        [_("Month"), _("Dossiers")],
        [[m, counts.get(m, 0)] for m in range(1, 13)],
        sheet=_("By month"),
    )


def score_distribution(area: Area, year: int) -> Figure:
    """Council scores in bands of ten points (a band's lower edge is in it: 70 is 70–79)."""
    scores = _closed(area, year).exclude(score=None).values_list("score", flat=True)
    bins = Counter(min(int(s) // 10 * 10, 90) for s in scores)
    return Figure(
        "scores",
        _("Council scores, %(year)s") % {"year": year},
        [_("Points"), _("Dossiers")],
        [[f"{b}–{b + 9 if b < 90 else 100}", bins.get(b, 0)] for b in range(0, 100, 10)],
        sheet=_("Scores"),
    )


def expiring(area: Area, today: datetime.date, limit: int | None = None) -> Figure:
    """The certificates to renew first; the page lists the `limit` soonest (the title says
    how many there are), the files list them all."""
    until = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    soon = _live(area, today).filter(expires_on__lte=until)
    total = soon.count()
    rows = soon.select_related("product", "producer").order_by("expires_on", "number")
    if limit is not None:
        rows = rows[:limit]
    return Figure(
        "expiring",
        _("Certificates expiring within six months: %(n)s") % {"n": total},
        [_("Certificate"), _("Product"), _("Producer"), _("Valid until")],
        [[c.number, c.product.name, c.producer.legal_name, c.expires_on] for c in rows],
        chart="table",
        sheet=_("Expiring"),
    )


def training_reach(area: Area, year: int) -> Figure:
    """Step 1 of the cycle: the year's courses of the area and whom they reached."""
    from ocop.programme.models import CourseRegistration, TrainingCourse

    if area.commune:
        where = Q(commune_id=area.commune.pk)
    elif area.province:
        where = Q(province_id=area.province.pk)
    else:
        where = Q()
    courses = TrainingCourse.objects.filter(where, starts_on__year=year)
    registrations = CourseRegistration.objects.filter(course__in=courses)
    attended = registrations.filter(attended=True)
    return Figure(
        "training",
        _("Training in %(year)s") % {"year": year},
        [_("Measure"), _("Number")],
        [
            [_("Courses"), courses.count()],
            [_("Registrations"), registrations.count()],
            [_("People who attended"), attended.count()],
            [
                _("Producers reached"),
                attended.exclude(producer=None).values("producer").distinct().count(),
            ],
        ],
        chart="hbar",
        sheet=_("Training"),
    )


def public_figures(area: Area, today: datetime.date | None = None) -> list[Figure]:
    """The figures anyone may read: counts of the public register of certificates (the
    same products the catalogue shows), for any area."""
    today = today or timezone.localdate()
    return _cached(
        "public",
        area,
        lambda: [
            recognised_by_stars(area, today),
            recognised_by_group(area, today),
            recognised_by_place(area, today),
            certificates_by_year(area),
        ],
        today,
    )


def public_area(*, province: int | None = None, commune: int | None = None) -> Area | None:
    """Any area, for the public figures; None for an unknown province or commune."""
    if commune:
        c = Commune.objects.select_related("province").filter(pk=commune).first()
        return Area(province=c.province, commune=c) if c else None
    if province:
        p = Province.objects.filter(pk=province).first()
        return Area(province=p) if p else None
    return Area()


# --- Kept in the cache -------------------------------------------------------------------------
# Counting every figure of the nation takes some 300 ms on 20,000 products; the figures are
# kept in the cache per area, year, day and language under a generation number that every
# change to the records they count moves on (signals.py, and the import's bulk writes), once
# the change is committed. FIGURES_SECONDS bounds what a change made outside those paths (a
# raw update, a restore into a running platform) or in another process without a shared
# cache (no REDIS_URL) can leave unseen.
FIGURES_SECONDS = 300
FIGURES = Generation("ocop:figures")


def figures_changed() -> None:
    """The records the figures count have changed: count anew once this is committed."""
    FIGURES.changed()


def _cached(kind: str, area: Area, compute, *parts) -> list[Figure]:
    from django.utils.translation import get_language

    if area.commune:
        where = f"c{area.commune.pk}"
    else:
        where = f"p{area.province.pk}" if area.province else "n"
    return FIGURES.cached((kind, where, *parts, get_language()), compute, seconds=FIGURES_SECONDS)


def all_figures(
    area: Area, year: int, today: datetime.date | None = None, *, page: bool = False
) -> list[Figure]:
    """Every figure; `page` shortens the long lists to what a page shows."""
    today = today or timezone.localdate()
    return _cached("all", area, lambda: _all_figures(area, year, today, page), year, today, page)


def _all_figures(area: Area, year: int, today: datetime.date, page: bool) -> list[Figure]:
    return [
        recognised_by_stars(area, today),
        funnel(area, year),
        recognised_by_group(area, today),
        recognised_by_place(area, today),
        certificates_by_year(area),
        evaluation_throughput(area, year),
        score_distribution(area, year),
        expiring(area, today, limit=PAGE_ROWS if page else None),
        training_reach(area, year),
    ]
