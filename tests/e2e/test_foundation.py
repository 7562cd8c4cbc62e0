"""The foundation in a real browser: Polish home page, switch to English, register, confirm by e-mail, log in."""
import re

import pytest
from django.core import mail

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "koordynator@gmina-e2e.example"
PASSWORD = "Bobrowa-Dolina-2026"


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


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
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("button", name="Log out").count() == 0

    # Follow the link from the e-mail and confirm.
    visit(page, check_accessibility, confirmation_path(mail.outbox[0]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    check_accessibility(page)

    # Log in.
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
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
