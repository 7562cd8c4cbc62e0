"""The public result pages: an edition's laureates, a laureate's page and files, the good-practice archive and the
map; the embargo at the exact second on each of them, through the shared cache too."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from applications.files import serve_file
from results.models import PublicFile, PublishedEntry
from tests import factories as f
from tests import results_factories as rf

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)
LAUREATE, DISTINCTION = PublishedEntry.Outcome.LAUREATE, PublishedEntry.Outcome.DISTINCTION
PRACTICE = re.compile(r'<h3 id="practice-\d+" class="h5 mb-1"><a href="[^"]+">([^<]+)</a></h3>')


@pytest.fixture
def clock(monkeypatch):
    """Sets the server's clock (timezone.now) to a given moment."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def announced_at():
    """The announced second: a minute from now, whole."""
    return rf.to_second() + datetime.timedelta(minutes=1)


def text(response):
    return html.unescape(response.content.decode())


def practices(client, query=""):
    """The partnership names the archive lists for a query string, in order."""
    response = client.get(f"/dobre-praktyki/{query}")
    assert response.status_code == 200
    return [html.unescape(name) for name in PRACTICE.findall(response.content.decode())]


def map_counts(client):
    """{voivodeship: count} as the map's table gives them."""
    response = client.get("/mapa/")
    assert response.status_code == 200
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="text-end">(\d+)</td>', text(response)
    )
    return {name: int(count) for name, count in rows}


# --- the embargo, to the second, on every page ---------------------------------------------------------------------


def surfaces(entry):
    year, slug = entry.edition.year, entry.slug
    image = entry.files.get(kind=PublicFile.Kind.IMAGE)
    return {
        "results page": f"/laureaci/{year}/",
        "detail page": f"/laureaci/{year}/{slug}/",
        "public file": f"/laureaci/{year}/{slug}/pliki/{image.pk}/",
    }


@pytest.mark.parametrize("surface", ["results page", "detail page", "public file"])
def test_results_pages_are_404_one_second_before_results_at_and_shown_at_it(client, clock, announced_at, surface):
    edition = rf.results_edition(results_at=announced_at)
    entry = rf.published_entry(edition, "Partnerstwo Łódzkie Razem", units=[rf.LODZ], images=1)
    url = surfaces(entry)[surface]

    clock(announced_at - SECOND)
    before = client.get(url)
    clock(announced_at - datetime.timedelta(microseconds=1))
    just_before = client.get(url)
    clock(announced_at)
    at = client.get(url)

    assert (before.status_code, just_before.status_code, at.status_code) == (404, 404, 200)
    assert "Partnerstwo Łódzkie Razem" not in text(before) + text(just_before)


def test_archive_is_silent_one_second_before_results_at_and_lists_the_entry_at_it(client, clock, announced_at):
    edition = rf.results_edition(results_at=announced_at)
    rf.published_entry(edition, "Partnerstwo Łódzkie Razem", units=[rf.LODZ])

    clock(announced_at - SECOND)
    before = practices(client)
    before_search = practices(client, "?q=lodz")
    clock(announced_at)

    assert (before, before_search, practices(client), practices(client, "?q=lodz")) == (
        [],
        [],
        ["Partnerstwo Łódzkie Razem"],
        ["Partnerstwo Łódzkie Razem"],
    )


def test_map_counts_nothing_one_second_before_results_at_and_the_entry_at_it(client, clock, announced_at):
    edition = rf.results_edition(results_at=announced_at)
    rf.published_entry(edition, "Partnerstwo Łódzkie Razem", units=[rf.LODZ])

    clock(announced_at - SECOND)
    before = map_counts(client)["łódzkie"]
    clock(announced_at)

    assert (before, map_counts(client)["łódzkie"]) == (0, 1)


def test_a_page_cached_after_results_at_is_not_served_once_the_results_are_withdrawn(client):
    edition = rf.results_edition()
    entry = rf.published_entry(edition, "Partnerstwo Wycofane", images=1)
    urls = [*surfaces(entry).values(), "/dobre-praktyki/", "/mapa/"]
    shown = [client.get(url).status_code for url in urls]

    # No bump of the cache's generation: the fingerprint of public editions alone must keep the pages out.
    edition.results_withdrawn_at = timezone.now()
    edition.save(update_fields=["results_withdrawn_at"])

    hidden = [client.get(url) for url in urls]
    assert shown == [200] * 5
    assert [r.status_code for r in hidden] == [404, 404, 404, 200, 200]
    assert "Partnerstwo Wycofane" not in text(hidden[3])
    assert map_counts(client)["dolnośląskie"] == 0


