"""How far a judge can be trusted: agreement with human verdicts on the same results.

Human verdicts live in the ``verdicts`` table (written by the review app):

- ``kind: grade`` — ``left`` is the graded candidate, ``grade`` in [0, 1]; the human
  says *pass* when ``grade >= 0.5``.
- ``kind: pairwise`` — ``left`` / ``right`` candidates and ``winner`` (left/right/tie).

A rubric judge's score says *pass* when it is at least ``params.pass_at`` on the 1..scale
grade (default ``scale - 1``); a pairwise judge's outcome is win / tie / loss of the
candidate against the baseline. We report Cohen's κ, raw agreement, and — treating
"fail" (a failing grade, or a loss) as the positive class — the judge's TPR (it catches
failures humans saw) and TNR (it passes what humans passed), and EvalGen's alignment
(Shankar et al. 2024, "Who Validates the Validators?"): *coverage* is the share of
human-failed outputs the judge fails (= TPR), the *false failure rate* (FFR) the share of
human-passed outputs the judge fails (= 1 − TNR), and *alignment* their harmonic mean
``2·coverage·(1 − FFR) / (coverage + 1 − FFR)``. A judge is *calibrated*
when it has at least ``min_verdicts`` paired verdicts and κ ≥ ``min_kappa``; otherwise
reports flag it, and it must not be the only evidence for a decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from assay.errors import NotFoundError
from assay.project import Project
from assay.store import Store
from assay.store._schema import scores, verdicts

MIN_VERDICTS = 20
MIN_KAPPA = 0.6


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's κ between two raters' labels (any hashable labels, same length).

    κ = (p_o - p_e) / (1 - p_e); when both raters use one single label (p_e = 1) κ is
    defined here as 1.0 if they agree everywhere (as scikit-learn does not: it returns nan).
    """
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return float("nan")
    p_o = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if p_e == 1.0:
        return 1.0 if p_o == 1.0 else float("nan")
    return (p_o - p_e) / (1 - p_e)


@dataclass
class Calibration:
    """Judge-human agreement for one judge scorer on one run."""

    scorer: str
    mode: str
    n: int
    kappa: float | None
    agreement: float | None
    tpr_fail: float | None
    tnr_fail: float | None
    calibrated: bool
    reason: str
    coverage: float | None = None  #: share of human-failed outputs the judge fails
    false_failure_rate: float | None = None  #: share of human-passed outputs the judge fails
    alignment: float | None = None  #: harmonic mean of coverage and 1 - false_failure_rate

    def to_json(self) -> dict[str, Any]:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"scorer": self.scorer, "mode": self.mode, "n": self.n, "kappa": r(self.kappa), "agreement": r(self.agreement),
                "tpr_fail": r(self.tpr_fail), "tnr_fail": r(self.tnr_fail), "coverage": r(self.coverage),
                "false_failure_rate": r(self.false_failure_rate), "alignment": r(self.alignment),
                "calibrated": self.calibrated, "reason": self.reason}

    def warning(self) -> str | None:
        """The sentence a report prints when this judge must not stand alone as evidence."""
        if self.calibrated:
            return None
        return (f"judge {self.scorer} is not calibrated against human verdicts ({self.reason}) "
                "— do not use it as the only evidence for a decision")


def _rates(judge: list[bool], human: list[bool]) -> tuple[float | None, float | None]:
    """TPR and TNR with 'fail' (True) as the positive class."""
    pos = [j for j, h in zip(judge, human) if h]
    neg = [j for j, h in zip(judge, human) if not h]
    return (sum(pos) / len(pos) if pos else None, sum(not j for j in neg) / len(neg) if neg else None)


def evalgen_alignment(judge_fails: Sequence[bool], human_fails: Sequence[bool]) -> tuple[float | None, float | None, float | None]:
    """EvalGen's (coverage, false failure rate, alignment) of a judge against human labels.

    ``True`` means *fail*. Coverage is undefined without human failures and the false
    failure rate without human passes; alignment then is None too. When the judge
    misses every failure and fails every pass, alignment is 0.
    """
    if len(judge_fails) != len(human_fails):
        raise ValueError("the judge and the humans must label the same items")
    tpr, tnr = _rates(list(judge_fails), list(human_fails))
    if tpr is None or tnr is None:
        return tpr, None if tnr is None else 1 - tnr, None
    denom = tpr + tnr
    return tpr, 1 - tnr, 0.0 if denom == 0 else 2 * tpr * tnr / denom


