"""Fixes of review 9b, finding 7: an edition with entries but no criteria yet has nothing to rank by. Its ranking page,
protocol and export answer with every entry unscored and a notice; freezing is refused with a message."""

from unittest import mock

import pytest
from django.template import loader
from django.urls import reverse

from jury import services
from jury.models import RankingSnapshot
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

NOTICE = "This edition has no criteria yet, so there is nothing to rank by"



@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="deliberation")
    f.jury_entry(edition, 1)
    f.jury_entry(edition, 2)
    return edition


@pytest.fixture
def organiser(client):
    user = f.UserFactory(is_organiser=True, is_staff=True)
    client.force_login(user)
    return user


def test_ranking_without_criteria_lists_every_entry_unscored(edition):
    current = services.ranking_for(edition)

    assert (current.has_criteria, current.overall.rows) == (False, ())
    assert [code for category in current.categories for code in category.ranking.unscored] == [
        f"SLZ-{edition.year}-001",
        f"SLZ-{edition.year}-002",
    ]


def test_ranking_page_without_criteria_says_so(client, edition, organiser):
    response = client.get(reverse("jury:ranking", args=[edition.year]))

    assert (response.status_code, NOTICE in response.text) == (200, True)
    assert f"SLZ-{edition.year}-002" in response.text


def test_protocol_without_criteria_says_so(client, edition, organiser):
    real, captured = loader.render_to_string, {}

    def spy(name, context=None, *args, **kwargs):
        captured[name] = real(name, context, *args, **kwargs)
        return captured[name]

    with mock.patch("jury.views.protocol.render_to_string", spy):
        response = client.get(reverse("jury:protocol", args=[edition.year]))

    assert (response.status_code, NOTICE in captured["jury/protocol.html"]) == (200, True)


def test_ranking_export_without_criteria_is_headers_only(client, edition, organiser):
    response = client.get(reverse("jury:ranking_export", args=[edition.year, "csv"]))

    assert (response.status_code, len(response.content.decode("utf-8-sig").splitlines())) == (200, 1)


def test_freezing_without_criteria_is_refused_with_a_message(client, edition, organiser):
    with pytest.raises(services.JuryError, match="no criteria"):
        services.freeze_ranking(edition, by=organiser)

    response = client.post(reverse("jury:ranking", args=[edition.year]), follow=True)

    assert (response.status_code, RankingSnapshot.objects.count()) == (200, 0)
    assert "nothing to freeze" in response.text
