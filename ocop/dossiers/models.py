"""Evaluation dossiers (hồ sơ đánh giá, phân hạng): documents and the self-assessment.

A dossier is a living record: submitting freezes a numbered version, the officer can return
it with comments per item, the producer changes only those items, and the next version shows
what changed. A later dossier for the same product starts as a copy of the last one.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.workflow import Transition, TransitionTable


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted for evaluation")


class DossierPurpose(models.TextChoices):
    FIRST = "first", _("First evaluation")
    RENEWAL = "renewal", _("Re-evaluation")
    UPGRADE = "upgrade", _("Evaluation for a higher star class")


class Dossier(models.Model):
    view_action = Action.DOSSIER_VIEW

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("product"),
    )
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criteria set"),
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=DossierPurpose.choices, default=DossierPurpose.FIRST
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("submitted versions"), default=0)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried over from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return f"{self.product} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def producer(self):
        return self.product.producer


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Required document")
    CRITERION = "criterion", _("Criterion")


class DossierItem(models.Model):
    """One required document, or the answer to one criterion with its evidence."""

    view_action = Action.DOSSIER_VIEW

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=80)  # "doc:<code>" or "crit:<criterion code>"
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    option = models.CharField(_("chosen option"), max_length=40, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    needs_review = models.BooleanField(_("carried over, to be reviewed"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dossier_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "key"], name="dossier_item_unique_key")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def producer(self):
        return self.dossier.product.producer


class DossierVersion(models.Model):
    """A submitted, frozen state of the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()  # {item key: {option, explanation, links, files: [...]}}
    self_score = models.JSONField(default=dict)  # the scoring engine's result at submission
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossier_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} v{self.number}"


class ReviewComment(models.Model):
    """An officer's comment on one item of a submitted version."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField()
    item_key = models.CharField(max_length=80)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_in = models.PositiveIntegerField(null=True, blank=True)  # the version that answered

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_key}: {self.text[:40]}"


S = DossierStatus
DOSSIER_FLOW = TransitionTable(
    "dossier",
    [
        Transition(
            "submit",
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            Action.DOSSIER_EDIT,
            _("Submit the dossier"),
        ),
        Transition(
            "return",
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            Action.DOSSIER_REVIEW,
            _("Return with comments"),
            needs_reason=True,
        ),
        Transition(
            "accept",
            frozenset({S.SUBMITTED}),
            S.ACCEPTED,
            Action.DOSSIER_REVIEW,
            _("Accept for evaluation"),
        ),
    ],
)
DOSSIER_EDITABLE = frozenset({S.DRAFT, S.RETURNED})
