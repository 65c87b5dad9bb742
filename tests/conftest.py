"""Shared fixtures: small real projects on disk with a real SQLite store."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from assay.ingest import ingest
from assay.profile import profile
from assay.project import load_project
from assay.sample import sample

TOPICS = {
    "order_status": ["where is my order {n}", "has order {n} shipped yet", "tracking for order {n} shows nothing"],
    "refund_status": ["refund for order {n} not received", "when will my refund for {n} arrive", "still waiting on refund {n}"],
    "password_reset": ["cannot reset my password", "password reset email never arrives", "forgot password for account {n}"],
}

OPENERS = ["", "hi", "hello there", "good morning", "hey team", "excuse me", "quick question", "urgent"]
CLOSERS = ["", "thanks", "please help", "asap", "thank you so much", "regards", "cheers", "ty"]


def write_logs(path: Path, n: int = 90, seed: int = 0) -> Path:
    """A small synthetic log (written here for tests): three topics, gold labels on every row."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        intent = list(TOPICS)[i % 3]
        text = " ".join(
            [rng.choice(OPENERS), rng.choice(TOPICS[intent]).format(n=f"A-{100000 + i}"), rng.choice(CLOSERS)]
        ).strip()
        rows.append(
            {
                "ts": f"2026-10-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
                "model": "prod-v1",
                "messages": [{"role": "user", "content": text}],
                "output": intent if i % 5 else "order_status",
                "metadata": {"locale": "en-US", "feature": "triage"},
                "labels": {"intent": intent},
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


PROJECT_YAML = """\
project: test
sources:
  - {{name: prod, path: logs/*.jsonl}}
profile: {{k_min: 2, k_max: 4, min_slice_share: 0.0}}
sampling: {{size: {size}, holdout: {holdout}, min_per_slice: 1, require_reference: true}}
scorers:
  - {{name: intent, type: exact_match, field: intent}}
run: {{concurrency: 4, retries: 2, timeout_s: 10}}
candidates:
{candidates}
"""


def make_project(root: Path, candidates: str, *, size: int = 24, holdout: float = 0.0, n_records: int = 90):
    """A project with logs ingested, profiled and eval set ``v1`` drawn."""
    write_logs(root / "logs" / "a.jsonl", n=n_records)
    (root / "assay.yaml").write_text(PROJECT_YAML.format(candidates=candidates, size=size, holdout=holdout))
    project = load_project(root)
    ingest(project)
    profile(project)
    sample(project, "v1")
    return project


@pytest.fixture
def recorded_project(tmp_path):
    return make_project(tmp_path, "  - {name: incumbent, provider: recorded, incumbent: true}")


@pytest.fixture
def project_factory(tmp_path):
    """``project_factory(candidates_yaml, **kw)`` -> a ready project in tmp_path."""

    def factory(candidates: str, **kw):
        return make_project(tmp_path, candidates, **kw)

    return factory


@pytest.fixture
def cli(capsys):
    """``cli([...])`` runs the assay command in-process -> (exit code, stdout, stderr)."""
    from assay.cli import main

    def run(argv):
        code = 0
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def make_project_at():
    """``make_project_at(root, candidates_yaml, **kw)``: like project_factory, at any folder."""
    return make_project
