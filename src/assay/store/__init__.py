"""Persistence for every stage: SQLite by default, any SQLAlchemy URL by setting."""

from assay.store._schema import metadata
from assay.store._store import Store, json_text, sqlite_url, utcnow
from assay.store._texts import expand_messages, expand_meta

__all__ = ["Store", "expand_messages", "expand_meta", "json_text", "metadata", "sqlite_url", "utcnow"]
