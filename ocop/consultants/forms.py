from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consultancy, SupportKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EngagementForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    consultancy = forms.ModelChoiceField(
        label=_("Consulting organisation"),
        queryset=Consultancy.objects.order_by("name"),
        empty_label=_("Choose one"),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Support"), choices=SupportKind.choices, widget=forms.CheckboxSelectMultiple
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=None, required=False, empty_label=_("All its products")
    )
    starts_on = forms.DateField(label=_("Starting on"), widget=DATE, required=False)

    def __init__(self, *args, producers, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["product"].queryset = products
        if producers.count() == 1:
            self.initial.setdefault("producer", producers.get().pk)


class ActivityForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the support?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
