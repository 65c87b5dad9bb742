"""``assay.run``: candidates x cases, concurrent, cached and resumable.

Results are committed in small batches as they arrive (see ``_writer`` for exactly when
a result counts as done), keyed by (run, candidate, case, epoch), so a crash or Ctrl-C
loses nothing acknowledged, and running again (or ``resume``) only does what is missing.
Identical requests are answered from the response cache, keyed by the provider's
identity, the parameters, the rendered prompt and the epoch.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, select, update

from assay._progress import ProgressFactory, Task, no_progress
from assay.errors import AssayError, NotFoundError, ProviderError
from assay.project import Project, as_project
from assay.providers import Prompt, Provider, ProviderContext, RetryableError, check_no_secrets, make_provider, render
from assay.records import Candidate, Case
from assay.run._limits import CircuitBreaker, ProviderUnavailable, RateLimiter
from assay.run._writer import ResultWriter, prefetch_cache
from assay.sample import load_cases
from assay.scorers import score_run
from assay.store import Store, utcnow
from assay.store._schema import records, results, runs

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
    retries: int = 0
    breaker_trips: dict[str, int] = field(default_factory=dict)
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    scores: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    request_seconds: float = 0.0  # from the first request sent to the last result committed
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
            "retries": self.retries,
            "breaker_trips": self.breaker_trips,
            "cost_usd": round(self.cost_usd, 6),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "scores": self.scores,
            "seconds": round(self.seconds, 3),
            "request_seconds": round(self.request_seconds, 3),
            "status": self.status,
        }


def _hash(obj: Any) -> str:
    return hashlib.sha256(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _fingerprint(c: Candidate) -> dict[str, Any]:
    return c.model_dump(exclude={"incumbent"})


def run_id_for(set_name: str, candidates: list[Candidate], epochs: int) -> str:
    """The id of the run of ``candidates`` on ``set_name``: the same definitions give the same id."""
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


def _estimate_tokens(prompt: Prompt, params: dict[str, Any]) -> int:
    """A token estimate for rate limiting before the provider reports usage (4 chars a token)."""
    return len(prompt.as_text()) // 4 + int(params.get("max_tokens") or params.get("max_completion_tokens") or 256)


@dataclass
class _Lane:
    """Everything the runner keeps per candidate."""

    cand: Candidate
    prov: Provider
    limit: asyncio.Semaphore | None
    breaker: CircuitBreaker
    rpm: RateLimiter | None
    tpm: RateLimiter | None
    price: tuple[float, float] | None


class _Runner:
    def __init__(self, store: Store, summary: RunSummary, concurrency: int, retries: int, timeout_s: float, task: Task) -> None:
        self.summary = summary
        self.global_limit = asyncio.Semaphore(concurrency)
        self.retries = retries
        self.timeout_s = timeout_s
        self.task = task
        self.writer = ResultWriter(store, self._acknowledge)
        self._started = time.monotonic()
        self._last_note = 0.0
        self._n_done = 0

    # -- acknowledgement (after commit) ------------------------------------------------

    def _acknowledge(self, rows: list[dict[str, Any]]) -> None:
        s = self.summary
        for row in rows:
            if row["error"] is None:
                s.completed += 1
                s.cached += bool(row["cached"])
                if not row["cached"]:
                    s.cost_usd += row["cost_usd"] or 0.0
                    s.tokens_in += row["tokens_in"] or 0
                    s.tokens_out += row["tokens_out"] or 0
            else:
                s.errors += 1
                s.error_reasons[row["error"][:120]] += 1
        self._n_done += len(rows)
        self.task.advance(len(rows))
        now = time.monotonic()
        if now - self._last_note >= 0.5:
            self._last_note = now
            rate = self._n_done / max(1e-9, now - self._started)
            self.task.note(f"{rate:,.0f}/s  errors {s.errors}  retries {s.retries}  ${s.cost_usd:,.4f}")

    async def flusher(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.writer.flush_s)
            if self.writer.due():
                self.writer.flush()

    # -- one request --------------------------------------------------------------------

    def _cost(self, lane: _Lane, tokens_in: int | None, tokens_out: int | None, reported: float | None) -> float | None:
        if reported is not None or lane.price is None or tokens_in is None or tokens_out is None:
            return reported
        return (tokens_in * lane.price[0] + tokens_out * lane.price[1]) / 1e6

    async def one(self, lane: _Lane, base: dict[str, Any], prompt: Prompt | str, key: str | None, hit: dict[str, Any] | None) -> None:
        if isinstance(prompt, str):  # the template could not be rendered for this case
            self._error(base, f"prompt: {prompt}")
            return
        if hit is not None:
            self.writer.add(base | hit | {"error": None, "cached": True})
            return
        params = dict(lane.cand.params)
        async with self.global_limit:
            if lane.limit is not None:
                await lane.limit.acquire()
            try:
                await self._call(lane, base, prompt, params, key)
            finally:
                if lane.limit is not None:
                    lane.limit.release()

    async def _call(self, lane: _Lane, base: dict[str, Any], prompt: Prompt, params: dict[str, Any], key: str | None) -> None:
        attempt = 0
        case = base["case"]
        while True:
            try:
                while (wait := lane.breaker.admit()) > 0:
                    await asyncio.sleep(wait)
            except ProviderUnavailable as exc:
                self._error(base, exc.message)
                return
            est = 0
            if lane.rpm is not None:
                await lane.rpm.acquire(1)
            if lane.tpm is not None:
                est = _estimate_tokens(prompt, params)
                await lane.tpm.acquire(est)
            started = time.perf_counter()
            try:
                async with asyncio.timeout(self.timeout_s):
                    comp = await lane.prov.complete(prompt, params, case)
            except (RetryableError, TimeoutError) as exc:
                lane.breaker.failure()
                attempt += 1
                if attempt > self.retries:
                    reason = f"timed out after {self.timeout_s:g}s" if isinstance(exc, TimeoutError) else exc.message
                    self._error(base, f"gave up after {attempt} attempts: {reason}")
                    return
                self.summary.retries += 1
                wait = getattr(exc, "retry_after", None)
                if wait is None:
                    wait = min(_BACKOFF_MAX, _BACKOFF_BASE * 2 ** (attempt - 1)) * (0.5 + random.random())
                await asyncio.sleep(wait)
                continue
            except ProviderError as exc:
                lane.breaker.release()
                self._error(base, exc.message)
                return
            latency = (time.perf_counter() - started) * 1000
            lane.breaker.success()
            if lane.tpm is not None and comp.tokens_in is not None and comp.tokens_out is not None:
                lane.tpm.refund(est - comp.tokens_in - comp.tokens_out)
            row = _row(base) | {
                "output": comp.output,
                "error": None,
                "latency_ms": latency,
                "tokens_in": comp.tokens_in,
                "tokens_out": comp.tokens_out,
                "cost_usd": self._cost(lane, comp.tokens_in, comp.tokens_out, comp.cost_usd),
                "cached": False,
            }
            self.writer.add(row, key)
            return

    def _error(self, base: dict[str, Any], reason: str) -> None:
        empty = {"output": None, "latency_ms": None, "tokens_in": None, "tokens_out": None, "cost_usd": None, "cached": False}
        self.writer.add(_row(base) | empty | {"error": reason})


def _row(base: dict[str, Any]) -> dict[str, Any]:
    return {k: base[k] for k in ("run_id", "candidate", "case_id", "epoch")}


def _price(cand: Candidate, project: Project) -> tuple[float, float] | None:
    p = cand.options.get("price")
    if isinstance(p, dict):
        try:
            return float(p["input_per_mtok"]), float(p["output_per_mtok"])
        except (KeyError, TypeError, ValueError):
            raise AssayError(
                f"candidate {cand.name}: options.price needs input_per_mtok and output_per_mtok (USD per million tokens)"
            ) from None
    table = project.config.run.prices.get(cand.model or "")
    return (table.input_per_mtok, table.output_per_mtok) if table else None


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
    return execute(project, set_name, chosen, epochs or cfg.run.epochs, concurrency=concurrency, progress=progress, store=store)


def resume(
    project: Project | str | Path,
    set_name: str | None = None,
    *,
    concurrency: int | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> RunSummary:
    """Continue the newest unfinished run (on ``set_name``, or on any set).

    Unfinished means interrupted, still marked running (a crash), or finished with
    errors. The run continues with the candidate definitions it was started with, even
    if assay.yaml changed since.
    """
    project = as_project(project)
    own_store = store is None
    store = store or project.open_store()
    try:
        q = select(runs).where(runs.c.status.in_(["running", "interrupted", "complete_with_errors"]))
        if set_name:
            q = q.where(runs.c.set_name == set_name)
        with store.read() as conn:
            row = conn.execute(q.order_by(runs.c.started_at.desc()).limit(1)).mappings().first()
        if row is None:
            where = f" on eval set {set_name!r}" if set_name else ""
            raise NotFoundError(f"no unfinished run{where}", hint="start one: assay run --set NAME")
        incumbent = project.incumbent.name if project.incumbent else None
        chosen = [Candidate(**row["config"][name], incumbent=(name == incumbent)) for name in row["candidates"]]
        return execute(project, row["set_name"], chosen, row["epochs"], concurrency=concurrency, progress=progress, store=store)
    finally:
        if own_store:
            store.close()


def execute(
    project: Project,
    set_name: str,
    chosen: list[Candidate],
    epochs: int,
    *,
    concurrency: int | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> RunSummary:
    """Run exactly these candidate definitions for ``epochs`` on the set's dev cases."""
    cfg = project.config
    for c in chosen:
        check_no_secrets(c)  # before the definitions are stored with the run
    own_store = store is None
    store = store or project.open_store()
    started = time.perf_counter()
    try:
        cases = load_cases(store, set_name)
        if not cases:
            raise NotFoundError(f"eval set {set_name!r} has no dev cases")
        run_id = run_id_for(set_name, chosen, epochs)
        summary = RunSummary(run_id=run_id, set_name=set_name, candidates=[c.name for c in chosen])
        done = _open_run(store, run_id, set_name, chosen, epochs)
        ctx = ProviderContext(project_root=project.root, recorded=_recorded_answers(store, cases))
        todo = [(c, case, e) for c in chosen for case in cases for e in range(epochs) if (c.name, case.id, e) not in done]
        summary.planned = len(chosen) * len(cases) * epochs
        summary.already_done = summary.planned - len(todo)

        async def main() -> None:
            lanes: dict[str, _Lane] = {}
            try:
                groups: dict[str, asyncio.Semaphore] = {}
                for c in chosen:
                    if not any(t[0].name == c.name for t in todo):
                        continue
                    prov = make_provider(c, ctx)
                    limit = None
                    if prov.max_concurrency:
                        # Candidates on one shared resource (e.g. one in-process model) share a limit.
                        group = getattr(prov, "concurrency_group", None) or c.name
                        limit = groups.setdefault(group, asyncio.Semaphore(int(prov.max_concurrency)))
                    rpm, tpm = c.options.get("rpm"), c.options.get("tpm")
                    lanes[c.name] = _Lane(
                        c,
                        prov,
                        limit,
                        CircuitBreaker(cfg.run.breaker_failures, cfg.run.breaker_cooldown_s),
                        RateLimiter(float(rpm)) if rpm else None,
                        RateLimiter(float(tpm)) if tpm else None,
                        _price(c, project),
                    )
                work = _plan(lanes, todo, run_id, project.root)
                hits = prefetch_cache(store, [w[3] for w in work if w[3]])
                with progress(f"run {set_name}", float(len(todo))) as task:
                    runner = _Runner(store, summary, concurrency or cfg.run.concurrency, cfg.run.retries, cfg.run.timeout_s, task)
                    runner.writer.mark_cached(hits)
                    stop = asyncio.Event()
                    flusher = asyncio.create_task(runner.flusher(stop))
                    t_requests = time.perf_counter()
                    try:
                        await asyncio.gather(
                            *(runner.one(lanes[b["candidate"]], b, p, k, hits.get(k) if k else None) for b, p, _c, k in work)
                        )
                    finally:
                        stop.set()
                        await flusher
                        runner.writer.flush()  # commit what finished, even on Ctrl-C
                        summary.request_seconds = time.perf_counter() - t_requests
                summary.breaker_trips = {n: ln.breaker.trips for n, ln in lanes.items() if ln.breaker.trips}
            finally:
                for lane in lanes.values():
                    await lane.prov.aclose()

        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            with store.write() as conn:
                conn.execute(update(runs).where(runs.c.id == run_id).values(status="interrupted"))
            raise
        summary.scores = dict(score_run(project, run_id, cases, store))
        with store.read() as conn:
            n_errors = conn.execute(select(results.c.case_id).where(results.c.run_id == run_id, results.c.error.is_not(None))).all()
        summary.status = "complete" if not n_errors else "complete_with_errors"
        with store.write() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(status=summary.status, finished_at=utcnow()))
        summary.seconds = time.perf_counter() - started
        return summary
    finally:
        if own_store:
            store.close()


