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
    assert "source support · " in text and "its last ingest did not finish: interrupted (run it again to go on) or still running" in text and "the file is gone" in text
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


def test_show_gives_stored_records_as_they_are_filtered_and_expanded(project, fixtures, tmp_path):
    from assay.ingest import stored_records
    from tests.store.test_shared_texts import SYSTEM, TOOLS

    ingest(project, [str(fixtures / "generic.csv")], source="csv-bot")
    ingest(project, [str(fixtures / "openai.jsonl")], source="support")
    odd = tmp_path / "odd.jsonl"
    odd.write_text("".join(json.dumps(r) + "\n" for r in [
        {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": 'say "100%_done" please'}],
         "output": "ok", "metadata": {"tools": TOOLS}},
        {"messages": [{"role": "user", "content": "write to ops@acme.example"}], "output": "done", "ts": "2026-12-01T08:00:00Z"},
    ]))
    ingest(project, [str(odd)], source="odd")

    everything = stored_records(project, limit=100)
    assert everything.total == 7 == len(everything.records)
    newest = everything.records[0]
    assert newest.ts.isoformat() == "2026-12-01T08:00:00+00:00" and everything.records[-1].ts is None  # undated last
    assert "<EMAIL_" in newest.messages[0].content and "ops@acme" not in newest.messages[0].content  # stored scrubbed
    oldest = stored_records(project, order="oldest", limit=1, source="support").records[0]
    assert oldest.ts.isoformat() == "2026-11-01T08:00:00+00:00" and oldest.source == "support"

    # a quote, % and _ are searched as text, not as JSON escapes or LIKE wildcards
    hit = stored_records(project, contains='"100%_done"')
    assert hit.total == 1
    rec = hit.records[0]
    assert rec.messages[0].content == SYSTEM and rec.metadata["tools"] == json.loads(json.dumps(TOOLS, sort_keys=True))  # put back
    assert stored_records(project, contains="100%x").total == 0 and stored_records(project, contains="DONE\" PLEASE").total == 1
    assert stored_records(project, contains="ok").total >= 1  # the answer is searched too
    assert {r.source for r in stored_records(project, file="generic.csv", limit=10).records} == {"csv-bot"}
    assert stored_records(project, file="generic.csv").total == 2 and stored_records(project, file="nope.csv").total == 0
    assert stored_records(project, model="m-small").total == 2
    assert stored_records(project, id_prefix=rec.id[:6].upper()).records[0].id == rec.id
    assert stored_records(project, order="random", limit=3).total == 7 and len(stored_records(project, order="random", limit=3).records) == 3
    assert stored_records(project, limit=0).records == []

    runner = CliRunner()
    res = runner.invoke(app, ["records", "show", "--grep", "100%_done", "--project", str(project.root)])
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0, res.output
    assert f"── {rec.id} · odd · no time" in text and 'user say "100%_done" please' in text
    assert f"system {SYSTEM[:40]}" in text and f"({len(SYSTEM):,} chars)" in text  # cut to 300 characters
    assert "tools 3: status, invoice, carrier" in text and "1 of 1 record (newest first)" in text
    full = " ".join(runner.invoke(app, ["records", "show", "--grep", "100%_done", "--full", "--project", str(project.root)]).stdout.split())
    assert " ".join(SYSTEM.split()) in full
    res = runner.invoke(app, ["records", "show", "--source", "support", "-n", "2", "--json", "--project", str(project.root)])
    doc = json.loads(res.stdout)
    assert doc["schema"] == "assay.records.show/v1" and doc["total"] == 3 and len(doc["records"]) == 2
    assert all(r["source"] == "support" and r["messages"] for r in doc["records"])
    res = runner.invoke(app, ["records", "show", "--grep", "no such text", "--project", str(project.root)])
    assert res.exit_code == 0 and "no records match" in res.stdout
    res = runner.invoke(app, ["records", "show", "--order", "best", "--project", str(project.root)])
    assert res.exit_code == 1 and "unknown order 'best'" in str(res.exception)  # `assay` prints it as an error, with the orders


def _cli(project, *args):
    return CliRunner().invoke(app, ["records", *args, "--project", str(project.root)])


def _said(res):
    """What `assay` prints for the result: its output, and the error with its hint."""
    exc = res.exception
    return res.output + ("" if exc is None else f"error: {exc} hint: {getattr(exc, 'hint', '')}")


def _bad_rows(tmp_path, n=30):
    log = tmp_path / "calls.jsonl"
    rows = [json.dumps({"messages": [{"role": "user", "content": f"q{i}"}], "output": "a", "model": "llama[/INST]",
                        "ts": f"2026-11-0{1 + i % 3}T10:00:00Z"}) for i in range(6)]
    rows += [f"{{broken {i}" for i in range(n)] + ['{"messages": 5}']
    log.write_text("\n".join(rows) + "\n")
    return log


