"""A run's scores as a matrix: candidates x cases, one overall score per case.

The same conventions as the report's tables: epochs averaged per case, a case's overall
score is the mean of the scorers that apply to it, and a case a candidate failed to
answer (an error) counts 0 when other candidates were scored on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from assay.errors import NotFoundError
from assay.profile import load_profile
from assay.records import Case, Profile
from assay.sample import load_cases, load_set
from assay.store import Store
from assay.store._schema import runs, scores

#: significance level of every test the reports call "significant"
ALPHA = 0.05


def case_cluster(case: Case) -> str:
    """The unit a case is not independent within (Miller 2024): its conversation, else
    its source record, else the case itself."""
    return str(case.metadata.get("conversation_id") or (case.record_ids[0] if case.record_ids else case.id))


@dataclass
class ScoreMatrix:
    """Per-case overall scores of every candidate in one run on one eval set."""

    set_name: str
    run_id: str
    profile: Profile
    candidates: list[str]
    case_ids: list[str]
    scores: np.ndarray  # (K, n), NaN where a candidate has no score for a case
    binary: bool
    weights: np.ndarray  # each case's share of production traffic
    slice_ids: list[str]
    clusters: list[str]  # conversation id, else the first source record

    @property
    def n(self) -> int:
        return len(self.case_ids)

    def row(self, candidate: str) -> np.ndarray:
        if candidate not in self.candidates:
            raise NotFoundError(
                f"candidate {candidate!r} is not in run {self.run_id}",
                hint=f"candidates in this run: {', '.join(self.candidates)}",
            )
        return self.scores[self.candidates.index(candidate)]

    def slice_labels(self) -> dict[str, tuple[str, float]]:
        return {s.id: (s.label, s.weight) for s in self.profile.slices}

    def traffic_covered(self) -> float:
        have = set(self.slice_ids)
        return float(sum(s.weight for s in self.profile.slices if s.id in have))


def load_matrix(store: Store, set_name: str, run_id: str) -> ScoreMatrix:
    """Load the per-case overall scores of ``run_id`` (dev cases of ``set_name``)."""
    evs = load_set(store, set_name)
    cases = {c.id: c for c in load_cases(store, set_name)}
    prof = load_profile(store, evs.profile_id)
    with store.read() as conn:
        run_row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        if run_row is None:
            raise NotFoundError(f"no run {run_id!r}", hint=f"list runs with: assay run --set {set_name}")
        srows = conn.execute(select(scores).where(scores.c.run_id == run_id)).mappings().all()
    cands: list[str] = list(run_row["candidates"])
    by: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    kinds: dict[str, str] = {}
    for r in srows:
        if r["value"] is None or r["case_id"] not in cases:
            continue
        by[r["candidate"]][r["scorer"]][r["case_id"]].append(r["value"])
        kinds[r["scorer"]] = r["kind"]
    scored = sorted({cid for c in by.values() for sc in c.values() for cid in sc})
    pos = {cid: i for i, cid in enumerate(scored)}
    S = np.full((len(cands), len(scored)), np.nan)
    for k, cand in enumerate(cands):
        per_case: dict[str, list[float]] = defaultdict(list)
        for sc, vals in by[cand].items():
            for cid, v in vals.items():
                per_case[cid].append(float(np.mean(v)))
        S[k, :] = 0.0  # errors count as wrong answers
        for cid, v in per_case.items():
            S[k, pos[cid]] = float(np.mean(v))
    binary = bool(kinds) and all(k == "binary" for k in kinds.values())
    cs = [cases[c] for c in scored]
    return ScoreMatrix(
        set_name=set_name,
        run_id=run_id,
        profile=prof,
        candidates=cands,
        case_ids=scored,
        scores=S,
        binary=binary,
        weights=np.array([c.weight for c in cs], dtype=float),
        slice_ids=[c.slice_id for c in cs],
        clusters=[case_cluster(c) for c in cs],
    )
