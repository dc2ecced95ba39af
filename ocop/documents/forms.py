"""A file field for other apps' upload forms. It only shapes the input; document_store()
does the checking, so the same rules hold for the page, the API and the commands."""

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext

from .models import ALL_KINDS, KIND_EXTENSIONS, DocumentKind
from .services import MEGABYTE, kinds_label


def accept_attribute(kinds: Iterable[str]) -> str:
    """ ".pdf,.jpg,.jpeg,...": what the browser's file picker offers."""
    wanted = set(kinds)
    return ",".join(
        f".{extension}"
        for kind in DocumentKind
        if kind in wanted
        for extension in KIND_EXTENSIONS[kind]
    )


def _help_text_now(kinds: frozenset) -> str:
    return gettext("Accepted types: %(kinds)s; at most %(limit)s MB.") % {
        "kinds": kinds_label(kinds),
        "limit": f"{settings.UPLOAD_MAX_BYTES / MEGABYTE:g}",
    }


_help_text = lazy(_help_text_now, str)


class DocumentUploadField(forms.FileField):
    def __init__(self, *, kinds: Iterable[str] = ALL_KINDS, **kwargs):
        self.kinds = frozenset(kinds)
        # Fields are built when the form class is defined: the text is translated on use.
        kwargs.setdefault("help_text", _help_text(self.kinds))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": accept_attribute(self.kinds)}
