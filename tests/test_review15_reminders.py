"""Review 15: one juror's address that the mail server refuses does not stop the reminders of the others; each is
logged, the refused one as failed."""

import pytest

from communications.models import SentEmail
from jury import services as jury_services
from tests import factories as f
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


def _juror_with_entries_left(edition, email):
    member = f.declared_juror(edition, user=f.UserFactory(email=email))
    f.AssignmentFactory(member=member, application=f.jury_entry(edition))
    return member


def test_a_refused_address_does_not_stop_the_other_reminders(smtp, organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        _juror_with_entries_left(edition, email)
    smtp.refused.update({"a@example.com", "b@example.com"})

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.send_reminders(edition, by=organiser)  # the task's failure is its result, not raised here

    assert [r["to"] for r in smtp.received] == [["c@example.com"]]
    assert sorted(SentEmail.objects.values_list("recipients", "status")) == [
        ("\na@example.com\n", "failed"),
        ("\nb@example.com\n", "failed"),
        ("\nc@example.com\n", "sent"),
    ]
