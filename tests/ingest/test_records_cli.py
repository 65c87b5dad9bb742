import json

from typer.testing import CliRunner

from assay.cli import app
from assay.ingest import ingest, quarantined_rows, record_stats


def test_stats_and_quarantine(project, fixtures):
    ingest(project, [str(fixtures / "generic.csv")], source="csv-bot")
    ingest(project, [str(fixtures / "openai.jsonl")], source="support")
    s = record_stats(project)
    assert s.total == 5 and s.by_source == {"csv-bot": 2, "support": 3} and s.quarantined == 3
    assert s.by_day["2026-11-01"] == 5 and s.by_model["m-small"] == 2
    rows = quarantined_rows(project, limit=2)
    assert [(r.file.endswith("generic.csv"), r.line) for r in rows] == [(True, 4), (True, 5)]

    runner = CliRunner()
    res = runner.invoke(app, ["records", "stats", "--project", str(project.root), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "assay.records.stats/v1" and doc["total"] == 5
    res = runner.invoke(app, ["records", "quarantine", "--show", "20", "--project", str(project.root)])
    assert res.exit_code == 0 and "generic.csv:5: latency_ms: expected a number" in res.stdout
    res = runner.invoke(app, ["records", "quarantine", "--json", "--project", str(project.root)])
    assert len(json.loads(res.stdout)["rows"]) == 3
