import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import Province

from . import vocabulary
from .models import Batch, EventAction, EventType
from .services import BATCH_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = list(BATCH_FIELDS)
        widgets = {
            "produced_on": DATE,
            "expires_on": DATE,
            "raw_material_area": forms.Textarea(attrs={"rows": 2}),
            "inputs": forms.Textarea(attrs={"rows": 3}),
        }


class StampRunForm(forms.Form):
    quantity = forms.IntegerField(label=_("Number of stamps"), min_value=1)
    label_width_mm = forms.IntegerField(label=_("Label width (mm)"), initial=30)
    label_height_mm = forms.IntegerField(label=_("Label height (mm)"), initial=36)


class VoidForm(forms.Form):
    first = forms.IntegerField(label=_("From label number"), min_value=1, required=False)
    last = forms.IntegerField(label=_("To label number"), min_value=1, required=False)
    serials = forms.CharField(
        label=_("Or these serials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, as printed under the code."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def serial_list(self) -> list[str]:
        return [s for s in self.cleaned_data["serials"].split() if s.strip()]


class EventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Event type"), choices=EventType.choices)
    biz_step = forms.ChoiceField(label=_("What happened"))
    action = forms.ChoiceField(
        label=_("Action"), choices=EventAction.choices, initial=EventAction.OBSERVE, required=False
    )
    disposition = forms.ChoiceField(label=_("State of the goods afterwards"), required=False)
    event_time = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Where"), max_length=255, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=12, decimal_places=3
    )
    serials = forms.CharField(
        label=_("Stamps (serials)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; for packing, the stamps that go into the case."),
    )
    parent = forms.CharField(label=_("Case or pallet code"), max_length=255, required=False)
    inputs = forms.CharField(
        label=_("Raw materials used"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a transformation, one per line: name; quantity; unit; origin."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["biz_step"].choices = vocabulary.choices("biz_steps")
        self.fields["disposition"].choices = [("", "—"), *vocabulary.choices("dispositions")]

    def clean_inputs(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["inputs"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")] + ["", "", "", ""]
            name, quantity, unit, origin = parts[:4]
            if quantity:
                try:
                    float(quantity.replace(",", "."))
                except ValueError:
                    raise forms.ValidationError(
                        _("“%(q)s” is not a quantity.") % {"q": quantity}
                    ) from None
            rows.append(
                {
                    "name": name,
                    "quantity": quantity.replace(",", "."),
                    "unit": unit,
                    "origin": origin,
                }
            )
        return rows

    def event_data(self) -> dict:
        d = dict(self.cleaned_data)
        d["serials"] = [s for s in d["serials"].split() if s]
        return d


@functools.cache
def province_choices() -> tuple[tuple[int, str], ...]:
    """The 34 provinces, read once per process (they change by law, once in decades)."""
    return tuple(Province.objects.order_by("name").values_list("code", "name"))


class LocateForm(forms.Form):
    """Where the consumer says the scan happened. Every scan page shows it, so its choices
    are read once, not per page."""

    token = forms.CharField(widget=forms.HiddenInput)
    province = forms.IntegerField(label=_("Where did you buy or scan it?"), widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a province")), *province_choices()]
        self.fields["province"].widget.choices = choices

    def clean_province(self) -> Province:
        province = Province.objects.filter(pk=self.cleaned_data["province"]).first()
        if province is None:
            raise forms.ValidationError(_("Choose a province"))
        return province
