"""Fault injection, rate limits, circuit breaker, prices, epochs, resume, and no key leaks."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from assay.run import _runner as runner_mod
from assay.project import load_project
from assay.run import resume, run
from assay.sample import load_cases
from assay.store._schema import results, runs
from assay.testing.mock_openai import Script, running_in_thread

from fault_server import FaultServer, in_thread  # tests/run is on sys.path


def _cand(name: str, base_url: str, extra: str = "") -> str:
    return f"  - {{name: {name}, provider: openai, model: m1, options: {{base_url: '{base_url}'{extra}}}}}"


def _set_run(project, text: str):
    """Replace the run: section of the test project (timeouts, breaker) and reload it."""
    path = project.root / "assay.yaml"
    src = path.read_text()
    start = src.index("run: {")
    end = src.index("\n", start)
    path.write_text(src[:start] + text + src[end:])
    return load_project(project.root)


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch):
    monkeypatch.setattr(runner_mod, "_BACKOFF_BASE", 0.01)


def _rows(store):
    with store.read() as conn:
        return conn.execute(select(results.c.candidate, results.c.case_id, results.c.epoch, results.c.error, results.c.output)).all()


def test_twenty_percent_faults_every_case_accounted_for_within_retry_budget(project_factory):
    server = FaultServer(rate=0.2, seed=3, hang_s=0.6)
    stop = in_thread(server)
    try:
        project = project_factory(_cand("f", server.base_url), size=60, n_records=180)
        project = _set_run(project, "run: {concurrency: 16, retries: 4, timeout_s: 0.3, breaker_failures: 50}")
        s = run(project, "v1")
    finally:
        stop()
    store = project.open_store()
    n = len(load_cases(store, "v1"))
    rows = _rows(store)
    assert len(rows) == n == s.planned and len({r.case_id for r in rows}) == n  # each case exactly once
    assert s.completed + s.errors == n
    assert all(r.error is not None or r.output in ("order_status", "refund_status", "password_reset") for r in rows)
    assert set(server.outcomes) >= {"500", "429", "hang", "truncated", "invalid_json", "ok"}
    assert max(server.per_prompt.values()) <= 1 + 4  # never more attempts than the budget
    assert sum(server.per_prompt.values()) == n + s.retries
    assert s.errors <= 1  # 0.2^5 per case: an error here would be very unlikely
    store.close()


def test_circuit_breaker_stops_hammering_a_dead_provider(project_factory):
    server = FaultServer(fail_all=True, seed=1, hang_s=0.5)
    stop = in_thread(server)
    try:
        project = project_factory(_cand("dead", server.base_url), size=24)
        project = _set_run(project, "run: {concurrency: 4, retries: 3, timeout_s: 0.2, breaker_failures: 3, breaker_cooldown_s: 0.05}")
        s = run(project, "v1")
    finally:
        stop()
    assert s.errors == 24 and s.completed == 0 and s.breaker_trips["dead"] >= 1
    # closed: 3 failures (+ those already in flight) open it; then one probe per cooldown until "down"
    assert sum(server.per_prompt.values()) < 24 * 4 / 2
    assert any("provider unavailable" in r for r in s.error_reasons)


def test_request_rate_limit_spaces_requests(project_factory):
    with running_in_thread(Script(outputs=["order_status"])) as mock:
        project = project_factory(_cand("slow", mock.base_url, ", rpm: 1200"), size=24)  # 20 per second
        t0 = time.perf_counter()
        s = run(project, "v1")
        took = time.perf_counter() - t0
    assert s.completed == 24
    # a bucket of 20 starts full, then 4 more at 20/s: at least ~0.2 s
    assert took >= 0.18


def test_price_table_costs_unreported_usage_and_epochs_repeat(project_factory):
    with running_in_thread(Script(outputs=["order_status"])) as mock:
        project = project_factory(_cand("priced", mock.base_url), size=24)
        project = _set_run(project, "run: {concurrency: 4, retries: 1, timeout_s: 5, prices: {m1: {input_per_mtok: 1000, output_per_mtok: 2000}}}")
        s = run(project, "v1", epochs=2)
        assert len(mock.requests) == 48  # each epoch is its own request, not a cache hit
    store = project.open_store()
    with store.read() as conn:
        rows = conn.execute(select(results.c.tokens_in, results.c.tokens_out, results.c.cost_usd)).all()
    assert len(rows) == 48 and {r[1] for r in rows} == {1}
    for tin, tout, cost in rows:
        assert cost == pytest.approx((tin * 1000 + tout * 2000) / 1e6)
    assert s.cost_usd == pytest.approx(sum(r[2] for r in rows))
    store.close()


def test_resume_continues_newest_unfinished_run_with_its_own_definitions(project_factory):
    server = FaultServer(rate=0.0, only="500")
    stop = in_thread(server)
    try:
        project = project_factory(_cand("r", server.base_url), size=24)
        project = _set_run(project, "run: {concurrency: 4, retries: 0, timeout_s: 5, breaker_cooldown_s: 0.01}")
        server.rate, server.fail_all = 1.0, True  # everything fails: run ends with errors
        first = run(project, "v1")
        assert first.status == "complete_with_errors" and first.errors == 24
        # assay.yaml changes afterwards; resume still finishes the original run
        (project.root / "assay.yaml").write_text((project.root / "assay.yaml").read_text().replace("model: m1", "model: m2"))
        server.fail_all, server.rate = False, 0.0
        again = resume(project.root)
    finally:
        stop()
    assert again.run_id == first.run_id and again.completed == 24 and again.errors == 0 and again.status == "complete"
    store = project.open_store()
    with store.read() as conn:
        assert conn.execute(select(runs.c.status)).scalar() == "complete"
    store.close()
    with pytest.raises(Exception, match="no unfinished run"):
        resume(project.root, "v1")


def test_planted_key_never_reaches_store_logs_or_reports(project_factory, tmp_path):
    key = "sk-planted-7f3a9c1e5b"
    server = FaultServer(rate=0.3, seed=5, hang_s=0.5, echo_auth=True)
    stop = in_thread(server)
    try:
        project = project_factory(_cand("k", server.base_url, ", api_key_env: ASSAY_PLANTED_KEY"), size=24)
        project = _set_run(project, "run: {concurrency: 4, retries: 0, timeout_s: 0.3}")
        env = {**os.environ, "ASSAY_PLANTED_KEY": key}
        out_dir = tmp_path / "report-out"
        logs = []
        for cmd in (["run", "--set", "v1", "--json"], ["report", "--set", "v1", "--out", str(out_dir), "--json"]):
            p = subprocess.run([sys.executable, "-m", "assay.cli", *cmd, "-p", str(project.root)], env=env,
                               capture_output=True, timeout=120)
            logs += [p.stdout, p.stderr]
            assert p.returncode == 0, p.stderr.decode()
    finally:
        stop()
    assert server.outcomes["ok"] > 0 and sum(v for k, v in server.outcomes.items() if k != "ok") > 0
    store = project.open_store()
    errors = [r.error for r in _rows(store) if r.error]  # the server echoed the key in failures: they are stored redacted
    store.close()
    assert any("auth=Bearer ***" in e for e in errors)
    files = [p for p in (project.root / ".assay").rglob("*") if p.is_file()] + [p for p in out_dir.rglob("*") if p.is_file()]
    assert any(p.name.startswith("assay.db") for p in files) and any(p.suffix == ".html" for p in files)
    for p in files:
        assert key.encode() not in p.read_bytes(), p
    for blob in logs:
        assert key.encode() not in blob
