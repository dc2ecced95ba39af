from django.shortcuts import render

from ocop.accounts.permissions import Action, can
from ocop.producers.selectors import producer_pending_count, producer_visible


def home(request):
    context = {}
    user = request.user
    if user.is_authenticated:
        if can(user, Action.PRODUCER_CONFIRM):
            context["pending_producers"] = producer_pending_count(user=user)
        if can(user, Action.PRODUCER_VIEW):
            context["producer_count"] = producer_visible(user=user).count()
            context["own_producers"] = (
                producer_visible(user=user).select_related("commune__province")[:5]
                if not can(user, Action.PRODUCER_CONFIRM)
                else None
            )
    return render(request, "home.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors here: the error may come from them.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
