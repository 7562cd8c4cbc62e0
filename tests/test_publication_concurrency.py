"""Two publications of one edition at the same moment (an organiser's "publish now" and the periodic command, or two
processes of the command): every applicant gets exactly one outcome e-mail (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from applications.models import Application, Status
from contest.models import Edition
from results import services
from tests import publication_factories as pf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race against"),
]


def test_concurrent_publications_send_one_email_per_applicant(mailoutbox):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    outcomes = []

    def publisher():
        try:
            copy = Edition.objects.get(pk=edition.pk)
            barrier.wait()
            outcomes.append(services.publish(copy, by=organiser, now=True).moved)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publisher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    recipients = sorted(address for message in mailoutbox for address in message.to if address.startswith("applicant"))
    assert sorted(outcomes) == [0, 6]
    assert recipients == [f"applicant{k}@example.com" for k in range(6)]
    assert set(Application.objects.filter(edition=edition).values_list("status", flat=True)) == {
        Status.LAUREATE,
        Status.DISTINCTION,
        Status.NOT_AWARDED,
    }
