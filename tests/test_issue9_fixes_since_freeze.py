"""Review of issue 9, finding 5: the ranking page and the protocol warn when the live scores changed after the last
freeze (a scorecard submitted, revised or counted again after the snapshot), with the count and, for organisers, a
link to freeze again."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jury import services
from jury.models import ConflictOfInterest, CriterionScore, Scorecard
from jury.services import ranking as ranking_service
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

WARNING = "The live scores changed after the last freeze"



@pytest.fixture
def ranked():
    return f.ranked_edition()


@pytest.fixture
def organiser():
    return f.UserFactory(is_organiser=True, is_staff=True)


def _revise(juror, entry, points):
    """A card revised after the freeze (scoring re-opened by moving its end): new points, a later submission."""
    card = Scorecard.objects.get(member=juror, application=entry)
    CriterionScore.objects.filter(scorecard=card).update(points=points)
    Scorecard.objects.filter(pk=card.pk).update(
        submitted_at=timezone.now() + datetime.timedelta(seconds=1), revision=card.revision + 1
    )


def _page(client, edition):
    return client.get(reverse("jury:ranking", args=[edition.year]))


def _pdf_text(response):
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# What counts as a change -------------------------------------------------------------------------------------------


def test_nothing_changed_after_the_freeze_gives_no_warning(ranked, organiser):
    edition, _entries, _jurors = ranked
    services.freeze_ranking(edition, by=organiser)

    since = ranking_service.changes_since_freeze(edition)

    assert (bool(since), since.cards, since.settings_changed) == (False, 0, False)


def test_never_frozen_gives_nothing_to_compare(ranked):
    edition, _entries, _jurors = ranked

    assert ranking_service.changes_since_freeze(edition) is None


def test_two_cards_revised_after_the_freeze_are_counted(ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)
    _revise(jurors[1], entries[2], 1)

    since = ranking_service.changes_since_freeze(edition)

    assert (bool(since), since.cards, since.number) == (True, 2, 1)


def test_a_card_submitted_again_with_the_same_points_is_counted(ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    card = Scorecard.objects.get(member=jurors[2], application=entries[0])
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() + datetime.timedelta(seconds=1))

    assert ranking_service.changes_since_freeze(edition).cards == 1


def test_a_card_counted_again_after_a_lifted_conflict_is_counted(ranked, organiser):
    edition, entries, jurors = ranked
    conflict = ConflictOfInterest.objects.create(
        member=jurors[2], application=entries[0], source="organiser", reason="Powiązania."
    )
    services.freeze_ranking(edition, by=organiser)
    services.lift_conflict(conflict, "Powiązania ustały.", by=organiser)

    assert ranking_service.changes_since_freeze(edition).cards == 1


def test_a_changed_method_is_reported_as_changed_settings(ranked, organiser):
    edition, _entries, _jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    edition.ranking_method = "median"
    edition.save(update_fields=["ranking_method"])

    since = ranking_service.changes_since_freeze(edition)

    assert (bool(since), since.cards, since.settings_changed) == (True, 0, True)


def test_freezing_again_clears_the_warning(ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)

    services.freeze_ranking(edition, by=organiser, at=timezone.now() + datetime.timedelta(seconds=2))

    assert bool(ranking_service.changes_since_freeze(edition)) is False


# The ranking page --------------------------------------------------------------------------------------------------


def test_ranking_page_warns_the_organiser_with_the_count_and_a_link_to_freeze_again(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)
    client.force_login(organiser)

    response = _page(client, edition)

    html = response.text
    assert (response.status_code, 'data-since-freeze="1"' in html) == (200, True)
    assert "(snapshot 1 of" in html and "1 scorecard was submitted, revised or changed since." in html
    assert '<a href="#ranking-freeze">Freeze the ranking again</a>' in html and 'id="ranking-freeze"' in html


def test_ranking_page_warns_the_chair_without_a_freeze_link(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[1], entries[1], 9)
    client.force_login(jurors[0].user)

    response = _page(client, edition)

    assert (response.status_code, WARNING in response.text, "Freeze the ranking again" in response.text) == (
        200,
        True,
        False,
    )
    assert "Ask the organisers to freeze the ranking again." in response.text


def test_ranking_page_without_changes_has_no_warning(client, ranked, organiser):
    edition, _entries, _jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    client.force_login(organiser)

    response = _page(client, edition)

    assert (response.status_code, WARNING in response.text, "data-since-freeze" in response.text) == (200, False, False)


def test_ranking_page_query_count_with_the_warning_does_not_grow_with_changes(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    client.force_login(organiser)
    _revise(jurors[0], entries[0], 9)
    with CaptureQueriesContext(connection) as one:
        small = _page(client, edition)
    for juror in jurors:
        for entry in entries:
            _revise(juror, entry, 2)
    with CaptureQueriesContext(connection) as many:
        large = _page(client, edition)

    assert (small.status_code, large.status_code) == (200, 200)
    assert 'data-since-freeze="9"' in large.text
    assert len(one) == len(many) <= 15


# The protocol ------------------------------------------------------------------------------------------------------


def test_protocol_warns_with_the_count_and_a_link_for_organisers(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)
    _revise(jurors[2], entries[2], 0)
    client.force_login(organiser)

    text = _pdf_text(client.get(reverse("jury:protocol", args=[edition.year])))

    assert WARNING in text and "2 scorecards were submitted, revised or changed since." in text
    assert "Freeze the ranking again" in text


def test_protocol_pdf_links_organisers_to_the_freeze_form(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)
    client.force_login(organiser)

    response = client.get(reverse("jury:protocol", args=[edition.year]))

    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(response.content)).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert f"http://testserver/jury/{edition.year}/ranking/#ranking-freeze" in [str(link) for link in links]


def test_protocol_for_the_chair_warns_without_a_link(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[1], entries[0], 9)
    client.force_login(jurors[0].user)

    text = _pdf_text(client.get(reverse("jury:protocol", args=[edition.year])))

    assert (WARNING in text, "Ask the organisers to freeze the ranking again." in text) == (True, True)
    assert "Freeze the ranking again" not in text


def test_protocol_without_changes_has_no_warning(client, ranked, organiser):
    edition, _entries, _jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    client.force_login(organiser)

    text = _pdf_text(client.get(reverse("jury:protocol", args=[edition.year])))

    assert (WARNING in text, "recorded when the ranking was frozen" in text) == (False, True)


@pytest.mark.polish
def test_ranking_page_warning_reads_in_polish_with_the_plural(client, ranked, organiser):
    edition, entries, jurors = ranked
    services.freeze_ranking(edition, by=organiser)
    _revise(jurors[0], entries[1], 9)
    _revise(jurors[1], entries[1], 9)
    client.force_login(organiser)

    response = _page(client, edition)

    assert response.status_code == 200
    assert "od tego czasu 2 karty oceny zostały złożone, poprawione lub zmienione." in response.text
    assert "Zamroź ranking ponownie" in response.text
