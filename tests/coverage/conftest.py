"""The bundled example project (synthetic data from examples/support-desk/generate.py),
generated, ingested and profiled once per test session in a temporary folder."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import pytest

from assay.ingest import ingest
from assay.profile import profile
from assay.project import load_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "support-desk"


def build_example(root: Path, n_records: int = 20_000):
    """Generate the synthetic example into ``root``, ingest and profile it."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "assay.yaml", root / "assay.yaml")
    gen = runpy.run_path(str(EXAMPLE / "generate.py"))
    gen["generate"](root / "data", n_records=n_records)
    # A fixed project key: record ids (keyed hashes) set the order records are profiled
    # and sampled in, so with a fresh random key each session the slices, and the figures
    # these tests check, would differ from run to run.
    (root / ".assay").mkdir(exist_ok=True)
    (root / ".assay" / "key").write_text("5eed" * 16)
    project = load_project(root)
    ingest(project)
    profile(project)
    return project


@pytest.fixture(scope="session")
def example_project(tmp_path_factory):
    return build_example(tmp_path_factory.mktemp("support-desk"))
