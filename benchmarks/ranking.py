"""Benchmark of the pure ranking: 10,000 entries × 5 scorecards × 7 criteria (350,000 criterion scores), 30 jurors.

Measures only jury/ranking.py (no database): every method raw, with standardisation, the stability view and alpha.
Run: .venv/bin/python benchmarks/ranking.py [entries] [cards per entry] [jurors]
"""

import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from jury.ranking import (  # noqa: E402
    CardRow,
    CriterionRow,
    RankingSettings,
    fit_juror_effects,
    rank,
    reliability,
    stability,
)


def data(n_entries, per_entry, n_jurors, seed=2026):
    rng = random.Random(seed)
    criteria = tuple(
        CriterionRow(k, max_points, Decimal(weight), k)
        for k, (max_points, weight) in enumerate(
            [(10, "1.00"), (10, "1.50"), (5, "2.00"), (20, "0.50"), (10, "1.25"), (15, "1.00"), (5, "0.75")], start=1
        )
    )
    leniency = {j: rng.uniform(-0.15, 0.15) for j in range(1, n_jurors + 1)}
    cards = []
    for entry in range(1, n_entries + 1):
        quality = rng.uniform(0.3, 0.9)
        for juror in rng.sample(range(1, n_jurors + 1), per_entry):
            points = {}
            for c in criteria:
                share = min(max(quality + leniency[juror] + rng.gauss(0, 0.1), 0), 1)
                points[c.id] = round(share * c.max_points)
            cards.append(CardRow(entry, juror, points))
    return criteria, cards


def timed(label, function):
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    print(f"{label:<34} {time.perf_counter() - started:7.3f} s wall {time.process_time() - cpu:7.3f} s cpu")
    return result


def main(n_entries=10_000, per_entry=5, n_jurors=30):
    criteria, cards = data(n_entries, per_entry, n_jurors)
    codes = {entry: f"SLZ-2026-{entry:05d}" for entry in range(1, n_entries + 1)}
    print(f"entries={n_entries} cards={len(cards)} criterion scores={len(cards) * len(criteria)} jurors={n_jurors}")
    totals = [(card.entry, card.juror, sum(card.points.values())) for card in cards]
    timed("juror effects only (lstsq)", lambda: fit_juror_effects(totals))
    timed("Krippendorff's alpha only", lambda: reliability(totals))
    for method in ("mean", "median", "trimmed"):
        ranking = timed(
            f"rank {method} (all included)",
            lambda m=method: rank(cards, criteria, RankingSettings(method=m), codes=codes),
        )
    ranking = timed(
        "rank mean, standardised counts",
        lambda: rank(cards, criteria, RankingSettings(standardise=True), codes=codes),
    )
    view = timed("stability view (6 columns, top 10)", lambda: stability(ranking))
    moved = sum(1 for row in ranking.rows if row.place_raw != row.place_adjusted)
    print(
        f"alpha={ranking.reliability.alpha:.3f} ({ranking.reliability.reading}); flagged={len(ranking.flagged)}; "
        f"components={len(ranking.effects.components)}; places changed by standardisation={moved}; "
        f"stable in top 10={sum(row.keeps_place for row in view.rows)}/{len(view.rows)}"
    )


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:4]])
