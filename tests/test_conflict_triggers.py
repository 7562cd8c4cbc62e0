"""What re-checks conflicts of interest: the services that change an entry's status, partners, co-editors or contact
e-mail, and a juror's affiliations, each recording who acted. Saving rows directly does no hidden work."""

import datetime

import pytest
from django.utils import timezone

from applications import services as applications
from applications.models import Application, Partner, Status
from applications.signals import application_changed
from contest.models import AuditEvent
from jury import services as jury
from jury.models import ConflictOfInterest
from tests import factories as f

pytestmark = pytest.mark.django_db

JUROR_NIP = "5261040828"


@pytest.fixture
def edition():
    return f.EditionFactory(phase="formal_review")


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def new_juror(edition):
    """A juror who has not signed the declaration yet: their affiliations are still theirs to change."""
    return f.JuryMemberFactory(edition=edition, user=f.UserFactory(email="new.juror@example.com"))


@pytest.fixture
def juror_company(juror):
    """The juror works for a company with a known NIP."""
    return f.AffiliationFactory(user=juror.user, nip=JUROR_NIP, organisation_name="Firma Doradcza")


def _in_corrections(edition, *fields, **extra):
    """An entry the organiser sent back for corrections of `fields`: it is checked for conflicts and can change."""
    return f.jury_entry(
        edition,
        status=Status.CORRECTIONS_REQUESTED,
        corrections_fields=list(fields),
        corrections_deadline=timezone.now() + datetime.timedelta(days=7),
        **extra,
    )


def _company(entry):
    return Partner(application=entry, kind=Partner.Kind.BUSINESS, name="Spółka", nip=JUROR_NIP, role="Doradztwo")


def _state(member, entry):
    """(active?, matched) of the pair's conflict, or None when there is none."""
    conflict = ConflictOfInterest.objects.filter(member=member, application=entry).first()
    return None if conflict is None else (conflict.is_active, conflict.matched)


def _detection_actors(action):
    return list(AuditEvent.objects.filter(action=action).values_list("actor__email", flat=True))


# Partners ----------------------------------------------------------------------------------------------------------


def test_partner_with_a_jurors_nip_creates_the_conflict_recording_who_added_it(edition, juror, juror_company):
    entry = _in_corrections(edition, "partners")
    applications.save_partner(entry, _company(entry), by=entry.owner)
    assert (_state(juror, entry), _detection_actors("jury.conflict_detected")) == (
        (True, [f"nip:{JUROR_NIP}"]),
        [entry.owner.email],
    )


def test_deleting_the_partner_lifts_the_conflict_recording_who_deleted_it(edition, juror, juror_company):
    entry = _in_corrections(edition, "partners")
    partner = applications.save_partner(entry, _company(entry), by=entry.owner)
    applications.delete_partner(entry, partner, by=entry.owner)
    assert (_state(juror, entry), _detection_actors("jury.conflict_lifted")) == (
        (False, [f"nip:{JUROR_NIP}"]),
        [entry.owner.email],
    )


def test_partner_added_to_a_draft_creates_no_conflict(edition, juror, juror_company):
    submissions = f.EditionFactory(phase="submissions")
    member = f.declared_juror(submissions, user=juror.user)
    draft = f.ApplicationFactory(edition=submissions, status=Status.DRAFT)
    applications.save_partner(draft, _company(draft), by=draft.owner)
    assert (_state(member, draft), ConflictOfInterest.objects.count()) == (None, 0)


# Status ------------------------------------------------------------------------------------------------------------


def test_submitting_the_jurors_own_draft_creates_the_conflict_recording_the_juror(edition, juror):
    draft = f.ApplicationFactory(edition=edition, owner=juror.user, status=Status.DRAFT)
    assert _state(juror, draft) is None
    applications.change_status(draft, Status.SUBMITTED, by=juror.user)
    assert (_state(juror, draft), _detection_actors("jury.conflict_detected")) == (
        (True, ["owner"]),
        [juror.user.email],
    )


def test_accepting_an_entry_with_a_jurors_partner_creates_the_conflict_recording_the_organiser(
    edition, juror, organiser, juror_company
):
    entry = f.jury_entry(edition, status=Status.SUBMITTED)
    _company(entry).save()  # written before the juror's affiliation was known to this entry
    applications.accept(entry, by=organiser)
    assert (_state(juror, entry), _detection_actors("jury.conflict_detected")) == (
        (True, [f"nip:{JUROR_NIP}"]),
        [organiser.email],
    )


# Co-editors --------------------------------------------------------------------------------------------------------


def test_juror_joining_as_coeditor_creates_the_conflict_recording_the_juror(edition, juror):
    entry = _in_corrections(edition, "partners")
    invitation, _token = applications.invite_coeditor(entry, juror.user.email, by=entry.owner)
    applications.accept_invitation(invitation, user=juror.user)
    assert (_state(juror, entry), _detection_actors("jury.conflict_detected")) == (
        (True, ["co-editor"]),
        [juror.user.email],
    )


# Contact e-mail ----------------------------------------------------------------------------------------------------


