from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.dossiers.models import Dossier, DossierStatus
from ocop.dossiers.selectors import dossier_get, dossier_spec, dossier_visible
from ocop.forms import add_service_error

from . import analytics, minutes, rules, selectors, services
from .forms import AttendanceForm, CouncilForm, RoundForm, SeatForm, SessionForm
from .models import (
    Assignment,
    AssignmentStatus,
    Council,
    CouncilSeat,
    SeatRole,
    SessionStatus,
    SheetStatus,
)


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def evaluation_home(request):
    """A member's queue of dossiers to score; an officer's councils and rounds."""
    if not (can(request.user, Action.COUNCIL_VIEW) or can(request.user, Action.COMMUNE_ASSESS)):
        raise PermissionDenied
    councils = list(selectors.council_list(user=request.user)[:50])
    context = {
        "queue": selectors.assignments_for_member(user=request.user),
        "councils": councils,
        "managed": {c.pk for c in councils if can(request.user, Action.COUNCIL_MANAGE, c)},
        "rounds": selectors.round_list(user=request.user)[:50],
        "can_manage": can(request.user, Action.COUNCIL_MANAGE),
    }
    return render(request, "evaluation/home.html", context)


def _council(request, pk: int) -> Council:
    council = selectors.council_visible(user=request.user).filter(pk=pk).first()
    if council is None:
        raise Http404
    return council


@login_required
def council_create(request):
    if not can(request.user, Action.COUNCIL_MANAGE):
        raise PermissionDenied
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("evaluation:council", pk=council.pk)
    return render(request, "evaluation/form.html", {"form": form, "title": _("New council")})


