"""Properties of the pure ranking: order independence, monotonicity, juror-shift invariance, alpha's closed form."""

import random
from decimal import Decimal

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jury.ranking import METHODS, CardRow, CriterionRow, RankingSettings, _alpha_interval_closed_form, rank

CRITERIA = (CriterionRow("a", 10, Decimal("1.50"), 0), CriterionRow("b", 5, Decimal("0.25"), 1))
WIDE = (CriterionRow("c", 1000, Decimal("1.00"), 0),)


@st.composite
def scorecards(draw, criteria=CRITERIA, high=None, connected=False):
    """Up to 8 entries × 5 jurors, each pair scored or not, points within each criterion's maximum.

    connected: juror 1 scores every entry, so all jurors who score anything are linked through shared entries.
    """
    entries = draw(st.integers(1, 8))
    jurors = draw(st.integers(1, 5))
    cards = []
    for entry in range(entries):
        scored = draw(st.lists(st.sampled_from(range(1, jurors + 1)), min_size=1, max_size=jurors, unique=True))
        if connected and 1 not in scored:
            scored.append(1)
        for juror in scored:
            points = {c.id: draw(st.integers(0, high if high is not None else c.max_points)) for c in criteria}
            cards.append(CardRow(f"E{entry}", juror, points))
    return cards


def _summary(ranking):
    return [
        (row.code, row.place_raw, row.place_adjusted, row.mean, row.median, row.trimmed, row.flagged)
        for row in ranking.rows
    ]


@settings(max_examples=30, deadline=None)
@given(cards=scorecards(), seed=st.integers(0, 2**32 - 1))
def test_ranking_does_not_depend_on_input_order(cards, seed):
    shuffled = list(cards)
    random.Random(seed).shuffle(shuffled)
    criteria = list(CRITERIA)
    random.Random(seed).shuffle(criteria)
    before, after = rank(cards, CRITERIA), rank(shuffled, criteria)
    assert _summary(after) == _summary(before)
    for first, second in zip(before.rows, after.rows, strict=True):
        assert second.adjusted_mean == pytest.approx(first.adjusted_mean, abs=1e-9)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=30, deadline=None)
@given(cards=scorecards(), pick=st.integers(0, 10_000), criterion=st.sampled_from(["a", "b"]))
def test_raising_one_score_never_lowers_that_entry(method, cards, pick, criterion):
    card = cards[pick % len(cards)]
    maximum = {c.id: c.max_points for c in CRITERIA}[criterion]
    if card.points[criterion] == maximum:
        return
    raised = CardRow(card.entry, card.juror, {**card.points, criterion: card.points[criterion] + 1})
    changed = [raised if other is card else other for other in cards]
    before = {row.entry: row.value(method) for row in rank(cards, CRITERIA).rows}
    after = {row.entry: row.value(method) for row in rank(changed, CRITERIA).rows}
    assert after[card.entry] >= before[card.entry]


def _shift(cards, juror, shift):
    return [
        CardRow(card.entry, card.juror, {"c": card.points["c"] + shift}) if card.juror == juror else card
        for card in cards
    ]


ADJUSTED = {"standardise": True, "tie_rules": ("median", "trimmed", "mean")}


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=30, deadline=None)
@given(cards=scorecards(criteria=WIDE, high=500, connected=True), juror=st.integers(1, 5), shift=st.integers(1, 400))
def test_standardisation_is_invariant_to_shifting_one_juror(method, cards, juror, shift):
    options = RankingSettings(method=method, **ADJUSTED)
    before, after = rank(cards, WIDE, options), rank(_shift(cards, juror, shift), WIDE, options)
    assert {row.entry: row.place_adjusted for row in after.rows} == {
        row.entry: row.place_adjusted for row in before.rows
    }


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=30, deadline=None)
@given(cards=scorecards(criteria=WIDE, high=500), juror=st.integers(1, 5), shift=st.integers(1, 400))
def test_standardisation_shift_moves_its_component_uniformly(method, cards, juror, shift):
    # Across disconnected groups of jurors adjusted results are not comparable (the module says so); inside the group
    # of the shifted juror every adjusted result moves by shift / (jurors in the group), so their order is kept.
    options = RankingSettings(method=method, **ADJUSTED)
    before, after = rank(cards, WIDE, options), rank(_shift(cards, juror, shift), WIDE, options)
    after_rows = {row.entry: row for row in after.rows}
    for component in before.effects.components:
        if juror not in component.jurors:
            continue
        moved = [
            after_rows[row.entry].value(method, True) - row.value(method, True)
            for row in before.rows
            if {j for j, _t in row.totals} <= set(component.jurors)
        ]
        assert moved == pytest.approx([shift / len(component.jurors)] * len(moved), abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    data=st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=6, max_size=6),
        min_size=2,
        max_size=4,
    )
)
def test_alpha_closed_form_equals_the_krippendorff_package(data):
    matrix = np.array([[np.nan if v is None else float(v) for v in row] for row in data])
    present = ~np.isnan(matrix)
    pairable = present.sum(axis=0) >= 2
    values = matrix[:, pairable][present[:, pairable]]
    if pairable.sum() < 2 or len(np.unique(values)) < 2:
        return
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert _alpha_interval_closed_form(matrix) == pytest.approx(expected, abs=1e-9)
