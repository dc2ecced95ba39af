"""OCOP plans (đề án / kế hoạch) of an area and period, with their targets. Progress is never
stored: it is counted from the records (progress.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.search.text import fold


class PlanLevel(models.TextChoices):
    NATION = "nation", _("National")
    PROVINCE = "province", _("Provincial")
    COMMUNE = "commune", _("Commune")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Drafted")
    APPROVED = "approved", _("Approved")


class Metric(models.TextChoices):
    """What a target counts (progress.py says how)."""

    PRODUCTS = "products", _("Recognised products (3 stars and more)")
    PRODUCTS_4 = "products_4", _("Products of 4 stars and more")
    PRODUCTS_5 = "products_5", _("Products of 5 stars")
    PRODUCERS = "producers", _("Producers with a recognised product")
    COOPERATIVES = "cooperatives", _("Cooperatives with a recognised product")


class InArea(models.Model):
    """A record of an area: the nation (no province), a province, or a commune of it."""

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )  # fmt: skip
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commune"),
    )  # fmt: skip

    class Meta:
        abstract = True

    @property
    def area_label(self) -> str:
        if self.commune_id:
            return f"{self.commune.name}, {self.commune.province.name}"
        if self.province_id:
            return self.province.name
        return str(_("The whole country"))


class ProgrammePlan(InArea):
    view_action = Action.DASHBOARD_VIEW

    level = models.CharField(_("level"), max_length=20, choices=PlanLevel.choices)
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision_number = models.CharField(_("approved by decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end_year", "level", "id"]
        verbose_name = _("OCOP plan")
        verbose_name_plural = _("OCOP plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:plan", args=[self.pk])


class PlanTarget(models.Model):
    plan = models.ForeignKey(ProgrammePlan, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("target"), max_length=30, choices=Metric.choices)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "metric"], name="one_target_per_metric")
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.value}"


class TrainingCourse(models.Model):
    """A training course (tập huấn) of step 1 of the cycle, organised for an area."""

    view_action = Action.DASHBOARD_VIEW

    title = models.CharField(_("title"), max_length=300)
    topic = models.TextField(_("topic"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    organiser = models.CharField(_("organiser"), max_length=255)
    trainers = models.TextField(_("trainers"), blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commune"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:course", args=[self.pk])


class CourseRegistration(models.Model):
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course_id", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.course}"


class GuidanceTopic(models.TextChoices):
    PROGRAMME = "programme", _("The OCOP programme and its cycle")
    DOSSIER = "dossier", _("Dossiers and evidence")
    CRITERIA = "criteria", _("Criteria and evaluation")
    PRODUCTION = "production", _("Production, quality and food safety")
    PACKAGING = "packaging", _("Packaging, labels and barcodes")
    MARKET = "market", _("Markets and trade promotion")
    OTHER = "other", _("Other")


class GuidanceDocument(InArea):
    """A guidance document (tài liệu hướng dẫn) of step 1 of the cycle: published in the
    library of its area for everyone, or handed out at a training course. Its file is a
    `documents.Document` owned by it (`document_for`)."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=GuidanceTopic.choices)
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="handouts", verbose_name=_("handed out at"),
    )  # fmt: skip
    published = models.BooleanField(_("published in the library"), default=True)
    folded = models.TextField(editable=False, default="")  # title and summary, for search
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("guidance document")
        verbose_name_plural = _("guidance documents")
        indexes = [models.Index(fields=["published", "province", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.folded = fold(f"{self.title} {self.summary}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("programme:guidance", args=[self.pk])
