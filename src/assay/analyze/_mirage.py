"""``assay.mirage``: public benchmark ranking beside the ranking on your own traffic, and
the demo illusion (a hand-picked set's ranking beside the representative set's).

The headline is composed from the numbers each time it is computed; nothing in it is
fixed text about a particular model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assay.analyze._claims import list_claims, pick_claims
from assay.analyze._data import ALPHA, ScoreMatrix, load_matrix
from assay.project import Project, as_project
from assay.records import BenchmarkClaim
from assay.run import latest_run
from assay.stats import benjamini_hochberg, paired_difference, rank_agreement
from assay.store import Store



def _ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _ranks(values: dict[str, float]) -> dict[str, int]:
    order = sorted(values, key=lambda c: -values[c])
    return {c: i + 1 for i, c in enumerate(order)}


@dataclass
class Flip:
    better_on_benchmark: str
    better_on_task: str
    benchmark_gap: float
    task_diff: float
    low: float
    high: float
    p_value: float
    p_adjusted: float = math.nan

    @property
    def significant(self) -> bool:
        return self.p_adjusted < ALPHA

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "significant": self.significant}


@dataclass
class DemoIllusion:
    demo_set: str
    demo_run: str
    n_demo_cases: int
    demo_traffic_covered: float
    demo_scores: dict[str, float]
    task_scores: dict[str, float]
    tau: float
    tau_low: float
    tau_high: float
    headline: str

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "demo_ranks": _ranks(self.demo_scores), "task_ranks": _ranks(self.task_scores)}


@dataclass
class Mirage:
    set_name: str
    run_id: str
    n_cases: int
    traffic_covered: float
    benchmark: str | None
    claims: dict[str, BenchmarkClaim]
    task_scores: dict[str, float]  # traffic-weighted
    eval_set_scores: dict[str, float]
    tau: float = math.nan
    tau_low: float = math.nan
    tau_high: float = math.nan
    flips: list[Flip] = field(default_factory=list)
    leader_losing_slices: list[dict[str, Any]] = field(default_factory=list)
    headline: str = ""
    demo: DemoIllusion | None = None
    #: coverage of production by the benchmark's own prompts, when they were given
    benchmark_prompts: dict[str, Any] | None = None

    def benchmark_ranks(self) -> dict[str, int]:
        return _ranks({c: k.score for c, k in self.claims.items()})

    def task_ranks(self) -> dict[str, int]:
        return _ranks(self.task_scores)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.mirage/v1",
            "set": self.set_name,
            "run_id": self.run_id,
            "n_cases": self.n_cases,
            "traffic_covered": self.traffic_covered,
            "benchmark": self.benchmark,
            "headline": self.headline,
            "candidates": [
                {"name": c, "task_traffic_weighted": self.task_scores[c], "task_eval_set": self.eval_set_scores[c],
                 "task_rank": self.task_ranks()[c],
                 "benchmark_score": self.claims[c].score if c in self.claims else None,
                 "benchmark_rank": self.benchmark_ranks().get(c),
                 "claim_source": self.claims[c].source if c in self.claims else None,
                 "claim_independent": self.claims[c].independent if c in self.claims else None}
                for c in sorted(self.task_scores, key=lambda c: -self.task_scores[c])
            ],
            "kendall_tau": {"tau": self.tau, "low": self.tau_low, "high": self.tau_high, "confidence": 0.95},
            "flips": [f.to_json() for f in self.flips],
            "leader_losing_slices": self.leader_losing_slices,
            "demo": self.demo.to_json() if self.demo else None,
            "benchmark_prompts": self.benchmark_prompts,
        }


def mirage_matrix(m: ScoreMatrix, claims: list[BenchmarkClaim], *, benchmark: str | None = None,
                  demo: ScoreMatrix | None = None, n_resamples: int = 2000) -> Mirage:
    """The mirage report on loaded score matrices (pure: no store access)."""
    clusters = np.array(m.clusters)
    task = {c: float(np.average(m.row(c), weights=m.weights)) for c in m.candidates}
    evals = {c: float(np.mean(m.row(c))) for c in m.candidates}
    bench, chosen = pick_claims(claims, benchmark, m.candidates)
    out = Mirage(m.set_name, m.run_id, m.n, m.traffic_covered(), bench, chosen, task, evals)
    if demo is not None:
        out.demo = _demo_illusion(m, demo, task)
    have = [c for c in m.candidates if c in chosen]
    if len(have) < 2:
        out.headline = (
            f"Not enough benchmark claims to compare rankings ({len(have)} candidate(s) have a {bench or 'benchmark'} claim); "
            "record them with `assay claims add`."
        )
        if out.demo:
            out.headline += " " + out.demo.headline
        return out
    bscores = np.array([chosen[c].score for c in have])
    S = np.stack([m.row(c) for c in have])
    ra = rank_agreement(bscores, S, weights=m.weights, clusters=clusters, n_resamples=n_resamples)
    out.tau, out.tau_low, out.tau_high = ra.tau, ra.low, ra.high
    for i, ci in enumerate(have):
        for cj in have[i + 1 :]:
            hi_b, lo_b = (ci, cj) if chosen[ci].score >= chosen[cj].score else (cj, ci)
            if chosen[hi_b].score == chosen[lo_b].score or task[lo_b] <= task[hi_b]:
                continue
            d = paired_difference(m.row(hi_b), m.row(lo_b), binary=m.binary, clusters=clusters, weights=m.weights)
            out.flips.append(Flip(hi_b, lo_b, chosen[hi_b].score - chosen[lo_b].score, d.diff, d.low, d.high, d.p_value))
    adj = benjamini_hochberg([f.p_value for f in out.flips])
    for f, p in zip(out.flips, adj):
        f.p_adjusted = float(p)
    out.flips.sort(key=lambda f: -f.task_diff)
    leader = max(have, key=lambda c: chosen[c].score)
    out.leader_losing_slices = _leader_slices(m, leader)
    out.headline = _headline(m, out, leader, clusters)
    if out.demo:
        out.headline += " " + out.demo.headline
    return out


def _leader_slices(m: ScoreMatrix, leader: str) -> list[dict[str, Any]]:
    labels = m.slice_labels()
    sl = np.array(m.slice_ids)
    clusters = np.array(m.clusters)
    rows = []
    lead = m.row(leader)
    for sid in dict.fromkeys(m.slice_ids):
        mask = sl == sid
        best = max(m.candidates, key=lambda c: m.row(c)[mask].mean())
        if best == leader or m.row(best)[mask].mean() <= lead[mask].mean():
            continue
        d = paired_difference(lead[mask], m.row(best)[mask], binary=m.binary, clusters=clusters[mask])
        label, weight = labels.get(sid, (sid, float(m.weights[mask].sum())))
        rows.append({"slice": sid, "label": label, "traffic_share": weight, "n": int(mask.sum()), "leader": leader,
                     "winner": best, "diff": d.diff, "low": d.low, "high": d.high, "p_value": d.p_value})
    adj = benjamini_hochberg([r["p_value"] for r in rows])
    for r, p in zip(rows, adj):
        r["p_adjusted"] = float(p)
        r["significant"] = bool(p < ALPHA)
    return sorted(rows, key=lambda r: (not r["significant"], -r["traffic_share"]))


def _headline(m: ScoreMatrix, out: Mirage, leader: str, clusters: np.ndarray) -> str:
    task_rank = out.task_ranks()
    top = min(task_rank, key=task_rank.get)  # type: ignore[arg-type]
    bench = out.benchmark
    share = f"{out.traffic_covered:.0%} of production traffic, n={m.n}"
    if top == leader:
        second = sorted(out.task_scores, key=lambda c: -out.task_scores[c])[1]
        d = paired_difference(m.row(second), m.row(leader), binary=m.binary, clusters=clusters, weights=m.weights)
        sig = "significant" if d.p_value < ALPHA else "not significant"
        return (f"The top {bench} model, {leader}, is also 1st on your traffic ({share}); its lead over {second} is "
                f"{100 * d.diff:.1f} pts (95% CI {100 * d.low:.1f} to {100 * d.high:.1f}), {sig}.")
    d = paired_difference(m.row(leader), m.row(top), binary=m.binary, clusters=clusters, weights=m.weights)
    sig = "significant" if d.p_value < ALPHA else "not significant"
    return (f"The top {bench} model, {leader}, ranks {_ordinal(task_rank[leader])} of {len(task_rank)} on your traffic "
            f"({share}); the difference to the 1st, {top}, is {100 * d.diff:.1f} pts "
            f"(95% CI {100 * d.low:.1f} to {100 * d.high:.1f}) and {sig}.")


def _demo_illusion(m: ScoreMatrix, demo: ScoreMatrix, task: dict[str, float]) -> DemoIllusion:
    common = [c for c in m.candidates if c in demo.candidates]
    dscores = {c: float(np.mean(demo.row(c))) for c in common}
    tscores = {c: task[c] for c in common}
    if len(common) >= 2 and demo.n >= 2:
        # demo ranking vs. task ranking; the interval resamples the representative set's cases
        ra = rank_agreement(np.array([dscores[c] for c in common]), np.stack([m.row(c) for c in common]),
                            weights=m.weights, clusters=np.array(m.clusters), n_resamples=1000)
        tau, lo, hi = ra.tau, ra.low, ra.high
    else:
        tau = lo = hi = math.nan
    dr, tr = _ranks(dscores), _ranks(tscores)
    demo_top = min(dr, key=dr.get) if dr else None  # type: ignore[arg-type]
    cov = demo.traffic_covered()
    if demo_top is None:
        head = f"The demo set {demo.set_name} has no candidates in common with the eval set."
    elif tr[demo_top] == 1:
        head = (f"On the hand-picked set {demo.set_name} (n={demo.n}, slices carrying {cov:.0%} of traffic) "
                f"{demo_top} ranks 1st of the {len(tr)} candidates run on both sets, and it is also 1st of them "
                f"on the representative set.")
    else:
        head = (f"On the hand-picked set {demo.set_name} (n={demo.n}, slices carrying {cov:.0%} of traffic) "
                f"{demo_top} ranks 1st of the {len(tr)} candidates run on both sets with {dscores[demo_top]:.0%}, but "
                f"{_ordinal(tr[demo_top])} of {len(tr)} on the representative set ({tscores[demo_top]:.0%}).")
    return DemoIllusion(demo.set_name, demo.run_id, demo.n, cov, dscores, tscores, tau, lo, hi, head)


def mirage(
    project: Project | str | Path,
    set_name: str,
    *,
    benchmark: str | None = None,
    run_id: str | None = None,
    demo_set: str | None = None,
    benchmark_prompts: str | Path | None = None,
    store: Store | None = None,
) -> Mirage:
    """Benchmark claims vs. task evidence for the newest run on ``set_name``.

    ``demo_set`` names a second eval set (e.g. a hand-picked demo set) with a run of its
    own; its ranking is set beside the representative one. ``benchmark_prompts`` is a
    file of the benchmark's own prompts: its coverage of production traffic is added.
    """
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        run_id = run_id or latest_run(store, set_name)
        m = load_matrix(store, set_name, run_id)
        demo = load_matrix(store, demo_set, latest_run(store, demo_set)) if demo_set else None
        claims = list_claims(store=store)
        bench_cov = None
        if benchmark_prompts is not None:
            from assay.coverage import coverage

            bench_cov = coverage(project, f"file:{benchmark_prompts}", write=False, store=store)
    finally:
        if own:
            store.close()
    out = mirage_matrix(m, claims, benchmark=benchmark, demo=demo)
    if bench_cov is not None:
        out.benchmark_prompts = {
            "source": str(benchmark_prompts),
            "n_items": bench_cov.n_items,
            "coverage_k1": bench_cov.coverage_k1,
            "auc": bench_cov.auc.auc if bench_cov.auc else None,
            "verdict": bench_cov.verdict,
        }
        out.headline += (
            f" The benchmark's own prompts ({bench_cov.n_items} items) fall in slices carrying "
            f"{bench_cov.coverage_k1:.0%} of your traffic."
        )
    return out
