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


def test_files_lists_what_each_ingested_file_stored(project, fixtures, tmp_path):
    from sqlalchemy import update

    from assay.ingest import delete_files, ingested_files
    from assay.store._schema import ingests

    log = tmp_path / "mine.jsonl"
    log.write_text("".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"}], "output": "a"}) + "\n" for i in range(3)))
    ingest(project, [str(fixtures / "generic.csv")], source="csv-bot")
    ingest(project, [str(fixtures / "openai.jsonl"), str(log)], source="support", scrub=False)
    ingest(project, [str(log)], source="support", force=True)  # a second ingest of one file: all duplicates
    got = {f.file: f for f in ingested_files(project).files}
    assert {k.rsplit("/", 1)[-1]: (f.records, f.quarantined, f.ingests, f.source, f.scrubbed) for k, f in got.items()} == {
        "generic.csv": (2, 2, 1, "csv-bot", True),
        "openai.jsonl": (3, 1, 1, "support", False),
        "mine.jsonl": (3, 0, 2, "support", False),  # one ingest of it stored PII as it was
    }
    assert [f.file.rsplit("/", 1)[-1] for f in ingested_files(project, source="csv-bot").files] == ["generic.csv"]
    store = project.open_store()
    with store.write() as conn:  # as an interrupted ingest leaves it
        conn.execute(update(ingests).where(ingests.c.file == str(log)).values(finished_at=None))
    store.close()
    log.unlink()
    runner = CliRunner()
    res = runner.invoke(app, ["records", "files", "--project", str(project.root)])
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0 and "3 files, 8 records" in text
    assert "2 records, 2 quarantined · csv:generic · source csv-bot" in text
    assert "source support · " in text and "its last ingest was interrupted" in text and "the file is gone" in text
    assert text.count("ingested with --no-scrub") == 2
    doc = json.loads(runner.invoke(app, ["records", "files", "--json", "--project", str(project.root)]).stdout)
    assert doc["schema"] == "assay.records.files/v1" and len(doc["files"]) == 3 and doc["unattributed"] == 0
    delete_files(project, [str(fixtures / "generic.csv")])
    assert sorted(f.file.rsplit("/", 1)[-1] for f in ingested_files(project).files) == ["mine.jsonl", "openai.jsonl"]


def test_delete_notes_later_files_that_may_share_records(project, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps({"messages": f"q{i}", "output": "x"}) + "\n" for i in range(4)))
    b.write_text("".join(json.dumps({"messages": f"q{i}", "output": "x"}) + "\n" for i in range(2, 6)))
    ingest(project, [str(a)])
    ingest(project, [str(b)])
    res = CliRunner().invoke(app, ["records", "delete", str(a), "--yes", "--project", str(project.root)])
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0 and "deleted 4 records" in text
    assert "was ingested later and may share records with what was deleted" in text and text.endswith(f"assay ingest {b}")
