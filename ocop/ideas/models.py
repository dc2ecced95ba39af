"""Product ideas: step 2 of the OCOP cycle (đăng ký ý tưởng sản phẩm).

A producer (or the commune officer on its behalf) registers an idea with the fields of the
official idea-registration form; the commune officer accepts it as one of the commune's
candidate products, declines it, or asks for changes.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.search.text import fold
from ocop.workflow import Transition, TransitionTable


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProductIdea(models.Model):
    view_action = Action.IDEA_VIEW

    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("producer"),
    )
    product_name = models.CharField(_("product name"), max_length=255)
    product_group = models.ForeignKey(
        "criteria.ProductGroup",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product group"),
    )
    year = models.PositiveSmallIntegerField(_("cycle year"))
    raw_material_source = models.TextField(_("where the raw material comes from"))
    local_labour = models.PositiveIntegerField(_("local workers employed"), null=True, blank=True)
    local_labour_note = models.TextField(_("how local labour is used"), blank=True)
    local_identity = models.TextField(
        _("what makes it local"), help_text=_("History, culture, landscape, know-how.")
    )
    current_output = models.CharField(_("current output"), max_length=255, blank=True)
    current_market = models.TextField(_("current market"), blank=True)
    support_requested = models.TextField(_("support requested"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IdeaStatus.choices,
        default=IdeaStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("product idea")
        verbose_name_plural = _("product ideas")

    def __str__(self) -> str:
        return self.product_name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.product_name} {self.producer.legal_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])


S = IdeaStatus
IDEA_FLOW = TransitionTable(
    "idea",
    [
        Transition(
            "submit",
            frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
            S.SUBMITTED,
            Action.IDEA_SUBMIT,
            _("Submit to the commune"),
        ),
        Transition(
            "request_changes",
            frozenset({S.SUBMITTED}),
            S.CHANGES_REQUESTED,
            Action.IDEA_REVIEW,
            _("Ask for changes"),
            needs_reason=True,
        ),
        Transition("accept", frozenset({S.SUBMITTED}), S.ACCEPTED, Action.IDEA_REVIEW, _("Accept")),
        Transition(
            "decline",
            frozenset({S.SUBMITTED}),
            S.DECLINED,
            Action.IDEA_REVIEW,
            _("Decline"),
            needs_reason=True,
        ),
    ],
)
# States in which the producer may still change the idea.
IDEA_EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
