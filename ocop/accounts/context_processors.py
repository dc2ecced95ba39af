from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Action, can


def navigation(request):
    """The menu: only what the person may use."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append((_("Home"), reverse("home"), "home"))
        for label, action, url, key in [
            (_("Producers"), Action.PRODUCER_VIEW, "producers:list", "producers"),
            (_("Ideas"), Action.IDEA_VIEW, "ideas:list", "ideas"),
            (_("Plans"), Action.PLAN_VIEW, "plans:list", "plans"),
            (_("Products"), Action.PRODUCT_VIEW, "products:list", "products"),
            (_("Dossiers"), Action.DOSSIER_VIEW, "dossiers:list", "dossiers"),
            (_("Evaluation"), Action.COUNCIL_VIEW, "evaluation:home", "evaluation"),
            (_("Certificates"), Action.DECISION_VIEW, "certificates:certificates", "certificates"),
            (_("Traceability"), Action.TRACE_VIEW, "traceability:home", "traceability"),
            (_("Dashboard"), Action.DASHBOARD_VIEW, "reports:dashboard", "reports"),
            (_("Consulting"), Action.PRODUCER_VIEW, "consultants:engagements", "consultants"),
            (_("Import"), Action.IMPORT_MANAGE, "imports:jobs", "imports"),
            (_("Audit log"), Action.AUDIT_VIEW, "audit:log", "audit"),
        ]:
            if can(user, action):
                items.append((label, reverse(url), key))
    # The catalogue and the criteria sets are public: everyone may read them.
    items.append((_("OCOP products"), reverse("catalog:home"), "catalog"))
    if user is not None and user.is_authenticated and can(user, Action.PRODUCER_VIEW):
        items.append((_("Buyers' messages"), reverse("catalog:inbox"), "inbox"))
    items.append((_("Criteria"), reverse("criteria:list"), "criteria"))
    items.append((_("Guidance"), reverse("programme:library"), "library"))
    if user is not None and can(user, Action.ADMIN_SITE) and user.is_staff:
        items.append((_("Administration"), reverse("admin:index"), "admin"))
    return {"nav_items": items}
