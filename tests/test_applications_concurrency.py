"""Two tabs submitting the same application at the same moment: exactly one submission (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from applications import services
from applications.models import Application, ApplicationVersion
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race against"),
]


def test_concurrent_submissions_number_the_application_once(applicant):
    application = factories.complete_application(owner=applicant)
    barrier = threading.Barrier(2)
    outcomes = []

    def tab():
        try:
            copy = Application.objects.get(pk=application.pk)
            barrier.wait()
            services.submit(copy, by=applicant)
            outcomes.append("submitted")
        except services.TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    application.refresh_from_db()
    assert sorted(outcomes) == ["refused", "submitted"]
    assert (application.sequence, ApplicationVersion.objects.filter(application=application).count()) == (1, 1)


def test_concurrent_submissions_of_two_applications_get_different_codes(applicant):
    first = factories.complete_application(owner=applicant)
    second = factories.complete_application(edition=first.edition, owner=applicant)
    barrier = threading.Barrier(2)

    def tab(application):
        try:
            barrier.wait()
            services.submit(Application.objects.get(pk=application.pk), by=applicant)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(Application.objects.values_list("code", flat=True))
    assert codes == [f"SLZ-{first.edition.year}-001", f"SLZ-{first.edition.year}-002"]
