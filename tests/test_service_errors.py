"""The one family of service refusals (contest.errors) and the one way views put them on a form."""

import pytest
from django import forms

from applications import services as application_services
from contest.errors import ServiceError, add_to_form
from jury.services import JuryError


class _Form(forms.Form):
    points = forms.IntegerField(required=False)
    reason = forms.CharField(required=False)


def _bound_form():
    form = _Form({})
    assert form.is_valid()
    return form


def test_service_errors_of_both_apps_are_one_family():
    assert issubclass(JuryError, ServiceError)
    assert application_services.ServiceError is ServiceError


def test_service_error_list_of_messages_reads_as_one_message():
    error = ServiceError(["Line 1 is too long.", "Line 2 needs letters."])
    assert error.message == "Line 1 is too long. Line 2 needs letters."


def test_service_error_dict_keeps_the_field_errors_and_a_message():
    error = JuryError({"points": "Give between 0 and 5 points."})
    assert error.field_errors == {"points": ["Give between 0 and 5 points."]}
    assert error.message == "Give between 0 and 5 points."


def test_service_error_raised_matches_on_its_message():
    with pytest.raises(JuryError, match="^Give a reason.$"):
        raise JuryError("Give a reason.")


def test_add_to_form_puts_field_errors_on_their_fields():
    form = _bound_form()
    add_to_form(form, JuryError({"points": "Give between 0 and 5 points.", "gone": "Unknown criterion."}))
    assert form.errors == {"points": ["Give between 0 and 5 points."], "__all__": ["Unknown criterion."]}


def test_add_to_form_puts_a_message_on_the_named_field():
    form = _bound_form()
    add_to_form(form, ServiceError("Give a reason."), "reason")
    assert form.errors == {"reason": ["Give a reason."]}
