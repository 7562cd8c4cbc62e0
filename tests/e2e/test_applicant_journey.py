"""The applicant's journey in a real browser: register, draft, partners (TERC autocomplete), upload, submit, receipt."""

import re

import pytest
from django.core import mail

from applications.models import Application, Status
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "wnioskodawca@gmina-e2e.example"
PASSWORD = "Partnerstwo-Bobru-2026"


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def register_and_log_in(page, check_accessibility):
    page.goto("/")
    english = page.get_by_role("button", name="English")
    if english.count():  # tests run in English unless marked polish; a browser may still start in Polish
        with page.expect_navigation():
            english.click()
    page.get_by_role("link", name="Register").click()
    page.wait_for_url("**/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(confirmation_path(mail.outbox[-1]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_applicant_journey_from_registration_to_receipt(page, check_accessibility, tmp_path):
    factories.ensure_terc()
    edition = factories.EditionFactory(phase="submissions")
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")
    requirement = factories.AttachmentRequirementFactory(
        edition=edition, name="Porozumienie partnerskie", allowed_types=["pdf"], max_size_mb=5
    )
    register_and_log_in(page, check_accessibility)

    # Dashboard: start an application in the open edition.
    page.goto("/wnioski/")
    check_accessibility(page)
    page.get_by_role("link", name="Start a new application").click()
    page.wait_for_url(f"**/wnioski/nowy/{edition.year}/")
    check_accessibility(page)
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r".*/wnioski/\d+/edycja/$"))
    check_accessibility(page)
    application = Application.objects.get(owner__email=EMAIL)

    # The form: everything typed is saved as a draft.
    for name, value in factories.COMPLETE_FIELDS.items():
        page.locator(f"#id_{name}").fill(value.isoformat() if hasattr(value, "isoformat") else value)
    page.locator("#id_indicators-0-name").fill("Liczba pasażerów rocznie")
    page.locator("#id_indicators-0-baseline").fill("0")
    page.locator("#id_indicators-0-achieved").fill("120 000")
    page.locator("#id_indicators-0-source").fill("Sprawozdania przewoźnika")
    for kind in ("truth", "publication", "privacy"):
        page.locator(f"#id_declaration_{kind}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Draft saved.").is_visible()
    check_accessibility(page)
    application.refresh_from_db()
    assert (application.title, application.indicators.count(), application.declarations.count()) == (
        "Wspólny transport gminny",
        1,
        3,
    )

    # Partners: the leader through the TERC autocomplete, the second by its code.
    page.get_by_role("link", name="Partners").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/partnerzy/")
    check_accessibility(page)
    page.locator("#id_kind").select_option("jst")
    page.locator("#id_unit_query").press_sequentially("Bolesławiec", delay=20)
    page.get_by_role("option", name=re.compile(r"Bolesławiec \(gmina miejska\)")).click()
    assert page.locator("#id_terc_code").input_value() == "0201011"
    page.locator("#id_role").fill("Lider: koordynacja i rozliczenia")
    page.locator("#id_is_leader").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save partner").click()
    page.locator("#id_kind").select_option("jst")
    page.locator("#id_unit_query").press_sequentially("Bolesławiec", delay=20)
    page.get_by_role("option", name=re.compile(r"Bolesławiec \(gmina wiejska\)")).click()
    assert page.locator("#id_terc_code").input_value() == "0201022"
    page.locator("#id_role").fill("Współfinansowanie")
    with page.expect_navigation():
        page.get_by_role("button", name="Save partner").click()
    check_accessibility(page)
    assert sorted(application.partners.values_list("territorial_unit__code", flat=True)) == ["0201011", "0201022"]

    # Attachments: upload with the progress bar (XMLHttpRequest), then the page reloads with the file.
    page.get_by_role("link", name="Attachments").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/zalaczniki/")
    check_accessibility(page)
    pdf = tmp_path / "Porozumienie gmin.pdf"
    pdf.write_bytes(factories.pdf_bytes())
    page.locator(f"#upload-{requirement.pk}").set_input_files(str(pdf))
    with page.expect_navigation():
        page.locator(f"#requirement_{requirement.pk}").get_by_role("button", name="Upload").click()
    assert page.get_by_role("link", name="Porozumienie gmin.pdf").is_visible()
    check_accessibility(page)

    # Submit from the overview; the receipt arrives by e-mail.
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/")
    check_accessibility(page)
    page.get_by_role("link", name="Review and submit the application").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/zloz/")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the application").click()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert page.locator("[data-code]").inner_text() == f"SLZ-{edition.year}-001"
    check_accessibility(page)
    receipt_mail = mail.outbox[-1]
    assert receipt_mail.to[0] == EMAIL
    filename, content, mimetype = receipt_mail.attachments[0]
    assert (filename, mimetype, content[:5]) == (
        f"potwierdzenie-SLZ-{edition.year}-001.pdf",
        "application/pdf",
        b"%PDF-",
    )
    assert (page.problems.failed_responses, page.problems.console_errors) == ([], [])


def test_core_journey_works_without_javascript(browser, live_server, tmp_path):
    """Draft, partners found by a search submit, upload and submission with JavaScript switched off.

    (No axe check here: axe itself is JavaScript; the same pages are checked in the test above.)
    """
    factories.ensure_terc()
    password = "Bez-Skryptow-2026"
    user = factories.UserFactory(email="nojs@gmina-e2e.example", password=password)
    edition = factories.EditionFactory(phase="submissions")
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")
    requirement = factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], max_size_mb=5)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(user.email)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto(f"/wnioski/nowy/{edition.year}/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/wnioski/\d+/edycja/$"))
        application = Application.objects.get(owner=user)
        for name, value in factories.COMPLETE_FIELDS.items():
            page.locator(f"#id_{name}").fill(value.isoformat() if hasattr(value, "isoformat") else value)
        page.locator("#id_indicators-0-name").fill("Liczba pasażerów rocznie")
        for kind in ("truth", "publication", "privacy"):
            page.locator(f"#id_declaration_{kind}").check()
        with page.expect_navigation():
            page.locator("button[name=action][value=save]").click()

        for query, code, leader in (("Bolesławiec", "0201011", True), ("Gromadka", "0201032", False)):
            page.goto(f"/wnioski/{application.pk}/partnerzy/")
            page.locator("#id_kind").select_option("jst")
            page.locator("#id_role").fill("Rola partnera")
            page.locator("#id_unit_query").fill(query)
            with page.expect_navigation():
                page.locator("button[name=action][value=search]").click()
            page.locator(f"#unit-{code}").check()
            if leader:
                page.locator("#id_is_leader").check()
            with page.expect_navigation():
                page.locator("button[name=action][value=save]").click()
        assert sorted(application.partners.values_list("territorial_unit__code", flat=True)) == ["0201011", "0201032"]

        page.goto(f"/wnioski/{application.pk}/zalaczniki/")
        pdf = tmp_path / "umowa.pdf"
        pdf.write_bytes(factories.pdf_bytes())
        page.locator(f"#upload-{requirement.pk}").set_input_files(str(pdf))
        with page.expect_navigation():
            page.locator(f"#requirement_{requirement.pk} button[type=submit]").last.click()
        assert application.attachments.count() == 1

        page.goto(f"/wnioski/{application.pk}/zloz/")
        with page.expect_navigation():
            page.locator(f"form[action='/wnioski/{application.pk}/zloz/'] button").click()
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert mail.outbox[-1].attachments[0][0] == f"potwierdzenie-{application.code}.pdf"
    finally:
        context.close()
