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


def _request_with_messages():
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_reported_refusal_becomes_an_error_message_and_the_view_goes_on():
    from contest.errors import ServiceError, reported

    request = _request_with_messages()
    with reported(request, "Saved.") as outcome:
        raise ServiceError("The deadline for corrections has passed.")

    assert (outcome.refused, [(m.level_tag, m.message) for m in request._messages]) == (
        True,
        [("error", "The deadline for corrections has passed.")],
    )


def test_reported_success_says_so():
    from contest.errors import reported

    request = _request_with_messages()
    with reported(request, "Partner removed.") as outcome:
        pass

    assert (outcome.refused, [(m.level_tag, m.message) for m in request._messages]) == (
        False,
        [("success", "Partner removed.")],
    )


def test_reported_lets_a_programming_error_through():
    from contest.errors import reported

    request = _request_with_messages()
    with pytest.raises(KeyError, match="missing"), reported(request, "Saved."):
        raise KeyError("missing")
    assert list(request._messages) == []
