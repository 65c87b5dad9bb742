"""Logs exported with their nested fields as JSON text: a CSV file, a Parquet or warehouse
string column (BigQuery, Snowflake, PostgreSQL ``json`` columns exported as text), or a
JSON Lines file written from such a table. Each shape reads them as the objects they hold:
the same records as from the fixture itself."""

import json

import pytest

from assay.ingest import ingest
from tests.ingest.conftest import FIXTURES
from tests.ingest.test_ingest import _contents, _new_project

SHAPES = ["anthropic", "bedrock-invocations", "braintrust-logs", "gemini", "helicone-requests", "langfuse-traces",
          "langsmith-runs", "openai-responses", "openai", "phoenix-spans", "posthog-events", "weave-calls"]


def _as_text(line: str) -> str:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return line
    if not isinstance(row, dict):
        return line
    return json.dumps({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in row.items()})


@pytest.mark.parametrize("name", SHAPES)
def test_nested_fields_held_as_json_text_give_the_same_records(tmp_path, monkeypatch, name):
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same")
    lines = [line for line in (FIXTURES / f"{name}.jsonl").read_text().splitlines() if line.strip()]
    out = []
    for tag, rows in (("objects", lines), ("text", [_as_text(line) for line in lines])):
        proj = _new_project(tmp_path / tag)
        f = proj.root / f"{name}.jsonl"
        f.write_text("\n".join(rows) + "\n")
        s = ingest(proj, [str(f)])
        out.append((s.formats[str(f)], s.kept, s.skipped, s.quarantined, _contents(proj)[0]))
    assert out[0][1] > 0 and out[0] == out[1]


def test_langsmith_runs_as_parquet_with_json_text_columns(tmp_path, monkeypatch):
    """LangSmith's bulk export writes runs to Parquet with ``inputs`` and ``outputs`` as JSON text."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same")
    rows = [json.loads(line) for line in (FIXTURES / "langsmith-runs.jsonl").read_text().splitlines() if line.strip()]
    ref = _new_project(tmp_path / "ref")
    ingest(ref, [str(FIXTURES / "langsmith-runs.jsonl")])
    proj = _new_project(tmp_path / "pq")
    f = proj.root / "runs.parquet"
    table = [{k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in r.items()} for r in rows]
    keys = sorted({k for r in table for k in r})
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in table]), f)
    s = ingest(proj, [str(f)])
    assert s.formats[str(f)] == "parquet:langsmith" and s.kept == 2
    assert [r[1:3] for r in _contents(proj)[0]] == [r[1:3] for r in _contents(ref)[0]]  # outputs and messages


def test_a_mapping_follows_paths_into_json_text(project, tmp_path):
    """A proxy's log table exported as CSV: the request and response bodies are JSON text cells."""
    import csv

    f = tmp_path / "proxy.csv"
    with f.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["at", "req_body", "resp_body"])
        w.writerow(["2026-11-01 10:00", json.dumps({"messages": [{"role": "user", "content": "Hi there"}]}),
                    json.dumps({"choices": [{"message": {"content": "Hello!"}}]})])
        w.writerow(["2026-11-01 10:01", "{not json", json.dumps({"choices": []})])
    s = ingest(project, [str(f)], mapping="input=req_body.messages,output=resp_body.choices.0.message.content,ts=at")
    assert (s.kept, s.quarantined) == (1, 1)
    from tests.ingest.conftest import stored

    recs, quar = stored(project)
    assert recs[0]["messages"] == [{"role": "user", "content": "Hi there"}] and recs[0]["output"] == "Hello!"
    assert quar[0]["line"] == 3 and "req_body.messages" in quar[0]["reason"]
