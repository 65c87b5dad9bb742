"""assay.yaml's scrub: section and a source's map: reach ingest."""

import json

from sqlalchemy import select

from assay.ingest import ingest
from assay.project import load_project
from assay.store._schema import records


def test_scrub_patterns_allow_list_and_source_map_from_assay_yaml(tmp_path):
    (tmp_path / "logs").mkdir()
    rows = [
        {"request": {"text": "I am CUST-12345678, mail me at help@shop.example or ann@example.com"}, "response": {"text": "ok"}},
        {"request": {"text": "second question"}, "response": {"text": "fine"}},
    ]
    (tmp_path / "logs" / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (tmp_path / "assay.yaml").write_text(
        "project: t\n"
        "sources:\n"
        "  - {name: app, path: logs/*.jsonl, map: 'input=request.text,output=response.text'}\n"
        "scrub:\n"
        "  patterns: {CUSTOMER_ID: 'CUST-\\d{8}'}\n"
        "  allow: [help@shop.example]\n"
    )
    project = load_project(tmp_path)
    summary = ingest(project)
    assert summary.kept == 2 and summary.quarantined == 0
    store = project.open_store()
    with store.read() as conn:
        texts = sorted(m[0]["content"] for m in conn.execute(select(records.c.messages)).scalars())
    store.close()
    first = texts[0]
    assert "CUST-12345678" not in first and "<CUSTOMER_ID_" in first
    assert "help@shop.example" in first  # allow-listed
    assert "ann@example.com" not in first and "<EMAIL_" in first
