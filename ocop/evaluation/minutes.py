"""The minutes of a council session (biên bản họp hội đồng đánh giá, phân hạng) as a PDF.

The minutes are an administrative document in Vietnamese whatever language the reader's
interface uses, so its fixed wording lives in the template and the labels below, not in the
translation catalogue. The layout follows the usual form of an administrative document
(Decree 30/2020/NĐ-CP): the issuing body and the national motto side by side, the place and
date, the title, the body, and the signatures.

Rendering never reaches the network: the URL fetcher refuses anything but inline data and
files inside the project package, and the fonts are the machine's installed Noto fonts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.template.loader import render_to_string
from django.utils import translation

from ocop.criteria.models import Criterion

from . import rules
from .models import Assignment, AssignmentStatus, CouncilSeat, CouncilSession, Level, SeatRole

TEMPLATE = "evaluation/minutes.html"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the ocop package

LEVEL_VI = {
    Level.COMMUNE: "cấp xã",
    Level.DISTRICT: "cấp huyện",
    Level.PROVINCE: "cấp tỉnh",
    Level.CENTRAL: "cấp Trung ương",
}
ROLE_VI = {
    SeatRole.CHAIR: "Chủ tịch Hội đồng",
    SeatRole.MEMBER: "Thành viên",
    SeatRole.SECRETARY: "Thư ký",
}
UNIT_PREFIXES = ("Thành phố ", "Tỉnh ")
RECOGNISED_FROM_STARS = 3  # 1 and 2 stars are classes, but not OCOP products
TWO_PLACES = Decimal("0.01")


def vi_number(value: Decimal | None) -> str:
    """82,50: two decimals with a decimal comma, as Vietnamese writes numbers."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP):f}".replace(".", ",")


def vi_stars(stars: int | None) -> str:
    if stars is None or stars < RECOGNISED_FROM_STARS:
        return "Không đạt"
    return f"{stars} sao"


def vi_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2026": a day below 10 and a month below 3 take a leading zero
    (Decree 30/2020/NĐ-CP, Annex I), so that the date cannot be altered by hand."""
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {dd} tháng {mm} năm {day.year}"


def _place_name(session: CouncilSession) -> str:
    province = session.council.province
    if province is None:
        return "Hà Nội"  # the central council sits in the capital
    name = province.name
    for prefix in UNIT_PREFIXES:
        name = name.removeprefix(prefix)
    return name


def local_only_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL but inline data and files inside the
    project package: the minutes must render the same offline, and a stray address in a
    text field must never make the server fetch it. (WeasyPrint is imported here so that
    importing this module does not load it.)"""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(PACKAGE_ROOT):
                    return super().fetch(url, headers)
            raise ValueError(f"The minutes fetch no outside resource: {url}")

    return LocalOnlyFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


@dataclass(frozen=True)
class SeatLine:
    name: str
    role: str
    expertise: str
    is_chair: bool
    is_secretary: bool


@dataclass(frozen=True)
class ResultRow:
    number: int
    product: str
    producer: str
    place: str
    criteria_set: str
    score: str
    stars: str
    unmet: tuple[str, ...]
    forwarded: bool
    discussion: str


def _seat_line(seat: CouncilSeat) -> SeatLine:
    return SeatLine(
        name=seat.user.full_name or str(seat.user),
        role=ROLE_VI.get(seat.role, seat.role),
        expertise=seat.expertise,
        is_chair=seat.role == SeatRole.CHAIR,
        is_secretary=seat.role == SeatRole.SECRETARY,
    )


def _criterion_names(assignments: list[Assignment]) -> dict[tuple[int, str], str]:
    wanted = {(a.dossier.criteria_set_id, code) for a in assignments for code, _s in _unmet(a)}
    if not wanted:
        return {}
    rows = Criterion.objects.filter(
        criteria_set_id__in={s for s, _c in wanted}, code__in={c for _s, c in wanted}
    ).values_list("criteria_set_id", "code", "name_vi")
    return {(s, c): name for s, c, name in rows}


def _unmet(assignment: Assignment) -> list[tuple[str, int]]:
    return [(str(code), int(stars)) for code, stars in assignment.unmet_requirements or []]


