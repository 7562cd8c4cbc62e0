"""Review 15: an erased account's label (anonymised-N@anonymised.invalid) is no one's mailbox: messages to the
applicants of a list, and status e-mails, leave it out; the confirmation does not count it."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Status
from applications.tasks import recipients
from privacy.services import ANONYMISED_DOMAIN, anonymise_account
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def test_an_erased_owner_is_not_written_to(client, organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="formal_review", year=2031)
    application = f.jury_entry(edition, 1, status=Status.ACCEPTED)
    coeditor = f.UserFactory(email="coeditor@example.com")
    application.editors.add(coeditor)
    anonymise_account(application.owner)
    application.refresh_from_db()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])

    confirmation = client.post(url, {"subject": "S", "body": "B", "ids": [application.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "subject": "S",
                "body": "B",
                "ids": [application.pk],
                "scope": confirmation.context["scope"],
                "token": confirmation.context["token"],
                "confirmed": "1",
            },
        )

    assert confirmation.context["addresses"] == len(recipients(application))
    assert all(not a.endswith("@" + ANONYMISED_DOMAIN) for a in recipients(application))
    assert [a for m in mail.outbox for a in m.to if a.endswith("@" + ANONYMISED_DOMAIN)] == []
    assert "coeditor@example.com" in [a for m in mail.outbox for a in m.to]
