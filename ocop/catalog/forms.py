from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.forms import RecordsChoiceField
from ocop.producers.models import ProducerType

from .models import Inquiry, TradeEvent
from .selectors import SORTS, CatalogFilters

SORT_LABELS = {
    "relevance": _("Best match"),
    "stars": _("Most stars"),
    "newest": _("Newest recognition"),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """The catalogue's query string: every filter is a plain parameter the URL keeps."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.IntegerField(required=False, min_value=1)
    commune = forms.IntegerField(required=False, min_value=1)
    group = forms.IntegerField(required=False, min_value=1)
    stars = forms.IntegerField(required=False, min_value=3, max_value=5)
    producer_type = forms.ChoiceField(required=False, choices=[("", ""), *ProducerType.choices])
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(s, SORT_LABELS[s]) for s in SORTS]
    )

    def filters(self) -> CatalogFilters:
        if not self.is_valid():
            return CatalogFilters(q=(self.data.get("q") or "")[:200])
        d = self.cleaned_data
        return CatalogFilters(
            q=d["q"],
            province=d["province"],
            commune=d["commune"],
            group=d["group"],
            stars=d["stars"],
            producer_type=d["producer_type"],
            sort=d["sort"] or "relevance",
        )


class InquiryForm(forms.ModelForm):
    # A field people never see and robots fill in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Inquiry
        fields = [
            "buyer_name",
            "organisation",
            "email",
            "phone",
            "quantity",
            "destination",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class TradeEventForm(forms.ModelForm):
    class Meta:
        model = TradeEvent
        fields = [
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "applications_close_on",
            "place",
            "province",
            "organiser",
            "description",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "applications_close_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces


class ApplyForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    products = RecordsChoiceField(
        label=_("Products you will show"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note for the organiser"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, producers, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["products"].queryset = products
        if producers.count() == 1:
            self.initial.setdefault("producer", producers.get().pk)
