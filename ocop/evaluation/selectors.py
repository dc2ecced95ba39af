"""Reading councils, rounds, sessions and score sheets, always through the reader's scope.

The visibility rule of a session (provincial council regulations: members score
independently and results are not disclosed before the session ends) lives here, in
`sheet_values_allowed` and `sheets_visible`; pages, API and exports all read through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ocop.accounts.permissions import Action, can, scope_q
from ocop.dossiers.selectors import dossier_spec

from . import rules
from .models import (
    SCORING_SEATS,
    Assignment,
    AssignmentStatus,
    Conflict,
    Council,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    ScoreSheet,
    SeatRole,
    SessionStatus,
    SheetStatus,
)


def _visible(model, user, *, province: str, council: str, distinct: bool = False) -> QuerySet:
    """The rows of `model` the user may see. `distinct` when a lookup follows a reverse
    relation (one row per related row otherwise); the forward ones go without it, whose
    DISTINCT over every selected column cost PostgreSQL ten times the query to plan."""
    # Commune officers and producers hold no COUNCIL_VIEW: the commune lookup is never used.
    q = scope_q(user, Action.COUNCIL_VIEW, province=province, commune=province, council=council)
    if q is None:
        return model.objects.none()
    qs = model.objects.filter(q)
    return qs.distinct() if distinct else qs


def council_visible(*, user) -> QuerySet[Council]:
    return _visible(Council, user, province="province_id", council="pk")


def council_list(*, user, level: str = "") -> QuerySet[Council]:
    qs = council_visible(user=user).select_related("province")
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-term_start", "name")


def round_list(*, user) -> QuerySet[EvaluationRound]:
    """Rounds of the reader's province, and the rounds their councils sit in."""
    return _visible(
        EvaluationRound,
        user,
        province="province_id",
        council="sessions__council_id",
        distinct=True,
    ).order_by("-opens_on", "-id")


def session_visible(*, user) -> QuerySet[CouncilSession]:
    return _visible(
        CouncilSession, user, province="council__province_id", council="council_id"
    ).select_related("round", "council")


def session_get(*, user, pk: int) -> CouncilSession:
    return session_visible(user=user).get(pk=pk)


def assignment_visible(*, user) -> QuerySet[Assignment]:
    return _visible(
        Assignment,
        user,
        province="session__council__province_id",
        council="session__council_id",
    ).select_related(
        "session__round",
        "session__council",
        "dossier__product__producer__commune",
        "dossier__criteria_set",
    )


def assignment_get(*, user, pk: int) -> Assignment:
    return assignment_visible(user=user).get(pk=pk)


# --- Who sits, who counts ------------------------------------------------------------------


