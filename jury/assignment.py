"""Pure optimisation of who scores what: a balanced bipartite b-matching solved as a linear programme (HiGHS).

Each entry gets exactly k distinct jurors, no juror gets a conflicted entry, no juror goes over their cap, and the
loads are as even as possible. Evenness is a convex cost on each juror's load (the t-th entry costs t), written as
unit "load segments"; a tiny, stable per-pair perturbation breaks ties so the same input always gives the same answer.
The constraint matrix is an incidence matrix of a bipartite graph plus unit columns, so it is totally unimodular and
every vertex of the LP is integral. The lowest feasible maximum load is found first by max-flow (scipy.sparse.csgraph)
so that only the load segments up to it enter the programme.
"""

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import maximum_flow


@dataclass(frozen=True)
class AssignmentResult:
    ok: bool
    pairs: tuple = ()  # (entry, juror) pairs, sorted
    loads: dict = field(default_factory=dict)  # juror -> number of entries
    problems: tuple = ()  # human-readable reasons when not ok (English, for logs and the benchmark)
    short_entries: tuple = ()  # entries that cannot get k jurors
    reasons: tuple = ()  # machine-readable: (code, *numbers) with code in REASONS, for translated reports

    @property
    def max_load(self):
        return max(self.loads.values(), default=0)

    @property
    def min_load(self):
        return min(self.loads.values(), default=0)

    def explain(self, codes):
        """Translated sentences for a result that is not ok; codes: {entry: code} to name the short entries."""
        short = ", ".join(codes.get(pk) or str(pk) for pk in self.short_entries)
        messages = []
        for reason in self.reasons:
            kind, *numbers = reason
            if kind == "short":
                messages.append(
                    ngettext(
                        "%(n)s entry has fewer than %(k)s jurors without a conflict of interest: %(entries)s.",
                        "%(n)s entries have fewer than %(k)s jurors without a conflict of interest: %(entries)s.",
                        len(self.short_entries),
                    )
                    % {"n": len(self.short_entries), "k": numbers[0], "entries": short}
                )
            elif kind == "capacity":
                messages.append(
                    _("The jurors' maximum loads allow %(capacity)s assignments, but %(demand)s are needed.")
                    % {"capacity": numbers[0], "demand": numbers[1]}
                )
            elif kind == "fixed_conflict":
                messages.append(
                    _("A juror who has started a scorecard now has a conflict of interest with that entry.")
                )
            elif kind == "over_cap":
                messages.append(
                    _("%(n)s jurors would go over their maximum load if every juror scored every entry.")
                    % {"n": numbers[0]}
                )
            elif kind == "uncovered":
                messages.append(
                    _("Some entries have no juror without a conflict of interest: %(entries)s.") % {"entries": short}
                )
            elif kind == "k_invalid":
                messages.append(_("Give at least one juror per entry."))
            else:
                messages.append(
                    _(
                        "No assignment meets every constraint: too many conflicts of interest or maximum loads too low "
                        "for %(k)s jurors per entry."
                    )
                    % {"k": numbers[0] if numbers else ""}
                )
        return messages


def _stable_noise(entry, juror):
    digest = hashlib.sha256(f"{entry}\x00{juror}".encode()).digest()
    return int.from_bytes(digest[:6], "big") / float(1 << 48)


