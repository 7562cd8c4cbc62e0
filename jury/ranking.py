"""Pure ranking of entries from counted scorecards: totals, methods, juror standardisation, ties, stability,
disagreement, reliability and SVG charts. Plain rows in, frozen dataclasses out; no ORM.

Input (what a service reads with SQL):
- criteria: ``CriterionRow(id, max_points, weight, order)``; weights are Decimals (the model's ``DecimalField``).
- cards: ``CardRow(entry, juror, points)`` where ``juror`` is the juror's stable number in the edition and ``points``
  maps criterion id -> points. Only counted scorecards belong here (submitted, not conflicted); each must give points
  for every criterion.

Exactness and rounding:
- Raw results are exact: weights are turned into integers by a common scale (the least common denominator of the
  weights, 100 for two decimal places), so a weighted total is an integer number of "scaled points"; totals, means,
  medians and trimmed means are ``fractions.Fraction`` of points. Raw ties are exact equality, never float noise.
- Adjusted (standardised) results are least-squares estimates in floating point; they are compared after rounding to
  ``ADJUSTED_DECIMALS`` (6) decimal places of a point, so that float noise neither breaks nor makes a tie.
- For display, ``to_decimal(value)`` rounds half up to two decimal places (``ROUND_HALF_UP``, the rounding people
  learn at school); percentages are of the maximum weighted total, also shown with two decimals.

Methods (per entry, over its jurors' weighted totals):
- ``mean`` (default), ``median`` (the mean of the two middle totals for an even count),
- ``trimmed``: drop one highest and one lowest total when the entry has at least ``TRIM_MIN_CARDS`` (5) scorecards;
  with fewer it is the plain mean (trimming 2 of 3 or 4 cards would throw away half the jury).

Standardisation (optional, ``standardise=True`` makes the adjusted result count): an additive juror-effect model,
total_ij = entry_i + juror_j + error, fitted by least squares over the cards that exist (jurors who scored different
subsets are compared only through the entries they share). The entry effects are absorbed exactly (the "within"
transformation), leaving a small juror × juror system (a graph Laplacian of who co-scored what) solved with
``numpy.linalg.lstsq``; its minimum-norm solution makes the juror effects sum to zero in each connected group of
jurors, which identifies the model. Each connected component (jurors linked by shared entries) is fitted on its own;
``JurorEffects.components`` says how many there are, because adjusted results of different components are not
comparable. A juror's adjusted card is total - juror effect; the entry's adjusted result applies the same method to
its adjusted cards (for the mean this is the fitted entry effect). Adding a constant to all of one juror's totals
shifts every adjusted result in that component by the same amount, so adjusted places do not change.

Ties (``tie_rules``, applied in order, each "higher is better"):
- ``criteria``: the mean points on each criterion of ``tie_criteria`` in that order (default: all criteria by
  ``order`` then id), one criterion after another; these are the raw points also in an adjusted ranking (the juror
  effect is fitted on totals, not per criterion);
- ``mean``, ``median``, ``trimmed``: that method's result (adjusted when the ranking is adjusted);
- ``min``: the higher lowest juror total (no juror found the entry weak).
What is still tied after every rule shares a place (ex aequo, standard competition ranking: 1, 2, 2, 4). Within a
shared place the rows are listed by entry code for display only; the database id never decides anything.

Reliability: Krippendorff's alpha at the interval level over the jurors × entries matrix of totals (missing cards are
missing values). Readings follow Krippendorff (Content Analysis, 2004, p. 241; "Computing Krippendorff's
Alpha-Reliability", 2011): alpha >= 0.800 reliable, 0.667 <= alpha < 0.800 tentative conclusions only, below 0.667
low agreement.
"""

import html
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property
from operator import itemgetter

import krippendorff
import numpy as np
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

METHODS = ("mean", "median", "trimmed")
TIE_RULES = ("criteria", "mean", "median", "trimmed", "min")
TIE_RULE_LABELS = {  # marked only: translate when shown (tie_rules_text)
    "criteria": gettext_noop("mean points per criterion, in their order"),
    "mean": gettext_noop("mean"),
    "median": gettext_noop("median"),
    "trimmed": gettext_noop("trimmed mean"),
    "min": gettext_noop("higher lowest total"),
}
TRIM_MIN_CARDS = 5
ADJUSTED_DECIMALS = 6
DEFAULT_DISAGREEMENT_SHARE = Decimal("0.3")
# Above this many cells (units × distinct values²) the krippendorff package's coincidence tensor does not fit in
# memory; the closed form for the interval metric (same number, O(cards)) is used instead.
KRIPPENDORFF_PACKAGE_CELLS = 5_000_000

READINGS = {
    "reliable": gettext_noop("Reliable: the jurors agree well (alpha at least 0.800)."),
    "tentative": gettext_noop("Tentative: agreement allows only tentative conclusions (alpha 0.667 to 0.800)."),
    "low": gettext_noop("Low agreement: the jurors' totals disagree too much to rely on (alpha below 0.667)."),
}
REASONS = {
    "too_few_units": gettext_noop("Not enough data: fewer than two entries were scored by at least two jurors."),
    "no_variation": gettext_noop("Not enough data: every counted total is the same, so agreement cannot be measured."),
}


# --- input -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    id: object
    max_points: int
    weight: Decimal = Decimal(1)
    order: int = 0


@dataclass(frozen=True)
class CardRow:
    entry: object
    juror: int  # the juror's stable number in the edition, never an account id shown to anyone
    points: dict  # criterion id -> points