def _set_contact(entry, email, by):
    entry.refresh_from_db()
    return applications.save_draft(entry, {"contact_email": email}, by=by, expected_version=entry.version)


def test_contact_email_changed_to_the_jurors_creates_the_conflict_recording_who_changed_it(edition, juror):
    entry = _in_corrections(edition, "contact_email")
    _set_contact(entry, "Juror@Example.com", entry.owner)
    assert (_state(juror, entry), _detection_actors("jury.conflict_detected")) == (
        (True, ["contact-email:juror@example.com"]),
        [entry.owner.email],
    )


def test_contact_email_changed_away_lifts_the_conflict_recording_who_changed_it(edition, juror):
    entry = _in_corrections(edition, "contact_email")
    _set_contact(entry, "juror@example.com", entry.owner)
    _set_contact(entry, "biuro@gmina.example.pl", entry.owner)
    conflict = ConflictOfInterest.objects.get(member=juror, application=entry)
    assert (conflict.is_active, conflict.lift_reason, _detection_actors("jury.conflict_lifted")) == (
        False,
        "Nothing links the juror to the entry any more.",
        [entry.owner.email],
    )


def test_detection_reopens_a_conflict_it_lifted_itself(edition, juror):
    entry = _in_corrections(edition, "contact_email")
    for email in ("juror@example.com", "biuro@gmina.example.pl", "juror@example.com"):
        _set_contact(entry, email, entry.owner)
    conflict = ConflictOfInterest.objects.get(member=juror, application=entry)
    assert (conflict.is_active, conflict.matched, conflict.lift_reason) == (
        True,
        ["contact-email:juror@example.com"],
        "",
    )


def test_saving_other_fields_leaves_the_conflicts_alone(edition, juror):
    entry = _in_corrections(edition, "title", contact_email="juror@example.com")
    applications.save_draft(entry, {"title": "Nowy tytuł"}, by=entry.owner, expected_version=entry.version)
    assert _state(juror, entry) is None


# Affiliations ------------------------------------------------------------------------------------------------------


def test_juror_adding_an_affiliation_creates_the_conflict_recording_the_juror(edition, new_juror):
    entry = f.jury_entry(edition)
    _company(entry).save()
    jury.add_affiliation(new_juror.user, by=new_juror.user, nip=JUROR_NIP, role="employee")
    assert (_state(new_juror, entry), _detection_actors("jury.conflict_detected")) == (
        (True, [f"nip:{JUROR_NIP}"]),
        [new_juror.user.email],
    )


def test_organiser_removing_the_affiliation_lifts_the_conflict_recording_the_organiser(edition, new_juror, organiser):
    entry = f.jury_entry(edition)
    _company(entry).save()
    affiliation = jury.add_affiliation(new_juror.user, by=new_juror.user, nip=JUROR_NIP, role="employee")
    jury.remove_affiliation(affiliation, by=organiser)
    assert (_state(new_juror, entry), _detection_actors("jury.conflict_lifted")) == (
        (False, [f"nip:{JUROR_NIP}"]),
        [organiser.email],
    )


def test_accepting_the_jury_invitation_records_the_new_juror(edition, organiser):
    user = f.UserFactory(email="late.juror@example.com")
    entry = f.jury_entry(edition, owner=user)
    ((_invitation, token),) = jury.invite(edition, [user.email], by=organiser)
    member = jury.accept_invitation(token, user)
    assert (_state(member, entry), _detection_actors("jury.conflict_detected")) == ((True, ["owner"]), [user.email])


# No hidden work ----------------------------------------------------------------------------------------------------


def test_updating_application_rows_directly_runs_no_detection(edition, juror):
    entry = f.jury_entry(edition)
    Application.objects.filter(pk=entry.pk).update(contact_email="juror@example.com")
    entry.refresh_from_db()
    entry.owner = juror.user
    entry.save()
    assert ConflictOfInterest.objects.count() == 0


def test_saving_partner_and_coeditor_rows_directly_runs_no_detection(edition, juror, juror_company):
    entry = f.jury_entry(edition)
    _company(entry).save()
    entry.editors.add(juror.user)
    assert ConflictOfInterest.objects.count() == 0


def test_failing_detection_leaves_the_partner_unsaved(edition, juror, juror_company):
    entry = _in_corrections(edition, "partners")

    def broken(sender, **kwargs):
        raise RuntimeError("detection failed")

    application_changed.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError, match="detection failed"):
            applications.save_partner(entry, _company(entry), by=entry.owner)
    finally:
        application_changed.disconnect(dispatch_uid="test.broken")
    assert (entry.partners.count(), AuditEvent.objects.filter(action="application.partner_saved").count()) == (0, 0)


def test_detection_sends_the_juror_nothing(edition, juror, mailoutbox, django_capture_on_commit_callbacks):
    entry = _in_corrections(edition, "partners")
    invitation, _token = applications.invite_coeditor(entry, juror.user.email, by=entry.owner)
    with django_capture_on_commit_callbacks(execute=True):
        applications.accept_invitation(invitation, user=juror.user)
    assert (_state(juror, entry), mailoutbox) == ((True, ["co-editor"]), [])