def solve(entries, jurors, k, *, conflicts=(), caps=None, fixed=()):
    """Assign k jurors to each entry.

    entries, jurors: sequences of hashable, orderable keys (e.g. entry codes, member ids).
    conflicts: (entry, juror) pairs that must never be assigned.
    caps: juror -> maximum number of entries (missing or None: no limit).
    fixed: (entry, juror) pairs that must stay assigned (e.g. already scored); they count towards k and caps.
    """
    entries = sorted(set(entries))
    jurors = sorted(set(jurors))
    caps = caps or {}
    conflicts = set(conflicts)
    fixed = {pair for pair in fixed if pair[0] in set(entries) and pair[1] in set(jurors)}
    if not entries:
        return AssignmentResult(ok=True, loads={j: 0 for j in jurors})
    if k is None:
        return _everyone(entries, jurors, conflicts, caps)
    if k < 1:
        return AssignmentResult(ok=False, problems=("k must be at least 1.",), reasons=(("k_invalid",),))

    cap = {j: (caps.get(j) if caps.get(j) is not None else len(entries)) for j in jurors}
    allowed = {e: [j for j in jurors if (e, j) not in conflicts and cap[j] > 0] for e in entries}
    need = {e: max(k, sum(1 for (fe, _j) in fixed if fe == e)) for e in entries}
    short = tuple(e for e in entries if len(allowed[e]) < need[e])
    problems, reasons = [], []
    if short:
        reasons.append(("short", k))
        problems.append(
            f"{len(short)} entries have fewer than {k} jurors without a conflict of interest: "
            + ", ".join(str(e) for e in short[:20])
            + ("…" if len(short) > 20 else "")
        )
    capacity = sum(min(cap[j], sum(1 for e in entries if (e, j) not in conflicts)) for j in jurors)
    demand = sum(need.values())
    if capacity < demand:
        reasons.append(("capacity", capacity, demand))
        problems.append(f"The jurors' caps allow {capacity} assignments but {demand} are needed.")
    for pair in fixed:
        if pair in conflicts:
            reasons.append(("fixed_conflict",))
            problems.append(f"A kept assignment conflicts: {pair[0]} / {pair[1]}.")
    if problems:
        return AssignmentResult(ok=False, problems=tuple(problems), short_entries=short, reasons=tuple(reasons))

    # Variables: one x per allowed (entry, juror) pair, then load segments s[j, t] for t = 1..upper_j.
    pairs = [(e, j) for e in entries for j in allowed[e]]
    degree = {j: 0 for j in jurors}
    for _e, j in pairs:
        degree[j] += 1
    # Load segments only up to the lowest feasible maximum load: the balanced optimum never needs more, and
    # fewer segments make the programme much smaller. Fall back to the full range if kept pairs need more.
    best_max = _lowest_feasible_max_load(entries, jurors, allowed, need, cap)
    fixed_load = {j: sum(1 for (_e, fj) in fixed if fj == j) for j in jurors}
    for bound in (best_max, None):
        result = _solve_lp(entries, jurors, pairs, need, cap, degree, fixed, fixed_load, demand, bound)
        if result is not None:
            return result
    return AssignmentResult(
        ok=False,
        problems=(
            "No assignment meets every constraint: too many conflicts of interest or caps too low for "
            f"{k} jurors per entry.",
        ),
        reasons=(("infeasible", k),),
    )


def _solve_lp(entries, jurors, pairs, need, cap, degree, fixed, fixed_load, demand, bound):
    n_pairs = len(pairs)
    entry_row = {e: i for i, e in enumerate(entries)}
    juror_row = {j: len(entries) + i for i, j in enumerate(jurors)}
    upper = {j: min(cap[j], degree[j], max(bound, fixed_load[j]) if bound is not None else degree[j]) for j in jurors}
    seg_jurors = [j for j in jurors for _t in range(upper[j])]
    seg_t = [t for j in jurors for t in range(1, upper[j] + 1)]
    n_vars = n_pairs + len(seg_jurors)

    rows, cols, vals = [], [], []
    for col, (e, j) in enumerate(pairs):
        rows += [entry_row[e], juror_row[j]]
        cols += [col, col]
        vals += [1.0, 1.0]
    for offset, j in enumerate(seg_jurors):
        rows.append(juror_row[j])
        cols.append(n_pairs + offset)
        vals.append(-1.0)
    matrix = coo_array((vals, (rows, cols)), shape=(len(entries) + len(jurors), n_vars)).tocsr()
    lower_rhs = np.array([need[e] for e in entries] + [0] * len(jurors), dtype=float)
    constraint = LinearConstraint(matrix, lower_rhs, lower_rhs)

    # The perturbation in total stays below one unit of the load cost, so it only ever breaks ties.
    epsilon = 0.5 / (demand + 1)
    cost = np.empty(n_vars)
    cost[:n_pairs] = [epsilon * _stable_noise(e, j) for e, j in pairs]
    cost[n_pairs:] = seg_t
    lower = np.zeros(n_vars)
    fixed_cols = [col for col, pair in enumerate(pairs) if pair in fixed]
    lower[fixed_cols] = 1.0
    # Interior point with crossover ends at a vertex, which total unimodularity makes integral; it is ten times
    # faster than simplex here. Should a degenerate answer come back fractional, the MILP settles it.
    result = linprog(
        cost, A_eq=matrix, b_eq=lower_rhs, bounds=np.column_stack([lower, np.ones(n_vars)]), method="highs-ipm"
    )
    if result.status != 0 or result.x is None:
        return None
    if not np.all(np.abs(result.x - np.round(result.x)) < 1e-6):
        result = milp(
            cost,
            constraints=constraint,
            bounds=Bounds(lower, np.ones(n_vars)),
            integrality=np.ones(n_vars),
        )
        if result.status != 0 or result.x is None:
            return None
    chosen = tuple(sorted(pairs[col] for col in np.flatnonzero(result.x[:n_pairs] > 0.5)))
    loads = {j: 0 for j in jurors}
    for _e, j in chosen:
        loads[j] += 1
    return AssignmentResult(ok=True, pairs=chosen, loads=loads)


