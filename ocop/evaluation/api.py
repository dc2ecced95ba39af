"""Council scoring over JSON: the same services and selectors as the pages.

What a caller sees of other members' sheets follows the session's visibility rule
(`selectors.sheets_visible`, `selectors.progress`): nothing of their values before the
caller's own sheet is submitted, everything the frozen result counted once it is closed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from ocop.accounts.permissions import Action, can
from ocop.criteria.scoring import number, spec_as_dict
from ocop.dossiers.selectors import dossier_spec
from ocop.pagination import DbInt, DbText

from . import selectors, services
from .models import Assignment, AssignmentStatus, CouncilSession, ScoreSheet

router = Router(tags=["evaluation"])

Points = int | float


class Error(Schema):
    detail: dict[str, list[str]] | str


class AssignmentRow(Schema):
    id: int
    status: str
    product: str
    producer: str
    council: str
    session_id: int
    session_date: datetime.date
    my_sheet_status: str  # "" before the member has a sheet, else "draft" or "submitted"


class SheetOut(Schema):
    seat_id: int
    member: str
    status: str
    revision: int
    total: Points
    answers: dict[str, str]
    notes: dict[str, str]
    submitted_at: datetime.datetime | None


class SpreadOut(Schema):
    lowest: Points
    highest: Points
    spread: Points
    flagged: bool


class DisagreementOut(Schema):
    criterion: str
    spread: Points
    variance: float


class ProgressOut(Schema):
    members: int
    present: int
    eligible: int
    submitted: int
    conflicted: int
    quorum_met: bool
    chair_present: bool
    submitted_seats: list[int]  # who has submitted, not what
    values_shown: bool
    spread: SpreadOut | None  # only when values_shown
    disagreement: list[DisagreementOut] | None  # only when values_shown


class UnmetOut(Schema):
    criterion: str
    required_for_stars: int


class ResultOut(Schema):
    score: Points
    band_stars: int | None
    stars: int | None
    unmet_requirements: list[UnmetOut]
    forwarded: bool
    closed_at: datetime.datetime | None


class DossierSummary(Schema):
    id: int
    product: str
    producer: str
    criteria_set: str


class AssignmentOut(Schema):
    id: int
    status: str
    council: str
    session_id: int
    session_date: datetime.date
    dossier: DossierSummary
    spec: dict
    conflicted: bool
    my_sheet: SheetOut | None
    other_sheets: list[SheetOut]
    progress: ProgressOut
    result: ResultOut | None  # the frozen result, once closed


class SheetIn(Schema):
    answers: dict[DbText, DbText] = {}
    notes: dict[DbText, DbText] = {}


class SessionResultOut(Schema):
    assignment_id: int
    dossier_id: int
    product: str
    producer: str
    score: Points
    band_stars: int | None
    stars: int | None
    unmet_requirements: list[UnmetOut]
    forwarded: bool


RESPONSES = {200: AssignmentOut, 403: Error, 404: Error, 422: Error}


def _invalid(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": exc.message_dict})
    return Status(422, {"detail": {"__all__": exc.messages}})


def _denied(exc: PermissionDenied) -> Status:
    return Status(403, {"detail": str(exc) or str(_("You may not do this."))})


def _get(request, assignment_id: int) -> Assignment:
    try:
        return selectors.assignment_get(user=request.auth, pk=assignment_id)
    except Assignment.DoesNotExist:
        raise Http404 from None


def _unmet(pairs) -> list[dict]:
    return [{"criterion": c, "required_for_stars": s} for c, s in pairs]


def _sheet(sheet: ScoreSheet) -> dict:
    return {
        "seat_id": sheet.seat_id,
        "member": sheet.seat.user.full_name,
        "status": sheet.status,
        "revision": sheet.revision,
        "total": number(sheet.total),
        "answers": sheet.answers,
        "notes": sheet.notes,
        "submitted_at": sheet.submitted_at,
    }


def _detail(request, assignment_id: int) -> dict:
    user = request.auth
    assignment = _get(request, assignment_id)
    session = assignment.session
    dossier = assignment.dossier
    seat = selectors.seat_of(user=user, council_id=session.council_id)
    sheets = list(selectors.sheets_visible(user=user, assignment=assignment))
    mine = next((s for s in sheets if seat is not None and s.seat_id == seat.pk), None)
    progress = selectors.progress(user=user, assignment=assignment)
    spread = progress.spread
    closed = assignment.status == AssignmentStatus.CLOSED
    return {
        "id": assignment.pk,
        "status": assignment.status,
        "council": session.council.name,
        "session_id": session.pk,
        "session_date": session.date,
        "dossier": {
            "id": dossier.pk,
            "product": dossier.product.name,
            "producer": dossier.product.producer.legal_name,
            "criteria_set": dossier.criteria_set.code,
        },
        "spec": spec_as_dict(dossier_spec(dossier=dossier)),
        "conflicted": seat is not None and assignment.conflicts.filter(seat=seat).exists(),
        "my_sheet": _sheet(mine) if mine else None,
        "other_sheets": [_sheet(s) for s in sheets if s is not mine],
        "progress": {
            "members": progress.members,
            "present": progress.present,
            "eligible": progress.eligible,
            "submitted": progress.submitted,
            "conflicted": progress.conflicted,
            "quorum_met": progress.quorum_met,
            "chair_present": progress.chair_present,
            "submitted_seats": sorted(progress.submitted_seats),
            "values_shown": progress.values_shown,
            "spread": None
            if spread is None
            else {
                "lowest": number(spread.lowest),
                "highest": number(spread.highest),
                "spread": number(spread.spread),
                "flagged": spread.flagged,
            },
            "disagreement": None
            if progress.disagreement is None
            else [
                {"criterion": d.criterion, "spread": number(d.spread), "variance": d.variance}
                for d in progress.disagreement
            ],
        },
        "result": {
            "score": number(assignment.score),
            "band_stars": assignment.band_stars,
            "stars": assignment.stars,
            "unmet_requirements": _unmet(assignment.unmet_requirements),
            "forwarded": assignment.forwarded,
            "closed_at": assignment.closed_at,
        }
        if closed
        else None,
    }


@router.get("/assignments", response=list[AssignmentRow])
def assignment_queue(request):
    """The caller's queue: open dossiers to score on their councils' open sessions,
    conflicts of interest left out, with the status of the caller's own sheet."""
    return [
        {
            "id": a.pk,
            "status": a.status,
            "product": a.dossier.product.name,
            "producer": a.dossier.product.producer.legal_name,
            "council": a.session.council.name,
            "session_id": a.session_id,
            "session_date": a.session.date,
            "my_sheet_status": a.my_sheet_status or "",
        }
        for a in selectors.assignments_for_member(user=request.auth).select_related(
            "dossier__product__producer"
        )
    ]


