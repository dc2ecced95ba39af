"""Registering and reviewing product ideas (step 2 of the OCOP cycle, Decision 490/QĐ-TTg)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record, diff, snapshot
from ocop.producers.models import Producer, ProducerStatus
from ocop.workflow import transition_perform

from .models import IDEA_EDITABLE, IDEA_FLOW, ProductIdea

IDEA_FIELDS = [
    "product_name",
    "product_group",
    "year",
    "raw_material_source",
    "local_labour",
    "local_labour_note",
    "local_identity",
    "current_output",
    "current_market",
    "support_requested",
]


def _assign(idea: ProductIdea, data: dict) -> None:
    for field in IDEA_FIELDS:
        if field in data:
            setattr(idea, field, data[field])


@transaction.atomic
def idea_create(*, actor: User, producer: Producer, data: dict) -> ProductIdea:
    """A producer (or the commune officer for it) registers an idea, as a draft."""
    if not can(actor, Action.IDEA_SUBMIT, producer):
        raise PermissionDenied
    if producer.status != ProducerStatus.ACTIVE:
        raise ValidationError(
            _("The producer must be confirmed by the commune before it registers ideas.")
        )
    idea = ProductIdea(producer=producer, created_by=actor)
    idea.year = data.get("year") or timezone.localdate().year
    _assign(idea, data)
    idea.full_clean()
    idea.save()
    audit_record(
        actor=actor,
        action="idea.create",
        target=idea,
        changes=diff({}, snapshot(idea, IDEA_FIELDS)),
    )
    return idea


@transaction.atomic
def idea_update(*, actor: User, idea: ProductIdea, data: dict) -> ProductIdea:
    if not can(actor, Action.IDEA_SUBMIT, idea):
        raise PermissionDenied
    idea = ProductIdea.objects.select_for_update().get(pk=idea.pk)
    if idea.status not in IDEA_EDITABLE:
        raise ValidationError(_("A submitted or decided idea can no longer be changed."))
    before = snapshot(idea, IDEA_FIELDS)
    _assign(idea, data)
    # created_by is null once the author's account is deleted; the record lives on.
    idea.full_clean(exclude=["created_by"])
    changes = diff(before, snapshot(idea, IDEA_FIELDS))
    if changes:
        idea.save()
        audit_record(actor=actor, action="idea.update", target=idea, changes=changes)
    return idea


def idea_transition(*, actor: User, idea: ProductIdea, name: str, reason: str = "") -> ProductIdea:
    """Submit, accept, decline or ask for changes; see IDEA_FLOW for who may do what."""
    return transition_perform(actor=actor, table=IDEA_FLOW, record=idea, name=name, reason=reason)
