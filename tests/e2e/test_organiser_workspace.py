"""The organiser's workspace in a real browser (issue 11): after login the edition's home, then the applications
list, then the formal review and the next entry; axe-core at 1280 and 390 pixels, no horizontal scrolling on a
phone."""

import pytest

from applications import services
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Organizator-Konkursu-2026"
PHONE_WIDTH = 390


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [1280, PHONE_WIDTH])
def test_organiser_home_list_and_review_with_next(browser, live_server, settings, check_accessibility, width):
    settings.REQUIRE_MFA_FOR_STAFF = False
    organiser = factories.UserFactory(email="org-home@example.com", is_organiser=True, is_staff=True, password=PASSWORD)
    edition = factories.EditionFactory(phase="submissions")
    factories.ChecklistItemFactory(edition=edition, text="Wniosek złożony w terminie")
    entries = []
    for title in ("Wspólny transport gmin", "Razem dla seniorów"):
        application = factories.complete_application(edition=edition, title=title)
        services.submit(application, by=application.owner)
        entries.append(application)
    factories.ApplicationFactory(edition=edition, title="Szkic jeszcze niezłożony")
    for application in entries:
        application.refresh_from_db()

    context = browser.new_context(base_url=live_server.url, locale="pl-PL", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    widths = {}
    try:
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(organiser.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/organizator/{edition.year}/")
        assert page.get_by_role("heading", name="Wnioski według statusu").count() == 1
        check_accessibility(page)
        widths["home"] = page_width(page)

        page.get_by_role("navigation", name="Strony organizatora").get_by_role("link", name="Wnioski").click()
        page.wait_for_url(f"**/wnioski/organizator/{edition.year}/")
        check_accessibility(page)
        widths["list"] = page_width(page)

        page.get_by_role("link", name=entries[0].code).click()
        page.wait_for_url(f"**/wnioski/{entries[0].pk}/ocena-formalna/")
        check_accessibility(page)
        widths["review"] = page_width(page)

        page.get_by_role("link", name=f"Następny: {entries[1].code}").click()
        page.wait_for_url(f"**/wnioski/{entries[1].pk}/ocena-formalna/")
        assert page.get_by_role("heading", level=1).inner_text().endswith(entries[1].code)
        check_accessibility(page)
        widths["next"] = page_width(page)
    finally:
        context.close()
    if width == PHONE_WIDTH:
        assert widths == dict.fromkeys(widths, PHONE_WIDTH)
