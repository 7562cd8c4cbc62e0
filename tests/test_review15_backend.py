"""Review 15: the sent-mail log in front of a real SMTP server: each message logged once, whatever fails; a caller
that asked to fail silently is not raised at (Django's fail_silently), one that did not still is."""

import warnings

import pytest
from django.core import mail

from communications.models import SentEmail
from tests.smtp_server import SMTPServer

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": {"BACKEND": "communications.backends.LoggingBackend", "OPTIONS": {"delivery": "delivery"}},
        "delivery": server.mailer,
    }
    yield server
    server.stop()


def _message(to):
    return mail.EmailMessage("Hello", "Body", "konkurs@example.com", [to])


def test_fail_silently_is_honoured_and_the_failure_logged(smtp):
    smtp.stop()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fail_silently is deprecated in Django 6.1, still supported until 2028
        sent = _message("a@example.com").send(fail_silently=True)

    assert sent == 0
    assert list(SentEmail.objects.values_list("status", "error")) == [("failed", "ConnectionRefusedError")]


def test_a_batch_to_a_server_that_is_down_is_logged_once_per_message_and_raises(smtp):
    smtp.stop()

    with pytest.raises(ConnectionRefusedError):
        mail.mailers.default.send_messages([_message("a@example.com"), _message("b@example.com")])

    assert sorted(SentEmail.objects.values_list("recipients", "status")) == [
        ("\na@example.com\n", "failed"),
        ("\nb@example.com\n", "failed"),
    ]


def test_a_batch_through_an_open_connection_is_logged_once_per_message(smtp):
    with mail.mailers.default as connection:
        connection.send_messages([_message("a@example.com"), _message("b@example.com")])

    assert len(smtp.received) == 2
    assert sorted(SentEmail.objects.values_list("recipients", "status")) == [
        ("\na@example.com\n", "sent"),
        ("\nb@example.com\n", "sent"),
    ]
