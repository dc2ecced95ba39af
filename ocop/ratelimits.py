"""Per-client limits on the pages anyone may call (django-ratelimit, counting in Django's
cache). The rates are settings (RATE_LIMITS), read when a request comes."""

from django.conf import settings
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


def _rate(name: str):
    return lambda group, request: settings.RATE_LIMITS[name]


def limited(name: str, *, key: str = "ip", method=ratelimit.ALL):
    """A view decorator: over the rate, the client gets the 429 page (ocop.views)."""
    return ratelimit(group=name, key=key, rate=_rate(name), method=method, block=True)


def limited_view(name: str, **kwargs):
    """The same for a class-based view."""
    return method_decorator(limited(name, **kwargs), name="dispatch")
