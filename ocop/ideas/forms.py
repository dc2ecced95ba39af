from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.criteria.selectors import product_group_current

from .models import ProductIdea
from .services import IDEA_FIELDS


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.branch.name_vi} — {obj.name_vi}"


class IdeaForm(forms.ModelForm):
    """The idea-registration form; the producer is chosen among those the user acts for."""

    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)

    class Meta:
        model = ProductIdea
        fields = ["producer", *IDEA_FIELDS]
        field_classes = {"product_group": GroupChoiceField}
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "raw_material_source",
                "local_labour_note",
                "local_identity",
                "current_market",
                "support_requested",
            ]
        }

    fieldsets = [
        (_("The product"), ["producer", "product_name", "product_group", "year"]),
        (
            _("Local roots"),
            ["raw_material_source", "local_labour", "local_labour_note", "local_identity"],
        ),
        (_("Today and what you need"), ["current_output", "current_market", "support_requested"]),
    ]

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers.order_by("legal_name")
        if self.instance.pk:
            # An idea stays with its producer.
            self.fields["producer"].disabled = True
            self.fields["producer"].initial = self.instance.producer_id
        else:
            self.fields["year"].initial = timezone.localdate().year
            if producers.count() == 1:
                self.fields["producer"].initial = producers.first().pk
        self.fields["product_group"].queryset = product_group_current()

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def idea_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in IDEA_FIELDS if f in self.cleaned_data}


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        from .models import IdeaStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *IdeaStatus.choices]
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
