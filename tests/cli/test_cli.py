import json


def test_init_then_config_error_names_file_line_and_field(tmp_path, cli):
    code, out, _ = cli(["init", str(tmp_path / "p")])
    assert code == 0 and "assay.yaml" in out
    cfg = tmp_path / "p" / "assay.yaml"
    cfg.write_text(cfg.read_text().replace("provider: recorded", "provider: olama"))
    code, _, err = cli(["ingest", "-p", str(tmp_path / "p")])
    assert code == 1
    assert "assay.yaml:" in err and "candidates.0.provider" in err and "olama" in err
    assert "Traceback" not in err


def test_user_error_prints_hint_without_traceback(tmp_path, cli):
    code, _, err = cli(["profile", "-p", str(tmp_path)])
    assert code == 1 and "assay init" in err and "Traceback" not in err


def test_usage_error_exits_2(cli):
    code, _, err = cli(["sample"])
    assert code == 2 and "--name" in err


def test_json_outputs_are_single_versioned_documents(project_factory, cli):
    project = project_factory("  - {name: incumbent, provider: recorded, incumbent: true}")
    p = str(project.root)
    code, out, _ = cli(["ingest", "-p", p, "--json", "--force"])
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "assay.ingest/v1" and doc["duplicates"] == 90 and doc["kept"] == 0
    code, out, _ = cli(["ingest", "-p", p, "--json"])  # without --force the unchanged file is not read
    doc = json.loads(out)
    assert code == 0 and doc["files"] == [] and len(doc["unchanged"]) == 1 and doc["duplicates"] == 0
    code, out, _ = cli(["sample", "--name", "v2", "--size", "12", "--holdout", "0.25", "-p", p, "--json"])
    doc = json.loads(out)
    assert doc["schema"] == "assay.sample/v1" and doc["n_dev"] == 9 and doc["n_holdout"] == 3
    code, out, _ = cli(["run", "--set", "v2", "-p", p, "--json"])
    doc = json.loads(out)
    assert doc["schema"] == "assay.run/v1" and doc["completed"] == 9 and doc["errors"] == 0
    code, out, _ = cli(["report", "--set", "v2", "-p", p, "--json"])
    doc = json.loads(out)
    assert doc["schema"] == "assay.report/v1" and doc["n_cases"] == 9
    (cand,) = doc["candidates"]
    assert cand["name"] == "incumbent" and cand["incumbent"] is True
    assert 0 <= cand["overall"]["low"] <= cand["overall"]["mean"] <= cand["overall"]["high"] <= 1
    code, out, _ = cli(["profile", "-p", p, "--json"])
    assert json.loads(out)["schema"] == "assay.profile/v1"


def test_unknown_set_is_a_clear_error(recorded_project, cli):
    code, _, err = cli(["run", "--set", "nope", "-p", str(recorded_project.root)])
    assert code == 1 and "no eval set named 'nope'" in err and "v1" in err


def test_version_says_whether_ingest_runs_compiled(cli):
    from assay import __version__, _compiled

    code, out, _ = cli(["--version"])
    status = _compiled.status()
    n = sum(v == "compiled" for v in status.values())
    assert code == 0 and f"assay {__version__}" in out
    assert f"ingest core: {n} of {len(status)} modules compiled" in out
    for name, how in status.items():  # what runs as source is named, with why
        assert (f"{name}: {how}" in out) == (how != "compiled")


def test_rows_of_no_known_shape_get_a_map_hint_that_works(tmp_path, cli):
    code, _, _ = cli(["init", str(tmp_path / "p")])
    p = str(tmp_path / "p")
    log = tmp_path / "chat.jsonl"
    log.write_text("".join(json.dumps({"id": i, "userQuestion": f"where is parcel {i}", "botAnswer": "on its way",
                                       "createdAt": "2026-11-01T10:00:00Z"}) + "\n" for i in range(3)))
    code, out, _ = cli(["ingest", str(log), "-p", p])
    assert code == 1 and "quarantined 3 rows" in out
    hint = " ".join(out.split())  # the console folds long lines
    assert "--map input=userQuestion,output=botAnswer,ts=createdAt" in hint
    code, out, _ = cli(["ingest", str(log), "-p", p, "--json", "--map", "input=userQuestion,output=botAnswer,ts=createdAt"])
    doc = json.loads(out)
    assert code == 0 and (doc["kept"], doc["quarantined"], doc["hints"]) == (3, 0, {})
    code, out, _ = cli(["records", "stats", "-p", p])
    assert "3 records, 0 quarantined rows" in out  # the mapped ingest replaced the file's quarantine entries


