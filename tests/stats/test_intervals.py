import numpy as np
import pytest
from scipy import stats

from assay.stats import bootstrap_mean, estimate_mean, per_case_means, wilson


def test_wilson_matches_newcombe_1998_worked_example():
    # Newcombe (1998), Stat Med 17:857-872, Table I: 81/263 -> Wilson 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-5)
    assert high == pytest.approx(0.3662, abs=5e-5)


def test_wilson_at_the_boundary_is_not_degenerate():
    # 0/10: the normal approximation gives [0, 0]; Wilson gives a real upper bound (Newcombe: 0.2775)
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=5e-4)


def test_binary_estimate_uses_wilson_and_graded_uses_bca():
    b = estimate_mean(np.array([1, 0, 1, 1, 0, 1, 1, 1]), binary=True)
    assert b.method == "wilson" and b.low < b.mean < b.high
    g = estimate_mean(np.array([0.5, 1, 0.25, 0.75, 1, 0.5, 0, 1]), binary=True)
    assert g.method == "bootstrap-bca"


def test_bca_interval_agrees_with_scipy_reference():
    rng = np.random.default_rng(1)
    x = rng.beta(2, 5, size=80)
    low, high = bootstrap_mean(x, n_resamples=4000, seed=3)
    ref = stats.bootstrap((x,), np.mean, n_resamples=4000, method="BCa", random_state=3).confidence_interval
    assert low == pytest.approx(ref.low) and high == pytest.approx(ref.high)
    # and covers the mean with a plausible width (t-interval as a sanity check)
    t = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert abs((high - low) - (t[1] - t[0])) < 0.02


def test_epochs_are_averaged_within_a_case_before_the_interval():
    ids, vals = per_case_means(["a", "a", "b", "b"], [1, 0, 1, 1])
    assert ids == ["a", "b"] and vals.tolist() == [0.5, 1.0]


def test_clustered_cases_widen_the_interval_per_miller():
    # 20 conversations with 5 perfectly correlated cases each: the effective n is 20, not 100.
    rng = np.random.default_rng(0)
    conv = rng.integers(0, 2, size=20).astype(float)
    values = np.repeat(conv, 5)
    clusters = np.repeat(np.arange(20), 5)
    naive = estimate_mean(values, binary=True)
    clustered = estimate_mean(values, binary=True, clusters=clusters)
    assert clustered.method == "clustered-t" and naive.method == "wilson"
    assert (clustered.high - clustered.low) > 1.8 * (naive.high - naive.low)
    # Miller (2024) eq. for the clustered SE: SE_CLT^2 + (1/n^2) sum_c sum_{i != j} d_i d_j, t on G-1 df
    n, m = len(values), values.mean()
    d = values - m
    off = sum(d[clusters == c].sum() ** 2 - (d[clusters == c] ** 2).sum() for c in range(20))
    se = np.sqrt(values.var(ddof=1) / n + off / n**2)
    half = stats.t.ppf(0.975, 19) * se
    assert clustered.low == pytest.approx(max(0, m - half)) and clustered.high == pytest.approx(min(1, m + half))
    # singleton clusters change nothing
    assert estimate_mean(values, binary=True, clusters=np.arange(100)).method == "wilson"
