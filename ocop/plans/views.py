from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.forms import add_service_error
from ocop.ideas.models import ProductIdea
from ocop.ideas.selectors import idea_get
from ocop.workflow import transitions_for

from . import selectors, services
from .forms import AttachmentForm, MilestoneForm, PlanForm, SupportForm
from .models import PLAN_EDITABLE, PLAN_FLOW, BusinessPlan, PlanMilestone, PlanStatus


def _visible_plan(request, pk: int) -> BusinessPlan:
    try:
        return selectors.plan_get(user=request.user, pk=pk)
    except BusinessPlan.DoesNotExist:
        raise Http404 from None


def _attachments(plan):
    from django.contrib.contenttypes.models import ContentType

    from ocop.documents.models import Document

    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(plan), owner_id=str(plan.pk)
    ).order_by("uploaded_at")


@login_required
def plan_list(request):
    if not can(request.user, Action.PLAN_VIEW):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""  # a status, or all of them
    page = Paginator(
        selectors.plan_list(user=request.user, status=status), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/list.html",
        {
            "page": page,
            "status": status,
            "statuses": PlanStatus.choices,
            "query": f"status={status}",
        },
    )


@login_required
def plan_detail(request, pk: int):
    plan = _visible_plan(request, pk)
    may_implement = plan.status == PlanStatus.APPROVED and (
        can(request.user, Action.PLAN_SUBMIT, plan) or can(request.user, Action.PLAN_REVIEW, plan)
    )
    editable = plan.status in PLAN_EDITABLE and can(request.user, Action.PLAN_SUBMIT, plan)
    context = {
        "plan": plan,
        "transitions": transitions_for(user=request.user, table=PLAN_FLOW, record=plan),
        "can_edit": editable,
        "attachments": _attachments(plan),
        "attachment_form": AttachmentForm() if editable else None,
        "may_implement": may_implement,
        "milestone_form": MilestoneForm(prefix="m") if may_implement else None,
        "support_form": SupportForm(prefix="s") if may_implement else None,
        "history": audit_history(target=plan),
        "today": timezone.localdate(),
    }
    return render(request, "plans/detail.html", context)


@login_required
def plan_create(request, idea_pk: int):
    try:
        idea = idea_get(user=request.user, pk=idea_pk)
    except ProductIdea.DoesNotExist:
        raise Http404 from None
    if not can(request.user, Action.PLAN_SUBMIT, idea):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, idea=idea, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The plan is saved as a draft. Submit it when it is ready.")
            )
            return redirect(plan)
    return render(request, "plans/form.html", {"form": form, "idea": idea})


@login_required
def plan_edit(request, pk: int):
    plan = _visible_plan(request, pk)
    if not can(request.user, Action.PLAN_SUBMIT, plan):
        raise PermissionDenied
    if plan.status not in PLAN_EDITABLE:
        messages.error(request, _("A submitted or approved plan can no longer be changed."))
        return redirect(plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(plan)
    return render(request, "plans/form.html", {"form": form, "plan": plan, "idea": plan.idea})


@login_required
@require_POST
def plan_transition(request, pk: int, name: str):
    plan = _visible_plan(request, pk)
    try:
        services.plan_transition(
            actor=request.user, plan=plan, name=name, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": PLAN_FLOW.get(name).label})
    return redirect(plan)


def _report(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def plan_attach(request, pk: int):
    plan = _visible_plan(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.plan_attach(actor=request.user, plan=plan, file=form.cleaned_data["file"])
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(plan)


@login_required
@require_POST
def milestone_add(request, pk: int):
    plan = _visible_plan(request, pk)
    form = MilestoneForm(request.POST, prefix="m")
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            _report(request, exc)
    else:
        messages.error(request, _("The milestone needs a title and a due date."))
    return redirect(plan)


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    plan = _visible_plan(request, pk)
    milestone = PlanMilestone.objects.filter(plan=plan, pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    try:
        services.milestone_done(
            actor=request.user, milestone=milestone, done_on=timezone.localdate()
        )
    except ValidationError as exc:
        _report(request, exc)
    return redirect(plan)


@login_required
@require_POST
def support_add(request, pk: int):
    plan = _visible_plan(request, pk)
    form = SupportForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            services.support_add(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            _report(request, exc)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(plan)
