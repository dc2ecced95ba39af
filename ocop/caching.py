"""Results kept in Django's cache (Redis when REDIS_URL is set, else each process's memory)
under a generation number: a change to the records they come from moves the number on once
it is committed, and every key made before is never read again (it expires on its own).

    CATALOGUE = Generation("ocop:catalog")
    CATALOGUE.changed()                       # in a transaction: after it commits
    CATALOGUE.cached(("search", q), compute, seconds=300)

The timeout bounds what a change made outside the paths that call changed() (a raw update,
a restore into a running platform) or in another process without a shared cache can leave
unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from time import time_ns
from typing import TypeVar

T = TypeVar("T")


class Generation:
    def __init__(self, name: str):
        self.name = name
        self.key = f"{name}:generation"

    def changed(self) -> None:
        """The records behind the results have changed: compute anew once this is committed
        (at once outside a transaction)."""
        from django.db import transaction

        transaction.on_commit(self._next)

    def _next(self) -> None:
        from django.core.cache import cache

        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache (evicted, or never set): any new number will do
            cache.set(self.key, time_ns(), None)

    def current(self) -> int:
        from django.core.cache import cache

        return cache.get_or_set(self.key, time_ns(), None)

    def cached(self, parts: Iterable, compute: Callable[[], T], *, seconds: int) -> T:
        """compute()'s result, kept under `parts` (values whose repr() says what they are) and
        this generation for `seconds`; compute() itself when `seconds` is 0."""
        if seconds <= 0:
            return compute()
        from django.core.cache import cache

        digest = hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()
        key = f"{self.name}:{self.current()}:{digest}"  # any text, of a bounded length
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value
