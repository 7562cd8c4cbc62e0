"""Two processes at the same moment: one announcement dispatch and one subscription per address (PostgreSQL)."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from news import consent, services
from news.models import Dispatch, Subscription
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; nothing to race"),
]


def race(function, times=2):
    barrier = threading.Barrier(times)
    errors = []

    def run():
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_runs_of_the_command_at_once_send_the_announcement_once(mailoutbox):
    for n in range(3):
        services.subscribe(f"r{n}@example.pl", language="pl", consent_version=consent.VERSION)
    Subscription.objects.update(confirmed_at=timezone.now())
    factories.EditionFactory(phase="announced")
    mail.outbox.clear()
    moment = timezone.now()
    assert race(lambda: services.send_due_announcements(at=moment)) == []
    assert (Dispatch.objects.count(), sorted(m.to[0] for m in mail.outbox)) == (
        1,
        ["r0@example.pl", "r1@example.pl", "r2@example.pl"],
    )


def test_two_requests_for_one_address_at_once_make_one_subscription_and_one_e_mail(mailoutbox):
    errors = race(lambda: services.subscribe("jeden@example.pl", language="pl", consent_version=consent.VERSION))
    assert (errors, Subscription.objects.count(), len(mail.outbox)) == ([], 1, 1)
