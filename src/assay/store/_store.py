"""The store: one database for every stage, with a single writer path.

Embedded default is one SQLite file in the project folder (``.assay/assay.db``) in WAL
mode, so readers never wait for the writer. Every write in this process goes through
:meth:`Store.write`, which holds one lock and opens an ``IMMEDIATE`` transaction, so the
CLI, the review app and the shadow proxy can share the file: SQLite serialises writers
across processes, and ``busy_timeout`` makes a second writer wait instead of failing.
Any other SQLAlchemy URL (e.g. ``postgresql+psycopg://...``) works unchanged, since the
schema and queries stick to portable SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from assay.errors import StoreError
from assay.store import _migrate
from assay.store._schema import audit_log

_BUSY_TIMEOUT_MS = 30_000
_PAGE_SIZE = 16384
_WRITER_CACHE_KIB = 64 * 1024


def json_text(value: Any) -> str:
    """How the store writes a JSON column (``None`` becomes JSON ``null``)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _make_engine(url: str, *, writer: bool) -> Engine:
    is_sqlite = url.startswith("sqlite")
    kwargs: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}
    if is_sqlite:
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": _BUSY_TIMEOUT_MS / 1000}
    engine = create_engine(url, **kwargs)
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # Records are 1-10 KB of JSON text: on 4 KB pages most fill a page alone and
            # waste the rest. 16 KB pages hold several (measured: a 40% smaller database
            # and faster ingest). Only a new, empty database takes it; before WAL is set.
            cur.execute(f"PRAGMA page_size={_PAGE_SIZE}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            if writer:
                # A big write (an ingest chunk) touches pages all over the id index; with
                # SQLite's 2 MB default they spill to the WAL mid-transaction, several times.
                cur.execute(f"PRAGMA cache_size=-{_WRITER_CACHE_KIB}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # The writer takes the write lock up front so two writers never deadlock
            # on a lock upgrade; readers use a plain deferred transaction.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


class Store:
    """Handle on the database. Open it once per process; it is thread-safe."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self._writer = _make_engine(url, writer=True)
        self._reader = _make_engine(url, writer=False)
        self._lock = threading.RLock()
        if migrate:
            self.migrate()

    @classmethod
    def at(cls, path: str | Path) -> "Store":
        """Open (creating if needed) the SQLite store at ``path``."""
        return cls(sqlite_url(Path(path).resolve()))

    def migrate(self) -> None:
        try:
            with self.write() as conn:
                if _migrate.current_revision(conn) != _migrate.head_revision():
                    _migrate.upgrade(conn)
        except OperationalError as exc:
            raise StoreError(
                f"cannot open the store at {self.url}: {exc.orig}",
                hint="check the path and permissions, or set store.url in assay.yaml",
            ) from exc

    def schema_revision(self) -> str | None:
        with self.read() as conn:
            return _migrate.current_revision(conn)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction; commits on success, rolls back on error."""
        with self._lock, self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._reader.connect() as conn:
            yield conn

    def audit(self, action: str, **detail: Any) -> None:
        """Append to the audit log (holdout opened, scrubbing disabled, ...)."""
        with self.write() as conn:
            conn.execute(insert(audit_log).values(ts=utcnow(), action=action, detail=detail))

    def close(self) -> None:
        self._writer.dispose()
        self._reader.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
