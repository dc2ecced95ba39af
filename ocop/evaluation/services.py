"""Councils, rounds, sessions and scoring (step 5 of the OCOP cycle).

Rules implemented (../shared/reference/ocop_rules.md, "Who evaluates what" and "Council
practice"; the level rules are data in data/levels.yaml, the session rules in rules.py):
- a round keeps the rules of the period its opening date falls in (Decisions 1048/QĐ-TTg,
  148/QĐ-TTg, 1489/QĐ-TTg);
- members score independently; the secretary does not score; a member with a conflict of
  interest is excluded from that dossier;
- the quorum is three quarters of the members, the chair present; the score is the mean of
  the eligible members' totals; a spread above 10 points goes to discussion and re-scoring;
- a product reaching the level's threshold (≥ 90 at province) goes up to the next level;
- from 6 July 2025 the commune pre-assesses its criteria and checks the formalities first.

Every service checks the permission, validates, saves and writes the audit entry in one
transaction. A closed assignment is the council's frozen result: nothing changes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Membership, Role, User
from ocop.accounts.permissions import RULES, Action, Reach, can, memberships
from ocop.accounts.services import membership_grant, membership_revoke
from ocop.audit.services import audit_record, diff, snapshot
from ocop.criteria.scoring import AnswerError, CriteriaSetSpec, score
from ocop.dossiers.models import Dossier, DossierStatus
from ocop.dossiers.selectors import dossier_spec
from ocop.forms import refuse_nul

from . import rules, selectors
from .models import (
    SCORING_SEATS,
    Assignment,
    AssignmentStatus,
    CommunePreAssessment,
    Conflict,
    Council,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    Level,
    RoundStatus,
    ScoreSheet,
    SeatRole,
    SessionStatus,
    SheetStatus,
)

COUNCIL_FIELDS = ("name", "level", "province", "province_id", "term_start", "term_end")
ROUND_FIELDS = (
    "name",
    "level",
    "province",
    "province_id",
    "period",
    "opens_on",
    "closes_on",
    "trial",
)
SEAT_MEMBERSHIP = {
    SeatRole.CHAIR: Role.COUNCIL_MEMBER,
    SeatRole.MEMBER: Role.COUNCIL_MEMBER,
    SeatRole.SECRETARY: Role.COUNCIL_SECRETARY,
}


# --- Helpers -------------------------------------------------------------------------------


def _require(actor: User, action: Action, obj) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied


def _manages_nation(actor: User) -> bool:
    """Central councils and rounds are the central office's (COUNCIL_MANAGE, nation reach)."""
    allowed = RULES[Action.COUNCIL_MANAGE]
    return any(allowed.get(m.role) is Reach.NATION for m in memberships(actor))


def _require_manage_area(actor: User, province) -> None:
    if province is None:
        if not _manages_nation(actor):
            raise PermissionDenied
    else:
        _require(actor, Action.COUNCIL_MANAGE, province)


