"""The edition's ranking from SQL (jury.services.ranking) and its frozen snapshots: hash, recompute, refusals."""

import datetime
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Status
from contest.models import AuditEvent
from jury import services
from jury.models import ConflictOfInterest, JuryMember, RankingSnapshot
from tests import factories as f
from tests.test_issue9_fixes_snapshot import snapshot_triggers_dropped

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    return f.ranked_edition()


@pytest.fixture
def organiser():
    return f.UserFactory(is_organiser=True)


def _rows(result):
    return [(row.code[-3:], row.place, row.ex_aequo) for row in result.categories[0].ranking.rows]


def test_ranking_for_hand_computed_case_gives_places_and_ex_aequo(ranked):
    edition, _entries, _jurors = ranked

    result = services.ranking_for(edition)

    assert _rows(result) == [("001", 1, False), ("002", 2, True), ("003", 2, True)]


def test_ranking_for_hand_computed_case_gives_mean_and_flag(ranked):
    edition, _entries, _jurors = ranked

    top = services.ranking_for(edition).categories[0].ranking.rows[0]

    assert (top.mean, top.spread, top.flagged) == (Fraction(65, 3), 11, True)


def test_ranking_for_keeps_counting_decided_entries(ranked):
    edition, entries, _jurors = ranked
    entries[0].status = Status.LAUREATE
    entries[0].save(update_fields=["status"])

    result = services.ranking_for(edition)

    assert result.categories[0].ranking.rows[0].cards == 3


def test_ranking_for_leaves_out_conflicted_cards(ranked):
    edition, entries, jurors = ranked
    ConflictOfInterest.objects.create(member=jurors[2], application=entries[0], source="organiser")

    top = next(row for row in services.ranking_for(edition).categories[0].ranking.rows if row.code.endswith("001"))

    assert (top.cards, top.mean) == (2, 19)


def test_ranking_for_reads_scores_in_a_fixed_number_of_queries(ranked):
    edition, _entries, _jurors = ranked

    with CaptureQueriesContext(connection) as queries:
        services.ranking_for(edition)

    assert len(queries) == 3


def test_juror_numbers_follow_the_order_of_joining(ranked):
    edition, _entries, jurors = ranked

    numbers = list(
        JuryMember.objects.filter(edition=edition).order_by("joined_at", "id").values_list("number", flat=True)
    )

    assert numbers == [1, 2, 3]


def test_freeze_ranking_before_scoring_ends_is_refused():
    edition, _entries, _jurors = f.ranked_edition(phase="scoring")

    with pytest.raises(services.JuryError, match="only after scoring has ended"):
        services.freeze_ranking(edition, by=f.UserFactory(is_organiser=True))
    assert not RankingSnapshot.objects.filter(edition=edition).exists()


def test_freeze_ranking_one_second_after_the_end_is_allowed(ranked, organiser):
    edition, _entries, _jurors = ranked

    snapshot = services.freeze_ranking(
        edition, by=organiser, at=edition.scoring_ends_at + datetime.timedelta(seconds=1)
    )

    assert snapshot.number == 1


def test_freeze_ranking_at_the_last_second_of_scoring_is_refused(ranked, organiser):
    edition, _entries, _jurors = ranked

    with pytest.raises(services.JuryError, match="only after scoring has ended"):
        services.freeze_ranking(edition, by=organiser, at=edition.scoring_ends_at)


def test_freeze_ranking_stores_every_counted_score(ranked, organiser):
    edition, _entries, _jurors = ranked

    snapshot = services.freeze_ranking(edition, by=organiser)

    assert len(snapshot.scores) == 18
    assert [edition.ranking_snapshots.get().sha256] == [snapshot.sha256]


def test_freeze_ranking_again_keeps_the_old_snapshot(ranked, organiser):
    edition, _entries, _jurors = ranked
    first = services.freeze_ranking(edition, by=organiser)

    second = services.freeze_ranking(edition, by=organiser)

    assert list(edition.ranking_snapshots.order_by("number").values_list("number", "sha256")) == [
        (1, first.sha256),
        (2, second.sha256),
    ]


def test_freeze_ranking_is_audited_without_personal_data(ranked, organiser):
    edition, _entries, _jurors = ranked

    snapshot = services.freeze_ranking(edition, by=organiser)

    event = AuditEvent.objects.get(action="jury.ranking_frozen")
    assert event.data == {"number": 1, "sha256": snapshot.sha256, "scores": 18}
    assert organiser.email not in str(event.data)


