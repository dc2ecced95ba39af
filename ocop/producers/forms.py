from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ocop.accounts.identifiers import InvalidPhone, normalize_email, normalize_phone
from ocop.accounts.models import User
from ocop.forms import db_int
from ocop.geo.models import Commune, Province

from .models import Producer
from .services import RECORD_FIELDS
from .tax_code import InvalidTaxCode, normalize_tax_code


class ProducerForm(forms.ModelForm):
    """The producer's record. The commune list follows the chosen province (htmx)."""

    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.order_by("name"), required=True
    )

    class Meta:
        model = Producer
        fields = list(RECORD_FIELDS)
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    fieldsets = [
        (
            _("Organisation"),
            [
                "legal_name",
                "producer_type",
                "tax_code",
                "registration_number",
                "registration_date",
            ],
        ),
        (
            _("Representative and contacts"),
            [
                "representative_name",
                "representative_title",
                "phone",
                "email",
                "website",
                "publish_contacts",
            ],
        ),
        (_("Address"), ["province", "commune", "street_address"]),
        (
            _("Workforce"),
            ["member_count", "worker_count", "female_worker_count", "ethnic_minority_worker_count"],
        ),
    ]

    def grouped_fields(self):
        """[(legend, [bound fields])] in the order the page shows them."""
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def __init__(self, *args, communes=None, **kwargs):
        """`communes`: the communes this person may put a producer in (None: all)."""
        super().__init__(*args, **kwargs)
        self.allowed_communes = communes if communes is not None else Commune.objects.all()
        allowed_provinces = Province.objects.filter(
            code__in=self.allowed_communes.values("province_id")
        ).order_by("name")
        self.fields["province"].queryset = allowed_provinces
        province_id = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        if not province_id and self.instance.pk:
            province_id = self.instance.commune.province_id
        if not province_id and allowed_provinces.count() == 1:
            province_id = allowed_provinces.first().pk
        self.initial.setdefault("province", province_id)
        province_code = db_int(province_id)  # not a number, or past 64 bits: no province
        if province_code is None:
            communes_here = self.allowed_communes.none()
        else:
            communes_here = self.allowed_communes.filter(province_id=province_code)
        self.fields["commune"].queryset = communes_here.order_by("name")
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": "/geo/communes/",
                "hx-target": "#id_commune",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        self.order_fields(["legal_name", "producer_type", "tax_code", "province", "commune"])

    def clean_tax_code(self):
        value = self.cleaned_data.get("tax_code")
        if not value:
            return None
        try:
            return normalize_tax_code(value)
        except InvalidTaxCode:
            return value  # the model's validator words the error

    def clean(self):
        cleaned = super().clean()
        commune, province = cleaned.get("commune"), cleaned.get("province")
        if commune and province and commune.province_id != province.pk:
            self.add_error("commune", _("This commune is not in the chosen province."))
        return cleaned

    def record_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in RECORD_FIELDS if f in self.cleaned_data}


class SelfRegistrationForm(ProducerForm):
    """A producer signing up: who they are (the account) and the organisation."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    login_email = forms.EmailField(label=_("Your email"), required=False)
    login_phone = forms.CharField(
        label=_("Your phone"), required=False, help_text=_("Give an email, a phone, or both.")
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    fieldsets = [
        (_("You"), ["full_name", "login_email", "login_phone", "password1", "password2"]),
        *ProducerForm.fieldsets,
    ]

    def clean_login_email(self):
        email = normalize_email(self.cleaned_data.get("login_email"))
        if email and User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An account with this email exists: log in instead."))
        return email

    def clean_login_phone(self):
        raw = self.cleaned_data.get("login_phone")
        if not raw:
            return ""
        try:
            phone = normalize_phone(raw)
        except InvalidPhone:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, e.g. 0912 345 678.")
            ) from None
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("An account with this phone exists: log in instead."))
        return phone

    def clean(self):
        cleaned = super().clean()
        no_login = not cleaned.get("login_email") and not cleaned.get("login_phone")
        if no_login and "login_email" not in self.errors and "login_phone" not in self.errors:
            self.add_error("login_email", _("Give an email or a phone number to log in with."))
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(
                full_name=cleaned.get("full_name", ""),
                email=cleaned.get("login_email") or None,
                phone=cleaned.get("login_phone") or None,
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def user_data(self) -> dict:
        return {
            "full_name": self.cleaned_data["full_name"],
            "email": self.cleaned_data.get("login_email") or None,
            "phone": self.cleaned_data.get("login_phone") or None,
            "password": self.cleaned_data["password1"],
        }


class ProducerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    producer_type = forms.ChoiceField(label=_("Type"), required=False)
    province = forms.TypedChoiceField(
        label=_("Province"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, provinces=None, **kwargs):
        from .models import ProducerStatus, ProducerType

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *ProducerStatus.choices]
        self.fields["producer_type"].choices = [("", _("All types")), *ProducerType.choices]
        provinces = provinces if provinces is not None else Province.objects.none()
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in provinces
        ]
