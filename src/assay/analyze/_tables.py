"""Gather a run's scores into per-candidate and per-slice estimates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as sps
from sqlalchemy import select

from assay.analyze._data import case_cluster
from assay.profile import load_profile
from assay.records import Case
from assay.sample import load_cases, load_set
from assay.stats import Estimate, estimate_mean
from assay.store import Store
from assay.store._schema import results, runs, scores

OVERALL = "overall"


@dataclass
class CandidateSummary:
    name: str
    incumbent: bool
    scorers: dict[str, Estimate]
    overall: Estimate
    traffic_weighted: Estimate
    results: int
    errors: int
    mean_latency_ms: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "incumbent": self.incumbent,
            "overall": self.overall.to_json(),
            "traffic_weighted": self.traffic_weighted.to_json(),
            "scorers": {k: v.to_json() for k, v in self.scorers.items()},
            "results": self.results,
            "errors": self.errors,
            "mean_latency_ms": self.mean_latency_ms,
        }


@dataclass
class SliceRow:
    id: str
    label: str
    weight: float
    n_cases: int
    means: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "weight": self.weight, "n_cases": self.n_cases, "overall": self.means}


@dataclass
class Tables:
    set_name: str
    run_id: str
    profile_id: str
    n_cases: int
    traffic_covered: float
    candidates: list[CandidateSummary]
    slices: list[SliceRow]


def weighted_estimate(values: np.ndarray, weights: np.ndarray, confidence: float = 0.95) -> Estimate:
    """Traffic-weighted mean with a percentile bootstrap interval (cases resampled)."""
    n = len(values)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0, "none")
    mean = float(np.average(values, weights=weights))
    if n < 2 or np.all(values == values[0]):
        return Estimate(mean, mean, mean, n, "weighted")

    def stat(v: np.ndarray, w: np.ndarray, axis: int = -1) -> np.ndarray:
        return (v * w).sum(axis=axis) / w.sum(axis=axis)

    res = sps.bootstrap(
        (values, weights), stat, paired=True, vectorized=True, confidence_level=confidence,
        n_resamples=4000, method="percentile", random_state=0,
    )
    return Estimate(mean, float(res.confidence_interval.low), float(res.confidence_interval.high), n, "weighted-bootstrap")


def build_tables(store: Store, set_name: str, run_id: str, incumbent: str | None) -> Tables:
    evs = load_set(store, set_name)
    cases = {c.id: c for c in load_cases(store, set_name)}
    prof = load_profile(store, evs.profile_id)
    with store.read() as conn:
        run_row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
        srows = conn.execute(select(scores).where(scores.c.run_id == run_id)).mappings().all()
        rrows = conn.execute(
            select(results.c.candidate, results.c.error, results.c.latency_ms).where(results.c.run_id == run_id)
        ).all()
    cand_names: list[str] = list(run_row["candidates"])

    # candidate -> scorer -> case -> [epoch values]
    by: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    kinds: dict[str, str] = {}
    for r in srows:
        by[r["candidate"]][r["scorer"]][r["case_id"]].append(r["value"])
        kinds[r["scorer"]] = r["kind"]
    scorer_names = sorted(kinds)

    n_results: dict[str, int] = defaultdict(int)
    n_errors: dict[str, int] = defaultdict(int)
    lat: dict[str, list[float]] = defaultdict(list)
    for cand, err, latency in rrows:
        n_results[cand] += 1
        if err:
            n_errors[cand] += 1
        elif latency is not None:
            lat[cand].append(latency)

    summaries: list[CandidateSummary] = []
    overall_case: dict[str, dict[str, float]] = {}
    for cand in cand_names:
        per_scorer: dict[str, Estimate] = {}
        case_vals: dict[str, list[float]] = defaultdict(list)
        for sc in scorer_names:
            vals = by[cand][sc]
            means = {cid: float(np.mean(v)) for cid, v in vals.items()}
            per_scorer[sc] = estimate_mean(
                np.array(list(means.values())),
                binary=kinds[sc] == "binary",
                clusters=[case_cluster(cases[c]) if c in cases else c for c in means],
            )
            for cid, m in means.items():
                case_vals[cid].append(m)
        # A case's overall score is the mean of the scorers that apply to it. Cases the
        # candidate failed to answer (errors) count as 0: an error is a wrong answer.
        overall = {cid: float(np.mean(v)) for cid, v in case_vals.items()}
        errored = {cid for cid in cases if cid not in overall}
        scored_elsewhere = {cid for other in by.values() for sc in other.values() for cid in sc}
        for cid in errored & scored_elsewhere:
            overall[cid] = 0.0
        overall_case[cand] = overall
        ids = sorted(overall)
        vals_arr = np.array([overall[i] for i in ids])
        binary = all(kinds[s] == "binary" for s in scorer_names)
        w = np.array([cases[i].weight for i in ids])
        summaries.append(
            CandidateSummary(
                name=cand,
                incumbent=cand == incumbent,
                scorers=per_scorer,
                overall=estimate_mean(vals_arr, binary=binary, clusters=[case_cluster(cases[i]) if i in cases else i for i in ids]),
                traffic_weighted=weighted_estimate(vals_arr, w),
                results=n_results[cand],
                errors=n_errors[cand],
                mean_latency_ms=float(np.mean(lat[cand])) if lat[cand] else None,
            )
        )

    slice_rows: list[SliceRow] = []
    case_by_slice: dict[str, list[Case]] = defaultdict(list)
    for c in cases.values():
        case_by_slice[c.slice_id].append(c)
    for s in prof.slices:
        members = case_by_slice.get(s.id, [])
        row = SliceRow(id=s.id, label=s.label, weight=s.weight, n_cases=len(members))
        for cand in cand_names:
            vals = [overall_case[cand][c.id] for c in members if c.id in overall_case[cand]]
            if vals:
                row.means[cand] = float(np.mean(vals))
        slice_rows.append(row)
    covered = sum(s.weight for s in slice_rows if s.n_cases > 0)
    return Tables(
        set_name=set_name,
        run_id=run_id,
        profile_id=prof.id,
        n_cases=len(cases),
        traffic_covered=covered,
        candidates=summaries,
        slices=slice_rows,
    )
