"""Each estimator against an independent reference (statsmodels, scipy, sklearn, choix,
or a direct transcription of the published formula). Data here are synthetic."""

import itertools

import numpy as np
import pytest
from scipy import stats

from assay import stats as st

sm = pytest.importorskip("statsmodels.api")


def _miller_direct(s, clusters):
    """Miller (2024) eq.: SE_CLT^2 + 1/n^2 sum_c sum_i sum_{j != i} (s_i - m)(s_j - m), as loops."""
    n = len(s)
    m = sum(s) / n
    var_clt = sum((x - m) ** 2 for x in s) / (n - 1) / n
    extra = 0.0
    for c in set(clusters):
        idx = [i for i in range(n) if clusters[i] == c]
        for i in idx:
            for j in idx:
                if i != j:
                    extra += (s[i] - m) * (s[j] - m)
    return (var_clt + extra / n**2) ** 0.5


def test_clustered_se_matches_millers_formula_written_out():
    rng = np.random.default_rng(0)
    clusters = rng.integers(0, 25, size=120)
    s = (rng.random(120) < 0.3 + 0.02 * clusters).astype(float)
    got = st.mean_se(s, clusters=clusters)
    assert got.se == pytest.approx(_miller_direct(list(s), list(clusters)), rel=1e-10)
    assert got.n_clusters == len(set(clusters))


def test_unclustered_se_is_the_textbook_one():
    x = np.random.default_rng(1).normal(size=50)
    assert st.mean_se(x).se == pytest.approx(stats.sem(x), rel=1e-12)


def test_weighted_se_matches_statsmodels_wls_hc1_and_cluster():
    rng = np.random.default_rng(2)
    n = 200
    x = rng.beta(2, 3, size=n)
    w = rng.random(n) + 0.1
    res = sm.WLS(x, np.ones(n), weights=w).fit(cov_type="HC1")
    got = st.mean_se(x, weights=w)
    assert got.mean == pytest.approx(res.params[0], rel=1e-12)
    # WLS's HC1 residuals are sqrt(w)-scaled: bse^2 = n/(n-1) sum w^2 e^2 / (sum w)^2
    assert got.se == pytest.approx(res.bse[0], rel=1e-9)
    # clustered: CR0 from statsmodels plus the diagonal's n/(n-1) correction
    g = rng.integers(0, 30, size=n)
    cr0 = sm.WLS(x, np.ones(n), weights=w).fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction": False})
    e = x - got.mean
    diag = np.sum((w * e) ** 2) / w.sum() ** 2
    want = np.sqrt(cr0.bse[0] ** 2 + diag / (n - 1))
    assert st.mean_se(x, weights=w, clusters=g).se == pytest.approx(want, rel=1e-9)


def test_mcnemar_matches_statsmodels_and_midp_definition():
    from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

    for b, c in [(3, 11), (10, 10), (0, 5), (25, 12), (1, 0)]:
        a = np.array([0] * b + [1] * c + [1] * 40 + [0] * 17)
        bb = np.array([1] * b + [0] * c + [1] * 40 + [0] * 17)
        got = st.mcnemar(a, bb)
        ref = sm_mcnemar([[17, b], [c, 40]], exact=True).pvalue
        assert got.p_exact == pytest.approx(ref, abs=1e-12)
        # mid-p: two-sided, half the probability of the observed count (Fagerland et al. 2013)
        k, m = min(b, c), b + c
        midp = 2 * (stats.binom.cdf(k - 1, m, 0.5) + 0.5 * stats.binom.pmf(k, m, 0.5))
        assert got.p_midp == pytest.approx(min(midp, 1.0), abs=1e-12)


def test_sign_and_wilcoxon_match_statsmodels_and_scipy():
    from statsmodels.stats.descriptivestats import sign_test as sm_sign

    rng = np.random.default_rng(3)
    d = np.round(rng.normal(0.1, 0.5, size=60), 1)
    assert st.sign_test(d) == pytest.approx(sm_sign(d, 0)[1], abs=1e-12)
    # Wilcoxon with ties and zeros vs. the normal approximation written out (tie-corrected)
    nz = d[d != 0]
    r = stats.rankdata(np.abs(nz))
    wplus = r[nz > 0].sum()
    nn = len(nz)
    mu = nn * (nn + 1) / 4
    _, t = np.unique(np.abs(nz), return_counts=True)
    var = nn * (nn + 1) * (2 * nn + 1) / 24 - (t**3 - t).sum() / 48
    z = (wplus - mu) / np.sqrt(var)
    assert st.wilcoxon(d) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_benjamini_hochberg_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(4).random(37) ** 2
    assert np.allclose(st.benjamini_hochberg(p), multipletests(p, method="fdr_bh")[1], atol=1e-12)
    with_nan = np.array([0.01, np.nan, 0.04, 0.03])
    out = st.benjamini_hochberg(with_nan)
    assert np.isnan(out[1]) and np.allclose(out[[0, 2, 3]], multipletests([0.01, 0.04, 0.03], method="fdr_bh")[1])


