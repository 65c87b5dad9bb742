"""k by split-half stability, against groups whose number is known (SYNTHETIC blobs)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from assay.profile._kselect import choose_k, k_grid, kmeans


def _blobs(groups: int, sub: int = 1, d: int = 24, seed: int = 3, spread: float = 0.9):
    """``groups`` well-separated groups of ``sub`` sub-groups each, on the unit sphere."""
    rng = np.random.default_rng(seed)
    x, y = [], []
    for g in range(groups):
        top = rng.normal(size=d) * 3.0
        for s in range(sub):
            centre = top + (rng.normal(size=d) * spread if sub > 1 else 0)
            n = int(rng.integers(80, 250))
            x.append(centre + rng.normal(size=(n, d)) * 0.25)
            y += [g * sub + s] * n
    x = np.vstack(x).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.array(y)


def test_grid_is_log_spaced_within_bounds():
    assert k_grid(12, 40) == [12, 14, 17, 20, 24, 28, 34, 40]
    assert k_grid(5, 5) == [5] and k_grid(2, 4) == [2, 3, 4]


def test_stability_finds_the_number_of_flat_groups():
    x, y = _blobs(9)
    c = choose_k(x, k_min=5, k_max=13, seed=0, grid_size=9, pairs=2)
    assert c.k == 9
    assert c.stability[9] > 0.95 and c.stability[13] < c.stability[9]


def test_stability_prefers_the_finest_reproducible_level_of_nested_groups():
    # 4 groups of 4 sub-groups: k=2..4 are reproducible too, but the 16 sub-groups are what a slice should be.
    x, y = _blobs(4, sub=4)
    c = choose_k(x, k_min=2, k_max=28, seed=0, grid_size=12, pairs=2)
    assert min(c.stability.values()) < 0.8 and max(c.stability.values()) == 1.0
    assert 14 <= c.k <= 18
    assert adjusted_mutual_info_score(y, kmeans(c.k, 0).fit(x).labels_) > 0.9


def test_choice_is_seeded_and_reports_the_bound():
    x, _ = _blobs(6)
    a = choose_k(x, k_min=2, k_max=4, seed=1, pairs=2)
    b = choose_k(x, k_min=2, k_max=4, seed=1, pairs=2)
    assert a.k == b.k and a.stability == b.stability and a.at_upper_bound == (a.k == 4)
    params = a.to_params()
    assert params["k_method"] == "stability" and set(params["stability"]) == {"2", "3", "4"}


def test_tiny_inputs_keep_k_below_half_the_records():
    x, _ = _blobs(3)
    c = choose_k(x[:30], k_min=8, k_max=40, seed=0)
    assert 2 <= c.k <= 14