def _apply(obj, data: dict, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for key, value in data.items():
        setattr(obj, key, value)


def _seat_of(actor: User, council_id: int) -> CouncilSeat | None:
    return selectors.seat_of(user=actor, council_id=council_id)


def _is_chair(actor: User, council_id: int) -> CouncilSeat:
    seat = _seat_of(actor, council_id)
    if seat is None or seat.role != SeatRole.CHAIR:
        raise PermissionDenied(_("Only the council's chair may do this."))
    return seat


def _lock(assignment: Assignment) -> Assignment:
    """The assignment row, locked for the rest of the transaction, and refused when closed.

    Every write on an assignment or its sheets takes this lock first, so that the close
    (which takes it too) sees either all of a submission or none of it."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        # What the permission checks (the producer's area) and the criteria set read.
        .select_related(
            "session__round",
            "session__council",
            "dossier__product__producer__commune",
            "dossier__criteria_set",
        )
        .get(pk=assignment.pk)
    )
    if locked.status == AssignmentStatus.CLOSED:
        raise ValidationError(
            _("The council has closed this dossier: its result can no longer change."),
            code="closed",
        )
    return locked


def _spec(assignment: Assignment) -> CriteriaSetSpec:
    return dossier_spec(dossier=assignment.dossier)


def _validate_answers(spec: CriteriaSetSpec, answers: dict) -> None:
    if not isinstance(answers, dict):
        raise ValidationError(_("The answers must map criterion codes to option codes."))
    try:
        score(spec, answers)
    except AnswerError as e:
        raise ValidationError(str(e), code="unknown_answer") from None


def _level_rule(round: EvaluationRound) -> rules.LevelRule:
    rule = rules.period_by_code(round.period).level(round.level)
    if rule is None:  # round_create prevents it; the data file may have changed since
        raise ValidationError(_("This level does not evaluate under the round's rules."))
    return rule


# --- Councils and seats --------------------------------------------------------------------


@transaction.atomic
def council_create(*, actor: User, data: dict) -> Council:
    """A council of one level and area: the province's (provincial officer) or central."""
    council = Council()
    _apply(council, data, COUNCIL_FIELDS)
    _require_manage_area(actor, council.province)
    council.full_clean()
    council.save()
    audit_record(actor=actor, action="council.create", target=council, changes={"created": True})
    return council


@transaction.atomic
def council_update(*, actor: User, council: Council, data: dict) -> Council:
    council = Council.objects.select_for_update().get(pk=council.pk)
    _require(actor, Action.COUNCIL_MANAGE, council)
    before = snapshot(council, COUNCIL_FIELDS)
    _apply(council, data, COUNCIL_FIELDS)
    _require_manage_area(actor, council.province)  # moving it needs rights there too
    council.full_clean()
    council.save()
    audit_record(
        actor=actor,
        action="council.update",
        target=council,
        changes=diff(before, snapshot(council, COUNCIL_FIELDS)),
    )
    return council


def _council_membership(user: User, council: Council, role: str) -> Membership | None:
    return Membership.objects.filter(user=user, council=council, role=role).first()


def _detect_conflicts(assignment: Assignment, seats: Iterable[CouncilSeat]) -> list[Conflict]:
    """Conflicts the platform can see: the member belongs to the producer, or lives in the
    producer's commune."""
    producer = assignment.dossier.product.producer
    found = []
    for seat in seats:
        if not seat.scores or not seat.active:
            continue
        if Conflict.objects.filter(assignment=assignment, seat=seat).exists():
            continue
        reason = ""
        if Membership.objects.filter(
            user_id=seat.user_id, role=Role.PRODUCER_MEMBER, producer=producer
        ).exists():
            reason = _("Member of the producer")
        elif seat.home_commune_id and seat.home_commune_id == producer.commune_id:
            reason = _("Lives in the producer's commune")
        if reason:
            found.append(
                Conflict.objects.create(
                    assignment=assignment, seat=seat, reason=reason, detected=True
                )
            )
    return found


@transaction.atomic
def seat_add(
    *,
    actor: User,
    council: Council,
    user: User,
    role: str,
    expertise: str = "",
    home_commune=None,
) -> CouncilSeat:
    """Seat a person on a council and grant the matching role (council member for the chair
    and members, council secretary for the secretary). A council has one active chair."""
    _require(actor, Action.COUNCIL_MANAGE, council)
    seat = CouncilSeat.objects.filter(council=council, user=user).first()
    if seat is not None and seat.active:
        raise ValidationError(_("This person already has a seat on the council."))
    if role == SeatRole.CHAIR and council.seats.filter(role=SeatRole.CHAIR, active=True).exists():
        raise ValidationError(_("The council has a chair already."), code="chair")
    seat = seat or CouncilSeat(council=council, user=user)
    seat.role, seat.expertise, seat.home_commune, seat.active = role, expertise, home_commune, True
    seat.full_clean(validate_constraints=False)  # the chair constraint is checked above
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError:  # two chairs added at the same moment
        raise ValidationError(_("The council has a chair already."), code="chair") from None
    membership_role = SEAT_MEMBERSHIP[role]
    if _council_membership(user, council, membership_role) is None:
        membership_grant(actor=actor, user=user, role=membership_role, council=council)
    open_assignments = Assignment.objects.filter(session__council=council).exclude(
        status=AssignmentStatus.CLOSED
    )
    for assignment in open_assignments.select_related("dossier__product__producer"):
        _detect_conflicts(assignment, [seat])
    audit_record(
        actor=actor,
        action="council.seat_add",
        target=council,
        changes={"seat": [None, {"user": str(user), "role": role}]},
    )
    return seat


@transaction.atomic
def seat_remove(*, actor: User, seat: CouncilSeat) -> CouncilSeat:
    """Deactivate the seat (its sheets stay on record) and revoke the council role."""
    seat = CouncilSeat.objects.select_for_update().select_related("council").get(pk=seat.pk)
    _require(actor, Action.COUNCIL_MANAGE, seat.council)
    if not seat.active:
        raise ValidationError(_("This seat is not active."))
    seat.active = False
    seat.save(update_fields=["active"])
    membership = _council_membership(seat.user, seat.council, SEAT_MEMBERSHIP[seat.role])
    if membership is not None:
        membership_revoke(actor=actor, membership=membership)
    audit_record(
        actor=actor,
        action="council.seat_remove",
        target=seat.council,
        changes={"seat": [{"user": str(seat.user), "role": seat.role}, None]},
    )
    return seat


# --- Rounds and sessions -------------------------------------------------------------------


@transaction.atomic
def round_create(*, actor: User, data: dict) -> EvaluationRound:
    """A round at one level; it keeps the rules of the period its opening date falls in
    (data/levels.yaml), unless a period code is given. The level must evaluate in that
    period (no district round after 6 July 2025)."""
    round = EvaluationRound()
    _apply(round, data, ROUND_FIELDS)
    if not round.opens_on:
        raise ValidationError({"opens_on": _("Give the date the round opens.")})
    if isinstance(round.opens_on, str):
        round.opens_on = datetime.date.fromisoformat(round.opens_on)
    try:
        period = (
            rules.period_by_code(round.period) if round.period else rules.period_on(round.opens_on)
        )
    except LookupError:
        # The period given, or else the opening date it was looked up by (the page's field).
        field = "period" if round.period else "opens_on"
        raise ValidationError({field: _("No evaluation rules are known for this.")}) from None
    round.period = period.code
    if period.level(round.level) is None:
        raise ValidationError(
            {
                "level": _("Under %(period)s this level does not evaluate products.")
                % {"period": period.name}
            }
        )
    if round.level == Level.CENTRAL and round.province_id:
        raise ValidationError({"province": _("A central round has no province.")})
    if round.level != Level.CENTRAL and not round.province_id:
        raise ValidationError({"province": _("A local round belongs to a province.")})
    _require_manage_area(actor, round.province)
    round.full_clean()
    round.save()
    audit_record(
        actor=actor,
        action="round.create",
        target=round,
        changes={"period": [None, round.period], "level": [None, round.level]},
    )
    return round


@transaction.atomic
def session_create(
    *,
    actor: User,
    round: EvaluationRound,
    council: Council,
    date: datetime.date,
    place: str = "",
    quorum: Decimal | None = None,
    allowed_spread: Decimal | None = None,
) -> CouncilSession:
    """A sitting of a council in a round; quorum and allowed spread default to the provincial
    regulations' (three quarters, 10 points) and may be set per session."""
    _require(actor, Action.COUNCIL_MANAGE, council)
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is closed."))
    if council.level != round.level:
        raise ValidationError(_("The council's level must be the round's level."))
    if council.province_id != round.province_id:
        raise ValidationError(_("The council and the round must be of the same province."))
    defaults = rules.session_defaults()
    session = CouncilSession(
        round=round,
        council=council,
        date=date,
        place=place,
        quorum=defaults.quorum if quorum is None else quorum,
        allowed_spread=defaults.allowed_spread if allowed_spread is None else allowed_spread,
    )
    if not Decimal(0) < Decimal(session.quorum) <= Decimal(1):
        raise ValidationError({"quorum": _("The quorum is a share between 0 and 1.")})
    session.full_clean()
    session.save()
    audit_record(actor=actor, action="session.create", target=session, changes={"created": True})
    return session


def _open_session(session: CouncilSession) -> CouncilSession:
    session = (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("round", "council")
        .get(pk=session.pk)
    )
    if session.status == SessionStatus.CLOSED:
        raise ValidationError(_("The session is closed."), code="closed")
    return session


@transaction.atomic
def assignment_add(*, actor: User, session: CouncilSession, dossier: Dossier) -> Assignment:
    """Put an accepted dossier on a session's agenda, and record the conflicts of interest
    the platform can detect.

    Refused: a dossier not accepted for evaluation, from another province (a central round
    takes any), already closed at this level; before a provincial council under the 2025
    procedure, one without the commune's pre-assessment with the formalities in order; at
    central level, one that the level below did not forward. Trial rounds skip the last
    three checks.
    """
    _require(actor, Action.COUNCIL_MANAGE, session)
    session = _open_session(session)
    round = session.round
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is closed."))
    dossier = Dossier.objects.select_related("product__producer__commune").get(pk=dossier.pk)
    if dossier.status != DossierStatus.ACCEPTED:
        raise ValidationError(_("Only a dossier accepted for evaluation can be put on the agenda."))
    producer = dossier.product.producer
    if round.level != Level.CENTRAL and producer.commune.province_id != round.province_id:
        raise ValidationError(_("The dossier is from another province than the round."))
    if not round.trial:
        real = Assignment.objects.filter(dossier=dossier, session__round__trial=False)
        if real.filter(status=AssignmentStatus.CLOSED, session__round__level=round.level).exists():
            raise ValidationError(
                _("A council of this level has already closed this dossier."), code="done"
            )
        period = rules.period_by_code(round.period)
        if period.commune_pre_assessment and round.level == Level.PROVINCE:
            pre = CommunePreAssessment.objects.filter(dossier=dossier).first()
            if pre is None or not pre.formalities_ok:
                raise ValidationError(
                    _(
                        "The commune has not pre-assessed this dossier with its formalities "
                        "in order (procedure of Decision 1489/QĐ-TTg)."
                    ),
                    code="pre_assessment",
                )
        if round.level == Level.CENTRAL:
            below = [lv.level for lv in period.levels if lv.forward_to == Level.CENTRAL]
            if not real.filter(
                status=AssignmentStatus.CLOSED,
                forwarded=True,
                session__round__level__in=below,
            ).exists():
                raise ValidationError(
                    _("The provincial council has not forwarded this dossier."),
                    code="not_forwarded",
                )
    if Assignment.objects.filter(session=session, dossier=dossier).exists():
        raise ValidationError(_("The dossier is on this session's agenda already."))
    assignment = Assignment(session=session, dossier=dossier)
    assignment.full_clean()
    assignment.save()
    conflicts = _detect_conflicts(
        assignment, session.council.seats.filter(active=True, role__in=SCORING_SEATS)
    )
    audit_record(
        actor=actor,
        action="assignment.add",
        target=assignment,
        changes={"conflicts_detected": [None, [str(c.seat) for c in conflicts]]},
    )
    return assignment


@transaction.atomic
def attendance_set(
    *, actor: User, session: CouncilSession, present_seats: Iterable[CouncilSeat]
) -> CouncilSession:
    """Record who is present (an officer managing the council, or the chair); the session
    is then in progress."""
    session = _open_session(session)
    if not can(actor, Action.COUNCIL_MANAGE, session):
        _is_chair(actor, session.council_id)
    ids = {s.pk for s in present_seats}
    seats = set(
        CouncilSeat.objects.filter(
            pk__in=ids, council_id=session.council_id, active=True
        ).values_list("pk", flat=True)
    )
    if seats != ids:
        raise ValidationError(_("Only active seats of this council can be present."))
    before = sorted(session.present.values_list("pk", flat=True))
    session.present.set(seats)
    status_before = session.status
    if session.status == SessionStatus.SCHEDULED:
        session.status = SessionStatus.OPEN
        session.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="session.attendance",
        target=session,
        changes={"present": [before, sorted(seats)], "status": [status_before, session.status]},
    )
    return session


