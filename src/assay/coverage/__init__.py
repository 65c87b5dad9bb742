"""How well any set (an eval set, a demo file, a public benchmark) represents production."""

from assay.coverage._coverage import CoverageReport, SliceCoverage, coverage
from assay.coverage._metrics import AucResult, auc_score, classifier_auc, js_divergence, slice_coverage
from assay.coverage._sources import SetItems, read_file

__all__ = [
    "AucResult",
    "CoverageReport",
    "SetItems",
    "SliceCoverage",
    "auc_score",
    "classifier_auc",
    "coverage",
    "js_divergence",
    "read_file",
    "slice_coverage",
]
