"""Insert-or-ignore on every dialect: native on SQLite/PostgreSQL, a portable fallback elsewhere."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.dialects import mysql, postgresql, sqlite

from assay.store import _upsert, metadata
from assay.store._schema import response_cache
from assay.store._upsert import insert_or_ignore, insert_or_ignore_statement


def _row(key: str, output: str) -> dict:
    return {"key": key, "output": output, "tokens_in": 1, "tokens_out": 2, "cost_usd": None, "latency_ms": None,
            "created_at": datetime.now(timezone.utc)}


@pytest.fixture
def engine(tmp_path):
    eng = create_engine(f"sqlite:///{tmp_path / 'u.db'}")
    metadata.create_all(eng, tables=[response_cache])
    yield eng
    eng.dispose()


def _stored(eng) -> dict[str, str]:
    with eng.connect() as conn:
        return dict(conn.execute(select(response_cache.c.key, response_cache.c.output)).all())


@pytest.mark.parametrize("native", [True, False])
def test_existing_and_repeated_keys_are_skipped(engine, monkeypatch, native):
    if not native:  # the portable form, as used on a dialect without a native statement
        monkeypatch.setattr(_upsert, "insert_or_ignore_statement", lambda table, dialect: None)
    with engine.begin() as conn:
        insert_or_ignore(conn, response_cache, [_row("a", "first"), _row("b", "b1")])
    with engine.begin() as conn:
        insert_or_ignore(conn, response_cache, [_row("a", "second"), _row("c", "c1"), _row("c", "c2")])
        insert_or_ignore(conn, response_cache, [])
    assert _stored(engine) == {"a": "first", "b": "b1", "c": "c1"}


def test_statement_text_per_dialect():
    pg = str(insert_or_ignore_statement(response_cache, "postgresql").compile(dialect=postgresql.dialect()))
    assert pg.startswith("INSERT INTO response_cache") and pg.rstrip().endswith("ON CONFLICT DO NOTHING")
    lite = str(insert_or_ignore_statement(response_cache, "sqlite").compile(dialect=sqlite.dialect()))
    assert "ON CONFLICT DO NOTHING" in lite and "OR IGNORE" not in lite
    my = str(insert_or_ignore_statement(response_cache, "mysql").compile(dialect=mysql.dialect()))
    assert my.startswith("INSERT IGNORE INTO response_cache")
    assert insert_or_ignore_statement(response_cache, "mssql") is None
