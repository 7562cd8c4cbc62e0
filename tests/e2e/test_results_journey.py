"""A visitor after the announcement, in a real browser: an edition's results with a photo, a laureate's page, the
good-practice archive's search and filters, the map leading to the filtered archive; axe-core on every page and
no horizontal scrolling on a phone."""

import re

import pytest

from results import services as publication
from tests import publication_factories as pf
from tests import results_factories as rf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
LOWER_SILESIA, LODZ_VOIVODESHIP = "02", "10"
PRACTICE_NAMES = "main .archive-list h3"


@pytest.fixture
def published():
    """A 2024 edition with one laureate from łódzkie only, and an edition published now through the publication
    service: laureates from łódzkie and dolnośląskie, the first with a photo resized from the applicant's upload."""
    older = rf.results_edition(year=2024, number=18)
    rf.published_entry(older, "Zelów i Kluki", units=[rf.ZELOW, rf.KLUKI], title="Wspólna szkoła rolnicza")
    edition, entries, organiser = pf.decided_edition()
    publication.publish_now(edition, by=organiser)
    return edition, entries


def visit(page, check_accessibility, path):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_accessibility(page)
    return response


def practice_names(page):
    return sorted(page.locator(PRACTICE_NAMES).all_inner_texts())


def images_loaded(page):
    """(how many pictures the main content shows, how many of them the browser could decode)."""
    return page.evaluate(
        "() => { const images = [...document.querySelectorAll('main img')];"
        " return [images.length, images.filter(i => i.complete && i.naturalWidth > 0).length]; }"
    )


def search(page, check_accessibility, **fields):
    """Fill the archive's filters and submit the form (a GET: the filters end up in the address)."""
    form = page.locator("main form.archive-filters")
    if "q" in fields:
        form.locator("#id_q").fill(fields["q"])
    if "voivodeship" in fields:
        form.locator("#id_voivodeship").select_option(fields["voivodeship"])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_accessibility(page)


def test_visitor_reads_results_laureate_archive_and_map(page, check_accessibility, published):
    edition, entries = published
    first = entries["first"].published_entry

    # The results page of the edition: every awarded entry, the photo served and decoded.
    visit(page, check_accessibility, f"/laureaci/{edition.year}/")
    assert page.locator("main h1").inner_text() == f"Laureaci {edition.year}"
    assert sorted(page.locator("main article.result-entry h4").all_inner_texts()) == [
        "Partnerstwo Łódzkie",
        "Partnerstwo Łódzkie",
        "Ząbkowice i Partnerzy",
    ]
    page.locator("main img.result-photo").first.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('main img')].every(i => i.complete)")
    assert images_loaded(page) == [1, 1]

    # The laureate's page at its readable address, reached by its link.
    with page.expect_navigation():
        page.locator(f"main a[href='/laureaci/{edition.year}/{first.slug}/']").first.click()
    assert page.url.endswith(f"/laureaci/{edition.year}/{first.slug}/")
    assert re.fullmatch(r"[a-z0-9-]+", first.slug)
    check_accessibility(page)
    assert page.locator("main h1").inner_text() == "Partnerstwo Łódzkie"
    assert page.locator("main .result-citation blockquote").inner_text().strip() == pf.CITATION
    page.wait_for_function("() => [...document.querySelectorAll('main img')].every(i => i.complete)")
    assert images_loaded(page) == [1, 1]

    # The archive: everything public, then a search without Polish letters, a voivodeship, and clearing.
    everything = ["Partnerstwo Łódzkie", "Partnerstwo Łódzkie", "Zelów i Kluki", "Ząbkowice i Partnerzy"]
    visit(page, check_accessibility, "/dobre-praktyki/")
    assert practice_names(page) == everything

    search(page, check_accessibility, q="lodzkie")
    assert "q=lodzkie" in page.url
    assert practice_names(page) == ["Partnerstwo Łódzkie", "Partnerstwo Łódzkie"]
    assert page.locator("main #found-heading").inner_text() == "Znaleziono 2 dobre praktyki"

    search(page, check_accessibility, q="", voivodeship=LOWER_SILESIA)
    assert f"voivodeship={LOWER_SILESIA}" in page.url
    assert practice_names(page) == ["Partnerstwo Łódzkie", "Partnerstwo Łódzkie", "Ząbkowice i Partnerzy"]

    with page.expect_navigation():
        page.locator("main form.archive-filters a[href='/dobre-praktyki/']").click()
    check_accessibility(page)
    assert page.url.endswith("/dobre-praktyki/")
    assert practice_names(page) == everything
    assert page.locator("#id_voivodeship").input_value() == ""

    # The map: a voivodeship's region leads to the archive filtered by it.
    visit(page, check_accessibility, "/mapa/")
    region = page.locator(f"main svg a.map-region[href$='voivodeship={LODZ_VOIVODESHIP}']")
    with page.expect_navigation():
        region.click()
    check_accessibility(page)
    assert page.url.endswith(f"/dobre-praktyki/?voivodeship={LODZ_VOIVODESHIP}")
    assert page.locator("#id_voivodeship").input_value() == LODZ_VOIVODESHIP
    assert practice_names(page) == ["Partnerstwo Łódzkie", "Partnerstwo Łódzkie", "Zelów i Kluki"]

    assert (page.problems.failed_responses, page.problems.console_errors) == ([], [])


def test_results_and_archive_fit_a_phone_screen(browser, live_server, published):
    edition, entries = published
    first = entries["first"].published_entry
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": PHONE_WIDTH, "height": 844}
    )
    page = context.new_page()
    widths = {}
    for path in (
        f"/laureaci/{edition.year}/",
        f"/laureaci/{edition.year}/{first.slug}/",
        "/dobre-praktyki/",
        f"/dobre-praktyki/?q=lodz&voivodeship={LOWER_SILESIA}",
        "/mapa/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()

    assert widths == dict.fromkeys(widths, PHONE_WIDTH)
