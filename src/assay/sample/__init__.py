"""Draw representative eval sets: stratified allocation, dedupe, sealed holdout."""

from assay.sample._allocate import allocate
from assay.sample._sample import load_cases, load_set, sample

__all__ = ["allocate", "load_cases", "load_set", "sample"]
