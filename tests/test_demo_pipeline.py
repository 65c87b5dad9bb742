"""End to end: the demo pipeline on a small slice of the example project, real models."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from assay.demo import run_demo

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "support-desk"
pytestmark = pytest.mark.slow


@pytest.fixture
def small_example(tmp_path):
    root = tmp_path / "support-desk"
    root.mkdir()
    for name in ("assay.yaml", "baseline.py", "generate.py", "prompts", "claims.yaml"):
        src = EXAMPLE / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    cfg = yaml.safe_load((root / "assay.yaml").read_text())
    cfg["sampling"]["size"] = 30
    cfg["profile"].update(k_min=6, k_max=12)
    (root / "assay.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    return root


def test_demo_runs_every_stage_and_a_repeat_only_reads(small_example):
    pytest.importorskip("llama_cpp")
    first = run_demo(small_example, records=2500)
    assert first.ingest.kept + first.ingest.duplicates == 2500 and first.ingest.quarantined == 0
    assert sum(first.ingest.pii.values()) > 0
    assert first.n_slices >= 6
    names = {c.name for c in first.report.tables.candidates}
    assert names == {"incumbent", "gemma-fewshot", "gemma-definitions", "tfidf-knn"}
    n_dev = first.report.tables.n_cases
    assert n_dev == 24  # 30 drawn, 20% sealed as holdout
    assert first.run.completed == 4 * n_dev and first.run.errors == 0
    for c in first.report.tables.candidates:
        assert c.overall.n == n_dev and 0.0 <= c.overall.low <= c.overall.mean <= c.overall.high <= 1.0
    inc = next(c for c in first.report.tables.candidates if c.incumbent)
    assert inc.overall.mean > 0.4  # production answers are mostly right on this data
    html = first.report.html_path.read_text()
    assert "<svg" in html and not re.search(r'(src|href)="(https?:)?//', html)  # self-contained, offline
    assert "| candidate |" in first.report.markdown_path.read_text()
    # the mirage: synthetic claims beside task evidence, the demo illusion, benchmark-prompt coverage
    mir = first.mirage
    assert mir is not None and mir.benchmark == "general-mc (synthetic)" and len(mir.claims) == 4
    assert mir.demo is not None and mir.demo.n_demo_cases == 40
    assert mir.benchmark_prompts is not None and "60 items" in mir.headline
    assert set(first.coverage) == {"demo_prompts", "public_benchmark_sample"}
    bench = first.coverage["public_benchmark_sample"]
    assert bench.n_unmatched > bench.n_items / 2 and bench.auc.auc > 0.9  # trivia looks like no production traffic

    again = run_demo(small_example)
    assert again.ingest.kept == 0 and again.ingest.duplicates == 0 and len(again.ingest.unchanged) == 1  # not read again
    assert again.profile_id == first.profile_id  # same data, same slices
    assert again.run.completed == 0 and again.run.already_done == 4 * n_dev
    assert [c.overall.mean for c in again.report.tables.candidates] == [c.overall.mean for c in first.report.tables.candidates]
    assert len(again.mirage.claims) == 4  # claims are recorded once
    assert again.mirage.headline == first.mirage.headline
