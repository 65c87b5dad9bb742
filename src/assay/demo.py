"""``assay demo``: the whole pipeline on the bundled example project, offline.

Steps: generate the example's synthetic logs if they are missing (its ``generate.py``),
ingest, profile, sample an eval set (once: eval sets are immutable), run every candidate
(results and responses are cached, so a repeat run only reads), and write the report.
"""

from __future__ import annotations

import runpy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assay._progress import ProgressFactory, no_progress
from assay.analyze import Report, report
from assay.errors import AssayError
from assay.ingest import IngestSummary, ingest
from assay.profile import profile
from assay.project import load_project
from assay.run import RunSummary, run
from assay.sample import sample
from assay.store._schema import eval_sets

DEMO_SET = "demo-v1"


@dataclass
class DemoResult:
    ingest: IngestSummary
    profile_id: str
    n_slices: int
    set_name: str
    run: RunSummary
    report: Report
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.demo/v1",
            "ingest": self.ingest.to_json(),
            "profile": {"id": self.profile_id, "slices": self.n_slices},
            "set": self.set_name,
            "run": self.run.to_json(),
            "report": self.report.to_json(),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


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
        say(f"[1/6] generating the synthetic example logs into {data}")
        gen = runpy.run_path(str(root / "generate.py"))
        kwargs = {"n_records": records} if records else {}
        gen["generate"](data, **kwargs)
    timings["generate"] = time.perf_counter() - t

    store = project.open_store()
    try:
        say("[2/6] ingesting production logs (PII scrubbed, bad rows quarantined)")
        t = time.perf_counter()
        ing = ingest(project, progress=progress, store=store)
        timings["ingest"] = time.perf_counter() - t

        say("[3/6] profiling traffic into slices")
        t = time.perf_counter()
        prof = profile(project, progress=progress, store=store)
        timings["profile"] = time.perf_counter() - t

        t = time.perf_counter()
        with store.read() as conn:
            exists = conn.execute(select(eval_sets.c.name).where(eval_sets.c.name == DEMO_SET)).first()
        if exists:
            say(f"[4/6] eval set {DEMO_SET} exists (eval sets are immutable): reusing it")
        else:
            say(f"[4/6] sampling eval set {DEMO_SET} (stratified by slice, sealed holdout)")
            sample(project, DEMO_SET, store=store)
        timings["sample"] = time.perf_counter() - t

        say("[5/6] running candidates (cached and resumable) and scoring")
        t = time.perf_counter()
        summary = run(project, DEMO_SET, progress=progress, store=store)
        timings["run"] = time.perf_counter() - t

        say("[6/6] writing the report")
        t = time.perf_counter()
        rep = report(project, DEMO_SET, run_id=summary.run_id, store=store)
        timings["report"] = time.perf_counter() - t
    finally:
        store.close()
    return DemoResult(
        ingest=ing,
        profile_id=prof.id,
        n_slices=len(prof.slices),
        set_name=DEMO_SET,
        run=summary,
        report=rep,
        seconds=timings,
    )
