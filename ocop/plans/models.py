"""Production and business plans (step 3) and their implementation (step 4)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.workflow import Transition, TransitionTable


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class BusinessPlan(models.Model):
    """The plan for an accepted idea: one plan per idea."""

    view_action = Action.PLAN_VIEW

    idea = models.OneToOneField(
        "ideas.ProductIdea",
        on_delete=models.PROTECT,
        related_name="plan",
        verbose_name=_("product idea"),
    )
    objectives = models.TextField(_("objectives"))
    investment_total = models.DecimalField(
        _("total investment (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    funding_sources = models.TextField(_("sources of funding"), blank=True)
    capacity = models.TextField(_("production capacity"), blank=True)
    markets = models.TextField(_("markets and sales channels"), blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="plan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.idea)

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def producer(self):
        return self.idea.producer


class PlanMilestone(models.Model):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training")
    CONSULTING = "consulting", _("Consulting")
    PACKAGING = "packaging", _("Packaging, label, barcode")
    EQUIPMENT = "equipment", _("Equipment")
    CREDIT = "credit", _("Credit")
    OTHER = "other", _("Other")


class SupportActivity(models.Model):
    """Support the producer received while carrying out the plan."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    provider = models.CharField(_("provided by"), max_length=255, blank=True)
    received_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("value (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


S = PlanStatus
PLAN_FLOW = TransitionTable(
    "plan",
    [
        Transition(
            "submit",
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            Action.PLAN_SUBMIT,
            _("Submit for review"),
        ),
        Transition(
            "return",
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            Action.PLAN_REVIEW,
            _("Return with comments"),
            needs_reason=True,
        ),
        Transition(
            "approve", frozenset({S.SUBMITTED}), S.APPROVED, Action.PLAN_REVIEW, _("Approve")
        ),
    ],
)
PLAN_EDITABLE = frozenset({S.DRAFT, S.RETURNED})
