"""Registering producers, changing their records and confirming them.

Every change is written to the audit log in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Membership, Role, User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record, diff, snapshot

from .models import Producer, ProducerStatus

# The fields a person edits, and the audit log follows.
RECORD_FIELDS = [
    "legal_name",
    "producer_type",
    "tax_code",
    "registration_number",
    "registration_date",
    "representative_name",
    "representative_title",
    "commune",
    "street_address",
    "phone",
    "email",
    "website",
    "publish_contacts",
    "member_count",
    "worker_count",
    "female_worker_count",
    "ethnic_minority_worker_count",
]


def _require(user, action: Action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _assign(producer: Producer, data: dict) -> None:
    for field in RECORD_FIELDS:
        if field in data:
            setattr(producer, field, data[field])


@transaction.atomic
def producer_create(*, actor: User, data: dict) -> Producer:
    """An officer registers a producer on its behalf; the officer's word confirms it."""
    producer = Producer(created_by=actor)
    _assign(producer, data)
    _require(actor, Action.PRODUCER_CREATE, producer.commune)
    producer.status = ProducerStatus.ACTIVE
    producer.confirmed_by = actor
    producer.confirmed_at = timezone.now()
    producer.full_clean()
    producer.save()
    audit_record(
        actor=actor,
        action="producer.create",
        target=producer,
        changes=diff({}, snapshot(producer, RECORD_FIELDS)),
    )
    return producer


@transaction.atomic
def producer_register_self(*, user_data: dict, data: dict) -> tuple[User, Producer]:
    """A producer signs up: a user account, the producer (pending) and its membership.

    The producer waits for the commune officer to confirm it (the commune checks that the
    organisation exists and works there).
    """
    user = User(
        email=user_data.get("email") or None,
        phone=user_data.get("phone") or None,
        full_name=user_data["full_name"],
    )
    user.set_password(user_data["password"])
    user.full_clean(exclude=["password"])
    user.save()
    producer = Producer(created_by=user, status=ProducerStatus.PENDING)
    _assign(producer, data)
    producer.full_clean()
    producer.save()
    Membership.objects.create(user=user, role=Role.PRODUCER_MEMBER, producer=producer)
    audit_record(
        actor=user,
        action="producer.register",
        target=producer,
        changes=diff({}, snapshot(producer, RECORD_FIELDS)),
    )
    return user, producer


@transaction.atomic
def producer_update(*, actor: User, producer: Producer, data: dict) -> Producer:
    _require(actor, Action.PRODUCER_CHANGE, producer)
    before = snapshot(producer, RECORD_FIELDS)
    _assign(producer, data)
    # Moving a producer to another commune must stay within the actor's own area.
    if producer.commune_id != Producer.objects.get(pk=producer.pk).commune_id:
        _require(actor, Action.PRODUCER_CREATE, producer.commune)
    producer.full_clean()
    changes = diff(before, snapshot(producer, RECORD_FIELDS))
    if changes:
        producer.save()
        audit_record(actor=actor, action="producer.update", target=producer, changes=changes)
        from ocop.catalog.services import producer_listings_refresh

        producer_listings_refresh(producer=producer)  # its listed products show the change
    return producer


def _set_status(*, actor: User, producer: Producer, status: str, note: str, action: str):
    _require(actor, Action.PRODUCER_CONFIRM, producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    if producer.status != ProducerStatus.PENDING:
        raise ValidationError(
            _("Only a producer awaiting confirmation can be confirmed or rejected.")
        )
    producer.status = status
    producer.status_note = note
    if status == ProducerStatus.ACTIVE:
        producer.confirmed_by = actor
        producer.confirmed_at = timezone.now()
    producer.save(update_fields=["status", "status_note", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action=action,
        target=producer,
        changes={"status": [ProducerStatus.PENDING.value, status]},
        note=note,
    )
    return producer


@transaction.atomic
def producer_confirm(*, actor: User, producer: Producer, note: str = "") -> Producer:
    """The commune (or province) confirms a self-registered producer."""
    return _set_status(
        actor=actor,
        producer=producer,
        status=ProducerStatus.ACTIVE,
        note=note,
        action="producer.confirm",
    )


@transaction.atomic
def producer_reject(*, actor: User, producer: Producer, reason: str) -> Producer:
    if not reason.strip():
        raise ValidationError(_("Say why the registration is rejected."))
    return _set_status(
        actor=actor,
        producer=producer,
        status=ProducerStatus.REJECTED,
        note=reason.strip(),
        action="producer.reject",
    )
