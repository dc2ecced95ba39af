"""Explicit state machines for the records of the OCOP cycle.

Each record type declares one transition table (its states, the named transitions between
them, and the permission each needs); `transition_perform` is the one way a state changes:
it checks the permission and the state, saves, and writes the audit entry (who, when, why)
in one transaction. The record's timeline is its audit history.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ocop.forms import refuse_nul


@dataclass(frozen=True)
class Transition:
    name: str  # e.g. "submit", "accept"
    sources: frozenset[str]
    target: str
    action: str  # the permissions.Action the actor needs on the record
    label: str = ""  # what the button says (a lazy translation)
    needs_reason: bool = False  # returning or declining says why


class TransitionTable:
    def __init__(self, prefix: str, transitions: Iterable[Transition]):
        self.prefix = prefix  # audit action prefix, e.g. "idea"
        self.transitions = {t.name: t for t in transitions}

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise ValidationError(_("Unknown step: %(name)s") % {"name": name}) from None

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def transition_allowed(*, user, table: TransitionTable, record, name: str) -> bool:
    from ocop.accounts.permissions import can

    t = table.transitions.get(name)
    return t is not None and record.status in t.sources and can(user, t.action, record)


def transitions_for(*, user, table: TransitionTable, record) -> list[Transition]:
    """The transitions this user may take on this record now (for the page's buttons)."""
    return [
        t
        for t in table.from_state(record.status)
        if transition_allowed(user=user, table=table, record=record, name=t.name)
    ]


@transaction.atomic
def transition_perform(
    *, actor, table: TransitionTable, record: models.Model, name: str, reason: str = "", **fields
) -> models.Model:
    """Move `record` along transition `name`; extra `fields` are set on the record too."""
    from ocop.accounts.permissions import can
    from ocop.audit.services import audit_record

    t = table.get(name)
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if not can(actor, t.action, locked):
        raise PermissionDenied
    if locked.status not in t.sources:
        raise ValidationError(
            _("This step is not possible now: the record is “%(state)s”.")
            % {"state": locked.get_status_display()}
        )
    reason = (reason or "").strip()
    refuse_nul(reason)  # the pages pass the reason as posted
    if t.needs_reason and not reason:
        raise ValidationError(_("Say why: the producer reads your comment."))
    before = locked.status
    locked.status = t.target
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save()
    audit_record(
        actor=actor,
        action=f"{table.prefix}.{t.name}",
        target=locked,
        changes={"status": [before, t.target]},
        note=reason,
    )
    return locked
