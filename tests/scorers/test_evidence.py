"""EvalGen alignment (hand-computed), and the flag on uncalibrated judges in `assay results`,
`assay report` and the gate-facing `judge_evidence_ok`. Verdicts here are synthetic."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert

from assay.analyze import report
from assay.run import run
from assay.scorers import evalgen_alignment, judge_calibration, judge_evidence, judge_evidence_ok, results_table
from assay.store._schema import verdicts
from assay.testing.mock_openai import Script, running_in_thread

from test_judge import _project, _scores, judge_answer  # tests/scorers is on sys.path (rootdir conftest layout)

WARNING = ("judge judged is not calibrated against human verdicts (no human verdicts on these results yet) "
           "— do not use it as the only evidence for a decision")


def test_alignment_hand_computed():
    # 4 outputs humans failed, 6 they passed; the judge fails 3 of the 4 and 2 of the 6.
    human = [True] * 4 + [False] * 6
    judge = [True, True, True, False] + [True, True, False, False, False, False]
    coverage, ffr, alignment = evalgen_alignment(judge, human)
    assert coverage == pytest.approx(3 / 4)
    assert ffr == pytest.approx(2 / 6)
    # harmonic mean of 3/4 and 2/3 = 2 * (1/2) / (17/12) = 12/17
    assert alignment == pytest.approx(12 / 17)


def test_alignment_edge_cases():
    assert evalgen_alignment([False, True], [True, False]) == (0.0, 1.0, 0.0)  # misses the failure, fails the pass
    assert evalgen_alignment([True, False], [True, False]) == (1.0, 0.0, 1.0)
    assert evalgen_alignment([False, False], [False, False]) == (None, 0.0, None)  # no human failures: no coverage
    with pytest.raises(ValueError):
        evalgen_alignment([True], [])


def _verdicts(project, run_id, agree: bool):
    """One synthetic human grade per judged result: agreeing with the judge, or flipped."""
    rows = []
    for i, r in enumerate(_scores(project, "judged")):
        judge_pass = r["value"] >= 0.75
        human_pass = judge_pass if agree else not judge_pass
        rows.append({"id": f"v{i}", "run_id": run_id, "case_id": r["case_id"], "kind": "grade", "left": r["candidate"],
                     "right": None, "winner": None, "grade": 1.0 if human_pass else 0.0, "reviewer": "synthetic",
                     "created_at": datetime.now(timezone.utc)})
    store = project.open_store()
    with store.write() as conn:
        conn.execute(insert(verdicts), rows)
    store.close()


def test_uncalibrated_judge_is_flagged_everywhere_and_refused_alone(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        s = run(project, "v1", candidates=["incumbent", "lazy"])
    ev = judge_evidence(project, s.run_id)
    assert [j.scorer for j in ev.judges] == ["judged"] and not ev.judges[0].calibrated
    assert ev.evidence == ["intent", "judged"] and ev.usable == ["intent"] and ev.ok
    assert ev.warnings() == [WARNING]
    assert not judge_evidence_ok(project, s.run_id, scorers=["judged"])  # a judge alone, uncalibrated: refused
    assert judge_evidence_ok(project, s.run_id, scorers=["intent", "judged"])  # a check stands beside it
    assert judge_evidence_ok(project, s.run_id, scorers=["intent"])
    assert judge_evidence(project, s.run_id, scorers=["judged", "gone"]).unknown == ["gone"]

    table = results_table(project, "v1")
    assert table.warnings() == [WARNING] and table.evidence_ok
    assert table.to_json()["warnings"] == [WARNING]
    p = subprocess.run([sys.executable, "-m", "assay.cli", "results", "--set", "v1", "-p", str(project.root)],
                       capture_output=True, timeout=60, env={"COLUMNS": "400", **__import__("os").environ})
    text = " ".join(p.stdout.decode().split())
    assert p.returncode == 0 and "not calibrated against human verdicts" in text and "alignment=–" in text

    rep = report(project, "v1")
    md = rep.markdown_path.read_text()
    assert "## LLM judges" in md and WARNING in md
    assert WARNING in rep.html_path.read_text()
    assert rep.to_json()["judges"]["judges"][0]["calibrated"] is False


def test_calibrated_judge_may_stand_alone(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        s = run(project, "v1", candidates=["incumbent", "lazy"])
    _verdicts(project, s.run_id, agree=True)
    cal = judge_calibration(project, s.run_id, "judged", project.open_store())
    assert cal.calibrated and cal.kappa == pytest.approx(1.0) and cal.alignment == pytest.approx(1.0)
    assert cal.coverage == pytest.approx(1.0) and cal.false_failure_rate == pytest.approx(0.0)
    assert judge_evidence_ok(project, s.run_id, scorers=["judged"])
    doc = results_table(project, "v1").to_json()
    assert doc["warnings"] == [] and doc["judges"][0]["alignment"] == 1.0
    md = report(project, "v1").markdown_path.read_text()
    assert "| judged | grade | 48 | 1.00 | 1.00 | 1.00 | 0.00 | yes |" in md and "Warning" not in md


def test_judge_that_contradicts_humans_has_zero_alignment(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        s = run(project, "v1", candidates=["incumbent", "lazy"])
    _verdicts(project, s.run_id, agree=False)
    ev = judge_evidence(project, s.run_id, scorers=["judged"])
    j = ev.judges[0]
    assert not ev.ok and j.alignment == 0.0 and j.coverage == 0.0 and j.false_failure_rate == 1.0
    assert "below" in j.reason and "do not use it as the only evidence" in ev.warnings()[0]
