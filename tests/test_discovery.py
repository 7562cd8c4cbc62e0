"""Discovery: the Atom feed, the sitemap and robots.txt, the edition calendar, Open Graph tags; each result surface
silent one second before results_at and speaking at the second."""

import datetime
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from tests import factories
from tests.discovery_factories import Clock, edition_with_results_at, published_entry

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RESULTS_AT = datetime.datetime(2031, 11, 20, 12, 0, 0, tzinfo=WARSAW)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://slz.example.org"
    return settings.SITE_URL


@pytest.fixture
def awarded(site_url):
    edition = edition_with_results_at(RESULTS_AT, year=2031)
    published_entry(edition, "metropolia-poznan", partnership_name="Metropolia Poznań")
    published_entry(edition, "lodz-i-okolice", outcome="distinction", partnership_name="Łódź i okolice",
                    partners=("1061011",))
    return edition


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return {
        entry.findtext(f"{ATOM}id"): {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
        }
        for entry in root.findall(f"{ATOM}entry")
    }


def sitemap_locations(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.findall(f"{SITEMAP}url")}


# --- the Atom feed -------------------------------------------------------------------------------------------------


def test_feed_has_no_result_item_one_second_before_results_at(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT - SECOND)
    entries = atom_entries(client.get(reverse("contest:feed")))
    assert sorted(entries) == [
        "tag:slz.example.org,2025:slz/2031/call",
        "tag:slz.example.org,2025:slz/2031/deadline-approaching",
    ]
    assert b"laureat" not in client.get(reverse("contest:feed")).content.lower()


def test_feed_has_the_result_item_at_the_second(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT)
    entries = atom_entries(client.get(reverse("contest:feed")))
    item = entries["tag:slz.example.org,2025:slz/2031/results"]
    assert item == {
        "title": "Results announced: Edition 131 (2031)",
        "link": "https://slz.example.org/laureaci/2031/",
        "updated": RESULTS_AT,
    }


def test_feed_result_item_goes_away_when_results_are_withdrawn(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT + SECOND)
    type(awarded).objects.filter(pk=awarded.pk).update(results_withdrawn_at=RESULTS_AT)
    entries = atom_entries(client.get(reverse("contest:feed")))
    assert "tag:slz.example.org,2025:slz/2031/results" not in entries


def test_feed_call_item_appears_at_call_published_at(client, monkeypatch, site_url):
    edition = edition_with_results_at(RESULTS_AT, year=2031)
    Clock(monkeypatch, edition.call_published_at - SECOND)
    assert atom_entries(client.get(reverse("contest:feed"))) == {}
    Clock(monkeypatch, edition.call_published_at)
    assert list(atom_entries(client.get(reverse("contest:feed")))) == ["tag:slz.example.org,2025:slz/2031/call"]


def test_feed_leaves_out_draft_editions(client, monkeypatch, site_url):
    edition_with_results_at(RESULTS_AT, year=2031, is_draft=True)
    Clock(monkeypatch, RESULTS_AT + SECOND)
    assert atom_entries(client.get(reverse("contest:feed"))) == {}


@pytest.mark.polish
def test_feed_titles_are_polish(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT)
    titles = sorted(item["title"] for item in atom_entries(client.get(reverse("contest:feed"))).values())
    assert titles == [
        "Nabór wniosków: 131. edycja (2031)",
        "Ogłoszono wyniki: 131. edycja (2031)",
        "Został tydzień na złożenie wniosków: 131. edycja (2031)",
    ]


def test_feed_ids_stay_the_same_when_dates_move(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT + 10 * SECOND)
    before = set(atom_entries(client.get(reverse("contest:feed"))))
    type(awarded).objects.filter(pk=awarded.pk).update(results_at=RESULTS_AT + 5 * SECOND)
    assert set(atom_entries(client.get(reverse("contest:feed")))) == before


