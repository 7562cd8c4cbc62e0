"""Benchmark of the automatic jury assignment: 1,000 entries × 60 jurors × k = 5 with seeded random conflicts.

Run: .venv/bin/python benchmarks/assignment.py [entries] [jurors] [k]
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jury.assignment import lowest_max_load, solve  # noqa: E402


def main(n_entries=1000, n_jurors=60, k=5, conflict_rate=0.03, seed=2026):
    rng = random.Random(seed)
    entries = [f"SLZ-2026-{i:04d}" for i in range(1, n_entries + 1)]
    jurors = list(range(1, n_jurors + 1))
    conflicts = {(e, j) for e in entries for j in jurors if rng.random() < conflict_rate}
    caps = {j: 120 for j in jurors[:5]}
    started = time.perf_counter()
    result = solve(entries, jurors, k, conflicts=conflicts, caps=caps)
    elapsed = time.perf_counter() - started
    again = solve(entries, jurors, k, conflicts=conflicts, caps=caps)
    print(f"entries={n_entries} jurors={n_jurors} k={k} conflicts={len(conflicts)}")
    print(f"ok={result.ok} assignments={len(result.pairs)} time={elapsed:.2f}s")
    best = lowest_max_load(n_entries, n_jurors, k)
    print(f"max load={result.max_load} min load={result.min_load} (best possible max {best})")
    print(f"deterministic={result.pairs == again.pairs}")
    if not result.ok:
        print("\n".join(result.problems))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    main(*args)
