import pytest
from sqlalchemy import select

from assay.errors import AssayError
from assay.sample import load_cases, load_set, sample
from assay.store._schema import cases as cases_t


def test_eval_set_is_stratified_immutable_and_has_a_sealed_holdout(project_factory):
    project = project_factory("  - {name: incumbent, provider: recorded, incumbent: true}", size=30, holdout=0.2)
    store = project.open_store()
    evs = load_set(store, "v1")
    assert evs.n_dev + evs.n_holdout == 30 and evs.n_holdout == 6
    dev = load_cases(store, "v1")
    holdout = load_cases(store, "v1", split="holdout")
    assert len(dev) == 24 and {c.id for c in dev}.isdisjoint({c.id for c in holdout})
    # every case keeps provenance and the traffic share it stands for
    assert all(c.record_ids and c.reference and c.weight > 0 for c in dev + holdout)
    assert abs(sum(c.weight for c in dev + holdout) - 1.0) < 1e-9
    # the recorded holdout hash is over the holdout ids
    import hashlib

    import orjson

    assert evs.holdout_hash == hashlib.sha256(orjson.dumps(sorted(c.id for c in holdout), option=orjson.OPT_SORT_KEYS)).hexdigest()
    # all three topics are represented
    assert len({c.reference["intent"] for c in dev}) == 3
    with pytest.raises(AssayError, match="immutable"):
        sample(project, "v1", store=store)
    with store.read() as conn:
        assert len(conn.execute(select(cases_t.c.case_id)).all()) == 30
    store.close()


def test_bad_set_name(recorded_project):
    with pytest.raises(AssayError, match="invalid eval set name"):
        sample(recorded_project, "../etc")


def test_same_traffic_gives_the_same_set_in_projects_with_different_keys(tmp_path, monkeypatch, make_project_at):
    """Record ids and PII pseudonyms are keyed per project; the drawn set must not depend on the key."""
    drawn = []
    for name, key in (("a", "key-one"), ("b", "key-two")):
        monkeypatch.setenv("ASSAY_PROJECT_KEY", key)
        project = make_project_at(  # same seeded logs in both
            tmp_path / name, "  - {name: incumbent, provider: recorded, incumbent: true}", size=30, holdout=0.2)
        store = project.open_store()
        cases = load_cases(store, "v1") + load_cases(store, "v1", split="holdout")
        drawn.append(sorted((c.messages[-1].content, c.split) for c in cases))
        store.close()
    assert drawn[0] == drawn[1]


def test_each_sub_topic_of_a_slice_gets_a_case():
    """A 4% sub-topic inside a slice is drawn when the slice gets 3 cases (synthetic vectors)."""
    import numpy as np

    from assay.sample._sample import _representatives

    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3]
    sizes = [190, 8, 2]
    x = np.vstack([c + 0.05 * rng.standard_normal((n, 8)) for c, n in zip(centres, sizes)])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    group = np.repeat([0, 1, 2], sizes)
    picks = _representatives(x, 3, seed=0)
    assert len(picks) == 3 and sorted(group[picks]) == [0, 1, 2]
    assert _representatives(x, 1, seed=0) == [int(np.argmax(x @ x.mean(axis=0)))] and group[_representatives(x, 1, seed=0)[0]] == 0
    assert _representatives(x[:2], 5, seed=0) == [0, 1]
