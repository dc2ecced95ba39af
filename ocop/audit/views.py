from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_date

from ocop.accounts.permissions import Action, can
from ocop.forms import filter_text

from .models import ACTION_LABELS
from .selectors import audit_visible


def _date(value: str):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
def audit_log(request):
    """The audit log of the reader's area, filtered by action, person and dates."""
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied
    qs = audit_visible(user=request.user).order_by("-seq")
    action = request.GET.get("action", "")
    if action in ACTION_LABELS:
        qs = qs.filter(action=action)
    person = filter_text(request.GET, "person", limit=100)
    if person:
        qs = qs.filter(actor__email__icontains=person)
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"))
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "actions": sorted(ACTION_LABELS.items(), key=lambda kv: str(kv[1])),
        "action": action,
        "person": person,
        "since": since,
        "until": until,
        "query": params.urlencode(),
    }
    return render(request, "audit/log.html", context)
