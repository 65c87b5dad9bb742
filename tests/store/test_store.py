import threading

import pytest
from sqlalchemy import func, insert, select

from assay.store import Store, utcnow
from assay.store._schema import audit_log, benchmark_claims


def test_write_rolls_back_on_error(tmp_path):
    store = Store.at(tmp_path / "s.db")
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            conn.execute(insert(benchmark_claims).values(candidate="a", benchmark="mmlu", score=70.0, source="card", independent=False))
            raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(benchmark_claims)).scalar() == 0
    store.close()


def test_concurrent_writers_from_threads_and_a_second_handle_lose_nothing(tmp_path):
    path = tmp_path / "c.db"
    a, b = Store.at(path), Store.at(path)

    def writer(store: Store, tag: str) -> None:
        for i in range(50):
            with store.write() as conn:
                conn.execute(insert(audit_log).values(ts=utcnow(), action=tag, detail={"i": i}))

    threads = [threading.Thread(target=writer, args=(s, f"{n}-{k}")) for n, s in (("a", a), ("b", b)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with a.read() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == 300
    a.close()
    b.close()


def test_readers_see_committed_rows_while_a_write_is_open(tmp_path):
    store = Store.at(tmp_path / "r.db")
    store.audit("first")
    with store.write() as conn:
        conn.execute(insert(audit_log).values(ts=utcnow(), action="pending", detail={}))
        with store.read() as rconn:  # WAL: the reader is not blocked and sees only committed data
            actions = [r for (r,) in rconn.execute(select(audit_log.c.action))]
        assert actions == ["first"]
    store.close()
