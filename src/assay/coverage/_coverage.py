"""``assay.coverage``: how well any set represents production traffic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from assay._progress import ProgressFactory, no_progress
from assay.coverage._metrics import AucResult, classifier_auc, js_divergence, slice_coverage
from assay.coverage._sources import SetItems, parse_source
from assay.profile import UNMATCHED, load_profile, load_traffic_map
from assay.project import Project, as_project
from assay.records import Profile
from assay.store import Store
from assay.store._schema import record_slices, records

PRODUCTION_SAMPLE = 2000
MISS_TOLERANCE = 0.05


@dataclass
class SliceCoverage:
    id: str
    label: str
    weight: float
    n_items: int
    expected: float  # items a traffic-proportional set of the same size would have
    status: str  # "covered", "under", "uncovered"
    examples: list[str] = field(default_factory=list)


@dataclass
class CoverageReport:
    """Coverage of one set against one traffic profile. ``to_json`` is the CLI's document."""

    source: str
    profile_id: str
    n_items: int
    n_unmatched: int
    coverage_k1: float
    coverage_k5: float
    jsd: float
    auc: AucResult | None
    verdict: str
    slices: list[SliceCoverage]
    map2d: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[SliceCoverage]:
        """Uncovered then under-covered slices, largest first."""
        order = {"uncovered": 0, "under": 1}
        return sorted((s for s in self.slices if s.status != "covered"), key=lambda s: (order[s.status], -s.weight, s.id))

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.coverage/v1",
            "source": self.source,
            "profile_id": self.profile_id,
            "n_items": self.n_items,
            "n_unmatched": self.n_unmatched,
            "coverage": {"k1": round(self.coverage_k1, 6), "k5": round(self.coverage_k5, 6)},
            "jsd_bits": round(self.jsd, 6),
            "classifier_auc": None
            if self.auc is None
            else {"auc": round(self.auc.auc, 4), "low": round(self.auc.low, 4), "high": round(self.auc.high, 4),
                  "n_set": self.auc.n_set, "n_production": self.auc.n_production, "folds": self.auc.folds},
            "verdict": self.verdict,
            "missing": [s.__dict__ for s in self.missing],
            "slices": [{k: v for k, v in s.__dict__.items() if k != "examples"} for s in self.slices],
            "paths": self.paths,
        }


def _production_sample(store: Store, prof: Profile, exclude: set[str], n: int, seed: int) -> tuple[list[str], list[str]]:
    """Texts and slice ids of a seeded uniform sample of the profile's records."""
    with store.read() as conn:
        ids = [r for (r,) in conn.execute(
            select(record_slices.c.record_id).where(record_slices.c.profile_id == prof.id).order_by(record_slices.c.record_id)
        ) if r not in exclude]
    rng = np.random.default_rng(seed)
    pick = sorted(rng.choice(len(ids), size=min(n, len(ids)), replace=False).tolist())
    chosen = [ids[i] for i in pick]
    texts: dict[str, str] = {}
    with store.read() as conn:
        for start in range(0, len(chosen), 500):
            q = select(records.c.id, records.c.messages).where(records.c.id.in_(chosen[start : start + 500]))
            for rid, messages in conn.execute(q):
                texts[rid] = "\n".join(m["content"] for m in messages if m["role"] == "user")
    return [texts[r] for r in chosen], chosen


def _verdict(cov1: float, items: SetItems, missing: list[SliceCoverage], auc: AucResult | None, unmatched: int) -> str:
    miss = 1 - cov1
    if miss <= MISS_TOLERANCE:
        text = f"represents {cov1:.0%} of traffic"
    else:
        names = [s.label for s in missing if s.status == "uncovered"][:4]
        text = f"misses {miss:.0%} of traffic: " + "; ".join(names) + (" ..." if len(missing) > 4 else "")
    extras = []
    if unmatched:
        extras.append(f"{unmatched / max(1, len(items.texts)):.0%} of its items look like no production traffic")
    if auc is not None and auc.low > 0.8:
        extras.append(f"easily told apart from production (AUC {auc.auc:.2f})")
    return text + ("; " + "; ".join(extras) if extras else "")


