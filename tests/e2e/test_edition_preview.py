"""Setting up an edition in the admin, in a real browser: the form's sections, then the preview of the call page it
links to (axe-core on the preview), while the public address of the draft answers 404."""

import pytest

from contest.demo import organisers_group
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Organizator-Konkursu-2026"


def test_organiser_previews_the_call_page_of_a_draft(page, settings, check_accessibility, tmp_path):
    settings.REQUIRE_MFA_FOR_STAFF = False
    organiser = factories.UserFactory(
        email="org-setup@example.com", is_organiser=True, is_staff=True, password=PASSWORD
    )
    organiser.groups.add(organisers_group())
    edition = factories.EditionFactory(phase="submissions", is_draft=True, theme="Temat przed ogłoszeniem")
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")

    page.goto("/accounts/login/")
    page.locator("#id_login").fill(organiser.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.goto(f"/admin/contest/edition/{edition.pk}/change/")
    for section in ("Podstawowe", "Terminy (czas warszawski)", "Nabór i kwalifikowalność", "Ocena", "Wyniki"):
        assert page.get_by_role("heading", name=section, exact=True).count() == 1
    page.get_by_role("link", name="Podgląd strony naboru").click()
    page.wait_for_url(f"**/admin/contest/edition/{edition.pk}/podglad/")
    banner = page.locator("[data-preview=call-page]")
    assert "Podgląd strony naboru" in banner.inner_text()
    assert page.get_by_role("heading", name="Kategorie").count() == 1
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    check_accessibility(page)
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    response = page.goto(f"/edycje/{edition.year}/")
    assert response.status == 404