@dataclass(frozen=True, eq=False)
class CardMatrix:
    """Counted scorecards as columns, the way SQL aggregates them (one row per scorecard): the fast input of rank().

    entries: the entry of each card; jurors: each card's juror number; points: a cards × criteria integer array whose
    column k holds the points on ``criterion_ids[k]``. The same cards given as CardRows rank the same.
    """

    entries: tuple
    jurors: np.ndarray
    points: np.ndarray
    criterion_ids: tuple

    @classmethod
    def from_rows(cls, rows, criterion_ids):
        """From (entry, juror, points on criterion_ids[0], points on criterion_ids[1], ...) rows."""
        rows = list(rows)
        width = len(criterion_ids)
        entries = tuple(row[0] for row in rows)
        jurors = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
        try:
            points = np.array([row[2:] for row in rows], dtype=np.int64).reshape(len(rows), width)
        except (TypeError, ValueError):  # a missing (None) or odd value: keep it, so rank() names the card
            points = np.array([row[2:] for row in rows], dtype=object).reshape(len(rows), width)
        return cls(entries, jurors, points, tuple(criterion_ids))

    def __len__(self):
        return len(self.entries)

    def take(self, indices):
        """The cards at these positions (e.g. one category's)."""
        indices = np.asarray(indices, dtype=np.int64)
        entries = self.entries
        return CardMatrix(
            tuple(entries[k] for k in indices.tolist()), self.jurors[indices], self.points[indices], self.criterion_ids
        )

    def card_rows(self):
        return [
            CardRow(entry, int(juror), dict(zip(self.criterion_ids, points, strict=True)))
            for entry, juror, points in zip(self.entries, self.jurors.tolist(), self.points.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class RankingSettings:
    method: str = "mean"
    standardise: bool = False  # True: the adjusted result decides the places
    tie_rules: tuple = ("criteria", "median")
    tie_criteria: tuple = ()  # criterion ids in the order the "criteria" rule compares them; () = all, by order
    disagreement_share: Decimal = DEFAULT_DISAGREEMENT_SHARE
    top_n: int = 10

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Unknown method {self.method!r}; choose one of {', '.join(METHODS)}.")
        unknown = [rule for rule in self.tie_rules if rule not in TIE_RULES]
        if unknown:
            raise ValueError(f"Unknown tie rule {unknown[0]!r}; choose from {', '.join(TIE_RULES)}.")
        if not 0 <= Decimal(self.disagreement_share) <= 1:
            raise ValueError("The disagreement share must be between 0 and 1.")
        if self.top_n < 1:
            raise ValueError("The stability view needs at least one place.")


# --- output ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardTotal:
    entry: object
    juror: int
    total: Fraction  # weighted points
    percent: Fraction  # of the maximum weighted total


@dataclass(frozen=True)
class Component:
    jurors: tuple  # juror numbers, sorted
    entries: int  # how many entries were scored inside it


@dataclass(frozen=True)
class JurorEffects:
    effects: dict  # juror number -> effect in points (positive: lenient, negative: harsh); sums to 0 per component
    components: tuple  # Component, largest first

    @property
    def connected(self):
        return len(self.components) <= 1

    def adjust(self, juror, total):
        return float(total) - self.effects.get(juror, 0.0)


@dataclass(frozen=True)
class EntryResult:
    """One entry's results. Exact values (Fractions of points) are computed on demand from the integer totals."""

    entry: object
    code: str
    jurors: tuple  # juror numbers, ascending
    scaled_totals: tuple  # each juror's weighted total × scale (an integer), aligned with jurors
    scale: int
    criterion_sums: tuple  # (criterion id, points summed over the cards) in the tie-break order
    adjusted_mean: float | None
    adjusted_median: float | None
    adjusted_trimmed: float | None
    flagged: bool  # spread above the disagreement share of the maximum
    place_raw: int = 0
    place_adjusted: int | None = None
    place: int = 0  # the place that counts (raw or adjusted, per the settings)
    ex_aequo: bool = False  # shares the counting place with another entry

    @property
    def cards(self):
        return len(self.jurors)

    @property
    def totals(self):
        return tuple(
            (juror, Fraction(total, self.scale)) for juror, total in zip(self.jurors, self.scaled_totals, strict=True)
        )

    @cached_property
    def _exact(self):
        """(mean, median, trimmed mean) as Fractions, computed once (a page asks for them several times per row)."""
        values = sorted(self.scaled_totals)
        return tuple(Fraction(v) / self.scale for v in _methods(values, _exact_mean))

    @cached_property
    def mean(self):
        # The same Fraction as _exact's, without sorting (the page and the spread chart need only the mean).
        return Fraction(sum(self.scaled_totals), len(self.scaled_totals) * self.scale)

    @property
    def median(self):
        return self._exact[1]

    @property
    def trimmed(self):
        return self._exact[2]

    @cached_property
    def lowest(self):
        return Fraction(min(self.scaled_totals), self.scale)

    @cached_property
    def highest(self):
        return Fraction(max(self.scaled_totals), self.scale)

    @property
    def spread(self):
        return self.highest - self.lowest

    @property
    def criterion_means(self):
        return tuple((cid, Fraction(points, self.cards)) for cid, points in self.criterion_sums)

    @property
    def trimmed_applied(self):
        return self.cards >= TRIM_MIN_CARDS

    def value(self, method, adjusted=False):
        return getattr(self, f"adjusted_{method}" if adjusted else method)


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    reading: str | None  # key of READINGS
    reason: str | None  # key of REASONS when alpha is None
    units: int = 0  # entries with at least two cards (pairable)
    values: int = 0  # pairable totals

    @property
    def text(self):
        key = READINGS.get(self.reading) or REASONS.get(self.reason) or ""
        return _(key) if key else ""


@dataclass(frozen=True)
class Ranking:
    """One pool's ranking. The rows, the places under every method and alpha are worked out on first use: a service
    that ranks the whole edition only for its juror effects and per-juror totals never pays for them."""

    settings: RankingSettings
    max_total: Fraction
    unscored: tuple  # entries passed in `entries` without any counted card, by code
    effects: JurorEffects | None
    codes: dict = field(default_factory=dict, repr=False)
    scale: int = 1
    pool: object = field(default=None, repr=False, compare=False)  # the cards as arrays (_Pool), canonical order
    build: object = field(default=None, repr=False, compare=False)  # () -> (rows, columns), called once

    @cached_property
    def _built(self):
        return self.build()

    @property
    def rows(self):
        """EntryResult in the counting order (place, then code)."""
        return self._built[0]

    @property
    def columns(self):
        """(method, adjusted) -> {entry: place}."""
        return self._built[1]

    @property
    def scored(self):
        """How many entries have at least one counted card (without building the rows)."""
        return len(self.pool.entries)

    @cached_property
    def reliability(self):
        """Krippendorff's alpha of these cards (computed on first use: a category's is rarely shown)."""
        pool = self.pool
        return _reliability(pool.entry_idx, pool.jurors, pool.scaled.astype(np.float64) / pool.scale, len(pool.entries))

    @cached_property
    def scaled_cards(self):
        """(entry, juror, scaled total) per counted card, by entry code then juror."""
        pool = self.pool
        entries = pool.entries
        return tuple(
            zip([entries[k] for k in pool.entry_idx.tolist()], pool.jurors.tolist(), pool.scaled.tolist(), strict=True)
        )

    @cached_property
    def cards(self):
        """CardTotal per counted scorecard, by entry code then juror (built on first use: 50,000 Fractions cost)."""
        scaled_max = self.max_total * self.scale
        return tuple(
            CardTotal(entry, juror, Fraction(total, self.scale), Fraction(total * 100) / scaled_max)
            for entry, juror, total in self.scaled_cards
        )

    @property
    def flagged(self):
        return tuple(row for row in self.rows if row.flagged)

    def percent(self, value):
        return None if value is None else Fraction(value) * 100 / self.max_total


@dataclass(frozen=True)
class StabilityRow:
    entry: object
    code: str
    places: tuple  # one place per column, in Stability.columns order (None: column not available)
    keeps_place: bool  # the same place under every column
    stays_in_top: bool  # within the top N under every column


@dataclass(frozen=True)
class Stability:
    top_n: int
    columns: tuple  # (method, adjusted) pairs
    rows: tuple  # StabilityRow for every entry in the top N of at least one column, by best place then code


@dataclass(frozen=True)
class Chart:
    svg: str  # safe markup: every text in it is escaped
    title: str
    header: tuple  # the data table's column headings
    rows: tuple  # the data table, for screen readers


# --- numbers ---------------------------------------------------------------------------------------------------------


def to_decimal(value, places=2):
    """A result for display, rounded half up; None stays None."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exponent, rounding=ROUND_HALF_UP)
    return Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)


def _weights(criteria):
    """Integer weights and their common scale: weight_c = scaled_c / scale exactly."""
    fractions = {c.id: Fraction(Decimal(c.weight)) for c in criteria}
    if any(w < 0 for w in fractions.values()):
        raise ValueError("A criterion weight cannot be negative.")
    scale = math.lcm(*(w.denominator for w in fractions.values())) if fractions else 1
    return {cid: int(w * scale) for cid, w in fractions.items()}, scale


def _median(sorted_values):
    n = len(sorted_values)
    middle = n // 2
    if n % 2:
        return sorted_values[middle]
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def _methods(sorted_values, mean_of):
    """mean, median and trimmed mean of ascending values; mean_of(values) gives an exact or float mean."""
    mean = mean_of(sorted_values)
    trimmed = mean_of(sorted_values[1:-1]) if len(sorted_values) >= TRIM_MIN_CARDS else mean
    return mean, _median(sorted_values), trimmed


def _exact_mean(values):
    return Fraction(sum(values), len(values))


# --- per scorecard ---------------------------------------------------------------------------------------------------


def _ordered_criteria(criteria):
    return sorted(criteria, key=lambda c: (c.order, str(c.id)))


def _scaled_totals(cards, criteria):
    """{(entry, juror): scaled integer total}, per-entry criterion point sums, the scale and the scaled maximum."""
    if not criteria:
        raise ValueError("The edition has no criteria to rank by.")
    weights, scale = _weights(criteria)
    maxima = {c.id: c.max_points for c in criteria}
    scaled_max = sum(maxima[cid] * weights[cid] for cid in weights)
    if scaled_max <= 0:
        raise ValueError("Every criterion has weight 0: there is no maximum to rank against.")
    totals = {}
    criterion_sums = defaultdict(lambda: defaultdict(int))
    items = tuple(weights.items())
    for card in cards:
        key = (card.entry, card.juror)
        if key in totals:
            raise ValueError(f"Juror {card.juror} has two counted scorecards for entry {card.entry}.")
        points = card.points
        total = 0
        sums = criterion_sums[card.entry]
        for cid, weight in items:
            value = points.get(cid)
            if value is None:
                raise ValueError(
                    f"Juror {card.juror}'s scorecard for entry {card.entry} has no points for criterion {cid}."
                )
            if not 0 <= value <= maxima[cid]:
                raise ValueError(
                    f"Juror {card.juror}'s scorecard for entry {card.entry} gives {value} points for criterion {cid} "
                    f"(allowed 0 to {maxima[cid]})."
                )
            total += value * weight
            sums[cid] += value
        totals[key] = total
    return totals, criterion_sums, scale, scaled_max


def scorecard_totals(cards, criteria):
    """The weighted total of each scorecard and its percentage of the maximum, sorted by entry then juror."""
    totals, _sums, scale, scaled_max = _scaled_totals(cards, criteria)
    return tuple(
        CardTotal(entry, juror, Fraction(total, scale), Fraction(total * 100, scaled_max))
        for (entry, juror), total in sorted(totals.items(), key=lambda item: (str(item[0][0]), item[0][1]))
    )


def max_total(criteria):
    """The highest weighted total a scorecard can reach."""
    weights, scale = _weights(criteria)
    return Fraction(sum(c.max_points * weights[c.id] for c in criteria), scale)


# --- standardisation -------------------------------------------------------------------------------------------------


def fit_juror_effects(totals):
    """Least-squares juror effects of total_ij = entry_i + juror_j + error; totals: iterable of (entry, juror, total).

    Per connected component of the co-scoring graph the effects sum to zero. Entries scored once carry no information
    about jurors and do not move the fit.
    """
    rows = [(entry, juror, float(total)) for entry, juror, total in totals]
    if not rows:
        return JurorEffects({}, ())
    jurors = sorted({juror for _e, juror, _t in rows})
    entries = sorted({entry for entry, _j, _t in rows}, key=str)
    juror_index = {juror: k for k, juror in enumerate(jurors)}
    entry_index = {entry: k for k, entry in enumerate(entries)}
    e = np.fromiter((entry_index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    j = np.fromiter((juror_index[r[1]] for r in rows), dtype=np.int64, count=len(rows))
    y = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    return _fit_effects(e, j, y, jurors, len(entries))


def _fit_effects(e, j, y, jurors, n_entries):
    """fit_juror_effects on arrays: e entry index per card (entries numbered by str(entry)), j index into the sorted
    juror numbers `jurors`, y the totals in points."""
    n_jurors = len(jurors)
    counts = np.bincount(e, minlength=n_entries).astype(np.float64)
    entry_means = np.bincount(e, weights=y, minlength=n_entries) / counts
    # Normal equations after absorbing the entry effects: C b = q with
    # C = diag(cards per juror) - N^T diag(1/n_i) N  (N: entries × jurors incidence), q_j = sum_i (y_ij - ybar_i).
    incidence = coo_array((np.ones(len(y)), (e, j)), shape=(n_entries, n_jurors)).tocsr()
    scaled = coo_array((1.0 / counts[e], (e, j)), shape=(n_entries, n_jurors)).tocsr()
    laplacian = np.diag(np.bincount(j, minlength=n_jurors).astype(np.float64)) - (incidence.T @ scaled).toarray()
    q = np.bincount(j, weights=y - entry_means[e], minlength=n_jurors)
    # Jurors are linked when they share an entry; an entry belongs to its jurors' component.
    shared = (incidence.T @ incidence).tocsr()
    n_components, labels = connected_components(shared, directed=False)
    effects = np.zeros(n_jurors)
    components = []
    entry_component = labels[j]
    for label in range(n_components):
        members = np.flatnonzero(labels == label)
        block = laplacian[np.ix_(members, members)]
        solution, *_rest = np.linalg.lstsq(block, q[members], rcond=None)
        solution -= solution.mean()  # the minimum-norm solution already sums to ~0; make it exact up to rounding
        effects[members] = solution
        component_entries = len(np.unique(e[entry_component == label]))
        components.append(Component(tuple(jurors[m] for m in members), component_entries))
    components.sort(key=lambda c: (-len(c.jurors), c.jurors))
    return JurorEffects(dict(zip(jurors, effects.tolist(), strict=True)), tuple(components))


# --- reliability -----------------------------------------------------------------------------------------------------


def _alpha_interval_closed_form(matrix):
    """Krippendorff's interval alpha without the coincidence matrix: same value, linear in the number of values."""
    present = ~np.isnan(matrix)
    m = present.sum(axis=0)
    pairable = m >= 2
    values = np.where(present, matrix, 0.0)[:, pairable]
    m = m[pairable]
    n = m.sum()
    sums = values.sum(axis=0)
    squares = (values**2).sum(axis=0)
    # sum over ordered pairs i != j within a unit of (x_i - x_j)^2 = 2 m Σx² - 2 (Σx)²
    disagreement_observed = ((2 * m * squares - 2 * sums**2) / (m - 1)).sum() / n
    total, total_squares = sums.sum(), squares.sum()
    disagreement_expected = (2 * n * total_squares - 2 * total**2) / (n * (n - 1))
    return 1.0 - disagreement_observed / disagreement_expected


def reliability(totals):
    """Krippendorff's alpha (interval) over jurors × entries; totals: iterable of (entry, juror, total)."""
    by_entry = defaultdict(dict)
    for entry, juror, total in totals:
        by_entry[entry][juror] = float(total)
    entries = {entry: k for k, entry in enumerate(by_entry)}  # first appearance
    jurors = {juror: k for k, juror in enumerate(sorted({juror for given in by_entry.values() for juror in given}))}
    cards = [
        (entries[entry], jurors[juror], total) for entry, given in by_entry.items() for juror, total in given.items()
    ]
    entry_idx = np.fromiter((c[0] for c in cards), dtype=np.int64, count=len(cards))
    jurors = np.fromiter((c[1] for c in cards), dtype=np.int64, count=len(cards))
    values = np.fromiter((c[2] for c in cards), dtype=np.float64, count=len(cards))
    return _reliability(entry_idx, jurors, values, len(entries))


def _reliability(entry_idx, jurors, values, n_entries):
    """reliability() on arrays: per card its entry index (entries numbered in their order of first appearance, which
    orders the units), juror number (or rank; it orders the rows) and total; at most one card per entry and juror."""
    counts = np.bincount(entry_idx, minlength=n_entries)
    pairable = counts >= 2
    units = int(pairable.sum())
    in_unit = pairable[entry_idx]
    found = values[in_unit]
    if units < 2:
        return Reliability(None, None, "too_few_units", units, len(found))
    distinct = len(np.unique(found))
    if distinct < 2:
        return Reliability(None, None, "no_variation", units, len(found))
    present, row = np.unique(jurors[in_unit], return_inverse=True)
    column = (np.cumsum(pairable) - 1)[entry_idx[in_unit]]
    matrix = np.full((len(present), units), np.nan)
    matrix[row, column] = found
    if units * distinct * distinct <= KRIPPENDORFF_PACKAGE_CELLS:
        alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"))
    else:
        alpha = float(_alpha_interval_closed_form(matrix))
    reading = "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "low"
    return Reliability(alpha, reading, None, units, len(found))


# --- vectorised core -------------------------------------------------------------------------------------------------
# Raw keys are float64 quotients of integers (scaled totals, their sums, point sums) by small integers. Each is the
# correctly rounded value of an exact rational, so equal rationals give the identical float, and two different ones
# (which differ by at least 1 / (n1 × n2) of a scaled point) stay apart as long as the sums are far below 2**53 / n²,
# i.e. for any real competition: comparing these floats is comparing the exact Fractions, but vectorised.


def tie_rules_text(rules):
    """The tie rules as the reader sees them, translated and in order ("mean points per criterion, ..., median")."""
    return ", ".join(_(TIE_RULE_LABELS[rule]) for rule in rules)


def _group_stats(entry_idx, values, n_entries):
    """Per entry (entry_idx ascending groups): count, mean, median, trimmed mean, lowest, highest as float64 arrays.

    No cards at all gives six empty arrays (the starts are cumsum - counts, not [0] + cumsum[:-1], which would
    index an empty array once).
    """
    if not len(values):
        empty = np.zeros(0, dtype=np.float64)
        return np.zeros(0, dtype=np.int64), empty, empty, empty, empty, empty
    order = np.lexsort((values, entry_idx))
    ordered = values[order].astype(np.float64)
    counts = np.bincount(entry_idx, minlength=n_entries)
    starts = np.cumsum(counts) - counts
    sums = np.bincount(entry_idx, weights=values.astype(np.float64), minlength=n_entries)
    low, high = ordered[starts], ordered[starts + counts - 1]
    mean = sums / counts
    median = (ordered[starts + (counts - 1) // 2] + ordered[starts + counts // 2]) / 2
    trimmed = np.where(counts >= TRIM_MIN_CARDS, (sums - low - high) / np.maximum(counts - 2, 1), mean)
    return counts, mean, median, trimmed, low, high


def _places_from_keys(keys, display):
    """Places (1, 2, 2, 4) from key columns, higher first; `display` orders rows within a shared place only."""
    n = len(display)
    order = np.lexsort([display] + [-key for key in reversed(keys)])
    stacked = np.stack([key[order] for key in keys])
    new = np.ones(n, dtype=bool)
    new[1:] = np.any(stacked[:, 1:] != stacked[:, :-1], axis=0)
    sorted_places = np.maximum.accumulate(np.where(new, np.arange(1, n + 1), 0))
    result = np.empty(n, dtype=np.int64)
    result[order] = sorted_places
    return result


@dataclass(frozen=True)
class _Pool:
    entries: list  # canonical order (by code)
    codes: list
    entry_idx: np.ndarray  # per card, canonical card order (entry, juror)
    jurors: np.ndarray  # juror number per card
    scaled: np.ndarray  # int64 scaled totals per card
    points: np.ndarray  # cards × tie criteria, int64
    scale: int
    scaled_max: int


def _pool(cards, criteria, codes, tie_criteria):
    """The cards as arrays in the canonical order (entry by code, then juror), checked; cards: CardRows or a
    CardMatrix."""
    if not criteria:
        raise ValueError("The edition has no criteria to rank by.")
    weights, scale = _weights(criteria)
    ids = [c.id for c in criteria]
    maxima = np.array([c.max_points for c in criteria], dtype=np.int64)
    weight_vector = np.array([weights[cid] for cid in ids], dtype=np.int64)
    scaled_max = int(maxima @ weight_vector)
    if scaled_max <= 0:
        raise ValueError("Every criterion has weight 0: there is no maximum to rank against.")
    if isinstance(cards, CardMatrix):
        card_entries, jurors = cards.entries, cards.jurors.astype(np.int64)
        column = {cid: k for k, cid in enumerate(cards.criterion_ids)}
        matrix = None
        if all(cid in column for cid in ids) and cards.points.dtype != object:
            matrix = cards.points[:, [column[cid] for cid in ids]].astype(np.int64).reshape(len(cards), len(ids))
        if matrix is None or ((matrix < 0) | (matrix > maxima)).any():
            _refuse_points(cards.card_rows(), criteria)
    else:
        pick = itemgetter(*ids) if len(ids) > 1 else (lambda points: (points[ids[0]],))
        try:
            matrix = np.array([pick(card.points) for card in cards], dtype=np.int64).reshape(len(cards), len(ids))
        except (KeyError, TypeError, ValueError):
            matrix = None
        if matrix is None or ((matrix < 0) | (matrix > maxima)).any():
            _refuse_points(cards, criteria)
        card_entries = [card.entry for card in cards]
        jurors = np.fromiter((card.juror for card in cards), dtype=np.int64, count=len(cards))
    entry_code = {}
    for entry in card_entries:
        if entry not in entry_code:
            entry_code[entry] = codes.get(entry, str(entry))
    entries = sorted(entry_code, key=lambda e: (entry_code[e], str(e)))
    index = {entry: k for k, entry in enumerate(entries)}
    entry_idx = np.fromiter((index[entry] for entry in card_entries), dtype=np.int64, count=len(card_entries))
    order = np.lexsort((jurors, entry_idx))
    entry_idx, jurors, matrix = entry_idx[order], jurors[order], matrix[order]
    if len(jurors) > 1 and ((entry_idx[1:] == entry_idx[:-1]) & (jurors[1:] == jurors[:-1])).any():
        k = int(np.flatnonzero((entry_idx[1:] == entry_idx[:-1]) & (jurors[1:] == jurors[:-1]))[0])
        raise ValueError(f"Juror {jurors[k]} has two counted scorecards for entry {entries[entry_idx[k]]}.")
    position = {cid: k for k, cid in enumerate(ids)}
    tie_columns = [position[cid] for cid in tie_criteria]
    return _Pool(
        entries=entries,
        codes=[entry_code[e] for e in entries],
        entry_idx=entry_idx,
        jurors=jurors,
        scaled=matrix @ weight_vector,
        points=matrix[:, tie_columns],
        scale=scale,
        scaled_max=scaled_max,
    )


def _refuse_points(cards, criteria):
    """The clear error for the first card with missing or out-of-range points (the slow path of bad input only)."""
    for card in cards:
        for c in criteria:
            value = card.points.get(c.id)
            if value is None:
                raise ValueError(
                    f"Juror {card.juror}'s scorecard for entry {card.entry} has no points for criterion {c.id}."
                )
            if not 0 <= value <= c.max_points:
                raise ValueError(
                    f"Juror {card.juror}'s scorecard for entry {card.entry} gives {value} points for criterion "
                    f"{c.id} (allowed 0 to {c.max_points})."
                )
    raise ValueError("Points must be whole numbers.")


# --- the ranking -----------------------------------------------------------------------------------------------------


def rank(cards, criteria, settings=None, *, codes=None, entries=(), effects=None):
    """Rank one pool of entries (e.g. one category) from its counted scorecards.

    codes: {entry: code} for display and the order within a shared place (default: str(entry)).
    entries: every entry of the pool, so that ones without any counted card are listed in ``unscored``.
    effects: juror effects fitted elsewhere (e.g. over the whole edition); by default fitted on these cards.
    """
    settings = settings or RankingSettings()
    codes = dict(codes or {})
    cards = cards if isinstance(cards, CardMatrix) else tuple(cards)
    criteria = tuple(criteria)
    tie_criteria = settings.tie_criteria or tuple(c.id for c in _ordered_criteria(criteria))
    unknown = set(tie_criteria) - {c.id for c in criteria}
    if unknown:
        raise ValueError(
            f"The tie rule names criterion {sorted(unknown, key=str)[0]}, which the edition does not have."
        )
    pool = _pool(cards, criteria, codes, tie_criteria)
    n_entries = len(pool.entries)
    juror_list = pool.jurors.tolist()
    values = pool.scaled.astype(np.float64) / pool.scale
    if effects is None and len(cards):
        effects = _pool_effects(pool, values)

    def build():
        counts, *raw = _group_stats(pool.entry_idx, pool.scaled, n_entries)
        raw_by_method = dict(zip(METHODS, raw[:3], strict=True))
        low, high = raw[3], raw[4]
        share = Fraction(Decimal(settings.disagreement_share))
        flagged = (high - low) * share.denominator > share.numerator * pool.scaled_max
        criterion_keys = [
            np.bincount(pool.entry_idx, weights=pool.points[:, k].astype(np.float64), minlength=n_entries) / counts
            for k in range(pool.points.shape[1])
        ]
        adjusted_by_method = {}
        if effects is not None:
            numbers, position = np.unique(pool.jurors, return_inverse=True)
            juror_effect = np.array([effects.effects.get(j, 0.0) for j in numbers.tolist()], dtype=np.float64)[position]
            _n, *adjusted = _group_stats(pool.entry_idx, values - juror_effect, n_entries)
            adjusted_by_method = {
                m: np.round(v, ADJUSTED_DECIMALS) + 0.0 for m, v in zip(METHODS, adjusted[:3], strict=True)
            }
        display = np.arange(n_entries)  # canonical order is by code

        def keys(method, adjusted):
            by_method = adjusted_by_method if adjusted else raw_by_method
            columns = [by_method[method]]
            for rule in settings.tie_rules:
                if rule == "criteria":
                    columns.extend(criterion_keys)
                elif rule == "min":
                    columns.append(low)
                else:
                    columns.append(by_method[rule])
            return columns

        columns = {}
        for adjusted in (False, True) if adjusted_by_method else (False,):
            for method in METHODS:
                found = (
                    _places_from_keys(keys(method, adjusted), display) if n_entries else np.array([], dtype=np.int64)
                )
                columns[(method, adjusted)] = found
        raw_places = columns[(settings.method, False)]
        adjusted_places = columns.get((settings.method, True))
        counting = adjusted_places if settings.standardise and adjusted_places is not None else raw_places
        shared = np.bincount(counting, minlength=n_entries + 2)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1])).tolist()
        counts_list = counts.tolist()
        point_sums = [
            np.bincount(pool.entry_idx, weights=pool.points[:, k], minlength=n_entries).astype(np.int64).tolist()
            for k in range(pool.points.shape[1])
        ]
        adjusted_lists = {m: v.tolist() for m, v in adjusted_by_method.items()}
        raw_list, counting_list, flagged_list = raw_places.tolist(), counting.tolist(), flagged.tolist()
        adjusted_list = adjusted_places.tolist() if adjusted_places is not None else [None] * n_entries
        scaled_list = pool.scaled.tolist()
        criterion_sums = [tuple(zip(tie_criteria, sums, strict=True)) for sums in zip(*point_sums, strict=True)]
        if not point_sums:
            criterion_sums = [()] * n_entries
        results = []
        for k, entry in enumerate(pool.entries):
            start, stop = starts[k], starts[k] + counts_list[k]
            results.append(
                EntryResult(
                    entry=entry,
                    code=pool.codes[k],
                    jurors=tuple(juror_list[start:stop]),
                    scaled_totals=tuple(scaled_list[start:stop]),
                    scale=pool.scale,
                    criterion_sums=criterion_sums[k],
                    adjusted_mean=adjusted_lists["mean"][k] if adjusted_lists else None,
                    adjusted_median=adjusted_lists["median"][k] if adjusted_lists else None,
                    adjusted_trimmed=adjusted_lists["trimmed"][k] if adjusted_lists else None,
                    flagged=flagged_list[k],
                    place_raw=raw_list[k],
                    place_adjusted=adjusted_list[k],
                    place=counting_list[k],
                    ex_aequo=bool(shared[counting_list[k]] > 1),
                )
            )
        rows = tuple(results[k] for k in np.lexsort((display, counting)).tolist())
        column_places = {
            column: dict(zip(pool.entries, found.tolist(), strict=True)) for column, found in columns.items()
        }
        return rows, column_places

    unscored = tuple(sorted(set(entries) - set(pool.entries), key=lambda e: (codes.get(e, str(e)), str(e))))
    maximum = Fraction(pool.scaled_max, pool.scale)
    return Ranking(settings, maximum, unscored, effects, codes, pool.scale, pool, build)


def _pool_effects(pool, values):
    """fit_juror_effects on a pool's arrays, numbering entries and jurors exactly as fit_juror_effects would."""
    by_str = sorted(range(len(pool.entries)), key=lambda k: str(pool.entries[k]))
    renumber = np.empty(len(pool.entries), dtype=np.int64)
    renumber[by_str] = np.arange(len(pool.entries))
    jurors, j = np.unique(pool.jurors, return_inverse=True)
    return _fit_effects(renumber[pool.entry_idx], j, values, jurors.tolist(), len(pool.entries))


# --- stability -------------------------------------------------------------------------------------------------------


def stability(ranking, top_n=None):
    """The top places under every method, raw and adjusted, side by side, and who keeps their place under all."""
    top_n = top_n or ranking.settings.top_n
    places = ranking.columns
    columns = tuple(places)
    rows = []
    for row in ranking.rows:
        entry_places = tuple(places[column][row.entry] for column in columns)
        if min(entry_places) > top_n:
            continue
        rows.append(
            StabilityRow(
                entry=row.entry,
                code=row.code,
                places=entry_places,
                keeps_place=len(set(entry_places)) == 1,
                stays_in_top=max(entry_places) <= top_n,
            )
        )
    rows.sort(key=lambda r: (min(r.places), r.code))
    return Stability(top_n, columns, tuple(rows))


# --- charts ----------------------------------------------------------------------------------------------------------

_WIDTH = 640
_LEFT = 120
_RIGHT = 20
_ROW = 24
_TOP = 30
_BOTTOM = 30


def _e(text):
    return html.escape(str(text), quote=True)


def _shown(value, places=2, separator=None):
    """A number as the chart's text shows it, with the language's decimal separator ("15,00" in Polish), as the data
    table does; a chart looks the separator up once and passes it (thousands of texts on a large edition)."""
    return _separated(to_decimal(value, places), separator)


def _separated(number, separator=None):
    """A Decimal already rounded for showing, written with the language's decimal separator."""
    return format(number, "f").replace(".", separator or formats.get_format("DECIMAL_SEPARATOR"))


def _x(value, maximum):
    return _LEFT + float(value) / float(maximum) * (_WIDTH - _LEFT - _RIGHT)


def _axis(height, maximum):
    """The value axis at the bottom with five ticks, as SVG parts."""
    separator = formats.get_format("DECIMAL_SEPARATOR")
    y = height - _BOTTOM
    parts = [f'<line x1="{_LEFT}" y1="{y}" x2="{_WIDTH - _RIGHT}" y2="{y}" stroke="#555" stroke-width="1"/>']
    for k in range(5):
        value = Fraction(maximum) * k / 4
        x = _x(value, maximum)
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#555" stroke-width="1"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y + 16}" text-anchor="middle" font-size="11" fill="#333">'
            f"{_e(_shown(value, 1, separator))}</text>"
        )
    return parts


