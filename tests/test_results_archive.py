"""The good-practice archive (search ignoring case and Polish letters, filters, pages, count) and the map of
Poland by voivodeship; hostile query strings; query counts that do not grow with the number of laureates."""

import html
import re

import pytest
from django.core.cache import cache

from results import map as geo
from results.models import PublishedEntry
from results.text import polish_sort_key, search_form, search_terms
from tests import factories as f
from tests import results_factories as rf

pytestmark = pytest.mark.django_db
LAUREATE, DISTINCTION = PublishedEntry.Outcome.LAUREATE, PublishedEntry.Outcome.DISTINCTION
PRACTICE = re.compile(r'<h3 id="practice-\d+" class="h5 mb-1"><a href="[^"]+">([^<]+)</a></h3>')


def main(response):
    """The page's main content (the frame around it carries a fresh CSRF token in every response)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]


def text(response):
    return html.unescape(response.content.decode())


def practices(client, query=""):
    response = client.get(f"/dobre-praktyki/{query}")
    assert response.status_code == 200
    return sorted(html.unescape(name) for name in PRACTICE.findall(response.content.decode()))


@pytest.fixture
def archive():
    """Two public editions with entries from several kinds of unit and voivodeships, and one embargoed edition."""
    older = rf.results_edition(year=2024, number=18)
    newer = rf.results_edition(year=2025, number=19)
    services = f.CategoryFactory(edition=newer, name="Usługi publiczne")
    rf.published_entry(older, "Partnerstwo Łódzkie", units=[rf.LODZ, rf.KLUKI], title="Rower miejski dla regionu")
    rf.published_entry(newer, "Dolina Bobru", units=[rf.BOLESLAWIEC, rf.BOLESLAWIEC_RURAL], category=services)
    rf.published_entry(newer, "Powiat i gminy razem", units=[rf.BOLESLAWIEC_COUNTY, rf.NOWOGRODZIEC])
    rf.published_entry(newer, "Województwo z gminami", units=[rf.LOWER_SILESIA, rf.ZELOW], outcome=DISTINCTION)
    hidden = f.EditionFactory(phase="deliberation", year=2026, number=20)
    rf.published_entry(hidden, "Partnerstwo Przed Ogłoszeniem", units=[rf.LODZ])
    return {"older": older, "newer": newer, "services": services}


# --- search -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["lodz", "LÓDŹ", "Łódź", "łódzkie", "ŁÓDZ"])
def test_search_ignores_case_and_polish_letters(client, archive, query):
    assert practices(client, f"?q={query}") == ["Partnerstwo Łódzkie"]


def test_search_needs_every_word(client, archive):
    assert practices(client, "?q=rower+lodz") == ["Partnerstwo Łódzkie"]
    assert practices(client, "?q=rower+boleslawiec") == []


def test_search_form_is_lower_case_transliterated_and_without_punctuation():
    assert search_form('Łódź – Metropolia, "Razem" ŻÓŁW') == "lodz metropolia razem zolw"
    assert search_terms("Łódź łódź LODZ rower") == ["lodz", "rower"]


def test_search_does_not_find_an_embargoed_edition(client, archive):
    assert practices(client, "?q=przed+ogloszeniem") == []


# --- filters ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?voivodeship=10", ["Partnerstwo Łódzkie", "Województwo z gminami"]),
        ("?voivodeship=02", ["Dolina Bobru", "Powiat i gminy razem", "Województwo z gminami"]),
        ("?voivodeship=14", []),
        ("?unit=urban", ["Dolina Bobru", "Partnerstwo Łódzkie"]),
        ("?unit=rural", ["Dolina Bobru", "Partnerstwo Łódzkie"]),
        ("?unit=urban_rural", ["Powiat i gminy razem", "Województwo z gminami"]),
        ("?unit=county", ["Powiat i gminy razem"]),
        ("?unit=voivodeship", ["Województwo z gminami"]),
        ("?year=2024", ["Partnerstwo Łódzkie"]),
        ("?outcome=distinction", ["Województwo z gminami"]),
        ("?outcome=laureate&year=2025", ["Dolina Bobru", "Powiat i gminy razem"]),
        # One partner matches both: Zelów (łódzkie) is urban-rural, no rural gmina of łódzkie is in that entry.
        ("?voivodeship=10&unit=urban_rural", ["Województwo z gminami"]),
        ("?voivodeship=02&unit=urban_rural", ["Powiat i gminy razem"]),
    ],
)
def test_archive_filters(client, archive, query, expected):
    assert practices(client, query) == expected


def test_archive_filters_by_category(client, archive):
    assert practices(client, f"?category={archive['services'].pk}") == ["Dolina Bobru"]


def test_city_with_county_rights_counts_as_urban_municipality_and_as_county(client, archive):
    rf.published_entry(archive["newer"], "Miasto Łódź z sąsiadami", units=[rf.LODZ_CITY_COUNTY])

    assert "Miasto Łódź z sąsiadami" in practices(client, "?unit=urban")
    assert "Miasto Łódź z sąsiadami" in practices(client, "?unit=county")


def test_archive_year_filter_offers_only_public_years(client, archive):
    response = client.get("/dobre-praktyki/")

    years = re.findall(
        r'<option value="(\d{4})"', re.search(r'<select name="year".*?</select>', text(response), re.S)[0]
    )
    assert years == ["2025", "2024"]


# --- hostile query strings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "?voivodeship=99",
        "?voivodeship=%27%20OR%201=1--",
        "?unit=gmina",
        "?category=abc",
        "?category=99999999999999999999999",
        "?year=2026",
        "?year=-1",
        "?outcome=not_awarded",
        "?voivodeship=10&voivodeship=02&voivodeship=x",
        "?q=" + "a" * 5000,
    ],
)
def test_unrecognised_filters_are_cleared_with_a_notice(client, archive, query):
    response = client.get(f"/dobre-praktyki/{query}")

    assert response.status_code == 200
    assert "Some of the filters in the address were not recognised and have been cleared." in text(response)
    assert "Partnerstwo Przed Ogłoszeniem" not in text(response)


def test_a_category_of_an_embargoed_edition_is_not_a_filter(client, archive):
    hidden_category = f.CategoryFactory(edition=f.EditionFactory(phase="scoring"))

    response = client.get(f"/dobre-praktyki/?category={hidden_category.pk}")

    assert "have been cleared" in text(response)
    assert len(practices(client, f"?category={hidden_category.pk}")) == 4


def test_a_nul_character_in_the_query_is_refused_before_the_view(client, archive):
    assert client.get("/dobre-praktyki/?q=%00").status_code == 400


# --- pages, count and the empty state ----------------------------------------------------------------------------


@pytest.fixture
def many():
    edition = rf.results_edition(year=2025, number=19)
    category = f.CategoryFactory(edition=edition)
    for number in range(1, 26):
        rf.published_entry(edition, f"Partnerstwo numer {number:02d}", category=category, place=number)
    return edition


def names_on(client, query):
    response = client.get(f"/dobre-praktyki/{query}")
    assert response.status_code == 200
    return [html.unescape(name) for name in PRACTICE.findall(response.content.decode())], text(response)


def test_archive_is_paginated_with_a_count(client, many):
    first, page = names_on(client, "")
    second, second_page = names_on(client, "?page=2")

    assert (len(first), first[0], second) == (
        20,
        "Partnerstwo numer 01",
        [f"Partnerstwo numer {n}" for n in range(21, 26)],
    )
    assert "Found 25 good practices" in page and "Page 1 of 2" in page
    assert 'href="?page=2"' in page


def test_pagination_links_keep_the_filters(client, many):
    _names, page = names_on(client, "?q=partnerstwo&outcome=laureate")

    assert 'href="?q=partnerstwo&outcome=laureate&page=2"' in page


@pytest.mark.parametrize(("page", "first"), [("999999999999999999999", 21), ("-3", 1), ("abc", 1), ("2.5", 1), ("", 1)])
def test_hostile_page_numbers_give_the_first_or_last_page(client, many, page, first):
    names, _page = names_on(client, f"?page={page}")

    assert names[0] == f"Partnerstwo numer {first:02d}"


def test_archive_empty_state_offers_to_show_everything(client, archive):
    names, page = names_on(client, "?q=niczego+takiego+nie+ma")

    assert names == []
    assert "Found 0 good practices" in page and "No good practice matches these filters." in page
    assert '<a href="/dobre-praktyki/">Show all good practices</a>' in page


def test_archive_without_any_published_results_says_so(client):
    _names, page = names_on(client, "")

    assert "No results have been published yet." in page


@pytest.mark.polish
@pytest.mark.parametrize(
    ("count", "sentence"),
    [
        (1, "Znaleziono 1 dobrą praktykę"),
        (3, "Znaleziono 3 dobre praktyki"),
        (12, "Znaleziono 12 dobrych praktyk"),
        (22, "Znaleziono 22 dobre praktyki"),
    ],
)
def test_archive_count_in_polish_plural_forms(client, count, sentence):
    edition = rf.results_edition()
    category = f.CategoryFactory(edition=edition)
    for number in range(count):
        rf.published_entry(edition, f"Partnerstwo {number}", category=category)

    _names, page = names_on(client, "")

    assert sentence in page


# --- the map ------------------------------------------------------------------------------------------------------


def test_map_counts_each_entry_once_per_voivodeship_of_any_partner(client, archive):
    response = client.get("/mapa/")

    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td class="text-end">(\d+)</td>', text(response)
    )
    counts = {name: int(count) for _url, name, count in rows}
    assert response.status_code == 200
    assert len(rows) == 16
    assert (counts["dolnośląskie"], counts["łódzkie"], counts["mazowieckie"]) == (3, 2, 0)
    assert ("/dobre-praktyki/?voivodeship=10", "łódzkie", "2") in rows


def test_map_regions_link_to_the_filtered_archive_with_a_title_and_a_fill(client, archive):
    page = text(client.get("/mapa/"))

    regions = re.findall(
        r'<a href="([^"]+)" class="map-region"><title>([^<]+)</title><path d="[^"]+" fill="(#[0-9a-f]{6})"', page
    )
    assert len(regions) == 16
    assert ("/dobre-praktyki/?voivodeship=10", "łódzkie: 2 awarded partnerships", geo.CLASSES[2][2]) in regions
    assert ("/dobre-praktyki/?voivodeship=14", "mazowieckie: 0 awarded partnerships", geo.CLASSES[0][2]) in regions
    assert "<caption>Awarded partnerships by voivodeship</caption>" in page


@pytest.mark.polish
def test_map_size_is_written_with_a_decimal_point_in_polish(client, archive):
    """Polish formats 567.3 as "567,3", which no browser reads as a number: the map then shrank to 150 pixels."""
    page = text(client.get("/mapa/"))

    view_box, width, height = re.search(
        r'<svg [^>]*viewBox="([^"]+)" width="([^"]+)" height="([^"]+)" class="results-map"', page
    ).groups()
    assert view_box.split() == ["0", "0", str(geo.WIDTH), str(geo.regions()[1])]
    assert (float(width), float(height)) == (geo.WIDTH, geo.regions()[1])


def test_map_link_leads_to_the_entries_of_that_voivodeship(client, archive):
    assert practices(client, "?voivodeship=10") == ["Partnerstwo Łódzkie", "Województwo z gminami"]


def test_map_module_simplifies_and_projects_within_the_view_box():
    regions, height = geo.regions()
    numbers = [float(n) for region in regions for n in re.findall(r"-?\d+\.\d", region.path)]

    assert len(regions) == 16
    assert 0 <= min(numbers) and max(numbers) <= geo.WIDTH
    assert 500 < height < 650
    assert sum(len(region.path) for region in regions) < 60_000


def test_simplify_keeps_the_corners_of_a_square_and_drops_points_on_its_edges():
    edge = [(x / 10, 0.0) for x in range(0, 101)]
    square = [*edge, (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]

    assert geo.simplify_ring(square) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]


def test_count_classes_cover_every_count():
    assert [geo.count_class(n) for n in (0, 1, 2, 3, 4, 7, 8, 500)] == [0, 1, 2, 2, 3, 3, 4, 4]


def test_voivodeships_in_polish_alphabetical_order():
    names = [name for _code, name in geo.voivodeships()]

    assert names[2:5] == ["lubelskie", "lubuskie", "łódzkie"]
    assert names == sorted(names, key=polish_sort_key)


# --- query counts do not grow with the number of laureates -------------------------------------------------------


def populate(size):
    older = rf.results_edition(year=2024, number=18)
    newer = rf.results_edition(year=2025, number=19)
    for edition in (older, newer):
        categories = [f.CategoryFactory(edition=edition, order=n) for n in range(3)]
        for number in range(size):
            rf.published_entry(
                edition,
                f"Partnerstwo {edition.year} nr {number}",
                category=categories[number % 3],
                outcome=LAUREATE if number % 2 else DISTINCTION,
                place=number + 1 if number % 2 else None,
                units=[rf.LODZ, rf.BOLESLAWIEC, rf.NOWOGRODZIEC],
                images=1,
                documents=1 if number % 3 == 0 else 0,
            )


PAGES = {
    "results": "/laureaci/2025/",
    "archive": "/dobre-praktyki/?q=partnerstwo&voivodeship=10",
    "archive page 2": "/dobre-praktyki/?page=2",
    "map": "/mapa/",
    "detail": "/laureaci/2025/partnerstwo-2025-nr-1/",
}
# Queries on a cold cache (the fingerprint of public editions, then the page's own) and on a warm one.
COLD = {"results": 4, "archive": 5, "archive page 2": 5, "map": 2, "detail": 4}
WARM = 1


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("name", PAGES)
def test_public_result_pages_query_count_does_not_grow(client, django_assert_max_num_queries, name, size):
    populate(size)
    cache.clear()

    with django_assert_max_num_queries(COLD[name]):
        cold = client.get(PAGES[name])
    with django_assert_max_num_queries(WARM):
        warm = client.get(PAGES[name])

    assert (cold.status_code, warm.status_code, main(cold) == main(warm)) == (200, 200, True)
    if name == "results":
        assert text(cold).count('class="result-photo"') == size
