"""The jury's e-mails: templates in the site's language, links from SITE_URL, no secret stored with a queued task."""

import re

import pytest
from django.tasks.signals import task_enqueued
from django.urls import reverse

from jury import services
from jury.models import Invitation
from tests import factories as f

pytestmark = pytest.mark.django_db

SITE = "https://konkurs.example.pl"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def edition():
    return f.EditionFactory(phase="scoring", number=17, year=2026)


@pytest.fixture
def queued():
    """Every task queued during the test, as (name, args, kwargs): what a database backend would store."""
    seen = []

    def remember(sender, task_result, **kwargs):
        seen.append((task_result.task.name, list(task_result.args), dict(task_result.kwargs)))

    task_enqueued.connect(remember, dispatch_uid="test.queued")
    yield seen
    task_enqueued.disconnect(dispatch_uid="test.queued")


def _invite(edition, organiser, capture, email="nowa@example.com"):
    with capture(execute=True):
        [(_invitation, token)] = services.invite(edition, [email], by=organiser)
    return token


def test_invitation_email_names_the_edition_and_links_to_site_url(
    edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    token = _invite(edition, organiser, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert (message.subject, re.findall(r"https?://\S+", message.body)) == (
        "Invitation to the jury",
        [SITE + reverse("jury:invitation", args=[token])],
    )
    assert "Edition 17 (2026)" in message.body


@pytest.mark.polish
def test_invitation_email_is_polish_with_the_polish_edition_name(
    edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(edition, organiser, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert (message.subject, "17. edycja (2026)" in message.body, "Edition" in message.body) == (
        "Zaproszenie do jury",
        True,
        False,
    )


def test_invitation_token_is_never_queued_as_a_task(
    edition, organiser, queued, mailoutbox, django_capture_on_commit_callbacks
):
    token = _invite(edition, organiser, django_capture_on_commit_callbacks)
    assert (len(mailoutbox), [task for task in queued if token in repr(task)]) == (1, [])


def test_resent_invitation_links_to_site_url_whatever_the_request_host(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.REQUIRE_MFA_FOR_STAFF = False
    settings.ALLOWED_HOSTS = ["*"]
    _invite(edition, organiser, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(edition=edition)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jury:invitation_action", args=[edition.year, invitation.pk, "resend"]), HTTP_HOST="evil.example"
        )
    assert response.status_code == 302
    assert re.findall(r"https?://[^/\s]+", mailoutbox[-1].body) == [SITE]


def test_reminder_is_queued_with_the_batch_id_only_and_links_to_the_dashboard(
    edition, organiser, queued, mailoutbox, django_capture_on_commit_callbacks
):
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    f.AssignmentFactory(member=juror, application=f.jury_entry(edition, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(edition, by=organiser)
    log = edition.jury_reminders.get()
    [message] = mailoutbox
    assert (queued, message.to, message.subject) == (
        [("send_reminders", [log.pk], {})],
        ["juror@example.com"],
        "Reminder: scoring in progress",
    )
    assert (SITE + reverse("jury:dashboard", args=[edition.year])) in message.body
    assert "Edition 17 (2026)" in message.body


def test_reminder_goes_to_each_juror_separately(edition, organiser, mailoutbox, django_capture_on_commit_callbacks):
    entry = f.jury_entry(edition, 1)
    for email in ("a@example.com", "b@example.com"):
        f.AssignmentFactory(member=f.declared_juror(edition, user=f.UserFactory(email=email)), application=entry)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(edition, by=organiser)
    assert sorted(m.to for m in mailoutbox) == [["a@example.com"], ["b@example.com"]]
