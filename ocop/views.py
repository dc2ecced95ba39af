from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from ocop.accounts.permissions import Action, can
from ocop.databases import unavailable_response
from ocop.dossiers.selectors import dossier_waiting_count
from ocop.ideas.selectors import idea_waiting_count
from ocop.plans.selectors import plan_waiting_count
from ocop.producers.selectors import producer_pending_count, producer_visible


def home(request):
    """The landing page; for officers, the work queue of their area."""
    context = {}
    user = request.user
    if user.is_authenticated:
        queue = []
        for action, count, label, url in [
            (Action.PRODUCER_CONFIRM, producer_pending_count, "producers", "producers:list"),
            (Action.IDEA_REVIEW, idea_waiting_count, "ideas", "ideas:list"),
            (Action.PLAN_REVIEW, plan_waiting_count, "plans", "plans:list"),
            (Action.DOSSIER_REVIEW, dossier_waiting_count, "dossiers", "dossiers:list"),
        ]:
            if can(user, action):
                status = "pending" if label == "producers" else "submitted"
                queue.append(
                    {"kind": label, "count": count(user=user), "url": url, "status": status}
                )
        context["queue"] = queue
        if can(user, Action.PRODUCER_VIEW):
            context["producer_count"] = producer_visible(user=user).count()
            if not can(user, Action.PRODUCER_CONFIRM):
                context["own_producers"] = producer_visible(user=user).select_related(
                    "commune__province"
                )[:5]
    return render(request, "home.html", context)


def healthz(request):
    """Liveness for a load balancer or a process manager: the process answers. It touches
    no database, which also makes it the baseline of the scan-page benchmark."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Readiness: the database answers and holds every migration, and the cache answers.
    503 with the failing part otherwise, so a load balancer sends no traffic yet."""
    from django.core.cache import cache
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("migrations pending")
    except DatabaseError as exc:
        problems.append(f"database: {type(exc).__name__}")
    try:
        cache.set("readyz", "1", 5)
        if cache.get("readyz") != "1":
            problems.append("cache: not kept")
    except Exception as exc:  # noqa: BLE001 - a cache server down raises its own errors
        problems.append(f"cache: {type(exc).__name__}")
    body = "ready" if not problems else "not ready: " + "; ".join(problems)
    return HttpResponse(body, content_type="text/plain", status=200 if not problems else 503)


def robots_txt(request):
    """Search engines may index the public pages, not the API, the admin or the scans."""
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /tem/",
        "Disallow: /01/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors here: the error may come from them.
    return unavailable_response() or HttpResponseServerError(
        loader.get_template("500.html").render()
    )


def rate_limited(request, exception):
    """Too many requests from one client (ocop/ratelimits.py): 429, try again shortly."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
