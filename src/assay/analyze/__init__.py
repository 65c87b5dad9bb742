"""Analysis and reports: per-candidate estimates, paired comparisons, the mirage report, plots."""

from assay.analyze._claims import add_claim, list_claims
from assay.analyze._compare import Comparison, compare, compare_matrix
from assay.analyze._data import ScoreMatrix, load_matrix
from assay.analyze._mirage import Mirage, mirage, mirage_matrix
from assay.analyze._report import Report, report
from assay.analyze._tables import Tables, build_tables

__all__ = [
    "Comparison", "Mirage", "Report", "ScoreMatrix", "Tables", "add_claim", "build_tables", "compare",
    "compare_matrix", "list_claims", "load_matrix", "mirage", "mirage_matrix", "report",
]