def test_agresti_min_matches_published_formula_on_a_textbook_table():
    # Agresti & Min (2005) add 1/2 to each cell; on Agresti's (2013) presidential approval
    # table (n11=794, n12=150, n21=86, n22=570) the adjusted Wald interval is:
    a = np.array([1] * 794 + [1] * 150 + [0] * 86 + [0] * 570)
    b = np.array([1] * 794 + [0] * 150 + [1] * 86 + [0] * 570)
    lo, hi = st.agresti_min(a, b)
    n12, n21, N = 150.5, 86.5, 1602
    d = (n21 - n12) / N
    se = np.sqrt(((n12 + n21) / N - d * d) / N)
    assert (lo, hi) == pytest.approx((d - 1.959963984540054 * se, d + 1.959963984540054 * se), abs=1e-12)
    # Agresti, Categorical Data Analysis (2002) sec. 10.1.1: -0.04 +- 1.96 (0.0095), i.e. (-0.06, -0.02)
    assert lo == pytest.approx(-0.06, abs=5e-3) and hi == pytest.approx(-0.02, abs=5e-3)


def test_paired_bootstrap_atoms_agree_with_index_resampling():
    rng = np.random.default_rng(5)
    a = (rng.random(400) < 0.7).astype(float)
    b = np.where(rng.random(400) < 0.8, a, 1 - a)
    fast = st.paired_bootstrap(a, b, n_resamples=20000, seed=1)
    slow = st.paired_bootstrap(a, b, n_resamples=20000, seed=2, max_atoms=0)
    # same distribution: interval ends agree within Monte-Carlo error of a 2.5% quantile
    assert fast.low == pytest.approx(slow.low, abs=0.006) and fast.high == pytest.approx(slow.high, abs=0.006)
    pd = st.paired_difference(a, b, binary=False)
    assert fast.low == pytest.approx(pd.low, abs=0.01) and fast.high == pytest.approx(pd.high, abs=0.01)


def _bt_votes(seed=0, k=5, n=3000):
    rng = np.random.default_rng(seed)
    true = rng.normal(0, 1, k)
    i = rng.integers(0, k, n)
    j = (i + rng.integers(1, k, n)) % k
    p = 1 / (1 + np.exp(-(true[i] - true[j])))
    u = rng.random(n)
    winner = np.where(u < p * 0.9, "left", np.where(u > 1 - (1 - p) * 0.9, "right", "tie"))
    names = [f"m{x}" for x in range(k)]
    return [names[x] for x in i], [names[x] for x in j], list(winner)


def test_bradley_terry_matches_unpenalised_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    left, right, winner = _bt_votes()
    res = st.bradley_terry(left, right, winner, n_resamples=0)
    models = res.models
    # FastChat-style fit: one row per vote, +1/-1 design, ties as a half win each way
    X, y, sw = [], [], []
    for lft, rgt, w in zip(left, right, winner):
        row = np.zeros(len(models))
        row[models.index(lft)], row[models.index(rgt)] = 1, -1
        for outcome, weight in ((1, {"left": 1, "right": 0, "tie": 0.5}[w]), (0, {"left": 0, "right": 1, "tie": 0.5}[w])):
            if weight:
                X.append(row), y.append(outcome), sw.append(weight)
    lr = LogisticRegression(fit_intercept=False, C=np.inf, tol=1e-12, max_iter=10000).fit(np.array(X), y, sample_weight=sw)
    ref = lr.coef_[0] - lr.coef_[0].mean()
    assert np.allclose(res.rating, ref, atol=1e-6)


def test_bradley_terry_matches_choix_without_ties():
    choix = pytest.importorskip("choix")
    left, right, winner = _bt_votes(seed=7, k=6)
    keep = [k for k, w in enumerate(winner) if w != "tie"]
    left, right, winner = [left[k] for k in keep], [right[k] for k in keep], [winner[k] for k in keep]
    res = st.bradley_terry(left, right, winner, n_resamples=0)
    idx = {m: i for i, m in enumerate(res.models)}
    data = [(idx[lft], idx[rgt]) if w == "left" else (idx[rgt], idx[lft]) for lft, rgt, w in zip(left, right, winner)]
    ref = choix.opt_pairwise(len(res.models), data, alpha=0.0, method="BFGS", tol=1e-12)
    assert np.allclose(res.rating, ref - ref.mean(), atol=1e-6)


