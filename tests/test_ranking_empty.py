"""jury.ranking.rank() on a pool without any counted scorecard (issue 9: it used to crash in _group_stats)."""

from decimal import Decimal

from jury.ranking import CriterionRow, RankingSettings, rank

ONE = (CriterionRow("c", 20, Decimal("1.00"), 0),)


def test_rank_without_cards_lists_every_entry_as_unscored():
    ranking = rank([], ONE, entries=["B", "A"])
    assert (ranking.rows, ranking.unscored) == ((), ("A", "B"))


def test_rank_without_cards_and_without_entries_is_empty():
    ranking = rank([], ONE)
    assert (ranking.rows, ranking.unscored) == ((), ())


def test_rank_without_cards_keeps_the_maximum_total():
    ranking = rank([], ONE, RankingSettings(standardise=True), entries=["A"])
    assert ranking.max_total == Decimal("20.00")


def test_rank_without_cards_has_no_reliability_and_no_effects():
    ranking = rank([], ONE, entries=["A"])
    assert (ranking.effects, ranking.reliability.alpha) == (None, None)
