"""The applicant's submitting workspace in a real browser, in Polish: review then submit, reopen, save and review,
submit again (the code stays, two versions are kept); axe-core at 1280 px and 390 px, and no horizontal scrolling
of the page at 390 px."""

import re

import pytest

from applications.models import Application, Status
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
PHONE_WIDTH = 390


def log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def too_wide(page, width):
    """The innermost elements reaching past the screen's edge, to name in a failure."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll("body *"))
            .filter((e) => e.getBoundingClientRect().right > width + 1 && e.children.length === 0)
            .slice(0, 5).map((e) => e.tagName + "." + e.className + ": " + (e.textContent || "").slice(0, 40))""",
        width,
    )


def test_review_then_submit_reopen_and_submit_again(browser, live_server, check_accessibility):
    edition = factories.EditionFactory(phase="submissions")
    owner = factories.UserFactory(email="koordynatorka@gmina-e2e.example")
    application = factories.complete_application(edition=edition, owner=owner)
    draft = factories.complete_application(edition=edition, owner=owner, goals="")

    context = browser.new_context(base_url=live_server.url, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, owner.email)

    # The dashboard says where the edition stands, with the button beside it.
    page.goto("/wnioski/")
    assert "Trwa nabór – do" in page.locator(f'[data-edition="{edition.year}"] [data-standing]').inner_text()
    check_accessibility(page)

    # Overview, then the review page, then the final click.
    page.goto(f"/wnioski/{application.pk}/")
    check_accessibility(page)
    page.get_by_role("link", name="Sprawdź i złóż wniosek").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/zloz/")
    assert page.locator("[data-complete]").is_visible()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Złóż wniosek").click()
    application.refresh_from_db()
    code = application.code
    assert (application.status, page.locator("[data-code]").inner_text()) == (Status.SUBMITTED, code)
    check_accessibility(page)

    # Reopen: a page says what it means first.
    page.get_by_role("link", name="Otwórz do zmian").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/otworz-ponownie/")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Otwórz do zmian").click()
    page.wait_for_url(re.compile(rf".*/wnioski/{application.pk}/edycja/$"))
    application.refresh_from_db()
    assert (application.status, application.code) == (Status.DRAFT, code)
    check_accessibility(page)

    # Change the title, save and review, submit again: the same code, a second version.
    page.locator("#id_title").fill("Wspólny transport gminny – wersja 2")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz i sprawdź przed złożeniem").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/zloz/")
    with page.expect_navigation():
        page.get_by_role("button", name="Złóż wniosek").click()
    application = Application.objects.get(pk=application.pk)
    assert (application.status, application.code, application.versions.count()) == (Status.SUBMITTED, code, 2)

    # Withdrawing asks first and says it cannot be undone; "keep it" changes nothing.
    page.get_by_role("link", name="Wycofaj").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/wycofaj/")
    assert page.locator("[data-irreversible]").is_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Nie, zachowaj wniosek").click()
    page.wait_for_url(f"**/wnioski/{application.pk}/")
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    context.close()

    # The same pages on a phone: axe again, and nothing wider than the screen.
    phone = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": PHONE_WIDTH, "height": 844}
    )
    page = phone.new_page()
    page.set_default_timeout(15_000)
    log_in(page, owner.email)
    widths = {}
    for path in (
        "/wnioski/",
        f"/wnioski/{application.pk}/",
        f"/wnioski/{application.pk}/otworz-ponownie/",
        f"/wnioski/{application.pk}/wycofaj/",
        f"/wnioski/{draft.pk}/",
        f"/wnioski/{draft.pk}/edycja/",
        f"/wnioski/{draft.pk}/zloz/",
        f"/wnioski/{draft.pk}/zalaczniki/",
    ):
        page.goto(path)
        assert page.url.endswith(path), (path, page.url)
        check_accessibility(page)
        width = page_width(page)
        # A table may scroll inside its own focusable region; only the page itself must not scroll sideways.
        widths[path] = (width, too_wide(page, PHONE_WIDTH) if width > PHONE_WIDTH else [])
    phone.close()
    assert widths == dict.fromkeys(widths, (PHONE_WIDTH, []))


def test_terc_search_is_a_keyboard_combobox(browser, live_server, check_accessibility):
    factories.ensure_terc()
    edition = factories.EditionFactory(phase="submissions")
    owner = factories.UserFactory(email="partnerzy@gmina-e2e.example")
    application = factories.ApplicationFactory(edition=edition, owner=owner)
    context = browser.new_context(base_url=live_server.url, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, owner.email)
    page.goto(f"/wnioski/{application.pk}/partnerzy/")
    page.locator("#id_kind").select_option("jst")
    # Saving without a unit: the refusal shows beside the search field, not in the hidden code field.
    page.locator("#id_role").fill("Lider")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz partnera").click()
    assert page.locator("[data-terc-chosen]").inner_text().startswith("Wybierz jednostkę samorządu terytorialnego")
    assert page.locator("#id_unit_query").get_attribute("aria-invalid") == "true"
    check_accessibility(page)
    box = page.get_by_role("combobox", name=re.compile("jednostk|unit", re.I)).and_(page.locator("#id_unit_query"))
    units = page.locator("#terc-suggestions [role=option]")
    box.press_sequentially("Bolesławiec", delay=20)
    units.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-terc-status]").inner_text().startswith("Pasujące jednostki: ")
    check_accessibility(page)

    # Escape closes the list and keeps the text; the arrows open it again and move through the units.
    box.press("Escape")
    assert (box.get_attribute("aria-expanded"), box.input_value()) == ("false", "Bolesławiec")
    box.press("ArrowDown")
    first = units.first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    label = first.inner_text()
    # Enter chooses the highlighted unit and fills its code; the form is not sent.
    box.press("Enter")
    code = re.search(r"\((\d{7})\)$", label).group(1)
    assert (page.locator("#id_terc_code").input_value(), box.get_attribute("aria-expanded")) == (code, "false")
    assert page.locator("[data-terc-chosen]").inner_text() == f"Wybrana jednostka: {label}"
    assert (page.locator("#id_terc_code").is_visible(), page.url.endswith(f"/wnioski/{application.pk}/partnerzy/")) == (
        False,
        True,
    )
    assert application.partners.count() == 0
    context.close()
