"""ranking_for() reads one SQL-aggregated row per scorecard; a snapshot computes from one row per criterion score.
Both must give the same ranking, also with incomplete, conflicted, unsubmitted and other editions' cards around."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury import services
from jury.models import ConflictOfInterest, CriterionScore, Scorecard
from jury.services import ranking as ranking_service
from tests import factories as f

pytestmark = pytest.mark.django_db


def _messy_edition(entries=6, jurors=4, seed=7):
    """Two categories, three criteria with decimal weights, standardisation on; one card with an empty point, one
    conflicted card, one draft card, one submitted card without any score, and a scored entry of another edition by
    another jury."""
    rng = random.Random(seed)
    edition = f.EditionFactory(phase="deliberation", ranking_standardise=True)
    categories = [f.CategoryFactory(edition=edition, name=name, order=k) for k, name in enumerate(("Gminy", "Powiaty"))]
    criteria = [
        f.CriterionFactory(edition=edition, max_points=max_points, weight=weight, order=k)
        for k, (max_points, weight) in enumerate(((10, "1.50"), (5, "2.00"), (20, "0.75")))
    ]
    apps = [f.jury_entry(edition, k + 1, category=categories[k % 2]) for k in range(entries)]
    members = [f.declared_juror(edition) for _ in range(jurors)]
    cards = [
        f.submitted_card(member, app, {c: rng.randint(0, c.max_points) for c in criteria})
        for app in apps
        for member in members
    ]
    CriterionScore.objects.filter(scorecard=cards[0], criterion=criteria[1]).update(points=None)
    ConflictOfInterest.objects.create(member=members[1], application=apps[2], source="organiser")
    Scorecard.objects.filter(pk=cards[-1].pk).update(status="draft")
    CriterionScore.objects.filter(scorecard=cards[-2]).delete()  # submitted, but without any score
    other = f.EditionFactory(phase="deliberation")
    other_criterion = f.CriterionFactory(edition=other, max_points=10)
    f.submitted_card(f.declared_juror(other), f.jury_entry(other, 1), {other_criterion: 3})
    return edition


def test_ranking_for_equals_the_ranking_computed_from_score_rows():
    edition = _messy_edition()

    live = services.ranking_for(edition)
    from_rows = ranking_service.compute(*ranking_service._inputs(edition))

    assert live.result() == from_rows.result()
    assert (live.incomplete, live.result()["alpha"]) == (1, from_rows.result()["alpha"])
    assert live.overall.scaled_cards == from_rows.overall.scaled_cards
    assert live.overall.effects == from_rows.overall.effects


def test_ranking_for_leaves_out_the_card_with_an_empty_point_the_conflicted_draft_and_empty_ones():
    edition = _messy_edition(entries=6, jurors=4)

    live = services.ranking_for(edition)

    assert len(live.overall.scaled_cards) == 6 * 4 - 4


@pytest.mark.parametrize("entries", [3, 30])
def test_ranking_for_reads_three_queries_at_any_size(entries):
    edition = _messy_edition(entries=entries, jurors=3)

    with CaptureQueriesContext(connection) as queries:
        result = services.ranking_for(edition)

    assert (len(queries), sum(len(c.ranking.rows) for c in result.categories)) == (3, entries)
