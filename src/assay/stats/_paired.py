"""Paired comparisons of two candidates scored on the same cases.

Every comparison is paired: the unit is the per-case difference d_i = b_i - a_i (epochs
averaged per case first). Intervals:

* binary scores, independent cases, unweighted: Agresti-Min (2005) adjusted Wald
  interval for the difference of matched proportions (adds 1/2 to each cell), which
  keeps close to nominal coverage at n = 30 where the plain Wald interval does not;
* otherwise: Student-t with Miller's clustered standard error (df = clusters - 1),
  optionally weighted to production traffic.

Tests: McNemar exact and mid-p for binary scores, the sign test and Wilcoxon
signed-rank for graded ones, a clustered t-test when cases share clusters or carry
weights. Benjamini-Hochberg adjusts p-values across slices and candidates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from assay.stats._clustered import cluster_codes, mean_se


@dataclass(frozen=True)
class McNemar:
    """Discordant pairs and McNemar p-values (b: candidate right, incumbent wrong)."""

    b: int
    c: int
    p_exact: float
    p_midp: float


def mcnemar(a: np.ndarray, b: np.ndarray) -> McNemar:
    """McNemar's exact (conditional binomial) and mid-p tests for paired binary scores.

    Mid-p = exact p minus the probability of the observed table (Fagerland, Lydersen &
    Laake 2013), which is less conservative and recommended for routine use.
    """
    a, b = np.asarray(a), np.asarray(b)
    n10 = int(np.sum((b == 1) & (a == 0)))
    n01 = int(np.sum((b == 0) & (a == 1)))
    m = n10 + n01
    if m == 0:
        return McNemar(n10, n01, 1.0, 1.0)
    k = min(n10, n01)
    exact = min(1.0, 2 * float(stats.binom.cdf(k, m, 0.5)))
    midp = min(1.0, 2 * float(stats.binom.cdf(k, m, 0.5)) - float(stats.binom.pmf(k, m, 0.5)))
    return McNemar(n10, n01, exact, midp)


def sign_test(d: np.ndarray) -> float:
    """Two-sided sign test p-value on paired differences (zeros dropped)."""
    d = np.asarray(d, dtype=float)
    pos, neg = int(np.sum(d > 0)), int(np.sum(d < 0))
    if pos + neg == 0:
        return 1.0
    return float(stats.binomtest(pos, pos + neg, 0.5).pvalue)


def wilcoxon(d: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value (zeros dropped; exact when small and untied)."""
    d = np.asarray(d, dtype=float)
    if np.count_nonzero(d) == 0:
        return 1.0
    return float(stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided").pvalue)


def benjamini_hochberg(p: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1). NaNs pass through."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m == 0:
        return out
    order = np.argsort(q)
    ranked = q[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1]
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out


def agresti_min(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Agresti-Min (2005) interval for p_b - p_a on matched binary pairs."""
    n = len(a)
    n10 = np.sum((b == 1) & (a == 0)) + 0.5
    n01 = np.sum((b == 0) & (a == 1)) + 0.5
    N = n + 2
    diff = (n10 - n01) / N
    se = np.sqrt(max(((n10 + n01) / N - diff**2) / N, 0.0))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return (float(max(-1.0, diff - z * se)), float(min(1.0, diff + z * se)))


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of per-case scores (NaN when either is constant)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


@dataclass(frozen=True)
class PairedDiff:
    """Candidate (b) minus reference (a) on the same cases."""

    mean_a: float
    mean_b: float
    diff: float
    se: float
    low: float
    high: float
    n: int
    n_clusters: int
    weighted: bool
    interval_method: str
    test: str
    p_value: float
    correlation: float
    extra: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def paired_difference(
    a: np.ndarray,
    b: np.ndarray,
    *,
    binary: bool,
    clusters: np.ndarray | list | None = None,
    weights: np.ndarray | None = None,
    confidence: float = 0.95,
) -> PairedDiff:
    """Mean paired difference b - a with a clustered SE, an interval and a test.

    ``a`` and ``b`` hold one score per case in the same order. ``weights`` re-weights
    cases to production traffic; ``clusters`` marks cases that are not independent.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired scores differ in length: {len(a)} vs {len(b)}")
    n = len(a)
    if n == 0:
        nan = float("nan")
        return PairedDiff(nan, nan, nan, nan, nan, nan, 0, 0, weights is not None, "none", "none", nan, nan)
    d = b - a
    ms = mean_se(d, weights=weights, clusters=clusters)
    wa = mean_se(a, weights=weights).mean
    wb = mean_se(b, weights=weights).mean
    clustered = ms.n_clusters < n
    is_binary = binary and bool(np.all(np.isin(a, (0, 1))) and np.all(np.isin(b, (0, 1))))
    extra: dict[str, float] = {}
    if is_binary:
        mc = mcnemar(a, b)
        extra.update(discordant_b_better=mc.b, discordant_a_better=mc.c, mcnemar_exact_p=mc.p_exact, mcnemar_midp=mc.p_midp)
    else:
        extra.update(sign_test_p=sign_test(d), wilcoxon_p=wilcoxon(d))
    if n < 2:
        low = high = p = float("nan")
        imethod, test = "none", "none"
    elif is_binary and not clustered and weights is None:
        low, high = agresti_min(a, b, confidence)
        imethod, test, p = "agresti-min", "mcnemar-midp", extra["mcnemar_midp"]
    else:
        low, high = ms.interval(confidence)
        imethod = "clustered-t" if clustered else "t"
        if clustered or weights is not None:
            test = "clustered-t" if clustered else "weighted-t"
            p = 1.0 if ms.se == 0 and ms.mean == 0 else float(2 * stats.t.sf(abs(ms.mean) / ms.se, ms.df)) if ms.se > 0 else 0.0
        elif is_binary:
            test, p = "mcnemar-midp", extra["mcnemar_midp"]
        else:
            test, p = "wilcoxon", extra["wilcoxon_p"]
    if np.all((a >= 0) & (a <= 1)) and np.all((b >= 0) & (b <= 1)):
        low, high = max(float(low), -1.0), min(float(high), 1.0)  # a difference of [0, 1] scores
    return PairedDiff(
        mean_a=wa, mean_b=wb, diff=ms.mean, se=ms.se, low=float(low), high=float(high), n=n,
        n_clusters=ms.n_clusters, weighted=weights is not None, interval_method=imethod, test=test,
        p_value=float(p), correlation=correlation(a, b), extra=extra,
    )


@dataclass(frozen=True)
class BootstrapResult:
    """Paired bootstrap of the mean difference: percentile interval and two-sided p."""

    diff: float
    low: float
    high: float
    p_value: float
    n_resamples: int


_BLOCKS = 4  # fixed number of random streams, so results do not depend on the core count


def _index_bootstrap(sums: np.ndarray, sizes: np.ndarray, n_resamples: int, seed: int) -> np.ndarray:
    """Resampled means by drawing cluster indices, in _BLOCKS independent streams run on
    threads (numpy releases the GIL for the draws and gathers)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    g = len(sums)
    singletons = bool(np.all(sizes == 1))  # no clustering: the denominator is always g
    idx_type = np.int32 if g < 2**31 else np.int64
    chunk = max(1, 20_000_000 // g)
    bounds = np.linspace(0, n_resamples, _BLOCKS + 1).astype(int)
    streams = np.random.SeedSequence(seed).spawn(_BLOCKS)
    draws = np.empty(n_resamples)

    def block(k: int) -> None:
        rng = np.random.default_rng(streams[k])
        for s in range(bounds[k], bounds[k + 1], chunk):
            e = min(bounds[k + 1], s + chunk)
            idx = rng.integers(0, g, size=(e - s, g), dtype=idx_type)
            if singletons:
                draws[s:e] = sums[idx].sum(axis=1) / g
            else:
                draws[s:e] = sums[idx].sum(axis=1) / sizes[idx].sum(axis=1)

    with ThreadPoolExecutor(max_workers=min(_BLOCKS, os.cpu_count() or 1)) as pool:
        list(pool.map(block, range(_BLOCKS)))
    return draws


def paired_bootstrap(
    a: np.ndarray,
    b: np.ndarray,
    *,
    clusters: np.ndarray | list | None = None,
    n_resamples: int = 10_000,
    confidence: float = 0.95,
    seed: int = 0,
    max_atoms: int = 4096,
) -> BootstrapResult:
    """Paired (cluster) bootstrap of mean(b - a), vectorised.

    A resampled mean depends only on how often each distinct (cluster sum, cluster
    size) pair is drawn, so the draws are multinomial counts over those atoms: exact,
    and fast when scores sit on a grid (pass/fail, 1-5 grades). With more distinct
    atoms than ``max_atoms`` it falls back to drawing indices in chunks.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = b - a
    n = len(d)
    if n == 0:
        nan = float("nan")
        return BootstrapResult(nan, nan, nan, nan, n_resamples)
    rng = np.random.default_rng(seed)
    codes = cluster_codes(clusters, n)
    g = int(codes.max()) + 1
    sums = np.bincount(codes, weights=d, minlength=g)
    sizes = np.bincount(codes, minlength=g).astype(float)
    atoms, inverse = np.unique(np.stack([sums, sizes], axis=1), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    if len(atoms) <= max_atoms:
        freq = np.bincount(inverse, minlength=len(atoms)) / g
        counts = rng.multinomial(g, freq, size=n_resamples).astype(float)
        draws = (counts @ atoms[:, 0]) / (counts @ atoms[:, 1])
    else:
        draws = _index_bootstrap(sums, sizes, n_resamples, seed)
    alpha = 1 - confidence
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2])
    diff = float(d.mean())
    # Two-sided percentile p-value: how often the resampled difference crosses zero.
    p = 2 * min(np.mean(draws <= 0), np.mean(draws >= 0))
    return BootstrapResult(diff, float(low), float(high), float(min(1.0, p)), n_resamples)
