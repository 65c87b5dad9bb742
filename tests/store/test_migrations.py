from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from assay.store import Store, metadata
from assay.store._migrate import head_revision


def test_blank_database_migrates_to_exactly_the_current_schema(tmp_path):
    db = tmp_path / "blank.db"
    store = Store.at(db)
    assert store.schema_revision() == head_revision()
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == [], f"migrations and _schema.py disagree: {diff}"
    tables = set(inspect(engine).get_table_names())
    assert {"records", "quarantine", "cases", "eval_sets", "results", "scores", "response_cache", "alembic_version"} <= tables
    store.close()


def test_opening_twice_does_not_remigrate(tmp_path):
    Store.at(tmp_path / "a.db").close()
    store = Store.at(tmp_path / "a.db")
    assert store.schema_revision() == head_revision()
    store.close()


def test_sqlite_store_uses_wal(tmp_path):
    store = Store.at(tmp_path / "w.db")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
