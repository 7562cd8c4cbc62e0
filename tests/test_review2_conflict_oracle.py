"""Second security review (issue 7): a juror's own affiliations are an oracle for who applied, and a way out of an
automatic conflict.

Reproduction (through the juror's pages, during scoring, entry assigned and signed off):
1. the juror adds an affiliation with a NIP (or a TERYT unit) they want to test: /jury/affiliations/ POST;
2. their dashboard no longer lists SLZ-…-001: the juror now knows that entry is that organisation's;
3. they delete the affiliation: /jury/affiliations/<pk>/delete/ POST; detection lifted the automatic conflict by
   itself ("Nothing links the juror to the entry any more") and the entry was back, to be scored by someone who
   both knows whose it is and is tied to it.

Two fixes, each tested here: once the juror has signed the declaration of an edition whose entries they may see,
they can no longer change their affiliations themselves (1–2 cannot happen); and detection set off by the juror's
own change only creates conflicts, never lifts them (3 cannot happen, also for a juror who has not signed yet).

Adapted from the reviewer's file: their helper expected the affiliation to be stored, which the first fix refuses; the
tests of the second fix use a juror who has not signed yet, for whom changing affiliations is still allowed.
"""

import pytest
from django.urls import reverse

from jury import services
from jury.models import Affiliation, Assignment, ConflictOfInterest, ImpartialityDeclaration
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

NIP = "5213017228"
LOCKED = "Your affiliations are part of your signed declaration; to change them ask the organisers."
AFFILIATION = {"scope": "unit", "organisation_name": "", "nip": NIP, "regon": "", "krs": "", "role": "employee"}



def _scene(client, *, signed, phase="scoring"):
    edition = f.EditionFactory(phase=phase)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, order=1)
    probed = f.jury_entry(edition, 1)
    f.PartnerFactory(application=probed, kind="ngo", territorial_unit=None, name="Fundacja Alfa", nip=NIP)
    other = f.jury_entry(edition, 2)
    f.sign_off(probed)
    f.sign_off(other)
    user = f.UserFactory(email="juror@example.com")
    juror = f.declared_juror(edition, user=user) if signed else f.JuryMemberFactory(edition=edition, user=user)
    Assignment.objects.create(member=juror, application=probed)
    Assignment.objects.create(member=juror, application=other)
    client.force_login(juror.user)
    return edition, probed, other, juror


@pytest.fixture
def scene(client):
    """The reviewer's scene: a juror who signed the declaration, during scoring."""
    return _scene(client, signed=True)


@pytest.fixture
def unsigned(client):
    """The same juror before signing: they may still change their affiliations, but see no entry."""
    return _scene(client, signed=False)


def _add_affiliation(client):
    return client.post(reverse("jury:affiliations"), AFFILIATION, follow=True)


def _dashboard_codes(client, edition, *codes):
    page = client.get(reverse("jury:dashboard", args=[edition.year])).content.decode()
    return {code for code in codes if code in page}


def _sign(juror):
    services.declare_impartiality(juror, by=juror.user)


# Signed: the affiliations are part of the declaration ---------------------------------------------------------------


def test_review2_adding_an_affiliation_does_not_tell_the_juror_which_entry_it_matches(client, scene):
    edition, probed, other, juror = scene
    before = _dashboard_codes(client, edition, probed.code, other.code)
    _add_affiliation(client)
    after = _dashboard_codes(client, edition, probed.code, other.code)
    assert (before, after) == ({probed.code, other.code}, {probed.code, other.code})


def test_signed_juror_adding_an_affiliation_is_refused_with_the_reason_and_nothing_stored(client, scene):
    response = _add_affiliation(client)
    assert (LOCKED in response.content.decode(), Affiliation.objects.count(), ConflictOfInterest.objects.count()) == (
        True,
        0,
        0,
    )


def test_signed_juror_removing_an_affiliation_is_refused_and_it_stays(client, scene):
    _edition, _probed, _other, juror = scene
    affiliation = f.AffiliationFactory(user=juror.user, organisation_name="Fundacja Beta")
    response = client.post(reverse("jury:affiliation_delete", args=[affiliation.pk]), follow=True)
    assert (LOCKED in response.content.decode(), Affiliation.objects.filter(pk=affiliation.pk).exists()) == (
        True,
        True,
    )


