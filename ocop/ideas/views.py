from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.forms import add_service_error
from ocop.producers.models import ProducerStatus
from ocop.producers.selectors import producer_visible
from ocop.workflow import transitions_for

from . import selectors, services
from .forms import IdeaFilterForm, IdeaForm
from .models import IDEA_EDITABLE, IDEA_FLOW, ProductIdea


def _visible_idea(request, pk: int) -> ProductIdea:
    try:
        return selectors.idea_get(user=request.user, pk=pk)
    except ProductIdea.DoesNotExist:
        raise Http404 from None


def _writable_producers(user):
    return producer_visible(user=user, action=Action.IDEA_SUBMIT).filter(
        status=ProducerStatus.ACTIVE
    )


@login_required
def idea_list(request):
    if not can(request.user, Action.IDEA_VIEW):
        raise PermissionDenied
    years = (
        selectors.idea_visible(user=request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    form = IdeaFilterForm(request.GET or None, years=list(years))
    filters = selectors.IdeaFilters()
    if form.is_valid():
        filters = selectors.IdeaFilters(
            q=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            year=form.cleaned_data["year"],
        )
    page = Paginator(
        selectors.idea_list(user=request.user, filters=filters), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": _writable_producers(request.user).exists(),
    }
    template = "ideas/_results.html" if request.htmx else "ideas/list.html"
    return render(request, template, context)


@login_required
def idea_detail(request, pk: int):
    idea = _visible_idea(request, pk)
    context = {
        "idea": idea,
        "transitions": transitions_for(user=request.user, table=IDEA_FLOW, record=idea),
        "can_edit": idea.status in IDEA_EDITABLE and can(request.user, Action.IDEA_SUBMIT, idea),
        "history": audit_history(target=idea),
        "plan": getattr(idea, "plan", None),
    }
    return render(request, "ideas/detail.html", context)


@login_required
def idea_create(request):
    producers = _writable_producers(request.user)
    if not producers.exists():
        raise PermissionDenied
    initial = {"producer": request.GET.get("producer")} if request.GET.get("producer") else {}
    form = IdeaForm(request.POST or None, producers=producers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(
                actor=request.user,
                producer=form.cleaned_data["producer"],
                data=form.idea_data(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The idea is saved as a draft. Submit it when it is ready.")
            )
            return redirect(idea)
    return render(request, "ideas/form.html", {"form": form, "creating": True})


@login_required
def idea_edit(request, pk: int):
    idea = _visible_idea(request, pk)
    if not can(request.user, Action.IDEA_SUBMIT, idea):
        raise PermissionDenied
    if idea.status not in IDEA_EDITABLE:
        messages.error(request, _("A submitted or decided idea can no longer be changed."))
        return redirect(idea)
    form = IdeaForm(
        request.POST or None,
        instance=idea,
        producers=_writable_producers(request.user)
        | type(idea.producer).objects.filter(pk=idea.producer_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(actor=request.user, idea=idea, data=form.idea_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(idea)
    return render(request, "ideas/form.html", {"form": form, "idea": idea})


@login_required
@require_POST
def idea_transition(request, pk: int, name: str):
    idea = _visible_idea(request, pk)
    try:
        services.idea_transition(
            actor=request.user, idea=idea, name=name, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": IDEA_FLOW.get(name).label})
    return redirect(idea)
