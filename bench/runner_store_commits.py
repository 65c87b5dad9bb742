"""Does committing each result on its own limit the runner? Writes N result rows to a
fresh SQLite store through ``ResultWriter``: one transaction per result vs batches.

    .venv/bin/python bench/runner_store_commits.py 10000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from assay.run._writer import ResultWriter
from assay.store import Store


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    for batch in (1, 32, 256):
        with tempfile.TemporaryDirectory() as d:
            store = Store.at(Path(d) / "a.db")
            acked = [0]
            w = ResultWriter(store, lambda rows: acked.__setitem__(0, acked[0] + len(rows)), flush_every=batch)
            t0, c0 = time.perf_counter(), time.process_time()
            for i in range(n):
                w.add({"run_id": "r", "candidate": "c", "case_id": f"c{i:06d}", "epoch": 0, "output": "order_status",
                       "error": None, "latency_ms": 1.0, "tokens_in": 10, "tokens_out": 1, "cost_usd": None, "cached": False},
                      cache_key=f"k{i}")
            w.flush()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            store.close()
            assert acked[0] == n
            print(f"batch {batch:>4}: {n / wall:8.0f} results/s  {1e6 * cpu / n:7.1f} µs CPU/result  ({w.commits} commits)")


if __name__ == "__main__":
    main()
