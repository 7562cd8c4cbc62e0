"""Review 15: a status e-mail reaches each of the application's people in their own language of e-mails: a
co-editor who chose English is not written to in the owner's Polish (and the reverse)."""

import pytest
from django.core import mail
from django.urls import reverse

from applications import services as application_services
from communications.kinds import Kind
from communications.models import EmailTemplate, SentEmail
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


@pytest.fixture
def logged(settings):
    settings.MAILERS = {
        "default": {"BACKEND": "communications.backends.LoggingBackend", "OPTIONS": {"delivery": "delivery"}},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


def test_co_editor_gets_the_receipt_in_their_own_language(logged, django_capture_on_commit_callbacks):
    owner = f.UserFactory(email="owner@example.com", email_language="pl")
    application = f.complete_application(owner=owner)
    application.contact_email = "kontakt@example.com"
    application.save(update_fields=["contact_email"])
    application.editors.add(f.UserFactory(email="coeditor@example.com", email_language="en"))
    edition = application.edition
    EmailTemplate.objects.create(edition=edition, kind=Kind.RECEIPT, language="pl", subject="Mamy {{ kod }}", body=".")
    EmailTemplate.objects.create(edition=edition, kind=Kind.RECEIPT, language="en", subject="Got {{ code }}", body=".")

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=owner)

    application.refresh_from_db()
    code = application.code
    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        (["coeditor@example.com"], f"Got {code}"),
        (["owner@example.com", "kontakt@example.com"], f"Mamy {code}"),
    ]
    assert all(m.attachments for m in mail.outbox)  # each has the receipt
    assert SentEmail.objects.filter(kind="receipt", status="sent").count() == 2


def test_everyone_in_one_language_gets_one_email(django_capture_on_commit_callbacks):
    owner = f.UserFactory(email="owner@example.com", email_language="en")
    application = f.complete_application(owner=owner)
    application.editors.add(f.UserFactory(email="coeditor@example.com", email_language="en"))

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=owner)

    [message] = mail.outbox
    assert "coeditor@example.com" in message.to and "owner@example.com" in message.to


def test_language_of_emails_outside_the_choices_is_refused(client):
    user = f.UserFactory()
    client.force_login(user)
    profile = reverse("accounts:profile")

    response = client.post(profile, {"full_name": "Anna Nowak", "phone": "", "email_language": "de"})

    user.refresh_from_db()
    assert response.status_code in (200, 400)
    assert user.email_language == ""


# The worker's retries, on the real task database and a real SMTP server (as tests/test_faults_email_worker.py).


@pytest.mark.django_db(transaction=True)
def test_each_language_is_retried_on_its_own_and_sent_once_when_the_server_returns(client, settings):
    import io

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from applications import tasks
    from tests.smtp_server import SMTPServer
    from tests.test_faults_email_worker import travel

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    smtp = SMTPServer()
    smtp.start()
    settings.MAILERS = {"default": smtp.mailer}
    try:

        def run_worker():
            call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", stdout=io.StringIO())

        owner = f.UserFactory(email="owner@example.com", email_language="pl")
        application = f.complete_application(owner=owner)
        application.editors.add(f.UserFactory(email="coeditor@example.com", email_language="en"))
        smtp.stop()
        client.force_login(owner)
        client.post(reverse("applications:submit", args=[application.pk]))
        run_worker()
        retries = sorted(r.args_kwargs["args"][-1] for r in DBTaskResult.objects.filter(status="READY"))
        smtp.start()
        travel(seconds=tasks.RETRY_DELAYS[0])
        run_worker()
        run_worker()
    finally:
        smtp.stop()

    assert retries == ["en", "pl"]
    assert sorted(tuple(m["to"]) for m in smtp.received) == [
        ("coeditor@example.com",),
        ("owner@example.com", application.contact_email),
    ]
