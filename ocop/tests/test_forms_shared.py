"""What the pages' forms share (ocop/forms.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from ocop.forms import add_service_error, db_int, filter_text


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


def test_a_filter_text_is_trimmed_bounded_and_without_nul():
    params = QueryDict("q=%20ch%C3%A8%00%20xanh%20&long=" + "a" * 300)
    assert filter_text(params, "q") == "chè xanh"
    assert filter_text(params, "long") == "a" * 200
    assert filter_text(params, "long", limit=10) == "a" * 10
    assert filter_text(params, "missing") == ""
