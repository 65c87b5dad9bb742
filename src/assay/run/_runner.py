"""``assay.run``: candidates x cases, concurrent, cached and resumable.

Every result is committed as soon as it arrives, keyed by (run, candidate, case, epoch),
so a crash or Ctrl-C loses nothing finished, and running the same command again only
does what is missing. Identical requests are answered from the response cache, keyed by
the provider's identity, the parameters and the rendered prompt.
"""

from __future__ import annotations

from pathlib import Path

import asyncio
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update

from assay._progress import ProgressFactory, no_progress
from assay.errors import AssayError, NotFoundError, ProviderError
from assay.project import as_project, Project
from assay.providers import Prompt, Provider, ProviderContext, RetryableError, make_provider, render
from assay.records import Candidate, Case
from assay.sample import load_cases
from assay.scorers import score_run
from assay.store import Store, utcnow
from assay.store._schema import records, response_cache, results, runs

_BACKOFF_BASE = 0.5
_BACKOFF_MAX = 30.0


@dataclass
class RunSummary:
    """What ``assay run`` did; ``to_json`` is the documented ``--json`` shape."""

    run_id: str
    set_name: str
    candidates: list[str]
    planned: int = 0
    already_done: int = 0
    completed: int = 0
    cached: int = 0
    errors: int = 0
    error_reasons: Counter[str] = field(default_factory=Counter)
    scores: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    status: str = "running"

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.run/v1",
            "run_id": self.run_id,
            "set": self.set_name,
            "candidates": self.candidates,
            "planned": self.planned,
            "already_done": self.already_done,
            "completed": self.completed,
            "cached": self.cached,
            "errors": self.errors,
            "error_reasons": dict(self.error_reasons.most_common(10)),
            "scores": self.scores,
            "seconds": round(self.seconds, 3),
            "status": self.status,
        }


