"""The home page cached for visitors without a session (contest.page_cache): what one visitor sends must not end up
in the page every other visitor gets."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return factories.EditionFactory(phase="submissions", theme="Woda dla wszystkich")


def test_a_query_string_of_ampersands_does_not_end_up_in_every_visitors_page(edition):
    Client().get("/?&&")  # parsed as no parameters at all, but still part of the page's address

    page = Client().get("/")

    assert 'name="next" type="hidden" value="/"' in page.text


def test_english_for_one_visitor_is_not_the_page_of_the_next(edition):
    Client(headers={"accept-language": "en"}).get("/")

    page = Client(headers={"accept-language": "pl"}).get("/")

    assert 'lang="pl"' in page.text


def test_a_head_request_caches_the_same_page_a_get_then_gets(edition):
    Client().head("/")

    page = Client().get("/")

    assert "Woda dla wszystkich" in page.text and "csrf-token-of-this-request" not in page.text