def test_a_page_cached_before_results_at_is_not_served_after_it(client, clock, announced_at):
    edition = rf.results_edition(results_at=announced_at)
    rf.published_entry(edition, "Partnerstwo Cierpliwe")
    clock(announced_at - SECOND)
    before = [text(client.get(url)) for url in ("/dobre-praktyki/", "/mapa/")]

    clock(announced_at)
    after = [text(client.get(url)) for url in ("/dobre-praktyki/", "/mapa/")]

    assert ["Partnerstwo Cierpliwe" in page for page in before] == [False, False]
    assert "Partnerstwo Cierpliwe" in after[0]
    assert map_counts(client)["dolnośląskie"] == 1


def test_a_page_cached_while_public_is_hidden_when_results_at_moves_later(client):
    edition = rf.results_edition()
    rf.published_entry(edition, "Partnerstwo Przesunięte")
    assert client.get(f"/laureaci/{edition.year}/").status_code == 200

    edition.results_at = timezone.now() + datetime.timedelta(days=1)
    edition.save(update_fields=["results_at"])

    assert client.get(f"/laureaci/{edition.year}/").status_code == 404
    assert practices(client) == []


def test_draft_editions_results_are_hidden_everywhere(client):
    edition = rf.results_edition(is_draft=True)
    entry = rf.published_entry(edition, "Partnerstwo Robocze", images=1)

    answers = [client.get(url).status_code for url in surfaces(entry).values()]

    assert answers == [404, 404, 404]
    assert (practices(client), map_counts(client)["dolnośląskie"]) == ([], 0)


