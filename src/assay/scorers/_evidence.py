"""Whether a run's evidence leans on judges that humans have not calibrated.

An LLM judge whose agreement with human verdicts is unknown or poor may rank candidates
for reasons nobody checked. Reports (``assay results``, ``assay report``) list every
judge used in a run with its calibration and flag the uncalibrated ones; a gate calls
:func:`judge_evidence_ok` to refuse a decision whose only evidence is such a judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assay.errors import NotFoundError
from assay.project import Project, as_project
from assay.scorers._calibration import MIN_KAPPA, MIN_VERDICTS, Calibration, judge_calibration
from assay.store import Store
from assay.store._schema import runs, scores


@dataclass
class JudgeEvidence:
    """The judges used in a run, their calibration, and what evidence remains without the uncalibrated ones."""

    run_id: str
    evidence: list[str]  #: the scorers the decision would rest on
    judges: list[Calibration]  #: every judge among the run's scorers, calibrated or not
    other: list[str] = field(default_factory=list)  #: evidence scorers that are not judges
    unknown: list[str] = field(default_factory=list)  #: asked-for scorers with no scores in the run

    @property
    def uncalibrated(self) -> list[Calibration]:
        return [j for j in self.judges if not j.calibrated]

    @property
    def usable(self) -> list[str]:
        """Evidence scorers that may stand as evidence: checks and calibrated judges."""
        calibrated = {j.scorer for j in self.judges if j.calibrated}
        return [s for s in self.evidence if s in calibrated or s in self.other]

    @property
    def ok(self) -> bool:
        """False when the evidence contains an uncalibrated judge and nothing else usable."""
        leans_on_judge = any(j.scorer in self.evidence for j in self.uncalibrated)
        return not leans_on_judge or bool(self.usable)

    def warnings(self) -> list[str]:
        """One sentence per uncalibrated judge, for reports."""
        return [w for j in self.uncalibrated if (w := j.warning())]

    def to_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "ok": self.ok, "evidence": self.evidence, "usable": self.usable,
                "judges": [j.to_json() for j in self.judges], "unknown": self.unknown, "warnings": self.warnings()}


def judge_evidence(
    project: Project | str | Path,
    run_id: str,
    *,
    scorers: Sequence[str] | None = None,
    store: Store | None = None,
    min_verdicts: int = MIN_VERDICTS,
    min_kappa: float = MIN_KAPPA,
) -> JudgeEvidence:
    """Calibrate every judge scorer that scored ``run_id`` and classify the evidence.

    ``scorers`` names the scorers a decision would rest on (default: every scorer with
    scores in the run). A scorer that is not a ``type: judge`` scorer of assay.yaml
    counts as a check.
    """
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        with store.read() as conn:
            if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
                raise NotFoundError(f"no run with id {run_id}", hint="list runs with: assay results --set NAME")
            scored = {r[0] for r in conn.execute(select(scores.c.scorer).where(scores.c.run_id == run_id).distinct())}
        judge_names = [s.name for s in project.config.scorers if s.type == "judge" and s.name in scored]
        wanted = list(scorers) if scorers is not None else sorted(scored)
        judges = [judge_calibration(project, run_id, name, store, min_verdicts=min_verdicts, min_kappa=min_kappa)
                  for name in judge_names]
    finally:
        if own:
            store.close()
    evidence = [s for s in wanted if s in scored]
    return JudgeEvidence(
        run_id=run_id,
        evidence=evidence,
        judges=judges,
        other=[s for s in evidence if s not in judge_names],
        unknown=[s for s in wanted if s not in scored],
    )


def judge_evidence_ok(
    project: Project | str | Path, run_id: str, *, scorers: Sequence[str] | None = None, store: Store | None = None
) -> bool:
    """False when the decision's evidence on ``run_id`` would be uncalibrated judges alone.

    A gate calls this before it accepts a policy: a policy that names only judge scorers
    with no (or too little) human agreement must be refused. See :func:`judge_evidence`
    for the full picture (which judges, why, what remains usable).
    """
    return judge_evidence(project, run_id, scorers=scorers, store=store).ok
