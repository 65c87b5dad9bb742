from pathlib import Path

import pytest

from assay.project import load_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def project(tmp_path):
    (tmp_path / "assay.yaml").write_text("project: t\n")
    return load_project(tmp_path)


def stored(project):
    from sqlalchemy import select

    from assay.store._schema import quarantine, records

    store = project.open_store()
    with store.read() as conn:
        recs = [dict(r) for r in conn.execute(select(records).order_by(records.c.ts)).mappings()]
        quar = [dict(r) for r in conn.execute(select(quarantine).order_by(quarantine.c.file, quarantine.c.line)).mappings()]
    store.close()
    return recs, quar
