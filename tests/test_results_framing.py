"""The whole public page cached for visitors who are not signed in (results.framing): each still gets a CSRF token
that works with their own cookie and their own address in the language form; signed-in users and visitors with a
message waiting get their own frame; a hit costs one query."""

import html
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.test.client import RequestFactory

from tests import factories as f
from tests import results_factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def results_url():
    edition = rf.results_edition(year=2025, number=19)
    rf.published_entry(edition, "Partnerstwo Łódzkie", units=[rf.LODZ], images=1)
    return "/laureaci/2025/"


def token_and_next(response):
    page = response.content.decode()
    form = re.search(r'<form action="/i18n/setlang/".*?</form>', page, re.S)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    return token, html.unescape(re.search(r'name="next" type="hidden" value="([^"]*)"', form)[1])


def test_each_anonymous_visitor_gets_a_token_that_works_with_their_own_cookie(results_url):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(results_url), second.get(results_url)  # the second is a cache hit
    first_token, _next = token_and_next(first_page)
    second_token, _next = token_and_next(second_page)

    switched = second.post(
        "/i18n/setlang/", {"language": "en", "next": results_url, "csrfmiddlewaretoken": second_token}
    )
    crossed = first.post("/i18n/setlang/", {"language": "en", "next": results_url, "csrfmiddlewaretoken": "x" * 64})

    assert (first_page.status_code, second_page.status_code) == (200, 200)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first_token != second_token
    assert (switched.status_code, switched["Location"]) == (302, results_url)
    assert crossed.status_code == 403


def test_the_language_form_returns_to_the_address_of_each_request_escaped(client, results_url):
    client.get(results_url)
    response = client.get(f"{results_url}?fbclid=abc&utm_source=%22facebook%22")

    _token, next_url = token_and_next(response)
    assert response.status_code == 200
    assert next_url == f"{results_url}?fbclid=abc&utm_source=%22facebook%22"
    assert f'value="{results_url}?fbclid=abc&amp;utm_source=%22facebook%22"' in response.content.decode()


def test_signed_in_user_gets_their_own_frame_around_a_cached_page(client, results_url):
    anonymous = client.get(results_url)
    client.force_login(f.UserFactory(email="koordynator@gmina.example"))
    signed_in = client.get(results_url)
    client.logout()
    anonymous_again = Client().get(results_url)

    assert (anonymous.status_code, signed_in.status_code, anonymous_again.status_code) == (200, 200, 200)
    assert "koordynator@gmina.example" in signed_in.content.decode()
    assert "koordynator@gmina.example" not in anonymous_again.content.decode()
    assert 'href="/accounts/login/"' in anonymous_again.content.decode()


def test_a_waiting_message_is_shown_once_then_the_shared_page_again(client, results_url):
    client.get(results_url)
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Wiadomość dla tego gościa")
    response = client.get("/")  # any response to carry the cookie storage's encoding
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value

    with_message = client.get(results_url)
    after = client.get(results_url)

    assert (with_message.status_code, after.status_code) == (200, 200)
    assert "Wiadomość dla tego gościa" in with_message.content.decode()
    assert "Wiadomość dla tego gościa" not in after.content.decode()


@pytest.mark.parametrize("laureates", [1, 12])
def test_a_cached_hit_for_an_anonymous_visitor_costs_one_query(client, django_assert_max_num_queries, laureates):
    edition = rf.results_edition(year=2025, number=19)
    category = f.CategoryFactory(edition=edition)
    for number in range(laureates):
        rf.published_entry(edition, f"Partnerstwo {number}", category=category, images=1)
    assert client.get("/laureaci/2025/").status_code == 200

    with django_assert_max_num_queries(1):
        response = client.get("/laureaci/2025/")

    assert response.status_code == 200


def test_a_process_copy_is_not_served_a_second_after_the_shared_cache_is_emptied(client, results_url, monkeypatch):
    """A process reads the shared generation at most once a second (results.cache.GENERATION_LOCAL_TIMEOUT): once
    that second has passed, an emptied shared cache means new pages, whatever this process kept."""
    import time

    from django.core.cache import cache

    from results import cache as results_cache
    from results.models import PublishedEntry

    before = client.get(results_url)
    PublishedEntry.objects.update(partnership_name="Partnerstwo Po Zmianie")  # no bump: only the cache is emptied
    cache.clear()
    later = time.monotonic() + results_cache.GENERATION_LOCAL_TIMEOUT + 0.1
    monkeypatch.setattr(results_cache.time, "monotonic", lambda: later)
    after = client.get(results_url)

    assert (before.status_code, after.status_code) == (200, 200)
    assert "Partnerstwo Łódzkie" in before.content.decode()
    assert "Partnerstwo Po Zmianie" in after.content.decode()