def test_recompute_of_a_snapshot_matches(ranked, organiser):
    edition, _entries, _jurors = ranked
    snapshot = services.freeze_ranking(edition, by=organiser)

    assert services.recompute(RankingSnapshot.objects.get(pk=snapshot.pk))


def test_recompute_after_later_score_changes_still_matches_the_snapshot(ranked, organiser):
    edition, entries, jurors = ranked
    snapshot = services.freeze_ranking(edition, by=organiser)
    jurors[0].scorecards.filter(application=entries[1]).delete()

    assert services.recompute(RankingSnapshot.objects.get(pk=snapshot.pk))


def test_recompute_of_a_snapshot_with_a_tampered_score_does_not_match(ranked, organiser):
    edition, _entries, _jurors = ranked
    snapshot = services.freeze_ranking(edition, by=organiser)
    scores = snapshot.scores
    row = next(row for row in scores if row[0].endswith("002"))
    row[3] = 10
    with snapshot_triggers_dropped():  # the table refuses UPDATE (jury migration 0007)
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(scores=scores)

    checked = services.recompute(RankingSnapshot.objects.get(pk=snapshot.pk))

    assert (bool(checked), checked.result_matches, checked.hash_matches) == (False, False, False)


def test_recompute_of_a_snapshot_with_a_tampered_result_does_not_match(ranked, organiser):
    edition, _entries, _jurors = ranked
    snapshot = services.freeze_ranking(edition, by=organiser)
    result = snapshot.result
    result["categories"][0]["rows"][1]["place"] = 1
    with snapshot_triggers_dropped():  # the table refuses UPDATE (jury migration 0007)
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(result=result)

    checked = services.recompute(RankingSnapshot.objects.get(pk=snapshot.pk))

    assert (checked.result_matches, checked.hash_matches) == (False, True)


def test_recompute_of_a_snapshot_with_a_tampered_hash_does_not_match(ranked, organiser):
    edition, _entries, _jurors = ranked
    snapshot = services.freeze_ranking(edition, by=organiser)
    with snapshot_triggers_dropped():  # the table refuses UPDATE (jury migration 0007)
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(sha256="0" * 64)

    checked = services.recompute(RankingSnapshot.objects.get(pk=snapshot.pk))

    assert (checked.result_matches, checked.hash_matches) == (True, False)


def test_freeze_ranking_uses_the_editions_method(ranked, organiser):
    edition, _entries, _jurors = ranked
    edition.ranking_method = "median"
    edition.save(update_fields=["ranking_method"])

    snapshot = services.freeze_ranking(edition, by=organiser)

    assert (snapshot.settings["method"], snapshot.result["categories"][0]["rows"][0]["raw"]) == ("median", "22")


def test_edition_with_an_unknown_tie_rule_is_refused_by_clean(ranked):
    edition, _entries, _jurors = ranked
    edition.ranking_tie_rules = "criteria,coin"

    with pytest.raises(Exception, match="Unknown tie-break rule coin"):
        edition.full_clean()


def test_freeze_moment_is_now_by_default(ranked, organiser):
    edition, _entries, _jurors = ranked
    before = timezone.now()

    snapshot = services.freeze_ranking(edition, by=organiser)

    assert snapshot.created_at >= before


def test_freeze_ranking_without_any_score_stores_an_empty_ranking_that_recomputes(organiser):
    edition = f.EditionFactory(phase="deliberation")
    f.CriterionFactory(edition=edition)
    entry = f.jury_entry(edition, 1)

    snapshot = services.freeze_ranking(edition, by=organiser)

    assert snapshot.result["categories"][0]["unscored"] == [entry.code]
    assert services.recompute(snapshot)


def test_ranking_for_category_without_cards_lists_its_entries_as_unscored(ranked):
    edition, _entries, _jurors = ranked
    lonely = f.jury_entry(edition, 9, category=f.CategoryFactory(edition=edition, name="Powiaty", order=5))

    result = services.ranking_for(edition)

    assert [(c.name, c.ranking.unscored) for c in result.categories] == [("Gminy", ()), ("Powiaty", (lonely.code,))]


def test_edition_admin_shows_the_ranking_settings(admin_client, ranked):
    edition, _entries, _jurors = ranked

    response = admin_client.get(f"/admin/contest/edition/{edition.pk}/change/")

    assert response.status_code == 200
    for field in ("ranking_method", "ranking_standardise", "ranking_tie_rules", "ranking_disagreement_share"):
        assert f'name="{field}"' in response.text


def test_juror_joining_later_gets_the_next_number(ranked):
    edition, _entries, _jurors = ranked
    user = f.UserFactory(email="late.juror@example.com")

    member = JuryMember.objects.create(edition=edition, user=user)

    assert member.number == 4
