"""The record of who changed what, and when.

Services write an entry in the same transaction as the change they make, so a change
without its entry cannot exist.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "producer.create": _("Registered by an officer"),
    "producer.register": _("Registered by the producer"),
    "producer.update": _("Changed"),
    "producer.confirm": _("Confirmed"),
    "producer.reject": _("Rejected"),
    "role.grant": _("Role granted"),
    "role.change": _("Role changed"),
    "role.revoke": _("Role revoked"),
    "idea.create": _("Idea registered"),
    "idea.update": _("Idea changed"),
    "idea.submit": _("Submitted to the commune"),
    "idea.request_changes": _("Changes requested"),
    "idea.accept": _("Accepted"),
    "idea.decline": _("Declined"),
    "plan.create": _("Plan written"),
    "plan.update": _("Plan changed"),
    "plan.submit": _("Submitted for review"),
    "plan.return": _("Returned with comments"),
    "plan.approve": _("Approved"),
    "plan.attach": _("File attached"),
    "plan.milestone": _("Milestone added"),
    "plan.milestone_done": _("Milestone done"),
    "plan.support": _("Support recorded"),
    "product.create": _("Product registered"),
    "product.update": _("Product changed"),
    "product.photo_add": _("Photo added"),
    "product.photo_remove": _("Photo removed"),
    "document.upload": _("File uploaded"),
    "document.delete": _("File deleted"),
    "dossier.create": _("Dossier opened"),
    "dossier.answer": _("Self-assessment answered"),
    "dossier.file": _("Evidence file added"),
    "dossier.file_removed": _("Evidence file removed"),
    "dossier.link": _("Evidence link added"),
    "dossier.submit": _("Submitted"),
    "dossier.return": _("Returned with comments"),
    "dossier.accept": _("Accepted for evaluation"),
    "dossier.note": _("Note written"),
    "dossier.commune_pre_assess": _("Assessed by the commune"),
    "council.create": _("Council created"),
    "council.update": _("Council changed"),
    "council.seat_add": _("Member seated"),
    "council.seat_remove": _("Member removed"),
    "round.create": _("Round opened"),
    "session.create": _("Session scheduled"),
    "session.attendance": _("Attendance recorded"),
    "session.close": _("Session closed"),
    "assignment.add": _("Put on the agenda"),
    "assignment.conflict_declare": _("Conflict of interest declared"),
    "assignment.rescore_request": _("Re-score requested"),
    "assignment.discussion": _("Discussion recorded"),
    "assignment.close": _("Result closed"),
    "sheet.save": _("Score sheet saved"),
    "sheet.submit": _("Score sheet submitted"),
    "decision.draft": _("Decision drafted"),
    "decision.issue": _("Decision issued"),
    "certificate.issue": _("Certificate issued"),
    "certificate.supersede": _("Superseded by a newer certificate"),
    "certificate.revoke": _("Certificate revoked"),
    "batch.create": _("Batch recorded"),
    "batch.update": _("Batch changed"),
    "trace.event": _("Supply-chain event recorded"),
    "stamps.order": _("Stamps ordered"),
    "stamps.resume": _("Stamp generation resumed"),
    "stamps.void": _("Stamps voided"),
    "engagement.create": _("Consulting organisation engaged"),
    "engagement.end": _("Engagement ended and rated"),
    "course.create": _("Training course planned"),
    "course.update": _("Training course changed"),
    "course.attendance": _("Attendance recorded"),
    "programme.create": _("OCOP plan drafted"),
    "programme.update": _("OCOP plan changed"),
    "programme.approve": _("OCOP plan approved"),
    "event.create": _("Event published"),
    "event.update": _("Event changed"),
    "event.apply": _("Request to take part"),
    "event.decide": _("Request answered"),
    "import.upload": _("File uploaded for import"),
    "import.apply": _("Import applied"),
    "import.revert": _("Import reverted"),
    "guidance.create": _("Guidance document published"),
    "guidance.update": _("Guidance document changed"),
    "guidance.delete": _("Guidance document removed"),
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in refused"),
}

# Events that create a record: their change list is every initial value, not worth showing.
CREATION_ACTIONS = frozenset(a for a in ACTION_LABELS if a.endswith((".create", ".register")))


class AuditEvent(models.Model):
    """One entry of the log. Entries are hash-chained (`chain.py`): each holds the hash of
    the one before, so that changing, removing or inserting an entry shows."""

    seq = models.PositiveBigIntegerField(_("entry"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_key = models.CharField(max_length=64, blank=True)  # the actor's id, as chained
    action = models.CharField(_("action"), max_length=60)
    # The province of the target, when it has one: what an officer's log shows.
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )  # fmt: skip
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=300)
    # {"field": [old, new]} for changes; free details otherwise (a reason, a role...)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-at"]),
            models.Index(fields=["province", "-at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def get_action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def is_creation(self) -> bool:
        return self.action in CREATION_ACTIONS

    def changes_display(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for each changed field, labelled as the model names it."""
        model = self.target_type.model_class()
        rows = []
        for name, values in self.changes.items():
            try:
                label = model._meta.get_field(name).verbose_name
            except Exception:
                label = name
            old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
            rows.append((label, old, new))
        return rows


class AuditChain(models.Model):
    """The head of the chain: the last entry's number and hash. Appending locks this row
    (SELECT ... FOR UPDATE), so entries are chained one after another."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain")

    def __str__(self) -> str:
        return f"{self.seq}: {self.hash[:12]}"
