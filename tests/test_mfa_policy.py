"""The staff session policy: MFA used by this session, the admin's login is allauth's, 12-hour staff sessions,
recent reauthentication before changes that are hard to undo."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import access
from jury import services
from jury.models import Assignment, ConflictOfInterest, Invitation
from tests import factories as f
from tests.mfa import PASSWORD, activate_totp, login_with_mfa, login_with_password, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.REQUIRE_MFA_FOR_STAFF = True


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition)
    return edition


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


@pytest.fixture
def superuser():
    return f.UserFactory(email="root@example.com", is_organiser=True, is_staff=True, is_superuser=True)


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def entry(edition, juror):
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    return entry


def _jury(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _path(response):
    return response["Location"].split("?")[0]


def _age_session(client, seconds):
    """Move this session's login and every recorded authentication `seconds` into the past."""
    session = client.session
    session[access.LOGIN_AT_SESSION_KEY] -= seconds
    records = session.get("account_authentication_methods", [])
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


# --- the admin's login is allauth's -------------------------------------------------------------------------------


def test_admin_login_page_sends_to_allauths_login(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert (response.status_code, _path(response)) == (302, reverse("account_login"))


def test_admin_login_form_post_logs_nobody_in(client, superuser):
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})

    assert client.get("/konto/").wsgi_request.user.is_authenticated is False


