"""Review 15: a message to the applicants of a filtered list goes to the applications the confirmation counted, and
once, whatever the browser does (a second click, a second tab, the back button)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Status
from communications.models import ApplicantMessage
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def _edition_with_three_entries():
    edition = f.EditionFactory(phase="formal_review", year=2031)
    accepted = [f.jury_entry(edition, n, status=Status.ACCEPTED) for n in (1, 2)]
    submitted = f.jury_entry(edition, 3, status=Status.SUBMITTED)
    return edition, accepted, submitted


def _confirmation_fields(response):
    """The hidden fields of the confirmation form, as a browser would post them back."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode())
    data = {}
    for name, value in fields:
        if name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(value)
    return data


def test_a_list_that_changed_after_the_confirmation_is_confirmed_again(
    client, organiser, django_capture_on_commit_callbacks
):
    edition, accepted, submitted = _edition_with_three_entries()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])
    confirmation = client.post(url, {"subject": "S", "body": "B", "filters": "status=accepted"})
    assert "Send the message to the applicants of 2 applications?" in confirmation.content.decode()
    submitted.status = Status.ACCEPTED
    submitted.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, _confirmation_fields(confirmation))

    assert again.status_code == 200
    assert "Send the message to the applicants of 3 applications?" in again.content.decode()
    assert "The list has changed" in again.content.decode()
    assert (len(mail.outbox), ApplicantMessage.objects.count()) == (0, 0)


def test_the_confirmed_list_is_sent_when_it_did_not_change(client, organiser, django_capture_on_commit_callbacks):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])
    confirmation = client.post(url, {"subject": "S", "body": "Line 1\r\nLine 2", "filters": "status=accepted"})

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, _confirmation_fields(confirmation))

    assert sent.status_code == 302
    assert sorted(m.body for m in mail.outbox) == ["Line 1\r\nLine 2"] * 2
    assert ApplicantMessage.objects.get().applications == 2


def test_posting_the_confirmation_twice_sends_the_message_once(client, organiser, django_capture_on_commit_callbacks):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])
    confirmation = client.post(url, {"subject": "S", "body": "B", "ids": [a.pk for a in accepted]})
    fields = _confirmation_fields(confirmation)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, fields)
        second = client.post(url, fields, follow=True)

    assert first.status_code == 302
    assert "This message has already been sent" in second.content.decode()
    assert (len(mail.outbox), ApplicantMessage.objects.count()) == (2, 1)