def test_results_of_an_edition_in_scoring_answer_like_a_year_that_never_was(client):
    edition = f.EditionFactory(phase="scoring", year=2031)
    rf.published_entry(edition, "Partnerstwo Tajne Przed Czasem")

    embargoed = client.get("/laureaci/2031/")
    unknown = client.get("/laureaci/2032/")

    assert (embargoed.status_code, unknown.status_code) == (404, 404)
    # The same page but for the address asked (the language switch returns to it) and the form's CSRF token.
    def page(response, path):
        body = response.content.decode().replace(path, "/laureaci/<year>/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', body)

    assert page(embargoed, "/laureaci/2031/") == page(unknown, "/laureaci/2032/")
    assert "Partnerstwo Tajne" not in text(embargoed)


# --- the results page and the detail page --------------------------------------------------------------------------


@pytest.fixture
def edition_with_results():
    edition = rf.results_edition(year=2025, number=19, theme="Razem dla klimatu")
    small = f.CategoryFactory(edition=edition, name="Gminy do 20 tys. mieszkańców", order=1)
    large = f.CategoryFactory(edition=edition, name="Duże miasta i metropolie", order=2)
    rf.published_entry(edition, "Partnerstwo Drugie", category=small, place=2, order=2)
    rf.published_entry(edition, "Partnerstwo Wyróżnione", category=small, outcome=DISTINCTION, order=0)
    rf.published_entry(
        edition,
        "Partnerstwo Pierwsze",
        category=small,
        place=1,
        order=5,
        units=[rf.LODZ, rf.KLUKI, rf.BOLESLAWIEC],
        citation="Za wzorową współpracę gmin.",
        images=2,
        documents=1,
    )
    rf.published_entry(edition, "Metropolia Łódzka", category=large, place=1, units=[rf.LODZ_CITY_COUNTY])
    return edition


def test_results_page_lists_laureates_by_place_then_distinctions_per_category(client, edition_with_results):
    response = client.get("/laureaci/2025/")

    page = text(response)
    headings = re.findall(r"<h([234])[^>]*>(?:<a [^>]+>)?([^<]+)", page)
    assert response.status_code == 200
    assert [(level, name) for level, name in headings if level in "234"][:9] == [
        ("2", "Category: Gminy do 20 tys. mieszkańców"),
        ("3", "Laureates"),
        ("4", "Partnerstwo Pierwsze"),
        ("4", "Partnerstwo Drugie"),
        ("3", "Distinctions"),
        ("4", "Partnerstwo Wyróżnione"),
        ("2", "Category: Duże miasta i metropolie"),
        ("3", "Laureates"),
        ("4", "Metropolia Łódzka"),
    ]


def test_results_page_shows_partners_voivodeships_citation_photos_and_presentation(client, edition_with_results):
    entry = PublishedEntry.objects.get(partnership_name="Partnerstwo Pierwsze")
    photos = list(entry.files.filter(kind=PublicFile.Kind.IMAGE))
    presentation = entry.files.get(kind=PublicFile.Kind.DOCUMENT)

    page = text(client.get("/laureaci/2025/"))

    assert "Gmina Miejska Łódź (leading partner), łódzkie voivodeship" in page
    assert "Gmina Kluki, łódzkie voivodeship" in page
    assert "Gmina Miejska Bolesławiec, dolnośląskie voivodeship" in page
    assert "Za wzorową współpracę gmin." in page
    assert "Laureate, place 1" in page
    for photo in photos:
        url = f"/laureaci/2025/partnerstwo-pierwsze/pliki/{photo.pk}/"
        # The small copy in the list, linked to the public copy.
        assert (
            f'<a href="{url}"><img src="{url}?size=small" alt="{photo.label}" width="8" height="8" loading="lazy" '
            'class="result-photo"></a>'
        ) in page
    assert f'<a href="/laureaci/2025/partnerstwo-pierwsze/pliki/{presentation.pk}/">Prezentacja projektu</a>' in page
    assert 'href="/laureaci/2025/partnerstwo-pierwsze/"' in page


def test_detail_page_shows_one_entry_under_its_own_heading(client, edition_with_results):
    response = client.get("/laureaci/2025/partnerstwo-pierwsze/")

    page = text(response)
    assert response.status_code == 200
    assert re.findall(r"<h1>([^<]+)</h1>", page) == ["Partnerstwo Pierwsze"]
    assert "Wspólny transport gminny" in page and "Za wzorową współpracę gmin." in page
    assert "Partnerstwo Drugie" not in page


def test_detail_page_of_an_unknown_address_or_another_years_entry_is_404(client, edition_with_results):
    other = rf.results_edition(year=2024, number=18)
    rf.published_entry(other, "Partnerstwo Z Roku 2024")

    answers = [
        client.get(url).status_code
        for url in ("/laureaci/2025/nie-ma-takiego/", "/laureaci/2025/partnerstwo-z-roku-2024/")
    ]

    assert answers == [404, 404]


def test_public_picture_is_served_inline_and_the_presentation_as_a_download(client, edition_with_results):
    entry = PublishedEntry.objects.get(partnership_name="Partnerstwo Pierwsze")
    photo = entry.files.filter(kind=PublicFile.Kind.IMAGE).first()
    presentation = entry.files.get(kind=PublicFile.Kind.DOCUMENT)

    picture = client.get(f"/laureaci/2025/partnerstwo-pierwsze/pliki/{photo.pk}/")
    document = client.get(f"/laureaci/2025/partnerstwo-pierwsze/pliki/{presentation.pk}/")

    # Streamed from our own origin on S3 too: the pages' Content-Security-Policy allows pictures from no other.
    assert (picture.status_code, picture["Content-Type"], b"".join(picture.streaming_content)) == (
        200,
        "image/jpeg",
        f.jpeg_bytes(),
    )
    assert picture["Content-Disposition"].startswith("inline")
    assert (document.status_code, document["Content-Type"]) == (200, "application/pdf")
    assert document["Content-Disposition"].startswith("attachment")


def test_public_picture_on_s3_redirects_to_a_short_presigned_address_shown_inline(edition_with_results, s3_server):
    from django.core.files.base import ContentFile

    from tests.conftest import live_s3_storage

    photo = PublishedEntry.objects.get(partnership_name="Partnerstwo Pierwsze").files.first()
    content = photo.file.read()
    photo.file.storage = live_s3_storage(s3_server[1], querystring_expire=60)
    photo.file.storage.save(photo.file.name, ContentFile(content))  # the same name on a live S3 server

    response = serve_file(photo.file, filename="partnerstwo-pierwsze-1.jpg", content_type="image/jpeg", inline=True)

    assert response.status_code == 302
    assert "X-Amz-Expires=60" in response["Location"]
    assert "response-content-disposition=inline" in response["Location"]
    assert "response-content-type=image%2Fjpeg" in response["Location"]


def test_public_file_through_another_entrys_address_is_404(client, edition_with_results):
    photo = PublishedEntry.objects.get(partnership_name="Partnerstwo Pierwsze").files.first()

    response = client.get(f"/laureaci/2025/partnerstwo-drugie/pliki/{photo.pk}/")

    assert response.status_code == 404


def test_public_file_missing_from_storage_is_404(client, edition_with_results):
    photo = PublishedEntry.objects.get(partnership_name="Partnerstwo Pierwsze").files.first()
    photo.file.storage.delete(photo.file.name)

    response = client.get(f"/laureaci/2025/partnerstwo-pierwsze/pliki/{photo.pk}/")

    assert response.status_code == 404


def test_public_pages_have_no_inline_style_or_script(client, edition_with_results):
    pages = [
        text(client.get(url))
        for url in ("/laureaci/2025/", "/laureaci/2025/partnerstwo-pierwsze/", "/dobre-praktyki/", "/mapa/")
    ]

    assert [("style=" in page, bool(re.search(r"<script(?![^>]*\bsrc=)", page))) for page in pages] == [
        (False, False)
    ] * 4


def test_results_pages_answer_post_with_405(client, edition_with_results):
    answers = [client.post(url).status_code for url in ("/laureaci/2025/", "/dobre-praktyki/", "/mapa/")]

    assert answers == [405, 405, 405]


@pytest.mark.polish
def test_results_page_in_polish(client, edition_with_results):
    page = text(client.get("/laureaci/2025/"))

    assert "<h1>Laureaci 2025</h1>" in page
    assert "Kategoria: Gminy do 20 tys. mieszkańców" in page
    assert "Laureat, miejsce 1" in page
    assert "Gmina Kluki, województwo łódzkie" in page
    assert ">Wyróżnienia</h3>" in page


# --- navigation -------------------------------------------------------------------------------------------------


def test_home_page_links_to_the_archive_and_the_map(client):
    page = text(client.get("/"))

    assert '<a href="/dobre-praktyki/">Browse the good practices of every edition</a>' in page
    assert '<a href="/mapa/">See on the map where the awarded partnerships come from</a>' in page


def test_edition_page_links_to_its_laureates_only_once_they_are_public(client):
    public = rf.results_edition(year=2025, number=19)
    scoring = f.EditionFactory(phase="scoring", year=2026, number=20)

    public_page = text(client.get(f"/edycje/{public.year}/"))
    scoring_page = text(client.get(f"/edycje/{scoring.year}/"))

    assert 'href="/laureaci/2025/">Laureates of 2025</a>' in public_page
    assert "/laureaci/" not in scoring_page


def test_editions_archive_links_to_the_good_practices(client):
    page = text(client.get("/edycje/"))

    assert '<a href="/dobre-praktyki/">Good practices of all editions</a>' in page


@pytest.mark.polish
def test_map_view_box_keeps_a_decimal_point_in_polish(client):
    """Polish formats 567.3 as 567,3; an SVG viewBox with a comma is four numbers the browser cannot use."""
    response = client.get("/mapa/")

    view_box = re.search(r'<svg[^>]*class="results-map"[^>]*>', response.content.decode())
    numbers = re.search(r'viewBox="([^"]*)"', view_box.group(0)).group(1).split()
    assert (response.status_code, len(numbers), all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers)) == (
        200,
        4,
        True,
    )