def _result_rows(assignments: list[Assignment]) -> list[ResultRow]:
    names = _criterion_names(assignments)
    rows = []
    for number, a in enumerate(assignments, start=1):
        product = a.dossier.product
        producer = product.producer
        commune = producer.commune
        cs = a.dossier.criteria_set
        unmet = tuple(
            " ".join(filter(None, [code, names.get((cs.pk, code)), f"(hạng {stars} sao)"]))
            for code, stars in _unmet(a)
        )
        rows.append(
            ResultRow(
                number=number,
                product=product.name,
                producer=producer.legal_name,
                place=f"{commune.name}, {commune.province.name}",
                criteria_set=f"{cs.product_group.name_vi} (QĐ {cs.decision.number})",
                score=vi_number(a.score),
                stars=vi_stars(a.stars),
                unmet=unmet,
                forwarded=a.forwarded,
                discussion=a.discussion.strip(),
            )
        )
    return rows


def _forward_rule(session: CouncilSession) -> rules.LevelRule | None:
    try:
        return rules.period_by_code(session.round.period).level(session.council.level)
    except LookupError:
        return None


def minutes_context(*, session: CouncilSession) -> dict:
    """Everything the minutes template shows, as plain values."""
    council = session.council
    seats = list(council.seats.filter(active=True).select_related("user").order_by("role", "id"))
    present_ids = set(session.present.values_list("id", flat=True))
    # A seat made inactive after the session was still present at it.
    seats += list(session.present.exclude(id__in=[s.id for s in seats]).select_related("user"))
    order = {SeatRole.CHAIR: 0, SeatRole.MEMBER: 1, SeatRole.SECRETARY: 2}
    seats.sort(key=lambda s: (order.get(s.role, 9), s.id))
    present = [_seat_line(s) for s in seats if s.id in present_ids]
    absent = [_seat_line(s) for s in seats if s.id not in present_ids]

    assignments = list(
        session.assignments.select_related(
            "dossier__product__producer__commune__province",
            "dossier__criteria_set__product_group",
            "dossier__criteria_set__decision",
        ).order_by("id")
    )
    closed = [a for a in assignments if a.status == AssignmentStatus.CLOSED]
    rows = _result_rows(closed)
    forward = _forward_rule(session)
    forward_at = forward_to = None
    if forward and forward.forward_at is not None:
        forward_at = vi_number(forward.forward_at).removesuffix(",00")  # "90", not "90,00"
    if forward and forward.forward_to:
        forward_to = LEVEL_VI.get(forward.forward_to)

    chair = next((s for s in present if s.is_chair), None)
    secretary = next((s for s in present if s.is_secretary), None)
    return {
        "session": session,
        "council": council,
        "round": session.round,
        "trial": session.round.trial,
        "level": LEVEL_VI.get(council.level, council.level),
        "place_date": f"{_place_name(session)}, {vi_date(session.date)}",
        "session_date": vi_date(session.date),
        "present": present,
        "absent": absent,
        "scoring_present": sum(1 for s in present if not s.is_secretary),
        "scoring_total": sum(1 for s in seats if s.role != SeatRole.SECRETARY),
        "rows": rows,
        "discussions": [r for r in rows if r.discussion],
        "open_count": len(assignments) - len(closed),
        "forward_at": forward_at,
        "forward_to": forward_to,
        "recognised": sum(
            1 for a in closed if a.stars is not None and a.stars >= RECOGNISED_FROM_STARS
        ),
        "chair": chair,
        "secretary": secretary,
        "members_signing": [s for s in present if not s.is_chair and not s.is_secretary],
    }


def session_minutes_pdf(*, session: CouncilSession) -> bytes:
    """The session's minutes as an A4 PDF, in Vietnamese. Only closed dossiers appear in the
    results table: their result is frozen, so the minutes never show a figure that may still
    change. A trial (training) round's minutes say on every page that they have no value."""
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(TEMPLATE, minutes_context(session=session))
    document = HTML(
        string=html,
        base_url=PACKAGE_ROOT.as_uri() + "/",
        url_fetcher=local_only_fetcher(),
    )
    return document.write_pdf()


def session_minutes_filename(session: CouncilSession) -> str:
    """An ASCII name, safe in a Content-Disposition header and on any file system."""
    suffix = "-ban-thu" if session.round.trial else ""
    return f"bien-ban-hoi-dong-{session.pk}-{session.date.isoformat()}{suffix}.pdf"
