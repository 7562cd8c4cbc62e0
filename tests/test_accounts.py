"""Accounts (allauth at /accounts/): sign-up with e-mail confirmation, password reset, TOTP, login rate limit."""
import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import mail

from tests import factories

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Zupelnie-Nowe-Haslo-2026"
SIGNUP_PASSWORD = "Bobrowa-Dolina-2026"

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def link_in(message, path):
    """The first absolute link in an e-mail whose path starts with `path`, returned as a path."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def totp_now(secret, offset=0):
    """RFC 6238 code (SHA-1, 30 s, 6 digits), computed independently of allauth."""
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def logged_in_user(client):
    return client.get("/konto/").wsgi_request.user


def sign_up(client, email="koordynator@gmina.example"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": SIGNUP_PASSWORD, "password2": SIGNUP_PASSWORD}
    )


def log_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


# --- sign-up and e-mail confirmation --------------------------------------------------------------------------


def test_signup_redirects_to_verification_sent(client):
    response = sign_up(client)

    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")


def test_signup_sends_one_confirmation_email(client):
    sign_up(client)

    assert ([message.to for message in mail.outbox], "/accounts/confirm-email/" in mail.outbox[0].body) == (
        [["koordynator@gmina.example"]],
        True,
    )


def test_signup_email_subject_has_prefix(client):
    sign_up(client)

    assert mail.outbox[0].subject.startswith("[SLZ] ")


def test_signup_stores_lowercased_email(client):
    sign_up(client, email="Koordynator@Gmina.EXAMPLE")

    assert list(get_user_model().objects.values_list("email", flat=True)) == ["koordynator@gmina.example"]


def test_signup_does_not_log_in(client):
    sign_up(client)

    assert logged_in_user(client).is_authenticated is False


def test_signup_existing_email_creates_no_second_account(client):
    factories.UserFactory(email="koordynator@gmina.example")

    sign_up(client)

    assert get_user_model().objects.filter(email="koordynator@gmina.example").count() == 1


def test_login_before_confirming_is_refused(client):
    sign_up(client)
    client.logout()

    response = log_in(client, "koordynator@gmina.example", SIGNUP_PASSWORD)

    assert (response.status_code, response["Location"], logged_in_user(client).is_authenticated) == (
        302,
        "/accounts/confirm-email/",
        False,
    )


def test_confirmation_link_get_does_not_confirm(client):
    sign_up(client)
    confirm_path = link_in(mail.outbox[0], "/accounts/confirm-email/")

    response = client.get(confirm_path)

    assert (response.status_code, EmailAddress.objects.get().verified) == (200, False)


def test_confirmation_post_verifies_email(client):
    sign_up(client)
    confirm_path = link_in(mail.outbox[0], "/accounts/confirm-email/")

    response = client.post(confirm_path)

    assert (response.status_code, response["Location"], EmailAddress.objects.get().verified) == (
        302,
        "/accounts/login/",
        True,
    )


def test_login_after_confirming_works(client):
    sign_up(client)
    client.post(link_in(mail.outbox[0], "/accounts/confirm-email/"))

    response = log_in(client, "koordynator@gmina.example", SIGNUP_PASSWORD)

    user = logged_in_user(client)
    assert (response.status_code, response["Location"], user.email) == (302, "/", "koordynator@gmina.example")


def test_confirmation_with_forged_key_is_refused(client):
    sign_up(client)

    client.post("/accounts/confirm-email/forged-key/")

    assert EmailAddress.objects.get().verified is False


def test_login_with_wrong_password_is_refused(english):
    factories.UserFactory(email="applicant@example.com")

    response = log_in(english, "applicant@example.com", "wrong-password")

    assert (response.status_code, logged_in_user(english).is_authenticated) == (200, False)
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_login_email_is_case_insensitive(client):
    factories.UserFactory(email="applicant@example.com")

    log_in(client, "Applicant@Example.com", PASSWORD)

    assert logged_in_user(client).email == "applicant@example.com"


# --- password reset -------------------------------------------------------------------------------------------


@pytest.fixture
def reset_link(client):
    factories.UserFactory(email="applicant@example.com")
    client.post("/accounts/password/reset/", {"email": "applicant@example.com"})
    return link_in(mail.outbox[0], "/accounts/password/reset/key/")


def _set_new_password(client, reset_link):
    form_page = client.get(reset_link)  # redirects to a key-less URL, the key moves into the session
    return client.post(form_page["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_password_reset_sends_email_with_link(client, reset_link):
    assert ([message.to for message in mail.outbox], reset_link.startswith("/accounts/password/reset/key/")) == (
        [["applicant@example.com"]],
        True,
    )


def test_password_reset_unknown_email_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert (response.status_code, response["Location"]) == (302, "/accounts/password/reset/done/")


def test_password_reset_new_password_logs_in(client, reset_link):
    _set_new_password(client, reset_link)

    log_in(client, "applicant@example.com", NEW_PASSWORD)

    assert logged_in_user(client).email == "applicant@example.com"


def test_password_reset_old_password_no_longer_works(client, reset_link):
    _set_new_password(client, reset_link)

    log_in(client, "applicant@example.com", PASSWORD)

    assert logged_in_user(client).is_authenticated is False


def test_password_reset_link_works_once(client, reset_link):
    _set_new_password(client, reset_link)

    response = client.get(reset_link)

    assert (response.status_code, response.context["token_fail"]) == (200, True)


def test_password_reset_weak_password_is_refused(client, reset_link):
    form_page = client.get(reset_link)

    response = client.post(form_page["Location"], {"password1": "12345", "password2": "12345"})

    user = get_user_model().objects.get(email="applicant@example.com")
    assert (response.status_code, user.check_password(PASSWORD)) == (200, True)


# --- two-factor authentication (TOTP) -------------------------------------------------------------------------


@pytest.fixture
def secret(db):
    user = factories.UserFactory(email="juror@example.com")
    value = generate_totp_secret()
    TOTP.activate(user, value)
    return value


def test_mfa_user_is_asked_for_code_after_password(client, secret):
    response = log_in(client, "juror@example.com", PASSWORD)

    assert (response.status_code, response["Location"], logged_in_user(client).is_authenticated) == (
        302,
        "/accounts/2fa/authenticate/",
        False,
    )


def test_mfa_valid_code_logs_in(client, secret):
    log_in(client, "juror@example.com", PASSWORD)

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})

    assert (response.status_code, response["Location"], logged_in_user(client).email) == (
        302,
        "/",
        "juror@example.com",
    )


def test_mfa_wrong_code_is_refused(english, secret):
    log_in(english, "juror@example.com", PASSWORD)
    wrong = f"{(int(totp_now(secret)) + 500_000) % 1_000_000:06d}"

    response = english.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert (response.status_code, logged_in_user(english).is_authenticated) == (200, False)
    assert "Incorrect code." in response.content.decode()


def test_mfa_code_cannot_be_replayed(client, secret):
    code = totp_now(secret)
    log_in(client, "juror@example.com", PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")

    log_in(client, "juror@example.com", PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})

    assert logged_in_user(client).is_authenticated is False


def test_mfa_code_page_without_password_step_is_refused(client, secret):
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})

    assert (response.status_code, logged_in_user(client).is_authenticated) == (302, False)


# --- too many failed logins -----------------------------------------------------------------------------------


def _fail_logins(client, email, times):
    for _ in range(times):
        log_in(client, email, "wrong-password")


def test_login_after_five_failures_is_refused_with_right_password(english):
    factories.UserFactory(email="applicant@example.com")
    _fail_logins(english, "applicant@example.com", 5)

    response = log_in(english, "applicant@example.com", PASSWORD)

    assert (response.status_code, logged_in_user(english).is_authenticated) == (200, False)
    assert "Too many failed login attempts. Try again later." in response.content.decode()


def test_login_after_four_failures_still_works(client):
    factories.UserFactory(email="applicant@example.com")
    _fail_logins(client, "applicant@example.com", 4)

    log_in(client, "applicant@example.com", PASSWORD)

    assert logged_in_user(client).email == "applicant@example.com"


def test_login_rate_limit_is_per_account(client):
    factories.UserFactory(email="applicant@example.com")
    factories.UserFactory(email="other@example.com")
    _fail_logins(client, "other@example.com", 5)

    log_in(client, "applicant@example.com", PASSWORD)

    assert logged_in_user(client).email == "applicant@example.com"


def test_login_rate_limit_per_ip_blocks_spraying_across_accounts(english):
    factories.UserFactory(email="applicant@example.com")
    for number in range(10):
        log_in(english, f"victim{number}@example.com", "wrong-password")

    response = log_in(english, "applicant@example.com", PASSWORD)

    assert (response.status_code, logged_in_user(english).is_authenticated) == (200, False)
    assert "Too many failed login attempts. Try again later." in response.content.decode()


# --- accounts created by an organiser in the admin ------------------------------------------------------------


@pytest.fixture
def organiser_client(english, organiser):
    english.force_login(organiser)
    return english


def _admin_add_user(client, email):
    return client.post(
        "/admin/accounts/user/add/",
        {"email": email, "password1": SIGNUP_PASSWORD, "password2": SIGNUP_PASSWORD, "usable_password": "true"},
    )


def test_admin_add_user_stores_lowercased_email(organiser_client):
    _admin_add_user(organiser_client, "Nowy.Juror@Example.COM")

    assert get_user_model().objects.filter(email="nowy.juror@example.com").count() == 1


def test_admin_add_user_email_differing_only_in_case_is_refused(organiser_client):
    factories.UserFactory(email="nowy.juror@example.com")

    response = _admin_add_user(organiser_client, "Nowy.Juror@Example.com")

    assert (response.status_code, get_user_model().objects.filter(email__iexact="nowy.juror@example.com").count()) == (
        200,
        1,
    )
    assert "User with this E-mail address already exists." in response.content.decode()


def test_user_email_differing_only_in_case_is_refused_by_database(db):
    from django.db import IntegrityError, transaction

    factories.UserFactory(email="nowy.juror@example.com")

    with pytest.raises(IntegrityError, match="(?i)unique"), transaction.atomic():
        get_user_model().objects.bulk_create([get_user_model()(email="NOWY.JUROR@example.com")])
