"""Run candidates over eval sets: concurrent, cached, resumable."""

from assay.run._runner import RunSummary, latest_run, run

__all__ = ["RunSummary", "latest_run", "run"]
