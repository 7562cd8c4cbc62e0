"""An organiser on a phone: the Communications pages (the list of e-mails, one e-mail's form with its preview and a
refused placeholder, the sent-mail log) and the message to applicants fit a 390-pixel screen, without JavaScript's
help for anything but the browser itself."""

import pytest
from django.utils import timezone

from applications.models import Status
from communications.models import SentEmail
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_communications_pages_fit_a_phone_screen(browser, live_server, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="formal_review", year=2031)
    f.jury_entry(edition, 1, status=Status.ACCEPTED)
    SentEmail.objects.create(
        at=timezone.now(),
        edition=edition,
        subject="Temat" * 30,
        status="failed",
        error="SMTPRecipientsRefused",
        recipients="\n" + "bardzo.dlugi.adres" * 8 + "@example.com\n",
    )
    f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("organiser@example.com")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    widths = {}
    for path in ("/organizator/2031/komunikacja/", "/organizator/2031/komunikacja/wyslane/"):
        page.goto(path)
        widths[path] = page_width(page)
    page.goto("/organizator/2031/komunikacja/receipt/pl/")
    page.locator("#id_body").fill("Wniosek {{ kod }}: " + "długi-tekst-bez-spacji" * 10)
    page.locator("button[value=preview]").click()
    page.wait_for_load_state()
    widths["preview"] = page_width(page)
    page.screenshot(path="/tmp/comms_preview_390.png", full_page=True)
    preview = page.locator("[data-preview=body]").inner_text()
    page.locator("#id_body").fill("{{ haslo }}")
    page.locator("button[value=save]").click()
    page.wait_for_load_state()
    widths["refused"] = page_width(page)
    page.screenshot(path="/tmp/comms_refused_390.png", full_page=True)
    refused = page.locator(".error-summary").inner_text()
    page.goto(f"/wnioski/organizator/2031/wiadomosc/?status={Status.ACCEPTED}")
    widths["message"] = page_width(page)
    page.locator("#id_subject").fill("Termin")
    page.locator("#id_body").fill("Dzień dobry, {{ kod }}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    widths["confirmation"] = page_width(page)
    heading = page.locator("h1").inner_text()
    context.close()

    assert widths == dict.fromkeys(widths, PHONE_WIDTH)
    assert preview.startswith("Wniosek SLZ-2031-0042: ")
    assert "{{ haslo }}" in refused
    assert heading == "Wysłać wiadomość do wnioskodawców 1 wniosku?"