def coverage(
    project: Project | str | Path,
    source: str,
    *,
    profile_id: str | None = None,
    out_dir: Path | None = None,
    write: bool = True,
    production_sample: int = PRODUCTION_SAMPLE,
    seed: int = 0,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> CoverageReport:
    """How well ``source`` (``eval:NAME`` or ``file:PATH``) represents the current traffic map.

    Items of a file are embedded with the profile's fitted embedder and assigned to the
    nearest slice centroid; items farther from it than production's own records are
    *unmatched*. With ``write`` the Markdown and HTML reports go to ``out_dir``
    (default ``.assay/reports/coverage-<source>``).
    """
    project = as_project(project)
    own_store = store is None
    store = store or project.open_store()
    try:
        prof = load_profile(store, profile_id)
        items = parse_source(source, project.root, store)
        tmap = load_traffic_map(project, prof.id)
        with progress("embed and place the set", None) as task:
            assigned, _, x_set = tmap.assign(items.texts, items.metas)
            task.advance(1)
        if items.slice_ids is not None and items.profile_id == prof.id:
            assigned = list(items.slice_ids)  # drawn from this very profile: slices are known
        counts = Counter(assigned)
        n_unmatched = counts.pop(UNMATCHED, 0)
        weights = {s.id: s.weight for s in prof.slices}
        n = len(items.texts)
        cov1 = slice_coverage(weights, counts, 1)
        cov5 = slice_coverage(weights, counts, 5)
        ids = [s.id for s in prof.slices]
        p = np.array([weights[s] for s in ids] + [0.0])
        q = np.array([counts.get(s, 0) for s in ids] + [n_unmatched], dtype=float)
        jsd = js_divergence(p, q) if q.sum() > 0 else 1.0
        with progress("classifier two-sample test", None) as task:
            prod_texts, _ = _production_sample(store, prof, set(items.record_ids), production_sample, seed)
            x_prod = tmap.embedder.transform(prod_texts)
            auc = classifier_auc(x_set, x_prod, seed=seed)
            task.advance(1)
        rows: list[SliceCoverage] = []
        for s in prof.slices:
            got = counts.get(s.id, 0)
            expected = s.weight * n
            status = "uncovered" if got == 0 else "under" if got < 0.5 * expected else "covered"
            rows.append(SliceCoverage(s.id, s.label, s.weight, got, expected, status, s.examples))
        missing = sorted((r for r in rows if r.status == "uncovered"), key=lambda r: -r.weight)
        rep = CoverageReport(
            source=source,
            profile_id=prof.id,
            n_items=n,
            n_unmatched=n_unmatched,
            coverage_k1=cov1,
            coverage_k5=cov5,
            jsd=jsd,
            auc=auc,
            verdict=_verdict(cov1, items, missing, auc, n_unmatched),
            slices=rows,
        )
        rep.map2d = _map2d(x_prod, x_set)
        if write:
            from assay.coverage._report import write_reports

            safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in source)
            rep.paths = write_reports(rep, out_dir or project.state_dir / "reports" / f"coverage-{safe}")
        return rep
    finally:
        if own_store:
            store.close()


def _map2d(x_prod: np.ndarray, x_set: np.ndarray) -> dict[str, Any]:
    """A 2-D projection (the first two principal axes of production) of both point clouds."""
    if len(x_prod) < 3:
        return {}
    mean = x_prod.mean(axis=0)
    _, _, vt = np.linalg.svd(x_prod - mean, full_matrices=False)
    axes = vt[:2].T
    return {"production": ((x_prod - mean) @ axes).tolist(), "set": ((x_set - mean) @ axes).tolist()}
