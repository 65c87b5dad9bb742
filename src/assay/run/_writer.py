"""Batched, crash-safe writes of results and cache entries.

**When a result counts as done.** A result is *acknowledged* (counted in the summary and
the progress bar) only after the transaction holding it has committed. Results waiting
in the batch are not acknowledged; a crash (even ``kill -9``) loses at most those, and
the next ``--resume`` asks for them again. A result is stored under its key (run,
candidate, case, epoch) by delete-then-insert inside one transaction, so a result is
never stored twice. In SQLite's WAL mode a committed transaction survives the process
being killed; ``synchronous=NORMAL`` means a power cut may lose the last commits, which
resume then redoes.

Committing in batches (every ``flush_every`` results or ``flush_s`` seconds, whichever
first) instead of once per result is what keeps the store off the critical path at
thousands of results a second (see ``bench/runner_vs_peers``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, tuple_

from assay.store import Store, utcnow
from assay.store._schema import response_cache, results
from assay.store._upsert import insert_or_ignore

_CACHE_FIELDS = ("output", "tokens_in", "tokens_out", "cost_usd", "latency_ms")


def prefetch_cache(store: Store, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every response-cache entry among ``keys``, read in chunks before the run starts."""
    want = list(dict.fromkeys(keys))
    found: dict[str, dict[str, Any]] = {}
    with store.read() as conn:
        for i in range(0, len(want), 500):
            q = select(response_cache).where(response_cache.c.key.in_(want[i : i + 500]))
            for row in conn.execute(q).mappings():
                found[row["key"]] = {k: row[k] for k in _CACHE_FIELDS}
    return found


class ResultWriter:
    """Collects finished results and commits them in batches.

    ``on_commit(rows)`` runs after each commit with the rows it made durable: that is
    the moment a result is acknowledged.
    """

    def __init__(
        self,
        store: Store,
        on_commit: Callable[[list[dict[str, Any]]], None],
        *,
        flush_every: int = 256,
        flush_s: float = 0.05,
    ) -> None:
        self.store = store
        self.on_commit = on_commit
        self.flush_every = flush_every
        self.flush_s = flush_s
        self._rows: list[dict[str, Any]] = []
        self._cache: dict[str, dict[str, Any]] = {}
        self._known_cache: set[str] = set()
        self._oldest = 0.0
        self.commits = 0

    def mark_cached(self, keys: Iterable[str]) -> None:
        """Keys already in the response cache (so they are not inserted again)."""
        self._known_cache.update(keys)

    def add(self, row: dict[str, Any], cache_key: str | None = None) -> None:
        """Queue one result (and, for a fresh success, its response-cache entry)."""
        if not self._rows:
            self._oldest = time.monotonic()
        row.setdefault("created_at", utcnow())
        self._rows.append(row)
        if cache_key and row["error"] is None and cache_key not in self._known_cache:
            self._known_cache.add(cache_key)
            self._cache[cache_key] = {"key": cache_key, **{k: row[k] for k in _CACHE_FIELDS}, "created_at": row["created_at"]}
        if len(self._rows) >= self.flush_every:
            self.flush()

    def due(self) -> bool:
        return bool(self._rows) and time.monotonic() - self._oldest >= self.flush_s

    def flush(self) -> None:
        """Commit everything queued, then acknowledge it."""
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        cache_rows, self._cache = list(self._cache.values()), {}
        keys = [(r["run_id"], r["candidate"], r["case_id"], r["epoch"]) for r in rows]
        with self.store.write() as conn:
            for i in range(0, len(keys), 200):
                chunk = keys[i : i + 200]
                if conn.dialect.name == "sqlite" or conn.dialect.name == "postgresql":
                    cond = tuple_(results.c.run_id, results.c.candidate, results.c.case_id, results.c.epoch).in_(chunk)
                else:  # pragma: no cover - dialects without row values
                    cond = or_(
                        *(
                            and_(results.c.run_id == a, results.c.candidate == b, results.c.case_id == c, results.c.epoch == d)
                            for a, b, c, d in chunk
                        )
                    )
                conn.execute(delete(results).where(cond))
            conn.execute(insert(results), rows)
            if cache_rows:
                insert_or_ignore(conn, response_cache, cache_rows)
        self.commits += 1
        self.on_commit(rows)
