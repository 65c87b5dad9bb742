"""Intervals for a candidate's mean score. Pure functions over numbers, no I/O.

Binary scores get the Wilson score interval (right for small n and for rates near 0
or 1, where the normal approximation fails); graded scores get a BCa bootstrap
interval. Epochs are averaged per case before either, so repeats never pose as cases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float
    high: float
    n: int
    method: str

    def to_json(self) -> dict[str, float | int | str]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n, "method": self.method}


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n == 0:
        return (float("nan"), float("nan"))
    ci = stats.binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return (float(ci.low), float(ci.high))


def bootstrap_mean(values: np.ndarray, confidence: float = 0.95, n_resamples: int = 4000, seed: int = 0) -> tuple[float, float]:
    """BCa bootstrap interval for the mean of ``values``."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2 or np.all(values == values[0]):
        m = float(values.mean()) if len(values) else float("nan")
        return (m, m)
    res = stats.bootstrap(
        (values,), np.mean, confidence_level=confidence, n_resamples=n_resamples, method="BCa", random_state=seed
    )
    return (float(res.confidence_interval.low), float(res.confidence_interval.high))


def estimate_mean(
    values: np.ndarray,
    *,
    binary: bool,
    confidence: float = 0.95,
    clusters: np.ndarray | list | None = None,
) -> Estimate:
    """Mean with a small-sample-correct interval (``values``: one per case).

    When ``clusters`` shows that some cases are not independent (two cases from one
    conversation or user), the interval uses Miller's clustered standard error with a
    t quantile on G - 1 degrees of freedom (G clusters); otherwise Wilson for pass/fail
    scores and BCa bootstrap for graded ones.
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0, "none")
    mean = float(values.mean())
    if clusters is not None and n >= 2:
        from assay.stats._clustered import mean_se

        m = mean_se(values, clusters=clusters)
        if m.n_clusters < n and m.n_clusters >= 2:
            half = float(stats.t.ppf(0.5 + confidence / 2, m.n_clusters - 1)) * m.se
            return Estimate(mean, max(0.0, mean - half) if binary else mean - half,
                            min(1.0, mean + half) if binary else mean + half, n, "clustered-t")
    if binary and np.all((values == 0) | (values == 1)):
        low, high = wilson(int(values.sum()), n, confidence)
        return Estimate(mean, low, high, n, "wilson")
    low, high = bootstrap_mean(values, confidence)
    return Estimate(mean, low, high, n, "bootstrap-bca")


def per_case_means(case_ids: list[str], values: list[float]) -> tuple[list[str], np.ndarray]:
    """Average repeated epochs within each case."""
    acc: dict[str, list[float]] = {}
    for cid, v in zip(case_ids, values):
        acc.setdefault(cid, []).append(v)
    ids = sorted(acc)
    return ids, np.array([float(np.mean(acc[i])) for i in ids])