@transaction.atomic
def session_close(*, actor: User, session: CouncilSession) -> CouncilSession:
    session = _open_session(session)
    if not can(actor, Action.COUNCIL_MANAGE, session):
        _is_chair(actor, session.council_id)
    if session.assignments.exclude(status=AssignmentStatus.CLOSED).exists():
        raise ValidationError(_("Close every dossier on the agenda first."))
    before = session.status
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="session.close",
        target=session,
        changes={"status": [before, session.status]},
    )
    return session


# --- Scoring -------------------------------------------------------------------------------


def _scoring_seat(actor: User, assignment: Assignment) -> CouncilSeat:
    """The actor's seat, if they may score this dossier: an active chair or member seat,
    SHEET_SUBMIT on the assignment, no conflict of interest."""
    _require(actor, Action.SHEET_SUBMIT, assignment)
    seat = _seat_of(actor, assignment.session.council_id)
    if seat is None or not seat.scores:
        raise PermissionDenied(_("Only the chair and the members of the council score."))
    if Conflict.objects.filter(assignment=assignment, seat=seat).exists():
        raise PermissionDenied(_("You are excluded from this dossier (conflict of interest)."))
    if assignment.status not in (AssignmentStatus.SCORING, AssignmentStatus.DISCUSSION):
        raise ValidationError(_("This dossier is not being scored."))
    return seat


