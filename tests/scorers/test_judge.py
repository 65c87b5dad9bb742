"""LLM judges against the mock server scripted to answer like a judge, and calibration
against human verdicts (κ checked with scikit-learn)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import insert, select

from assay.project import load_project
from assay.run import run
from assay.scorers import cohen_kappa, judge_calibration, parse_grade, parse_winner, results_table
from assay.store._schema import scores, verdicts
from assay.testing.mock_openai import Script, running_in_thread


def _gold(conversation: str) -> str:
    t = conversation.lower()
    return "refund_status" if "refund" in t else "password_reset" if "password" in t else "order_status"


def _section(prompt: str, title: str) -> str:
    m = re.search(rf"# {title}\n(.*?)\n\n(#|Think)", prompt, re.S)
    return m.group(1).strip() if m else ""


def judge_answer(body: dict) -> str:
    """A scripted judge: right intent is good; in pairwise mode it is biased towards
    answer A whenever both answers are wrong (so swapping positions exposes it)."""
    prompt = body["messages"][-1]["content"]
    gold = _gold(_section(prompt, "Conversation"))
    if "# Answer to grade" in prompt:
        ok = _section(prompt, "Answer to grade") == gold
        return json.dumps({"reasoning": f"expected {gold}", "grade": 5 if ok else 2})
    a, b = _section(prompt, "Answer A"), _section(prompt, "Answer B")
    if (a == gold) == (b == gold):
        return 'Both look similar, but I prefer the first. {"reasoning": "A reads better", "winner": "A"}'
    return json.dumps({"reasoning": "only one is right", "winner": "A" if a == gold else "B"})


def _answer_module(tmp_path):
    (tmp_path / "answers.py").write_text(
        "def always_order(case):\n    return 'order_status'\n"
    )


def _project(project_factory, tmp_path, base_url, mode):
    _answer_module(tmp_path)
    cands = (
        "  - {name: incumbent, provider: recorded, incumbent: true}\n"
        "  - {name: lazy, provider: python, options: {target: 'answers:always_order'}}\n"
        f"  - {{name: judge-model, provider: openai, model: j, options: {{base_url: '{base_url}'}}}}"
    )
    project = project_factory(cands)
    (tmp_path / "rubric.md").write_text("The answer must be the right intent label.\n")
    path = project.root / "assay.yaml"
    text = path.read_text().replace(
        "  - {name: intent, type: exact_match, field: intent}",
        "  - {name: intent, type: exact_match, field: intent}\n"
        f"  - {{name: judged, type: judge, params: {{judge: judge-model, rubric: rubric.md, mode: {mode}}}}}",
    )
    path.write_text(text)
    return load_project(project.root)


def _scores(project, scorer):
    store = project.open_store()
    with store.read() as conn:
        rows = conn.execute(select(scores).where(scores.c.scorer == scorer)).mappings().all()
    store.close()
    return [dict(r) for r in rows]


def test_rubric_grading_keeps_reasoning_and_is_cached(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        s = run(project, "v1", candidates=["incumbent", "lazy"])
        sent = len(mock.requests)
        rows = _scores(project, "judged")
        assert s.scores["judged"] == 48 == len(rows) and sent == 48
        intent = {(r["candidate"], r["case_id"]): r["value"] for r in _scores(project, "intent")}
        for r in rows:
            assert r["kind"] == "graded"
            detail = json.loads(r["detail"])
            assert "expected" in detail["raw"]  # the judge's own words are kept
            assert r["value"] == (1.0 if intent[(r["candidate"], r["case_id"])] == 1.0 else 0.25)
        run(project, "v1", candidates=["incumbent", "lazy"])  # rescoring: answered from the cache
        assert len(mock.requests) == sent


def test_pairwise_swaps_positions_and_counts_inconsistent_pairs_as_ties(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "pairwise")
        run(project, "v1", candidates=["incumbent", "lazy"])
        assert len(mock.requests) == 2 * 24  # both orders for each of lazy's 24 cases
    rows = _scores(project, "judged")
    assert {r["candidate"] for r in rows} == {"lazy"} and all(r["kind"] == "pairwise" for r in rows)
    intent = {(r["candidate"], r["case_id"]): r["value"] for r in _scores(project, "intent")}
    n_incons = 0
    for r in rows:
        lazy_ok = intent[("lazy", r["case_id"])] == 1.0
        inc_ok = intent[("incumbent", r["case_id"])] == 1.0
        detail = json.loads(r["detail"])
        if lazy_ok == inc_ok:  # the biased judge says "A" both times: inconsistent, a tie
            assert r["value"] == 0.5 and detail["consistent"] is False
            n_incons += 1
        else:
            assert r["value"] == (1.0 if lazy_ok else 0.0) and detail["consistent"] is True
    assert n_incons > 0
    table = results_table(project, "v1")
    assert table.inconsistent_pairs == {"judged": n_incons}


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_matches_sklearn(seed):
    rng = random.Random(seed)
    labels = ["pass", "fail", "tie"][: 2 + seed % 2]
    a = [rng.choice(labels) for _ in range(60)]
    b = [x if rng.random() < 0.7 else rng.choice(labels) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_calibration_against_human_verdicts(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        s = run(project, "v1", candidates=["incumbent", "lazy"])
    store = project.open_store()
    cal = judge_calibration(project, s.run_id, "judged", store)
    assert cal.n == 0 and not cal.calibrated and "no human verdicts" in cal.reason
    # Synthetic human verdicts: agree with the truth, except a few deliberate disagreements.
    rows = _scores(project, "judged")
    intent = {(r["candidate"], r["case_id"]): r["value"] for r in _scores(project, "intent")}
    rng = random.Random(3)
    human, judge_says = [], []
    vrows = []
    for i, r in enumerate(rows):
        truth = intent[(r["candidate"], r["case_id"])] == 1.0
        h = truth if rng.random() > 0.15 else not truth
        vrows.append({"id": f"v{i}", "run_id": s.run_id, "case_id": r["case_id"], "kind": "grade", "left": r["candidate"],
                      "right": None, "winner": None, "grade": 1.0 if h else 0.0, "reviewer": "synthetic",
                      "created_at": datetime.now(timezone.utc)})
        human.append("pass" if h else "fail")
        judge_says.append("pass" if r["value"] >= 0.75 else "fail")
    with store.write() as conn:
        conn.execute(insert(verdicts), vrows)
    cal = judge_calibration(project, s.run_id, "judged", store)
    store.close()
    assert cal.n == len(rows) == 48
    assert cal.kappa == pytest.approx(cohen_kappa_score(judge_says, human))
    tp = sum(j == h == "fail" for j, h in zip(judge_says, human))
    tn = sum(j == h == "pass" for j, h in zip(judge_says, human))
    assert cal.tpr_fail == pytest.approx(tp / human.count("fail"))
    assert cal.tnr_fail == pytest.approx(tn / human.count("pass"))
    assert cal.calibrated == (cal.kappa >= 0.6)
    strict = judge_calibration(project, s.run_id, "judged", project.open_store(), min_kappa=0.99)
    assert not strict.calibrated and "below" in strict.reason


def test_results_command_json(project_factory, tmp_path):
    with running_in_thread(Script(outputs=judge_answer)) as mock:
        project = _project(project_factory, tmp_path, mock.base_url, "grade")
        run(project, "v1", candidates=["incumbent", "lazy"])
    p = subprocess.run([sys.executable, "-m", "assay.cli", "results", "--set", "v1", "-p", str(project.root), "--json"],
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["schema"] == "assay.results/v1" and doc["scorers"] == ["intent", "judged"]
    lazy = next(c for c in doc["candidates"] if c["name"] == "lazy")
    assert lazy["results"] == 24 and lazy["scores"]["intent"]["n"] == 24
    assert doc["judges"][0]["calibrated"] is False
    p = subprocess.run([sys.executable, "-m", "assay.cli", "results", "--set", "v1", "-p", str(project.root)],
                       capture_output=True, timeout=60)
    assert b"UNCALIBRATED" in p.stdout


def test_parsers():
    assert parse_grade('{"reasoning": "ok", "grade": 4}', 5) == 4
    assert parse_grade("Grade: 3", 5) == 3 and parse_grade('{"grade": 9}', 5) is None and parse_grade("?", 5) is None
    assert parse_winner('{"winner": "b"}') == "B" and parse_winner("winner: tie") == "tie" and parse_winner("dunno") is None