def test_records_delete_asks_for_yes_and_ingest_replace(tmp_path, cli):
    cli(["init", str(tmp_path / "p")])
    p = str(tmp_path / "p")
    log = tmp_path / "chat.jsonl"
    log.write_text("".join(json.dumps({"q": f"question {i}", "a": f"answer {i}"}) + "\n" for i in range(4)))
    cli(["ingest", str(log), "-p", p, "--map", "input=q"])
    code, out, _ = cli(["ingest", str(log), "-p", p, "--map", "input=q,output=a", "--replace"])
    assert code == 0 and "deleted the 4 records earlier ingests stored" in " ".join(out.split())
    code, out, _ = cli(["records", "delete", str(log), "-p", p, "--dry-run"])
    assert code == 0 and "would delete 4 records and 0 quarantined rows of 1 file" in out
    code, _, err = cli(["records", "delete", str(log), "-p", p])  # not at a terminal: no question, no deletion
    assert code == 1 and "--yes" in err
    code, out, _ = cli(["records", "delete", str(log), "-p", p, "--yes", "--json"])
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "assay.records.delete/v1" and (doc["records"], doc["files"]) == (4, [str(log)])
    code, out, _ = cli(["records", "stats", "-p", p])
    assert "0 records" in out


def test_ingest_joins_a_batch_and_refuses_its_results_alone(tmp_path, cli):
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
    cli(["init", str(tmp_path / "p")])
    p = str(tmp_path / "p")
    results, requests = str(fixtures / "openai-batch-results.jsonl"), str(fixtures / "openai-batch-requests.jsonl")
    code, _, err = cli(["ingest", results, "-p", p])
    err = " ".join(err.split())
    assert code == 1 and "carry no prompts" in err and "assay ingest <requests>.jsonl openai-batch-results.jsonl" in err
    code, out, _ = cli(["ingest", requests, results, "-p", p])
    out = " ".join(out.split())
    assert code == 0 and "kept 4 records, skipped 0 duplicates and 1 non-chat item, quarantined 2 rows" in out
    assert "joined openai-batch-results.jsonl with its batch requests (openai-batch-requests.jsonl) by custom_id" in out
    assert "hint: openai-batch-requests.jsonl: 1 of its batch requests has no result" in out
    code, out, _ = cli(["records", "quarantine", "-p", p, "--show", "5"])
    assert "openai-batch-results.jsonl:5: the batch request failed with HTTP 400" in " ".join(out.split())


def test_ingest_ts_format_option(tmp_path, cli):
    cli(["init", str(tmp_path / "p")])
    p = str(tmp_path / "p")
    log = tmp_path / "eu.jsonl"
    log.write_text(json.dumps({"messages": "Hallo?", "output": "Hallo!", "ts": "30/11/2026 21:45"}) + "\n")
    code, out, _ = cli(["ingest", str(log), "-p", p])
    assert code == 1 and "quarantined 1 row" in out  # every row quarantined: exit code 1
    code, out, _ = cli(["records", "quarantine", "-p", p])
    assert "--ts-format '%d/%m/%Y %H:%M'" in " ".join(out.split())
    code, out, _ = cli(["ingest", str(log), "-p", p, "--ts-format", "%d/%m/%Y %H:%M", "--json"])
    assert code == 0 and (json.loads(out)["kept"], json.loads(out)["quarantined"]) == (1, 0)
    code, _, err = cli(["ingest", str(log), "-p", p, "--ts-format", "dmy"])
    assert code == 1 and "has no %-directive" in err


def test_an_interrupted_ingest_says_what_it_stored(tmp_path, cli, monkeypatch):
    import assay
    from assay.ingest import IngestSummary

    (tmp_path / "assay.yaml").write_text("project: t\n")

    def interrupted(*args, **kwargs):
        exc = KeyboardInterrupt()
        exc.summary = IngestSummary(kept=1234, duplicates=5, quarantined=2)
        raise exc

    monkeypatch.setattr(assay, "ingest", interrupted)
    code, _, err = cli(["ingest", "x.jsonl", "-p", str(tmp_path)])
    text = " ".join(err.split())
    assert code == 130 and "interrupted: 1,234 records kept, 5 duplicates skipped and 2 rows quarantined" in text
    assert text.count("interrupted") == 1 and "Traceback" not in err


def test_a_closed_pipe_exits_141_without_a_traceback(tmp_path):
    import subprocess
    import sys

    (tmp_path / "assay.yaml").write_text("project: t\n")
    log = tmp_path / "l.jsonl"
    log.write_text("".join(json.dumps({"messages": f"q{i} " + "x" * 2000, "output": "a"}) + "\n" for i in range(200)))
    assay = [sys.executable, "-m", "assay.cli"]
    subprocess.run([*assay, "ingest", str(log), "-p", str(tmp_path)], check=True, capture_output=True)
    for cmd in (["records", "show", "-n", "200", "--full"], ["records", "export", "-"]):
        p = subprocess.Popen([*assay, *cmd, "-p", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.read(10)
        p.stdout.close()  # the reader goes away, as `| head -c 10` does
        err = p.stderr.read().decode()
        assert p.wait(timeout=60) == 141 and "Traceback" not in err, (cmd, err)