def test_feed_queries_do_not_grow_with_editions(client, monkeypatch, site_url, django_assert_max_num_queries):
    Clock(monkeypatch, RESULTS_AT + 400 * datetime.timedelta(days=1))
    for year in (2031, 2032):
        published_entry(edition_with_results_at(RESULTS_AT, year=year), f"laureat-{year}")
    with django_assert_max_num_queries(3):
        assert client.get(reverse("contest:feed")).status_code == 200
    for year in range(2033, 2040):
        edition = edition_with_results_at(RESULTS_AT, year=year)
        for number in range(3):
            published_entry(edition, f"laureat-{year}-{number}")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("contest:feed"))
    assert len(atom_entries(response)) == 9 * 3


# --- the sitemap and robots.txt ------------------------------------------------------------------------------------


def test_sitemap_lists_laureate_pages_only_from_results_at(client, monkeypatch, awarded):
    laureate = "https://slz.example.org/laureaci/2031/metropolia-poznan/"
    results = "https://slz.example.org/laureaci/2031/"
    Clock(monkeypatch, RESULTS_AT - SECOND)
    before = sitemap_locations(client.get(reverse("contest:sitemap")))
    assert "https://slz.example.org/edycje/2031/" in before
    assert [url for url in before if "/laureaci/" in url] == []
    Clock(monkeypatch, RESULTS_AT)
    after = sitemap_locations(client.get(reverse("contest:sitemap")))
    assert sorted(url for url in after if "/laureaci/" in url) == [
        results,
        "https://slz.example.org/laureaci/2031/lodz-i-okolice/",
        laureate,
    ]
    assert after[laureate].startswith("2031-11-20")


def test_sitemap_has_home_archive_and_edition_with_lastmod(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT - SECOND)
    locations = sitemap_locations(client.get(reverse("contest:sitemap")))
    for url in ("https://slz.example.org/", "https://slz.example.org/edycje/", "https://slz.example.org/edycje/2031/"):
        assert locations[url], url


def test_sitemap_ignores_the_host_header(client, monkeypatch, awarded, settings):
    settings.ALLOWED_HOSTS = ["*"]
    Clock(monkeypatch, RESULTS_AT)
    locations = sitemap_locations(client.get(reverse("contest:sitemap"), HTTP_HOST="evil.example.com"))
    assert all(url.startswith("https://slz.example.org/") for url in locations)


