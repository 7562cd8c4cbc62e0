"""Fixes of review 9b: the ranking page answers GET and HEAD (the page) and POST (its freeze form) only."""

import pytest
from django.urls import reverse

from jury.models import RankingSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_ranking_page_refuses_methods_other_than_get_head_and_post(client, settings, method):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition, _entries, _jurors = f.ranked_edition()
    client.force_login(f.UserFactory(is_organiser=True, is_staff=True))

    response = getattr(client, method)(reverse("jury:ranking", args=[edition.year]))

    assert (response.status_code, RankingSnapshot.objects.count()) == (405, 0)


def test_ranking_page_answers_head(client, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition, _entries, _jurors = f.ranked_edition()
    client.force_login(f.UserFactory(is_organiser=True, is_staff=True))

    assert client.head(reverse("jury:ranking", args=[edition.year])).status_code == 200
