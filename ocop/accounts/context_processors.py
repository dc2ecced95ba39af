from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Action, can


def navigation(request):
    """The menu: only what the person may use."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append((_("Home"), reverse("home"), "home"))
        if can(user, Action.PRODUCER_VIEW):
            items.append((_("Producers"), reverse("producers:list"), "producers"))
    # The criteria sets are public rules: everyone may read them.
    items.append((_("Criteria"), reverse("criteria:list"), "criteria"))
    if user is not None and can(user, Action.ADMIN_SITE) and user.is_staff:
        items.append((_("Administration"), reverse("admin:index"), "admin"))
    return {"nav_items": items}
