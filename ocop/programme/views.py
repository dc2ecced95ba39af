from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.forms import add_service_error, filter_text
from ocop.geo.models import Commune, Province

from . import progress, selectors, services
from .forms import ApproveForm, PlanForm


@login_required
def plans(request):
    if not can(request.user, Action.DASHBOARD_VIEW):
        raise PermissionDenied
    year = timezone.localdate().year
    overview = selectors.provinces_with_plans(year=year)
    context = {
        "plans": [
            (p, progress.plan_progress(p)) for p in selectors.plan_visible(user=request.user)
        ],
        "overview": overview if _nation_reader(request.user) else None,
        "approved": sum(1 for o in overview if o.plan),
        "year": year,
        "may_create": can(request.user, Action.PROGRAMME_MANAGE),
    }
    return render(request, "programme/plans.html", context)


def _nation_reader(user) -> bool:
    from ocop.reports.figures import Area, area_for

    return area_for(user) == Area()


def _plan(request, pk: int):
    plan = selectors.plan_visible(user=request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    may = services.may_manage(request.user, province=plan.province, commune=plan.commune)
    context = {
        "plan": plan,
        "progress": progress.plan_progress(plan),
        "may_manage": may,
        "approve_form": ApproveForm() if may and plan.status == "draft" else None,
        "history": audit_history(target=plan)[:20],
    }
    return render(request, "programme/plan.html", context)


def _areas(user):
    provinces = [
        p for p in Province.objects.order_by("name") if services.may_manage(user, province=p)
    ]
    ids = [p.pk for p in provinces]
    communes = Commune.objects.filter(province_id__in=ids)
    if not provinces:
        communes = Commune.objects.filter(
            pk__in=[m.commune_id for m in user.memberships.all() if m.commune_id]
        )
    return Province.objects.filter(pk__in=ids).order_by("name"), communes.order_by("name")


@login_required
def plan_form(request, pk: int | None = None):
    if not can(request.user, Action.PROGRAMME_MANAGE):
        raise PermissionDenied
    plan = _plan(request, pk) if pk else None
    if plan is not None and not services.may_manage(
        request.user, province=plan.province, commune=plan.commune
    ):
        raise PermissionDenied  # an officer below the plan's area reads it, does not edit it
    provinces, communes = _areas(request.user)
    form = PlanForm(request.POST or None, instance=plan, provinces=provinces, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_save(
                actor=request.user, data=form.plan_data(), targets=form.targets(), plan=plan
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(saved)
    return render(request, "programme/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_approve(request, pk: int):
    plan = _plan(request, pk)
    form = ApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the number and the date of the approving decision."))
        services.plan_approve(
            actor=request.user,
            plan=plan,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan's approval is recorded."))
    return redirect(plan)


# --- Training courses -------------------------------------------------------------------------


@login_required
def courses(request):
    qs = selectors.course_visible(user=request.user)
    context = {"courses": qs[:200], "may_create": can(request.user, Action.PROGRAMME_MANAGE)}
    return render(request, "programme/courses.html", context)


def _course(request, pk: int):
    course = selectors.course_visible(user=request.user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


@login_required
def course_form(request, pk: int | None = None):
    from .forms import CourseForm

    if not can(request.user, Action.PROGRAMME_MANAGE):
        raise PermissionDenied
    course = _course(request, pk) if pk else None
    if course is not None and not services.may_manage(
        request.user, province=course.province, commune=course.commune
    ):
        raise PermissionDenied
    provinces, communes = _areas(request.user)
    form = CourseForm(request.POST or None, instance=course, provinces=provinces, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_save(actor=request.user, data=form.cleaned_data, course=course)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The course is saved."))
            return redirect(saved)
    return render(request, "programme/course_form.html", {"form": form, "course": course})


@login_required
def course_detail(request, pk: int):
    from .forms import FeedbackForm

    course = _course(request, pk)
    organiser = services.may_manage(request.user, province=course.province, commune=course.commune)
    mine = course.registrations.filter(user=request.user).first()
    context = {
        "course": course,
        "organiser": organiser,
        "registrations": course.registrations.select_related("user", "producer")
        if organiser
        else None,
        "mine": mine,
        "feedback_form": FeedbackForm() if mine and mine.attended and not mine.rating else None,
        "handouts": _handouts(course),
        "count": course.registrations.count(),
        "attended": course.registrations.filter(attended=True).count(),
    }
    return render(request, "programme/course.html", context)


def _handouts(course):
    handouts = list(course.handouts.order_by("title"))
    files = selectors.guidance_files(handouts)
    return [(g, files.get(g.pk)) for g in handouts]


@login_required
@require_POST
def course_register(request, pk: int):
    course = _course(request, pk)
    producer = next((m.producer for m in request.user.memberships.all() if m.producer_id), None)
    services.course_register(actor=request.user, course=course, producer=producer)
    messages.success(request, _("You are registered for the course."))
    return redirect(course)


@login_required
@require_POST
def course_attendance(request, pk: int):
    course = _course(request, pk)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    services.attendance_set(actor=request.user, course=course, present_user_ids=present)
    messages.success(request, _("The attendance is recorded."))
    return redirect(course)


@login_required
@require_POST
def course_feedback(request, pk: int):
    from .forms import FeedbackForm

    course = _course(request, pk)
    form = FeedbackForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Rate the course from 1 to 5."))
        services.course_feedback(actor=request.user, course=course, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(course)


# --- Guidance documents -----------------------------------------------------------------------


def library(request):
    """The guidance library, for everyone: by province, topic and words of the title."""
    from django.conf import settings
    from django.core.paginator import Paginator

    from .models import GuidanceTopic

    province = Province.objects.filter(pk=_digits(request.GET.get("province"))).first()
    topic = request.GET.get("topic", "")
    topic = topic if topic in GuidanceTopic.values else ""
    query = filter_text(request.GET, "q")
    qs = selectors.guidance_library(province=province, topic=topic, query=query)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    files = selectors.guidance_files(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "items": [(g, files.get(g.pk)) for g in page.object_list],
        "provinces": Province.objects.order_by("name"),
        "province": province,
        "topics": GuidanceTopic.choices,
        "topic": topic,
        "q": query,
        "query": params.urlencode(),
        "may_add": request.user.is_authenticated and can(request.user, Action.PROGRAMME_MANAGE),
    }
    return render(request, "programme/library.html", context)


def _digits(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _guidance(request, pk: int):
    from .models import GuidanceDocument

    guidance = (
        GuidanceDocument.objects.select_related("province", "commune__province", "course")
        .filter(pk=pk)
        .first()
    )
    if guidance is None or not selectors.guidance_readable(user=request.user, guidance=guidance):
        raise Http404
    return guidance


def guidance_detail(request, pk: int):
    guidance = _guidance(request, pk)
    may = request.user.is_authenticated and services.may_manage(
        request.user, province=guidance.province, commune=guidance.commune
    )
    context = {
        "guidance": guidance,
        "file": selectors.guidance_files([guidance]).get(guidance.pk),
        "may_manage": may,
        "history": audit_history(target=guidance)[:20] if may else None,
    }
    return render(request, "programme/guidance.html", context)


def guidance_download(request, pk: int, name: str):
    """The file, for whoever may read the document (everyone, once it is published)."""
    from ocop.documents.views import file_response

    guidance = _guidance(request, pk)
    document = selectors.guidance_files([guidance]).get(guidance.pk)
    if document is None:
        raise Http404
    return file_response(
        document, cache="public, max-age=3600" if guidance.published else "private"
    )


@login_required
def guidance_form(request, pk: int | None = None):
    from .forms import GuidanceForm

    if not can(request.user, Action.PROGRAMME_MANAGE):
        raise PermissionDenied
    guidance = _guidance(request, pk) if pk else None
    if guidance is not None and not services.may_manage(
        request.user, province=guidance.province, commune=guidance.commune
    ):
        raise PermissionDenied
    provinces, communes = _areas(request.user)
    courses = selectors.course_visible(user=request.user).filter(
        Q(province__in=provinces) | Q(commune__in=communes)
    )
    initial = {}
    course_id = _digits(request.GET.get("course"))
    if guidance is None and course_id:
        initial["course"] = courses.filter(pk=course_id).first()
    form = GuidanceForm(
        request.POST or None,
        request.FILES or None,
        instance=guidance,
        initial=initial,
        provinces=provinces,
        communes=communes,
        courses=courses,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.guidance_save(
                actor=request.user,
                data=form.guidance_data(),
                file=form.cleaned_data.get("file"),
                guidance=guidance,
            )
        except ValidationError as exc:
            form.add_error(None if hasattr(exc, "error_dict") else "file", exc)
        else:
            messages.success(request, _("The document is saved."))
            return redirect(saved.course if saved.course and not pk else saved)
    return render(request, "programme/guidance_form.html", {"form": form, "guidance": guidance})


@login_required
@require_POST
def guidance_delete(request, pk: int):
    guidance = _guidance(request, pk)
    course = guidance.course
    services.guidance_delete(actor=request.user, guidance=guidance)
    messages.success(request, _("The document is removed."))
    return redirect(course or "programme:library")