def test_the_lists_small_copy_is_served_with_the_same_checks_and_kept_briefly_by_caches(
    client, django_capture_on_commit_callbacks
):
    """?size=small serves a 480-pixel copy of a public picture (made once for a copy prepared without one), with
    a short public lifetime; after unpublication it is 404 like the picture itself."""
    import io as _io

    from PIL import Image as _Image

    from results import services as results_services

    edition = rf.results_edition()
    entry = rf.published_entry(edition, "Partnerstwo Fotograficzne", images=1)
    public = entry.files.get()
    buffer = _io.BytesIO()
    _Image.new("RGB", (1200, 800), (10, 120, 60)).save(buffer, "JPEG")
    public.file.save("duze.jpg", _io.BytesIO(buffer.getvalue()))
    PublicFile.objects.filter(pk=public.pk).update(width=1200, height=800)
    url = f"/laureaci/{edition.year}/{entry.slug}/pliki/{public.pk}/"

    small, again, full = client.get(url + "?size=small"), client.get(url + "?size=small"), client.get(url)

    widths = [_Image.open(_io.BytesIO(b"".join(r.streaming_content))).width for r in (small, again, full)]
    assert (small.status_code, widths, small["Cache-Control"]) == (200, [480, 480, 1200], "public, max-age=300")
    assert PublicFile.objects.get(pk=public.pk).thumbnail.name.endswith("-small.jpg")
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        results_services.unpublish(edition, by=organiser, reason="Błąd w protokole")
    assert client.get(url + "?size=small").status_code == 404
