import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from assay.run import run
from assay.sample import load_cases
from assay.store._schema import response_cache, results, runs, scores
from assay.testing.mock_openai import Script, running_in_thread

INTENTS = ["order_status", "refund_status", "password_reset"]


def _by_keyword(body):
    text = body["messages"][-1]["content"].lower()
    return "refund_status" if "refund" in text else "password_reset" if "password" in text else "order_status"


def _openai_candidate(name, base_url, model="m1"):
    return f"  - {{name: {name}, provider: openai, model: {model}, options: {{base_url: '{base_url}'}}, params: {{temperature: 0}}}}"


def _count(store, table, **where):
    q = select(func.count()).select_from(table)
    for k, v in where.items():
        q = q.where(getattr(table.c, k) == v)
    with store.read() as conn:
        return conn.execute(q).scalar()


def test_run_stores_results_and_scores_and_rerun_does_nothing(project_factory):
    with running_in_thread(Script(outputs=_by_keyword)) as mock:
        project = project_factory(_openai_candidate("keyword", mock.base_url) + "\n  - {name: incumbent, provider: recorded, incumbent: true}")
        s1 = run(project, "v1")
        assert s1.planned == 48 and s1.completed == 48 and s1.errors == 0 and s1.already_done == 0
        assert s1.scores == {"intent": 48}
        n_requests = len(mock.requests)
        s2 = run(project, "v1")
        assert s2.already_done == 48 and s2.completed == 0
        assert len(mock.requests) == n_requests  # nothing re-sent
    store = project.open_store()
    with store.read() as conn:
        vals = dict(conn.execute(select(scores.c.candidate, func.avg(scores.c.value)).group_by(scores.c.candidate)).all())
    assert vals["keyword"] == 1.0  # the scripted model is always right here
    assert 0 < vals["incumbent"] < 1  # production was wrong on every 5th record
    store.close()


def test_response_cache_answers_identical_requests(project_factory):
    with running_in_thread(Script(outputs=_by_keyword)) as mock:
        project = project_factory(_openai_candidate("a", mock.base_url))
        run(project, "v1")
        sent = len(mock.requests)
        # Same provider, model, params and prompt under a new run (another epoch count): cache hits.
        s = run(project, "v1", epochs=1, candidates=["a"], concurrency=2)
        assert s.completed == 0
        store = project.open_store()
        assert _count(store, response_cache) == 24
        store.close()
        assert len(mock.requests) == sent


def test_retries_honour_retry_after_then_succeed(project_factory):
    with running_in_thread(Script(outputs=_by_keyword, fail_first=3, fail_status=429, retry_after=0.05)) as mock:
        project = project_factory(_openai_candidate("flaky", mock.base_url))
        s = run(project, "v1")
        assert s.errors == 0 and s.completed == 24
        assert len(mock.requests) == 24 + 3


def test_permanent_errors_are_recorded_with_reason_and_retried_on_rerun(project_factory):
    with running_in_thread(Script(outputs=_by_keyword, fail_first=5, fail_status=400)) as mock:
        project = project_factory(_openai_candidate("bad", mock.base_url))
        s = run(project, "v1")
        assert s.errors == 5 and s.completed == 19
        assert any("HTTP 400" in r for r in s.error_reasons)
        store = project.open_store()
        assert _count(store, results) == 24  # every case ends as a result or a recorded error
        s2 = run(project, "v1", store=store)
        assert s2.already_done == 19 and s2.completed == 5 and s2.errors == 0
        with store.read() as conn:
            assert conn.execute(select(func.count()).select_from(results).where(results.c.error.is_not(None))).scalar() == 0
        store.close()


def test_global_concurrency_limit_is_respected_and_used(project_factory, tmp_path):
    (tmp_path / "slowmod.py").write_text(
        "import asyncio\n"
        "state = {'now': 0, 'max': 0}\n"
        "async def answer(case):\n"
        "    state['now'] += 1; state['max'] = max(state['max'], state['now'])\n"
        "    await asyncio.sleep(0.02)\n"
        "    state['now'] -= 1\n"
        "    return 'order_status'\n"
    )
    project = project_factory("  - {name: slow, provider: python, options: {target: 'slowmod:answer'}}")
    run(project, "v1", concurrency=3)
    import slowmod

    assert slowmod.state["max"] == 3


def _run_cli(project_root, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "assay.cli", "run", "--set", "v1", "-p", str(project_root), "--concurrency", "4", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # A shell that starts jobs in the background (as CI may) leaves SIGINT ignored,
        # and children inherit that; restore the default so Ctrl-C can be simulated.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.slow
def test_kill_9_twenty_times_at_random_points_then_resume_loses_and_duplicates_nothing(project_factory, tmp_path):
    import random

    rng = random.Random(7)
    kills = 0
    with running_in_thread(Script(outputs=_by_keyword, latency_s=0.005)) as mock:
        project = project_factory(_openai_candidate("k", mock.base_url), size=120, n_records=360)
        store = project.open_store()
        n_cases = len(load_cases(store, "v1"))
        while kills < 20:
            before = _count(store, results)
            proc = _run_cli(project.root)
            if kills % 2:  # a random moment: during start-up, requests, commits or scoring
                time.sleep(rng.uniform(0.3, 2.5))
            else:  # a random number of newly committed results
                target = before + rng.randint(1, 12)
                deadline = time.time() + 60
                while _count(store, results) < target and proc.poll() is None and time.time() < deadline:
                    time.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if _count(store, results) >= n_cases:  # it finished before the kill landed: start over on a fresh run
                with store.write() as conn:
                    conn.execute(results.delete())
                    conn.execute(response_cache.delete())
                continue
            with store.read() as conn:
                unfinished = conn.execute(select(func.count()).select_from(runs).where(runs.c.status == "running")).scalar()
            if not unfinished:  # killed while starting up, before a run began: nothing to resume yet
                continue
            kills += 1
        done = subprocess.run(
            [sys.executable, "-c", f"from assay.run import resume; s = resume({str(project.root)!r}); print(s.status)"],
            capture_output=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.decode().strip() == "complete"
        with store.read() as conn:
            rows = conn.execute(select(results.c.case_id, results.c.error)).all()
        assert kills == 20
        assert len(rows) == n_cases
        assert len({r.case_id for r in rows}) == n_cases
        assert all(r.error is None for r in rows)
        store.close()


@pytest.mark.slow
def test_ctrl_c_exits_130_and_keeps_finished_results(project_factory):
    with running_in_thread(Script(outputs=_by_keyword, latency_s=0.2)) as mock:
        project = project_factory(_openai_candidate("c", mock.base_url), size=60, n_records=180)
        store = project.open_store()
        proc = _run_cli(project.root, "--concurrency", "1")
        deadline = time.time() + 60
        while _count(store, results) < 3 and time.time() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
        assert b"finished work is saved" in proc.stderr.read()
        kept = _count(store, results)
        assert kept >= 3
        proc = _run_cli(project.root)
        assert proc.wait(timeout=120) == 0
        assert _count(store, results) == len(load_cases(store, "v1"))
        store.close()
