"""Evaluation councils. Rounds, sessions and score sheets build on them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    COMMUNE = "commune", pgettext_lazy("evaluation level", "Commune")
    DISTRICT = "district", pgettext_lazy("evaluation level", "District (before 1 July 2025)")
    PROVINCE = "province", pgettext_lazy("evaluation level", "Province")
    CENTRAL = "central", pgettext_lazy("evaluation level", "Central")


class Council(models.Model):
    """An evaluation council of one level and area, for a term."""

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("province"),
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["-term_start", "name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.level == Level.CENTRAL and self.province_id:
            raise ValidationError({"province": _("A central council has no province.")})
        if self.level != Level.CENTRAL and not self.province_id:
            raise ValidationError({"province": _("A local council belongs to a province.")})
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary / support team")


SCORING_SEATS = frozenset({SeatRole.CHAIR, SeatRole.MEMBER})


class CouncilSeat(models.Model):
    """A person's place on a council. Chair and members score; the secretary does not."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    expertise = models.CharField(_("field of expertise"), max_length=255, blank=True)
    # Where the member lives, for the conflict-of-interest check (same commune as a producer).
    home_commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["council_id", "role", "id"]
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="one_seat_per_council"),
            models.UniqueConstraint(
                fields=["council"],
                condition=models.Q(role="chair", active=True),
                name="one_chair_per_council",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def scores(self) -> bool:
        return self.role in SCORING_SEATS


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EvaluationRound(models.Model):
    """A round of evaluation at one level and area; its date fixes the rules that apply."""

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    period = models.CharField(_("rules of"), max_length=40)  # a period code of data/levels.yaml
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    trial = models.BooleanField(
        _("trial round"), default=False, help_text=_("Training: no effect on real records.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")


class CouncilSession(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="sessions")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    quorum = models.DecimalField(_("quorum"), max_digits=4, decimal_places=2)
    allowed_spread = models.DecimalField(
        _("allowed spread (points)"), max_digits=5, decimal_places=2
    )
    present = models.ManyToManyField(
        CouncilSeat, blank=True, related_name="sessions_present", verbose_name=_("present")
    )
    minutes_notes = models.TextField(_("notes for the minutes"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")

    def __str__(self) -> str:
        return f"{self.council} — {self.date}"


class AssignmentStatus(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    DISCUSSION = "discussion", _("In discussion")
    CLOSED = "closed", _("Closed")


class Assignment(models.Model):
    """A dossier on a session's agenda, and, once closed, the council's frozen result."""

    session = models.ForeignKey(
        CouncilSession, on_delete=models.PROTECT, related_name="assignments"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.SCORING,
    )
    discussion = models.TextField(_("discussion (recorded by the secretary)"), blank=True)
    # The frozen result, written once when the chair closes the dossier.
    score = models.DecimalField(
        _("council score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    band_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("star class"), null=True, blank=True)
    unmet_requirements = models.JSONField(default=list, blank=True)
    result_sheets = models.JSONField(default=dict, blank=True)  # seat id -> {answers, total}
    forwarded = models.BooleanField(_("forwarded to the next level"), default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "dossier"], name="dossier_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} @ {self.session}"

    @property
    def producer(self):
        return self.dossier.product.producer


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ScoreSheet(models.Model):
    """One member's independent scoring of one assigned dossier."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sheets")
    seat = models.ForeignKey(CouncilSeat, on_delete=models.PROTECT, related_name="sheets")
    answers = models.JSONField(default=dict, blank=True)  # criterion code -> option code
    notes = models.JSONField(default=dict, blank=True)  # criterion code -> note where they deviate
    total = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveSmallIntegerField(default=1)  # goes up with each re-score
    history = models.JSONField(default=list, blank=True)  # earlier submitted totals and answers

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "seat"], name="one_sheet_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.seat} — {self.assignment}"


class Conflict(models.Model):
    """A member excluded from one dossier for a conflict of interest."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="conflicts")
    seat = models.ForeignKey(CouncilSeat, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=255)
    detected = models.BooleanField(default=False)  # found by the system, not declared

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "seat"], name="one_conflict_per_member")
        ]

    def __str__(self) -> str:
        return self.reason


class CommunePreAssessment(models.Model):
    """Under the 2025 procedure the commune scores its criteria and checks the formalities."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="commune_assessment"
    )
    officer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    formalities_ok = models.BooleanField(_("formalities are in order"))
    note = models.TextField(_("note"), blank=True)
    assessed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dossier} (commune)"