def _own_sheet(assignment: Assignment, seat: CouncilSeat) -> ScoreSheet | None:
    """The seat's sheet on the assignment, holding the instances given (its audit entry
    names both: read again, they cost five queries)."""
    sheet = ScoreSheet.objects.filter(assignment=assignment, seat=seat).first()
    if sheet is not None:
        sheet.assignment, sheet.seat = assignment, seat
    return sheet


@transaction.atomic
def sheet_save(*, actor: User, assignment: Assignment, answers: dict, notes: dict) -> ScoreSheet:
    """Save the member's own score sheet as a draft; the total is computed by the scoring
    engine. A submitted sheet is read-only until the chair asks for a re-score."""
    assignment = _lock(assignment)
    seat = _scoring_seat(actor, assignment)
    spec = _spec(assignment)
    _validate_answers(spec, answers)
    notes = {k: str(v).strip() for k, v in (notes or {}).items() if v and str(v).strip()}
    refuse_nul(*notes.values())
    codes = {c.code for c in spec.criteria()}
    unknown = set(notes) - codes
    if unknown:
        raise ValidationError(
            _("Notes on unknown criteria: %(c)s") % {"c": ", ".join(sorted(unknown))}
        )
    sheet = _own_sheet(assignment, seat)
    if sheet is None:
        sheet = ScoreSheet(assignment=assignment, seat=seat)
    elif sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(_("Your sheet is submitted: it can no longer change."))
    sheet.answers = dict(answers)
    sheet.notes = notes
    sheet.total = score(spec, answers).total
    sheet.full_clean()
    sheet.save()
    # No values in the audit log: officers read it, and values stay sealed until close.
    audit_record(
        actor=actor, action="sheet.save", target=sheet, changes={"revision": sheet.revision}
    )
    return sheet


