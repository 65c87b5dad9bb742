"""Provider logs at their edges: failed calls, refusals, tool results, streams (rows written
by this test in each provider's documented request/response layout)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored

ASK = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
OK = {"id": "c1", "object": "chat.completion", "created": 1793520000, "model": "gpt-4o",
      "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
      "usage": {"prompt_tokens": 3, "completion_tokens": 1}}


def _ingest(project, tmp_path, rows, name="log.jsonl"):
    f = tmp_path / name
    f.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    recs, quar = stored(project)
    return s, s.formats[str(f)], recs, {q["line"]: q["reason"] for q in quar}


def test_a_failed_call_first_does_not_decide_the_files_shape(project, tmp_path):
    """The first row is a call that failed (an error body, no choices): the file is still read
    as the shape of the rows after it, and the failed call is quarantined with the error."""
    rows = [{"request": ASK, "response": {"error": {"message": "Rate limit reached for gpt-4o", "type": "requests",
                                                    "code": "rate_limit_exceeded"}}},
            {"request": ASK, "response": OK}, {"request": {**ASK, "messages": [{"role": "user", "content": "again"}]}, "response": OK}]
    s, fmt, recs, quar = _ingest(project, tmp_path, rows)
    assert fmt == "jsonl:openai" and (s.kept, s.quarantined) == (2, 1)
    assert quar == {1: "the call failed: rate_limit_exceeded: Rate limit reached for gpt-4o"}
    assert {r["output"] for r in recs} == {"hello"} and all(r["tokens_in"] == 3 for r in recs)


def test_provider_error_bodies_are_quarantined_with_their_message(project, tmp_path):
    anth_ask = {"model": "claude-haiku-4-5", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}
    stream = ("event: message_start\ndata: " + json.dumps({"type": "message_start", "message": {
        "id": "m", "type": "message", "role": "assistant", "model": "claude-haiku-4-5", "content": [], "usage": {"input_tokens": 3}}})
        + "\n\nevent: content_block_delta\ndata: " + json.dumps({"type": "content_block_delta", "index": 0,
                                                                  "delta": {"type": "text_delta", "text": "Part"}})
        + "\n\nevent: error\ndata: " + json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}) + "\n\n")
    anth = [{"request": anth_ask, "response": {"id": "m1", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "ok"}],
                                               "stop_reason": "end_turn", "usage": {"input_tokens": 3, "output_tokens": 1}}},
            {"request": anth_ask, "response": {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}},
            {"request": anth_ask, "response": stream}]
    s, fmt, _, quar = _ingest(project, tmp_path, anth, "anthropic.jsonl")
    assert fmt == "jsonl:anthropic" and quar == {2: "the call failed: overloaded_error: Overloaded",
                                                  3: "the call failed: overloaded_error: Overloaded"}
    gem_ask = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
    gem = [{"request": gem_ask, "response": {"candidates": [{"content": {"role": "model", "parts": [{"text": "hello"}]}, "finishReason": "STOP"}]}},
           {"request": gem_ask, "response": {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                                                       "status": "RESOURCE_EXHAUSTED"}}}]
    _, fmt, _, quar = _ingest(project, tmp_path, gem, "gemini.jsonl")
    assert fmt == "jsonl:gemini" and quar[2] == "the call failed: 429: Resource has been exhausted (e.g. check quota)."
    resp = [{"id": "r1", "object": "response", "status": "completed", "model": "gpt-4.1", "input": "Hello",
             "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hi"}]}]},
            {"id": "r2", "object": "response", "status": "failed", "model": "gpt-4.1", "input": "Hello", "output": [],
             "error": {"code": "server_error", "message": "The model failed to generate a response."}},
            {"id": "r3", "object": "response", "status": "completed", "model": "gpt-4.1", "output": []}]
    _, fmt, _, quar = _ingest(project, tmp_path, resp, "responses.jsonl")
    assert fmt == "jsonl:responses" and quar[2] == "the call failed: server_error: The model failed to generate a response."
    assert "fetch its /input_items" in quar[3]


def test_anthropic_tool_results_are_tool_messages_and_gemini_function_responses_too(project, tmp_path):
    msgs = [{"role": "user", "content": "Where is A-7?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "get_order", "input": {"id": "A-7"}},
                                              {"type": "tool_use", "id": "t2", "name": "get_eta", "input": {"id": "A-7"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "shipped"},
                                         {"type": "tool_result", "tool_use_id": "t2", "content": [{"type": "text", "text": "DB timeout"}],
                                          "is_error": True},
                                         {"type": "text", "text": "Also, when will it arrive?"}]}]
    row = {"request": {"model": "claude-haiku-4-5", "max_tokens": 100, "messages": msgs},
           "response": {"id": "m", "type": "message", "role": "assistant", "stop_reason": "end_turn",
                        "content": [{"type": "text", "text": "It shipped", "citations": [{"type": "web_search_result_location"}]},
                                    {"type": "text", "text": "; the arrival time is not known yet."}]}}
    _, _, (r,), _ = _ingest(project, tmp_path, [row], "anthropic.jsonl")
    assert [(m["role"], m["content"]) for m in r["messages"]] == [
        ("user", "Where is A-7?"), ("assistant", '[tool_call get_order {"id":"A-7"}]\n[tool_call get_eta {"id":"A-7"}]'),
        ("tool", "shipped"), ("tool", "[error] DB timeout"), ("user", "Also, when will it arrive?")]
    assert r["output"] == "It shipped; the arrival time is not known yet."  # cited text blocks are one text again
    gem = {"request": {"contents": [{"role": "user", "parts": [{"text": "Weather in Rome?"}]},
                                    {"role": "model", "parts": [{"functionCall": {"name": "weather", "args": {"city": "Rome"}}}]},
                                    {"role": "user", "parts": [{"functionResponse": {"name": "weather", "response": {"temp": 22}}}]}]},
           "response": {"candidates": [{"content": {"role": "model", "parts": [{"text": "22C in Rome."}]}, "finishReason": "STOP"}]}}
    _, _, recs, _ = _ingest(project, tmp_path, [gem], "gemini.jsonl")
    g = [r for r in recs if r["output"] == "22C in Rome."][0]
    assert [m["role"] for m in g["messages"]] == ["user", "assistant", "tool"]


def test_answers_that_are_not_in_content(project, tmp_path):
    def choice(msg, finish="stop"):
        return {"request": ASK, "response": {**OK, "choices": [{"index": 0, "message": {"role": "assistant", **msg}, "finish_reason": finish}]}}

    def chunks(*deltas):
        return "".join("data: " + json.dumps({"id": "s", "object": "chat.completion.chunk", "model": "gpt-4o",
                                             "choices": [{"index": 0, "delta": d}]}) + "\n\n" for d in deltas) + "data: [DONE]\n\n"

    azure_first = "data: " + json.dumps({"choices": [], "object": "", "prompt_filter_results": [{"prompt_index": 0}]}) + "\n\n"
    rows = [choice({"content": None, "refusal": "I can't help with that."}),
            choice({"content": None, "audio": {"id": "a1", "data": "AAA=", "transcript": "It is a dog barking."}}),
            choice({"content": None, "function_call": {"name": "get_forecast", "arguments": "{\"city\":\"Oslo\"}"}}, "function_call"),
            choice({"content": None, "tool_calls": [{"id": "c1", "type": "custom", "custom": {"name": "code_exec", "input": "print('hi')"}}]}),
            {"request": {**ASK, "stream": True}, "response": chunks({"role": "assistant", "audio": {"transcript": "Hi "}},
                                                                     {"audio": {"transcript": "there!"}})},
            {"request": {**ASK, "stream": True}, "response": chunks({"function_call": {"name": "f", "arguments": ""}},
                                                                     {"function_call": {"arguments": "{\"a\":1}"}})},
            {"request": {**ASK, "stream": True}, "response": azure_first + chunks({"role": "assistant", "content": "Hel"}, {"content": "lo"})},
            {"request": ASK, "response": {**OK, "usage": {"prompt_tokens": 3, "completion_tokens": 1, "cost": 0.00042}}}]
    s, fmt, recs, _ = _ingest(project, tmp_path, rows)
    outs = sorted(r["output"] for r in recs)
    assert fmt == "jsonl:openai" and s.kept == 8
    assert outs == sorted(["I can't help with that.", "It is a dog barking.", '[tool_call get_forecast {"city":"Oslo"}]',
                           "[tool_call code_exec print('hi')]", "Hi there!", '[tool_call f {"a":1}]', "Hello", "hello"])
    assert [r["cost_usd"] for r in recs if r["output"] == "hello"] == [0.00042]  # OpenRouter's usage.cost


def test_gemini_blocked_prompts_and_sdk_saved_responses(project, tmp_path):
    ask = {"contents": [{"role": "user", "parts": [{"text": "something blocked"}]}]}
    rows = [{"request": ask, "response": {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 5},
                                          "modelVersion": "gemini-2.5-flash"}},
            {"request": {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]},  # google-genai's to_json_dict(): snake_case
             "response": {"candidates": [{"content": {"role": "model", "parts": [{"text": "hello"}]}, "finish_reason": "STOP"}],
                          "usage_metadata": {"prompt_token_count": 2, "candidates_token_count": 1}, "model_version": "gemini-2.5-flash",
                          "create_time": "2026-11-01T09:00:00Z", "response_id": "resp-9"}}]
    s, fmt, recs, _ = _ingest(project, tmp_path, rows, "gemini.jsonl")
    assert fmt == "jsonl:gemini" and s.kept == 2
    blocked = [r for r in recs if r["output"] is None][0]
    assert blocked["meta"]["finish_reason"] == "PROMPT_BLOCKED:SAFETY" and blocked["tokens_in"] == 5
    sdk = [r for r in recs if r["output"] == "hello"][0]
    assert (sdk["model"], sdk["tokens_in"], sdk["tokens_out"], sdk["meta"]["finish_reason"], sdk["meta"]["response_id"]) == (
        "gemini-2.5-flash", 2, 1, "STOP", "resp-9")
    assert sdk["ts"].isoformat().startswith("2026-11-01T09:00:00")


def test_token_counts_mean_the_same_across_providers(project, tmp_path):
    """Anthropic counts cached prompt tokens apart from input_tokens and Gemini the thinking
    apart from the answer: the record's counts hold them, as OpenAI's do, and say their part."""
    anth = {"request": {"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]},
            "response": {"id": "m", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "hello"}],
                         "stop_reason": "end_turn", "usage": {"input_tokens": 20, "cache_creation_input_tokens": 1500,
                                                              "cache_read_input_tokens": 300, "output_tokens": 9}}}
    gem = {"request": {"contents": [{"role": "user", "parts": [{"text": "think"}]}]},
           "response": {"candidates": [{"content": {"role": "model", "parts": [{"text": "done"}]}, "finishReason": "STOP"}],
                        "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 10, "thoughtsTokenCount": 120}}}
    oai = {"request": ASK, "response": {**OK, "usage": {"prompt_tokens": 50, "completion_tokens": 110,
                                                        "prompt_tokens_details": {"cached_tokens": 40},
                                                        "completion_tokens_details": {"reasoning_tokens": 100}}}}
    litellm_embed = {"id": "e1", "call_type": "aembedding", "model": "text-embedding-3-small", "messages": "chair",
                     "response": {"data": [{"embedding": [0.1]}]}, "startTime": 1793520000, "endTime": 1793520001}
    _ingest(project, tmp_path, [anth], "anthropic.jsonl")
    _ingest(project, tmp_path, [gem], "gemini.jsonl")
    s, _, recs, _ = _ingest(project, tmp_path, [oai, litellm_embed], "openai.jsonl")
    by_model = {r["model"]: r for r in recs}
    a, g, o = by_model["claude-sonnet-4-5"], by_model[None], by_model["gpt-4o"]
    assert (a["tokens_in"], a["tokens_out"], a["meta"]["cache_write_tokens"], a["meta"]["cache_read_tokens"]) == (1820, 9, 1500, 300)
    assert (g["tokens_in"], g["tokens_out"], g["meta"]["reasoning_tokens"]) == (4, 130, 120)
    assert (o["tokens_in"], o["tokens_out"], o["meta"]["cache_read_tokens"], o["meta"]["reasoning_tokens"]) == (50, 110, 40, 100)
    assert s.skipped == 1 and s.quarantined == 0  # the embedding call is no chat: skipped


def test_who_asked_and_mcp_calls_are_kept(project, tmp_path):
    pair = {"request": {**ASK, "user": "cust-42", "service_tier": "flex", "functions": [{"name": "f"}]}, "response": OK}
    resp = {"id": "r1", "object": "response", "status": "completed", "model": "gpt-4.1", "input": "Ask the wiki",
            "output": [{"type": "mcp_list_tools", "server_label": "wiki", "tools": [{"name": "ask_question"}]},
                       {"type": "mcp_call", "name": "ask_question", "arguments": "{\"q\":\"x\"}", "server_label": "wiki"},
                       {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Done."}]}]}
    _, _, (r,), _ = _ingest(project, tmp_path, [pair])
    assert (r["meta"]["user"], r["meta"]["service_tier"], r["meta"]["tools"]) == ("cust-42", "flex", [{"name": "f"}])
    _, _, recs, _ = _ingest(project, tmp_path, [resp], "responses.jsonl")
    assert [x["output"] for x in recs if x["model"] == "gpt-4.1"] == ['[tool_call ask_question {"q":"x"}]\nDone.']


def test_cloudflare_ai_gateway_logpush_events(project, tmp_path):
    base = {"Cached": False, "Endpoint": "chat/completions", "Gateway": "my-gw", "Metadata": {"user": "u-9"},
            "Metrics": {"cost": 1.23e-05, "durationMs": 640}, "Model": "gpt-4o-mini", "Provider": "openai",
            "RequestedModel": "gpt-4o-mini", "StatusCode": 200, "Timestamp": 1793520000}
    rows = [{**base, "RequestBody": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "What is 2+2?"}]}, "ResponseBody": OK},
            {**base, "RequestBody": {"type": "encrypted", "data": "aGVsbG8="}, "ResponseBody": {"type": "encrypted", "data": "aGVsbG8="}},
            {**base, "StatusCode": 429, "RequestBody": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]},
             "ResponseBody": {"error": {"message": "Rate limit reached"}}}]
    s, fmt, (r,), quar = _ingest(project, tmp_path, rows, "gateway.jsonl")
    assert fmt == "jsonl:cloudflare" and (s.kept, s.quarantined) == (1, 2)
    assert (r["output"], r["latency_ms"], r["cost_usd"], r["meta"]["user"], r["meta"]["gateway"]) == ("hello", 640.0, 1.23e-05, "u-9", "my-gw")
    assert "decrypt them" in quar[2] and quar[3] == "the call failed with HTTP 429: Rate limit reached"


def test_litellm_logs_of_responses_api_calls(project, tmp_path):
    row = {"id": "resp_ll", "call_type": "aresponses", "status": "success", "startTime": 1793520000.1, "endTime": 1793520001.6,
           "model": "gpt-4.1", "response_cost": 0.00021, "prompt_tokens": 20, "completion_tokens": 10,
           "messages": [{"role": "user", "content": "Tell me a bedtime story"}], "model_parameters": {"temperature": 0.2},
           "response": {"id": "resp_ll", "object": "response", "status": "completed", "model": "gpt-4.1-2025-04-14",
                        "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Once upon a time..."}]}],
                        "usage": {"input_tokens": 10, "output_tokens": 5}}}
    _, fmt, (r,), _ = _ingest(project, tmp_path, [row], "litellm.jsonl")
    assert fmt == "jsonl:openai" and (r["output"], r["tokens_in"], r["cost_usd"], r["meta"]["params"]) == (
        "Once upon a time...", 10, 0.00021, {"temperature": 0.2})


def test_responses_input_items_of_every_kind(project, tmp_path):
    row = {"id": "r", "object": "response", "status": "completed", "model": "gpt-4.1",
           "input": [{"role": "user", "content": "Click the button"},
                     {"type": "computer_call", "call_id": "c1", "action": {"type": "click"}},
                     {"type": "computer_call_output", "call_id": "c1", "output": {"type": "computer_screenshot", "image_url": "x"}},
                     {"type": "mcp_approval_response", "approve": True, "approval_request_id": "a1"},
                     {"type": "item_reference", "id": "msg_1"}],
           "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Done."}]}]}
    _, _, (r,), _ = _ingest(project, tmp_path, [row], "responses.jsonl")
    assert [m["role"] for m in r["messages"]] == ["user", "assistant", "tool", "user", "user"]
    assert r["messages"][2]["content"] == '{"image_url":"x","type":"computer_screenshot"}' and r["messages"][3]["content"] == "[mcp_approval_response]"
