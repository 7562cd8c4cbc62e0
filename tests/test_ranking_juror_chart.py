"""The per-juror chart is a box plot with a data table (issue 9): a fixed handful of shapes per juror, not per card;
the entry-spread chart one group per entry."""

from decimal import Decimal

from jury.ranking import CardRow, CriterionRow, entry_spread_chart, juror_distribution_chart, rank

ONE = (CriterionRow("c", 20, Decimal("1.00"), 0),)


def _ranking(totals_by_juror):
    """{juror: [totals]} -> a Ranking, one entry per total (entries E0, E1, ...)."""
    cards = [
        CardRow(f"E{k}", juror, {"c": total})
        for juror, totals in totals_by_juror.items()
        for k, total in enumerate(totals)
    ]
    return rank(cards, ONE)


def test_juror_chart_table_gives_cards_mean_median_lowest_highest():
    ranking = _ranking({4: [2, 4, 6, 8, 20]})

    chart = juror_distribution_chart(ranking, ranking.max_total)

    assert chart.header == ("Juror", "Scorecards", "Mean", "Median", "Lowest", "Highest")
    assert chart.rows == (("Juror 4", 5, Decimal("8.00"), Decimal("6.00"), Decimal("2.00"), Decimal("20.00")),)


def test_juror_chart_tooltip_gives_the_quartiles():
    ranking = _ranking({1: [2, 4, 6, 8, 20]})

    chart = juror_distribution_chart(ranking, ranking.max_total)

    assert "lower quartile 4.00" in chart.svg and "upper quartile 8.00" in chart.svg


def test_juror_chart_from_a_ranking_equals_the_chart_from_card_totals():
    ranking = _ranking({1: [3, 7, 7, 19], 2: [0, 11, 12]})

    assert juror_distribution_chart(ranking, ranking.max_total) == juror_distribution_chart(
        ranking.cards, ranking.max_total
    )


def test_juror_chart_size_does_not_grow_with_the_number_of_cards():
    few = _ranking({1: [5, 10], 2: [6, 12]})
    many = _ranking({1: [k % 21 for k in range(500)], 2: [(k * 7) % 21 for k in range(500)]})

    small = juror_distribution_chart(few, few.max_total).svg
    large = juror_distribution_chart(many, many.max_total).svg

    assert large.count("<") == small.count("<") and large.count("<circle") == 2


def test_juror_chart_escapes_the_juror_label():
    ranking = _ranking({1: [5, 10]})

    chart = juror_distribution_chart(ranking, ranking.max_total, '<b>"%(number)s"</b>')

    assert "<b>" not in chart.svg and "&lt;b&gt;&quot;1&quot;&lt;/b&gt;" in chart.svg


def test_entry_chart_size_does_not_grow_with_the_number_of_cards():
    few = rank([CardRow("A", j, {"c": 5 + j}) for j in range(2)], ONE)
    many = rank([CardRow("A", j, {"c": j % 21}) for j in range(300)], ONE)

    small = entry_spread_chart(few.rows, few.max_total).svg
    large = entry_spread_chart(many.rows, many.max_total).svg

    assert large.count("<") == small.count("<") and large.count("<title>") == 2  # the chart's and the entry's
