from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DossierPurpose


class DossierCreateForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=DossierPurpose.choices)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        if products.count() == 1:
            self.fields["product"].initial = products.first().pk


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class LinkForm(forms.Form):
    url = forms.URLField(label=_("Link"), assume_scheme="https")