@login_required
def council_detail(request, pk: int):
    council = _council(request, pk)
    may_manage = can(request.user, Action.COUNCIL_MANAGE, council)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = SeatForm(request.POST or None) if may_manage else None
    if request.method == "POST" and may_manage and form.is_valid():
        try:
            services.seat_add(
                actor=request.user,
                council=council,
                user=form.cleaned_data["login"],
                role=form.cleaned_data["role"],
                expertise=form.cleaned_data["expertise"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The person is seated on the council."))
            return redirect("evaluation:council", pk=council.pk)
    context = {
        "council": council,
        "seats": council.seats.filter(active=True).select_related("user"),
        "form": form,
        "may_manage": may_manage,
        "history": audit_history(target=council)[:20],
    }
    return render(request, "evaluation/council.html", context)


@login_required
@require_POST
def seat_remove(request, pk: int, seat_pk: int):
    council = _council(request, pk)
    seat = CouncilSeat.objects.filter(council=council, pk=seat_pk).first()
    if seat is None:
        raise Http404
    try:
        services.seat_remove(actor=request.user, seat=seat)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:council", pk=council.pk)


def _date_param(request, name: str):
    value = request.GET.get(name, "").strip()
    try:
        return parse_date(value) if value else None
    except ValueError:  # well formed but not a real date, e.g. 2026-02-30
        return None


@login_required
def council_analytics(request, pk: int):
    """How the council and each member scored over the closed dossiers of a period, for
    those who run the council."""
    council = _council(request, pk)
    if not can(request.user, Action.COUNCIL_MANAGE, council):
        raise PermissionDenied
    since, until = _date_param(request, "since"), _date_param(request, "until")
    figures = analytics.council_analytics(council=council, since=since, until=until)
    products = dict(
        Assignment.objects.filter(
            pk__in=[d.assignment for d in figures.self_differences]
        ).values_list("pk", "dossier__product__name")
    )
    context = {
        "council": council,
        "since": since,
        "until": until,
        "figures": figures,
        "weak_three": figures.near_edge_by_stars.get(3, 0),
        "self_rows": [(products.get(d.assignment, ""), d) for d in figures.self_differences],
        "members": analytics.member_analytics(council=council, since=since, until=until),
    }
    return render(request, "evaluation/analytics.html", context)


@login_required
def round_create(request):
    if not can(request.user, Action.COUNCIL_MANAGE):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("evaluation:round", pk=round.pk)
    return render(request, "evaluation/form.html", {"form": form, "title": _("New round")})


@login_required
def round_detail(request, pk: int):
    round = selectors.round_list(user=request.user).filter(pk=pk).first()
    if round is None:
        raise Http404
    councils = selectors.council_list(user=request.user, level=round.level)
    if round.province_id:
        councils = councils.filter(province_id=round.province_id)
    may_manage = can(request.user, Action.COUNCIL_MANAGE) and councils.exists()
    form = SessionForm(request.POST or None, councils=councils) if may_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user,
                round=round,
                council=form.cleaned_data["council"],
                date=form.cleaned_data["date"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("evaluation:session", pk=session.pk)
    period = rules.period_by_code(round.period)
    context = {
        "round": round,
        "period": period,
        "level_rule": period.level(round.level),
        "sessions": round.sessions.select_related("council"),
        "form": form,
    }
    return render(request, "evaluation/round.html", context)


def _session(request, pk: int):
    try:
        return selectors.session_get(user=request.user, pk=pk)
    except Exception:
        raise Http404 from None


@login_required
def session_detail(request, pk: int):
    session = _session(request, pk)
    may_manage = can(request.user, Action.COUNCIL_MANAGE, session)
    seat = selectors.seat_of(user=request.user, council_id=session.council_id)
    is_chair = seat is not None and seat.role == SeatRole.CHAIR
    seats = session.council.seats.filter(active=True).select_related("user")
    attendance = AttendanceForm(initial={"present": list(session.present.all())}, seats=seats)
    candidates = Dossier.objects.none()
    if may_manage and session.status != SessionStatus.CLOSED:
        candidates = (
            dossier_visible(user=request.user)
            .filter(status=DossierStatus.ACCEPTED)
            .exclude(assignments__session=session)
            .select_related("product__producer")[:200]
        )
    context = {
        "session": session,
        "assignments": session.assignments.select_related("dossier__product__producer"),
        "attendance": attendance if (may_manage or is_chair) else None,
        "seats": seats,
        "present": set(session.present.values_list("pk", flat=True)),
        "candidates": candidates,
        "may_manage": may_manage,
        "is_chair": is_chair,
    }
    return render(request, "evaluation/session.html", context)


@login_required
@require_POST
def session_attendance(request, pk: int):
    session = _session(request, pk)
    seats = session.council.seats.filter(active=True)
    form = AttendanceForm(request.POST, seats=seats)
    if form.is_valid():
        try:
            services.attendance_set(
                actor=request.user, session=session, present_seats=form.cleaned_data["present"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Attendance is recorded."))
    return redirect("evaluation:session", pk=session.pk)


@login_required
@require_POST
def session_add_dossier(request, pk: int):
    session = _session(request, pk)
    try:
        dossier = dossier_get(user=request.user, pk=int(request.POST.get("dossier", 0)))
        services.assignment_add(actor=request.user, session=session, dossier=dossier)
    except (Dossier.DoesNotExist, ValueError):
        messages.error(request, _("Choose a dossier accepted for evaluation."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:session", pk=session.pk)


@login_required
@require_POST
def session_close(request, pk: int):
    session = _session(request, pk)
    try:
        services.session_close(actor=request.user, session=session)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:session", pk=session.pk)


@login_required
def session_minutes(request, pk: int):
    session = _session(request, pk)
    pdf = minutes.session_minutes_pdf(session=session)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = minutes.session_minutes_filename(session)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _assignment(request, pk: int):
    try:
        return selectors.assignment_get(user=request.user, pk=pk)
    except Exception:
        raise Http404 from None


@login_required
def assignment_detail(request, pk: int):
    """The scoring page: the member's own sheet, then what they may see of the others."""
    assignment = _assignment(request, pk)
    session = assignment.session
    seat = selectors.seat_of(user=request.user, council_id=session.council_id)
    spec = dossier_spec(dossier=assignment.dossier)
    sheets = list(selectors.sheets_visible(user=request.user, assignment=assignment))
    mine = next((s for s in sheets if seat and s.seat_id == seat.pk), None)
    others = [s for s in sheets if s is not mine]
    conflicted = seat is not None and assignment.conflicts.filter(seat=seat).exists()
    may_score = (
        seat is not None
        and seat.scores
        and not conflicted
        and assignment.status != AssignmentStatus.CLOSED
        and (mine is None or mine.status == SheetStatus.DRAFT)
    )
    progress = selectors.progress(user=request.user, assignment=assignment)
    answers = mine.answers if mine else {}
    notes = mine.notes if mine else {}
    criteria = [
        {
            "criterion": c,
            "chosen": answers.get(c.code, ""),
            "note": notes.get(c.code, ""),
            "others": [(s, s.answers.get(c.code, "")) for s in others],
        }
        for c in spec.criteria()
    ]
    context = {
        "assignment": assignment,
        "session": session,
        "seat": seat,
        "mine": mine,
        "others": others,
        "criteria": criteria,
        "may_score": may_score,
        "conflicted": conflicted,
        "progress": progress,
        "is_chair": seat is not None and seat.role == SeatRole.CHAIR,
        "is_secretary": seat is not None and seat.role == SeatRole.SECRETARY,
        "scoring_seats": session.council.seats.filter(
            active=True, role__in=[SeatRole.CHAIR, SeatRole.MEMBER]
        ).select_related("user"),
        "self_score": assignment.dossier.versions.order_by("-number").first(),
    }
    return render(request, "evaluation/assignment.html", context)


def _sheet_from_post(request, assignment):
    spec = dossier_spec(dossier=assignment.dossier)
    answers, notes = {}, {}
    for c in spec.criteria():
        if request.POST.get(f"a-{c.code}"):
            answers[c.code] = request.POST[f"a-{c.code}"]
        if request.POST.get(f"n-{c.code}", "").strip():
            notes[c.code] = request.POST[f"n-{c.code}"].strip()
    return answers, notes


@login_required
@require_POST
def sheet_save(request, pk: int):
    assignment = _assignment(request, pk)
    answers, notes = _sheet_from_post(request, assignment)
    try:
        sheet = services.sheet_save(
            actor=request.user, assignment=assignment, answers=answers, notes=notes
        )
        if request.POST.get("submit"):
            services.sheet_submit(actor=request.user, assignment=assignment)
            messages.success(request, _("Your sheet is submitted."))
        else:
            messages.success(
                request, _("Saved: %(total)s points.") % {"total": sheet.total.normalize()}
            )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:assignment", pk=assignment.pk)


@login_required
@require_POST
def conflict_declare(request, pk: int):
    assignment = _assignment(request, pk)
    try:
        services.conflict_declare(
            actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:assignment", pk=assignment.pk)


@login_required
@require_POST
def rescore_request(request, pk: int):
    assignment = _assignment(request, pk)
    seats = CouncilSeat.objects.filter(
        council_id=assignment.session.council_id, pk__in=request.POST.getlist("seats")
    )
    try:
        services.rescore_request(
            actor=request.user,
            assignment=assignment,
            seats=seats,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The members are asked to score again."))
    return redirect("evaluation:assignment", pk=assignment.pk)


@login_required
@require_POST
def discussion_record(request, pk: int):
    assignment = _assignment(request, pk)
    try:
        services.discussion_record(
            actor=request.user, assignment=assignment, text=request.POST.get("text", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:assignment", pk=assignment.pk)


@login_required
@require_POST
def assignment_close(request, pk: int):
    assignment = _assignment(request, pk)
    try:
        services.assignment_close(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The result is closed and frozen."))
    return redirect("evaluation:assignment", pk=assignment.pk)


@login_required
def commune_assessment(request, dossier_pk: int):
    try:
        dossier = dossier_get(user=request.user, pk=dossier_pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if not can(request.user, Action.COMMUNE_ASSESS, dossier):
        raise PermissionDenied
    # The rules in force today, as the service applies them (not those of the dossier's date).
    period = rules.period_on(timezone.localdate())
    spec = dossier_spec(dossier=dossier)
    existing = getattr(dossier, "commune_assessment", None)
    chosen = existing.answers if existing else {}
    criteria = [
        {"criterion": c, "chosen": chosen.get(c.code, "")}
        for c in spec.criteria()
        if c.code in period.commune_criteria
    ]
    if request.method == "POST":
        answers = {
            row["criterion"].code: request.POST.get(f"a-{row['criterion'].code}", "")
            for row in criteria
        }
        try:
            services.commune_pre_assess(
                actor=request.user,
                dossier=dossier,
                answers={k: v for k, v in answers.items() if v},
                formalities_ok=request.POST.get("formalities_ok") == "on",
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The commune's assessment is recorded."))
            return redirect(dossier)
    context = {
        "dossier": dossier,
        "criteria": criteria,
        "existing": existing,
        "period": period,
    }
    return render(request, "evaluation/commune.html", context)
