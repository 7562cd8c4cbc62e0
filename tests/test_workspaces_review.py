"""Hostile review of issue 11 (the organisers' and the jurors' workspaces): what a careless user, an attacker or a
newcomer could break, one behaviour per test."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


@pytest.fixture
def org(client, organiser):
    client.force_login(organiser)
    return client


def submitted(edition):
    application = factories.complete_application(edition=edition)
    services.submit(application, by=application.owner)
    application.refresh_from_db()
    return application


def bulk_url(edition):
    return reverse("applications:organiser_bulk", args=[edition.year])


# Bulk accept: one click must not accept and e-mail a whole selection ------------------------------------------------


def test_bulk_action_list_preselects_no_action(org, edition_in_submissions):
    """A careless organiser ticking rows to export must not find "Accept formally" already chosen."""
    submitted(edition_in_submissions)
    content = org.get(reverse("applications:organiser_list", args=[edition_in_submissions.year])).content.decode()
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', content, re.S).group(1)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first


def test_bulk_without_an_action_says_so_and_changes_nothing(org, edition_in_submissions):
    one = submitted(edition_in_submissions)
    response = org.post(bulk_url(edition_in_submissions), {"action": "", "ids": [one.pk]}, follow=True)
    assert "Choose what to do with the selected applications." in response.content.decode()
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


def test_bulk_accept_asks_for_confirmation_first(org, edition_in_submissions, django_capture_on_commit_callbacks):
    edition = edition_in_submissions
    one, two = submitted(edition), submitted(edition)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(bulk_url(edition), {"action": "accept", "ids": [one.pk, two.pk], "back": "?q=x"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Accept 2 applications formally?" in content
    assert one.code in content and two.code in content
    assert 'name="confirmed" value="1"' in content
    assert set(Application.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)) == {
        Status.SUBMITTED
    }
    assert mail.outbox == []


def test_bulk_accept_confirmed_accepts(org, edition_in_submissions, django_capture_on_commit_callbacks):
    edition = edition_in_submissions
    one = submitted(edition)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(bulk_url(edition), {"action": "accept", "ids": [one.pk], "confirmed": "1"})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == Status.ACCEPTED
    assert len(mail.outbox) == 1


def test_bulk_accept_confirmed_twice_accepts_once(org, edition_in_submissions, django_capture_on_commit_callbacks):
    """Two tabs confirming the same selection: the second is told the entry was skipped, no second e-mail."""
    edition = edition_in_submissions
    one = submitted(edition)
    data = {"action": "accept", "ids": [one.pk], "confirmed": "1"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        org.post(bulk_url(edition), data)
        response = org.post(bulk_url(edition), data, follow=True)
    assert f"Skipped {one.code}" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.polish
def test_bulk_confirmation_in_polish(org, edition_in_submissions):
    one, two = submitted(edition_in_submissions), submitted(edition_in_submissions)
    response = org.post(bulk_url(edition_in_submissions), {"action": "accept", "ids": [one.pk, two.pk]})
    content = response.content.decode()
    assert "Przyjąć formalnie 2 wnioski?" in content
