"""Review 17 (it held): the organiser's applications list reads a few columns (`.only()`, 07bc3d8) under every sort key,
and with the search and voivodeship filters (which join the partners and add DISTINCT, strict on PostgreSQL), at two
sizes: same query count (no deferred field read per row), no error, every row shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import organiser_queries
from tests.test_applications_organiser import make_submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]

FILTERS = [{}, {"q": "SLZ", "voivodeship": "02", "status": "any"}]


@pytest.mark.parametrize("sort", [*organiser_queries.SORTS, "-leader"])
@pytest.mark.parametrize("filters", FILTERS, ids=["plain", "search-and-voivodeship"])
def test_organiser_list_every_sort_and_filter_same_queries_at_two_sizes(org, edition_in_submissions, sort, filters):
    url = reverse("applications:organiser_list", args=[edition_in_submissions.year])
    params = {"sort": sort, **filters}
    make_submitted(edition_in_submissions, 2)
    with CaptureQueriesContext(connection) as small:
        small_response = org.get(url, params)
    make_submitted(edition_in_submissions, 6)
    with CaptureQueriesContext(connection) as large:
        large_response = org.get(url, params)

    assert (small_response.status_code, large_response.status_code) == (200, 200)
    assert large_response.content.decode().count('name="ids"') == 8
    assert len(small.captured_queries) == len(large.captured_queries), [q["sql"] for q in large.captured_queries]
