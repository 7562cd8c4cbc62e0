"""ranking_for() reads one SQL-aggregated row per scorecard; a snapshot computes from one row per criterion score.
Both must give the same ranking, also with incomplete, conflicted, unsubmitted and other editions' cards around."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury import services
from jury.models import Assignment, ConflictOfInterest, CriterionScore, Scorecard
from jury.queries import counted_scorecards
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


def _unpacked(card):
    """{criterion id: points or None} from the card's packed text as the database left it."""
    text = Scorecard.objects.values_list("packed_points", flat=True).get(pk=card.pk)
    values = [int(value) for value in text.split(",")] if text else []
    return {cid: (None if points < 0 else points) for cid, points in zip(values[::2], values[1::2], strict=True)}


def _stored(card):
    return dict(CriterionScore.objects.filter(scorecard=card).values_list("criterion_id", "points"))


def test_the_database_repacks_a_card_whichever_way_its_scores_are_written():
    edition = f.EditionFactory(phase="deliberation")
    first, second = (f.CriterionFactory(edition=edition, max_points=10, order=k) for k in range(2))
    card = f.submitted_card(f.declared_juror(edition), f.jury_entry(edition, 1), {first: 4, second: 9})
    assert _unpacked(card) == _stored(card) == {first.pk: 4, second.pk: 9}

    CriterionScore.objects.filter(scorecard=card, criterion=first).update(points=7)  # a bulk UPDATE
    assert _unpacked(card) == {first.pk: 7, second.pk: 9}
    CriterionScore.objects.filter(scorecard=card, criterion=second).update(points=None)  # a point emptied
    assert _unpacked(card) == {first.pk: 7, second.pk: None}
    with connection.cursor() as cursor:  # a raw statement, past the ORM and the scoring service
        cursor.execute("UPDATE jury_criterionscore SET points = 2 WHERE scorecard_id = %s", [card.pk])
    assert _unpacked(card) == _stored(card) == {first.pk: 2, second.pk: 2}
    CriterionScore.objects.filter(scorecard=card, criterion=second).delete()
    assert _unpacked(card) == {first.pk: 2}
    CriterionScore.objects.filter(scorecard=card).delete()
    assert _unpacked(card) == {}
    CriterionScore.objects.bulk_create([CriterionScore(scorecard=card, criterion=second, points=5)])
    assert _unpacked(card) == _stored(card) == {second.pk: 5}


def test_a_score_changed_past_the_service_changes_the_live_ranking_at_once():
    """The ranking page must never show a ranking the scores no longer give: the packed copy is the database's."""
    edition = _messy_edition()
    before = services.ranking_for(edition).result()
    counted = counted_scorecards(edition).values("pk")
    score = CriterionScore.objects.filter(scorecard__in=counted, points__gt=0).order_by("-pk").first()  # complete
    with connection.cursor() as cursor:
        cursor.execute("UPDATE jury_criterionscore SET points = 0 WHERE id = %s", [score.pk])

    after = services.ranking_for(edition)
    assert after.result() != before
    assert after.result() == ranking_service.compute(*ranking_service._inputs(edition)).result()


def test_the_scoring_service_saving_the_card_after_its_scores_keeps_them_packed():
    """The service saves the scores, then the card it read before them: that save must not write back the card's
    old packed text (a ranking without the revision just submitted)."""
    edition = f.EditionFactory(phase="scoring", min_justification_length=0)
    criteria = [f.CriterionFactory(edition=edition, max_points=10, order=k) for k in range(3)]
    juror, entry = f.declared_juror(edition), f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    values = {c.pk: (k + 1, "Uzasadnienie oceny.") for k, c in enumerate(criteria)}
    card = services.save_scorecard_draft(juror, entry, values, by=juror.user)
    assert _unpacked(card) == {c.pk: k + 1 for k, c in enumerate(criteria)}

    card = services.submit_scorecard(juror, entry, {**values, criteria[0].pk: (10, "Zmiana oceny.")}, by=juror.user)
    assert _unpacked(card) == _stored(card) == {criteria[0].pk: 10, criteria[1].pk: 2, criteria[2].pk: 3}
    card.save()  # a later full save of a stale object
    card.save(update_fields=["packed_points", "overall_comment"])
    assert _unpacked(card) == {criteria[0].pk: 10, criteria[1].pk: 2, criteria[2].pk: 3}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's")
def test_postgresql_knows_member_application_pairs_are_distinct():
    """Without these statistics the planner reads the counted cards through 30,000 memoised index probes that never
    hit (jury migration 0014; benchmarks/ranking_page.py shows the difference)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname, array_to_string(stxkind, ',') FROM pg_statistic_ext"
            " WHERE stxrelid IN ('jury_assignment'::regclass, 'jury_scorecard'::regclass) ORDER BY stxname"
        )
        rows = cursor.fetchall()
    assert rows == [("jury_assignment_pair", "d"), ("jury_scorecard_pair", "d")]
