"""The ranking page: who sees it and when, jurors by number, the hand-computed case, freezing, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jury.models import RankingSnapshot
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def ranked():
    return f.ranked_edition()


def _url(edition):
    return reverse("jury:ranking", args=[edition.year])


def _organiser_client(client):
    client.force_login(f.UserFactory(is_organiser=True))
    return client


def test_ranking_page_organiser_after_scoring_sees_ranking(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    assert response.status_code == 200
    assert "Close scoring and freeze the ranking" in response.text


def test_ranking_page_chair_after_scoring_sees_ranking_without_freeze_button(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    response = client.get(_url(edition))

    assert response.status_code == 200
    assert "SLZ-" in response.text and "Close scoring and freeze the ranking" not in response.text


def test_ranking_page_juror_gets_404(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[1].user)

    assert client.get(_url(edition)).status_code == 404


def test_ranking_page_chair_of_another_edition_gets_404(client, ranked):
    edition, _entries, _jurors = ranked
    other = f.declared_juror(f.EditionFactory(phase="deliberation"), is_chair=True)
    client.force_login(other.user)

    assert client.get(_url(edition)).status_code == 404


def test_ranking_page_during_scoring_is_refused_to_organisers(client):
    edition, _entries, _jurors = f.ranked_edition(phase="scoring")

    response = _organiser_client(client).get(_url(edition))

    assert response.status_code == 403


def test_ranking_page_during_scoring_is_refused_to_the_chair(client):
    edition, _entries, jurors = f.ranked_edition(phase="scoring")
    client.force_login(jurors[0].user)

    assert client.get(_url(edition)).status_code == 403


def test_ranking_page_hides_jurors_names_by_default(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    assert "Nazwisko" not in response.text and "Juror 3" in response.text


def test_ranking_page_organiser_switches_names_on_for_themself(client, ranked):
    edition, _entries, _jurors = ranked
    _organiser_client(client).get(_url(edition) + "?names=1")

    response = client.get(_url(edition))

    assert "Sędzia Nazwisko3 (Juror 3)" in response.text


def test_ranking_page_organiser_switches_names_off_again(client, ranked):
    edition, _entries, _jurors = ranked
    _organiser_client(client).get(_url(edition) + "?names=1")

    response = client.get(_url(edition) + "?names=0")

    assert "Nazwisko" not in response.text


def test_ranking_page_chair_cannot_switch_names_on(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    response = client.get(_url(edition) + "?names=1")

    assert "Nazwisko" not in response.text and "Juror 2" in response.text


def test_ranking_page_shows_the_hand_computed_case(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    rows = response.context["categories"][0]["rows"]
    assert [(r["code"][-3:], r["place"], r["ex_aequo"], str(r["raw"]), r["flagged"]) for r in rows] == [
        ("001", 1, False, "21.67", True),
        ("002", 2, True, "15.00", False),
        ("003", 2, True, "15.00", False),
    ]


def test_ranking_page_shows_charts_without_style_attributes(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    assert response.text.count("<svg") == 2 and "style=" not in response.text


def test_ranking_page_shows_the_reliability_reading(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    assert "Krippendorff's alpha (interval): 0.342." in response.text and "Low agreement: the jurors" in response.text


def test_ranking_page_post_freezes_and_lists_the_snapshot(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).post(_url(edition), follow=True)

    snapshot = RankingSnapshot.objects.get(edition=edition)
    assert snapshot.sha256 in response.text


def test_ranking_page_chair_cannot_freeze(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    response = client.post(_url(edition))

    assert response.status_code == 403 and not RankingSnapshot.objects.exists()


def test_ranking_page_freeze_during_scoring_is_refused(client):
    edition, _entries, _jurors = f.ranked_edition(phase="scoring")

    response = _organiser_client(client).post(_url(edition))

    assert response.status_code == 403 and not RankingSnapshot.objects.exists()


def _grow(edition, entries, jurors, extra, *, first=4, name="Powiaty"):
    """Add `extra` entries in another category, scored by every juror."""
    category = f.CategoryFactory(edition=edition, name=name)
    criteria = list(edition.criteria.order_by("order"))
    for number in range(first, first + extra):
        entry = f.jury_entry(edition, number, category=category)
        for k, juror in enumerate(jurors):
            f.submitted_card(juror, entry, {criteria[0]: (number + k) % 11, criteria[1]: (number * k) % 11})


def _count(client, edition):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(edition))
    assert response.status_code == 200
    return len(queries)


def test_ranking_page_query_count_does_not_grow_with_data(client, ranked):
    edition, entries, jurors = ranked
    _organiser_client(client)
    client.post(_url(edition))
    unchanged = _count(client, edition)  # nothing changed since the freeze: the snapshot's scores are not read
    _grow(edition, entries, jurors, 12)
    jurors.append(f.declared_juror(edition))
    small = _count(client, edition)  # changed: one more reads them, one more which cards submitted since count
    _grow(edition, entries, jurors, 12, first=40, name="Miasta")
    jurors.append(f.declared_juror(edition))

    large = _count(client, edition)

    assert unchanged + 2 == small == large <= 15


@pytest.mark.polish
def test_ranking_page_in_polish_is_translated(client, ranked):
    edition, _entries, _jurors = ranked

    response = _organiser_client(client).get(_url(edition))

    text = response.text
    assert "Zamknij ocenę i zamroź ranking" in text and "Juror 3" in text and "Alfa Krippendorffa" in text
    assert "Niska zgodność" in text and "Rozkład sum punktów według jurorów" in text


def test_ranking_page_anonymous_is_sent_to_log_in(client, ranked):
    edition, _entries, _jurors = ranked

    response = client.get(_url(edition))

    assert response.status_code == 302 and "login" in response["Location"]


def test_ranking_page_without_any_scorecard_says_so(client):
    edition = f.EditionFactory(phase="deliberation")
    f.CriterionFactory(edition=edition)
    category = f.CategoryFactory(edition=edition, name="Gminy")
    f.jury_entry(edition, 1, category=category)

    response = _organiser_client(client).get(_url(edition))

    assert response.status_code == 200
    assert "No counted scorecards in this category." in response.text and "<svg" not in response.text


def test_ranking_page_lists_an_entry_without_counted_cards(client, ranked):
    edition, entries, _jurors = ranked
    late = f.jury_entry(edition, 4, category=entries[0].category)

    response = _organiser_client(client).get(_url(edition))

    assert f"Without any counted scorecard: {late.code}" in response.text
