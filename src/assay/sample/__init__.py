"""Draw representative eval sets: stratified allocation, dedupe, sealed holdout."""

from assay.sample._allocate import allocate
from assay.sample._dedupe import near_duplicates
from assay.sample._import import import_set
from assay.sample._sample import load_cases, load_set, sample
from assay.sample._sets import SetDiff, diff_sets, export_set, open_holdout

__all__ = ["SetDiff", "allocate", "diff_sets", "export_set", "import_set", "load_cases", "load_set", "near_duplicates", "open_holdout", "sample"]
