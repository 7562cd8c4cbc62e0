"""A juror on a phone: the dashboard, an entry and its scorecard fit a 390-pixel screen (tables scroll inside)."""

import pytest

from jury.models import Assignment
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_juror_pages_fit_a_phone_screen(browser, live_server, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition)
    entries = [f.identified_jury_entry(edition, identity, n) for n, identity in enumerate(f.JURY_IDENTITIES, 1)]
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    for entry in entries:
        Assignment.objects.create(member=juror, application=entry)
        f.sign_off(entry)
    context = browser.new_context(base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("juror@example.com")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    widths = {}
    for path in (
        f"/jury/{edition.year}/",
        f"/jury/{edition.year}/entries/{entries[0].code}/",
        f"/jury/{edition.year}/entries/{entries[0].code}/scorecard/",
    ):
        page.goto(path)
        widths[path] = page_width(page)
    context.close()

    assert widths == dict.fromkeys(widths, PHONE_WIDTH)


def test_personal_data_pages_fit_a_phone_screen(browser, live_server, settings):
    """The organiser's retention report (with the confirmation a shortened period asks for), the register of
    processing activities and an entry of it: no page wider than the phone, also with a long unbroken name."""
    from retention.models import ProcessingActivity, RetentionPolicy
    from tests.conftest import warsaw

    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(
        phase="results",
        year=2019,
        call_published_at=warsaw(2019, 1, 1),
        submissions_open_at=warsaw(2019, 1, 15),
        submission_deadline=warsaw(2019, 3, 15, 23, 59, 59),
        formal_review_ends_at=warsaw(2019, 3, 30),
        scoring_starts_at=warsaw(2019, 4, 1),
        scoring_ends_at=warsaw(2019, 4, 20, 23, 59, 59),
        results_at=warsaw(2019, 5, 1, 12),
        archived_at=None,
    )
    RetentionPolicy.objects.create(edition=edition, contact_years=10)
    f.ApplicationFactory(edition=edition, status="not_awarded", submitted_at=warsaw(2019, 3, 10))
    ProcessingActivity.objects.create(
        name="Przetwarzanie" * 12,
        purpose="Cel",
        data_subjects="Osoby",
        data_categories="Dane",
        recipients="Brak",
        retention="1 rok",
        security_measures="Szyfrowanie",
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
    for path in ("/dane-osobowe/2019/", "/dane-osobowe/rejestr/", "/dane-osobowe/rejestr/nowa/"):
        page.goto(path)
        widths[path] = page_width(page)
    page.goto("/dane-osobowe/2019/")
    page.locator("#id_contact_years").fill("1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    widths["confirmation"] = page_width(page)
    page.screenshot(path="/tmp/review13b_retention_390.png", full_page=True)
    context.close()

    assert widths == dict.fromkeys(widths, PHONE_WIDTH)
