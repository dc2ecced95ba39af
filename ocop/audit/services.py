"""Writing audit events. Called by the services that change state, inside their transaction."""

import datetime
import decimal
import json
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import chain
from .models import AuditChain, AuditEvent


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
    """Append an entry to the log, chained to the one before (chain.py). The chain's head
    is locked until the caller's transaction ends, so entries are chained in order."""
    with transaction.atomic():
        head = _head()
        seq = head.seq + 1
        at = timezone.now()
        changes = json.loads(json.dumps(changes or {}, default=str))  # as the column keeps it
        actor = actor if actor is not None and actor.is_authenticated else None
        target_type = ContentType.objects.get_for_model(target)
        fields = {
            "actor_key": str(actor.pk) if actor is not None else "",
            "action": action,
            "target_id": str(target.pk),
            "target_repr": str(target)[:300],
            "changes": changes,
            "note": note,
        }
        digest = chain.entry_hash(
            seq=seq,
            prev_hash=head.hash,
            at=at,
            actor=fields["actor_key"],
            action=action,
            target_type=f"{target_type.app_label}.{target_type.model}",
            target_id=fields["target_id"],
            target_repr=fields["target_repr"],
            changes=changes,
            note=note,
        )
        event = AuditEvent.objects.create(
            seq=seq,
            prev_hash=head.hash,
            hash=digest,
            at=at,
            actor=actor,
            target_type=target_type,
            province_id=_province_of(target),
            **fields,
        )
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


def _head() -> AuditChain:
    # Create the head if it is missing (a new or flushed database) without failing when
    # another writer creates it first, then lock it.
    AuditChain.objects.bulk_create(
        [AuditChain(pk=1, seq=0, hash=chain.GENESIS)], ignore_conflicts=True
    )
    return AuditChain.objects.select_for_update().get(pk=1)


def _province_of(target) -> int | None:
    """The province of the target's area, when it has one (for the officers' log)."""
    from ocop.accounts.permissions import area_of

    province = getattr(target, "province_id", None)
    if isinstance(province, int):
        return province
    try:
        return area_of(target).province_id
    except (TypeError, AttributeError, ValueError):
        return None
