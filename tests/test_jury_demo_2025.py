"""seed_demo gives the finished 2025 edition its jury's past: scorecards, a frozen snapshot, locked decisions."""

import io

import pytest
from django.core.management import call_command

from jury import services
from jury.models import Decision, DecisionLock, JuryMember, RankingSnapshot, Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seeded_demo, settings):
    settings.DEBUG = True  # seed_demo runs only in development
    return seeded_demo


def test_seed_demo_2025_has_a_numbered_jury_with_a_chair(seeded):
    members = JuryMember.objects.filter(edition__year=2025)
    assert sorted(members.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert list(members.filter(is_chair=True).values_list("number", flat=True)) == [1]


def test_seed_demo_2025_every_juror_submitted_every_accepted_entry(seeded):
    cards = Scorecard.objects.filter(member__edition__year=2025)
    entries = services.ranking_for(JuryMember.objects.filter(edition__year=2025).first().edition).settings["entries"]
    assert cards.filter(status="submitted").count() == cards.count() == 6 * len(entries) > 0


def test_seed_demo_2025_snapshot_exists_and_recomputes(seeded):
    snapshot = RankingSnapshot.objects.get(edition__year=2025)
    recomputed = services.recompute(snapshot)
    assert (recomputed.result_matches, recomputed.hash_matches) == (True, True)


def test_seed_demo_2025_flags_an_entry_the_jurors_disagree_on(seeded):
    edition = RankingSnapshot.objects.get(edition__year=2025).edition
    assert len(services.ranking_for(edition).overall.flagged) == 1


def test_seed_demo_2025_decides_every_entry_and_locks_with_a_reason(seeded):
    edition = RankingSnapshot.objects.get(edition__year=2025).edition
    outcomes = set(Decision.objects.filter(edition=edition).values_list("outcome", flat=True))
    lock = DecisionLock.objects.get(edition=edition)
    assert outcomes == {"laureate", "distinction", "finalist", "not_awarded"} and lock.reason
    assert Decision.objects.filter(edition=edition).count() == len(services.ranking_for(edition).settings["entries"])
    laureate = Decision.objects.get(edition=edition, outcome="laureate", place=1)
    assert laureate.citation.startswith("Za ")


def test_seed_demo_prints_the_2025_alpha(seeded):
    assert "2025 jury: 6 jurors" in seeded and "Krippendorff's alpha 0." in seeded


def test_seed_demo_2025_is_idempotent(seeded, settings):
    counts = (Scorecard.objects.count(), RankingSnapshot.objects.count(), Decision.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Scorecard.objects.count(), RankingSnapshot.objects.count(), Decision.objects.count()) == counts
