"""Coverage metrics, as pure functions of histograms and embeddings.

- ``slice_coverage``: share of production traffic whose slice has at least k items.
- ``js_divergence``: Jensen-Shannon divergence between two histograms, in bits (0..1).
- ``classifier_auc``: a classifier two-sample test. A logistic regression tries to tell
  the set's embeddings from production's; its cross-validated ROC AUC is 0.5 when the
  two are indistinguishable and 1.0 when every item is told apart. The interval is a
  stratified bootstrap of the out-of-fold scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata


def slice_coverage(weights: Mapping[str, float], counts: Mapping[str, int], k: int) -> float:
    """sum over slices s of w_s * [n_s >= k]."""
    return float(sum(w for s, w in weights.items() if counts.get(s, 0) >= k))


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q) / 2, in bits.

    Inputs are normalised to sum to 1. Equal to ``scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2``.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))

    return max(0.0, 0.5 * kl(p) + 0.5 * kl(q))


def auc_score(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC by the Mann-Whitney rank formula (ties count one half)."""
    y = np.asarray(y, dtype=bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    ranks = rankdata(score)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


@dataclass
class AucResult:
    auc: float
    low: float
    high: float
    n_set: int
    n_production: int
    folds: int


def classifier_auc(
    x_set: np.ndarray, x_prod: np.ndarray, *, folds: int = 5, n_boot: int = 1000, seed: int = 0, level: float = 0.95, C: float = 10.0
) -> AucResult | None:
    """Cross-validated AUC of a logistic regression telling ``x_set`` (label 1) from ``x_prod``.

    ``None`` when the set has fewer than ``2 * folds`` items (too few to test).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    n1, n0 = len(x_set), len(x_prod)
    if n1 < 2 * folds or n0 < 2 * folds:
        return None
    x = np.vstack([x_set, x_prod]).astype(np.float64)
    y = np.r_[np.ones(n1, dtype=int), np.zeros(n0, dtype=int)]
    oof = np.empty(len(y))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        clf.fit(x[train], y[train])
        oof[test] = clf.decision_function(x[test])
    auc = auc_score(y, oof)
    rng = np.random.default_rng(seed)
    pos, neg = oof[y == 1], oof[y == 0]
    boots = np.empty(n_boot)
    for b in range(n_boot):
        bp = pos[rng.integers(0, n1, n1)]
        bn = neg[rng.integers(0, n0, n0)]
        boots[b] = auc_score(np.r_[np.ones(n1, bool), np.zeros(n0, bool)], np.r_[bp, bn])
    alpha = (1 - level) / 2
    low, high = np.quantile(boots, [alpha, 1 - alpha])
    return AucResult(auc=auc, low=float(low), high=float(high), n_set=n1, n_production=n0, folds=folds)
