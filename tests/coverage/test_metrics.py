"""Coverage metrics against independent references (scipy, scikit-learn)."""

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from assay.coverage import auc_score, classifier_auc, js_divergence, slice_coverage


@pytest.mark.parametrize("seed", range(6))
def test_js_divergence_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    p = rng.random(12) * (rng.random(12) > 0.3)
    q = rng.random(12) * (rng.random(12) > 0.3)
    p[0] += 0.1
    q[1] += 0.1
    assert js_divergence(p, q) == pytest.approx(jensenshannon(p, q, base=2) ** 2, abs=1e-12)


def test_js_divergence_bounds():
    assert js_divergence(np.array([1, 0]), np.array([0, 1])) == pytest.approx(1.0)
    assert js_divergence(np.array([2, 2]), np.array([1, 1])) == pytest.approx(0.0)


def test_auc_matches_sklearn_with_ties():
    rng = np.random.default_rng(3)
    y = rng.random(300) > 0.6
    s = np.round(rng.normal(size=300) + y, 1)  # rounding creates ties
    assert auc_score(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_slice_coverage_by_hand():
    weights = {"a": 0.5, "b": 0.3, "c": 0.2}
    counts = {"a": 7, "b": 2}
    assert slice_coverage(weights, counts, 1) == pytest.approx(0.8)
    assert slice_coverage(weights, counts, 5) == pytest.approx(0.5)


def test_classifier_auc_equals_sklearn_cross_validated_auc():
    rng = np.random.default_rng(0)
    a = rng.normal(0.4, 1, size=(80, 5))
    b = rng.normal(0.0, 1, size=(300, 5))
    res = classifier_auc(a, b, seed=1, n_boot=200)
    x = np.vstack([a, b])
    y = np.r_[np.ones(80), np.zeros(300)]
    ref = cross_val_predict(
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000),
        x, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), method="decision_function",
    )
    assert res.auc == pytest.approx(roc_auc_score(y, ref), abs=1e-9)
    assert res.low < res.auc < res.high


def test_classifier_auc_separates_and_does_not():
    rng = np.random.default_rng(5)
    same = classifier_auc(rng.normal(size=(100, 8)), rng.normal(size=(400, 8)), n_boot=300)
    assert same.low < 0.5 + 0.08 and same.auc < 0.62
    far = classifier_auc(rng.normal(2.0, 1, size=(60, 8)), rng.normal(size=(400, 8)), n_boot=300)
    assert far.auc > 0.95 and far.low > 0.9
    assert classifier_auc(rng.normal(size=(5, 8)), rng.normal(size=(100, 8))) is None
