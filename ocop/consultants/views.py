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
from ocop.producers.selectors import producer_visible
from ocop.products.models import Product

from . import selectors, services
from .forms import ActivityForm, EndForm, EngagementForm


@login_required
def engagements(request):
    qs = selectors.engagement_visible(user=request.user)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "may_create": can(request.user, Action.ENGAGEMENT_MANAGE)}
    return render(request, "consultants/engagements.html", context)


def _engagement(request, pk: int):
    engagement = selectors.engagement_visible(user=request.user).filter(pk=pk).first()
    if engagement is None:
        raise Http404
    return engagement


@login_required
def engagement_create(request):
    if not can(request.user, Action.ENGAGEMENT_MANAGE):
        raise PermissionDenied
    producers = producer_visible(user=request.user, action=Action.ENGAGEMENT_MANAGE)
    products = Product.objects.filter(producer__in=producers).order_by("name")
    form = EngagementForm(request.POST or None, producers=producers, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The consulting organisation is engaged."))
            return redirect(engagement)
    return render(request, "consultants/engagement_form.html", {"form": form})


@login_required
def engagement_detail(request, pk: int):
    engagement = _engagement(request, pk)
    producer_side = can(request.user, Action.ENGAGEMENT_MANAGE, engagement.producer)
    consultant = services.is_consultant_of(request.user, engagement)
    active = engagement.status == "active"
    context = {
        "engagement": engagement,
        "activity": engagement.activity.select_related("author"),
        "activity_form": ActivityForm() if active and (producer_side or consultant) else None,
        "end_form": EndForm() if active and producer_side else None,
        "history": audit_history(target=engagement)[:10],
    }
    return render(request, "consultants/engagement.html", context)


@login_required
@require_POST
def activity_add(request, pk: int):
    engagement = _engagement(request, pk)
    form = ActivityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the date and say what was done."))
        services.activity_add(actor=request.user, engagement=engagement, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(engagement)


@login_required
@require_POST
def engagement_end(request, pk: int):
    engagement = _engagement(request, pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Rate the support from 1 to 5."))
        services.engagement_end(actor=request.user, engagement=engagement, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The engagement has ended; thank you for rating it."))
    return redirect(engagement)