def test_stats_print_names_from_the_logs_as_they_are_and_count_reasons(project, tmp_path):
    ingest(project, [str(_bad_rows(tmp_path))], source="[bold]")
    res = _cli(project, "stats")
    assert res.exit_code == 0, res.output
    assert "llama[/INST]" in res.stdout and "[bold]" in res.stdout  # no markup error, no name eaten
    s = record_stats(project)
    # the 30 broken lines differ only in their numbers: one kind of reason
    assert s.quarantined == 31 and list(s.quarantined_by_reason.values()) == [30, 1]
    assert next(iter(s.quarantined_by_reason)).startswith("not valid JSON")
    assert "N" in next(iter(s.quarantined_by_reason))


def test_quarantine_says_how_many_there_are_and_pages(project, tmp_path):
    ingest(project, [str(_bad_rows(tmp_path))], source="web")
    page = quarantined_rows(project, limit=10, offset=25)
    assert page.total == 31 and [r.line for r in page] == list(range(32, 38))
    assert quarantined_rows(project, reason="EXPECTED A LIST").total == 1
    assert quarantined_rows(project, file="calls.jsonl").total == 31
    assert quarantined_rows(project, file="_alls.jsonl").total == 0  # _ and % are no wildcards
    res = _cli(project, "quarantine", "--show", "5")
    assert res.exit_code == 0 and "1–5 of 31 quarantined rows; the next: --offset 5" in res.stdout
    doc = json.loads(_cli(project, "quarantine", "--show", "5", "--offset", "5", "--json").stdout)
    assert doc["total"] == 31 and doc["offset"] == 5 and [r["line"] for r in doc["rows"]] == [12, 13, 14, 15, 16]
    res = _cli(project, "quarantine", "--show", "0")
    assert res.exit_code == 0 and "0 quarantined rows" not in res.stdout and "of 31 quarantined rows" in res.stdout
    res = _cli(project, "quarantine", "--show", "-1")
    assert res.exit_code == 1 and "limit must be 0 or more" in _said(res)


def test_an_unknown_source_is_an_error_that_names_the_known_ones(project, tmp_path):
    ingest(project, [str(_bad_rows(tmp_path))], source="web")
    for cmd in (["stats"], ["show"], ["quarantine"], ["export", str(tmp_path / "out.jsonl")]):
        res = _cli(project, *cmd, "--source", "wbe")
        assert res.exit_code == 1 and "source 'wbe'" in _said(res) and "sources: web" in _said(res), (cmd, _said(res))


def test_show_filters_by_time_and_names_the_models_when_one_matches_nothing(project, tmp_path):
    from assay.ingest import stored_records

    ingest(project, [str(_bad_rows(tmp_path))], source="web")
    assert stored_records(project, since="2026-11-02").total == 4
    assert stored_records(project, since="2026-11-02", until="2026-11-02").total == 2  # a day is taken in whole
    assert stored_records(project, until="2026-11-02T10:00:00+00:00").total == 2
    assert stored_records(project, since="2026-11-02T11:00:00+01:00", until="2026-11-02T11:00:00+01:00").total == 0
    res = _cli(project, "show", "--since", "yesterday")
    assert res.exit_code == 1 and "--since: 'yesterday' is not a date or time" in _said(res)
    res = _cli(project, "show", "--model", "llama")
    assert res.exit_code == 0 and "no records match" in res.stdout and "llama[/INST]" in res.stdout
    res = _cli(project, "show", "-n", "0")
    assert res.exit_code == 0 and "no records stored yet" not in res.stdout and "0 of 6 records" in res.stdout


def test_export_streams_records_as_json_lines_that_ingest_reads_back(project, tmp_path):
    from assay.ingest import iter_stored_records, stored_records
    from assay.project import load_project

    ingest(project, [str(_bad_rows(tmp_path))], source="web")
    dest = tmp_path / "out.jsonl"
    res = _cli(project, "export", str(dest), "--since", "2026-11-02")
    assert res.exit_code == 0, res.output
    lines = dest.read_text().splitlines()
    assert len(lines) == 4 and {json.loads(x)["ts"][:10] for x in lines} == {"2026-11-02", "2026-11-03"}
    wanted = {r.id: r for r in stored_records(project, since="2026-11-02", limit=10).records}
    assert {json.loads(x)["id"] for x in lines} == set(wanted)
    assert json.loads(lines[0])["messages"] == [m.model_dump(mode="json") for m in wanted[json.loads(lines[0])["id"]].messages]
    res = _cli(project, "export", str(dest))
    assert res.exit_code == 1 and "exists" in _said(res) and len(dest.read_text().splitlines()) == 4
    assert _cli(project, "export", str(dest), "--force", "-n", "2").exit_code == 0 and len(dest.read_text().splitlines()) == 2
    # read in batches: the same records whatever the batch size
    assert [r.id for r in iter_stored_records(project, batch=2)] == [r.id for r in iter_stored_records(project)]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "assay.yaml").write_text("project: other\n")
    summary = ingest(load_project(tmp_path / "other"), [str(dest)])
    assert summary.kept == 2 and summary.quarantined == 0
