"""Power and sample-size planning.

* Paired (one score per case for both candidates): the test is a one-sample t-test on
  the per-case differences, whose sd is sigma_d^2 = s_a^2 + s_b^2 - 2 rho s_a s_b; for
  pass/fail scores s^2 = p(1 - p). Power uses the noncentral t distribution.
* Unpaired (two independent sets of cases): two-sample z-test on the arcsine-transformed
  proportions (Cohen's h), n per group.
* Pairwise preference votes: one-sample test of the win rate against 1/2 on the
  arcsine scale (Cohen's h = 2 asin sqrt(p) - 2 asin sqrt(1/2)).
* MDE: the smallest difference a given n detects with the given power.

Two-sided tests throughout; power counts both rejection tails.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import optimize, stats

from assay.errors import InputError


def sd_diff(baseline: float, delta: float, rho: float) -> float:
    """sd of the paired difference of two pass/fail scores with rates p and p + delta."""
    p1, p2 = baseline, baseline + delta
    if not (0 < p1 < 1 and 0 < p2 < 1):
        raise ValueError(f"rates must lie in (0, 1): baseline {p1}, baseline + mde {p2}")
    s1, s2 = math.sqrt(p1 * (1 - p1)), math.sqrt(p2 * (1 - p2))
    return math.sqrt(max(s1 * s1 + s2 * s2 - 2 * rho * s1 * s2, 1e-12))


def power_paired(n: float, effect: float, alpha: float = 0.05) -> float:
    """Power of the two-sided one-sample t-test on differences; ``effect`` = delta / sigma_d."""
    df = n - 1
    nc = effect * math.sqrt(n)
    tc = stats.t.ppf(1 - alpha / 2, df)
    pw = float(stats.nct.sf(tc, df, nc) + stats.nct.cdf(-tc, df, nc))
    if math.isnan(pw):  # nct loses precision far in the tail, where power is ~1
        pw = float(stats.norm.sf(tc - nc) + stats.norm.cdf(-tc - nc))
    return pw


def power_unpaired(n: float, p1: float, p2: float, alpha: float = 0.05) -> float:
    """Power of the two-sided two-sample z-test on Cohen's h with n per group."""
    h = abs(2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1)))
    z = stats.norm.ppf(1 - alpha / 2)
    shift = h * math.sqrt(n / 2)
    return float(stats.norm.sf(z - shift) + stats.norm.cdf(-z - shift))


def power_votes(n: float, win_rate: float, alpha: float = 0.05) -> float:
    """Power of the two-sided one-sample test of win rate 1/2 on the arcsine scale (Cohen's h)."""
    h = abs(2 * math.asin(math.sqrt(win_rate)) - 2 * math.asin(math.sqrt(0.5)))
    z = stats.norm.ppf(1 - alpha / 2)
    shift = h * math.sqrt(n)
    return float(stats.norm.sf(z - shift) + stats.norm.cdf(-z - shift))


def _solve_n(power_fn, target: float, lo: float = 2.0) -> float:
    hi = lo * 2
    while power_fn(hi) < target:
        hi *= 2
        if hi > 1e9:
            return math.inf
    return float(optimize.brentq(lambda n: power_fn(n) - target, lo, hi, xtol=1e-10))


def n_paired(baseline: float, mde: float, rho: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Cases (exact, not rounded) for a paired comparison of pass/fail rates."""
    effect = abs(mde) / sd_diff(baseline, mde, rho)
    return _solve_n(lambda n: power_paired(n, effect, alpha), power)


def n_unpaired(baseline: float, mde: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Cases per group for two independent sets of cases."""
    return _solve_n(lambda n: power_unpaired(n, baseline, baseline + mde, alpha), power, lo=1.0)


def n_votes(win_rate: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Pairwise votes (ties counted as half) to detect a true win rate ``win_rate`` vs 1/2."""
    if win_rate == 0.5:
        return math.inf
    return _solve_n(lambda n: power_votes(n, win_rate, alpha), power, lo=1.0)


def mde_paired(n: int, baseline: float, rho: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest improvement over ``baseline`` a paired test on n cases detects with ``power``."""
    if n < 3:
        return math.nan
    top = 1 - baseline - 1e-9
    f = lambda d: power_paired(n, d / sd_diff(baseline, d, rho), alpha) - power  # noqa: E731
    if f(top) < 0:
        return math.nan
    return float(optimize.brentq(f, 1e-9, top, xtol=1e-12))


def mde_graded(n: int, sd: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """MDE of a paired test on n cases when the per-case differences have sd ``sd``."""
    if n < 3 or sd <= 0:
        return math.nan
    effect = float(optimize.brentq(lambda e: power_paired(n, e, alpha) - power, 1e-9, 100))
    return effect * sd


@dataclass(frozen=True)
class Plan:
    """The answer to ``assay plan``: cases needed paired and unpaired, votes, and MDEs."""

    baseline: float
    mde: float
    rho: float
    alpha: float
    power: float
    n_paired: int
    n_unpaired_per_group: int
    votes: int
    vote_win_rate: float
    mde_at: dict[int, float]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["mde_at"] = {str(k): v for k, v in self.mde_at.items()}
        return d


def plan(
    baseline: float,
    mde: float,
    *,
    rho: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    vote_win_rate: float = 0.55,
    sizes: tuple[int, ...] = (50, 100, 200, 400, 800, 1600, 3200),
) -> Plan:
    """Sample sizes for detecting an ``mde`` change from ``baseline`` (pass rates in [0, 1])."""
    for name, v in (("baseline", baseline), ("alpha", alpha), ("power", power), ("baseline + mde", baseline + mde)):
        if not 0 < v < 1:
            raise InputError(f"{name} must lie strictly between 0 and 1, got {v:g}",
                             hint="give rates as fractions: --baseline 0.82 --mde 0.03 means 82% -> 85%")
    if mde == 0:
        raise InputError("mde must not be 0", hint="the smallest difference worth detecting, e.g. --mde 0.03")
    if not -1 < rho < 1:
        raise InputError(f"rho must lie in (-1, 1), got {rho:g}", hint="the per-case correlation of the two candidates' scores (0.3-0.6 is typical)")
    if not 0.5 < vote_win_rate < 1 and not 0 < vote_win_rate < 0.5:
        raise InputError(f"vote win rate must lie in (0, 1) and differ from 0.5, got {vote_win_rate:g}")
    return Plan(
        baseline=baseline, mde=mde, rho=rho, alpha=alpha, power=power,
        n_paired=int(math.ceil(n_paired(baseline, mde, rho, alpha=alpha, power=power))),
        n_unpaired_per_group=int(math.ceil(n_unpaired(baseline, mde, alpha=alpha, power=power))),
        votes=int(math.ceil(n_votes(vote_win_rate, alpha=alpha, power=power))),
        vote_win_rate=vote_win_rate,
        mde_at={n: mde_paired(n, baseline, rho, alpha=alpha, power=power) for n in sizes},
    )


def power_curve(baseline: float, rho: float, sizes: np.ndarray, *, alpha: float = 0.05, power: float = 0.8) -> np.ndarray:
    """MDE (pass-rate points) for each n in ``sizes``: the data of the report's power curve."""
    return np.array([mde_paired(int(n), baseline, rho, alpha=alpha, power=power) for n in sizes])
