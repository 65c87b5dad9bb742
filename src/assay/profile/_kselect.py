"""Choosing the number of topic clusters k by *stability* (seeded, within bounds).

A k is good when clustering two independent samples of the same traffic gives the same
partition. For each k on a grid in ``[k_min, k_max]`` and each of ``pairs`` replicates:

1. split a seeded subsample of at most ``sample`` records into two disjoint random halves;
2. fit k-means on each half (different seeds);
3. label the *whole* subsample with each fitted model (nearest centroid) and compute the
   adjusted Rand index between the two labelings.

``stability(k)`` is the mean ARI over the replicates and ``se(k)`` its standard error.
The chosen k is the *largest peak* of stability that reaches ``threshold`` (0.8): the
largest k on the grid whose stability is at least that of its grid neighbours. Natural
groups show as a peak (fewer clusters merge them arbitrarily, more cut them arbitrarily;
an end of the grid counts as a peak when the curve still rises there); the largest such
peak gives the finest slices two independent samples agree on, which makes sampling and
coverage sharper. When no peak reaches the threshold, the most stable k is taken (ties to
the larger). Too many clusters force k-means to cut natural groups
arbitrarily and too few to merge them arbitrarily; both show up as a low ARI (Ben-Hur,
Elisseeff & Guyon 2002; Lange, Roth, Braun & Buhmann 2004). The *largest* peak, not
the most stable k: a very coarse split (k = 2 of 4 well-separated groups) is often
perfectly reproducible and says little about the traffic; and a peak, not any k above
the threshold: the global ARI barely drops when one large group is cut in two.

The mean silhouette of the first replicate's partition is kept next to it for reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

_SILHOUETTE_SAMPLE = 3000


def kmeans(k: int, seed: int) -> MiniBatchKMeans:
    """The seeded k-means every profile uses."""
    return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096, max_no_improvement=20)


@dataclass
class KChoice:
    """The chosen k and the evidence for it (all keyed by k)."""

    k: int
    stability: dict[int, float] = field(default_factory=dict)
    stability_se: dict[int, float] = field(default_factory=dict)
    silhouette: dict[int, float] = field(default_factory=dict)
    at_upper_bound: bool = False
    threshold: float = 0.8

    def to_params(self) -> dict[str, Any]:
        """The JSON-friendly record kept in the profile's ``params``."""
        return {
            "k_method": "stability",
            "stability_threshold": self.threshold,
            "stability": {str(k): round(v, 4) for k, v in self.stability.items()},
            "stability_se": {str(k): round(v, 4) for k, v in self.stability_se.items()},
            "silhouette": {str(k): round(v, 4) for k, v in self.silhouette.items()},
            "k_at_upper_bound": self.at_upper_bound,
        }


def k_grid(k_lo: int, k_hi: int, size: int = 8) -> list[int]:
    """Up to ``size`` integers from ``k_lo`` to ``k_hi``, evenly spaced on a log scale."""
    if k_hi <= k_lo:
        return [k_lo]
    return sorted(set(np.geomspace(k_lo, k_hi, num=min(size, k_hi - k_lo + 1)).round().astype(int).tolist()))


def choose_k(
    x: np.ndarray,
    *,
    k_min: int,
    k_max: int,
    seed: int = 0,
    pairs: int = 3,
    threshold: float = 0.8,
    sample: int = 20_000,
    grid_size: int = 8,
    task: Any = None,
) -> KChoice:
    """Choose k in ``[k_min, k_max]`` by split-half stability (see the module docstring).

    ``x`` holds one unit row per record. Deterministic for a given ``seed``. ``task``, if
    given, is advanced once per k on the grid.
    """
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    sub = x[np.sort(rng.choice(n, size=min(n, sample), replace=False))]
    half = len(sub) // 2
    k_hi = max(2, min(k_max, half - 1))
    k_lo = max(2, min(k_min, k_hi))
    sil_idx = rng.choice(len(sub), size=min(len(sub), _SILHOUETTE_SAMPLE), replace=False)
    splits = [rng.permutation(len(sub)) for _ in range(pairs)]
    out = KChoice(k=k_lo, threshold=threshold)
    for k in k_grid(k_lo, k_hi, grid_size):
        aris: list[float] = []
        for r, perm in enumerate(splits):
            a, b = perm[:half], perm[half : 2 * half]
            model_a = kmeans(k, seed + 2 * r).fit(sub[a])
            model_b = kmeans(k, seed + 2 * r + 1).fit(sub[b])
            la, lb = model_a.predict(sub), model_b.predict(sub)
            aris.append(float(adjusted_rand_score(la, lb)))
            if r == 0:
                labels = la[sil_idx]
                out.silhouette[k] = float(silhouette_score(sub[sil_idx], labels)) if len(set(labels)) > 1 else -1.0
        out.stability[k] = float(np.mean(aris))
        out.stability_se[k] = float(np.std(aris, ddof=1) / np.sqrt(len(aris))) if len(aris) > 1 else 0.0
        if task is not None:
            task.advance(1)
    ks = sorted(out.stability)
    st = [out.stability[k] for k in ks]
    peaks = [
        k for i, k in enumerate(ks)
        if st[i] >= threshold and (i == 0 or st[i] >= st[i - 1]) and (i == len(ks) - 1 or st[i] >= st[i + 1])
    ]
    out.k = max(peaks) if peaks else max(ks, key=lambda k: (out.stability[k], k))
    out.at_upper_bound = out.k == k_hi
    return out
