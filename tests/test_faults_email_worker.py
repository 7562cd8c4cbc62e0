"""Faults of the mail server and of the task worker, on the real components: a real SMTP server on loopback that
stops and comes back, and django-tasks-db's own `db_worker` (in batch mode: it runs what is due and exits).

Waiting is replaced by time travel: the queued tasks' timestamps are moved back by the time that would have passed,
which is what the worker compares with the clock.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from applications import tasks
from applications.models import Application, Status
from jury import tasks as jury_tasks
from jury.models import ReminderLog
from tests import factories
from tests.smtp_server import SMTPServer

# Transactional: the worker checks its connection between tasks as a long-running process must, which would end the
# transaction an ordinary test runs in; and the e-mail is queued when the submission commits, as in production.
pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """The worker starting: it runs every task that is due, one after another, and exits when none is left."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", stdout=io.StringIO())


def travel(**delta):
    """As if `delta` had passed with the worker down: every queued task was enqueued and is due that much earlier."""
    shift = datetime.timedelta(**delta)
    for result in DBTaskResult.objects.filter(status="READY"):
        result.enqueued_at -= shift
        if result.run_after.year < 9999:  # "no run_after" is stored as the largest date
            result.run_after -= shift
        result.save(update_fields=["enqueued_at", "run_after"])


def submit_in_browser(client, application):
    client.force_login(application.owner)
    response = client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    return response


def test_mail_server_down_at_submission_the_submission_stands_and_the_email_is_sent_once_when_it_returns(client, smtp):
    application = factories.complete_application()
    smtp.stop()

    response = submit_in_browser(client, application)
    run_worker()

    assert (response.status_code, application.status, application.code) == (
        302,
        Status.SUBMITTED,
        f"SLZ-{application.edition.year}-001",
    )
    assert smtp.received == []
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert (first.status, retry.status) == ("FAILED", "READY")
    assert "Connection refused" in first.exception_class_path + str(first.traceback)
    assert retry.args_kwargs["kwargs"] == {"attempt": 1}

    smtp.start()
    run_worker()  # the retry is not due yet: nothing is sent before its time
    assert smtp.received == []

    travel(seconds=tasks.RETRY_DELAYS[0])
    run_worker()
    run_worker()

    assert [m["message"]["Subject"] for m in smtp.received] == [f"Application {application.code} submitted"]
    assert smtp.received[0]["to"] == [application.owner.email, application.contact_email]
    attempts = {r.args_kwargs["kwargs"].get("attempt", 0): r.status for r in DBTaskResult.objects.all()}
    assert attempts == {0: "FAILED", 1: "SUCCESSFUL"}


def test_mail_server_down_for_longer_waits_longer_between_attempts(smtp):
    from applications import services

    application = factories.complete_application()
    smtp.stop()
    services.submit(application, by=application.owner)

    delays = []
    for attempt in range(3):
        run_worker()
        waiting = DBTaskResult.objects.get(status="READY")
        delays.append(round((waiting.run_after - waiting.enqueued_at).total_seconds() / 60))
        travel(seconds=tasks.RETRY_DELAYS[attempt])
    smtp.start()
    run_worker()

    assert delays == [1, 5, 15]
    assert len(smtp.received) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_worker_down_for_an_hour_runs_the_queued_emails_when_it_starts_in_order_once(client, smtp):
    edition = factories.EditionFactory(phase="submissions")
    applications = [factories.complete_application(edition=edition) for _ in range(3)]
    for application in applications:
        submit_in_browser(client, application)
    assert smtp.received == []  # nothing is sent while the worker is down

    travel(hours=1)
    run_worker()
    run_worker()  # a second start finds nothing left to do

    codes = [Application.objects.get(pk=a.pk).code for a in applications]
    assert [m["message"]["Subject"] for m in smtp.received] == [f"Application {code} submitted" for code in codes]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.count() == 3


def _batch(emails=("juror1@example.com", "juror2@example.com")):
    """An edition in scoring whose jurors (one per address) each have an entry to score, and the organiser's daily
    batch of reminders to them, queued: (edition, members, organiser)."""
    from jury import services as jury_services

    edition = factories.EditionFactory(phase="scoring")
    entry = factories.jury_entry(edition, 1)
    members = []
    for email in emails:
        member = factories.declared_juror(edition, user=factories.UserFactory(email=email))
        factories.AssignmentFactory(member=member, application=entry)
        members.append(member)
    organiser = factories.UserFactory(is_organiser=True)
    jury_services.send_reminders(edition, by=organiser)
    return edition, members, organiser


def test_mail_server_down_for_the_jurors_reminders_they_are_sent_once_each_when_it_returns(smtp):
    smtp.stop()
    _edition, members, _organiser = _batch()
    emails = [member.user.email for member in members]
    run_worker()

    assert smtp.received == []
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert (first.status, retry.status) == ("FAILED", "READY")
    # The addresses' positions in the batch's list, not the addresses (review 17: a queued task outlives an erasure).
    assert retry.args_kwargs["kwargs"] == {"only": list(range(len(emails))), "attempt": 1}

    smtp.start()
    travel(seconds=jury_tasks.RETRY_DELAYS[0])
    run_worker()
    run_worker()

    assert sorted(m["to"] for m in smtp.received) == [[email] for email in emails]
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_reminder_retried_after_scoring_closed_sends_nothing(smtp):
    from contest.models import Edition

    smtp.stop()
    edition, _members, _organiser = _batch(["juror1@example.com"])
    run_worker()
    Edition.objects.filter(pk=edition.pk).update(scoring_ends_at=timezone.now() - datetime.timedelta(minutes=1))
    smtp.start()
    travel(seconds=jury_tasks.RETRY_DELAYS[0])
    run_worker()

    assert smtp.received == []
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "SUCCESSFUL"]


def test_a_juror_reminded_again_while_the_batch_waits_for_its_retry_gets_one_reminder(smtp):
    from jury import services as jury_services

    smtp.stop()
    _edition, (anna, _jan), organiser = _batch(["anna@example.com", "jan@example.com"])
    run_worker()  # the batch fails; its retry waits
    # An hour later the organiser sees Anna still has work and reminds her alone from the progress board (the mail
    # server is back): that reminder goes at once.
    ReminderLog.objects.update(sent_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61))
    smtp.start()
    jury_services.send_reminder(anna, by=organiser)
    run_worker()
    # Then the batch's retry comes due.
    travel(seconds=jury_tasks.RETRY_DELAYS[-1])
    run_worker()
    run_worker()

    received = sorted(tuple(m["to"]) for m in smtp.received)
    assert received == [("anna@example.com",), ("jan@example.com",)]


def test_a_retry_waiting_in_the_queue_does_not_hold_the_jurors_addresses(smtp):
    smtp.stop()
    _batch(["anna@example.com", "jan@example.com"])
    run_worker()

    retry = DBTaskResult.objects.get(status="READY")
    assert "@example.com" not in str(retry.args_kwargs)


def test_a_juror_erased_between_attempts_is_not_reminded_and_their_address_is_gone(smtp):
    from privacy.services import anonymise_account

    smtp.stop()
    _edition, (anna, _jan), _organiser = _batch(["anna@example.com", "jan@example.com"])
    run_worker()
    anonymise_account(anna.user)
    smtp.start()
    travel(seconds=jury_tasks.RETRY_DELAYS[0])
    run_worker()

    assert [m["to"] for m in smtp.received] == [["jan@example.com"]]
    assert not any("anna@example.com" in str(r.args_kwargs) for r in DBTaskResult.objects.all())
