"""Review 15: the juror invitation's personal link (a token that must never reach the database) cannot be written
into a subject, which the sent-mail log stores and shows to every organiser."""

import pytest
from django.urls import reverse

from communications import services
from communications.kinds import Kind
from communications.models import EmailTemplate
from communications.placeholders import TemplateError
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def test_personal_link_in_the_invitations_subject_is_refused_and_nothing_saved(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    client.force_login(organiser)

    response = client.post(
        reverse("communications:edit", args=[edition.year, "juror_invitation", "en"]),
        {"action": "save", "subject": "Join: {{ link }}", "body": "Accept: {{ link }}"},
    )

    assert response.status_code == 400
    assert "may be written only in the body" in response.content.decode()
    assert EmailTemplate.objects.count() == 0


def test_service_refuses_the_personal_link_in_a_subject(organiser):
    edition = f.EditionFactory(phase="scoring")

    with pytest.raises(TemplateError):
        services.save_template(
            edition, Kind.JUROR_INVITATION, "pl", subject="{{ link }}", body="{{ link }}", by=organiser
        )

    assert EmailTemplate.objects.count() == 0


def test_the_reminders_link_names_no_secret_and_may_be_in_the_subject(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    client.force_login(organiser)

    response = client.post(
        reverse("communications:edit", args=[edition.year, "reminder", "en"]),
        {"action": "save", "subject": "Score at {{ link }}", "body": "{{ entries_left }}"},
    )

    assert response.status_code == 302
    assert EmailTemplate.objects.get().subject == "Score at {{ link }}"


def test_placeholder_list_says_the_personal_link_goes_in_the_body_only(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    client.force_login(organiser)

    response = client.get(reverse("communications:edit", args=[edition.year, "juror_invitation", "en"]))

    assert "in the body only" in response.content.decode()
