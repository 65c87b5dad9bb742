"""Amazon Bedrock model invocation logs (fixture written by this project in the documented
record shape: tests/fixtures/ingest/bedrock-invocations.jsonl)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored


def test_bedrock_invocation_logs(project, fixtures):
    f = fixtures / "bedrock-invocations.jsonl"
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (3, 1, 2) and s.formats[str(f)] == "jsonl:bedrock"
    recs, quar = stored(project)
    by_id = {r["meta"]["source_id"]: r for r in recs}
    conv = by_id["r-1"]
    assert [m["role"] for m in conv["messages"]] == ["system", "user", "assistant", "tool"]
    assert conv["messages"][2]["content"] == '[tool_call get_order {"id":"4417"}]' and conv["messages"][3]["content"] == '{"status":"shipped"}'
    assert "<EMAIL_" in conv["messages"][1]["content"] and "lea@example.de" not in json.dumps(recs, default=str)
    assert (conv["output"], conv["model"], conv["tokens_in"], conv["tokens_out"], conv["latency_ms"]) == (
        "It shipped today.", "anthropic.claude-3-5-haiku-20241022-v1:0", 35, 12, 812.0)
    assert conv["meta"]["finish_reason"] == "end_turn" and conv["meta"]["tenant"] == "eu-shop" and "requestId" not in conv["meta"]
    assert conv["meta"]["inferenceConfig"] == {"maxTokens": 300, "temperature": 0.2}
    anth = by_id["r-2"]
    assert anth["messages"][0] == {"role": "system", "content": "Answer in German."} and anth["output"] == "Nein, nur innerhalb von 30 Tagen."
    assert (anth["tokens_in"], anth["tokens_out"]) == (20, 9)
    llama = by_id["r-3"]
    assert (llama["messages"], llama["output"]) == ([{"role": "user", "content": "Summarise: parcel late again"}], "The parcel is late.")
    assert llama["meta"]["params"] == {"max_gen_len": 64, "temperature": 0.5}
    reasons = {q["line"]: q["reason"] for q in quar}
    assert reasons[5] == "the call failed: ThrottlingException" and reasons[6].startswith("the request body is in S3 (s3://")


def test_bedrock_converse_stream_and_streamed_anthropic(project, tmp_path):
    base = {"schemaType": "ModelInvocationLog", "timestamp": "2026-11-03T10:00:00Z", "modelId": "anthropic.claude-3-5-haiku-20241022-v1:0"}
    converse = {**base, "requestId": "s-1", "operation": "ConverseStream",
                "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "stream please"}]}]}},
                "output": {"outputBodyJson": [
                    {"messageStart": {"role": "assistant"}},
                    {"contentBlockDelta": {"delta": {"text": "Hel"}, "contentBlockIndex": 0}},
                    {"contentBlockDelta": {"delta": {"text": "lo"}, "contentBlockIndex": 0}},
                    {"contentBlockStart": {"start": {"toolUse": {"toolUseId": "t", "name": "lookup"}}, "contentBlockIndex": 1}},
                    {"contentBlockDelta": {"delta": {"toolUse": {"input": '{"q": '}}, "contentBlockIndex": 1}},
                    {"contentBlockDelta": {"delta": {"toolUse": {"input": '"x"}'}}, "contentBlockIndex": 1}},
                    {"messageStop": {"stopReason": "tool_use"}},
                    {"metadata": {"usage": {"inputTokens": 5, "outputTokens": 4}, "metrics": {"latencyMs": 300}}}]}}
    invoke = {**base, "requestId": "s-2", "operation": "InvokeModelWithResponseStream",
              "input": {"inputBodyJson": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                                          "messages": [{"role": "user", "content": "invoke stream"}]}},
              "output": {"outputBodyJson": [
                  {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "claude", "content": [],
                                                         "usage": {"input_tokens": 3, "output_tokens": 1}}},
                  {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
                  {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi!"}},
                  {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}]}}
    f = tmp_path / "stream.jsonl"
    f.write_text(json.dumps(converse) + "\n" + json.dumps(invoke) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (2, 0)
    recs, _ = stored(project)
    by_id = {r["meta"]["source_id"]: r for r in recs}
    assert by_id["s-1"]["output"] == 'Hello\n[tool_call lookup {"q":"x"}]' and by_id["s-1"]["latency_ms"] == 300.0
    assert by_id["s-1"]["meta"]["finish_reason"] == "tool_use"
    assert by_id["s-2"]["output"] == "Hi!"


def test_a_failed_tool_result_says_so_as_in_the_other_shapes(project, tmp_path):
    """Converse's ``toolResult`` with ``status: error`` reads ``[error] ...``, as Anthropic's
    ``is_error`` and Strands' blocks do (one reader for Converse blocks in every shape)."""
    row = {"schemaType": "ModelInvocationLog", "timestamp": "2026-11-03T10:00:00Z", "requestId": "e-1", "operation": "Converse",
           "modelId": "anthropic.claude-3-5-haiku-20241022-v1:0",
           "input": {"inputBodyJson": {"messages": [
               {"role": "user", "content": [{"text": "Where is 4417?"}]},
               {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t", "name": "get_order", "input": {"id": "4417"}}}]},
               {"role": "user", "content": [{"toolResult": {"toolUseId": "t", "status": "error", "content": [{"text": "DB timeout"}]}}]}]}},
           "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "Sorry, try later."}]}},
                                         "stopReason": "end_turn"}}}
    f = tmp_path / "bedrock.jsonl"
    f.write_text(json.dumps(row) + "\n")
    ingest(project, [str(f)])
    (r,), _ = stored(project)
    assert [(m["role"], m["content"]) for m in r["messages"]][-1] == ("tool", "[error] DB timeout")
