"""Co-editor invitations: hashed tokens, expiry, withdrawal by the coordinator, and limits on e-mails sent."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import CoEditorInvitation
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/zaproszenie/(?P<token>[^/\s]+)/")


@pytest.fixture
def application(applicant, edition_in_submissions):
    return factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant, title="Wspólny transport")


@pytest.fixture
def invite_url(application):
    return reverse("applications:invite", args=[application.pk])


@pytest.fixture
def ewa(db):
    return factories.UserFactory(email="ewa@example.com")


@pytest.fixture
def invite_by_email(django_capture_on_commit_callbacks):
    """Invite through the service and return the token from the e-mail, as the invited person gets it."""

    def invite(application, email="ewa@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_coeditor(application, email, by=application.owner)
        return LINK.search(mail.outbox[-1].body).group("token")

    return invite


def test_invite_fifty_posts_to_new_addresses_send_five_emails(
    client, applicant, application, invite_url, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(invite_url, {"email": f"target{n}@example.net"}) for n in range(50)]

    assert (len(mail.outbox), application.invitations.count()) == (5, 5)
    assert "already has 5 invitations waiting for an answer" in responses[-1].content.decode()
    assert responses[-1].status_code == 429


def test_invite_fifty_posts_to_one_address_stop_at_the_daily_limit(
    client, applicant, application, invite_url, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(invite_url, {"email": "target@example.net"}) for _ in range(50)]

    assert len(mail.outbox) == 10
    assert "You have sent 10 invitations in the last 24 hours" in responses[-1].content.decode()


def test_invite_daily_limit_counts_all_applications_of_the_user(
    applicant, edition_in_submissions, django_capture_on_commit_callbacks
):
    applications = [factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant) for _ in range(4)]
    refused = 0
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(16):
            try:
                services.invite_coeditor(applications[n % 4], f"p{n}@example.net", by=applicant)
            except services.TooManyInvitations:
                refused += 1

    assert (len(mail.outbox), refused) == (10, 6)


def test_invite_daily_limit_frees_up_after_a_day(applicant, edition_in_submissions):
    applications = [factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant) for _ in range(2)]
    yesterday = timezone.now() - datetime.timedelta(hours=25)
    for n in range(10):
        services.invite_coeditor(applications[n % 2], f"p{n}@example.net", by=applicant, at=yesterday)
    CoEditorInvitation.objects.update(revoked_at=yesterday)

    invitation, _token = services.invite_coeditor(applications[0], "today@example.net", by=applicant)

    assert invitation.state == "pending"


def test_invitation_stored_token_is_not_the_one_in_the_email(
    client, applicant, application, invite_url, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url, {"email": "ewa@example.com"})
    token = LINK.search(mail.outbox[0].body).group("token")
    stored = CoEditorInvitation.objects.values().get()

    assert token not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_invitation_email_link_lets_the_invited_address_join(client, ewa, application, invite_by_email):
    token = invite_by_email(application)
    client.force_login(ewa)

    client.post(reverse("applications:accept_invitation", args=[token]))

    assert list(application.editors.all()) == [ewa]


def test_invitation_expired_link_shows_why_and_grants_nothing(client, ewa, application, invite_by_email):
    token = invite_by_email(application)
    CoEditorInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(ewa)
    url = reverse("applications:accept_invitation", args=[token])

    page = client.get(url)
    client.post(url)

    assert (page.status_code, "This invitation has expired" in page.content.decode()) == (410, True)
    assert list(application.editors.all()) == []


def test_invitation_expires_after_fourteen_days(application):
    invitation, _token = services.invite_coeditor(application, "ewa@example.com", by=application.owner)

    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)


def test_invitation_revoked_by_the_coordinator_shows_why_and_grants_nothing(
    client, applicant, ewa, application, invite_by_email
):
    token = invite_by_email(application)
    invitation = application.invitations.get()
    client.force_login(applicant)
    client.post(reverse("applications:revoke_invitation", args=[application.pk, invitation.pk]))
    client.force_login(ewa)
    url = reverse("applications:accept_invitation", args=[token])

    page = client.get(url)
    client.post(url)

    assert (page.status_code, "withdrawn by the coordinator" in page.content.decode()) == (410, True)
    assert list(application.editors.all()) == []


def test_invitation_revoked_is_no_longer_offered_on_the_dashboard(client, ewa, application):
    invitation, _token = services.invite_coeditor(application, "ewa@example.com", by=application.owner)
    services.revoke_invitation(invitation, by=application.owner)
    client.force_login(ewa)

    page = client.get(reverse("applications:dashboard")).content.decode()
    client.post(reverse("applications:accept_pending_invitation", args=[invitation.pk]))

    assert ("Wspólny transport" in page, list(application.editors.all())) == (False, [])


def test_invitation_unknown_token_shows_a_clear_page(client, ewa):
    client.force_login(ewa)

    page = client.get(reverse("applications:accept_invitation", args=["not-a-real-token"]))

    assert "This invitation link is not valid" in page.content.decode()


def test_invite_page_offers_withdrawal_of_a_pending_invitation(client, applicant, application, invite_url):
    invitation, _token = services.invite_coeditor(application, "ewa@example.com", by=applicant)
    client.force_login(applicant)

    page = client.get(invite_url).content.decode()

    assert reverse("applications:revoke_invitation", args=[application.pk, invitation.pk]) in page


def test_revoke_by_a_coeditor_is_refused(client, applicant, application):
    invitation, _token = services.invite_coeditor(application, "ewa@example.com", by=applicant)
    coeditor = factories.UserFactory()
    application.editors.add(coeditor)
    client.force_login(coeditor)

    client.post(reverse("applications:revoke_invitation", args=[application.pk, invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_revoke_of_an_accepted_invitation_is_refused_with_a_reason(applicant, ewa, application):
    invitation, _token = services.invite_coeditor(application, "ewa@example.com", by=applicant)
    services.accept_invitation(invitation, user=ewa)

    with pytest.raises(services.NotAllowed, match="already been accepted"):
        services.revoke_invitation(invitation, by=applicant)


def test_reinviting_an_address_withdraws_the_earlier_link(client, ewa, application, invite_by_email):
    first = invite_by_email(application)
    second = invite_by_email(application)
    client.force_login(ewa)

    client.post(reverse("applications:accept_invitation", args=[first]))
    refused = list(application.editors.all())
    client.post(reverse("applications:accept_invitation", args=[second]))

    assert (refused, list(application.editors.all())) == ([], [ewa])


def test_invite_of_an_existing_coeditor_is_refused_without_email(client, applicant, ewa, application, invite_url):
    application.editors.add(ewa)
    client.force_login(applicant)

    response = client.post(invite_url, {"email": "EWA@example.com"})

    assert "is a co-editor of this application already" in response.content.decode()
    assert (len(mail.outbox), application.invitations.count()) == (0, 0)