def test_bt_intervals_cover_the_fit_and_fragility_is_small_for_close_leaders():
    left = ["a"] * 60 + ["b"] * 60 + ["a"] * 60
    right = ["b"] * 60 + ["c"] * 60 + ["c"] * 60
    winner = ["left"] * 31 + ["right"] * 29 + ["left"] * 40 + ["right"] * 20 + ["left"] * 45 + ["right"] * 15
    res = st.bradley_terry(left, right, winner, n_resamples=500)
    assert all(lo <= r <= hi for r, lo, hi in zip(res.rating, res.low, res.high))
    assert res.win_rate()[0, 1] == pytest.approx(31 / 60)
    fr = st.fragility(res)
    assert fr["leader"] == "a" and fr["new_leader"] == "b"
    # brute force over every mix of single-verdict flips that can unseat "a" (a's wins
    # over b or c reversed, b's or c's losses to each other reversed): the smallest total
    W = res.wins
    a, b, c = (res.models.index(m) for m in "abc")
    moves = [(a, b), (a, c), (c, b), (b, c)]  # (loser-to-be, winner-to-be): W[x, y] -= 1; W[y, x] += 1
    best = None
    for counts in itertools.product(range(6), repeat=4):
        if best is not None and sum(counts) >= best:
            continue
        m = W.copy()
        for (x, y), k in zip(moves, counts):
            m[x, y] -= k
            m[y, x] += k
        if (m < 0).any():
            continue
        if st.fit_wins(m[None])[0].argmax() != a:
            best = sum(counts)
    assert fr["flips"] == best


def test_power_matches_statsmodels():
    from statsmodels.stats.power import NormalIndPower, TTestPower
    from statsmodels.stats.proportion import proportion_effectsize

    for base, mde, rho in [(0.82, 0.03, 0.5), (0.6, -0.05, 0.2), (0.5, 0.1, 0.0)]:
        sd = st.sd_diff(base, mde, rho)
        ref = TTestPower().solve_power(effect_size=abs(mde) / sd, alpha=0.05, power=0.8, alternative="two-sided")
        assert st.n_paired(base, mde, rho) == pytest.approx(ref, rel=1e-6)
        h = proportion_effectsize(base + mde, base)
        ref = NormalIndPower().solve_power(effect_size=abs(h), alpha=0.05, power=0.8, ratio=1.0)
        assert st.n_unpaired(base, mde) == pytest.approx(ref, rel=1e-6)
    for n, p in [(100, 0.6), (500, 0.55), (80, 0.4)]:
        h = abs(proportion_effectsize(p, 0.5))
        assert st.power_votes(n, p) == pytest.approx(NormalIndPower().power(h, n, 0.05, ratio=0), abs=1e-9)
    ref = NormalIndPower().solve_power(effect_size=abs(proportion_effectsize(0.55, 0.5)), alpha=0.05, power=0.8, ratio=0)
    assert st.n_votes(0.55) == pytest.approx(ref, rel=1e-6)
    # MDE inverts n: the MDE at the planned n is the planned effect
    n = st.n_paired(0.82, 0.03, 0.5)
    assert st.mde_paired(n, 0.82, 0.5) == pytest.approx(0.03, rel=1e-6)


def test_kendall_tau_matches_scipy_and_bootstrap_interval_contains_it():
    rng = np.random.default_rng(8)
    for _ in range(20):
        x, y = rng.integers(0, 4, 6).astype(float), rng.integers(0, 4, 6).astype(float)
        ref = stats.kendalltau(x, y).statistic
        got = st.kendall_tau_b(x, y)[0]
        assert (np.isnan(ref) and np.isnan(got)) or got == pytest.approx(ref, abs=1e-12)
    S = rng.random((4, 300)) + np.array([[0.0], [0.1], [0.2], [0.3]])
    ra = st.rank_agreement(np.array([4.0, 3, 2, 1]), S, n_resamples=500)
    assert ra.tau == pytest.approx(-1.0) and ra.low <= ra.tau <= ra.high


def test_paired_difference_picks_methods_and_reports_n():
    a = np.array([1, 0, 1, 1, 0, 1, 1, 0, 1, 1.0])
    b = np.array([1, 1, 1, 1, 0, 1, 1, 1, 1, 1.0])
    r = st.paired_difference(a, b, binary=True)
    assert r.interval_method == "agresti-min" and r.test == "mcnemar-midp" and r.n == 10
    assert r.diff == pytest.approx(0.2) and r.low < r.diff < r.high
    r = st.paired_difference(a, b, binary=True, clusters=[0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    assert r.interval_method == "clustered-t" and r.n_clusters == 5
    r = st.paired_difference(a, b * 0.5, binary=False, weights=np.arange(1, 11))
    assert r.weighted and r.test == "weighted-t"
    assert r.diff == pytest.approx(np.average(b * 0.5 - a, weights=np.arange(1, 11)))


def test_paired_bootstrap_clustered_continuous_scores_agree_with_clustered_t():
    rng = np.random.default_rng(9)
    clusters = np.repeat(np.arange(150), 4)
    shared = np.repeat(rng.normal(0, 0.3, 150), 4)  # cases within a conversation move together
    a = rng.random(600)
    b = np.clip(a + 0.05 + shared + rng.normal(0, 0.1, 600), 0, 1)
    boot = st.paired_bootstrap(a, b, clusters=clusters, n_resamples=20000, seed=3)  # continuous: index path
    ref = st.paired_difference(a, b, binary=False, clusters=clusters)
    assert boot.diff == pytest.approx(ref.diff)
    assert boot.low == pytest.approx(ref.low, abs=0.01) and boot.high == pytest.approx(ref.high, abs=0.01)
