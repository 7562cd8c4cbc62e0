"""The data-rights pages on a phone (hostile review of issue 13): a person's page with downloads and a refused
request, the organisers' list and a request with its plan fit a 390-pixel screen and pass axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import DataExport, ErasureRequest
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
LONG_EMAIL = "bardzo.dluga.nazwa.skrzynki.koordynatorki.projektu@urzad-gminy-przykladowej.example.com"


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_data_rights_pages_fit_a_phone_screen(browser, live_server, settings, check_accessibility):
    settings.REQUIRE_MFA_FOR_STAFF = False
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    person = f.UserFactory(email=LONG_EMAIL, full_name="Katarzyna Konstancja Wiśniewska-Brzęczyszczykiewicz")
    f.complete_application(owner=person)
    services.write_export(DataExport.objects.create(user=person))
    DataExport.objects.create(
        user=person, status="expired", expires_at=timezone.now() - timedelta(days=1), ready_at=timezone.now()
    )
    ErasureRequest.objects.create(
        user=person, status="refused", decided_at=timezone.now(), decided_by=organiser, refusal_reason="Zgłoszenie "
        "jest częścią dokumentacji konkursu przez okres wymagany przepisami o finansach publicznych." * 2,
    )
    pending = ErasureRequest.objects.create(user=person)

    widths = {}
    context = browser.new_context(base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    _log_in(page, LONG_EMAIL)
    for path in ("/konto/dane/", "/konto/dane/usuniecie/"):
        page.goto(path)
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
        check_accessibility(page)
    context.clear_cookies()
    _log_in(page, "organiser@example.com")
    for path in ("/konto/dane/wnioski/", f"/konto/dane/wnioski/{pending.pk}/"):
        page.goto(path)
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
        check_accessibility(page)
    context.close()

    assert widths == dict.fromkeys(widths, PHONE_WIDTH)
