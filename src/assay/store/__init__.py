"""Persistence for every stage: SQLite by default, any SQLAlchemy URL by setting."""

from assay.store._schema import metadata
from assay.store._store import Store, sqlite_url, utcnow

__all__ = ["Store", "metadata", "sqlite_url", "utcnow"]
