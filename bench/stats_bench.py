"""Speed of the statistics behind `assay compare` and the ratings (synthetic data).

Goals: paired bootstrap, 100k cases x 10k resamples <= 5 s; Bradley-Terry with a
1,000-resample interval, 10 models / 50k votes <= 3 s.

    .venv/bin/python bench/stats_bench.py
"""

from __future__ import annotations

import time

import numpy as np

from assay.stats import bradley_terry, paired_bootstrap


def timed(label: str, fn, goal: float) -> None:
    fn()  # warm up imports and caches
    best = min(_once(fn) for _ in range(3))
    print(f"{label:<62} {best:6.2f} s   (goal <= {goal:g} s) {'OK' if best <= goal else 'SLOW'}")


def _once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    rng = np.random.default_rng(0)
    n = 100_000
    a = (rng.random(n) < 0.8).astype(float)
    b = np.where(rng.random(n) < 0.85, a, 1 - a)
    timed("paired bootstrap, pass/fail, 100k cases x 10k resamples", lambda: paired_bootstrap(a, b, n_resamples=10_000), 5)
    ga, gb = rng.integers(0, 5, n) / 4, rng.integers(0, 5, n) / 4
    timed("paired bootstrap, 0-4 grades, 100k cases x 10k resamples", lambda: paired_bootstrap(ga, gb, n_resamples=10_000), 5)
    conv = rng.integers(0, 40_000, n)
    timed("paired bootstrap, pass/fail, 40k conversations x 10k", lambda: paired_bootstrap(a, b, clusters=conv, n_resamples=10_000), 5)
    ca, cb = rng.random(n), rng.random(n)
    timed("paired bootstrap, continuous scores, 100k cases x 10k resamples", lambda: paired_bootstrap(ca, cb, n_resamples=10_000), 5)

    k, votes = 10, 50_000
    strength = rng.normal(0, 1, k)
    i = rng.integers(0, k, votes)
    j = (i + rng.integers(1, k, votes)) % k
    p = 1 / (1 + np.exp(-(strength[i] - strength[j])))
    u = rng.random(votes)
    w = np.where(u < 0.9 * p, "left", np.where(u > 1 - 0.9 * (1 - p), "right", "tie"))
    names = [f"model-{x}" for x in range(k)]
    left, right = [names[x] for x in i], [names[x] for x in j]
    timed("Bradley-Terry, 10 models, 50k votes, 1,000 resamples", lambda: bradley_terry(left, right, list(w), n_resamples=1000), 3)


if __name__ == "__main__":
    main()
