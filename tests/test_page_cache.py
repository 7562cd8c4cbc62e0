"""The home page for visitors without a session comes from the set-up cache (contest.page_cache): the same page as a
rendered one, a CSRF token of each visitor's own that works, every change of the set-up shown at once, and anyone
with a session or a message waiting served a page rendered for them."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def _token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


@pytest.fixture
def edition():
    return factories.EditionFactory(phase="submissions", theme="Woda dla wszystkich")


def test_each_visitor_gets_a_working_language_switch_from_the_cached_page(edition):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = second.get("/")

    assert (page.status_code, len(queries), page.templates) == (200, 0, [])  # nothing rendered, nothing read
    assert "csrf-token-of-this-request" not in page.text and "csrftoken" in page.cookies
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(page)})
    assert switched.status_code == 302
    assert "Woda dla wszystkich" in second.get("/").text and 'lang="en"' in second.get("/").text


def test_a_token_from_someone_elses_cached_page_is_refused(edition):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = _token(first.get("/"))
    second.get("/")

    refused = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token + "x"})

    assert refused.status_code == 403


def test_an_edit_of_the_edition_shows_on_the_next_visit(client, edition):
    assert "Woda dla wszystkich" in client.get("/").text

    edition.theme = "Las dla wszystkich"
    edition.save()

    page = Client().get("/")
    assert "Las dla wszystkich" in page.text and "Woda dla wszystkich" not in page.text


def test_a_logged_in_visitor_never_gets_the_visitors_page(client, edition):
    Client().get("/")  # cached for visitors
    user = factories.UserFactory(email="wojt@gmina.example.pl")
    client.force_login(user)

    page = client.get("/")

    assert "wojt@gmina.example.pl" in page.text and page.templates


def test_a_message_waiting_in_a_cookie_is_shown(edition, rf):
    Client().get("/")
    visitor = Client()
    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Zapisano na powiadomienia")
    response = visitor.get("/")  # any response to carry the cookie
    storage.update(response)
    visitor.cookies["messages"] = response.cookies["messages"].value

    page = visitor.get("/")

    assert "Zapisano na powiadomienia" in page.text


def test_a_query_string_is_rendered_for_its_own_request(edition):
    Client().get("/")

    page = Client().get("/?utm_source=newsletter")

    assert page.templates and 'value="/?utm_source=newsletter"' in page.text
