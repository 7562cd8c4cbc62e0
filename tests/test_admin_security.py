"""The admin as an organiser of the "Organisers" group would use it: no escalation, no silent changes, roles audited."""
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.services import change_roles
from applications.models import Application, Status
from contest.demo import organisers_group
from contest.models import AuditEvent, Edition
from jury.models import Affiliation, Assignment, ConflictOfInterest, ImpartialityDeclaration, Scorecard
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Zupełnie-nowe-hasło-2026"


@pytest.fixture(autouse=True)
def _mfa_off(settings):
    """These tests are about admin permissions; the MFA policy for /admin/ is tested on its own."""
    settings.REQUIRE_MFA_FOR_STAFF = False


@pytest.fixture
def group_organiser():
    user = factories.UserFactory(email="org@example.com", is_organiser=True, is_staff=True)
    user.groups.add(organisers_group())
    return user


@pytest.fixture
def superuser():
    return factories.UserFactory(email="root@example.com", is_organiser=True, is_staff=True, is_superuser=True)


def _client_for(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def organiser_client(client, group_organiser):
    return _client_for(client, group_organiser)


@pytest.fixture
def superuser_client(client, superuser):
    return _client_for(client, superuser)


@pytest.fixture
def juror():
    return factories.UserFactory(email="juror1@example.com", full_name="Jan Juror")


def user_form_data(user, **overrides):
    """The user change form as the browser sends it, with the user's current values."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "groups": [group.pk for group in user.groups.all()],
    }
    for flag in ("is_organiser", "is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def change_user(client, user, **overrides):
    return client.post(f"/admin/accounts/user/{user.pk}/change/", user_form_data(user, **overrides))


def set_password(client, user):
    return client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true", "set-password": "1"},
    )


# --- accounts: roles and passwords ---------------------------------------------------------------------------


def test_user_change_is_superuser_by_organiser_is_refused(organiser_client, group_organiser):
    response = change_user(organiser_client, group_organiser, is_superuser="on")

    group_organiser.refresh_from_db()
    assert (response.status_code, group_organiser.is_superuser) == (403, False)


def test_user_change_is_superuser_by_organiser_writes_no_audit_event(organiser_client, group_organiser):
    change_user(organiser_client, group_organiser, is_superuser="on")

    assert AuditEvent.objects.count() == 0


def test_user_password_form_by_organiser_is_refused(organiser_client, juror):
    response = set_password(organiser_client, juror)

    juror.refresh_from_db()
    assert (response.status_code, juror.check_password(PASSWORD), juror.check_password(NEW_PASSWORD)) == (
        403,
        True,
        False,
    )


def test_user_list_for_organiser_is_refused(organiser_client, juror):
    response = organiser_client.get("/admin/accounts/user/")

    assert response.status_code == 403


def test_user_add_by_organiser_is_refused(organiser_client):
    response = organiser_client.post(
        "/admin/accounts/user/add/",
        {"email": "nowy@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert (response.status_code, User.objects.filter(email="nowy@example.com").exists()) == (403, False)


def test_user_change_is_superuser_by_superuser_is_saved(superuser_client, juror):
    response = change_user(superuser_client, juror, is_superuser="on")

    juror.refresh_from_db()
    assert (response.status_code, juror.is_superuser) == (302, True)


def test_user_role_change_by_superuser_writes_one_audit_event_with_ids_only(superuser_client, superuser, juror):
    change_user(superuser_client, juror, is_organiser="on")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.target_id, event.data) == (
        "user.roles_changed",
        superuser.pk,
        str(juror.pk),
        {"is_organiser": {"from": False, "to": True}},
    )
    stored = json.dumps([event.data, event.reason, event.from_state, event.to_state], ensure_ascii=False)
    assert (juror.email in stored, juror.full_name in stored, superuser.email in stored) == (False, False, False)


def test_user_group_change_by_superuser_records_group_ids(superuser_client, superuser, juror):
    group = organisers_group()

    change_user(superuser_client, juror, groups=[group.pk])

    event = AuditEvent.objects.get()
    assert (list(juror.groups.all()), event.data) == ([group], {"groups": {"added": [group.pk], "removed": []}})


def test_user_deactivation_by_superuser_is_audited(superuser_client, juror):
    change_user(superuser_client, juror, is_active=None)

    juror.refresh_from_db()
    event = AuditEvent.objects.get()
    assert (juror.is_active, event.data) == (False, {"is_active": {"from": True, "to": False}})


def test_user_change_without_role_change_writes_no_audit_event(superuser_client, juror):
    response = change_user(superuser_client, juror, full_name="Jan Juror-Nowak")

    juror.refresh_from_db()
    assert (response.status_code, juror.full_name, AuditEvent.objects.count()) == (302, "Jan Juror-Nowak", 0)


def test_user_password_set_by_superuser_is_audited(superuser_client, superuser, juror):
    response = set_password(superuser_client, juror)

    juror.refresh_from_db()
    event = AuditEvent.objects.get()
    assert (response.status_code, juror.check_password(NEW_PASSWORD)) == (302, True)
    assert (event.action, event.actor_id, event.target_id, event.data) == (
        "user.password_set",
        superuser.pk,
        str(juror.pk),
        {},
    )


def test_user_password_mismatch_by_superuser_writes_no_audit_event(superuser_client, juror):
    response = superuser_client.post(
        f"/admin/accounts/user/{juror.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": "something-else", "usable_password": "true"},
    )

    juror.refresh_from_db()
    assert (response.status_code, juror.check_password(PASSWORD), AuditEvent.objects.count()) == (200, True, 0)


def test_user_delete_by_superuser_is_refused(superuser_client, juror):
    response = superuser_client.post(f"/admin/accounts/user/{juror.pk}/delete/", {"post": "yes"})

    assert (response.status_code, User.objects.filter(pk=juror.pk).exists()) == (403, True)


# --- the role service ----------------------------------------------------------------------------------------


def test_change_roles_unchanged_values_write_no_audit_event(superuser, juror):
    event = change_roles(juror, by=superuser, is_superuser=False, is_active=True, groups=[])

    assert (event, AuditEvent.objects.count()) == (None, 0)


def test_change_roles_unknown_field_is_refused(superuser, juror):
    with pytest.raises(TypeError, match="Not a role field: email"):
        change_roles(juror, by=superuser, email="x@example.com")

    juror.refresh_from_db()
    assert (juror.email, AuditEvent.objects.count()) == ("juror1@example.com", 0)


def test_change_roles_removing_group_records_removed_id(superuser, juror):
    group = Group.objects.create(name="Helpers")
    juror.groups.add(group)

    event = change_roles(juror, by=superuser, groups=[])

    assert (list(juror.groups.all()), event.data) == ([], {"groups": {"added": [], "removed": [group.pk]}})


# --- jury and applications: read-only ------------------------------------------------------------------------


def _submitted_scorecard():
    return factories.ScorecardFactory(status=Scorecard.Status.SUBMITTED, submitted_at=timezone.now(), revision=1)


def _conflict():
    member = factories.JuryMemberFactory()
    application = factories.jury_entry(member.edition)
    return ConflictOfInterest.objects.create(member=member, application=application, source="declared")


READ_ONLY_ROWS = {
    "scorecard": (Scorecard, _submitted_scorecard),
    "assignment": (Assignment, lambda: factories.AssignmentFactory()),
    "affiliation": (Affiliation, lambda: factories.AffiliationFactory(organisation_name="Urząd Gminy Pcim")),
    "conflictofinterest": (ConflictOfInterest, _conflict),
    "impartialitydeclaration": (ImpartialityDeclaration, lambda: factories.ImpartialityDeclarationFactory()),
}


@pytest.mark.parametrize("model_name", sorted(READ_ONLY_ROWS))
@pytest.mark.parametrize("who", ["organiser_client", "superuser_client"])
def test_jury_record_delete_in_admin_is_refused(request, who, model_name):
    client = request.getfixturevalue(who)
    model, make = READ_ONLY_ROWS[model_name]
    row = make()

    response = client.post(f"/admin/jury/{model_name}/{row.pk}/delete/", {"post": "yes"})

    assert (response.status_code, model.objects.filter(pk=row.pk).exists()) == (403, True)


def test_submitted_scorecard_bulk_delete_by_organiser_is_refused(organiser_client):
    card = _submitted_scorecard()

    response = organiser_client.post(
        "/admin/jury/scorecard/", {"action": "delete_selected", "_selected_action": [card.pk], "post": "yes"}
    )

    body = response.content.decode()
    assert (Scorecard.objects.filter(pk=card.pk).exists(), "delete_selected" in body) == (True, False)


def test_submitted_scorecard_for_organiser_is_viewable(organiser_client):
    card = _submitted_scorecard()

    response = organiser_client.get(f"/admin/jury/scorecard/{card.pk}/change/")

    assert (response.status_code, "Save" in response.content.decode()) == (200, False)


def _accepted_application():
    edition = factories.EditionFactory(phase="formal_review")
    return factories.jury_entry(edition, title="Wspólny transport gminny")


def application_form_data(application, **overrides):
    """The application change form with empty inlines: enough for the admin of main to save the change."""
    data = {
        "edition": application.edition_id,
        "category": application.category_id,
        "title": application.title,
        "summary": application.summary,
        "partnership_name": application.partnership_name,
    }
    for inline in ("partners", "indicators", "attachments"):
        data.update({f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0, f"{inline}-MAX_NUM_FORMS": 1000})
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["organiser_client", "superuser_client"])
def test_accepted_application_title_change_in_admin_is_refused(request, who):
    client = request.getfixturevalue(who)
    application = _accepted_application()

    response = client.post(
        f"/admin/applications/application/{application.pk}/change/",
        application_form_data(application, title="Tytuł podmieniony w panelu"),
    )

    application.refresh_from_db()
    assert (response.status_code, application.title, application.status) == (
        403,
        "Wspólny transport gminny",
        Status.ACCEPTED,
    )


def test_accepted_application_delete_by_organiser_is_refused(organiser_client):
    application = _accepted_application()

    response = organiser_client.post(f"/admin/applications/application/{application.pk}/delete/", {"post": "yes"})

    assert (response.status_code, Application.objects.filter(pk=application.pk).exists()) == (403, True)


# --- the audit trail and the edition set-up ------------------------------------------------------------------


def test_audit_event_delete_by_superuser_is_refused(superuser_client, superuser, juror):
    event = change_roles(juror, by=superuser, is_organiser=True)

    response = superuser_client.post(f"/admin/contest/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert (response.status_code, AuditEvent.objects.filter(pk=event.pk).exists()) == (403, True)


def test_audit_event_change_by_organiser_is_refused(organiser_client, superuser, juror):
    event = change_roles(juror, by=superuser, is_organiser=True)

    response = organiser_client.post(f"/admin/contest/auditevent/{event.pk}/change/", {"action": "forged"})

    event.refresh_from_db()
    assert (response.status_code, event.action) == (403, "user.roles_changed")


def test_edition_with_setup_added_by_organiser_is_saved(organiser_client):
    from tests.test_editions import edition_form_data, with_criterion, with_requirement

    data = with_requirement(with_criterion(edition_form_data(), max_points=10, weight="1.5"), allowed_types=["pdf"])

    response = organiser_client.post("/admin/contest/edition/add/", data)

    edition = Edition.objects.get(year=2030)
    assert (response.status_code, edition.criteria.count(), edition.attachment_requirements.count()) == (302, 1, 1)


def test_organisers_group_grants_no_accounts_permission(db):
    permissions = organisers_group().permissions.filter(content_type__app_label="accounts")
    codenames = sorted(permissions.values_list("codename", flat=True))

    assert codenames == []


def test_organisers_group_grants_only_view_on_jury_and_applications(db):
    permissions = organisers_group().permissions.filter(content_type__app_label__in=["jury", "applications"])

    assert sorted({codename.split("_")[0] for codename in permissions.values_list("codename", flat=True)}) == ["view"]


def _registered_models():
    from django.contrib import admin

    return sorted(f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry)


@pytest.mark.parametrize("model", _registered_models())
def test_admin_changelist_for_organiser_opens_only_for_competition_apps(organiser_client, model):
    response = organiser_client.get(f"/admin/{model}/")

    assert response.status_code == (200 if model.split("/")[0] in ("contest", "applications", "jury") else 403)


def test_application_page_for_organiser_shows_read_only_inlines(organiser_client):
    application = _accepted_application()
    factories.PartnerFactory(application=application, name="Stowarzyszenie Doliny Bobru")

    response = organiser_client.get(f"/admin/applications/application/{application.pk}/change/")

    body = response.content.decode()
    assert (response.status_code, "Stowarzyszenie Doliny Bobru" in body, 'name="partners-0-name"' in body) == (
        200,
        True,
        False,
    )


def test_role_change_in_an_old_session_asks_to_authenticate_again_and_changes_nothing(client, superuser):
    from tests.test_mfa_policy import _age_session

    target = factories.UserFactory(email="target@example.com")
    admin_client = _client_for(client, superuser)
    _age_session(admin_client, 3600)

    response = admin_client.post(
        f"/admin/accounts/user/{target.pk}/change/", user_form_data(target, is_organiser="on")
    )

    target.refresh_from_db()
    assert (response.status_code, response["Location"].split("?")[0], target.is_organiser) == (
        302,
        "/accounts/reauthenticate/",
        False,
    )
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_password_set_in_an_old_session_asks_to_authenticate_again(client, superuser):
    from tests.test_mfa_policy import _age_session

    target = factories.UserFactory(email="target@example.com")
    admin_client = _client_for(client, superuser)
    _age_session(admin_client, 3600)

    response = admin_client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "Nowe-Haslo-2026!", "password2": "Nowe-Haslo-2026!", "usable_password": "true"},
    )

    target.refresh_from_db()
    assert (response["Location"].split("?")[0], target.check_password("Nowe-Haslo-2026!")) == (
        "/accounts/reauthenticate/",
        False,
    )