def _svg(title, description, height, body):
    label = _e(title)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'role="img" aria-label="{label}"><title>{label}</title><desc>{_e(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _quantile(ordered, p):
    """The p-quantile of sorted values, linear between the closest ranks (exact for ints and Fractions)."""
    position = Fraction(p) * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _juror_stats(cards):
    """{juror: (lowest, lower quartile, median, upper quartile, highest, mean, cards)} as Fractions (cards: int).

    cards: a Ranking, whose scaled integer totals are grouped and sorted as ints (a Fraction only per statistic), or
    CardTotal / (entry, juror, total) rows.
    """
    by_juror = defaultdict(list)
    scale = 1
    if isinstance(cards, Ranking):
        scale = cards.scale
        pool = cards.pool
        # Sorted by juror, then total, with numpy; each juror's run of ints is then already ordered.
        order = np.lexsort((pool.scaled, pool.jurors))
        jurors, totals = pool.jurors[order], pool.scaled[order]
        bounds = np.flatnonzero(np.diff(jurors)) + 1
        for run_jurors, run in zip(np.split(jurors, bounds), np.split(totals, bounds), strict=True):
            if len(run):
                by_juror[int(run_jurors[0])] = run.tolist()
    else:
        for card in cards:
            _entry, juror, total = (card.entry, card.juror, card.total) if isinstance(card, CardTotal) else card
            by_juror[juror].append(Fraction(total))
    stats = {}
    for juror, totals in by_juror.items():
        ordered = sorted(totals)  # already sorted when read from a Ranking (cheap then)
        points = (ordered[0], *(_quantile(ordered, Fraction(k, 4)) for k in (1, 2, 3)), ordered[-1])
        mean = Fraction(sum(ordered)) / len(ordered)
        stats[juror] = (*(Fraction(v) / scale for v in points), mean / scale, len(ordered))
    return stats