def test_admin_login_after_thirty_wrong_passwords_refuses_the_right_one(english, superuser, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    login_page = english.get("/admin/login/?next=/admin/", follow=True).redirect_chain[-1][0]
    for _ in range(30):
        english.post(login_page, {"login": superuser.email, "password": "wrong-password"})

    response = english.post(login_page, {"login": superuser.email, "password": PASSWORD})

    assert (response.status_code, english.get("/konto/").wsgi_request.user.is_authenticated) == (429, False)


def test_admin_login_of_a_logged_in_non_staff_user_is_refused(client, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    client.force_login(f.UserFactory())

    assert client.get("/admin/login/").status_code == 403


# --- MFA per session ------------------------------------------------------------------------------------------


def test_staff_session_without_mfa_cannot_open_admin(client, superuser):
    activate_totp(superuser)
    client.force_login(superuser)  # a session that never passed the second factor

    response = client.get("/admin/accounts/user/")

    assert (response.status_code, _path(response)) == (302, reverse("mfa_reauthenticate"))


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client, superuser):
    login_with_password(client, superuser)

    response = client.get("/admin/")

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_index"))


def test_staff_session_with_mfa_opens_admin(client, superuser):
    login_with_mfa(client, superuser)

    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize(
    "page",
    ["board", "organiser_list", "export_csv", "export_xlsx", "zip", "review", "detail", "admin_users"],
)
def test_organiser_with_totp_but_a_password_only_session_is_asked_for_the_code(client, organiser, edition, page):
    application = f.jury_entry(edition, 1)
    urls = {
        "board": _jury("board", edition),
        "organiser_list": reverse("applications:organiser_list", args=[edition.year]),
        "export_csv": reverse("applications:organiser_export", args=[edition.year, "csv"]),
        "export_xlsx": reverse("applications:organiser_export", args=[edition.year, "xlsx"]),
        "zip": reverse("applications:attachments_zip", args=[application.pk]),
        "review": reverse("applications:review", args=[application.pk]),
        "detail": reverse("applications:detail", args=[application.pk]),
        "admin_users": "/admin/accounts/user/",
    }
    activate_totp(organiser)
    client.force_login(organiser)

    response = client.get(urls[page])

    assert (response.status_code, _path(response)) == (302, reverse("mfa_reauthenticate"))
    assert application.title not in response.content.decode()


def test_the_code_page_the_session_is_sent_to_opens(client, organiser, edition):
    activate_totp(organiser)
    client.force_login(organiser)

    response = client.get(client.get(_jury("board", edition))["Location"])

    assert (response.status_code, response.context["form"].__class__.__name__) == (200, "ReauthenticateForm")


def test_the_code_lets_the_session_in_and_returns_to_the_page(client, organiser, edition):
    secret = activate_totp(organiser)
    client.force_login(organiser)
    board = _jury("board", edition)
    asked = client.get(board)

    response = client.post(asked["Location"], {"code": totp_code(secret)})

    assert (response.status_code, response["Location"], client.get(board).status_code) == (302, board, 200)


def test_owner_who_is_no_staff_needs_no_mfa_for_their_application(client, edition):
    application = f.jury_entry(edition, 1)
    login_with_password(client, application.owner)

    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200


def test_activating_totp_counts_as_this_sessions_second_factor(client, juror, entry, edition, monkeypatch):
    # Outside a test's transaction the activation commits inside the request, and allauth's on-commit signal with it.
    monkeypatch.setattr("allauth.mfa.totp.internal.flows.transaction.on_commit", lambda callback, *a, **k: callback())
    login_with_password(client, juror.user)
    assert client.get(_jury("dashboard", edition))["Location"] == reverse("mfa_index")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert client.get(_jury("dashboard", edition)).status_code == 200


def test_mfa_not_required_lets_a_password_session_in(client, organiser, edition, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    login_with_password(client, organiser)

    assert client.get(_jury("board", edition)).status_code == 200


# --- twelve-hour staff sessions ---------------------------------------------------------------------------------


def test_staff_session_cookie_ends_twelve_hours_after_login(client, organiser):
    login_with_mfa(client, organiser)

    assert 11.9 * 3600 < client.session.get_expiry_age() <= 12 * 3600


def test_applicant_session_keeps_the_ordinary_length(client, settings):
    login_with_password(client, f.UserFactory())

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_staff_session_older_than_twelve_hours_must_log_in_again(client, organiser, edition):
    login_with_mfa(client, organiser)
    _age_session(client, 12 * 3600 + 1)

    response = client.get(_jury("board", edition))

    assert (response.status_code, _path(response)) == (302, reverse("account_login"))
    assert client.get("/konto/").wsgi_request.user.is_authenticated is False


def test_juror_session_gets_the_twelve_hour_limit_at_login(client, juror):
    login_with_mfa(client, juror.user)

    assert client.session.get_expiry_age() <= 12 * 3600


# --- recent reauthentication before changes that are hard to undo ------------------------------------------------


@pytest.fixture
def staff_client(client, organiser):
    client.secret = login_with_mfa(client, organiser)
    return client


def test_lifting_a_conflict_right_after_login_needs_no_second_login(staff_client, organiser, juror, entry, edition):
    conflict = services.add_conflict(juror, entry, "Ties", by=organiser)

    staff_client.post(_jury("conflict_lift", edition, conflict.pk), {"reason": "Ties ended long ago."})

    conflict.refresh_from_db()
    assert conflict.is_active is False


def test_lifting_a_conflict_later_asks_for_the_code_first(staff_client, organiser, juror, entry, edition):
    conflict = services.add_conflict(juror, entry, "Ties", by=organiser)
    _age_session(staff_client, 600)

    response = staff_client.post(_jury("conflict_lift", edition, conflict.pk), {"reason": "Ties ended long ago."})

    conflict.refresh_from_db()
    assert (response.status_code, _path(response), conflict.is_active) == (302, reverse("mfa_reauthenticate"), True)


def test_the_code_replays_the_held_back_conflict_lift(staff_client, organiser, juror, entry, edition):
    conflict = services.add_conflict(juror, entry, "Ties", by=organiser)
    _age_session(staff_client, 600)
    asked = staff_client.post(_jury("conflict_lift", edition, conflict.pk), {"reason": "Ties ended long ago."})

    cache.clear()  # as if the next 30-second window had come: allauth refuses a code used twice in one window
    staff_client.post(asked["Location"], {"code": totp_code(staff_client.secret)})

    conflict.refresh_from_db()
    assert (conflict.is_active, conflict.lift_reason) == (False, "Ties ended long ago.")


def test_changing_a_jurors_role_later_asks_for_the_code(staff_client, juror, edition):
    _age_session(staff_client, 600)

    response = staff_client.post(
        _jury("member_update", edition, juror.pk), {"is_chair": "on", "is_active": "on", "max_entries": ""}
    )

    juror.refresh_from_db()
    assert (_path(response), juror.is_chair) == (reverse("mfa_reauthenticate"), False)


def test_revoking_an_invitation_later_asks_for_the_code(staff_client, organiser, edition):
    [(invitation, _token)] = services.invite(edition, ["new@example.com"], by=organiser)
    _age_session(staff_client, 600)

    response = staff_client.post(_jury("invitation_action", edition, invitation.pk, "revoke"))

    assert (_path(response), Invitation.objects.get().state) == (reverse("mfa_reauthenticate"), "pending")


def test_resending_an_invitation_later_needs_no_code(staff_client, organiser, edition):
    [(invitation, _token)] = services.invite(edition, ["new@example.com"], by=organiser)
    _age_session(staff_client, 600)

    response = staff_client.post(_jury("invitation_action", edition, invitation.pk, "resend"))

    assert _path(response) == _jury("members", edition)


def test_removing_an_assignment_later_asks_for_the_code(staff_client, juror, entry, edition):
    _age_session(staff_client, 600)

    response = staff_client.post(
        _jury("assignment_change", edition), {"member": juror.pk, "entry": entry.pk, "action": "unassign"}
    )

    assert (_path(response), Assignment.objects.count()) == (reverse("mfa_reauthenticate"), 1)


def test_adding_an_assignment_later_needs_no_code(staff_client, juror, edition):
    other = f.jury_entry(edition, 2)
    _age_session(staff_client, 600)

    staff_client.post(_jury("assignment_change", edition), {"member": juror.pk, "entry": other.pk, "action": "assign"})

    assert Assignment.objects.filter(application=other).exists()


def test_discarding_an_edited_anonymised_version_later_asks_for_the_code(staff_client, organiser, entry, edition):
    from jury.models import AnonymisedContent

    services.save_anonymised(entry, {"summary": "Wersja organizatora."}, by=organiser)
    _age_session(staff_client, 600)

    response = staff_client.post(_jury("anonymised", edition, entry.code), {"reset": "1"})

    assert (_path(response), AnonymisedContent.objects.count()) == (reverse("mfa_reauthenticate"), 1)


def test_reauthentication_without_a_second_factor_asks_for_the_password(client, organiser, juror, entry, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    conflict = services.add_conflict(juror, entry, "Ties", by=organiser)
    login_with_password(client, organiser)
    _age_session(client, 600)

    response = client.post(_jury("conflict_lift", entry.edition, conflict.pk), {"reason": "Ended."})

    assert (_path(response), ConflictOfInterest.objects.get().is_active) == (reverse("account_reauthenticate"), True)


# --- the rules' answers -------------------------------------------------------------------------------------------


def test_verdict_reads_as_allowed_and_reason(edition):
    from jury import permissions

    allowed, reason = permissions.check(f.UserFactory(), "organise", edition)

    assert (allowed, str(reason)) == (False, "Only organisers can do this.")


def test_score_rule_refuses_outside_the_window(juror, entry, edition):
    from jury import permissions

    edition.scoring_ends_at = edition.scoring_starts_at
    edition.save()

    verdict = permissions.check(juror.user, "score", edition, entry)

    assert (verdict.allowed, verdict.code, verdict.then) == (False, "redirect", _jury("scorecard", edition, entry.code))
