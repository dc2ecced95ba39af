"""People and their roles.

A user logs in with an email address or a phone number. What a user may do comes from
memberships: a role held within a scope (a producer, a commune, a province, the nation, a
council or a consulting organisation). See `permissions.py` for the rules.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identifiers import InvalidPhone, normalize_email, normalize_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, phone, password, **extra):
        if not email and not phone:
            raise ValueError("A user needs an email address or a phone number.")
        user = self.model(
            email=normalize_email(email) or None,
            phone=normalize_phone(phone) if phone else None,
            **extra,
        )
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, phone=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, phone, password, **extra)

    def create_superuser(self, email=None, password=None, phone=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=15, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or ""

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email) or None
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except InvalidPhone:
                raise ValidationError(
                    {"phone": _("Enter a Vietnamese phone number, e.g. 0912 345 678.")}
                ) from None
        else:
            self.phone = None
        if not self.email and not self.phone:
            raise ValidationError(_("Enter an email address or a phone number."))

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else str(self)


class Role(models.TextChoices):
    PRODUCER_MEMBER = "producer_member", _("Producer member")
    COMMUNE_OFFICER = "commune_officer", _("Commune OCOP officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial OCOP officer")
    CENTRAL_OFFICER = "central_officer", _("Central OCOP officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    CONSULTANT = "consultant", _("Consultant")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which scope field each role is held in; None: the whole nation.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.PRODUCER_MEMBER: "producer",
    Role.COMMUNE_OFFICER: "commune",
    Role.PROVINCIAL_OFFICER: "province",
    Role.CENTRAL_OFFICER: None,
    Role.COUNCIL_MEMBER: "council",
    Role.COUNCIL_SECRETARY: "council",
    Role.CONSULTANT: "consultancy",
    Role.ADMINISTRATOR: None,
}
SCOPE_FIELDS = ("producer", "commune", "province", "council", "consultancy")


def _scope_constraint() -> Q:
    """Exactly the scope field of the role is set, and no other."""
    condition = Q()
    for role, field in ROLE_SCOPE_FIELD.items():
        this = Q(role=role)
        for name in SCOPE_FIELDS:
            this &= Q(**{f"{name}__isnull": name != field})
        condition |= this
    return condition


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("producer"),
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    council = models.ForeignKey(
        "evaluation.Council",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("council"),
    )
    consultancy = models.ForeignKey(
        "consultants.Consultancy",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("consulting organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=_scope_constraint(), name="membership_scope_fits_role"
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"unique_membership_per_{name}",
                )
                for name in SCOPE_FIELDS
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=[r for r, f in ROLE_SCOPE_FIELD.items() if f is None]),
                name="unique_membership_nationwide",
            ),
        ]

    def __str__(self) -> str:
        scope = self.scope
        return f"{self.get_role_display()} — {scope}" if scope else self.get_role_display()

    @property
    def scope(self):
        field = ROLE_SCOPE_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self):
        field = ROLE_SCOPE_FIELD.get(self.role)
        errors = {}
        for name in SCOPE_FIELDS:
            value = getattr(self, f"{name}_id")
            if name == field and value is None:
                errors[name] = _("This role needs a value here: %(scope)s.") % {
                    "scope": self._meta.get_field(name).verbose_name
                }
            elif name != field and value is not None:
                errors[name] = _("Leave this empty for this role: %(scope)s.") % {
                    "scope": self._meta.get_field(name).verbose_name
                }
        if errors:
            raise ValidationError(errors)
