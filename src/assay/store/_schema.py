"""Table definitions (SQLAlchemy Core). Portable SQL: SQLite by default, PostgreSQL by URL.

This is the *current* schema. Migrations in ``migrations/versions`` are what create it;
``tests/store/test_migrations.py`` checks that migrating a blank database yields exactly this.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

records = Table(
    "records",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("ts", DateTime(timezone=True)),
    Column("model", String(200)),
    Column("messages", JSON, nullable=False),
    Column("output", Text),
    Column("latency_ms", Float),
    Column("tokens_in", Integer),
    Column("tokens_out", Integer),
    Column("cost_usd", Float),
    Column("meta", JSON, nullable=False),
    Column("feedback", JSON),
    Column("labels", JSON),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # the ingest (``ingests.id``) that stored the record first; a record that several files
    # hold is stored once. None for records stored before provenance was kept.
    Column("ingest_id", Integer),
    Index("ix_records_source_ts", "source", "ts"),
)

texts = Table(
    "texts",
    metadata,
    # long texts that many records repeat (system prompts), stored once: a record's message
    # holds ``{"content_ref": hash}`` in place of ``{"content": text}`` (see assay.store.texts)
    Column("hash", String(64), primary_key=True),
    Column("text", Text, nullable=False),
)

ingests = Table(
    "ingests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),
    Column("file", Text, nullable=False),
    Column("format", String(50), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("n_kept", Integer, nullable=False, default=0),
    Column("n_duplicate", Integer, nullable=False, default=0),
    Column("n_quarantined", Integer, nullable=False, default=0),
    Column("scrubbed", Boolean, nullable=False),
    # bytes of the file that were read, and the SHA-256 of their content with the source,
    # format and field mapping: a finished ingest with the same fingerprint stored
    # everything a new one would store
    Column("size", BigInteger),
    Column("fingerprint", String(64)),
)

ingest_parts = Table(
    "ingest_parts",
    metadata,
    # a part of a file that a worker stored (a byte range of plain JSONL, a task of rows,
    # a Parquet slice), keyed by the fingerprint of its content, place, source, format and
    # mapping; written in the part's own write transaction, so an interrupted ingest run
    # again skips the parts it finished. A finished ingest of the file deletes its parts.
    Column("key", String(64), primary_key=True),
    Column("file", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_ingest_parts_file", "file"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_quarantine_file_line", "file", "line", unique=True),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("n_records", Integer, nullable=False),
    Column("method", String(100), nullable=False),
    Column("params", JSON, nullable=False),
)

slices = Table(
    "slices",
    metadata,
    Column("profile_id", String(64), primary_key=True),
    Column("slice_id", String(100), primary_key=True),
    Column("label", Text, nullable=False),
    Column("weight", Float, nullable=False),
    Column("size", Integer, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("examples", JSON, nullable=False),
)

record_slices = Table(
    "record_slices",
    metadata,
    Column("profile_id", String(64), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("slice_id", String(100), nullable=False),
    Column("distance", Float, nullable=False),
    Index("ix_record_slices_slice", "profile_id", "slice_id"),
)

eval_sets = Table(
    "eval_sets",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("profile_id", String(64), nullable=False),
    Column("n_dev", Integer, nullable=False),
    Column("n_holdout", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("holdout_hash", String(64), nullable=False),
    Column("params", JSON, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("set_name", String(200), primary_key=True),
    Column("case_id", String(100), primary_key=True),
    Column("split", String(10), nullable=False),
    Column("record_ids", JSON, nullable=False),
    Column("slice_id", String(100), nullable=False),
    Column("weight", Float, nullable=False),
    Column("messages", JSON, nullable=False),
    Column("reference", JSON),
    Column("meta", JSON, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("set_name", String(200), nullable=False),
    Column("candidates", JSON, nullable=False),
    Column("config", JSON, nullable=False),
    Column("epochs", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(20), nullable=False),
)

results = Table(
    "results",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("candidate", String(200), primary_key=True),
    Column("case_id", String(100), primary_key=True),
    Column("epoch", Integer, primary_key=True),
    Column("output", Text),
    Column("error", Text),
    Column("latency_ms", Float),
    Column("tokens_in", Integer),
    Column("tokens_out", Integer),
    Column("cost_usd", Float),
    Column("cached", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

scores = Table(
    "scores",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("candidate", String(200), primary_key=True),
    Column("case_id", String(100), primary_key=True),
    Column("epoch", Integer, primary_key=True),
    Column("scorer", String(200), primary_key=True),
    Column("value", Float),
    Column("kind", String(20), nullable=False),
    Column("detail", Text),
)

response_cache = Table(
    "response_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("output", Text, nullable=False),
    Column("tokens_in", Integer),
    Column("tokens_out", Integer),
    Column("cost_usd", Float),
    Column("latency_ms", Float),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("case_id", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("left", String(200)),
    Column("right", String(200)),
    Column("winner", String(10)),
    Column("grade", Float),
    Column("reviewer", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

benchmark_claims = Table(
    "benchmark_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate", String(200), nullable=False),
    Column("benchmark", String(200), nullable=False),
    Column("score", Float, nullable=False),
    Column("source", Text, nullable=False),
    Column("date", String(40)),
    Column("independent", Boolean, nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("candidate", String(200), nullable=False),
    Column("policy", JSON, nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256 of (embedder identity, text)
    Column("embedder", String(200), nullable=False),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
    Column("created_at", DateTime(timezone=True), nullable=False),
)

profile_models = Table(
    "profile_models",
    metadata,
    Column("profile_id", String(64), primary_key=True),
    Column("format", String(40), nullable=False),  # e.g. "npz/1": numpy arrays + JSON, no pickle
    Column("blob", LargeBinary, nullable=False),  # the fitted traffic map (see assay.profile._mapstore)
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("action", String(100), nullable=False),
    Column("detail", JSON, nullable=False),
)
