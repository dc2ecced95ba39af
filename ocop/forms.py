"""What the pages' forms share: the integers the database can hold (the API's are DbInt in
ocop/pagination.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# SQLite's and PostgreSQL's 64-bit integers: the range of any id.
DB_INT_MIN, DB_INT_MAX = -(2**63), 2**63 - 1


def db_int(value) -> int | None:
    """The value as an id the database can look up, or None (not a number, or past 64 bits:
    an id no record has; Django would send it on to SQLite, which fails on it)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if DB_INT_MIN <= number <= DB_INT_MAX else None


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by their integer ids; one that is not such an id is refused as
    any id not offered. (Django looks the ids up with `IN (...)`, where it does not bound
    them as it does with `=`.)"""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if db_int(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on its form: errors about the form's own fields next to
    them, the others (fields the page does not show) at the top. Django's `add_error(None,
    error)` raises ValueError, a 500, for a key that is not one of the form's fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def refuse_nul(*texts: str) -> None:
    """For the services whose text comes from a page as posted (not through a form field,
    which refuses it itself, nor the API's DbText): PostgreSQL cannot store a NUL
    character, so refuse it with a message instead of failing on the write."""
    if any("\x00" in (text or "") for text in texts):
        raise ValidationError(
            _("The text contains a NUL character, which cannot be saved."), code="nul"
        )


def filter_text(params, name: str, *, limit: int = 200) -> str:
    """A list page's free-text filter from its query string (`params`: request.GET): trimmed,
    at most `limit` characters, without NUL, which PostgreSQL cannot compare (a 500)."""
    return params.get(name, "").replace("\x00", "").strip()[:limit]