def test_sitemap_queries_do_not_grow_with_laureates(client, monkeypatch, site_url, django_assert_max_num_queries):
    Clock(monkeypatch, RESULTS_AT + SECOND)
    edition = edition_with_results_at(RESULTS_AT, year=2031)
    published_entry(edition, "jeden")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("contest:sitemap")).status_code == 200
    for number in range(20):
        published_entry(edition, f"laureat-{number}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("contest:sitemap"))
    assert len([url for url in sitemap_locations(response) if "/laureaci/2031/laureat-" in url]) == 20


def test_robots_txt_points_to_the_sitemap(client, site_url):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://slz.example.org/sitemap.xml" in lines
    assert "Disallow: /jury/" in lines


# --- the edition's calendar ----------------------------------------------------------------------------------------


def test_calendar_has_the_events_at_the_right_times(client, monkeypatch, site_url):
    Clock(monkeypatch, datetime.datetime(2032, 1, 10, 12, tzinfo=WARSAW))
    edition = factories.EditionFactory(
        year=2032,
        number=20,
        is_draft=False,
        call_published_at=datetime.datetime(2032, 1, 10, 12, tzinfo=WARSAW),
        submissions_open_at=datetime.datetime(2032, 2, 1, 9, tzinfo=WARSAW),
        submission_deadline=datetime.datetime(2032, 4, 30, 23, 59, 59, tzinfo=WARSAW),
        formal_review_ends_at=datetime.datetime(2032, 5, 31, 23, 59, 59, tzinfo=WARSAW),
        scoring_starts_at=datetime.datetime(2032, 6, 1, 9, tzinfo=WARSAW),
        scoring_ends_at=datetime.datetime(2032, 6, 30, 23, 59, 59, tzinfo=WARSAW),
        results_at=datetime.datetime(2032, 11, 20, 12, tzinfo=WARSAW),
        archived_at=None,
    )
    response = client.get(reverse("contest:edition_calendar", args=[edition.year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["PRODID"]).startswith("-//")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == [
        f"slz-2032-{key}@slz.example.org" for key in ("deadline", "formal-review", "results", "scoring", "submissions")
    ]
    deadline = events["slz-2032-deadline@slz.example.org"]
    assert deadline.decoded("DTSTART") == datetime.datetime(2032, 4, 30, 23, 59, 59, tzinfo=WARSAW)
    assert deadline.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert deadline["DTSTART"].params["TZID"] == "Europe/Warsaw"
    submissions = events["slz-2032-submissions@slz.example.org"]
    assert submissions.decoded("DTSTART") == datetime.datetime(2032, 2, 1, 8, tzinfo=datetime.UTC)
    assert submissions.decoded("DTEND") == edition.submission_deadline
    assert events["slz-2032-results@slz.example.org"].decoded("DTSTART") == edition.results_at
    assert events["slz-2032-scoring@slz.example.org"].decoded("DTEND") == edition.scoring_ends_at
    assert str(deadline["URL"]) == "https://slz.example.org/edycje/2032/"


def test_calendar_of_a_draft_or_unpublished_edition_is_404(client):
    draft = factories.EditionFactory(phase="draft")
    assert client.get(reverse("contest:edition_calendar", args=[draft.year])).status_code == 404
    assert client.get(reverse("contest:edition_calendar", args=[1999])).status_code == 404


def test_calendar_refuses_post(client):
    edition = factories.EditionFactory(phase="submissions")
    assert client.post(reverse("contest:edition_calendar", args=[edition.year])).status_code == 405


@pytest.mark.polish
def test_edition_page_links_to_its_calendar(client):
    edition = factories.EditionFactory(phase="submissions")
    response = client.get(reverse("contest:edition", args=[edition.year]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/edycje/{edition.year}/terminy.ics"' in body
    assert "Dodaj terminy do kalendarza" in body


# --- Open Graph ----------------------------------------------------------------------------------------------------


def meta(body):
    """property/name -> content of every <meta> tag in a page."""
    import html.parser

    found = {}

    class Parser(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "meta" and "content" in attrs:
                found[attrs.get("property") or attrs.get("name")] = attrs["content"]

    Parser().feed(body)
    return found


@pytest.mark.polish
def test_home_has_open_graph_defaults(client, site_url):
    response = client.get("/?utm=x")
    assert response.status_code == 200
    tags = meta(response.content.decode())
    assert tags["og:url"] == "https://slz.example.org/"
    assert tags["og:locale"] == "pl_PL"
    assert tags["og:site_name"] == "Samorządowy Lider Zarządzania – Razem dla Rozwoju"
    assert tags["og:type"] == "website"
    assert tags["twitter:card"] == "summary"
    assert tags["og:description"] == tags["description"] != ""


@pytest.mark.polish
def test_edition_page_overrides_open_graph(client, site_url):
    edition = factories.EditionFactory(phase="submissions", number=12, year=2028, theme="Partnerstwa <dla> klimatu")
    response = client.get(reverse("contest:edition", args=[edition.year]))
    tags = meta(response.content.decode())
    assert tags["og:title"] == "Edycja 12 (2028) – Samorządowy Lider Zarządzania – Razem dla Rozwoju"
    assert tags["og:description"] == "Partnerstwa <dla> klimatu"
    assert tags["og:url"] == "https://slz.example.org/edycje/2028/"
    assert "Partnerstwa &lt;dla&gt; klimatu" in response.content.decode()


def test_english_pages_say_en_gb(client, site_url):
    client.cookies["django_language"] = "en"
    tags = meta(client.get("/").content.decode())
    assert (tags["og:locale"], tags["og:locale:alternate"]) == ("en_GB", "pl_PL")