def test_signed_juror_sees_their_affiliations_read_only_with_the_note(client, scene):
    _edition, _probed, _other, juror = scene
    affiliation = f.AffiliationFactory(user=juror.user, organisation_name="Fundacja Beta")
    page = client.get(reverse("jury:affiliations")).content.decode()
    delete_url = reverse("jury:affiliation_delete", args=[affiliation.pk])
    assert ("Fundacja Beta" in page, LOCKED in page, delete_url in page, 'name="nip"' in page) == (
        True,
        True,
        False,
        False,
    )


def test_signed_juror_still_declares_a_conflict_with_one_entry(client, scene):
    edition, probed, other, juror = scene
    client.post(reverse("jury:declare_conflict", args=[edition.year, probed.code]), {"reason": "Znam ich."})
    assert _dashboard_codes(client, edition, probed.code, other.code) == {other.code}


def test_signed_juror_locked_out_of_the_service_too(scene):
    _edition, _probed, _other, juror = scene
    with pytest.raises(services.JuryError, match="part of your signed declaration"):
        services.add_affiliation(juror.user, by=juror.user, nip=NIP, role="employee")
    assert Affiliation.objects.count() == 0


def test_organiser_still_records_an_affiliation_for_a_signed_juror(scene, organiser):
    _edition, probed, _other, juror = scene
    services.add_affiliation(juror.user, by=organiser, nip=NIP, role="employee")
    assert ConflictOfInterest.objects.get(member=juror, application=probed).lifted_at is None


def test_affiliations_of_a_signed_juror_are_free_again_once_the_results_are_out(client):
    edition, _probed, _other, juror = _scene(client, signed=True, phase="results")
    response = _add_affiliation(client)
    assert (response.status_code, Affiliation.objects.filter(user=juror.user).count()) == (200, 1)


def test_the_locked_message_is_in_polish(client, scene, settings):
    settings.LANGUAGE_CODE = "pl"
    response = client.post(reverse("jury:affiliations"), AFFILIATION, follow=True, HTTP_ACCEPT_LANGUAGE="pl")
    assert "Twoje powiązania są częścią podpisanego oświadczenia" in response.content.decode()


# Detection set off by the juror's own change never lifts a conflict -----------------------------------------------


def test_review2_removing_ones_affiliation_does_not_lift_the_automatic_conflict(client, unsigned):
    _edition, probed, _other, juror = unsigned
    _add_affiliation(client)
    affiliation = Affiliation.objects.get(nip=NIP)
    assert ConflictOfInterest.objects.get(member=juror, application=probed).lifted_at is None
    client.post(reverse("jury:affiliation_delete", args=[affiliation.pk]))
    conflict = ConflictOfInterest.objects.get(member=juror, application=probed)
    assert (Affiliation.objects.count(), conflict.lifted_at) == (0, None)


def test_review2_juror_cannot_reopen_a_conflicted_entry_by_deleting_their_affiliation(client, unsigned):
    edition, probed, _other, juror = unsigned
    _add_affiliation(client)
    client.post(reverse("jury:affiliation_delete", args=[Affiliation.objects.get(nip=NIP).pk]))
    _sign(juror)
    response = client.get(reverse("jury:scorecard", args=[edition.year, probed.code]))
    assert response.status_code == 404


def test_organisers_detection_lifts_the_conflict_nothing_supports_any_more(client, unsigned, organiser):
    edition, probed, _other, juror = unsigned
    _add_affiliation(client)
    client.post(reverse("jury:affiliation_delete", args=[Affiliation.objects.get(nip=NIP).pk]))
    found = services.detect_conflicts(edition, by=organiser)
    conflict = ConflictOfInterest.objects.get(member=juror, application=probed)
    assert (found, conflict.lifted_at is not None) == ({"created": 0, "lifted": 1}, True)


def test_juror_who_has_not_signed_may_still_change_their_affiliations(client, unsigned):
    _edition, _probed, _other, juror = unsigned
    assert (ImpartialityDeclaration.objects.count(), services.affiliations_locked(juror.user)) == (0, False)
