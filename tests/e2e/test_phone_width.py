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
