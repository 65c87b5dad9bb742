"""Statistics: pure functions over numpy arrays, no I/O.

Intervals for one candidate (Wilson, BCa bootstrap, Miller's clustered SE), paired
comparisons (Agresti-Min, clustered t, McNemar, sign, Wilcoxon, paired bootstrap,
Benjamini-Hochberg), Bradley-Terry ratings, power planning and rank agreement.
See docs/statistics.md for every formula and reference.
"""

from assay.stats._bt import BTResult, bradley_terry, fit_wins, fragility
from assay.stats._clustered import MeanSE, mean_se
from assay.stats._intervals import Estimate, bootstrap_mean, estimate_mean, per_case_means, wilson
from assay.stats._paired import (
    BootstrapResult,
    McNemar,
    PairedDiff,
    agresti_min,
    benjamini_hochberg,
    correlation,
    mcnemar,
    paired_bootstrap,
    paired_difference,
    sign_test,
    wilcoxon,
)
from assay.stats._power import (
    Plan,
    mde_graded,
    mde_paired,
    n_paired,
    n_unpaired,
    n_votes,
    plan,
    power_curve,
    power_paired,
    power_unpaired,
    power_votes,
    sd_diff,
)
from assay.stats._rank import RankAgreement, kendall_tau_b, rank_agreement

__all__ = [
    "BTResult", "BootstrapResult", "Estimate", "McNemar", "MeanSE", "PairedDiff", "Plan", "RankAgreement",
    "agresti_min", "benjamini_hochberg", "bootstrap_mean", "bradley_terry", "correlation", "estimate_mean",
    "fit_wins", "fragility", "kendall_tau_b", "mcnemar", "mde_graded", "mde_paired", "mean_se", "n_paired",
    "n_unpaired", "n_votes", "paired_bootstrap", "paired_difference", "per_case_means", "plan", "power_curve",
    "power_paired", "power_unpaired", "power_votes", "rank_agreement", "sd_diff", "sign_test", "wilcoxon", "wilson",
]