@transaction.atomic
def sheet_submit(*, actor: User, assignment: Assignment) -> ScoreSheet:
    """Submit the member's own sheet; it must answer every criterion."""
    assignment = _lock(assignment)
    seat = _scoring_seat(actor, assignment)
    sheet = _own_sheet(assignment, seat)
    if sheet is None:
        raise ValidationError(_("Score the dossier first."))
    if sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(_("Your sheet is submitted already."))
    result = score(_spec(assignment), sheet.answers)
    if not result.complete:
        raise ValidationError(
            _("Answer every criterion before submitting; missing: %(c)s")
            % {"c": ", ".join(result.missing)},
            code="incomplete",
        )
    sheet.total = result.total
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save()
    audit_record(
        actor=actor,
        action="sheet.submit",
        target=sheet,
        changes={"status": [SheetStatus.DRAFT, SheetStatus.SUBMITTED], "revision": sheet.revision},
    )
    return sheet


@transaction.atomic
def conflict_declare(*, actor: User, assignment: Assignment, reason: str) -> Conflict:
    """A member declares a conflict of interest on a dossier and is excluded from it: their
    draft is deleted, and no sheet of theirs counts."""
    assignment = _lock(assignment)
    seat = _seat_of(actor, assignment.session.council_id)
    if seat is None:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what the conflict of interest is."))
    refuse_nul(reason)
    if Conflict.objects.filter(assignment=assignment, seat=seat).exists():
        raise ValidationError(_("A conflict of interest is recorded for you already."))
    conflict = Conflict(assignment=assignment, seat=seat, reason=reason[:255], detected=False)
    conflict.full_clean()
    conflict.save()
    ScoreSheet.objects.filter(assignment=assignment, seat=seat, status=SheetStatus.DRAFT).delete()
    audit_record(
        actor=actor,
        action="assignment.conflict_declare",
        target=assignment,
        changes={"conflict": [None, str(seat)]},
        note=reason,
    )
    return conflict


