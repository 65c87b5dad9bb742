"""Statistics: pure functions over numpy arrays, no I/O."""

from assay.stats._intervals import Estimate, bootstrap_mean, estimate_mean, per_case_means, wilson

__all__ = ["Estimate", "bootstrap_mean", "estimate_mean", "per_case_means", "wilson"]
