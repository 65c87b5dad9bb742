"""``assay demo``: the whole pipeline on the bundled example project, offline.

Steps: generate the example's synthetic logs if they are missing (its ``generate.py``),
ingest, profile, sample an eval set (once: eval sets are immutable), run every candidate
(results and responses are cached, so a repeat run only reads), write the report, then
answer the demo illusion: import the example's hand-picked demo prompts as an eval set,
run the candidates on it, set its ranking beside the representative one, and measure how
much of production the demo set and the public-benchmark-style set cover.
"""

from __future__ import annotations

import runpy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from assay._progress import ProgressFactory, no_progress
from assay.analyze import Report, mirage, report
from assay.analyze._claims import add_claim, list_claims
from assay.analyze._mirage import Mirage
from assay.coverage import CoverageReport, coverage
from assay.errors import AssayError
from assay.ingest import IngestSummary, ingest
from assay.profile import profile
from assay.project import load_project
from assay.records import BenchmarkClaim
from assay.run import RunSummary, run
from assay.sample import import_set, sample
from assay.store._schema import eval_sets

DEMO_SET = "demo-v1"
CHERRY_SET = "demo-cherry-picked"
CHERRY_FILE = "data/sets/demo_prompts.jsonl"
BENCHMARK_FILE = "data/sets/public_benchmark_sample.jsonl"
CLAIMS_FILE = "claims.yaml"


@dataclass
class DemoResult:
    ingest: IngestSummary
    profile_id: str
    n_slices: int
    set_name: str
    run: RunSummary
    report: Report
    mirage: Mirage | None = None
    coverage: dict[str, CoverageReport] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.demo/v1",
            "ingest": self.ingest.to_json(),
            "profile": {"id": self.profile_id, "slices": self.n_slices},
            "set": self.set_name,
            "run": self.run.to_json(),
            "report": self.report.to_json(),
            "mirage": self.mirage.to_json() if self.mirage else None,
            "coverage": {k: v.to_json() for k, v in self.coverage.items()},
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def _record_claims(project: Any, store: Any) -> None:
    """Record the example's benchmark claims (claims.yaml) once."""
    path = project.root / CLAIMS_FILE
    if not path.exists():
        return
    have = {(c.candidate, c.benchmark, c.score, c.source) for c in list_claims(store=store)}
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        claim = BenchmarkClaim.model_validate(raw)
        if (claim.candidate, claim.benchmark, claim.score, claim.source) not in have:
            add_claim(project, claim, store=store)


def run_demo(
    directory: str | Path = "examples/support-desk",
    *,
    records: int | None = None,
    progress: ProgressFactory = no_progress,
    say: Callable[[str], None] = lambda _msg: None,
) -> DemoResult:
    root = Path(directory).resolve()
    if not (root / "assay.yaml").exists():
        raise AssayError(
            f"no example project at {root}",
            hint="run from the repository root (make demo), or pass the folder: assay demo PATH",
        )
    project = load_project(root)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    data = root / "data"
    if not (data / "logs").exists():
        say(f"[1/8] generating the synthetic example logs into {data}")
        gen = runpy.run_path(str(root / "generate.py"))
        kwargs = {"n_records": records} if records else {}
        gen["generate"](data, **kwargs)
    timings["generate"] = time.perf_counter() - t

    store = project.open_store()
    try:
        say("[2/8] ingesting production logs (PII scrubbed, bad rows quarantined)")
        t = time.perf_counter()
        ing = ingest(project, progress=progress, store=store)
        timings["ingest"] = time.perf_counter() - t
        if ing.unchanged:
            say(f"      {len(ing.unchanged)} log file(s) ingested before with the same content: not read again")

        say("[3/8] profiling traffic into slices")
        t = time.perf_counter()
        prof = profile(project, progress=progress, store=store)
        timings["profile"] = time.perf_counter() - t

        t = time.perf_counter()
        with store.read() as conn:
            exists = conn.execute(select(eval_sets.c.name).where(eval_sets.c.name == DEMO_SET)).first()
        if exists:
            say(f"[4/8] eval set {DEMO_SET} exists (eval sets are immutable): reusing it")
        else:
            say(f"[4/8] sampling eval set {DEMO_SET} (stratified by slice, sealed holdout)")
            sample(project, DEMO_SET, store=store)
        timings["sample"] = time.perf_counter() - t

        say("[5/8] running candidates (cached and resumable) and scoring")
        t = time.perf_counter()
        summary = run(project, DEMO_SET, progress=progress, store=store)
        timings["run"] = time.perf_counter() - t

        say("[6/8] writing the report (with the example's benchmark claims beside the task evidence)")
        _record_claims(project, store)
        t = time.perf_counter()
        rep = report(project, DEMO_SET, run_id=summary.run_id, store=store)
        timings["report"] = time.perf_counter() - t

        say("[7/8] the demo illusion: running the candidates on the hand-picked demo prompts")
        t = time.perf_counter()
        with store.read() as conn:
            have_cherry = conn.execute(select(eval_sets.c.name).where(eval_sets.c.name == CHERRY_SET)).first()
        if not have_cherry:
            import_set(project, CHERRY_SET, CHERRY_FILE, metadata={"feature": "triage"}, store=store)
        # The recorded incumbent has no answers for prompts that never reached production.
        live = [c.name for c in project.config.candidates if c.provider != "recorded"]
        run(project, CHERRY_SET, candidates=live, progress=progress, store=store)
        mir = mirage(
            project, DEMO_SET, run_id=summary.run_id, demo_set=CHERRY_SET, benchmark_prompts=BENCHMARK_FILE, store=store
        )
        timings["demo_illusion"] = time.perf_counter() - t

        say("[8/8] coverage of production by the demo prompts and the benchmark-style prompts")
        t = time.perf_counter()
        covs = {
            name: coverage(project, f"file:{path}", store=store)
            for name, path in (("demo_prompts", CHERRY_FILE), ("public_benchmark_sample", BENCHMARK_FILE))
        }
        timings["coverage"] = time.perf_counter() - t
    finally:
        store.close()
    return DemoResult(
        ingest=ing,
        profile_id=prof.id,
        n_slices=len(prof.slices),
        set_name=DEMO_SET,
        run=summary,
        report=rep,
        mirage=mir,
        coverage=covs,
        seconds=timings,
    )