def juror_distribution_chart(cards, maximum, juror_label=None):
    """A box plot per juror number: lowest, quartiles, median and highest total, and the juror's mean as a red dot.

    cards: a Ranking (fast: reads its scaled totals) or CardTotal / (entry, juror, total) rows; maximum: the maximum
    weighted total. The drawing is a fixed handful of shapes per juror, whatever the number of scorecards; the data
    table (one row per juror: cards, mean, median, lowest, highest) carries the numbers.
    """
    juror_label = juror_label or _("Juror %(number)s")
    stats = _juror_stats(cards)
    jurors = sorted(stats)
    title = _("Distribution of totals per juror")
    height = _TOP + _ROW * len(jurors) + _BOTTOM
    body = [f'<text x="{_LEFT}" y="18" font-size="12" fill="#333">{_e(title)}</text>']
    rows = []
    words = {
        "cards": _("scorecards"),
        "low": _("lowest"),
        "q1": _("lower quartile"),
        "median": _("median"),
        "q3": _("upper quartile"),
        "high": _("highest"),
        "mean": _("mean"),
    }
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def shown(value):
        return _shown(value, separator=separator)

    for k, juror in enumerate(jurors):
        low, q1, median, q3, high, mean, count = stats[juror]
        name = juror_label % {"number": juror}
        y = _TOP + _ROW * k + _ROW / 2
        xs = [_x(v, maximum) for v in (low, q1, median, q3, high, mean)]
        tip = _e(
            f"{name}: {words['cards']} {count}, {words['low']} {shown(low)}, {words['q1']} {shown(q1)}, "
            f"{words['median']} {shown(median)}, {words['q3']} {shown(q3)}, {words['high']} "
            f"{shown(high)}, {words['mean']} {shown(mean)}"
        )
        body.append(
            f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{_e(name)}</text>'
        )
        body.append(
            f"<g><title>{tip}</title>"
            f'<line x1="{xs[0]:.1f}" y1="{y:.1f}" x2="{xs[4]:.1f}" y2="{y:.1f}" stroke="#555" stroke-width="1"/>'
            + "".join(
                f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x:.1f}" y2="{y + 5:.1f}" stroke="#555" stroke-width="1"/>'
                for x in (xs[0], xs[4])
            )
            + f'<rect x="{xs[1]:.1f}" y="{y - 7:.1f}" width="{max(xs[3] - xs[1], 1):.1f}" height="14" fill="#1f5fa8" '
            f'fill-opacity="0.35" stroke="#1f5fa8" stroke-width="1"/>'
            f'<line x1="{xs[2]:.1f}" y1="{y - 7:.1f}" x2="{xs[2]:.1f}" y2="{y + 7:.1f}" stroke="#0b2e57" '
            f'stroke-width="2"/>'
            f'<circle cx="{xs[5]:.1f}" cy="{y:.1f}" r="4" fill="#b22222"/></g>'
        )
        rows.append((name, count, to_decimal(mean), to_decimal(median), to_decimal(low), to_decimal(high)))
    body.extend(_axis(height, maximum))
    description = _(
        "One row per juror: the whisker runs from the lowest to the highest total, the box from the lower to the upper "
        "quartile, the dark line is the median and the red dot the juror's mean."
    )
    header = (_("Juror"), _("Scorecards"), _("Mean"), _("Median"), _("Lowest"), _("Highest"))
    return Chart(_svg(title, description, height, body), title, header, tuple(rows))


