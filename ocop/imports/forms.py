from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .columns import FIELDS, KINDS, kind_fields
from .models import ImportKind


class UploadForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces is not None and provinces.count() == 1:
            self.fields["province"].initial = provinces.first()


class MappingForm(forms.Form):
    """One choice per field: which of the file's headings gives it."""

    def __init__(self, *args, job=None, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        required = set(KINDS[job.kind]["required"])
        options = [("", _("— not in the file —")), *[(h, h) for h in headers if h]]
        for key in kind_fields(job.kind):
            self.fields[key] = forms.ChoiceField(
                label=format_lazy("{}{}", _(FIELDS[key].label), " *" if key in required else ""),
                choices=options,
                required=False,
                initial=job.mapping.get(key, ""),
            )