@router.get("/assignments/{assignment_id}", response=RESPONSES)
def assignment_detail(request, assignment_id: DbInt):
    """The dossier with its criteria, the caller's own sheet, the other sheets the caller
    may read, the progress of the scoring and, once closed, the frozen result."""
    return _detail(request, assignment_id)


@router.put("/assignments/{assignment_id}/sheet", response=RESPONSES)
def sheet_save(request, assignment_id: DbInt, payload: SheetIn):
    """Saves the caller's own sheet as a draft (answers: criterion code → option code;
    notes: criterion code → text). Refused (422) once submitted or closed."""
    assignment = _get(request, assignment_id)
    try:
        services.sheet_save(
            actor=request.auth, assignment=assignment, answers=payload.answers, notes=payload.notes
        )
    except PermissionDenied as exc:
        return _denied(exc)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _detail(request, assignment_id))


@router.post("/assignments/{assignment_id}/sheet/submit", response=RESPONSES)
def sheet_submit(request, assignment_id: DbInt):
    """Submits the caller's own sheet; every criterion must be answered (else 422)."""
    assignment = _get(request, assignment_id)
    try:
        services.sheet_submit(actor=request.auth, assignment=assignment)
    except PermissionDenied as exc:
        return _denied(exc)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _detail(request, assignment_id))


@router.get(
    "/sessions/{session_id}/results",
    response={200: list[SessionResultOut], 403: Error, 404: Error},
)
def session_results(request, session_id: DbInt):
    """The frozen results of the session's closed dossiers; open ones are left out."""
    try:
        session = selectors.session_get(user=request.auth, pk=session_id)
    except CouncilSession.DoesNotExist:
        raise Http404 from None
    if not can(request.auth, Action.COUNCIL_VIEW, session):
        return Status(403, {"detail": str(_("You may not see this session's results."))})
    closed = session.assignments.filter(status=AssignmentStatus.CLOSED).select_related(
        "dossier__product__producer"
    )
    return [
        {
            "assignment_id": a.pk,
            "dossier_id": a.dossier_id,
            "product": a.dossier.product.name,
            "producer": a.dossier.product.producer.legal_name,
            "score": number(a.score),
            "band_stars": a.band_stars,
            "stars": a.stars,
            "unmet_requirements": _unmet(a.unmet_requirements),
            "forwarded": a.forwarded,
        }
        for a in closed.order_by("id")
    ]
