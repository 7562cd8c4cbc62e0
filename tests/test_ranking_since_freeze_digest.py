"""The ranking page tells whether the live scores changed after the last freeze from a digest of the counted cards
(RankingSnapshot.cards_digest), without reading the snapshot's every score; anything that changes the counted points
still shows, exactly as the full comparison counts it."""

import pytest

from jury import services
from jury.models import ConflictOfInterest, CriterionScore, Scorecard
from jury.services import ranking as ranking_service
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    edition, entries, jurors = f.ranked_edition()
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    services.freeze_ranking(edition, by=organiser)
    return edition, entries, jurors


def _as_the_page_asks(edition):
    """(what the page finds, whether it read the snapshot's scores), the way the ranking page asks."""
    snapshot = ranking_service.latest_snapshot(edition, defer=("result", "scores"))
    since = ranking_service.changes_since_freeze(edition, services.ranking_for(edition), snapshot)
    return since, "scores" not in snapshot.get_deferred_fields()


def _full_comparison(edition):
    return ranking_service.changes_since_freeze(edition)  # reads every score of both, card by card


def test_a_fresh_snapshot_holds_the_digest_of_the_cards_it_froze(frozen):
    edition, _entries, _jurors = frozen

    snapshot = ranking_service.latest_snapshot(edition)

    assert snapshot.cards_digest == ranking_service.live_cards_digest(edition) and len(snapshot.cards_digest) == 64


def test_nothing_changed_is_told_without_reading_the_snapshots_scores(frozen):
    edition, _entries, _jurors = frozen

    since, read_scores = _as_the_page_asks(edition)

    assert (bool(since), since.cards, read_scores) == (False, 0, False)


def test_points_changed_without_a_new_submission_are_found(frozen):
    edition, entries, jurors = frozen
    card = Scorecard.objects.get(member=jurors[0], application=entries[1])
    score = CriterionScore.objects.filter(scorecard=card).order_by("criterion_id").first()
    CriterionScore.objects.filter(pk=score.pk).update(points=(score.points + 1) % 10)

    since, read_scores = _as_the_page_asks(edition)

    assert (since.cards, read_scores) == (1, True) and since.cards == _full_comparison(edition).cards


@pytest.mark.parametrize("change", ["points removed", "score deleted"])
def test_a_score_emptied_or_deleted_is_found(frozen, change):
    edition, entries, jurors = frozen
    card = Scorecard.objects.get(member=jurors[1], application=entries[0])
    scores = CriterionScore.objects.filter(scorecard=card).order_by("criterion_id")
    if change == "points removed":
        scores.filter(pk=scores.first().pk).update(points=None)
    else:
        scores.first().delete()

    since, _read = _as_the_page_asks(edition)

    assert since.cards == 1 == _full_comparison(edition).cards


def test_a_card_counted_again_after_a_lifted_conflict_is_found(frozen):
    edition, entries, jurors = frozen
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    conflict = ConflictOfInterest.objects.create(
        member=jurors[2], application=entries[0], source="organiser", reason="Powiązania."
    )
    since, _read = _as_the_page_asks(edition)
    assert since.cards == 1  # the conflict took a frozen card out of the count

    services.lift_conflict(conflict, "Powiązania ustały.", by=organiser)

    since, read_scores = _as_the_page_asks(edition)
    assert (since.cards, read_scores) == (0, False)  # the same counted cards as when frozen
