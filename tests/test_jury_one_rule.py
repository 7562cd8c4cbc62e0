"""Review of issue 8 ("one definition of each rule"), the jury's part: the affiliation date rule has one home
(jury.services), and jury form fields with an error are marked like applicants' (one form mixin)."""

import datetime

import pytest

from jury import services as jury_services
from jury.forms import AffiliationForm
from jury.models import Affiliation
from jury.services import JuryError


@pytest.mark.django_db
def test_add_affiliation_refuses_an_end_before_the_start(applicant):
    with pytest.raises(JuryError, match="end"):
        jury_services.add_affiliation(
            applicant,
            by=applicant,
            organisation_name="Fundacja Kamienna Dolina",
            role="board_member",
            started_on=datetime.date(2025, 1, 1),
            ended_on=datetime.date(2020, 1, 1),
        )
    assert Affiliation.objects.filter(user=applicant).count() == 0


@pytest.mark.django_db
def test_a_jury_field_with_an_error_is_marked_invalid_like_an_applicant_field():
    form = AffiliationForm(
        data={
            "scope": "unit",
            "role": "employee",
            "organisation_name": "Fundacja Kamienna Dolina",
            "started_on": "2025-01-01",
            "ended_on": "2020-01-01",
        }
    )
    assert not form.is_valid()
    # Bootstrap shows the red outline and the invalid-feedback text only with `is-invalid` (applicants' forms have it).
    assert "is-invalid" in str(form["ended_on"])


# Invitations: one lifecycle, one way to make tokens and links; the jury's revoke and resend lock the row. ----------


@pytest.fixture
def pending(organiser):
    from django.utils import timezone

    from tests import factories

    edition = factories.EditionFactory(phase="scoring")
    ((invitation, _token),) = jury_services.invite(edition, ["late@example.com"], by=organiser)
    # Accepted meanwhile, in another request: the organiser's page still holds the pending row.
    type(invitation).objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    return invitation


@pytest.mark.django_db
def test_revoking_an_invitation_accepted_meanwhile_is_refused_and_it_stays_accepted(pending, organiser):
    with pytest.raises(JuryError, match="already been accepted"):
        jury_services.revoke_invitation(pending, by=organiser)
    pending.refresh_from_db()
    assert (pending.state, pending.revoked_at) == ("accepted", None)


@pytest.mark.django_db
def test_resending_an_invitation_accepted_meanwhile_does_not_undo_the_acceptance(pending, organiser):
    with pytest.raises(JuryError, match="already been accepted"):
        jury_services.resend_invitation(pending, by=organiser)
    pending.refresh_from_db()
    assert (pending.state, pending.send_count) == ("accepted", 1)


@pytest.mark.django_db
def test_jury_invitation_link_has_one_slash_after_a_site_url_ending_with_one(
    organiser, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from tests import factories

    settings.SITE_URL = "https://slz.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        jury_services.invite(factories.EditionFactory(phase="scoring"), ["late@example.com"], by=organiser)
    assert ("https://slz.example.org/jury/" in mailoutbox[0].body, "org//" in mailoutbox[0].body) == (True, False)
