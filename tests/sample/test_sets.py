"""Near-duplicate removal, over-weighting, set diff/export and the logged holdout opening."""

import json

import pytest
from sqlalchemy import select

from assay.cli import main
from assay.errors import AssayError
from assay.sample import diff_sets, export_set, load_cases, load_set, near_duplicates, open_holdout, sample
from assay.store._schema import audit_log


def test_near_duplicates_keep_first_copy():
    texts = [
        "where is my order 1234 it has been five days and nothing arrived yet",
        "where is my order 9876 it has been five days and nothing arrived yet!",
        "please reset my password, the email with the link never arrives",
        "where is my order 5555 it has been five days and nothing arrived yet",
    ]
    assert near_duplicates(texts) == [True, False, True, False]
    # digits are masked: 1 and 3 differ from 0 only in the number or a "!", so they stay duplicates
    assert near_duplicates(texts, threshold=0.95)[2] is True


def test_near_duplicates_match_exact_jaccard_on_a_clear_case():
    from assay.sample._dedupe import shingles

    a, b = "alpha beta gamma delta epsilon zeta eta theta", "alpha beta gamma delta epsilon zeta eta iota"
    j = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    assert j == pytest.approx(5 / 7)
    assert near_duplicates([a, b], threshold=0.9) == [True, True]


def test_overweight_changes_allocation_not_case_weight(project_factory):
    project = project_factory("  - {name: incumbent, provider: recorded, incumbent: true}", size=24)
    with project.open_store() as store:
        base = load_set(store, "v1").params["allocation"]
        target = sorted(base)[0]
        sample(project, "v2", overweight={target: 3.0}, store=store)
        v2 = load_set(store, "v2").params["allocation"]
        assert v2[target] > base[target]
        cases = load_cases(store, "v2")
        assert sum(c.weight for c in cases) == pytest.approx(1.0)  # still re-weights to production


def test_diff_export_and_open_holdout(project_factory, tmp_path, capsys):
    project = project_factory("  - {name: incumbent, provider: recorded, incumbent: true}", size=30, holdout=0.2)
    with project.open_store() as store:
        sample(project, "v2", settings=project.config.sampling.model_copy(update={"size": 45, "seed": 3}), store=store)
        d = diff_sets(project, "v1", "v2", store=store)
        dev1 = {c.id for c in load_cases(store, "v1")}
        dev2 = {c.id for c in load_cases(store, "v2")}
        assert set(d.added) == dev2 - dev1 and set(d.removed) == dev1 - dev2 and d.kept == len(dev1 & dev2)
        assert d.params["size"] == (30, 45) and d.holdout == (6, 9)

        path, n = export_set(project, "v1", tmp_path / "v1.jsonl", store=store)
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        holdout = {c.id for c in load_cases(store, "v1", "holdout")}
        assert n == len(rows) == 24 and not holdout & {r["id"] for r in rows}
        assert all(r["slice_id"] and r["slice_label"] and r["provenance"]["record_ids"] and r["version"] == 1 for r in rows)
        with pytest.raises(AssayError, match="unknown export format"):
            export_set(project, "v1", format="csv", store=store)

        with pytest.raises(AssayError, match="needs a reason"):
            open_holdout(project, "v1", reason=" ", store=store)
        opened = open_holdout(project, "v1", reason="readiness decision", who="alice", store=store)
        assert {c.id for c in opened} == holdout
        with store.read() as conn:
            logged = conn.execute(select(audit_log.c.action, audit_log.c.detail)).all()
        assert ("open_holdout", {"set": "v1", "who": "alice", "reason": "readiness decision", "n_cases": 6,
                                 "holdout_hash": load_set(store, "v1").holdout_hash}) in [tuple(r) for r in logged]

    # the CLI: one JSON document each
    for argv, schema in [
        (["sets", "diff", "v1", "v2"], "assay.sets.diff/v1"),
        (["sets", "export", "v1", "--out", str(tmp_path / "e.jsonl")], "assay.sets.export/v1"),
        (["coverage", "eval:v1"], "assay.coverage/v1"),
    ]:
        try:
            main([*argv, "-p", str(project.root), "--json"])
        except SystemExit as exc:
            assert not exc.code
        doc = json.loads(capsys.readouterr().out)
        assert doc["schema"] == schema
    assert doc["coverage"]["k1"] == pytest.approx(1.0)
