"""A juror who is also an organiser can open every application with its partners and people: the blind rule cannot
hide who applied from them. The platform does not refuse it (a committee may choose it) but says so where the jury is
built: when such a person is invited, and beside them in the list of jurors."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

BADGE = "also an organiser: sees who applied"


@pytest.fixture
def edition():
    return f.EditionFactory(phase="formal_review")


@pytest.fixture
def organiser(client):
    user = f.UserFactory(is_organiser=True, email="biuro@example.com")
    client.force_login(user)
    return user


def _members_url(edition):
    return reverse("jury:members", args=[edition.year])


def test_inviting_an_organisers_address_warns_by_name_and_still_invites(client, edition, organiser):
    f.UserFactory(is_organiser=True, email="Kierownik@Example.com")
    f.UserFactory(email="ekspert@example.com")

    response = client.post(_members_url(edition), {"emails": "kierownik@example.com, ekspert@example.com"}, follow=True)

    content = response.content.decode()
    assert "2 invitations sent." in content
    assert "kierownik@example.com: also an organiser&#x27;s account" in content
    assert "ekspert@example.com: also" not in content
    assert edition.jury_invitations.count() == 2


def test_inviting_outside_experts_only_gives_no_warning(client, edition, organiser):
    response = client.post(_members_url(edition), {"emails": "ekspert@example.com"}, follow=True)

    assert "also an organiser" not in response.content.decode()


def test_the_list_of_jurors_marks_a_juror_who_is_also_an_organiser(client, edition, organiser):
    f.declared_juror(edition, user=f.UserFactory(is_organiser=True, full_name="Anna Biurowa"))
    f.declared_juror(edition, user=f.UserFactory(full_name="Jan Ekspert"))

    content = client.get(_members_url(edition)).content.decode()

    rows = {name: row for name in ("Anna Biurowa", "Jan Ekspert") for row in content.split("<tr>") if name in row}
    assert BADGE in rows["Anna Biurowa"]
    assert BADGE not in rows["Jan Ekspert"]
