"""Analysis and reports: per-candidate estimates, per-slice breakdowns, plots."""

from assay.analyze._report import Report, report
from assay.analyze._tables import Tables, build_tables

__all__ = ["Report", "Tables", "build_tables", "report"]