def _hash(obj: Any) -> str:
    return hashlib.sha256(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _fingerprint(c: Candidate) -> dict[str, Any]:
    return c.model_dump(exclude={"incumbent"})


def _run_id(set_name: str, candidates: list[Candidate], epochs: int) -> str:
    return "r-" + _hash({"set": set_name, "candidates": [_fingerprint(c) for c in candidates], "epochs": epochs})[:16]


def _recorded_answers(store: Store, cases: list[Case]) -> dict[str, str]:
    """The production log's own answer for each case (for ``provider: recorded``)."""
    want = {c.record_ids[0]: c.id for c in cases if c.record_ids}
    out: dict[str, str] = {}
    with store.read() as conn:
        ids = list(want)
        for i in range(0, len(ids), 500):
            for rid, output in conn.execute(select(records.c.id, records.c.output).where(records.c.id.in_(ids[i : i + 500]))):
                if output is not None:
                    out[want[rid]] = output
    return out


class _Runner:
    def __init__(self, project: Project, store: Store, summary: RunSummary, concurrency: int, retries: int, timeout_s: float) -> None:
        self.project = project
        self.store = store
        self.summary = summary
        self.global_limit = asyncio.Semaphore(concurrency)
        self.retries = retries
        self.timeout_s = timeout_s

    def _cache_get(self, key: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            row = conn.execute(select(response_cache).where(response_cache.c.key == key)).mappings().first()
        return dict(row) if row else None

    def _save(self, row: dict[str, Any], cache_key: str | None, fresh: bool) -> None:
        with self.store.write() as conn:
            conn.execute(
                delete(results).where(
                    results.c.run_id == row["run_id"],
                    results.c.candidate == row["candidate"],
                    results.c.case_id == row["case_id"],
                    results.c.epoch == row["epoch"],
                )
            )
            conn.execute(insert(results).values(**row))
            if fresh and cache_key and row["error"] is None:
                exists = conn.execute(select(response_cache.c.key).where(response_cache.c.key == cache_key)).first()
                if not exists:
                    conn.execute(
                        insert(response_cache).values(
                            key=cache_key,
                            output=row["output"],
                            tokens_in=row["tokens_in"],
                            tokens_out=row["tokens_out"],
                            cost_usd=row["cost_usd"],
                            latency_ms=row["latency_ms"],
                            created_at=utcnow(),
                        )
                    )

    async def one(
        self,
        run_id: str,
        cand: Candidate,
        prov: Provider,
        prov_limit: asyncio.Semaphore | None,
        case: Case,
        epoch: int,
        prompt: Prompt | str,
        task: Any,
    ) -> None:
        base = {"run_id": run_id, "candidate": cand.name, "case_id": case.id, "epoch": epoch, "created_at": utcnow()}
        if isinstance(prompt, str):  # the template could not be rendered for this case
            self._record_error(base, f"prompt: {prompt}", task)
            return
        params = dict(cand.params)
        key = _hash({"provider": prov.identity(), "params": params, "prompt": prompt.identity(), "epoch": epoch})
        hit = self._cache_get(key)
        if hit is not None:
            self._save(
                base
                | {k: hit[k] for k in ("output", "tokens_in", "tokens_out", "cost_usd", "latency_ms")}
                | {"error": None, "cached": True},
                key,
                fresh=False,
            )
            self.summary.completed += 1
            self.summary.cached += 1
            task.advance(1)
            return
        async with self.global_limit:
            if prov_limit is not None:
                await prov_limit.acquire()
            try:
                attempt = 0
                while True:
                    started = time.perf_counter()
                    try:
                        comp = await asyncio.wait_for(prov.complete(prompt, params, case), timeout=self.timeout_s)
                        break
                    except (RetryableError, asyncio.TimeoutError) as exc:
                        attempt += 1
                        if attempt > self.retries:
                            reason = f"timed out after {self.timeout_s:g}s" if isinstance(exc, asyncio.TimeoutError) else exc.message
                            self._record_error(base, f"gave up after {attempt} attempts: {reason}", task)
                            return
                        wait = getattr(exc, "retry_after", None)
                        if wait is None:
                            wait = min(_BACKOFF_MAX, _BACKOFF_BASE * 2 ** (attempt - 1)) * (0.5 + random.random())
                        await asyncio.sleep(wait)
                    except ProviderError as exc:
                        self._record_error(base, exc.message, task)
                        return
                latency = (time.perf_counter() - started) * 1000
            finally:
                if prov_limit is not None:
                    prov_limit.release()
        self._save(
            base
            | {
                "output": comp.output,
                "error": None,
                "latency_ms": latency,
                "tokens_in": comp.tokens_in,
                "tokens_out": comp.tokens_out,
                "cost_usd": comp.cost_usd,
                "cached": False,
            },
            key,
            fresh=True,
        )
        self.summary.completed += 1
        task.advance(1)

    def _record_error(self, base: dict[str, Any], reason: str, task: Any) -> None:
        self._save(
            base | {"output": None, "error": reason, "latency_ms": None, "tokens_in": None, "tokens_out": None, "cost_usd": None, "cached": False},
            None,
            fresh=False,
        )
        self.summary.errors += 1
        self.summary.error_reasons[reason[:120]] += 1
        task.advance(1)
        task.note(f"{self.summary.errors} errors")


def run(
    project: Project | str | Path,
    set_name: str,
    *,
    candidates: list[str] | None = None,
    concurrency: int | None = None,
    epochs: int | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> RunSummary:
    """Run the candidates on the dev cases of ``set_name``, then score the results.

    Results already stored for the same run (same set, candidates and epochs) are kept:
    running again after a crash or Ctrl-C finishes only what is missing, and recorded
    errors are retried.
    """
    project = as_project(project)
    cfg = project.config
    chosen = cfg.candidates if not candidates else [project.candidate(n) for n in candidates]
    if not chosen:
        raise AssayError("no candidates to run", hint="add candidates to assay.yaml (see docs/config.md)")
    epochs = epochs or cfg.run.epochs
    own_store = store is None
    store = store or project.open_store()
    started = time.perf_counter()
    try:
        cases = load_cases(store, set_name)
        if not cases:
            raise NotFoundError(f"eval set {set_name!r} has no dev cases")
        run_id = _run_id(set_name, chosen, epochs)
        summary = RunSummary(run_id=run_id, set_name=set_name, candidates=[c.name for c in chosen])
        with store.write() as conn:
            if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
                conn.execute(
                    insert(runs).values(
                        id=run_id,
                        set_name=set_name,
                        candidates=[c.name for c in chosen],
                        config={c.name: _fingerprint(c) for c in chosen},
                        epochs=epochs,
                        started_at=utcnow(),
                        status="running",
                    )
                )
            else:
                conn.execute(update(runs).where(runs.c.id == run_id).values(status="running"))
            done = {
                tuple(r)
                for r in conn.execute(
                    select(results.c.candidate, results.c.case_id, results.c.epoch).where(
                        results.c.run_id == run_id, results.c.error.is_(None)
                    )
                )
            }
        ctx = ProviderContext(project_root=project.root, recorded=_recorded_answers(store, cases))
        todo = [
            (c, case, e)
            for c in chosen
            for case in cases
            for e in range(epochs)
            if (c.name, case.id, e) not in done
        ]
        summary.planned = len(chosen) * len(cases) * epochs
        summary.already_done = summary.planned - len(todo)
        runner = _Runner(project, store, summary, concurrency or cfg.run.concurrency, cfg.run.retries, cfg.run.timeout_s)

        async def main() -> None:
            provs: dict[str, Provider] = {}
            try:
                for c in chosen:
                    if any(t[0].name == c.name for t in todo):
                        provs[c.name] = make_provider(c, ctx)
                # Candidates on one shared resource (e.g. one in-process model) share a limit.
                groups: dict[str, asyncio.Semaphore] = {}
                limits: dict[str, asyncio.Semaphore | None] = {}
                for name, p in provs.items():
                    if not p.max_concurrency:
                        limits[name] = None
                        continue
                    group = getattr(p, "concurrency_group", None) or name
                    limits[name] = groups.setdefault(group, asyncio.Semaphore(p.max_concurrency))
                work = []
                for c in chosen:
                    items = []
                    for cand, case, e in todo:
                        if cand.name != c.name:
                            continue
                        try:
                            prompt: Prompt | str = render(cand, case, project.root)
                        except AssayError as exc:
                            prompt = exc.message
                        items.append((cand, case, e, prompt))
                    if not items:
                        continue
                    if provs[c.name].max_concurrency == 1:
                        # A serial local model keeps its KV cache between calls: sending
                        # prompts in text order lets shared prefixes (few-shot headers)
                        # be reused instead of recomputed.
                        items.sort(key=lambda it: it[3].as_text() if isinstance(it[3], Prompt) else "")
                    work.extend(items)
                with progress(f"run {set_name}", float(len(todo))) as task:
                    await asyncio.gather(
                        *(runner.one(run_id, c, provs[c.name], limits[c.name], case, e, p, task) for c, case, e, p in work)
                    )
            finally:
                for p in provs.values():
                    await p.aclose()

        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            with store.write() as conn:
                conn.execute(update(runs).where(runs.c.id == run_id).values(status="interrupted"))
            raise
        summary.scores = dict(score_run(project, run_id, cases, store))
        summary.status = "complete" if summary.errors == 0 else "complete_with_errors"
        with store.write() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(status=summary.status, finished_at=utcnow()))
        summary.seconds = time.perf_counter() - started
        return summary
    finally:
        if own_store:
            store.close()


def latest_run(store: Store, set_name: str) -> str:
    with store.read() as conn:
        row = conn.execute(
            select(runs.c.id).where(runs.c.set_name == set_name).order_by(runs.c.started_at.desc()).limit(1)
        ).first()
    if row is None:
        raise NotFoundError(f"no run on eval set {set_name!r}", hint=f"run one: assay run --set {set_name}")
    return row[0]