@transaction.atomic
def rescore_request(
    *, actor: User, assignment: Assignment, seats: Iterable[CouncilSeat], note: str
) -> Assignment:
    """The chair sends a dossier whose totals differ by more than the allowed spread to
    discussion, and asks the members concerned to score again: each one's submitted sheet
    goes into its history and back to draft, one revision up."""
    assignment = _lock(assignment)
    _require(actor, Action.COUNCIL_VIEW, assignment)
    _is_chair(actor, assignment.session.council_id)
    t = selectors.tally(assignment=assignment)
    if not selectors.spread_of(assignment=assignment, sheets=t.submitted).flagged:
        raise ValidationError(
            _("The members' totals are within the allowed spread: no re-score is needed.")
        )
    ids = {s.pk for s in seats}
    if not ids or not ids <= set(t.submitted):
        raise ValidationError(_("Choose members whose submitted sheets count."))
    for seat_id in sorted(ids):
        sheet = t.submitted[seat_id]
        sheet.history = [
            *sheet.history,
            {
                "revision": sheet.revision,
                "total": str(sheet.total),
                "answers": sheet.answers,
                "notes": sheet.notes,
                "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
            },
        ]
        sheet.revision += 1
        sheet.status = SheetStatus.DRAFT
        sheet.submitted_at = None
        sheet.save()
    before = assignment.status
    assignment.status = AssignmentStatus.DISCUSSION
    assignment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="assignment.rescore_request",
        target=assignment,
        changes={"status": [before, assignment.status], "rescore": sorted(ids)},
        note=(note or "").strip(),
    )
    return assignment


@transaction.atomic
def discussion_record(*, actor: User, assignment: Assignment, text: str) -> Assignment:
    """The secretary records the council's discussion of the dossier."""
    assignment = _lock(assignment)
    _require(actor, Action.SESSION_RECORD, assignment)
    seat = _seat_of(actor, assignment.session.council_id)
    if seat is None or seat.role != SeatRole.SECRETARY:
        raise PermissionDenied(_("The council's secretary records the discussion."))
    refuse_nul(text or "")
    before = assignment.discussion
    assignment.discussion = (text or "").strip()
    assignment.save(update_fields=["discussion"])
    audit_record(
        actor=actor,
        action="assignment.discussion",
        target=assignment,
        changes={"discussion": [before, assignment.discussion]},
    )
    return assignment


