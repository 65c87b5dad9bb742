"""Standard errors of (weighted) means when cases share a cluster.

Miller (2024), "Adding Error Bars to Evals", eq. for the clustered standard error:

    SE_clustered^2 = SE_CLT^2 + (1/n^2) * sum_c sum_{i in c} sum_{j in c, j != i} e_i e_j

with e_i = s_i - mean(s) and SE_CLT^2 = s^2 / n (sample variance, ddof=1). With case
weights w_i (traffic shares) the same estimator is written on the linearised scores
u_i = w_i e_i / sum(w): the diagonal term carries the n/(n-1) correction (HC1) and the
off-diagonal terms add the within-cluster covariance. With singleton clusters and unit
weights it is the textbook s/sqrt(n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class MeanSE:
    """A (weighted) mean, its standard error and the t degrees of freedom (clusters - 1)."""

    mean: float
    se: float
    n: int
    n_clusters: int

    @property
    def df(self) -> int:
        return max(self.n_clusters - 1, 1)

    def interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """Student-t interval with (clusters - 1) degrees of freedom."""
        t = float(stats.t.ppf(0.5 + confidence / 2, self.df))
        return (self.mean - t * self.se, self.mean + t * self.se)


def cluster_codes(clusters: np.ndarray | list | None, n: int) -> np.ndarray:
    """Integer codes 0..G-1 for cluster labels (each case its own cluster when None)."""
    if clusters is None:
        return np.arange(n)
    clusters = np.asarray(clusters)
    if len(clusters) != n:
        raise ValueError(f"clusters has {len(clusters)} labels for {n} values")
    return np.unique(clusters, return_inverse=True)[1].ravel()


def mean_se(
    values: np.ndarray, *, weights: np.ndarray | None = None, clusters: np.ndarray | list | None = None
) -> MeanSE:
    """Mean of ``values`` (weighted by ``weights``) with Miller's clustered standard error.

    ``clusters`` labels cases that are not independent (same conversation, user or
    source record); ``None`` treats every case as its own cluster.
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n == 0:
        return MeanSE(float("nan"), float("nan"), 0, 0)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if len(w) != n:
        raise ValueError(f"weights has {len(w)} entries for {n} values")
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    codes = cluster_codes(clusters, n)
    mean = float(np.sum(w * x) / w.sum())
    if n < 2:
        return MeanSE(mean, float("nan"), n, 1)
    u = w * (x - mean) / w.sum()
    sums = np.bincount(codes, weights=u)
    diag = np.sum(u * u)
    # sum_c (sum_i u_i)^2 = diagonal + off-diagonal; the diagonal gets n/(n-1).
    var = np.sum(sums * sums) - diag + diag * n / (n - 1)
    return MeanSE(mean, float(np.sqrt(max(var, 0.0))), n, int(codes.max()) + 1)