def seat_of(*, user, council_id: int) -> CouncilSeat | None:
    """The user's active seat on a council, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    seat = CouncilSeat.objects.filter(council_id=council_id, user=user, active=True).first()
    if seat is not None:
        seat.user = user  # the same row, read already
    return seat


@dataclass(frozen=True)
class Tally:
    """Who counts on one assignment, read from the database (no permission involved)."""

    members: int  # active scoring seats of the council
    present: frozenset[int]  # present active scoring seats
    chair_present: bool
    conflicted: frozenset[int]  # seats excluded for a conflict of interest
    eligible: frozenset[int]  # present scoring seats without a conflict
    sheets: dict[int, ScoreSheet]  # every sheet by seat id
    submitted: dict[int, ScoreSheet]  # eligible members' submitted sheets by seat id

    @property
    def missing(self) -> frozenset[int]:
        return self.eligible - set(self.submitted)


def tally(*, assignment: Assignment) -> Tally:
    session = assignment.session
    seats = list(
        CouncilSeat.objects.filter(
            council_id=session.council_id, active=True, role__in=SCORING_SEATS
        )
    )
    scoring = {s.pk for s in seats}
    present = frozenset(session.present.filter(pk__in=scoring).values_list("pk", flat=True))
    chair_present = any(s.role == SeatRole.CHAIR and s.pk in present for s in seats)
    conflicted = frozenset(
        Conflict.objects.filter(assignment=assignment).values_list("seat_id", flat=True)
    )
    eligible = present - conflicted
    sheets = {s.seat_id: s for s in ScoreSheet.objects.filter(assignment=assignment)}
    submitted = {
        seat: sheet
        for seat, sheet in sheets.items()
        if seat in eligible and sheet.status == SheetStatus.SUBMITTED
    }
    return Tally(len(seats), present, chair_present, conflicted, eligible, sheets, submitted)


def spread_of(*, assignment: Assignment, sheets: dict[int, ScoreSheet]) -> rules.Spread:
    return rules.total_spread(
        {str(seat): sheet.total for seat, sheet in sheets.items()},
        Decimal(assignment.session.allowed_spread),
    )


# --- The visibility rule -------------------------------------------------------------------


def sheet_values_allowed(*, user, assignment: Assignment) -> bool:
    """May `user` read the values (answers, totals) of other members' sheets?

    After close, everyone who may view the council. Before close only a scoring member
    without a conflict who has submitted their own sheet; neither the chair before
    submitting, nor the secretary, nor an officer managing the council.
    """
    if not can(user, Action.COUNCIL_VIEW, assignment):
        return False
    if assignment.status == AssignmentStatus.CLOSED:
        return True
    seat = seat_of(user=user, council_id=assignment.session.council_id)
    if seat is None or not seat.scores:
        return False
    if Conflict.objects.filter(assignment=assignment, seat=seat).exists():
        return False
    return ScoreSheet.objects.filter(
        assignment=assignment, seat=seat, status=SheetStatus.SUBMITTED
    ).exists()


def sheets_visible(*, user, assignment: Assignment) -> QuerySet[ScoreSheet]:
    """The sheets of `assignment` whose values `user` may read.

    - A member sees their own sheet, and the others' submitted sheets once theirs is
      submitted (a re-score request takes that back until they submit again).
    - After close: the sheets the frozen result counted, to everyone with COUNCIL_VIEW.
    - Anyone else (officers before close, the secretary, the producer): nothing.
    """
    sheets = ScoreSheet.objects.filter(assignment=assignment).select_related("seat__user")
    if not can(user, Action.COUNCIL_VIEW, assignment):
        return sheets.none()
    if assignment.status == AssignmentStatus.CLOSED:
        counted = [int(k) for k in assignment.result_sheets]
        return sheets.filter(seat_id__in=counted).order_by("seat_id")
    seat = seat_of(user=user, council_id=assignment.session.council_id)
    if seat is None or not seat.scores:
        return sheets.none()
    own = Q(seat=seat)
    if sheet_values_allowed(user=user, assignment=assignment):
        # A member excluded for a conflict may have submitted before declaring it.
        others = Q(status=SheetStatus.SUBMITTED) & ~Q(seat__conflicts__assignment=assignment)
        return sheets.filter(own | others).distinct().order_by("seat_id")
    return sheets.filter(own)


@dataclass(frozen=True)
class Progress:
    members: int
    present: int
    eligible: int
    submitted: int
    conflicted: int
    quorum_met: bool
    chair_present: bool
    submitted_seats: frozenset[int]  # who has submitted (not what)
    values_shown: bool
    spread: rules.Spread | None  # None unless the reader may see values
    disagreement: list[rules.CriterionDisagreement] | None


def progress(*, user, assignment: Assignment) -> Progress:
    """Where the scoring of one dossier stands. Counts and who has submitted go to everyone
    who may view the council (the chair follows progress); the spread and the per-criterion
    disagreement only to those who may read the values (`sheet_values_allowed`)."""
    if not can(user, Action.COUNCIL_VIEW, assignment):
        raise Assignment.DoesNotExist
    t = tally(assignment=assignment)
    shown = sheet_values_allowed(user=user, assignment=assignment)
    spread = disagreement = None
    if shown:
        spread = spread_of(assignment=assignment, sheets=t.submitted)
        disagreement = rules.criterion_disagreement(
            dossier_spec(dossier=assignment.dossier),
            {str(seat): sheet.answers for seat, sheet in t.submitted.items()},
        )
    return Progress(
        members=t.members,
        present=len(t.present),
        eligible=len(t.eligible),
        submitted=len(t.submitted),
        conflicted=len(t.conflicted),
        quorum_met=rules.quorum_met(
            members=t.members,
            present=len(t.present),
            chair_present=t.chair_present,
            quorum=Decimal(assignment.session.quorum),
        ),
        chair_present=t.chair_present,
        submitted_seats=frozenset(t.submitted),
        values_shown=shown,
        spread=spread,
        disagreement=disagreement,
    )


def assignments_for_member(*, user) -> QuerySet[Assignment]:
    """The member's queue: open dossiers on their councils' open sessions, conflicts left
    out, each with `my_sheet_status` ("" before a sheet exists)."""
    seats = CouncilSeat.objects.filter(user=user, active=True, role__in=SCORING_SEATS)
    my_sheet = ScoreSheet.objects.filter(
        assignment=OuterRef("pk"), seat__user=user, seat__active=True
    ).values("status")[:1]
    return (
        Assignment.objects.filter(session__council__seats__in=seats)
        .exclude(status=AssignmentStatus.CLOSED)
        .exclude(session__status=SessionStatus.CLOSED)
        .exclude(conflicts__seat__user=user)
        .annotate(my_sheet_status=Subquery(my_sheet))
        .select_related("session__round", "session__council", "dossier__product")
        .distinct()
        .order_by("session__date", "session_id", "id")
    )