def _open_run(store: Store, run_id: str, set_name: str, chosen: list[Candidate], epochs: int) -> set[tuple[str, str, int]]:
    """Create or reopen the run row; return the (candidate, case, epoch) keys already done."""
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
        q = select(results.c.candidate, results.c.case_id, results.c.epoch).where(
            results.c.run_id == run_id, results.c.error.is_(None)
        )
        return {(a, b, int(e)) for a, b, e in conn.execute(q)}


def _plan(
    lanes: dict[str, _Lane], todo: list[tuple[Candidate, Case, int]], run_id: str, root: Path
) -> list[tuple[dict[str, Any], Prompt | str, Candidate, str | None]]:
    """Render prompts and cache keys; order a serial local model's prompts by text."""
    work: list[tuple[dict[str, Any], Prompt | str, Candidate, str | None]] = []
    for name, lane in lanes.items():
        ident = lane.prov.identity()
        params = dict(lane.cand.params)
        items = []
        for cand, case, e in todo:
            if cand.name != name:
                continue
            try:
                prompt: Prompt | str = render(cand, case, root)
            except AssayError as exc:
                prompt = exc.message
            key = None
            if isinstance(prompt, Prompt):
                key = _hash({"provider": ident, "params": params, "prompt": prompt.identity(), "epoch": e})
            base = {"run_id": run_id, "candidate": name, "case_id": case.id, "epoch": e, "case": case}
            items.append((base, prompt, cand, key))
        if lane.prov.max_concurrency == 1:
            # A serial local model keeps its KV cache between calls: sending prompts in
            # text order lets shared prefixes (few-shot headers) be reused.
            items.sort(key=lambda it: it[1].as_text() if isinstance(it[1], Prompt) else "")
        work.extend(items)
    return work


def latest_run(store: Store, set_name: str) -> str:
    """The id of the newest run on ``set_name``."""
    with store.read() as conn:
        row = conn.execute(
            select(runs.c.id).where(runs.c.set_name == set_name).order_by(runs.c.started_at.desc()).limit(1)
        ).first()
    if row is None:
        raise NotFoundError(f"no run on eval set {set_name!r}", hint=f"run one: assay run --set {set_name}")
    return row[0]
