"""Access rules: owners and co-editors only, others get 404; organisers see all; jurors see nothing here."""

import pytest
from django.urls import reverse

from applications import permissions, services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]


MEMBER_PAGES = ["detail", "edit", "partners", "attachments", "check"]


@pytest.fixture
def application(applicant, edition_in_submissions):
    return factories.complete_application(edition=edition_in_submissions, owner=applicant)


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_owner_sees_every_page(client, applicant, application, page):
    client.force_login(applicant)
    assert client.get(reverse(f"applications:{page}", args=[application.pk])).status_code == 200


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_coeditor_sees_every_page(client, application, page):
    coeditor = factories.UserFactory()
    application.editors.add(coeditor)
    client.force_login(coeditor)
    assert client.get(reverse(f"applications:{page}", args=[application.pk])).status_code == 200


@pytest.mark.parametrize("page", MEMBER_PAGES + ["review", "attachments_zip"])
def test_other_user_gets_404(client, application, page):
    client.force_login(factories.UserFactory())
    assert client.get(reverse(f"applications:{page}", args=[application.pk])).status_code == 404


@pytest.mark.parametrize("page", ["submit", "withdraw", "invite"])
def test_other_user_cannot_post_actions(client, application, page):
    client.force_login(factories.UserFactory())
    response = client.post(reverse(f"applications:{page}", args=[application.pk]), {"email": "x@example.com"})
    application.refresh_from_db()
    assert response.status_code == 404
    assert (application.status, application.invitations.count()) == ("draft", 0)


def test_other_user_cannot_edit(client, application):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("applications:edit", args=[application.pk]), {"title": "Przejęte", "version": 1})
    application.refresh_from_db()
    assert response.status_code == 404
    assert application.title == "Wspólny transport gminny"


def test_anonymous_is_sent_to_login(client, application):
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_organiser_sees_the_application_and_its_files(client, organiser, application):
    client.force_login(organiser)
    attachment = application.attachments.get()
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("applications:attachment", args=[application.pk, attachment.pk])).status_code in (
        200,
        302,
    )


def test_organiser_cannot_edit_an_applicants_draft(client, organiser, application):
    client.force_login(organiser)
    response = client.get(reverse("applications:edit", args=[application.pk]))
    assert response.status_code == 302


def test_juror_sees_nothing_here(client, application):
    """A juror is an ordinary account in this app: no membership, no organiser flag, so 404 everywhere."""
    juror = factories.UserFactory(email="juror@example.com")
    client.force_login(juror)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("applications:organiser_list", args=[application.edition.year])).status_code == 404
    assert client.get(reverse("applications:dashboard")).content.decode().count(application.title) == 0


def test_non_organiser_cannot_see_the_organiser_list(client, applicant, application):
    client.force_login(applicant)
    assert client.get(reverse("applications:organiser_list", args=[application.edition.year])).status_code == 404
    assert (
        client.get(reverse("applications:organiser_export", args=[application.edition.year, "csv"])).status_code == 404
    )


def test_applicant_cannot_review_their_own_application(client, applicant, application):
    services.submit(application, by=applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("applications:review", args=[application.pk]), {"action": "decide", "decision": "accept"}
    )
    application.refresh_from_db()
    assert response.status_code == 404
    assert application.status == "submitted"


def test_rules_answer_allowed_and_reason(applicant, application):
    services.submit(application, by=applicant)
    allowed, reason = permissions.check(applicant, "edit", application)
    assert (allowed, str(reason)) == (False, "A submitted application can no longer be edited.")
