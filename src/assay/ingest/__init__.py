"""Ingest production logs: readers per format, normalisation, PII scrubbing, quarantine."""

from assay.ingest._formats import detect_format, reader, readers
from assay.ingest._ingest import IngestSummary, ingest
from assay.ingest._pii import Scrubber

__all__ = ["IngestSummary", "Scrubber", "detect_format", "ingest", "reader", "readers"]