def _everyone(entries, jurors, conflicts, caps):
    """Every juror scores every entry they have no conflict with."""
    pairs = tuple((e, j) for e in entries for j in jurors if (e, j) not in conflicts)
    loads = {j: 0 for j in jurors}
    for _e, j in pairs:
        loads[j] += 1
    over = [j for j in jurors if caps.get(j) is not None and loads[j] > caps[j]]
    if over:
        return AssignmentResult(
            ok=False,
            loads=loads,
            problems=(f"{len(over)} jurors would go over their cap when every juror scores every entry.",),
            reasons=(("over_cap", len(over)),),
        )
    uncovered = tuple(e for e in entries if not any((e, j) not in conflicts for j in jurors))
    if uncovered:
        return AssignmentResult(
            ok=False,
            loads=loads,
            short_entries=uncovered,
            problems=("Some entries have no juror without a conflict of interest: " + ", ".join(map(str, uncovered)),),
            reasons=(("uncovered",),),
        )
    return AssignmentResult(ok=True, pairs=pairs, loads=loads)


def _lowest_feasible_max_load(entries, jurors, allowed, need, cap):
    """The smallest L such that a flow gives every entry its jurors with no juror above min(L, cap), by max-flow."""
    n_e, n_j = len(entries), len(jurors)
    source, sink = 0, n_e + n_j + 1
    entry_node = {e: 1 + i for i, e in enumerate(entries)}
    juror_node = {j: 1 + n_e + i for i, j in enumerate(jurors)}
    demand = sum(need.values())
    base_rows, base_cols, base_caps = [], [], []
    for e in entries:
        base_rows.append(source)
        base_cols.append(entry_node[e])
        base_caps.append(need[e])
        for j in allowed[e]:
            base_rows.append(entry_node[e])
            base_cols.append(juror_node[j])
            base_caps.append(1)

    def feasible(limit):
        rows = base_rows + [juror_node[j] for j in jurors]
        cols = base_cols + [sink] * n_j
        caps = base_caps + [min(limit, cap[j]) for j in jurors]
        graph = csr_array((np.array(caps, dtype=np.int32), (rows, cols)), shape=(sink + 1, sink + 1))
        return maximum_flow(graph, source, sink).flow_value >= demand

    low = max(1, math.ceil(demand / max(n_j, 1)))
    high = max(cap.values(), default=low)
    if feasible(low):
        return low
    while low < high:
        middle = (low + high) // 2
        if feasible(middle):
            high = middle
        else:
            low = middle + 1
    return high


def lowest_max_load(n_entries, n_jurors, k):
    """The best possible maximum load, for reports."""
    return math.ceil(n_entries * k / n_jurors) if n_jurors else 0
