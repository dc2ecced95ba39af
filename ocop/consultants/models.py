"""Consulting organisations that support producers (dossiers, packaging, market access)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Consultancy(models.Model):
    name = models.CharField(_("name"), max_length=255)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    fields_of_work = models.TextField(_("fields of work"), blank=True)
    provinces_served = models.ManyToManyField(
        "geo.Province", blank=True, related_name="+", verbose_name=_("provinces served")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("consulting organisation")
        verbose_name_plural = _("consulting organisations")

    def __str__(self) -> str:
        return self.name


class SupportKind(models.TextChoices):
    DOSSIER = "dossier", _("Evaluation dossier")
    PACKAGING = "packaging", _("Packaging and label")
    TRACEABILITY = "traceability", _("Barcode and traceability")
    TRAINING = "training", _("Training")
    MARKET = "market", _("Market access")


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Under way")
    ENDED = "ended", _("Ended")


class Engagement(models.Model):
    """A producer engages a consulting organisation for some support. While it is under way,
    the organisation's consultants may read that producer's records (and only theirs)."""

    consultancy = models.ForeignKey(
        Consultancy,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("consulting organisation"),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("producer"),
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    kinds = models.JSONField(_("support"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.ACTIVE,
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the support"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("consulting engagement")
        verbose_name_plural = _("consulting engagements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultancy} · {self.producer}"

    def get_absolute_url(self) -> str:
        return reverse("consultants:engagement", args=[self.pk])

    def kinds_display(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds]


class EngagementActivity(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="activity")
    day = models.DateField(_("date"))
    note = models.TextField(_("what was done"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity")

    def __str__(self) -> str:
        return f"{self.day}: {self.note[:40]}"
