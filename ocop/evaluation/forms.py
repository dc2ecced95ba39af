from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.forms import RecordsChoiceField

from .models import Council, CouncilSeat, EvaluationRound, SeatRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "level", "province", "term_start", "term_end"]
        widgets = {"term_start": DATE, "term_end": DATE}


class SeatForm(forms.Form):
    login = forms.CharField(label=_("Email of the person"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices)
    expertise = forms.CharField(label=_("Field of expertise"), required=False, max_length=255)

    def clean_login(self):
        email = self.cleaned_data["login"].strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this email."))
        return user


class RoundForm(forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = ["name", "level", "province", "opens_on", "closes_on", "trial"]
        widgets = {"opens_on": DATE, "closes_on": DATE}


class SessionForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), required=False, max_length=255)

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils


class AttendanceForm(forms.Form):
    present = RecordsChoiceField(
        label=_("Present"), queryset=CouncilSeat.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = seats
        self.fields["present"].required = False
