"""What the pages' forms share (ocop/forms.py)."""

from django import forms
from django.core.exceptions import ValidationError

from ocop.forms import add_service_error, db_int


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_services_errors_go_next_to_their_fields_or_at_the_top():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_error(form, ValidationError({"name": "taken", "period": "no rules"}))
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["no rules"]  # a field the page does not show
    other = NameForm({"name": "x"})
    assert other.is_valid()
    add_service_error(other, ValidationError("refused"))
    assert other.non_field_errors() == ["refused"]


def test_ids_past_64_bits_are_no_ids():
    assert db_int("42") == 42 and db_int(-(2**63)) == -(2**63)
    assert db_int(2**63) is None and db_int("abc") is None and db_int(None) is None
