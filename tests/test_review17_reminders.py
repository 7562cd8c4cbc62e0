"""Review 17: jurors' reminders retried after the mail server refused them (jury.tasks.send_reminders, attempt > 0).

On the real components, as tests/test_faults_email_worker.py: a real SMTP server on loopback, django-tasks-db's
db_worker. A juror reminded again (from the progress board) while an older reminder of theirs still waits for its
retry must get one reminder, not two; and a retry's queued arguments must not hold the jurors' addresses (they
outlived the erasure of the account, which replaces the address everywhere else: reminder lists, sent-mail log).
"""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from jury import tasks as jury_tasks
from jury.models import ReminderLog
from tests import factories
from tests.test_faults_email_worker import run_worker, travel

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _batch(emails):
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
