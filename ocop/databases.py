"""The platform's databases at request time: public reads from a replica, and a 503 page
when the database cannot be reached.

Read replica (DATABASE_REPLICA_URL): an anonymous GET or HEAD of a public page named in
settings.REPLICA_VIEWS (the catalogue, stamp and certificate verification, the public
figures) reads from the "replica" database. Everything else reads from the primary, and so
does the rest of a public request once it writes (a scan records itself) or opens a
transaction: reads that lead to a write see what the primary holds. Writes always go to
the primary; migrations run on it only (the replica follows by replication).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

REPLICA = "replica"

# Per request (and per thread or task): may reads go to the replica, and has it written.
_replica_allowed = contextvars.ContextVar("ocop_replica_allowed", default=False)
_wrote = contextvars.ContextVar("ocop_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads may come from the replica (until something is written)."""
    allowed = _replica_allowed.set(True)
    wrote = _wrote.set(False)
    try:
        yield
    finally:
        _replica_allowed.reset(allowed)
        _wrote.reset(wrote)


class ReplicaRouter:
    """Database router: see the module's docstring."""

    def db_for_read(self, model, **hints):
        if not _replica_allowed.get() or _wrote.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # a transaction on the primary reads what it is about to change
        return REPLICA

    def db_for_write(self, model, **hints):
        if _replica_allowed.get():
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _replica_view(view_name: str | None) -> bool:
    if not view_name:
        return False
    namespace = view_name.rpartition(":")[0]
    listed = settings.REPLICA_VIEWS
    return view_name in listed or namespace in listed


class ReplicaReadsMiddleware:
    """Marks the public read-only requests whose reads may go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_ocop_replica_token", None)
        if token is not None:
            allowed, wrote = token
            _replica_allowed.reset(allowed)
            _wrote.reset(wrote)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and _replica_view(request.resolver_match.view_name)
            and not request.user.is_authenticated
        ):
            request._ocop_replica_token = (_replica_allowed.set(True), _wrote.set(False))
        return None


def unavailable_response() -> HttpResponse | None:
    """When the error being handled is the database's (down, restarting, connection
    dropped, SQLite locked too long): a 503 page with Retry-After, rendered without the
    database or the request's context processors; None for any other error. The request's
    transaction was not committed (PostgreSQL ends a transaction whose connection is lost,
    and the services write in one). Django closes the broken connection when the request
    ends; the next request opens a new one."""
    import sys

    if not isinstance(sys.exception(), (OperationalError, InterfaceError)):
        return None
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "10"
    return response
