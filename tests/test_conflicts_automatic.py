"""Automatic conflicts of interest: a juror who owns, co-edits or is the contact e-mail of an entry never scores it,
and the groups of statuses that decide which entries are checked and which the jury works on."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from applications.models import Status
from contest.models import AuditEvent
from jury import queries, services
from jury.models import Assignment, ConflictOfInterest
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=20)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, requires_justification=True, order=1)
    return edition


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _conflict(member, entry):
    return ConflictOfInterest.objects.get(member=member, application=entry)


# Who the juror is to the entry -------------------------------------------------------------------------------------


def test_owner_of_an_entry_has_an_automatic_conflict(edition, juror):
    entry = f.jury_entry(edition, 1, owner=juror.user)
    services.detect_conflicts(edition)
    conflict = _conflict(juror, entry)
    assert (conflict.source, conflict.matched, conflict.is_active) == ("auto", ["owner"], True)


def test_coeditor_of_an_entry_has_an_automatic_conflict(edition, juror):
    entry = f.jury_entry(edition, 1)
    entry.editors.add(juror.user)
    services.detect_conflicts(edition)
    conflict = _conflict(juror, entry)
    assert (conflict.source, conflict.matched, conflict.is_active) == ("auto", ["co-editor"], True)


def test_contact_email_of_an_entry_matches_whatever_the_letter_case(edition, juror):
    entry = f.jury_entry(edition, 1, contact_email=" Juror@Example.COM")
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).matched == ["contact-email:juror@example.com"]


def test_verified_second_address_of_the_juror_matches_the_contact_email(edition, juror):
    EmailAddress.objects.create(user=juror.user, email="j.nowak@gmina.example.pl", verified=True, primary=False)
    entry = f.jury_entry(edition, 1, contact_email="j.nowak@gmina.example.pl")
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).matched == ["contact-email:j.nowak@gmina.example.pl"]


def test_unverified_address_of_the_juror_does_not_match(edition, juror):
    EmailAddress.objects.create(user=juror.user, email="someone.else@example.pl", verified=False, primary=False)
    f.jury_entry(edition, 1, contact_email="someone.else@example.pl")
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.count() == 0


def test_other_jurors_of_the_entry_have_no_conflict(edition, juror):
    other = f.declared_juror(edition)
    entry = f.jury_entry(edition, 1, owner=juror.user)
    services.detect_conflicts(edition)
    assert list(ConflictOfInterest.objects.values_list("member_id", "application_id")) == [(juror.pk, entry.pk)]
    assert not ConflictOfInterest.objects.filter(member=other).exists()


def test_every_match_is_listed_for_the_organisers(edition, juror):
    entry = f.jury_entry(edition, 1, owner=juror.user, contact_email="juror@example.com")
    f.PartnerFactory(application=entry, territorial_unit=f.unit("1209042"))
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("1209042"))
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).matched == ["contact-email:juror@example.com", "owner", "terc:1209042"]


def test_reason_tells_the_organisers_how_the_juror_is_linked(edition, juror):
    entry = f.jury_entry(edition, 1)
    entry.editors.add(juror.user)
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).reason == "The juror is a co-editor of the entry."


def test_affiliation_reason_is_kept_for_affiliation_matches(edition, juror):
    entry = f.jury_entry(edition, 1)
    f.PartnerFactory(application=entry, territorial_unit=f.unit("1209042"))
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("1209042"))
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).reason == "An affiliation of the juror matches a partner of the entry."


def test_detection_of_an_applicant_juror_is_audited(edition, juror):
    entry = f.jury_entry(edition, 1, owner=juror.user)
    services.detect_conflicts(edition)
    event = AuditEvent.objects.get(action="jury.conflict_detected")
    assert (event.target_id, event.data["matched"]) == (str(_conflict(juror, entry).pk), ["owner"])


# When detection runs -----------------------------------------------------------------------------------------------
# (What triggers detection, and that it records who acted: tests/test_conflict_triggers.py.)


def test_detection_never_reopens_a_conflict_an_organiser_lifted(edition, juror, organiser):
    entry = f.jury_entry(edition, 1, owner=juror.user)
    services.detect_conflicts(edition)
    services.lift_conflict(_conflict(juror, entry), "Owner account transferred to the municipality.", by=organiser)
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).is_active is False


def test_joining_the_jury_detects_the_entries_one_applied_for(edition, organiser):
    user = f.UserFactory(email="late.juror@example.com")
    entry = f.jury_entry(edition, 1)
    entry.editors.add(user)
    ((_invitation, token),) = services.invite(edition, [user.email], by=organiser)
    member = services.accept_invitation(token, user)
    assert _conflict(member, entry).matched == ["co-editor"]


# Which entries are checked (Status.CONFLICT_RELEVANT) -----------------------------------------------------------


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CORRECTIONS_REQUESTED, Status.ACCEPTED])
def test_entries_on_their_way_to_the_jury_are_checked(edition, juror, status):
    entry = f.jury_entry(edition, 1, owner=juror.user, status=status)
    services.detect_conflicts(edition)
    assert _conflict(juror, entry).is_active


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN, Status.REJECTED, Status.LAUREATE])
def test_entries_that_never_reach_the_jury_or_are_decided_are_not_checked(edition, juror, status):
    entry = f.jury_entry(edition, 1, owner=juror.user, status=status)
    f.PartnerFactory(application=entry, territorial_unit=f.unit("1209042"))
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("1209042"))
    assert services.detect_conflicts(edition) == {"created": 0, "lifted": 0}
    assert ConflictOfInterest.objects.count() == 0


# What the juror sees: nothing ---------------------------------------------------------------------------------------


def test_juror_dashboard_does_not_list_the_entry_they_coedit(client, edition, juror):
    entry = f.jury_entry(edition, 1)
    visible = f.jury_entry(edition, 2)
    Assignment.objects.create(member=juror, application=entry)
    Assignment.objects.create(member=juror, application=visible)
    entry.editors.add(juror.user)
    services.detect_conflicts(edition)
    client.force_login(juror.user)
    response = client.get(_url("dashboard", edition))
    assert response.status_code == 200
    assert [row.code for row in response.context["rows"]] == [visible.code]
    assert entry.code not in response.text


def test_juror_cannot_open_the_entry_they_own(client, edition, juror):
    entry = f.jury_entry(edition, 1, owner=juror.user)
    Assignment.objects.create(member=juror, application=entry)
    services.detect_conflicts(edition)
    client.force_login(juror.user)
    assert client.get(_url("entry", edition, entry.code)).status_code == 404
    assert client.get(_url("scorecard", edition, entry.code)).status_code == 404


def test_juror_cannot_score_the_entry_whose_contact_email_is_theirs(edition, juror):
    entry = f.jury_entry(edition, 1, contact_email="juror@example.com")
    Assignment.objects.create(member=juror, application=entry)
    services.detect_conflicts(edition)
    values = {c.pk: (5, "Uzasadnienie wystarczająco długie.") for c in edition.criteria.all()}
    with pytest.raises(services.JuryError, match="You have a conflict of interest with this entry"):
        services.submit_scorecard(juror, entry, values, by=juror.user)


def test_automatic_assignment_never_gives_a_juror_their_own_entry(edition, organiser, juror):
    other = f.declared_juror(edition)
    entry = f.jury_entry(edition, 1, owner=juror.user)
    neutral = f.jury_entry(edition, 2)
    services.detect_conflicts(edition)
    result = services.assign_automatically(edition, by=organiser, k=None)  # every juror scores every entry they may
    assert result.ok
    assert set(Assignment.objects.values_list("member_id", "application_id")) == {
        (other.pk, entry.pk),
        (other.pk, neutral.pk),
        (juror.pk, neutral.pk),
    }


def test_organiser_conflict_page_shows_who_the_juror_is_to_the_entry(client, edition, organiser, juror):
    entry = f.jury_entry(edition, 1)
    entry.editors.add(juror.user)
    services.detect_conflicts(edition)
    client.force_login(organiser)
    response = client.get(_url("conflicts", edition))
    assert response.status_code == 200
    assert "The juror is a co-editor of the entry." in response.text
    assert "co-editor" in response.text


# The jury's entries (Status.ACCEPTED_FOR_JURY) ---------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(Status.ACCEPTED_FOR_JURY))
def test_formally_accepted_and_decided_entries_stay_with_the_jury(edition, status):
    entry = f.jury_entry(edition, 1, status=status)
    assert list(queries.accepted_entries(edition)) == [entry]


@pytest.mark.parametrize("status", sorted(set(Status) - Status.ACCEPTED_FOR_JURY))
def test_entries_not_formally_accepted_never_reach_the_jury(edition, status):
    f.jury_entry(edition, 1, status=status)
    assert list(queries.accepted_entries(edition)) == []


def test_submitted_scorecards_of_a_decided_entry_still_count(edition, juror):
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    values = {c.pk: (7, "Uzasadnienie wystarczająco długie.") for c in edition.criteria.all()}
    card = services.submit_scorecard(juror, entry, values, by=juror.user)
    entry.status = Status.LAUREATE
    entry.save(update_fields=["status"])
    assert list(queries.counted_scorecards(edition)) == [card]


def test_status_groups_follow_the_transitions():
    from applications.models import TRANSITIONS

    assert Status.EDITABLE == {Status.DRAFT, Status.CORRECTIONS_REQUESTED}
    # Every state an accepted entry can reach stays with the jury.
    reachable = set()
    frontier = {Status.ACCEPTED}
    while frontier:
        reachable |= frontier
        frontier = {s for state in frontier for s in TRANSITIONS[state]} - reachable
    assert reachable - {Status.REJECTED} == Status.ACCEPTED_FOR_JURY
    assert Status.CONFLICT_RELEVANT.isdisjoint({Status.DRAFT, Status.WITHDRAWN, Status.REJECTED})
