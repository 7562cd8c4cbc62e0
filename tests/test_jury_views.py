"""Jury pages: the juror's way through, refusals that reveal nothing, bad input, organiser pages, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import JURY_VISIBLE_FIELDS
from contest.models import AuditEvent
from jury import services
from jury.models import Assignment, ConflictOfInterest, CriterionScore, Invitation, JuryMember, Scorecard
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=20)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, requires_justification=True, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2)
    return edition


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def entry(edition, juror):
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    f.sign_off(entry)
    return entry


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _post_card(client, edition, entry, points=("7", "4"), justification="Dobrze opisany problem i rezultaty.", **extra):
    criteria = list(edition.criteria.all())
    data = {"overall_comment": "Solidny projekt."}
    for criterion, value in zip(criteria, points, strict=True):
        data[f"points_{criterion.pk}"] = value
        data[f"justification_{criterion.pk}"] = justification
    data.update(extra)
    return client.post(_url("scorecard", edition, entry.code), data)


# The juror's way ---------------------------------------------------------------------------------------------------


def test_dashboard_lists_assigned_entries_by_code_and_category(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.get(_url("dashboard", edition))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.code, r.category, r.state) for r in rows] == [(entry.code, entry.category.name, "not_started")]


def test_dashboard_redirects_to_declaration_first(client, edition):
    member = f.JuryMemberFactory(edition=edition)
    client.force_login(member.user)
    response = client.get(_url("dashboard", edition))
    assert response.status_code == 302
    assert response.url == _url("declaration", edition)


def test_declaration_page_signs(client, edition):
    member = f.JuryMemberFactory(edition=edition)
    client.force_login(member.user)
    response = client.post(_url("declaration", edition), {"confirm": "on"})
    assert response.status_code == 302
    assert member.declaration.text_version == services.DECLARATION_VERSION


def test_mfa_required_redirects_to_two_factor_setup(client, edition, juror, settings):
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(juror.user)
    response = client.get(_url("dashboard", edition))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_mfa_required_for_organiser_pages_too(client, edition, organiser, settings):
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(organiser)
    assert client.get(_url("board", edition)).url == reverse("mfa_index")


def test_entry_page_shows_jury_content(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.get(_url("entry", edition, entry.code))
    assert response.status_code == 200
    assert response.context["entry"].code == entry.code
    assert "application" not in response.context


def test_save_scorecard_draft_then_submit(client, edition, juror, entry):
    client.force_login(juror.user)
    response = _post_card(client, edition, entry, points=("", ""), justification="", save="1")
    assert response.status_code == 302
    assert Scorecard.objects.get().status == "draft"
    response = _post_card(client, edition, entry, submit="1")
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert (card.status, card.revision) == ("submitted", 1)
    assert sorted(CriterionScore.objects.values_list("points", flat=True)) == [4, 7]


def test_submitted_scorecard_can_be_revised(client, edition, juror, entry):
    client.force_login(juror.user)
    _post_card(client, edition, entry, submit="1")
    _post_card(client, edition, entry, points=("9", "5"), submit="1")
    card = Scorecard.objects.get()
    assert card.revision == 2
    assert card.revisions.count() == 2


# Bad input ---------------------------------------------------------------------------------------------------------


def test_points_out_of_range_are_refused(client, edition, juror, entry):
    client.force_login(juror.user)
    response = _post_card(client, edition, entry, points=("11", "4"), submit="1")
    assert response.status_code == 400
    assert not Scorecard.objects.exists()


def test_negative_points_are_refused(client, edition, juror, entry):
    client.force_login(juror.user)
    response = _post_card(client, edition, entry, points=("-1", "4"), save="1")
    assert response.status_code == 400
    assert not Scorecard.objects.exists()


def test_non_numeric_points_are_refused(client, edition, juror, entry):
    client.force_login(juror.user)
    response = _post_card(client, edition, entry, points=("seven", "4"), submit="1")
    assert response.status_code == 400
    criterion = edition.criteria.first()
    errors = response.context["form"].errors
    assert errors[f"points_{criterion.pk}"] == [f"{criterion.name} – points: give a whole number."]


def test_missing_justification_is_refused_with_linked_error_summary(client, edition, juror, entry):
    client.force_login(juror.user)
    response = _post_card(client, edition, entry, justification="", submit="1")
    assert response.status_code == 400
    criterion = edition.criteria.get(requires_justification=True)
    assert f'href="#id_justification_{criterion.pk}"' in response.text
    assert not Scorecard.objects.filter(status="submitted").exists()


def test_points_for_a_forged_criterion_are_ignored(client, edition, juror, entry):
    foreign = f.CriterionFactory(edition=f.EditionFactory(phase="scoring"))
    client.force_login(juror.user)
    _post_card(client, edition, entry, save="1", **{f"points_{foreign.pk}": "3"})
    assert not CriterionScore.objects.filter(criterion=foreign).exists()


def test_scorecard_for_unassigned_entry_is_404(client, edition, juror):
    other = f.jury_entry(edition, 2)
    client.force_login(juror.user)
    assert _post_card(client, edition, other, submit="1").status_code == 404
    assert client.get(_url("entry", edition, other.code)).status_code == 404


def test_forged_entry_code_is_404(client, edition, juror, entry):
    client.force_login(juror.user)
    assert client.get(_url("entry", edition, "SLZ-9999-999")).status_code == 404


def test_entry_of_another_edition_is_404(client, edition, juror, entry):
    other_edition = f.EditionFactory(phase="scoring")
    client.force_login(juror.user)
    assert client.get(_url("entry", other_edition, entry.code)).status_code == 404
    assert client.get(_url("dashboard", other_edition)).status_code == 404


def test_juror_of_another_edition_gets_404(client, edition, entry):
    stranger = f.declared_juror(f.EditionFactory(phase="scoring"))
    client.force_login(stranger.user)
    assert client.get(_url("entry", edition, entry.code)).status_code == 404
    assert client.get(_url("dashboard", edition)).status_code == 404


def test_entry_not_formally_accepted_is_404(client, edition, juror):
    draft = f.jury_entry(edition, 2, status="submitted")
    Assignment.objects.create(member=juror, application=draft)
    client.force_login(juror.user)
    assert client.get(_url("entry", edition, draft.code)).status_code == 404


def test_scoring_outside_the_window_is_refused(client, edition, juror, entry):
    client.force_login(juror.user)
    edition.scoring_ends_at = timezone.now() - datetime.timedelta(seconds=1)
    edition.save()
    response = _post_card(client, edition, entry, submit="1")
    assert response.status_code == 302
    assert not Scorecard.objects.exists()


def test_juror_trying_organiser_urls_is_refused(client, edition, juror, entry):
    client.force_login(juror.user)
    for name, args in [
        ("board", ()),
        ("members", ()),
        ("assignment", ()),
        ("conflicts", ()),
        ("anonymised", (entry.code,)),
    ]:
        assert client.get(_url(name, edition, *args)).status_code == 403, name
    assert client.post(_url("send_reminders", edition)).status_code == 403
    assert client.post(_url("assignment_change", edition), {"member": juror.pk, "entry": entry.pk}).status_code == 403


def test_applicant_trying_juror_urls_gets_404(client, edition, entry):
    client.force_login(entry.owner)
    assert client.get(_url("dashboard", edition)).status_code == 404
    assert client.get(_url("entry", edition, entry.code)).status_code == 404
    assert client.get(_url("scorecard", edition, entry.code)).status_code == 404
    assert client.get(reverse("jury:affiliations")).status_code == 404


def test_anonymous_is_sent_to_login(client, edition, entry):
    response = client.get(_url("entry", edition, entry.code))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Invitations -------------------------------------------------------------------------------------------------------


def _invite(edition, organiser, email="new@example.com"):
    [(invitation, token)] = services.invite(edition, [email], by=organiser)
    return invitation, token


def test_invitation_registers_a_new_person(client, edition, organiser):
    _invitation, token = _invite(edition, organiser)
    url = reverse("jury:invitation", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"full_name": "Nowa", "password1": "bardzo-dlugie-haslo-7", "password2": "bardzo-dlugie-haslo-7"}
    )
    assert response.status_code == 302
    assert JuryMember.objects.filter(user__email="new@example.com", edition=edition).exists()
    # Logged in and sent to the declaration before anything else.
    assert client.get(response.url).url == _url("declaration", edition)


def test_invitation_reused_is_refused(client, edition, organiser):
    _invitation, token = _invite(edition, organiser)
    url = reverse("jury:invitation", args=[token])
    client.post(url, {"password1": "bardzo-dlugie-haslo-7", "password2": "bardzo-dlugie-haslo-7"})
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "already been used" in response.text


def test_invitation_expired_is_refused(client, edition, organiser):
    invitation, token = _invite(edition, organiser)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("jury:invitation", args=[token]))
    assert response.status_code == 404
    assert "expired" in response.text


def test_invitation_altered_is_refused(client, edition, organiser):
    _invitation, token = _invite(edition, organiser)
    response = client.get(reverse("jury:invitation", args=[token[::-1]]))
    assert response.status_code == 404
    assert "not valid" in response.text


def test_invitation_for_existing_user_asks_to_log_in_then_accepts(client, edition, organiser):
    user = f.UserFactory(email="known@example.com")
    _invitation, token = _invite(edition, organiser, "known@example.com")
    url = reverse("jury:invitation", args=[token])
    assert "Log in" in client.get(url).text
    client.force_login(user)
    assert client.post(url).status_code == 302
    assert JuryMember.objects.filter(user=user, edition=edition).exists()


def test_invitation_with_the_wrong_account_is_refused(client, edition, organiser):
    _invitation, token = _invite(edition, organiser, "known@example.com")
    client.force_login(f.UserFactory(email="other@example.com"))
    assert client.post(reverse("jury:invitation", args=[token])).status_code == 403
    assert not JuryMember.objects.exists()


# Affiliations and conflicts ----------------------------------------------------------------------------------------


@pytest.fixture
def new_juror(edition):
    """A juror who has not signed the declaration yet: their affiliations are still theirs to change."""
    return f.JuryMemberFactory(edition=edition, user=f.UserFactory(email="new.juror@example.com"))


def test_affiliation_form_records_and_detects(client, edition, new_juror):
    entry = f.jury_entry(edition, 2)
    f.PartnerFactory(application=entry, territorial_unit=f.unit("0808063"))
    Assignment.objects.create(member=new_juror, application=entry)
    client.force_login(new_juror.user)
    response = client.post(reverse("jury:affiliations"), {"unit_code": "0808063", "scope": "unit", "role": "employee"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(member=new_juror, application=entry, source="auto").exists()
    services.declare_impartiality(new_juror, by=new_juror.user)
    assert client.get(_url("entry", edition, entry.code)).status_code == 404


def test_affiliation_form_refuses_invalid_nip(client, edition, new_juror):
    client.force_login(new_juror.user)
    response = client.post(reverse("jury:affiliations"), {"nip": "1234567890", "scope": "unit", "role": "employee"})
    assert response.status_code == 400
    assert 'href="#id_nip"' in response.text


def test_juror_declares_conflict_and_loses_the_entry(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.post(_url("declare_conflict", edition, entry.code), {"reason": "My cousin runs it."})
    assert response.status_code == 302
    assert client.get(_url("entry", edition, entry.code)).status_code == 404


# Organiser pages ---------------------------------------------------------------------------------------------------


def test_organiser_invites_from_the_members_page(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("members", edition), {"emails": "a@example.com, b@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert "/jury/invitation/" in mailoutbox[0].body


def test_organiser_invite_refuses_bad_address(client, edition, organiser):
    client.force_login(organiser)
    response = client.post(_url("members", edition), {"emails": "a@example.com, not-an-address"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_organiser_revokes_and_resends(client, edition, organiser):
    invitation, token = _invite(edition, organiser)
    client.force_login(organiser)
    client.post(_url("invitation_action", edition, invitation.pk, "revoke"))
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    client.post(_url("invitation_action", edition, invitation.pk, "resend"))
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_organiser_runs_automatic_assignment(client, edition, organiser):
    for _ in range(3):
        f.declared_juror(edition)
    for number in range(1, 5):
        f.jury_entry(edition, number)
    client.force_login(organiser)
    response = client.post(_url("assignment", edition), {"mode": "k", "k": "2"})
    assert response.status_code == 302
    assert Assignment.objects.count() == 8
    edition.refresh_from_db()
    assert edition.jurors_per_entry == 2
    event = AuditEvent.objects.get(action="jury.assigned_automatically")
    assert (event.data["k"], event.data["previous_k"], event.actor_id) == (2, None, organiser.pk)


def test_an_assignment_that_cannot_be_made_leaves_the_editions_jurors_per_entry_as_it_was(client, edition, organiser):
    f.declared_juror(edition)
    f.jury_entry(edition, 1)
    client.force_login(organiser)

    response = client.post(_url("assignment", edition), {"mode": "k", "k": "3"})  # one juror cannot make three

    edition.refresh_from_db()
    assert (response.status_code, edition.jurors_per_entry, Assignment.objects.count()) == (400, None, 0)


def test_organiser_sees_infeasible_assignment_report(client, edition, organiser):
    f.declared_juror(edition)
    f.jury_entry(edition, 1)
    client.force_login(organiser)
    response = client.post(_url("assignment", edition), {"mode": "k", "k": "3"})
    assert response.status_code == 400
    assert not response.context["report"].ok
    assert "cannot meet every constraint" in response.text
    assert "1 entry has fewer than 3 jurors without a conflict of interest: SLZ-" in response.text


def test_organiser_assigns_by_hand_and_forged_entry_is_404(client, edition, organiser, juror):
    entry = f.jury_entry(edition, 1)
    foreign = f.jury_entry(f.EditionFactory(phase="scoring"), 1)
    client.force_login(organiser)
    client.post(_url("assignment_change", edition), {"member": juror.pk, "entry": entry.pk, "action": "assign"})
    assert Assignment.objects.filter(member=juror, application=entry).exists()
    response = client.post(_url("assignment_change", edition), {"member": juror.pk, "entry": foreign.pk})
    assert response.status_code == 404


def test_organiser_lifts_conflict_with_reason_only(client, edition, organiser, juror, entry):
    conflict = services.add_conflict(juror, entry, "Ties", by=organiser)
    client.force_login(organiser)
    client.post(_url("conflict_lift", edition, conflict.pk), {"reason": ""})
    conflict.refresh_from_db()
    assert conflict.is_active
    client.post(_url("conflict_lift", edition, conflict.pk), {"reason": "Ties ended long ago."})
    conflict.refresh_from_db()
    assert not conflict.is_active


def test_organiser_edits_anonymised_version_jurors_then_see(client, edition, organiser, juror, entry):
    client.force_login(organiser)
    url = _url("anonymised", edition, entry.code)
    assert client.get(url).status_code == 200
    fields = dict.fromkeys(JURY_VISIBLE_FIELDS, "")
    fields.update(title="Wspólny transport", summary="Tekst po ręcznej anonimizacji.")
    assert client.post(url, fields).status_code == 302
    # The edit voids the earlier check: the organiser confirms the new version before jurors see it.
    client.post(url, {"check": "1", "content_hash": client.get(url).context["check_form"].initial["content_hash"]})
    client.force_login(juror.user)
    response = client.get(_url("entry", edition, entry.code))
    assert "Tekst po ręcznej anonimizacji." in response.text


def test_progress_board_shows_states(client, edition, organiser, juror, entry):
    other = f.jury_entry(edition, 2)
    services.add_conflict(juror, other, "Ties", by=organiser)
    services.save_scorecard_draft(juror, entry, {}, by=juror.user)
    client.force_login(organiser)
    response = client.get(_url("board", edition))
    states = {e.code: cells for e, cells, _counts in response.context["table"]}
    assert states[entry.code] == [("draft", "draft")]
    assert states[other.code] == [("conflict", "conflict")]


def test_reminder_button_sends_once_per_interval(
    client, edition, organiser, juror, entry, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("send_reminders", edition))
        client.post(_url("send_reminders", edition))
    assert len(mailoutbox) == 1


# Query counts ------------------------------------------------------------------------------------------------------


def _populate(edition, n_entries, n_jurors, juror):
    members = [juror] + [f.declared_juror(edition) for _ in range(n_jurors - 1)]
    start = edition.applications.count() + 1
    for number in range(start, start + n_entries):
        application = f.jury_entry(edition, number)
        for index, member in enumerate(members):
            Assignment.objects.create(member=member, application=application)
            if index % 3 == 1:
                Scorecard.objects.create(member=member, application=application, status="submitted")
            elif index % 3 == 2:
                ConflictOfInterest.objects.create(member=member, application=application, source="organiser")


def _count(django_assert_max_num_queries, client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["dashboard", "board"])
def test_query_count_does_not_grow_with_entries_or_jurors(
    client, edition, juror, entry, organiser, page, django_assert_max_num_queries
):
    user = juror.user if page == "dashboard" else organiser
    client.force_login(user)
    url = _url(page, edition)
    _populate(edition, 2, 2, juror)
    small = _count(django_assert_max_num_queries, client, url)
    _populate(edition, 20, 6, juror)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200


def test_affiliations_need_mfa_when_required(client, juror, settings):
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(juror.user)
    assert client.get(reverse("jury:affiliations")).url == reverse("mfa_index")


def test_juror_with_totp_passes_the_mfa_rule(client, edition, juror, entry, settings):
    from tests.mfa import login_with_mfa

    settings.REQUIRE_MFA_FOR_STAFF = True
    login_with_mfa(client, juror.user)
    assert client.get(_url("entry", edition, entry.code)).status_code == 200


def test_juror_removes_own_affiliation_only(client, new_juror):
    mine = f.AffiliationFactory(user=new_juror.user, organisation_name="Fundacja A")
    theirs = f.AffiliationFactory(organisation_name="Fundacja B")
    client.force_login(new_juror.user)
    assert client.post(reverse("jury:affiliation_delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("jury:affiliation_delete", args=[mine.pk])).status_code == 302
    assert list(new_juror.user.jury_affiliations.all()) == []


def test_anonymous_cannot_tell_which_entry_codes_exist(client, edition, entry):
    real = client.get(_url("entry", edition, entry.code))
    made_up = client.get(_url("entry", edition, "SLZ-9999-999"))
    assert (real.status_code, made_up.status_code) == (302, 302)


def test_declaring_a_conflict_on_an_unassigned_entry_is_404(client, edition, juror, entry):
    other = f.jury_entry(edition, 2)
    client.force_login(juror.user)
    response = client.post(_url("declare_conflict", edition, other.code), {"reason": "Forged"})
    assert response.status_code == 404
    assert not ConflictOfInterest.objects.exists()
