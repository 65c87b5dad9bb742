"""Rank agreement between a benchmark and task evidence: Kendall's tau-b with a bootstrap
interval (cases resampled, the benchmark scores held fixed)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assay.stats._clustered import cluster_codes


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall's tau-b of ``x`` (K,) against each row of ``y`` (B, K) or (K,)."""
    x = np.asarray(x, dtype=float)
    y = np.atleast_2d(np.asarray(y, dtype=float))
    iu = np.triu_indices(len(x), 1)
    sx = np.sign(x[:, None] - x[None, :])[iu]
    sy = np.sign(y[:, :, None] - y[:, None, :])[:, iu[0], iu[1]]
    num = (sy * sx).sum(axis=1)
    den = np.sqrt(np.abs(sx).sum() * np.abs(sy).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@dataclass(frozen=True)
class RankAgreement:
    tau: float
    low: float
    high: float
    n_models: int
    n_cases: int
    n_resamples: int


def rank_agreement(
    benchmark: np.ndarray,
    case_scores: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    clusters: np.ndarray | list | None = None,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> RankAgreement:
    """Kendall tau-b between benchmark scores (K,) and task means of ``case_scores`` (K, n).

    The interval resamples cases (whole clusters when given) jointly for all models,
    so it reflects how sure the task ranking is; the benchmark scores are taken as given.
    """
    bench = np.asarray(benchmark, dtype=float)
    S = np.asarray(case_scores, dtype=float)
    k, n = S.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    task = (S * w).sum(axis=1) / w.sum()
    tau = float(kendall_tau_b(bench, task)[0])
    if n < 2 or k < 2:
        return RankAgreement(tau, float("nan"), float("nan"), k, n, 0)
    codes = cluster_codes(clusters, n)
    g = int(codes.max()) + 1
    csum = np.stack([np.bincount(codes, weights=S[i] * w, minlength=g) for i in range(k)])  # (K, G)
    cw = np.bincount(codes, weights=w, minlength=g)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(g, np.full(g, 1.0 / g), size=n_resamples).astype(float)  # (B, G)
    means = (counts @ csum.T) / (counts @ cw)[:, None]
    taus = kendall_tau_b(bench, means)
    a = 1 - confidence
    if np.all(np.isnan(taus)):  # every resample tied: tau undefined
        return RankAgreement(tau, float("nan"), float("nan"), k, n, n_resamples)
    lo, hi = np.nanquantile(taus, [a / 2, 1 - a / 2])
    return RankAgreement(tau, float(lo), float(hi), k, n, n_resamples)
