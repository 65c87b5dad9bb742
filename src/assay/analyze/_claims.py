"""Public benchmark claims per candidate (vendor-reported or independent)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from assay.errors import InputError
from assay.project import Project, as_project
from assay.records import BenchmarkClaim
from assay.store import Store
from assay.store._schema import benchmark_claims


def add_claim(project: Project | str | Path, claim: BenchmarkClaim, *, store: Store | None = None) -> BenchmarkClaim:
    """Record a benchmark claim (e.g. MMLU 88.7 from a vendor model card)."""
    project = as_project(project)
    names = [c.name for c in project.config.candidates]
    if claim.candidate not in names:
        raise InputError(
            f"no candidate named {claim.candidate!r} in {project.root / 'assay.yaml'}",
            hint=f"candidates: {', '.join(names)}; claims attach to a candidate by its name",
        )
    own = store is None
    store = store or project.open_store()
    try:
        with store.write() as conn:
            conn.execute(insert(benchmark_claims).values(**claim.model_dump(exclude={"version"})))
    finally:
        if own:
            store.close()
    return claim


def list_claims(project: Project | str | Path | None = None, *, store: Store | None = None) -> list[BenchmarkClaim]:
    """Every recorded claim, by benchmark then candidate."""
    own = store is None
    if store is None:
        store = as_project(project).open_store()  # type: ignore[arg-type]
    try:
        with store.read() as conn:
            rows = conn.execute(
                select(benchmark_claims).order_by(benchmark_claims.c.benchmark, benchmark_claims.c.candidate, benchmark_claims.c.id)
            ).mappings().all()
    finally:
        if own:
            store.close()
    return [BenchmarkClaim(**{k: r[k] for k in ("candidate", "benchmark", "score", "source", "date", "independent")}) for r in rows]


def pick_claims(claims: list[BenchmarkClaim], benchmark: str | None, candidates: list[str]) -> tuple[str | None, dict[str, BenchmarkClaim]]:
    """The benchmark that covers the most candidates (or the one asked for) and one claim
    per candidate: independent measurements before vendor-reported ones, newest first."""
    by: dict[str, dict[str, list[BenchmarkClaim]]] = {}
    for c in claims:
        if c.candidate in candidates:
            by.setdefault(c.benchmark, {}).setdefault(c.candidate, []).append(c)
    if not by:
        return benchmark, {}
    if benchmark is None:
        benchmark = max(sorted(by), key=lambda b: len(by[b]))
    chosen = {}
    for cand, cs in by.get(benchmark, {}).items():
        chosen[cand] = sorted(cs, key=lambda c: (not c.independent, "" if c.date is None else _neg(c.date)))[0]
    return benchmark, chosen


def _neg(date: str) -> str:
    # newest first under an ascending sort
    return "".join(chr(0x10FFFF - ord(ch)) for ch in date)
