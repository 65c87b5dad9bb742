"""Run candidates over eval sets: concurrent, cached, resumable."""

from assay.run._limits import CircuitBreaker, RateLimiter
from assay.run._runner import RunSummary, execute, latest_run, resume, run, run_id_for

__all__ = ["CircuitBreaker", "RateLimiter", "RunSummary", "execute", "latest_run", "resume", "run", "run_id_for"]
