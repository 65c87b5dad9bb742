"""Ingest production logs: file formats, row shapes, normalisation, PII scrubbing, quarantine."""

from assay.ingest import _batch, _excel, _traces  # noqa: F401  (register the Batch API and trace-export shapes, the Excel reader)
from assay.ingest._delete import DeleteSummary, delete_files
from assay.ingest._formats import detect_format, reader, readers
from assay.ingest._ingest import IngestSummary, ingest
from assay.ingest._pii import Scrubber, ScrubSettings, strip_pseudonyms
from assay.ingest._preview import FilePreview, Preview, preview
from assay.ingest._shapes import detect_shape, parse_mapping, shape, shapes
from assay.ingest._stats import (
    FoundRecords,
    IngestedFile,
    IngestedFiles,
    QuarantinedRow,
    RecordStats,
    ingested_files,
    iter_stored_records,
    quarantined_rows,
    record_stats,
    stored_records,
)

__all__ = [
    "DeleteSummary",
    "FilePreview",
    "FoundRecords",
    "IngestSummary",
    "IngestedFile",
    "IngestedFiles",
    "Preview",
    "QuarantinedRow",
    "RecordStats",
    "ScrubSettings",
    "Scrubber",
    "delete_files",
    "detect_format",
    "detect_shape",
    "ingest",
    "ingested_files",
    "parse_mapping",
    "preview",
    "iter_stored_records",
    "quarantined_rows",
    "reader",
    "readers",
    "record_stats",
    "shape",
    "shapes",
    "stored_records",
    "strip_pseudonyms",
]
