"""Two organisers' tabs at once: the daily batch of reminders and the board's reminder to one juror. The juror's
reminder counts the batches within the hour, so while a batch is being sent it must wait for it and then refuse,
not send the juror a second e-mail a moment later: the juror's reminder locks the edition row first, as the batch
does (jury.services.reminders.send_reminder)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from jury import services
from jury.models import Assignment, ReminderLog, Scorecard
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_jurors_reminder_during_a_batch_waits_for_it_and_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by its IMMEDIATE transactions; the row locks are PostgreSQL's")
    edition = f.EditionFactory(phase="scoring")
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    juror = f.declared_juror(edition, user=f.UserFactory(email="bartek@example.com"))
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    Scorecard.objects.create(member=juror, application=entry, status="draft")
    batch_sent, single_started = threading.Event(), threading.Event()
    outcomes, errors = [], []

    def batch():
        try:
            with transaction.atomic():
                services.send_reminders(edition, by=organiser)
                batch_sent.set()
                single_started.wait(timeout=10)
                time.sleep(1)  # the rest of the request before its commit
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            errors.append(error)
        finally:
            connections.close_all()

    def single():
        try:
            batch_sent.wait(timeout=10)
            single_started.set()
            member = type(juror).objects.select_related("user", "edition").get(pk=juror.pk)
            services.send_reminder(member, by=organiser)
            outcomes.append("sent")
        except services.JuryError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=batch), threading.Thread(target=single)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert (errors, outcomes, ReminderLog.objects.count()) == ([], ["refused"], 1)
