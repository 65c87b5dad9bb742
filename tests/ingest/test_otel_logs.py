"""OTLP spans joined with the GenAI events their logs export holds (the official
instrumentations send messages as log records)."""

import json

import pytest

from assay.errors import InputError
from assay.ingest import ingest
from assay.ingest._otel_logs import genai_events
from tests.ingest.conftest import stored


@pytest.mark.parametrize("workers", [0, 2])
def test_spans_get_their_logged_messages(project, fixtures, workers):
    traces, logs = fixtures / "otel-traces.json", fixtures / "otel-logs.jsonl"
    s = ingest(project, [str(traces), str(logs)], workers=workers)
    assert (s.kept, s.quarantined) == (3, 0) and s.joined == {str(traces): [str(logs)]}
    assert s.files == [str(traces)]  # the logs are read into the join, not ingested on their own
    recs, _ = stored(project)
    by_q = {r["messages"][-1]["content"]: r for r in recs}
    r = by_q["Where is order A-1001?"]
    assert r["messages"][0] == {"role": "system", "content": "You are the support bot of Nordhaus Furniture."}
    assert (r["output"], r["model"], r["tokens_in"], r["tokens_out"], r["latency_ms"]) == (
        "It left the warehouse today.", "gpt-4o-mini-2024-07-18", 41, 9, 700.0)
    # the answer event came in the next export batch than its prompt
    assert by_q["Cancel my plan, my email is <EMAIL_" + by_q_email(by_q) + ">"]["output"] == "Done: your plan ends on 30 November."
    assert by_q["Do you ship to Norway?"]["output"] == "[tool_call shipping_countries {}]"
    assert not list(project.state_dir.glob("otel-events-*.db"))  # the index (unscrubbed text) is gone

    again = ingest(project, [str(traces), str(logs)], workers=workers)
    assert again.unchanged == [str(traces)]


def by_q_email(by_q):
    return next(q for q in by_q if q.startswith("Cancel my plan")).split("<EMAIL_")[1].rstrip(">")


def test_a_logs_export_alone_is_refused_and_traces_alone_say_what_is_missing(project, fixtures, tmp_path):
    with pytest.raises(InputError, match="holds OpenTelemetry log records") as err:
        ingest(project, [str(fixtures / "otel-logs.jsonl")])
    assert "assay ingest <traces>.json otel-logs.jsonl" in err.value.hint
    s = ingest(project, [str(fixtures / "otel-traces.json")])
    _, quar = stored(project)
    assert s.kept == 0 and len(quar) == 1  # one row: the resource's three spans, each with the reason
    assert quar[0]["reason"].count("ingest the logs export in the same command") == 3 and "span 3: " in quar[0]["reason"]


def test_changed_logs_read_the_traces_again_and_bad_log_rows_are_quarantined(project, fixtures, tmp_path):
    traces = tmp_path / "t.json"
    traces.write_bytes((fixtures / "otel-traces.json").read_bytes())
    logs = tmp_path / "l.jsonl"
    lines = (fixtures / "otel-logs.jsonl").read_text().splitlines()
    logs.write_text(lines[0] + "\n")  # only the first batch: two answers missing
    first = ingest(project, [str(traces), str(logs)])
    assert (first.kept, first.quarantined) == (3, 0)
    logs.write_text("\n".join([*lines, "{broken", json.dumps({"not": "logs"})]) + "\n")
    second = ingest(project, [str(traces), str(logs)])
    assert second.unchanged == [] and second.kept == 2  # the two spans whose answers came now are new records
    recs, quar = stored(project)
    assert sorted((q["line"], q["file"].endswith("l.jsonl")) for q in quar) == [(3, True), (4, True)]


def test_genai_events_reads_only_span_events_of_genai():
    row = {"resourceLogs": [{"scopeLogs": [{"logRecords": [
        {"spanId": "ABC", "eventName": "gen_ai.user.message", "body": {"stringValue": "hi"}, "attributes": []},
        {"spanId": "abd", "attributes": [{"key": "event.name", "value": {"stringValue": "gen_ai.choice"}}]},
        {"eventName": "gen_ai.user.message", "attributes": []},  # no span
        {"spanId": "abe", "attributes": [{"key": "event.name", "value": {"stringValue": "http.request"}}]},
        "not a record",
    ]}, None]}, 5]}
    got = list(genai_events(row))
    assert [(sid, e["name"]) for sid, e in got] == [("abc", "gen_ai.user.message"), ("abd", "gen_ai.choice")]
    assert got[0][1]["attributes"] == [{"key": "body", "value": {"stringValue": "hi"}}]
    assert list(genai_events({"resourceSpans": []})) == [] and list(genai_events([1])) == []


def test_join_indexes_left_by_a_killed_ingest_are_removed_by_any_ingest(project, fixtures):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    pid = dead.stdout.strip()
    project.state_dir.mkdir(parents=True, exist_ok=True)
    orphans = [project.state_dir / f"otel-events-{pid}-0123456789ab.db", project.state_dir / f"batch-requests-{pid}-0123456789ab.db"]
    for o in orphans:
        o.write_bytes(b"unscrubbed messages")
    mine = project.state_dir / f"otel-events-{__import__('os').getpid()}-0123456789ab.db"  # a live process's: left alone
    mine.write_bytes(b"in use")
    ingest(project, [str(fixtures / "openai.jsonl")])  # no batch or logs files in this one
    assert not any(o.exists() for o in orphans) and mine.exists()


def test_a_dry_run_joins_the_spans_with_their_logged_messages(project, fixtures):
    """``--dry-run`` with the traces and the logs export shows the records an ingest stores
    (before, every span was shown as quarantined for want of its messages); the join's
    index is gone afterwards."""
    from assay.ingest import preview

    traces, logs = fixtures / "otel-traces.json", fixtures / "otel-logs.jsonl"
    p = preview(project, [str(traces), str(logs)], rows=20)
    shown = {f.file: f for f in p.files}
    s = ingest(project, [str(traces), str(logs)])
    assert len(shown[str(traces)].records) == s.kept > 0 and not shown[str(traces)].quarantined
    assert shown[str(logs)].note is not None
    assert not list(project.state_dir.glob("otel-events-*"))
