from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def audit_history(*, target: models.Model) -> QuerySet[AuditEvent]:
    """Every event about `target`, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    head_seq: int
    head_hash: str
    broken: tuple[int, str] | None  # (entry number, reason)
    entry: str = ""  # the broken entry, described


def chain_verify(*, chunk: int = 5000) -> ChainCheck:
    """Recompute the whole chain, in entry order, a chunk at a time (memory stays flat)."""
    from . import chain
    from .models import AuditChain

    head = AuditChain.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
    fields = (
        "seq", "prev_hash", "hash", "at", "actor_key", "action", "target_id", "target_repr",
        "changes", "note", "target_type__app_label", "target_type__model",
    )  # fmt: skip

    def rows():
        for row in AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk):
            row["target_type"] = (
                f"{row.pop('target_type__app_label')}.{row.pop('target_type__model')}"
            )
            yield row

    count = AuditEvent.objects.count()
    broken = chain.first_break(rows(), head_seq=head_seq, head_hash=head_hash)
    entry = ""
    if broken is not None:
        event = AuditEvent.objects.filter(seq=broken[0]).first()
        entry = str(event) if event else ""
    return ChainCheck(count, head_seq, head_hash, broken, entry)


def audit_visible(*, user) -> QuerySet[AuditEvent]:
    """The log an officer may browse: every entry for the nation's readers, the entries
    about their province's records for a provincial officer."""
    from ocop.accounts.permissions import Action, scope_q

    q = scope_q(user, Action.AUDIT_VIEW, province="province_id", commune="province_id")
    if q is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(q).select_related("actor", "target_type", "province")
