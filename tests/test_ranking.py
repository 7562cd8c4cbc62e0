"""The pure ranking: hand-computed totals, methods, ties, ex aequo, standardisation, disagreement, alpha and charts."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from jury.ranking import (
    CardRow,
    CriterionRow,
    RankingSettings,
    _alpha_interval_closed_form,
    entry_spread_chart,
    fit_juror_effects,
    juror_distribution_chart,
    max_total,
    rank,
    reliability,
    scorecard_totals,
    stability,
    to_decimal,
)

ONE = (CriterionRow("c", 20, Decimal("1.00"), 0),)


def _cards(totals):
    """{entry: {juror: points}} on the single criterion ONE -> CardRows."""
    return [
        CardRow(entry, juror, {"c": points}) for entry, by_juror in totals.items() for juror, points in by_juror.items()
    ]


def _places(ranking):
    return [(row.code, row.place) for row in ranking.rows]


# --- per scorecard ---------------------------------------------------------------------------------------------------


def test_scorecard_total_is_weighted_sum_and_percentage_of_maximum():
    criteria = (CriterionRow(1, 10, Decimal("1.50"), 0), CriterionRow(2, 5, Decimal("2.00"), 1))
    (card,) = scorecard_totals([CardRow("A", 1, {1: 8, 2: 3})], criteria)
    assert (card.total, card.percent) == (Fraction(18), Fraction(72))  # 8×1.5 + 3×2 = 18 of 15 + 10 = 25


def test_scorecard_total_is_exact_with_two_decimal_weights():
    criteria = (CriterionRow(1, 10, Decimal("0.33"), 0), CriterionRow(2, 10, Decimal("0.67"), 1))
    (card,) = scorecard_totals([CardRow("A", 1, {1: 1, 2: 2})], criteria)
    assert card.total == Fraction(167, 100)
    assert max_total(criteria) == Fraction(10)


def test_to_decimal_rounds_half_up_to_two_places():
    assert [to_decimal(Fraction(1, 200)), to_decimal(Fraction(2, 3)), to_decimal(None)] == [
        Decimal("0.01"),
        Decimal("0.67"),
        None,
    ]


# --- methods ---------------------------------------------------------------------------------------------------------


def test_methods_on_five_cards_drop_highest_and_lowest_for_trimmed():
    (row,) = rank(_cards({"A": {1: 1, 2: 2, 3: 3, 4: 4, 5: 10}}), ONE).rows
    assert (row.mean, row.median, row.trimmed) == (Fraction(4), Fraction(3), Fraction(3))


def test_trimmed_mean_with_four_cards_is_the_plain_mean():
    (row,) = rank(_cards({"A": {1: 1, 2: 2, 3: 3, 4: 10}}), ONE).rows
    assert (row.mean, row.median, row.trimmed, row.trimmed_applied) == (Fraction(4), Fraction(5, 2), Fraction(4), False)


METHOD_CASE = {"A": {1: 1, 2: 2, 3: 3, 4: 4, 5: 10}, "B": {1: 3, 2: 3, 3: 4, 4: 4, 5: 4}}  # A: 4/3/3; B: 3.6/4/11/3


@pytest.mark.parametrize(("method", "order"), [("mean", ["A", "B"]), ("median", ["B", "A"]), ("trimmed", ["B", "A"])])
def test_method_chosen_by_the_edition_decides_the_order(method, order):
    ranking = rank(_cards(METHOD_CASE), ONE, RankingSettings(method=method))
    assert _places(ranking) == [(order[0], 1), (order[1], 2)]


def test_missing_cards_average_over_the_cards_that_exist():
    ranking = rank(_cards({"A": {1: 10, 2: 14}, "B": {1: 11, 2: 11, 3: 11}}), ONE, entries=["A", "B", "C"])
    assert [(row.code, row.mean, row.cards) for row in ranking.rows] == [("A", 12, 2), ("B", 11, 3)]


def test_entry_without_cards_is_listed_as_unscored_not_ranked():
    ranking = rank(_cards({"A": {1: 10}}), ONE, entries=["A", "C", "B"])
    assert (_places(ranking), ranking.unscored) == ([("A", 1)], ("B", "C"))


def test_single_juror_ranks_by_their_totals_with_zero_effect():
    ranking = rank(_cards({"A": {7: 12}, "B": {7: 15}, "C": {7: 9}}), ONE, RankingSettings(standardise=True))
    assert _places(ranking) == [("B", 1), ("A", 2), ("C", 3)]
    assert ranking.effects.effects == {7: 0.0}


def test_single_juror_has_no_reliability_with_reason():
    ranking = rank(_cards({"A": {7: 12}, "B": {7: 15}}), ONE)
    assert (ranking.reliability.alpha, ranking.reliability.reason) == (None, "too_few_units")


# --- ties ------------------------------------------------------------------------------------------------------------

TWO = (CriterionRow("x", 10, Decimal("1.00"), 0), CriterionRow("y", 10, Decimal("1.00"), 1))


def test_tie_broken_by_criteria_in_their_order():
    cards = [CardRow("A", 1, {"x": 8, "y": 2}), CardRow("B", 1, {"x": 5, "y": 5})]  # both total 10
    ranking = rank(cards, TWO, RankingSettings(tie_rules=("criteria",)))
    assert _places(ranking) == [("A", 1), ("B", 2)]


def test_tie_broken_by_criteria_in_a_chosen_order():
    cards = [CardRow("A", 1, {"x": 8, "y": 2}), CardRow("B", 1, {"x": 5, "y": 5})]
    ranking = rank(cards, TWO, RankingSettings(tie_rules=("criteria",), tie_criteria=("y", "x")))
    assert _places(ranking) == [("B", 1), ("A", 2)]


def test_tie_on_mean_broken_by_median_rule():
    cards = _cards({"A": {1: 2, 2: 8, 3: 8}, "B": {1: 6, 2: 6, 3: 6}})  # mean 6 each; median 8 vs 6
    ranking = rank(cards, ONE, RankingSettings(tie_rules=("median",)))
    assert _places(ranking) == [("A", 1), ("B", 2)]


def test_tie_on_mean_broken_by_lowest_total_rule():
    cards = _cards({"A": {1: 2, 2: 8, 3: 8}, "B": {1: 6, 2: 6, 3: 6}})
    ranking = rank(cards, ONE, RankingSettings(tie_rules=("min",)))
    assert _places(ranking) == [("B", 1), ("A", 2)]


def test_remaining_ties_share_a_place_and_skip_the_next():
    cards = _cards({10: {1: 19}, 20: {1: 17}, 30: {1: 15}, 40: {1: 15}, 50: {1: 12}})
    codes = {10: "SLZ-005", 20: "SLZ-004", 30: "SLZ-002", 40: "SLZ-001", 50: "SLZ-003"}
    ranking = rank(cards, ONE, codes=codes)
    assert _places(ranking) == [("SLZ-005", 1), ("SLZ-004", 2), ("SLZ-001", 3), ("SLZ-002", 3), ("SLZ-003", 5)]


def test_ex_aequo_marks_only_shared_places():
    cards = _cards({"A": {1: 19}, "B": {1: 15}, "C": {1: 15}})
    assert [(row.code, row.ex_aequo) for row in rank(cards, ONE).rows] == [("A", False), ("B", True), ("C", True)]


def test_tie_after_every_rule_stays_ex_aequo():
    cards = [CardRow("A", 1, {"x": 5, "y": 5}), CardRow("B", 1, {"x": 5, "y": 5})]
    ranking = rank(cards, TWO, RankingSettings(tie_rules=("criteria", "median", "trimmed", "min")))
    assert _places(ranking) == [("A", 1), ("B", 1)]


# --- standardisation -------------------------------------------------------------------------------------------------

# Entry A is scored by both jurors (10 and 6); B only by juror 1 (9), C only by juror 2 (5).
# Least squares with b1 + b2 = 0: b1 = 2, b2 = -2, so adjusted A = 8, B = 9 - 2 = 7, C = 5 + 2 = 7.
OVERLAP = {"A": {1: 10, 2: 6}, "B": {1: 9}, "C": {2: 5}}


def test_standardisation_on_tiny_overlap_matches_hand_computation():
    ranking = rank(_cards(OVERLAP), ONE)
    assert ranking.effects.effects == pytest.approx({1: 2.0, 2: -2.0})
    adjusted = {row.code: row.adjusted_mean for row in ranking.rows}
    assert adjusted == pytest.approx({"A": 8.0, "B": 7.0, "C": 7.0})


def test_standardised_places_show_raw_and_adjusted_side_by_side():
    ranking = rank(_cards(OVERLAP), ONE, RankingSettings(standardise=True, tie_rules=("median",)))
    rows = [(row.code, row.place_raw, row.place_adjusted, row.place) for row in ranking.rows]
    assert rows == [("A", 2, 1, 1), ("B", 1, 2, 2), ("C", 3, 2, 2)]


def test_standardisation_on_a_cycle_matches_hand_computation():
    # A: j1 10, j2 8; B: j2 6, j3 7; C: j3 9, j1 12. The reduced system is 1.5 b = q with q = (2.5, -1.5, -1),
    # so b = (5/3, -1, -2/3); adjusted means A = 26/3, B = 22/3, C = 10.
    ranking = rank(_cards({"A": {1: 10, 2: 8}, "B": {2: 6, 3: 7}, "C": {3: 9, 1: 12}}), ONE)
    assert ranking.effects.effects == pytest.approx({1: 5 / 3, 2: -1.0, 3: -2 / 3})
    assert {row.code: row.adjusted_mean for row in ranking.rows} == pytest.approx({"A": 26 / 3, "B": 22 / 3, "C": 10.0})


def test_standardisation_equals_full_least_squares_with_sum_to_zero_row():
    rng = np.random.default_rng(7)
    rows = [(e, j, float(rng.integers(0, 21))) for e in range(12) for j in range(5) if (e + j) % 3]
    effects = fit_juror_effects(rows)
    # The full design: one column per entry and per juror, plus the identifying row sum(juror effects) = 0.
    design = np.zeros((len(rows) + 1, 12 + 5))
    for k, (e, j, _y) in enumerate(rows):
        design[k, e] = design[k, 12 + j] = 1
    design[-1, 12:] = 1
    target = np.array([y for _e, _j, y in rows] + [0.0])
    solution, *_rest = np.linalg.lstsq(design, target, rcond=None)
    assert [effects.effects[j] for j in range(5)] == pytest.approx(list(solution[12:]), abs=1e-9)


def test_criteria_tie_rule_compares_raw_points_in_the_adjusted_ranking():
    ranking = rank(_cards(OVERLAP), ONE, RankingSettings(standardise=True, tie_rules=("criteria",)))
    assert _places(ranking) == [("A", 1), ("B", 2), ("C", 3)]


def test_disconnected_jurors_are_fitted_per_component_and_said_so():
    effects = fit_juror_effects([("A", 1, 10), ("A", 2, 6), ("B", 3, 15), ("B", 4, 9), ("C", 3, 12)])
    assert [c.jurors for c in effects.components] == [(1, 2), (3, 4)]
    assert effects.connected is False
    assert (effects.effects[1] + effects.effects[2], effects.effects[3] + effects.effects[4]) == pytest.approx((0, 0))
    assert effects.effects[3] == pytest.approx(3.0)


def test_standardisation_uses_effects_fitted_elsewhere():
    effects = fit_juror_effects([("X", 1, 10), ("X", 2, 6)])  # e.g. over the whole edition: b1 = 2, b2 = -2
    ranking = rank(_cards({"B": {1: 9}, "C": {2: 5}}), ONE, effects=effects)
    assert {row.code: row.adjusted_mean for row in ranking.rows} == pytest.approx({"B": 7.0, "C": 7.0})


# --- disagreement ----------------------------------------------------------------------------------------------------


def test_spread_above_default_share_is_flagged():
    ranking = rank(_cards({"A": {1: 10, 2: 16}, "B": {1: 10, 2: 17}}), ONE)  # threshold 0.3 × 20 = 6
    assert [(row.code, row.spread, row.flagged) for row in ranking.rows] == [("B", 7, True), ("A", 6, False)]


def test_disagreement_share_is_a_setting():
    ranking = rank(_cards({"A": {1: 10, 2: 13}}), ONE, RankingSettings(disagreement_share=Decimal("0.1")))
    assert [row.code for row in ranking.flagged] == ["A"]


# --- reliability -----------------------------------------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section on the general case: observers A-D,
# units 1-12, values 1-5, missing marked None. Published: interval alpha = 0.849.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _paper_triples():
    return [
        (unit, coder, value)
        for coder, values in KRIPPENDORFF_2011.items()
        for unit, value in enumerate(values, start=1)
        if value is not None
    ]


def test_alpha_reproduces_krippendorff_2011_interval_example():
    result = reliability(_paper_triples())
    assert (round(result.alpha, 3), result.reading, result.units) == (0.849, "reliable", 11)


def test_alpha_closed_form_equals_the_package_on_the_paper_example():
    matrix = np.array([[np.nan if v is None else v for v in values] for values in KRIPPENDORFF_2011.values()])
    assert _alpha_interval_closed_form(matrix) == pytest.approx(0.8491071428571428, abs=1e-12)


def test_alpha_without_variation_is_none_with_reason():
    result = reliability([("A", 1, 5), ("A", 2, 5), ("B", 1, 5), ("B", 2, 5)])
    assert (result.alpha, result.reason) == (None, "no_variation")


@pytest.mark.parametrize(("second", "reading"), [(4, "reliable"), (3, "tentative"), (2, "low")])
def test_alpha_reading_follows_krippendorff_thresholds(second, reading):
    # Units A (10, 10), B (8, x), C (2, 2): x = 4 gives alpha 0.815, x = 3 gives 0.729, x = 2 gives 0.640.
    triples = [("A", 1, 10), ("A", 2, 10), ("B", 1, 8), ("B", 2, second), ("C", 1, 2), ("C", 2, 2)]
    assert reliability(triples).reading == reading


# --- stability -------------------------------------------------------------------------------------------------------


def test_stability_shows_who_keeps_their_place_under_every_method():
    cards = _cards({**METHOD_CASE, "C": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}})
    view = stability(rank(cards, ONE), top_n=2)
    rows = [(row.code, row.places, row.keeps_place, row.stays_in_top) for row in view.rows]
    assert view.columns[:3] == (("mean", False), ("median", False), ("trimmed", False))
    assert rows == [("A", (1, 2, 2, 1, 2, 2), False, True), ("B", (2, 1, 1, 2, 1, 1), False, True)]


def test_stability_counts_an_entry_out_of_the_top_under_one_method():
    cards = _cards({"A": {1: 1, 2: 2, 3: 3, 4: 4, 5: 10}, "B": {1: 3, 2: 3, 3: 4, 4: 4, 5: 4}, "C": {1: 20}})
    view = stability(rank(cards, ONE), top_n=1)
    assert [(row.code, row.stays_in_top) for row in view.rows] == [("C", True)]


# --- bad input -------------------------------------------------------------------------------------------------------


def test_card_without_points_for_a_criterion_is_refused():
    with pytest.raises(ValueError, match="Juror 1's scorecard for entry A has no points for criterion y"):
        rank([CardRow("A", 1, {"x": 5})], TWO)


def test_points_above_the_maximum_are_refused():
    with pytest.raises(ValueError, match=r"gives 21 points for criterion c \(allowed 0 to 20\)"):
        rank([CardRow("A", 1, {"c": 21})], ONE)


def test_two_cards_of_one_juror_for_one_entry_are_refused():
    with pytest.raises(ValueError, match="Juror 1 has two counted scorecards for entry A"):
        rank([CardRow("A", 1, {"c": 2}), CardRow("A", 1, {"c": 3})], ONE)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown method 'mode'"):
        RankingSettings(method="mode")


def test_unknown_tie_rule_is_refused():
    with pytest.raises(ValueError, match="Unknown tie rule 'id'"):
        RankingSettings(tie_rules=("criteria", "id"))


def test_tie_criterion_outside_the_edition_is_refused():
    with pytest.raises(ValueError, match="The tie rule names criterion z"):
        rank([CardRow("A", 1, {"x": 1, "y": 1})], TWO, RankingSettings(tie_criteria=("z",)))


def test_criteria_all_weighted_zero_are_refused():
    with pytest.raises(ValueError, match="Every criterion has weight 0"):
        rank([CardRow("A", 1, {"c": 1})], (CriterionRow("c", 20, Decimal("0.00"), 0),))


# --- charts ----------------------------------------------------------------------------------------------------------


def test_juror_chart_is_accessible_svg_without_style_attributes():
    ranking = rank(_cards({"A": {1: 10, 2: 16}, "B": {1: 12, 2: 18}}), ONE)
    chart = juror_distribution_chart(ranking.cards, ranking.max_total)
    assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg and "<title>" in chart.svg
    assert "style=" not in chart.svg
    assert chart.rows == (
        ("Juror 1", 2, Decimal("11.00"), Decimal("11.00"), Decimal("10.00"), Decimal("12.00")),
        ("Juror 2", 2, Decimal("17.00"), Decimal("17.00"), Decimal("16.00"), Decimal("18.00")),
    )


def test_entry_chart_escapes_codes():
    ranking = rank(_cards({"A": {1: 10, 2: 17}}), ONE, codes={"A": '<script>"x"</script>'})
    chart = entry_spread_chart(ranking.rows, ranking.max_total)
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in chart.svg
    assert chart.rows == (
        ('<script>"x"</script>', 2, Decimal("10.00"), Decimal("13.50"), Decimal("17.00"), Decimal("7.00"), True),
    )
