"""Granting and revoking roles; each change is recorded in the audit log."""

from django.db import transaction

from ocop.audit.services import audit_record

from .models import SCOPE_FIELDS, Membership, Role, User


def _describe(membership: Membership) -> dict:
    return {
        "role": membership.role,
        **{
            f: str(getattr(membership, f))
            for f in SCOPE_FIELDS
            if getattr(membership, f"{f}_id") is not None
        },
    }


@transaction.atomic
def membership_save(*, actor: User | None, membership: Membership) -> Membership:
    creating = membership.pk is None
    before = None if creating else _describe(Membership.objects.get(pk=membership.pk))
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="role.grant" if creating else "role.change",
        target=membership.user,
        changes={"membership": [before, _describe(membership)]},
    )
    return membership


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, role: Role, **scope) -> Membership:
    return membership_save(actor=actor, membership=Membership(user=user, role=role, **scope))


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    audit_record(
        actor=actor,
        action="role.revoke",
        target=membership.user,
        changes={"membership": [_describe(membership), None]},
    )
    membership.delete()
