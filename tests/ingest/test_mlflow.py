"""MLflow traces: model-call spans read as the provider's request and response (traces
written for this test in the shape mlflow's Trace.to_json() gives)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored


def _j(v):
    return json.dumps(v)


def _trace():
    t0 = 1793520000 * 10**9
    openai_span = {
        "trace_id": "tr-1", "span_id": "s1", "parent_span_id": "s0", "name": "Completions", "start_time_unix_nano": t0,
        "end_time_unix_nano": t0 + 640_000_000, "status": {"code": "STATUS_CODE_OK", "message": ""},
        "attributes": {"mlflow.traceRequestId": _j("tr-1"), "mlflow.spanType": _j("CHAT_MODEL"),
                       "mlflow.spanInputs": _j({"model": "gpt-4o-mini", "temperature": 0, "messages": [
                           {"role": "system", "content": "Classify."}, {"role": "user", "content": "My parcel is late, ann@example.com"}]}),
                       "mlflow.spanOutputs": _j({"id": "c1", "object": "chat.completion", "created": 1793520000, "model": "gpt-4o-mini-2024-07-18",
                                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "delivery"}, "finish_reason": "stop"}],
                                                 "usage": {"prompt_tokens": 21, "completion_tokens": 1}}),
                       "mlflow.chat.tokenUsage": _j({"input_tokens": 21, "output_tokens": 1, "total_tokens": 22})}}
    chain = {"trace_id": "tr-1", "span_id": "s0", "parent_span_id": None, "name": "classify", "start_time_unix_nano": t0,
             "end_time_unix_nano": t0 + 10**9, "attributes": {"mlflow.spanType": _j("CHAIN"), "mlflow.spanInputs": _j({"text": "x"})}}
    langchain = {
        "trace_id": "tr-1", "span_id": "s2", "parent_span_id": "s0", "name": "ChatOpenAI", "start_time_unix_nano": t0 + 10**9,
        "end_time_unix_nano": t0 + 2 * 10**9,
        "attributes": {"mlflow.spanType": _j("CHAT_MODEL"),
                       "mlflow.spanInputs": _j([[{"content": "LangChain question", "type": "human"}]]),
                       "mlflow.spanOutputs": _j({"generations": [[{"text": "LangChain answer", "message": {
                           "content": "LangChain answer", "type": "ai"}}]], "llm_output": {"model_name": "gpt-4o"}})}}
    failed = {"trace_id": "tr-1", "span_id": "s3", "name": "Completions", "start_time_unix_nano": t0 + 3 * 10**9,
              "end_time_unix_nano": t0 + 3 * 10**9 + 5, "status": {"code": "STATUS_CODE_ERROR", "message": "RateLimitError: 429"},
              "attributes": {"mlflow.spanType": _j("CHAT_MODEL"), "mlflow.spanInputs": _j({"messages": [{"role": "user", "content": "x"}]})}}
    return {"info": {"trace_id": "tr-1", "request_time": "2026-11-01T08:00:00Z", "state": "OK", "tags": {"app": "triage", "mlflow.user": "ci"}},
            "data": {"spans": [chain, openai_span, langchain, failed]}}


def test_mlflow_traces(project, tmp_path):
    f = tmp_path / "traces.jsonl"
    f.write_text(json.dumps(_trace()) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (2, 1, 1) and s.formats[str(f)] == "jsonl:mlflow"
    recs, quar = stored(project)
    oa = next(r for r in recs if r["meta"]["span_id"] == "s1")
    assert (oa["output"], oa["model"], oa["tokens_in"], oa["tokens_out"], oa["latency_ms"]) == ("delivery", "gpt-4o-mini-2024-07-18", 21, 1, 640.0)
    assert oa["messages"][0] == {"role": "system", "content": "Classify."} and "<EMAIL_" in oa["messages"][1]["content"]
    assert oa["ts"].isoformat()[:19] == "2026-11-01T08:00:00" and oa["meta"]["app"] == "triage" and oa["meta"]["trace_id"] == "tr-1"
    assert "mlflow.spanInputs" not in oa["meta"] and "mlflow.user" not in oa["meta"]
    lc = next(r for r in recs if r["meta"]["span_id"] == "s2")
    assert (lc["messages"], lc["output"]) == ([{"role": "user", "content": "LangChain question"}], "LangChain answer")
    assert quar[0]["reason"].endswith("the call failed: RateLimitError: 429")


def test_mlflow_spans_one_a_row_are_not_taken_for_phoenix(project, tmp_path):
    span = _trace()["data"]["spans"][1]
    v2 = {"name": span["name"], "context": {"span_id": "s1", "trace_id": "tr-1"}, "start_time": span["start_time_unix_nano"],
          "end_time": span["end_time_unix_nano"], "status_code": "OK", "attributes": span["attributes"]}  # MLflow 2's Span.to_dict()
    f = tmp_path / "spans.jsonl"
    f.write_text(json.dumps(v2) + "\n" + json.dumps(_trace()["data"]["spans"][0]) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped) == (1, 1) and s.formats[str(f)] == "jsonl:mlflow"
    recs, _ = stored(project)
    assert recs[0]["output"] == "delivery" and recs[0]["latency_ms"] == 640.0
