from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BusinessPlan, PlanMilestone, SupportActivity
from .services import PLAN_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = PLAN_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in ["objectives", "funding_sources", "capacity", "markets", "support_needed"]
            },
        }

    fieldsets = [
        (_("Objectives"), ["objectives", "start_date", "end_date"]),
        (_("Investment"), ["investment_total", "funding_sources", "capacity"]),
        (_("Market and support"), ["markets", "support_needed"]),
    ]

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The plan cannot end before it starts."))
        return cleaned


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attach a file"))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = PlanMilestone
        fields = ["title", "due_date", "note"]
        widgets = {"due_date": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportActivity
        fields = ["kind", "provider", "received_on", "amount", "note"]
        widgets = {"received_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}
