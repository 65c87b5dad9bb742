"""Insert rows, skipping those whose primary key is already stored, on any database.

SQLite and PostgreSQL both say it natively (``INSERT ... ON CONFLICT DO NOTHING``) and
SQLAlchemy builds that through each dialect's own ``insert``; MySQL/MariaDB say
``INSERT IGNORE``. Any other database gets a portable form: read which keys exist,
then insert the rest, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

def insert_or_ignore_statement(table: Table, dialect: str) -> Insert | None:
    """The dialect's ``INSERT`` that skips existing keys, or None when it has none."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if dialect in ("mysql", "mariadb"):
        return insert(table).prefix_with("IGNORE")
    return None


def _key(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def insert_or_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table``; a row whose primary key exists (in the table or
    earlier in ``rows``) is skipped, never an error."""
    first: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        first.setdefault(_key(table, r), r)
    fresh = list(first.values())
    if not fresh:
        return
    stmt = insert_or_ignore_statement(table, conn.dialect.name)
    if stmt is not None:
        conn.execute(stmt, fresh)
        return
    pk = list(table.primary_key.columns)
    existing: set[tuple[Any, ...]] = set()
    for i in range(0, len(fresh), 200):
        chunk = fresh[i : i + 200]
        cond = or_(*(and_(*(c == r[c.name] for c in pk)) for r in chunk))
        existing.update(tuple(row) for row in conn.execute(select(*pk).where(cond)))
    todo = [r for r in fresh if _key(table, r) not in existing]
    if todo:
        conn.execute(insert(table), todo)
