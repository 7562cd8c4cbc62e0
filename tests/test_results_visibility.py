"""The editions whose results are public, as the public pages ask it on every request (compiled SQL) and as every
other surface asks it (the queryset): the same rows at every moment around results_at, to the second."""

import datetime

import pytest
from django.utils import timezone

from results.visibility import public_edition_years, public_result_editions
from tests import results_factories as rf

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)


def test_compiled_years_agree_with_the_queryset_around_results_at():
    announced = rf.to_second() + datetime.timedelta(minutes=1)
    later = rf.results_edition(results_at=announced, year=2031, number=31)
    rf.results_edition(year=2029, number=29)  # announced long ago
    rf.results_edition(results_at=announced - SECOND, year=2030, number=30, is_draft=True)
    withdrawn = rf.results_edition(year=2028, number=28)
    withdrawn.results_withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["results_withdrawn_at"])
    moments = [
        announced - SECOND,
        announced - datetime.timedelta(microseconds=1),
        announced,
        announced + datetime.timedelta(microseconds=999_999),
    ]

    compiled = [public_edition_years(at) for at in moments]
    queried = [list(public_result_editions(at).order_by("-year").values_list("id", "year")) for at in moments]

    assert compiled == queried
    assert [[year for _pk, year in rows] for rows in compiled] == [[2029], [2029], [2031, 2029], [2031, 2029]]
    assert later.pk == compiled[2][0][0]
