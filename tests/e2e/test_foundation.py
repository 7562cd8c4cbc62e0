"""The foundation in a real browser: Polish home page, switch to English, register, confirm by e-mail, log in."""
import datetime
import re
import time
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "koordynator@gmina-e2e.example"
PASSWORD = "Bobrowa-Dolina-2026"


def link_path(message, prefix):
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def confirmation_path(message):
    return link_path(message, "/accounts/confirm-email/")


def log_in(page, email, password):
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def visit(page, check_accessibility, path):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_accessibility(page)
    return response


def test_home_page_is_polish_by_default(page, check_accessibility):
    factories.EditionFactory(phase="submissions", theme="Partnerstwa dla klimatu")

    visit(page, check_accessibility, "/")

    assert (
        page.locator("html").get_attribute("lang"),
        page.locator("h1").inner_text(),
        page.get_by_role("button", name="English").is_visible(),
    ) == ("pl", "Samorządowy Lider Zarządzania – Razem dla Rozwoju", True)


def test_home_page_dates_are_polish_in_warsaw_time(page, check_accessibility):
    warsaw = ZoneInfo("Europe/Warsaw")
    factories.EditionFactory(
        year=2026,
        is_draft=False,
        call_published_at=datetime.datetime(2026, 1, 15, 12, tzinfo=warsaw),
        submissions_open_at=datetime.datetime(2026, 2, 1, 9, tzinfo=warsaw),
        submission_deadline=datetime.datetime(2026, 4, 30, 23, 59, 59, tzinfo=warsaw),
        formal_review_ends_at=datetime.datetime(2026, 5, 31, 23, 59, 59, tzinfo=warsaw),
        scoring_starts_at=datetime.datetime(2026, 6, 1, 9, tzinfo=warsaw),
        scoring_ends_at=datetime.datetime(2026, 6, 30, 23, 59, 59, tzinfo=warsaw),
        results_at=datetime.datetime(2026, 9, 15, 12, tzinfo=warsaw),
        archived_at=None,
    )

    visit(page, check_accessibility, "/")

    deadline = page.locator('time[datetime="2026-04-30T23:59:59+02:00"]')
    assert deadline.inner_text() == "30 kwietnia 2026, 23:59"


def test_edition_page_passes_accessibility_check(page, check_accessibility):
    edition = factories.EditionFactory(phase="scoring", theme="Partnerstwa dla klimatu")
    factories.CategoryFactory(edition=edition)
    factories.CriterionFactory(edition=edition)
    factories.AttachmentRequirementFactory(edition=edition)

    visit(page, check_accessibility, f"/edycje/{edition.year}/")

    assert page.locator("h1").inner_text().endswith(f"({edition.year})")


def test_register_confirm_and_log_in_in_english(page, check_accessibility):
    factories.EditionFactory(phase="submissions", theme="Partnerstwa dla klimatu")
    visit(page, check_accessibility, "/")

    # Switch the interface to English with the button in the header.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert (page.locator("html").get_attribute("lang"), page.get_by_role("button", name="Polski").is_visible()) == (
        "en",
        True,
    )
    check_accessibility(page)

    # Register.
    page.get_by_role("link", name="Register").click()
    page.wait_for_url("**/accounts/signup/")
    check_accessibility(page)
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    check_accessibility(page)
    assert [message.to for message in mail.outbox] == [[EMAIL]]

    # Logging in before confirming leads back to the "verify your e-mail" page.
    visit(page, check_accessibility, "/accounts/login/")
    log_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("button", name="Log out").count() == 0

    # Follow the link from the e-mail and confirm.
    visit(page, check_accessibility, confirmation_path(mail.outbox[0]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    check_accessibility(page)

    # Log in.
    log_in(page, EMAIL, PASSWORD)
    page.wait_for_url(lambda url: url.endswith("/"))
    check_accessibility(page)

    assert (
        page.get_by_role("link", name=EMAIL).is_visible(),
        page.get_by_role("button", name="Log out").is_visible(),
        page.locator("html").get_attribute("lang"),
    ) == (True, True, "en")
    assert (page.problems.failed_responses, page.problems.console_errors) == ([], [])


def test_language_choice_survives_new_page(page, check_accessibility):
    visit(page, check_accessibility, "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    visit(page, check_accessibility, "/edycje/")

    assert (page.locator("html").get_attribute("lang"), page.locator("h1").inner_text()) == ("en", "Editions")


def test_pages_load_styles_and_scripts_without_errors(page, check_accessibility):
    visit(page, check_accessibility, "/accounts/login/")

    navbar_colour = page.locator("nav.navbar").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (navbar_colour, page.problems.failed_responses, page.problems.console_errors) == (
        "rgb(11, 61, 110)",
        [],
        [],
    )


def test_password_reset_by_email_link(page, check_accessibility):
    factories.UserFactory(email="applicant@example.com")
    new_password = "Zupelnie-Nowe-Haslo-2026"

    visit(page, check_accessibility, "/accounts/password/reset/")
    page.locator("#id_email").fill("applicant@example.com")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    check_accessibility(page)

    visit(page, check_accessibility, link_path(mail.outbox[0], "/accounts/password/reset/key/"))
    page.locator("#id_password1").fill(new_password)
    page.locator("#id_password2").fill(new_password)
    page.get_by_role("button", name="Zmień hasło").click()
    page.wait_for_url("**/accounts/password/reset/key/done/")
    check_accessibility(page)

    visit(page, check_accessibility, "/accounts/login/")
    log_in(page, "applicant@example.com", new_password)
    page.wait_for_url(lambda url: url.endswith("/"))

    assert page.get_by_role("link", name="applicant@example.com").is_visible()


def test_login_with_authenticator_code(page, check_accessibility):
    user = factories.UserFactory(email="juror@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    visit(page, check_accessibility, "/accounts/login/")
    log_in(page, "juror@example.com", "correct-horse-battery")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_accessibility(page)
    page.locator("#id_code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: url.endswith("/"))

    assert page.get_by_role("link", name="juror@example.com").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/konto/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/edycje/",
    ],
)
def test_account_pages_pass_accessibility_check(page, check_accessibility, path):
    factories.UserFactory(email="applicant@example.com")
    visit(page, check_accessibility, "/accounts/login/")
    log_in(page, "applicant@example.com", "correct-horse-battery")
    page.wait_for_url(lambda url: url.endswith("/"))

    visit(page, check_accessibility, path)

    assert (page.problems.failed_responses, page.problems.console_errors) == ([], [])


def test_register_of_units_survives_earlier_browser_tests(page):
    """Browser tests flush the database; the rows loaded by migrations must come back for the next one."""
    from contest.models import TerritorialUnit

    assert (TerritorialUnit.objects.count(), TerritorialUnit.objects.filter(code="0201011").exists()) == (4332, True)