def judge_calibration(
    project: Project, run_id: str, scorer_name: str, store: Store, *, min_verdicts: int = MIN_VERDICTS, min_kappa: float = MIN_KAPPA
) -> Calibration:
    """Compare a judge scorer's scores on ``run_id`` with the human verdicts on the same results."""
    settings = next((s for s in project.config.scorers if s.name == scorer_name and s.type == "judge"), None)
    if settings is None:
        raise NotFoundError(f"no judge scorer named {scorer_name!r} in assay.yaml")
    mode = settings.params.get("mode", "grade")
    with store.read() as conn:
        srows = conn.execute(
            select(scores.c.candidate, scores.c.case_id, scores.c.epoch, scores.c.value).where(
                scores.c.run_id == run_id, scores.c.scorer == scorer_name
            )
        ).all()
        vrows = conn.execute(select(verdicts).where(verdicts.c.run_id == run_id)).mappings().all()
    judge_labels: list[str] = []
    human_labels: list[str] = []
    if mode == "grade":
        scale = int(settings.params.get("scale", 5))
        pass_at = int(settings.params.get("pass_at", scale - 1))
        threshold = (pass_at - 1) / (scale - 1)
        by = {}
        for cand, case, _epoch, value in srows:  # epochs: the mean judge score per result
            by.setdefault((cand, case), []).append(value)
        for v in vrows:
            if v["kind"] != "grade" or v["grade"] is None or (v["left"], v["case_id"]) not in by:
                continue
            vals = by[(v["left"], v["case_id"])]
            judge_labels.append("pass" if sum(vals) / len(vals) >= threshold - 1e-9 else "fail")
            human_labels.append("pass" if v["grade"] >= 0.5 else "fail")
    else:
        base = settings.params.get("baseline") or (project.incumbent.name if project.incumbent else None)
        by = {}
        for cand, case, _epoch, value in srows:
            by.setdefault((cand, case), []).append(value)
        for v in vrows:
            if v["kind"] != "pairwise" or v["winner"] is None:
                continue
            if v["right"] == base and (v["left"], v["case_id"]) in by:
                cand, human = v["left"], {"left": "win", "right": "loss", "tie": "tie"}[v["winner"]]
            elif v["left"] == base and (v["right"], v["case_id"]) in by:
                cand, human = v["right"], {"left": "loss", "right": "win", "tie": "tie"}[v["winner"]]
            else:
                continue
            mean = sum(by[(cand, v["case_id"])]) / len(by[(cand, v["case_id"])])
            judge_labels.append("win" if mean > 0.5 + 1e-9 else "loss" if mean < 0.5 - 1e-9 else "tie")
            human_labels.append(human)
    n = len(judge_labels)
    if n == 0:
        return Calibration(scorer_name, mode, 0, None, None, None, None, False, "no human verdicts on these results yet")
    fail = "fail" if mode == "grade" else "loss"
    kappa = cohen_kappa(judge_labels, human_labels)
    agreement = sum(a == b for a, b in zip(judge_labels, human_labels)) / n
    judge_fails, human_fails = [j == fail for j in judge_labels], [h == fail for h in human_labels]
    tpr, tnr = _rates(judge_fails, human_fails)
    coverage, ffr, alignment = evalgen_alignment(judge_fails, human_fails)
    if n < min_verdicts:
        ok, reason = False, f"only {n} human verdicts (need {min_verdicts})"
    elif not kappa >= min_kappa:  # also catches nan
        ok, reason = False, f"Cohen's kappa {kappa:.2f} is below {min_kappa}"
    else:
        ok, reason = True, f"kappa {kappa:.2f} on {n} verdicts"
    return Calibration(scorer_name, mode, n, kappa, agreement, tpr, tnr, ok, reason, coverage, ffr, alignment)
