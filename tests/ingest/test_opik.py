"""Opik traces (fixture written by this project in the shape ``opik export`` writes:
tests/fixtures/ingest/opik-trace.json)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored


def test_an_opik_export_trace_file(project, fixtures):
    f = fixtures / "opik-trace.json"
    s = ingest(project, [str(f)])
    assert s.formats[str(f)] == "json:opik" and (s.kept, s.skipped, s.quarantined) == (2, 2, 1)
    recs, quar = stored(project)
    by_provider = {r["meta"]["provider"]: r for r in recs}
    oa = by_provider["openai"]
    assert [m["role"] for m in oa["messages"]] == ["system", "user"] and "<EMAIL_" in oa["messages"][1]["content"]
    assert oa["output"] == '[tool_call get_order {"id": "4417"}]'
    assert (oa["model"], oa["tokens_in"], oa["tokens_out"], oa["cost_usd"], oa["latency_ms"]) == ("gpt-4o-mini", 58, 17, 0.0000189, 850.0)
    assert str(oa["ts"]).startswith("2026-11-07 09:30:02.1")
    meta = oa["meta"]
    # the trace's app metadata, thread, tags and feedback scores travel with each of its calls
    assert (meta["user_id"], meta["environment"], meta["thread_id"], meta["scores"], meta["tags"]) == (
        "cust-31", "production", "thread-77", {"user_feedback": 1.0}, ["support", "openai"])
    assert meta["params"] == {"temperature": 0.1} and meta["span_name"] == "chat_completion_create"
    assert not {"created_from", "usage", "object", "created"} & set(meta)
    an = by_provider["anthropic"]
    assert an["messages"][0] == {"role": "system", "content": "Answer in one sentence."} and an["output"] == "It shipped today."
    assert (an["tokens_in"], an["tokens_out"], an["meta"]["params"]) == (24, 6, {"max_tokens": 200})
    assert [(q["line"], q["reason"]) for q in quar] == [(1, "span 5: the model call failed: APITimeoutError: Request timed out.")]


def test_opik_span_rows_and_a_folder_of_trace_files(project, fixtures, tmp_path):
    doc = json.loads((fixtures / "opik-trace.json").read_text())
    folder = tmp_path / "opik_exports" / "default" / "projects" / "support-bot"
    folder.mkdir(parents=True)
    for n in range(3):  # three traces, each a file as the export writes them
        trace = json.loads(json.dumps(doc).replace("00000000t001", f"00000000t00{n}").replace("Where is order 4417", f"Where is order 441{n}"))
        (folder / f"trace_{trace['trace']['id']}.json").write_text(json.dumps(trace, indent=2))
    s = ingest(project, [str(tmp_path / "opik_exports")])
    assert len(s.files) == 3 and (s.kept, s.duplicates, s.skipped, s.quarantined) == (6, 0, 6, 3)
    # spans one a row (``search_spans`` dumped as JSON Lines), and an app's own function traced as an LLM span
    rows = [doc["spans"][1], doc["spans"][0],
            {**doc["spans"][1], "id": "s-own", "input": {"question": "Can I return boots?"}, "output": {"output": "Yes, within 30 days."},
             "metadata": {"app_version": "2.4"}, "model": None, "provider": None, "usage": None}]
    spans = tmp_path / "spans.jsonl"
    spans.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(spans)])
    assert s.formats[str(spans)] == "jsonl:opik" and (s.kept, s.duplicates, s.skipped) == (2, 0, 1)
    own = [r for r in stored(project)[0] if r["meta"].get("span_id") == "s-own"][0]
    assert own["messages"] == [{"role": "user", "content": "Can I return boots?"}] and own["output"] == "Yes, within 30 days."
    assert own["meta"]["app_version"] == "2.4" and own["model"] is None
