"""The automatic assignment: balanced, conflict-free, capped, deterministic, and honest when it cannot be done."""

import random

from jury.assignment import lowest_max_load, solve


def _entries(n):
    return [f"E{i:03d}" for i in range(n)]


def test_solve_gives_every_entry_k_distinct_jurors():
    result = solve(_entries(30), range(7), 3)
    assert result.ok
    per_entry = {}
    for entry, juror in result.pairs:
        per_entry.setdefault(entry, set()).add(juror)
    assert {len(jurors) for jurors in per_entry.values()} == {3}
    assert len(per_entry) == 30


def test_solve_balances_load_within_one():
    result = solve(_entries(31), range(7), 3)
    assert (result.min_load, result.max_load) == (13, 14)
    assert result.max_load == lowest_max_load(31, 7, 3)


def test_solve_never_assigns_a_conflict():
    conflicts = {(f"E{i:03d}", i % 5) for i in range(40)}
    result = solve(_entries(40), range(5), 2, conflicts=conflicts)
    assert result.ok
    assert set(result.pairs) & conflicts == set()


def test_solve_respects_caps():
    result = solve(_entries(20), range(4), 2, caps={0: 3, 1: 5})
    assert result.ok
    assert result.loads[0] <= 3
    assert result.loads[1] <= 5
    assert sum(result.loads.values()) == 40


def test_solve_is_deterministic_whatever_the_input_order():
    rng = random.Random(7)
    entries = _entries(50)
    conflicts = {(e, j) for e in entries for j in range(8) if rng.random() < 0.1}
    first = solve(entries, list(range(8)), 3, conflicts=conflicts)
    shuffled = entries[:]
    rng.shuffle(shuffled)
    second = solve(shuffled, [7, 6, 5, 4, 3, 2, 1, 0], 3, conflicts=set(conflicts))
    assert first.pairs == second.pairs


def test_solve_reports_entries_without_enough_free_jurors():
    conflicts = {("E001", 0), ("E001", 1)}
    result = solve(_entries(5), range(3), 2, conflicts=conflicts)
    assert not result.ok
    assert result.short_entries == ("E001",)
    assert "E001" in result.problems[0]


def test_solve_reports_caps_too_low():
    result = solve(_entries(10), range(3), 2, caps={0: 2, 1: 2, 2: 2})
    assert not result.ok
    assert "caps" in result.problems[0]


def test_solve_reports_infeasible_hall_violation():
    # Two entries can only go to juror 0 and 1; juror 0 has room for one: each passes alone, not together.
    conflicts = {("E000", 2), ("E001", 2)}
    result = solve(_entries(2), range(3), 2, conflicts=conflicts, caps={0: 1})
    assert not result.ok


def test_solve_keeps_fixed_pairs():
    fixed = {("E000", 4), ("E001", 4)}
    result = solve(_entries(6), range(5), 1, fixed=fixed)
    assert result.ok
    assert fixed <= set(result.pairs)


def test_solve_without_k_gives_everyone_everything_but_conflicts():
    result = solve(_entries(3), range(2), None, conflicts={("E000", 1)})
    assert result.ok
    assert result.pairs == (("E000", 0), ("E001", 0), ("E001", 1), ("E002", 0), ("E002", 1))


def test_solve_with_no_entries_is_trivially_ok():
    result = solve([], range(3), 2)
    assert result.ok
    assert result.pairs == ()


def test_solve_larger_instance_is_balanced():
    rng = random.Random(1)
    entries = _entries(300)
    conflicts = {(e, j) for e in entries for j in range(20) if rng.random() < 0.05}
    result = solve(entries, range(20), 5, conflicts=conflicts)
    assert result.ok
    assert result.max_load - result.min_load <= 1