@transaction.atomic
def assignment_close(*, actor: User, assignment: Assignment) -> Assignment:
    """The chair closes a dossier: the council's result is computed from the eligible
    members' submitted sheets and frozen.

    Refused unless the quorum is met (three quarters of the scoring members, the chair among
    them), every present member without a conflict has submitted, and the totals are within
    the allowed spread. The sheets are read inside the lock on the assignment, so a sheet
    submitted at the same moment is either counted or makes the close wait and re-check.
    """
    assignment = _lock(assignment)
    _require(actor, Action.COUNCIL_VIEW, assignment)
    _is_chair(actor, assignment.session.council_id)
    session = assignment.session
    t = selectors.tally(assignment=assignment)
    if not rules.quorum_met(
        members=t.members,
        present=len(t.present),
        chair_present=t.chair_present,
        quorum=Decimal(session.quorum),
    ):
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(members)s scoring members are recorded present "
                "(%(quorum)s%% needed, the chair among them)."
            )
            % {
                "present": len(t.present),
                "members": t.members,
                "quorum": int(Decimal(session.quorum) * 100),
            },
            code="quorum",
        )
    if not t.eligible:
        raise ValidationError(_("No present member may score this dossier."), code="eligible")
    if t.missing:
        raise ValidationError(
            _("%(n)s present member(s) have not submitted their sheet yet.")
            % {"n": len(t.missing)},
            code="missing",
        )
    spread = selectors.spread_of(assignment=assignment, sheets=t.submitted)
    if spread.flagged:
        raise ValidationError(
            _(
                "The totals differ by %(spread)s points, more than the %(allowed)s allowed: "
                "discuss and re-score first."
            )
            % {"spread": spread.spread, "allowed": session.allowed_spread},
            code="spread",
        )
    result = rules.council_result(
        spec=_spec(assignment),
        sheets={str(seat): sheet.answers for seat, sheet in t.submitted.items()},
        totals={str(seat): sheet.total for seat, sheet in t.submitted.items()},
        level=_level_rule(session.round),
    )
    before = assignment.status
    assignment.score = result.score
    assignment.band_stars = result.band_stars
    assignment.stars = result.stars
    assignment.unmet_requirements = [list(u) for u in result.unmet_requirements]
    assignment.result_sheets = {
        str(seat): {
            "answers": sheet.answers,
            "total": str(sheet.total),
            "member": str(sheet.seat.user),
        }
        for seat, sheet in sorted(t.submitted.items())
    }
    assignment.forwarded = result.forward
    assignment.closed_at = timezone.now()
    assignment.closed_by = actor
    assignment.status = AssignmentStatus.CLOSED
    assignment.save()
    audit_record(
        actor=actor,
        action="assignment.close",
        target=assignment,
        changes={
            "status": [before, assignment.status],
            "score": [None, str(result.score)],
            "stars": [None, result.stars],
            "forwarded": [None, result.forward],
            "members_counted": result.members_counted,
        },
    )
    return assignment


# --- The commune's pre-assessment (Decision 1489/QĐ-TTg) ------------------------------------


@transaction.atomic
def commune_pre_assess(
    *, actor: User, dossier: Dossier, answers: dict, formalities_ok: bool, note: str = ""
) -> CommunePreAssessment:
    """Under the procedure in force from 6 July 2025 the commune scores its own criteria
    (local raw material and labour, origin of the idea: the period's `commune_criteria`)
    and checks the formalities before the province's council takes the dossier."""
    _require(actor, Action.COMMUNE_ASSESS, dossier)
    period = rules.period_on(timezone.localdate())
    if not period.commune_pre_assessment:
        raise ValidationError(_("The current procedure has no commune pre-assessment."))
    if Assignment.objects.filter(dossier=dossier, session__round__trial=False).exists():
        raise ValidationError(_("The dossier is before a council already."))
    spec = dossier_spec(dossier=dossier)
    allowed = set(period.commune_criteria) & {c.code for c in spec.criteria()}
    unknown = set(answers or {}) - allowed
    if unknown:
        raise ValidationError(
            _("The commune does not assess: %(c)s") % {"c": ", ".join(sorted(unknown))}
        )
    _validate_answers(spec, answers or {})
    refuse_nul(note or "")
    assessment = CommunePreAssessment.objects.filter(dossier=dossier).first()
    before = (
        None if assessment is None else snapshot(assessment, ("answers", "formalities_ok", "note"))
    )
    assessment = assessment or CommunePreAssessment(dossier=dossier)
    assessment.officer = actor
    assessment.answers = dict(answers or {})
    assessment.formalities_ok = bool(formalities_ok)
    assessment.note = (note or "").strip()
    assessment.full_clean()
    assessment.save()
    after = snapshot(assessment, ("answers", "formalities_ok", "note"))
    audit_record(
        actor=actor,
        action="dossier.commune_pre_assess",
        target=dossier,
        changes=diff(before or {}, after),
    )
    return assessment