def entry_spread_chart(rows, maximum):
    """Each entry's spread of totals: a bar from the lowest to the highest total with a marker at the mean.

    rows: EntryResult (e.g. ``ranking.rows`` or the flagged ones); maximum: the maximum weighted total.
    """
    title = _("Spread of jurors' totals per entry")
    mean_word = _e(_("mean"))
    separator = formats.get_format("DECIMAL_SEPARATOR")
    height = _TOP + _ROW * len(rows) + _BOTTOM
    body = [f'<text x="{_LEFT}" y="18" font-size="12" fill="#333">{_e(title)}</text>']
    table = []
    for k, row in enumerate(rows):
        y = _TOP + _ROW * k + _ROW / 2
        low, high, mean = _x(row.lowest, maximum), _x(row.highest, maximum), _x(row.mean, maximum)
        colour = "#b22222" if row.flagged else "#1f5fa8"
        body.append(
            f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{_e(row.code)}</text>'
        )
        lowest, highest, mean_text = to_decimal(row.lowest), to_decimal(row.highest), to_decimal(row.mean)
        body.append(
            f"<g><title>{_e(row.code)}: {_e(_separated(lowest, separator))}–{_e(_separated(highest, separator))}, "
            f"{mean_word} {_e(_separated(mean_text, separator))}</title>"
            f'<rect x="{low:.1f}" y="{y - 4:.1f}" width="{max(high - low, 1):.1f}" height="8" fill="{colour}" '
            f'fill-opacity="0.35" stroke="{colour}" stroke-width="1"/>'
            f'<circle cx="{mean:.1f}" cy="{y:.1f}" r="4" fill="#222"/></g>'
        )
        table.append(
            (
                row.code,
                row.cards,
                lowest,
                mean_text,
                highest,
                to_decimal(row.spread),
                row.flagged,
            )
        )
    body.extend(_axis(height, maximum))
    description = _(
        "One row per entry: the bar runs from the lowest to the highest juror total, the dot is the mean; "
        "red bars are flagged for disagreement."
    )
    header = (_("Entry"), _("Scorecards"), _("Lowest"), _("Mean"), _("Highest"), _("Spread"), _("Flagged"))
    return Chart(_svg(title, description, height, body), title, header, tuple(table))
