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
