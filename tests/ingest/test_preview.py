"""``assay ingest --dry-run``: the records the first rows would become, nothing stored."""

import json

from typer.testing import CliRunner

from assay.cli import app
from assay.ingest import ingest, preview
from tests.ingest.conftest import stored


def test_a_dry_run_shows_what_an_ingest_would_store_and_stores_nothing(project, fixtures, tmp_path):
    csv = tmp_path / "support.csv"
    csv.write_text("question,answer,created\nWhere is my order 1234? mail ann@example.com,It ships tomorrow.,2026-11-01 10:00\n"
                   "Can I return boots?,Yes,2026-11-02 10:00\n,no question,2026-11-03 10:00\n")
    p = preview(project, [str(csv), str(fixtures / "openai.jsonl")], rows=10)
    first, second = p.files
    assert (first.format, len(first.records), first.hint is not None) == ("csv:generic", 0, True)
    assert "--map input=question,output=answer,ts=created" in first.hint
    assert (second.format, second.rows, len(second.records), [line for line, _ in second.quarantined]) == ("jsonl:openai", 4, 3, [4])
    assert not (project.root / ".assay" / "assay.db").exists()  # nothing stored, no store made

    mapped = preview(project, [str(csv)], mapping="input=question,output=answer,ts=created", rows=2).files[0]
    assert mapped.format == "csv:map" and mapped.rows == 2 and [r.output for r in mapped.records] == ["It ships tomorrow.", "Yes"]
    assert "<EMAIL_" in mapped.records[0].messages[0].content and mapped.records[0].ts.isoformat() == "2026-11-01T10:00:00+00:00"
    # the same records as an ingest stores (same ids, same scrubbed text)
    ingest(project, [str(csv)], mapping="input=question,output=answer,ts=created")
    recs, quar = stored(project)
    assert {r.id for r in mapped.records} <= {r["id"] for r in recs}
    assert {r["id"]: r["messages"][0]["content"] for r in recs}[mapped.records[0].id] == mapped.records[0].messages[0].content


def test_dry_run_names_files_read_only_together_and_the_cli(project, fixtures, tmp_path):
    p = preview(project, [str(fixtures / "otel-logs.jsonl"), str(fixtures / "openai-batch-results.jsonl"),
                          str(fixtures / "otel-export.json")], rows=5)
    logs, batch, traces = p.files
    assert logs.format.endswith(":otel-logs") and "traces file" in logs.note and batch.note and "custom_id" in batch.note
    assert traces.format == "json:otel" and traces.records and traces.note is None
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(fixtures / "openai.jsonl"), "--dry-run", "--rows", "2", "--project", str(project.root)])
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0, res.output
    assert "jsonl:openai" in text and "first 2 rows: 2 records, 0 quarantined" in text and "nothing was stored (--dry-run)" in text
    res = runner.invoke(app, ["ingest", str(fixtures / "openai.jsonl"), "--dry-run", "--json", "--project", str(project.root)])
    doc = json.loads(res.stdout)
    assert doc["schema"] == "assay.ingest.preview/v1" and doc["files"][0]["quarantined"] == [{"line": 4, "reason": "response.choices: expected a list"}]
    assert not (project.root / ".assay" / "assay.db").exists()
