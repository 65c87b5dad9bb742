"""``assay results``: candidates x scorers for one run, with errors, spend, latency and
the calibration status of every judge."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from assay.errors import NotFoundError
from assay.project import Project, as_project
from assay.scorers._calibration import Calibration
from assay.scorers._evidence import judge_evidence
from assay.store import Store
from assay.store._schema import results, runs, scores


@dataclass
class CandidateRow:
    name: str
    results: int = 0
    errors: int = 0
    cost_usd: float = 0.0
    latency_p50_ms: float | None = None
    scores: dict[str, tuple[float, int]] = field(default_factory=dict)  #: scorer -> (mean, n)


@dataclass
class ResultsTable:
    run_id: str
    set_name: str
    status: str
    scorers: list[str]
    candidates: list[CandidateRow]
    inconsistent_pairs: dict[str, int]
    judges: list[Calibration]
    evidence_ok: bool = True  #: False when the run's only evidence is uncalibrated judges

    def warnings(self) -> list[str]:
        """One sentence per judge that is not calibrated against human verdicts."""
        return [w for j in self.judges if (w := j.warning())]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.results/v1",
            "run_id": self.run_id,
            "set": self.set_name,
            "status": self.status,
            "scorers": self.scorers,
            "candidates": [
                {"name": c.name, "results": c.results, "errors": c.errors, "cost_usd": round(c.cost_usd, 6),
                 "latency_p50_ms": None if c.latency_p50_ms is None else round(c.latency_p50_ms, 1),
                 "scores": {k: {"mean": round(m, 4), "n": n} for k, (m, n) in c.scores.items()}}
                for c in self.candidates
            ],
            "inconsistent_pairs": self.inconsistent_pairs,
            "judges": [j.to_json() for j in self.judges],
            "evidence_ok": self.evidence_ok,
            "warnings": self.warnings(),
        }


def results_table(project: Project | str | Path, set_name: str, *, run_id: str | None = None, store: Store | None = None) -> ResultsTable:
    """Summarise a run (default: the newest on ``set_name``): mean score per candidate and scorer."""
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        with store.read() as conn:
            q = select(runs).where(runs.c.set_name == set_name)
            if run_id:
                q = q.where(runs.c.id == run_id)
            run = conn.execute(q.order_by(runs.c.started_at.desc()).limit(1)).mappings().first()
            if run is None:
                raise NotFoundError(f"no run on eval set {set_name!r}" + (f" with id {run_id}" if run_id else ""),
                                    hint=f"run one: assay run --set {set_name}")
            res = conn.execute(select(results.c.candidate, results.c.error, results.c.cost_usd, results.c.latency_ms,
                                      results.c.cached).where(results.c.run_id == run["id"])).all()
            sc = conn.execute(select(scores.c.candidate, scores.c.scorer, scores.c.value, scores.c.kind, scores.c.detail)
                              .where(scores.c.run_id == run["id"])).all()
        rows = {name: CandidateRow(name) for name in run["candidates"]}
        lat: dict[str, list[float]] = {}
        for cand, error, cost, latency, cached in res:
            row = rows.setdefault(cand, CandidateRow(cand))
            row.results += 1
            row.errors += error is not None
            row.cost_usd += (cost or 0.0) if not cached else 0.0
            if latency is not None and error is None:
                lat.setdefault(cand, []).append(latency)
        for cand, values in lat.items():
            rows[cand].latency_p50_ms = statistics.median(values)
        acc: dict[tuple[str, str], list[float]] = {}
        inconsistent: dict[str, int] = {}
        for cand, scorer_name, value, kind, detail in sc:
            if value is not None:
                acc.setdefault((cand, scorer_name), []).append(value)
            if kind == "pairwise" and detail and detail.startswith("{"):
                try:
                    if orjson.loads(detail).get("consistent") is False:
                        inconsistent[scorer_name] = inconsistent.get(scorer_name, 0) + 1
                except orjson.JSONDecodeError:
                    pass
        for (cand, scorer_name), values in acc.items():
            rows.setdefault(cand, CandidateRow(cand)).scores[scorer_name] = (sum(values) / len(values), len(values))
        names = [s.name for s in project.config.scorers if any((c, s.name) in acc for c in rows)]
        ev = judge_evidence(project, run["id"], store=store)
        return ResultsTable(run["id"], set_name, run["status"], names, list(rows.values()), inconsistent, ev.judges, ev.ok)
    finally:
        if own:
            store.close()
