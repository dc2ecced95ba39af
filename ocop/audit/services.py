"""Writing audit events. Called by the services that change state, inside their transaction."""

import datetime
import decimal
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "label") and hasattr(value, "value"):  # a Choices member
        return value.value
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The values of `fields` of `obj`, in a form that JSON keeps."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def audit_record(
    *, actor, action: str, target: models.Model, changes: dict | None = None, note: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=changes or {},
        note=note,
    )
