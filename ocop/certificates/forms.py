from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.forms import RecordsChoiceField
from ocop.geo.models import Province

from .models import CertificateState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionDraftForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60, help_text="1234/QĐ-UBND")
    date = forms.DateField(label=_("Decision date"), widget=DATE)
    issuer = forms.CharField(
        label=_("Issuing body"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for the province's People's Committee."),
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150)
    assignments = RecordsChoiceField(
        label=_("Results to recognise"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, **kwargs)
        from ocop.evaluation.models import Assignment

        field = self.fields["assignments"]
        field.queryset = Assignment.objects.filter(pk__in=[a.pk for a in eligible])
        field.initial = [a.pk for a in eligible]
        field.label_from_instance = lambda a: (
            f"{a.dossier.product.name} — {a.dossier.product.producer.legal_name} — "
            f"{a.score} — {a.stars}★"
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, product or producer"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + CertificateState.choices
    )
    province = forms.ModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.all()
    )
