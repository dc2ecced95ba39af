"""Consulting engagements: a producer engages a consulting organisation for some support
(dossier, packaging and label, barcode and traceability, training, market access); the
consultants log what they did; the producer ends the engagement and rates the support.
While an engagement is under way the organisation's consultants may read that producer's
records, and only theirs (accounts/permissions.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import Action, can, memberships
from ocop.audit.services import audit_record

from .models import Engagement, EngagementActivity, EngagementStatus, SupportKind


def is_consultant_of(actor: User, engagement: Engagement) -> bool:
    return any(
        m.role == Role.CONSULTANT and m.consultancy_id == engagement.consultancy_id
        for m in memberships(actor)
    )


@transaction.atomic
def engagement_create(
    *,
    actor: User,
    producer,
    consultancy,
    kinds: list[str],
    product=None,
    starts_on: datetime.date | None = None,
) -> Engagement:
    if not can(actor, Action.ENGAGEMENT_MANAGE, producer):
        raise PermissionDenied
    kinds = sorted(set(kinds))
    if not kinds or set(kinds) - set(SupportKind.values):
        raise ValidationError({"kinds": _("Choose the support the producer asks for.")})
    if product is not None and product.producer_id != producer.pk:
        raise ValidationError({"product": _("This product is another producer's.")})
    if Engagement.objects.filter(
        producer=producer, consultancy=consultancy, status=EngagementStatus.ACTIVE
    ).exists():
        raise ValidationError(_("This organisation is already working with the producer."))
    engagement = Engagement(
        producer=producer,
        consultancy=consultancy,
        product=product,
        kinds=kinds,
        starts_on=starts_on or timezone.localdate(),
        created_by=actor,
    )
    engagement.full_clean()
    engagement.save()
    audit_record(
        actor=actor,
        action="engagement.create",
        target=engagement,
        changes={"consultancy": [None, consultancy.name], "support": kinds},
    )
    return engagement


@transaction.atomic
def activity_add(*, actor: User, engagement: Engagement, day, note: str) -> EngagementActivity:
    """The consultants (or the producer) log what was done."""
    if not (
        is_consultant_of(actor, engagement)
        or can(actor, Action.ENGAGEMENT_MANAGE, engagement.producer)
    ):
        raise PermissionDenied
    if engagement.status != EngagementStatus.ACTIVE:
        raise ValidationError(_("This engagement has ended."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    return EngagementActivity.objects.create(
        engagement=engagement, day=day or timezone.localdate(), note=note, author=actor
    )


@transaction.atomic
def engagement_end(
    *, actor: User, engagement: Engagement, rating: int, comment: str = ""
) -> Engagement:
    """The producer ends the engagement and rates the support, 1 to 5."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if not can(actor, Action.ENGAGEMENT_MANAGE, engagement.producer):
        raise PermissionDenied
    if engagement.status != EngagementStatus.ACTIVE:
        raise ValidationError(_("This engagement has already ended."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Rate the support from 1 to 5.")})
    engagement.status = EngagementStatus.ENDED
    engagement.ends_on = timezone.localdate()
    engagement.rating = rating
    engagement.rating_comment = (comment or "").strip()
    engagement.save(update_fields=["status", "ends_on", "rating", "rating_comment"])
    audit_record(
        actor=actor,
        action="engagement.end",
        target=engagement,
        changes={"status": [EngagementStatus.ACTIVE, EngagementStatus.ENDED], "rating": rating},
    )
    return engagement
