"""``assay.compare``: every candidate against the incumbent, paired, overall and per slice.

For each candidate: the eval-set mean difference and the traffic-weighted difference
(cases re-weighted to their slice's share of production), each with a clustered SE,
an interval and a test; the paired bootstrap; the per-case correlation; and per-slice
differences. Benjamini-Hochberg adjusts all p-values of one comparison together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assay.analyze._data import ALPHA, ScoreMatrix, load_matrix
from assay.errors import ConfigError, NotFoundError
from assay.project import Project, as_project
from assay.run import latest_run
from assay.stats import (
    BootstrapResult,
    PairedDiff,
    benjamini_hochberg,
    mde_graded,
    mde_paired,
    paired_bootstrap,
    paired_difference,
)
from assay.store import Store



@dataclass
class SliceDiff:
    slice_id: str
    label: str
    weight: float
    candidate: str
    diff: PairedDiff
    p_adjusted: float = math.nan

    @property
    def significantly_worse(self) -> bool:
        return self.diff.diff < 0 and self.p_adjusted < ALPHA

    def to_json(self) -> dict[str, Any]:
        return {"slice": self.slice_id, "label": self.label, "traffic_share": self.weight, "candidate": self.candidate,
                **self.diff.to_json(), "p_adjusted": self.p_adjusted, "significantly_worse": self.significantly_worse}


@dataclass
class PairRow:
    candidate: str
    reference: str
    eval_set: PairedDiff
    traffic: PairedDiff
    bootstrap: BootstrapResult
    p_adjusted: float = math.nan
    slices: list[SliceDiff] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if not self.p_adjusted < ALPHA:
            return "no significant difference"
        return "better" if self.eval_set.diff > 0 else "worse"

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "reference": self.reference,
            "eval_set": self.eval_set.to_json(),
            "traffic_weighted": self.traffic.to_json(),
            "bootstrap": vars(self.bootstrap),
            "p_adjusted": self.p_adjusted,
            "verdict": self.verdict,
            "slices": [s.to_json() for s in self.slices],
        }


@dataclass
class Comparison:
    """Paired comparisons of one run, plus what the set size can detect."""

    set_name: str
    run_id: str
    reference: str
    n_cases: int
    traffic_covered: float
    binary: bool
    rows: list[PairRow]
    mde: float
    mde_baseline: float
    mde_rho: float

    def detect_sentence(self) -> str:
        if math.isnan(self.mde):
            return f"with {self.n_cases} cases the detectable difference cannot be estimated"
        return (f"with {self.n_cases} cases you can detect differences ≥ {100 * self.mde:.1f} pts "
                f"(80% power, α = 0.05, paired, correlation {self.mde_rho:.2f})")

    def worse_slices(self) -> list[SliceDiff]:
        """Every (candidate, slice) significantly worse than the reference, worst first."""
        out = [s for r in self.rows for s in r.slices if s.significantly_worse]
        return sorted(out, key=lambda s: s.diff.diff)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.compare/v1",
            "set": self.set_name,
            "run_id": self.run_id,
            "reference": self.reference,
            "n_cases": self.n_cases,
            "traffic_covered": self.traffic_covered,
            "alpha": ALPHA,
            "multiple_testing": "benjamini-hochberg over every candidate and slice test",
            "mde": {"value": self.mde, "baseline": self.mde_baseline, "rho": self.mde_rho, "power": 0.8,
                    "sentence": self.detect_sentence()},
            "comparisons": [r.to_json() for r in self.rows],
            "worse_slices": [s.to_json() for s in self.worse_slices()],
        }


def compare_matrix(m: ScoreMatrix, reference: str, *, all_pairs: bool = False, n_resamples: int = 10_000) -> Comparison:
    """The comparison on an already-loaded score matrix (pure: no store access)."""
    ref = m.row(reference)
    pairs = [(c, reference) for c in m.candidates if c != reference]
    if all_pairs:
        others = [c for c in m.candidates if c != reference]
        pairs += [(b, a) for i, a in enumerate(others) for b in others[i + 1 :]]
    labels = m.slice_labels()
    slice_arr = np.array(m.slice_ids)
    clusters = np.array(m.clusters)
    rows: list[PairRow] = []
    for cand, base in pairs:
        a, b = m.row(base), m.row(cand)
        row = PairRow(
            candidate=cand,
            reference=base,
            eval_set=paired_difference(a, b, binary=m.binary, clusters=clusters),
            traffic=paired_difference(a, b, binary=m.binary, clusters=clusters, weights=m.weights),
            bootstrap=paired_bootstrap(a, b, clusters=clusters, n_resamples=n_resamples),
        )
        for sid in dict.fromkeys(m.slice_ids):
            mask = slice_arr == sid
            label, weight = labels.get(sid, (sid, float(m.weights[mask].sum())))
            row.slices.append(SliceDiff(sid, label, weight, cand,
                                        paired_difference(a[mask], b[mask], binary=m.binary, clusters=clusters[mask])))
        rows.append(row)
    # One family: every overall and every slice test of this comparison.
    ps = [r.eval_set.p_value for r in rows] + [s.diff.p_value for r in rows for s in r.slices]
    adj = benjamini_hochberg(np.array(ps, dtype=float))
    k = 0
    for r in rows:
        r.p_adjusted = float(adj[k])
        k += 1
    for r in rows:
        for s in r.slices:
            s.p_adjusted = float(adj[k])
            k += 1
        r.slices.sort(key=lambda s: (not s.significantly_worse, s.diff.diff if s.significantly_worse else -s.weight))
    baseline = float(np.mean(ref)) if m.n else math.nan
    rhos = [r.eval_set.correlation for r in rows if r.reference == reference and not math.isnan(r.eval_set.correlation)]
    rho = float(np.median(rhos)) if rhos else 0.0
    mde = _mde(m, ref, baseline, rho, rows)
    return Comparison(m.set_name, m.run_id, reference, m.n, m.traffic_covered(), m.binary, rows, mde, baseline, rho)


def _mde(m: ScoreMatrix, ref: np.ndarray, baseline: float, rho: float, rows: list[PairRow]) -> float:
    if m.n < 3:
        return math.nan
    if m.binary:
        # A change away from the nearer bound: p -> p + d and 1 - p -> 1 - p - d have the
        # same power, so a 98% incumbent is planned as "detect a drop".
        return mde_paired(m.n, max(min(baseline, 1 - baseline), 0.01), max(min(rho, 0.99), -0.99))
    # graded scores: the sd of per-case differences observed against the reference
    sds = [r.eval_set.se * math.sqrt(m.n) for r in rows]
    sds = [s for s in sds if s > 0 and not math.isnan(s)]
    return mde_graded(m.n, float(np.median(sds))) if sds else math.nan


def compare(
    project: Project | str | Path,
    set_name: str,
    *,
    run_id: str | None = None,
    reference: str | None = None,
    all_pairs: bool = False,
    store: Store | None = None,
) -> Comparison:
    """Compare every candidate of a run (the newest on the set) with the incumbent."""
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        run_id = run_id or latest_run(store, set_name)
        m = load_matrix(store, set_name, run_id)
    finally:
        if own:
            store.close()
    if reference is None:
        inc = project.incumbent
        if inc is None:
            raise ConfigError("no candidate is marked as the incumbent", file=str(project.root / "assay.yaml"),
                              field="candidates", hint="add `incumbent: true` to the candidate production runs today, or pass --against NAME")
        reference = inc.name
    if reference not in m.candidates:
        raise NotFoundError(f"{reference!r} has no results in run {run_id}",
                            hint=f"run it: assay run --set {set_name} (candidates in this run: {', '.join(m.candidates)})")
    return compare_matrix(m, reference, all_pairs=all_pairs)
