"""Jury services: invitations, declarations, conflict detection and decisions, assignment, scorecards, reminders."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.tokens import hash_token
from contest.models import AuditEvent
from jury import services
from jury.models import Assignment, ConflictOfInterest, Invitation, JuryMember, Scorecard, ScorecardRevision
from jury.services import JuryError
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=20)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, requires_justification=True, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2)
    return edition


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition)


@pytest.fixture
def new_juror(edition):
    """A juror who has not signed the declaration yet: their affiliations are still theirs to change."""
    return f.JuryMemberFactory(edition=edition)


def _values(edition, points=(7, 4), justification="Dobrze opisany problem i mierzalne rezultaty."):
    criteria = list(edition.criteria.all())
    return {c.pk: (p, justification) for c, p in zip(criteria, points, strict=True)}


# Invitations -------------------------------------------------------------------------------------------------------


def test_invite_stores_only_the_token_hash(edition, organiser, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [(invitation, token)] = services.invite(edition, ["New.Juror@Example.com"], by=organiser)
    assert invitation.email == "new.juror@example.com"
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert len(mailoutbox) == 1
    assert token in mailoutbox[0].body


def test_invite_many_at_once(edition, organiser):
    created = services.invite(edition, ["a@example.com", "b@example.com"], by=organiser)
    assert Invitation.objects.filter(edition=edition).count() == len(created) == 2


def test_register_and_accept_creates_verified_member(edition, organiser):
    [(_invitation, token)] = services.invite(edition, ["fresh@example.com"], by=organiser, is_chair=True)
    user = services.register_and_accept(token, password="a-long-secret-9", full_name="Nowa Jurorka")
    assert EmailAddress.objects.get(user=user).verified
    member = JuryMember.objects.get(user=user, edition=edition)
    assert member.is_chair


def test_accepted_token_cannot_be_reused(edition, organiser):
    [(_invitation, token)] = services.invite(edition, ["fresh@example.com"], by=organiser)
    services.register_and_accept(token, password="a-long-secret-9")
    with pytest.raises(JuryError, match="already been used"):
        services.find_invitation(token)


def test_expired_token_is_refused(edition, organiser):
    [(invitation, token)] = services.invite(edition, ["late@example.com"], by=organiser)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(JuryError, match="expired"):
        services.find_invitation(token)


def test_altered_token_is_refused(edition, organiser):
    [(_invitation, token)] = services.invite(edition, ["x@example.com"], by=organiser)
    with pytest.raises(JuryError, match="not valid"):
        services.find_invitation(token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_revoked_token_is_refused(edition, organiser):
    [(invitation, token)] = services.invite(edition, ["x@example.com"], by=organiser)
    services.revoke_invitation(invitation, by=organiser)
    with pytest.raises(JuryError, match="withdrawn"):
        services.find_invitation(token)


def test_resend_replaces_the_secret(edition, organiser):
    [(invitation, old)] = services.invite(edition, ["x@example.com"], by=organiser)
    new = services.resend_invitation(invitation, by=organiser)
    assert services.find_invitation(new).pk == invitation.pk
    with pytest.raises(JuryError, match="This invitation link is not valid"):
        services.find_invitation(old)


def test_accept_requires_the_invited_address(edition, organiser):
    [(_invitation, token)] = services.invite(edition, ["invited@example.com"], by=organiser)
    other = f.UserFactory(email="other@example.com")
    with pytest.raises(JuryError, match="invited@example.com"):
        services.accept_invitation(token, other)


def test_existing_user_accepts_after_login(edition, organiser):
    user = f.UserFactory(email="known@example.com")
    [(_invitation, token)] = services.invite(edition, ["known@example.com"], by=organiser)
    member = services.accept_invitation(token, user)
    assert member.user == user


# Declarations ------------------------------------------------------------------------------------------------------


def test_declare_impartiality_records_text_version_time_and_account(edition):
    member = f.JuryMemberFactory(edition=edition)
    declaration = services.declare_impartiality(member, by=member.user)
    assert declaration.text_version == services.DECLARATION_VERSION
    assert declaration.text == services.declaration_text()
    assert declaration.user == member.user
    assert AuditEvent.objects.filter(action="jury.impartiality_declared").count() == 1


# Conflicts ---------------------------------------------------------------------------------------------------------


def _entry_with_unit(edition, code, number):
    entry = f.jury_entry(edition, number)
    f.PartnerFactory(application=entry, territorial_unit=f.unit(code))
    return entry


def test_detect_conflict_on_same_unit(edition, juror):
    entry = _entry_with_unit(edition, "0808063", 1)
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("0808063"))
    services.detect_conflicts(edition)
    conflict = ConflictOfInterest.objects.get(member=juror, application=entry)
    assert conflict.source == "auto"
    assert conflict.matched == ["terc:0808063"]


def test_detect_conflict_with_parts_of_the_same_municipality(edition, juror):
    entry = _entry_with_unit(edition, "0808064", 1)  # the town of Zbąszynek
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("0808063"))  # the urban-rural gmina
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.filter(member=juror, application=entry).exists()


def test_detect_county_scope_covers_its_municipalities(edition, juror):
    entry = _entry_with_unit(edition, "0808063", 1)
    county = f.unit("0808")
    f.AffiliationFactory(user=juror.user, territorial_unit=county, scope="county")
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.filter(member=juror, application=entry).exists()


def test_detect_unit_scope_does_not_cover_the_county(edition, juror):
    _entry_with_unit(edition, "0808063", 1)
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("0808"), scope="unit")
    services.detect_conflicts(edition)
    assert not ConflictOfInterest.objects.exists()


def test_detect_voivodeship_scope(edition, juror):
    _entry_with_unit(edition, "0808063", 1)
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("08"), scope="voivodeship")
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.count() == 1


@pytest.mark.parametrize("field,value", [("nip", "5252344078"), ("regon", "146085190"), ("krs", "0000412345")])
def test_detect_conflict_on_register_numbers(edition, juror, field, value):
    entry = f.jury_entry(edition, 1)
    f.PartnerFactory(application=entry, kind="ngo", territorial_unit=None, name="Fundacja X", **{field: value})
    f.AffiliationFactory(user=juror.user, **{field: value})
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.get().matched == [f"{field}:{value}"]


def test_detect_conflict_on_normalised_organisation_name(edition, juror):
    entry = f.jury_entry(edition, 1)
    f.PartnerFactory(application=entry, kind="ngo", territorial_unit=None, name="Fundacja „Kamienna Dolina”")
    f.AffiliationFactory(user=juror.user, organisation_name="kamienna  dolina")
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.filter(member=juror, application=entry).exists()


def test_adding_an_affiliation_runs_detection(edition, new_juror):
    entry = _entry_with_unit(edition, "2611053", 1)
    services.add_affiliation(new_juror.user, by=new_juror.user, territorial_unit=f.unit("2611053"), role="councillor")
    assert ConflictOfInterest.objects.filter(member=new_juror, application=entry, lifted_at__isnull=True).exists()


def test_removing_ones_own_affiliation_leaves_the_automatic_conflict_to_the_organisers(edition, new_juror):
    _entry_with_unit(edition, "2611053", 1)
    affiliation = services.add_affiliation(
        new_juror.user, by=new_juror.user, territorial_unit=f.unit("2611053"), role="councillor"
    )
    services.remove_affiliation(affiliation, by=new_juror.user)
    assert ConflictOfInterest.objects.get().lifted_at is None


def test_detection_never_reopens_a_conflict_an_organiser_lifted(edition, juror, organiser):
    _entry_with_unit(edition, "2611053", 1)
    f.AffiliationFactory(user=juror.user, territorial_unit=f.unit("2611053"))
    services.detect_conflicts(edition)
    services.lift_conflict(ConflictOfInterest.objects.get(), "Affiliation ended in 2010.", by=organiser)
    services.detect_conflicts(edition)
    assert ConflictOfInterest.objects.get().lifted_at is not None


def test_lifting_needs_a_reason(edition, juror, organiser):
    entry = f.jury_entry(edition, 1)
    conflict = services.add_conflict(juror, entry, "Family ties", by=organiser)
    with pytest.raises(JuryError, match="Give a reason for lifting the conflict of interest"):
        services.lift_conflict(conflict, "  ", by=organiser)


def test_conflict_decisions_are_audited(edition, juror, organiser):
    entry = f.jury_entry(edition, 1)
    conflict = services.add_conflict(juror, entry, "Family ties", by=organiser)
    services.lift_conflict(conflict, "Checked: no ties", by=organiser)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["jury.conflict_added", "jury.conflict_lifted"]


def test_juror_declares_conflict_only_on_an_entry_they_see(edition, juror):
    entry = f.jury_entry(edition, 1)
    with pytest.raises(JuryError, match="This entry is not assigned to you"):
        services.declare_conflict(juror, entry, "I know them", by=juror.user)
    Assignment.objects.create(member=juror, application=entry)
    conflict = services.declare_conflict(juror, entry, "I know them", by=juror.user)
    assert conflict.source == "declared"


def test_conflicted_scorecard_is_excluded_from_results(edition, juror, organiser):
    from jury.queries import counted_scorecards

    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    services.submit_scorecard(juror, entry, _values(edition), by=juror.user)
    assert counted_scorecards(edition).count() == 1
    services.add_conflict(juror, entry, "Found out later", by=organiser)
    assert counted_scorecards(edition).count() == 0


# Assignment --------------------------------------------------------------------------------------------------------


def test_assign_automatically_excludes_conflicts_and_balances(edition, organiser):
    members = [f.declared_juror(edition) for _ in range(4)]
    entries = [f.jury_entry(edition, i) for i in range(1, 7)]
    services.add_conflict(members[0], entries[0], "Ties", by=organiser)
    result = services.assign_automatically(edition, by=organiser, k=2)
    assert result.ok
    assert Assignment.objects.count() == 12
    assert not Assignment.objects.filter(member=members[0], application=entries[0]).exists()
    assert result.max_load - result.min_load <= 1


def test_assign_automatically_reports_and_changes_nothing_when_impossible(edition, organiser):
    members = [f.declared_juror(edition) for _ in range(2)]
    entry = f.jury_entry(edition, 1)
    services.add_conflict(members[0], entry, "Ties", by=organiser)
    result = services.assign_automatically(edition, by=organiser, k=2)
    assert not result.ok
    assert result.short_entries == (entry.pk,)
    assert Assignment.objects.count() == 0


def test_assign_automatically_keeps_started_scorecards(edition, organiser):
    members = [f.declared_juror(edition) for _ in range(3)]
    entries = [f.jury_entry(edition, i) for i in range(1, 4)]
    Assignment.objects.create(member=members[2], application=entries[0])
    services.save_scorecard_draft(members[2], entries[0], {}, by=members[2].user)
    services.assign_automatically(edition, by=organiser, k=1)
    assert Assignment.objects.filter(member=members[2], application=entries[0]).exists()


def test_manual_assign_refuses_conflict(edition, juror, organiser):
    entry = f.jury_entry(edition, 1)
    services.add_conflict(juror, entry, "Ties", by=organiser)
    with pytest.raises(JuryError, match="This juror has a conflict of interest with this entry"):
        services.assign(juror, entry, by=organiser)


def test_manual_assign_refuses_other_edition(edition, juror, organiser):
    other = f.jury_entry(f.EditionFactory(phase="scoring"), 1)
    with pytest.raises(JuryError, match="The entry and the juror belong to different editions"):
        services.assign(juror, other, by=organiser)


# Scorecards --------------------------------------------------------------------------------------------------------


@pytest.fixture
def assigned(edition, juror):
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    return entry


def test_draft_saves_incomplete(edition, juror, assigned):
    card = services.save_scorecard_draft(juror, assigned, {}, "first thoughts", by=juror.user)
    assert card.status == "draft"
    assert card.overall_comment == "first thoughts"


def test_submit_validates_everything(edition, juror, assigned):
    criteria = list(edition.criteria.all())
    with pytest.raises(JuryError, match="justification: 5 of at least 20 characters") as error:
        services.submit_scorecard(juror, assigned, {criteria[0].pk: (5, "short")}, by=juror.user)
    assert set(error.value.field_errors) == {f"justification_{criteria[0].pk}", f"points_{criteria[1].pk}"}


def test_points_out_of_range_are_refused_even_in_a_draft(edition, juror, assigned):
    criteria = list(edition.criteria.all())
    with pytest.raises(JuryError, match="points: give between 0 and 10"):
        services.save_scorecard_draft(juror, assigned, {criteria[0].pk: (11, "")}, by=juror.user)


def test_submit_and_revise_keeps_every_revision(edition, juror, assigned):
    services.submit_scorecard(juror, assigned, _values(edition), by=juror.user)
    card = services.submit_scorecard(juror, assigned, _values(edition, points=(9, 5)), by=juror.user)
    assert card.revision == 2
    assert list(ScorecardRevision.objects.filter(scorecard=card).values_list("number", flat=True)) == [1, 2]
    first = ScorecardRevision.objects.get(scorecard=card, number=1)
    assert [s["points"] for s in first.snapshot["scores"].values()] == [7, 4]


def test_scoring_refused_one_second_after_the_window(edition, juror, assigned):
    edition.scoring_ends_at = timezone.now() - datetime.timedelta(seconds=1)
    edition.save()
    juror.edition.refresh_from_db()
    with pytest.raises(JuryError, match="outside the scoring window"):
        services.save_scorecard_draft(juror, assigned, {}, by=juror.user)


def test_scoring_refused_one_second_before_the_window(edition, juror, assigned):
    edition.scoring_starts_at = timezone.now() + datetime.timedelta(seconds=1)
    edition.save()
    juror.edition.refresh_from_db()
    with pytest.raises(JuryError, match="outside the scoring window"):
        services.save_scorecard_draft(juror, assigned, {}, by=juror.user)


def test_scoring_refused_for_unassigned_entry(edition, juror):
    entry = f.jury_entry(edition, 1)
    with pytest.raises(JuryError, match="not assigned"):
        services.save_scorecard_draft(juror, entry, {}, by=juror.user)


def test_scoring_refused_for_conflicted_entry(edition, juror, assigned, organiser):
    services.add_conflict(juror, assigned, "Ties", by=organiser)
    with pytest.raises(JuryError, match="conflict"):
        services.save_scorecard_draft(juror, assigned, {}, by=juror.user)


def test_scoring_refused_for_criteria_of_another_edition(edition, juror, assigned):
    foreign = f.CriterionFactory(edition=f.EditionFactory(phase="scoring"))
    with pytest.raises(JuryError, match="The form refers to criteria of another edition"):
        services.save_scorecard_draft(juror, assigned, {foreign.pk: (1, "")}, by=juror.user)


def test_scoring_refused_for_someone_else(edition, juror, assigned):
    with pytest.raises(JuryError, match="Only the assigned juror can score this entry"):
        services.save_scorecard_draft(juror, assigned, {}, by=f.UserFactory())


# Reminders ---------------------------------------------------------------------------------------------------------


def test_reminders_go_only_to_unfinished_jurors_and_not_too_often(
    edition, juror, assigned, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    done = f.declared_juror(edition)
    Assignment.objects.create(member=done, application=assigned)
    services.submit_scorecard(done, assigned, _values(edition), by=done.user)
    with django_capture_on_commit_callbacks(execute=True):
        recipients = services.send_reminders(edition, by=organiser)
    assert recipients == [juror.user.email]
    assert [m.to for m in mailoutbox] == [[juror.user.email]]
    with pytest.raises(JuryError, match="recently"):
        services.send_reminders(edition, by=organiser)


def test_scorecard_state_counts(edition, juror, assigned):
    services.save_scorecard_draft(juror, assigned, {}, by=juror.user)
    assert Scorecard.objects.get().status == "draft"


def test_reminder_interval_comes_from_settings(edition, juror, assigned, organiser, settings):
    settings.JURY_REMINDER_INTERVAL_HOURS = 0
    services.send_reminders(edition, by=organiser)
    assert services.send_reminders(edition, by=organiser) == [juror.user.email]


def test_detection_never_tells_the_juror(edition, new_juror, mailoutbox, django_capture_on_commit_callbacks):
    entry = f.jury_entry(edition, 1)
    f.PartnerFactory(application=entry, territorial_unit=f.unit("0808063"))
    with django_capture_on_commit_callbacks(execute=True):
        services.add_affiliation(new_juror.user, by=new_juror.user, territorial_unit=f.unit("0808063"), role="employee")
    assert (ConflictOfInterest.objects.filter(member=new_juror, application=entry).get().is_active, mailoutbox) == (
        True,
        [],
    )


def test_assign_automatically_twice_gives_the_same_pairs(edition, organiser):
    for _ in range(5):
        f.declared_juror(edition)
    for number in range(1, 9):
        f.jury_entry(edition, number)
    first = services.assign_automatically(edition, by=organiser, k=2)
    pairs = set(Assignment.objects.values_list("application_id", "member_id"))
    second = services.assign_automatically(edition, by=organiser, k=2)
    assert first.pairs == second.pairs
    assert set(Assignment.objects.values_list("application_id", "member_id")) == pairs


def test_assign_automatically_respects_member_caps(edition, organiser):
    capped = f.declared_juror(edition, max_entries=1)
    for _ in range(3):
        f.declared_juror(edition)
    for number in range(1, 7):
        f.jury_entry(edition, number)
    result = services.assign_automatically(edition, by=organiser, k=2)
    assert result.ok
    assert Assignment.objects.filter(member=capped).count() <= 1
