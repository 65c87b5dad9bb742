"""compare / mirage / claims / report on a real SQLite store filled with synthetic rows
(written here: three slices, known per-candidate pass rates)."""

import json

import numpy as np
import pytest
from sqlalchemy import insert

from assay.analyze import compare_matrix, load_matrix, mirage_matrix
from assay.records import BenchmarkClaim
from assay.stats import paired_difference
from assay.store import Store, utcnow
from assay.store._schema import cases, eval_sets, profiles, runs, scores, slices

RATES = {"inc": [0.8, 0.8, 0.8], "good": [0.9, 0.9, 0.9], "bad_on_b": [0.85, 0.1, 0.85]}


def _fill(store, set_name="v1", n_per_slice=(100, 80, 20), seed=0, rates=RATES, run_id="r1"):
    rng = np.random.default_rng(seed)
    now = utcnow()
    with store.write() as conn:
        if set_name == "v1":
            conn.execute(insert(profiles).values(id="p1", created_at=now, n_records=1000, method="synthetic", params={}))
            for sid, w in zip("abc", (0.6, 0.3, 0.1)):
                conn.execute(insert(slices).values(profile_id="p1", slice_id=sid, label=f"slice {sid}", weight=w, size=int(w * 1000), terms=[], examples=[]))
        conn.execute(insert(eval_sets).values(name=set_name, created_at=now, profile_id="p1", n_dev=sum(n_per_slice), n_holdout=0,
                                              content_hash="x", holdout_hash="y", params={}))
        conn.execute(insert(runs).values(id=run_id, set_name=set_name, candidates=list(rates), config={}, epochs=1, started_at=now, status="complete"))
        k = 0
        for s_i, (sid, n, w) in enumerate(zip("abc", n_per_slice, (0.6, 0.3, 0.1))):
            for _ in range(n):
                cid = f"{set_name}-{k:04d}"
                k += 1
                conn.execute(insert(cases).values(set_name=set_name, case_id=cid, split="dev", record_ids=[cid], slice_id=sid,
                                                  weight=w / n, messages=[{"role": "user", "content": "x"}], reference=None,
                                                  meta={"conversation_id": f"conv-{k // 2}"}))
                u = rng.random()  # shared latent: correlated candidates
                for cand, r in rates.items():
                    v = float(u < r[s_i]) if cand != "bad_on_b" else float(rng.random() < r[s_i])
                    conn.execute(insert(scores).values(run_id=run_id, candidate=cand, case_id=cid, epoch=0, scorer="ok", value=v, kind="binary"))


@pytest.fixture()
def store(tmp_path):
    s = Store.at(tmp_path / "a.db")
    _fill(s)
    yield s
    s.close()


def test_matrix_and_comparison_match_direct_statistics(store):
    m = load_matrix(store, "v1", "r1")
    assert m.scores.shape == (3, 200) and m.binary and m.traffic_covered() == pytest.approx(1.0)
    c = compare_matrix(m, "inc", n_resamples=2000)
    good = next(r for r in c.rows if r.candidate == "good")
    ref = paired_difference(m.row("inc"), m.row("good"), binary=True, clusters=np.array(m.clusters))
    assert good.eval_set.diff == pytest.approx(ref.diff) and good.eval_set.n_clusters == ref.n_clusters < 200
    # traffic weights: slices a, b, c stand for 60/30/10% of traffic
    w = np.array(m.weights)
    assert good.traffic.diff == pytest.approx(np.average(m.row("good") - m.row("inc"), weights=w))
    # bad_on_b is much worse on slice b and that slice is called out first
    worse = c.worse_slices()
    assert worse and worse[0].candidate == "bad_on_b" and worse[0].slice_id == "b"
    bad = next(r for r in c.rows if r.candidate == "bad_on_b")
    assert bad.slices[0].slice_id == "b" and bad.slices[0].significantly_worse
    # traffic-weighted and eval-set means differ because slice b is over-represented in the set
    assert bad.traffic.diff != pytest.approx(bad.eval_set.diff)
    assert "you can detect differences" in c.detect_sentence()
    doc = json.loads(json.dumps(c.to_json(), default=str))
    assert doc["schema"] == "assay.compare/v1" and len(doc["comparisons"]) == 2


def test_mirage_headline_follows_the_numbers(store):
    m = load_matrix(store, "v1", "r1")
    task = {c: np.average(m.row(c), weights=m.weights) for c in m.candidates}
    # claims that put the task-worst model on top of the benchmark
    worst = min(task, key=task.get)
    claims = [BenchmarkClaim(candidate=c, benchmark="mmlu", score=90 if c == worst else 50 + 10 * task[c], source="synthetic")
              for c in m.candidates]
    mr = mirage_matrix(m, claims, n_resamples=300)
    assert mr.benchmark == "mmlu" and mr.benchmark_ranks()[worst] == 1
    assert f"The top mmlu model, {worst}, ranks {len(task)}rd of {len(task)}" in mr.headline
    assert mr.flips and all(f.better_on_benchmark == worst for f in mr.flips)
    # reversing the claims to match the task ranking makes the headline say so, tau = 1
    claims = [BenchmarkClaim(candidate=c, benchmark="mmlu", score=100 * task[c], source="s") for c in m.candidates]
    mr = mirage_matrix(m, claims, n_resamples=300)
    assert mr.tau == pytest.approx(1.0) and "is also 1st on your traffic" in mr.headline and not mr.flips


def test_demo_illusion_sets_a_hand_picked_ranking_beside_the_representative_one(store):
    # the synthetic demo set favours bad_on_b (only its strong slices) and inc
    _fill(store, set_name="demo", n_per_slice=(15, 0, 0), seed=1, rates={"inc": [0.95] * 3, "good": [0.5] * 3, "bad_on_b": [1.0] * 3},
          run_id="r-demo")
    m = load_matrix(store, "v1", "r1")
    d = load_matrix(store, "demo", "r-demo")
    mr = mirage_matrix(m, [], demo=d)
    assert mr.demo is not None and mr.demo.n_demo_cases == 15
    assert mr.demo.demo_traffic_covered == pytest.approx(0.6)
    assert "bad_on_b ranks 1st" in mr.demo.headline and "on the representative set" in mr.demo.headline
