from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can, scope_q
from ocop.audit.selectors import audit_history
from ocop.forms import add_service_error
from ocop.geo.models import Commune, Province

from . import selectors, services
from .forms import ProducerFilterForm, ProducerForm, SelfRegistrationForm
from .models import Producer


def _visible_producer(request, pk: int) -> Producer:
    try:
        return selectors.producer_get(user=request.user, pk=pk)
    except Producer.DoesNotExist:
        # Another area's producer is "not found", so its existence is not disclosed.
        raise Http404 from None


def _communes_for(user, action: Action):
    q = scope_q(user, action, province="province_id", commune="pk")
    return Commune.objects.none() if q is None else Commune.objects.filter(q)


@login_required
def producer_list(request):
    if not can(request.user, Action.PRODUCER_VIEW):
        raise PermissionDenied
    visible = selectors.producer_visible(user=request.user)
    provinces = Province.objects.filter(code__in=visible.values("commune__province_id")).order_by(
        "name"
    )
    form = ProducerFilterForm(request.GET or None, provinces=provinces)
    filters = selectors.ProducerFilters()
    if form.is_valid():
        filters = selectors.ProducerFilters(
            q=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            producer_type=form.cleaned_data["producer_type"],
            province=form.cleaned_data["province"],
        )
    page = Paginator(
        selectors.producer_list(user=request.user, filters=filters), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": can(request.user, Action.PRODUCER_CREATE),
    }
    template = "producers/_results.html" if request.htmx else "producers/list.html"
    return render(request, template, context)


@login_required
def producer_detail(request, pk: int):
    producer = _visible_producer(request, pk)
    context = {
        "producer": producer,
        "members": producer.memberships.select_related("user"),
        "can_change": can(request.user, Action.PRODUCER_CHANGE, producer),
        "can_confirm": can(request.user, Action.PRODUCER_CONFIRM, producer),
        "history": audit_history(target=producer)[:5],
    }
    return render(request, "producers/detail.html", context)


@login_required
def producer_history(request, pk: int):
    producer = _visible_producer(request, pk)
    page = Paginator(audit_history(target=producer), 50).get_page(request.GET.get("page"))
    return render(request, "producers/history.html", {"producer": producer, "page": page})


@login_required
def producer_create(request):
    if not can(request.user, Action.PRODUCER_CREATE):
        raise PermissionDenied
    communes = _communes_for(request.user, Action.PRODUCER_CREATE)
    form = ProducerForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            producer = services.producer_create(actor=request.user, data=form.record_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The producer is registered."))
            return redirect(producer)
    return render(request, "producers/form.html", {"form": form, "creating": True})


@login_required
def producer_edit(request, pk: int):
    producer = _visible_producer(request, pk)
    if not can(request.user, Action.PRODUCER_CHANGE, producer):
        raise PermissionDenied
    communes = _communes_for(request.user, Action.PRODUCER_CREATE)
    if not communes.filter(pk=producer.commune_id).exists():
        # A producer member may keep its commune even if it cannot move elsewhere.
        communes = Commune.objects.filter(pk=producer.commune_id) | communes
    form = ProducerForm(request.POST or None, instance=producer, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            services.producer_update(
                actor=request.user,
                producer=Producer.objects.get(pk=producer.pk),
                data=form.record_data(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("producers:detail", pk=producer.pk)
    return render(request, "producers/form.html", {"form": form, "producer": producer})


@login_required
@require_POST
def producer_decide(request, pk: int):
    producer = _visible_producer(request, pk)
    if not can(request.user, Action.PRODUCER_CONFIRM, producer):
        raise PermissionDenied
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "confirm":
            services.producer_confirm(actor=request.user, producer=producer, note=note)
            messages.success(request, _("The producer is confirmed."))
        elif decision == "reject":
            services.producer_reject(actor=request.user, producer=producer, reason=note)
            messages.success(request, _("The registration is rejected."))
        else:
            messages.error(request, _("Choose to confirm or to reject."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("producers:detail", pk=producer.pk)


def producer_register(request):
    """Self-registration of a producer and its first user."""
    if request.user.is_authenticated:
        messages.info(request, _("You are logged in already."))
        return redirect("home")
    form = SelfRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, producer = services.producer_register_self(
                user_data=form.user_data(), data=form.record_data()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])  # ours, not axes
            messages.success(
                request,
                _("Your registration is received. The commune officer will confirm it."),
            )
            return redirect(producer)
    return render(request, "producers/register.html", {"form": form})
