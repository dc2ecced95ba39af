from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.documents.models import IMAGE_KINDS
from ocop.documents.services import kinds_label
from ocop.producers.models import Producer

from . import selectors
from .gtin import InvalidGtin, normalize_gtin
from .models import Product
from .services import RECORD_FIELDS


class IdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.product_name} ({obj.year}) · {obj.producer}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.idea.product_name} ({obj.idea.year}) · {obj.idea.producer}"


class ProductForm(forms.ModelForm):
    """The product's record. On creation the producer is chosen among those the person may
    act for; the idea and plan lists follow that producer."""

    class Meta:
        model = Product
        fields = ["producer", *RECORD_FIELDS]
        field_classes = {"idea": IdeaChoiceField, "plan": PlanChoiceField}
        widgets = {"shelf_life": forms.TextInput(attrs={"placeholder": _("12 months")})}

    fieldsets = [
        (_("Product"), ["producer", "name", "product_group", "gtin", "description"]),
        (_("Packaging and storage"), ["packaging", "shelf_life"]),
        (_("Story and raw material"), ["story", "raw_material_area"]),
        (_("Market"), ["where_to_buy"]),
        (_("Where it comes from"), ["idea", "plan"]),
    ]

    def __init__(self, *args, producers=None, **kwargs):
        """`producers`: those this person may record products for (creation only)."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["producer"]
            chosen = Producer.objects.filter(pk=self.instance.producer_id)
        else:
            producers = producers if producers is not None else Producer.objects.none()
            self.fields["producer"].queryset = producers.order_by("legal_name")
            if producers.count() == 1:
                self.initial.setdefault("producer", producers.get().pk)
            producer_id = self.data.get(self.add_prefix("producer")) or self.initial.get("producer")
            try:
                chosen = producers.filter(pk=int(producer_id))
            except (TypeError, ValueError):
                chosen = producers
        self.fields["idea"].queryset = selectors.product_idea_choices(producers=chosen)
        self.fields["plan"].queryset = selectors.product_plan_choices(producers=chosen)
        self.fields["idea"].help_text = _(
            "Leave empty for a local speciality that joins the programme without an idea."
        )
        current = self.instance.product_group if self.instance.product_group_id else None
        self.fields["product_group"].queryset = selectors.product_group_choices(current=current)

    def grouped_fields(self):
        """[(legend, [bound fields])] in the order the page shows them."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def clean_gtin(self):
        value = self.cleaned_data.get("gtin")
        if not value:
            return None
        try:
            return normalize_gtin(value)
        except InvalidGtin:
            return value  # the model's validator words the error

    def record_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in RECORD_FIELDS if f in self.cleaned_data}


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    producer = forms.TypedChoiceField(
        label=_("Producer"), required=False, coerce=int, empty_value=None
    )
    product_group = forms.TypedChoiceField(
        label=_("Product group"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, producers=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = [("", _("All producers"))] + [
            (p.pk, p.legal_name) for p in producers
        ]
        self.fields["product_group"].choices = [("", _("All groups"))] + [
            (g.pk, g.name_vi) for g in groups
        ]


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("An image: %(kinds)s.") % {
            "kinds": kinds_label(IMAGE_KINDS)
        }
