"""Every supported format, from the synthetic fixtures in tests/fixtures/ingest."""

import json

import pytest

from assay.errors import InputError
from assay.ingest import detect_format, ingest
from tests.ingest.conftest import stored


def _by_user(recs, text):
    return next(r for r in recs if any(text in m["content"] for m in r["messages"]))


def test_openai_logs_tools_multimodal_usage_feedback(project, fixtures):
    s = ingest(project, [str(fixtures / "openai.jsonl")])
    assert s.formats[str(fixtures / "openai.jsonl")] == "jsonl:openai"
    assert (s.kept, s.quarantined) == (3, 1)
    recs, quar = stored(project)
    r = _by_user(recs, "Where is my order")
    assert [m["role"] for m in r["messages"]] == ["system", "user", "assistant", "tool", "user"]
    assert r["messages"][2]["content"] == '[tool_call get_order {"order_id": "A-48213"}]'
    assert "<EMAIL_" in r["messages"][1]["content"] and "jane.roe" not in r["messages"][1]["content"]
    assert (r["model"], r["tokens_in"], r["tokens_out"], r["latency_ms"]) == ("gpt-4o-mini-2024-07-18", 182, 12, 843.5)
    assert r["meta"]["response_format"] == {"type": "json_object"}
    assert r["meta"]["tools"][0]["function"]["name"] == "get_order"
    assert r["meta"]["params"] == {"temperature": 0.2} and r["meta"]["locale"] == "en-GB"
    assert r["feedback"]["thumb"] == "up"
    mm = _by_user(recs, "broken in this photo")
    assert mm["messages"][0]["content"].endswith("[image]")
    assert mm["output"] == "[tool_call get_order {}]"
    assert mm["feedback"]["rating"] == 2 and "<PHONE_" in mm["feedback"]["comment"]
    assert mm["feedback"]["edit"] == "The hinge is cracked." and mm["meta"]["user_segment"] == "pro"
    assert quar[0]["line"] == 4 and "response.choices" in quar[0]["reason"]


def test_anthropic_system_tool_use_and_image(project, fixtures):
    s = ingest(project, [str(fixtures / "anthropic.jsonl")])
    assert s.kept == 2 and s.formats[str(fixtures / "anthropic.jsonl")] == "jsonl:anthropic"
    recs, _ = stored(project)
    r = _by_user(recs, "Refund invoice")
    assert r["messages"][0] == {"role": "system", "content": "You are a billing assistant."}
    assert r["messages"][1]["content"].endswith("[image]")
    assert r["output"] == 'I\'ll start the refund.\n[tool_call refund {"invoice":"88-1203"}]'
    assert (r["tokens_in"], r["tokens_out"], r["meta"]["finish_reason"]) == (411, 57, "tool_use")
    multi = _by_user(recs, "Cancel my plan")
    assert [m["role"] for m in multi["messages"]] == ["user", "assistant", "user"]
    assert multi["ts"].year == 2026  # epoch milliseconds


def test_otel_genai_spans_three_styles_and_non_llm_spans_skipped(project, fixtures):
    s = ingest(project, [str(fixtures / "otel-export.json")])
    assert (s.kept, s.skipped, s.quarantined) == (3, 1, 1)
    recs, quar = stored(project)
    new = _by_user(recs, "Weather in Paris")
    assert new["messages"][0] == {"role": "system", "content": "You are a travel agent."}
    assert new["messages"][2]["content"] == '[tool_call get_weather {"city":"Paris"}]'
    assert new["output"] == "Rainy, 57°F." and new["latency_ms"] == pytest.approx(640.0)
    assert (new["model"], new["tokens_in"], new["tokens_out"]) == ("gpt-4o-2024-08-06", 97, 52)
    assert new["meta"]["service.name"] == "travel-bot"
    ev = _by_user(recs, "Reset my password")
    assert ev["output"] == "Link sent." and ev["tokens_in"] == 20 and ev["messages"][0]["role"] == "system"
    legacy = _by_user(recs, "Translate")
    assert legacy["output"] == "Hallo"
    assert "no prompt" in quar[0]["reason"]


def test_vercel_ai_sdk_spans_each_provider_call_once(project, fixtures):
    s = ingest(project, [str(fixtures / "vercel-ai-sdk.json")])
    # the generateText span around two steps, the tool execution and the embedding are skipped
    assert (s.kept, s.skipped, s.quarantined) == (4, 3, 1)
    recs, quar = stored(project)
    step1, step2 = sorted((r for r in recs if r["meta"].get("ai.telemetry.functionId") == "order-status"), key=lambda r: r["ts"])
    assert step1["messages"][0] == {"role": "system", "content": "You answer questions about orders. Use getOrder."}
    user = step1["messages"][1]["content"]
    assert user.startswith("Where is my order A-1042? Mail me at <EMAIL_") and user.endswith("\n[image]")
    assert step1["output"] == '[tool_call getOrder {"id":"A-1042"}]'
    assert (step1["model"], step1["tokens_in"], step1["tokens_out"], step1["latency_ms"]) == ("gpt-4o-mini-2024-07-18", 150, 14, 900.0)
    assert step1["meta"]["locale"] == "de-DE" and step1["meta"]["plan"] == "pro"  # experimental_telemetry.metadata
    assert step1["meta"]["tools"][0]["name"] == "getOrder" and "ai.prompt.messages" not in step1["meta"]
    assert [m["content"] for m in step2["messages"][2:]] == ['[tool_call getOrder {"id":"A-1042"}]', '{"status":"shipped"}']
    assert step2["output"] == "Your order A-1042 shipped yesterday."
    v4 = _by_user(recs, "Cancel order A-7")  # the spellings before v5: args, result, promptTokens
    assert v4["messages"][1]["content"] == 'Checking.\n[tool_call cancel {"id":"A-7"}]' and v4["messages"][2]["content"] == "cancelled"
    assert (v4["model"], v4["tokens_in"], v4["tokens_out"], v4["output"]) == ("claude-haiku-4-5", 80, 9, "Order A-7 is cancelled.")
    obj = _by_user(recs, "Classify")
    assert json.loads(obj["output"]) == {"category": "damage", "urgent": True}
    assert "recordInputs" in quar[0]["reason"] and quar[0]["reason"].startswith("span 8: ")
    assert '"spanId":"e000000000000001"' in quar[0]["raw"] and "resourceSpans" not in quar[0]["raw"]  # the span, not the export


def test_spans_one_a_line_skip_what_is_no_model_call(project, tmp_path):
    f = tmp_path / "spans.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"traceId": "t1", "spanId": "s1", "name": "GET /api", "attributes": {"http.method": "GET"}},
        {"traceId": "t1", "spanId": "s2", "name": "chat", "startTimeUnixNano": "1793520000000000000",
         "attributes": {"gen_ai.operation.name": "chat", "gen_ai.request.model": "m",
                        "gen_ai.input.messages": json.dumps([{"role": "user", "content": "hi"}])}},
        {"traceId": "t1", "spanId": "s3", "name": "ai.toolCall", "attributes": {"ai.operationId": "ai.toolCall"}},
    ]) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (1, 2, 0)


def test_generic_rows_with_ai_sdk_message_parts(project, tmp_path):
    f = tmp_path / "app.jsonl"
    f.write_text(json.dumps({"messages": [
        {"role": "user", "content": [{"type": "text", "text": "Stock of boots?"}]},
        {"role": "assistant", "content": [{"type": "reasoning", "text": "look it up"}, {"type": "tool-call", "toolCallId": "1", "toolName": "stock", "input": {"sku": "B2"}}]},
        {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "1", "toolName": "stock", "output": {"type": "content", "value": [{"type": "text", "text": "4 left"}]}}]},
        {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "2", "toolName": "stock", "output": {"type": "error-text", "value": "timeout"}}]},
    ], "output": "4 pairs left."}) + "\n")
    assert ingest(project, [str(f)]).kept == 1
    (r,), _ = stored(project)
    assert [m["content"] for m in r["messages"][1:]] == ['[tool_call stock {"sku":"B2"}]', "4 left", "timeout"]


def test_langfuse_observations_and_traces(project, fixtures):
    s = ingest(project, [str(fixtures / "langfuse-observations.json"), str(fixtures / "langfuse-traces.jsonl")])
    assert (s.kept, s.skipped) == (3, 1)
    recs, _ = stored(project)
    g = _by_user(recs, "Invoice total")
    assert (g["tokens_in"], g["tokens_out"], g["cost_usd"], g["latency_ms"]) == (40, 9, 0.00021, 1250.0)
    assert g["output"] == "It was 1,299.00 EUR." and g["meta"]["locale"] == "de-DE"
    assert _by_user(recs, "Summarise")["latency_ms"] == pytest.approx(800.0)
    t = _by_user(recs, "ship to Norway")
    assert t["feedback"] == {"thumb": "down", "rating": None, "comment": "too slow", "edit": None}


def test_a_langfuse_trace_with_its_observations_gives_its_generations(project, fixtures, tmp_path):
    """The UI's trace download (the API's trace with full details) is read whole: each
    generation is a record with the trace's user, session, tags and metadata, and the
    scores given to it or to the whole trace; other observations are skipped."""
    f = fixtures / "langfuse-trace-download.json"
    s = ingest(project, [str(f)])
    assert s.formats[str(f)] == "json:langfuse" and (s.kept, s.skipped, s.quarantined) == (2, 1, 0)
    recs, _ = stored(project)
    by_out = {r["output"]: r for r in recs}
    classify, answer = by_out["address_change"], by_out["Yes, until it ships."]
    assert (classify["output"], classify["model"], classify["tokens_in"]) == ("address_change", "gpt-4o-mini", 14)
    assert classify["feedback"] == {"thumb": "up", "rating": 4.0, "comment": "quick answer", "edit": None}
    assert answer["feedback"] == {"thumb": "up", "rating": None, "comment": "quick answer", "edit": None}
    for r in (classify, answer):
        m = r["meta"]
        assert (m["userId"], m["sessionId"], m["tags"], m["plan"], m["release"], m["trace_name"]) == (
            "user-5", "sess-12", ["support", "eu"], "pro", "v2.3.0", "support-chat")
    assert answer["meta"]["locale"] == "en-GB" and answer["latency_ms"] == 1000.0
    # a trace whose observations are ids (the traces list) is still one record of its own input and output
    listed = {k: v for k, v in json.loads(f.read_text()).items()}
    listed["observations"] = ["obs-31", "obs-32", "obs-33"]
    listed["scores"] = ["sc-1", "sc-2"]
    g = tmp_path / "traces.jsonl"
    g.write_text(json.dumps(listed) + "\n")
    s = ingest(project, [str(g)])
    assert (s.kept, s.skipped) == (1, 0) and _by_user(stored(project)[0], "delivery address")["output"] is not None


def test_langfuse_generations_of_every_input_and_output_form(project, tmp_path):
    """Generation inputs and outputs as SDKs and integrations log them: messages, a dict with
    messages, a string, an app's arguments (``{"question": ...}``), a completion's
    ``{"prompt": ...}``/``{"text": ...}``; a generation that failed (level ERROR, no output)
    is quarantined with its status message."""
    base = {"traceId": "t1", "type": "GENERATION", "startTime": "2026-11-01T10:00:00.000Z", "endTime": "2026-11-01T10:00:01.500Z",
            "model": "gpt-4o", "usageDetails": {"input": 10, "output": 5}, "level": "DEFAULT"}
    rows = [
        {**base, "id": "o1", "input": [{"role": "user", "content": "list input"}], "output": {"role": "assistant", "content": "dict output"}},
        {**base, "id": "o2", "input": {"messages": [{"role": "user", "content": "messages in dict"}]}, "output": "string output"},
        {**base, "id": "o3", "input": {"question": "app args", "user_id": "u1"}, "output": {"answer": "app answer"}},
        {**base, "id": "o4", "input": {"prompt": "completion prompt"}, "output": {"text": "completion text"}},
        {**base, "id": "o5", "input": [{"role": "user", "content": "failed"}], "output": None, "level": "ERROR", "statusMessage": "Rate limit"},
    ]
    f = tmp_path / "obs.json"
    f.write_text(json.dumps({"data": rows, "meta": {"page": 1}}))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (4, 1) and s.formats[str(f)] == "json:langfuse"
    recs, quar = stored(project)
    assert [(_by_user(recs, t)["output"]) for t in ("list input", "messages in dict", "app args", "completion prompt")] == [
        "dict output", "string output", "app answer", "completion text"]
    assert _by_user(recs, "app args")["meta"]["input_args"] == {"user_id": "u1"}
    assert quar[0]["reason"] == "the call failed (level ERROR): Rate limit"


def test_langsmith_wrapped_anthropic_usage_metadata_and_failed_runs(project, tmp_path):
    base = {"run_type": "llm", "start_time": "2026-11-01T14:00:00Z", "end_time": "2026-11-01T14:00:01Z"}
    rows = [
        {**base, "id": "r1", "name": "ChatAnthropic", "inputs": {"messages": [{"role": "user", "content": "anthropic wrapped"}]},
         "outputs": {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
                                                      {"type": "tool_use", "id": "t", "name": "get_order", "input": {"id": 1}}],
                     "usage_metadata": {"input_tokens": 11, "output_tokens": 6}}},
        {**base, "id": "r2", "inputs": {"messages": [{"role": "user", "content": "timed out"}]}, "outputs": None,
         "error": "APITimeoutError('Request timed out.')\nTraceback (most recent call last): ..."},
    ]
    f = tmp_path / "runs.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (1, 1)
    recs, quar = stored(project)
    assert (recs[0]["output"], recs[0]["tokens_in"], recs[0]["tokens_out"]) == ('Checking.\n[tool_call get_order {"id":1}]', 11, 6)
    assert quar[0]["reason"] == "the run failed: APITimeoutError('Request timed out.')"


def test_phoenix_json_and_parquet(project, fixtures):
    s = ingest(project, [str(fixtures / "phoenix-spans.jsonl"), str(fixtures / "phoenix-spans.parquet")])
    assert (s.kept, s.skipped) == (5, 1)
    assert s.formats[str(fixtures / "phoenix-spans.parquet")] == "parquet:phoenix"
    recs, _ = stored(project)
    r = _by_user(recs, "package never arrived")
    assert (r["output"], r["model"], r["tokens_in"], r["latency_ms"]) == ("delivery_issue", "gpt-4o-mini", 25, 2000.0)
    assert _by_user(recs, "Hi there")["output"] == "Hello!"
    assert _by_user(recs, "pq span 2")["output"] == "reply 2"


def test_phoenix_dataframe_messages_with_tool_calls_and_content_parts_as_lists(project, tmp_path):
    """Phoenix's spans dataframe and Arize's span export hold a message's tool calls and
    content parts as lists of flattened dicts; annotations exported beside a span are kept."""
    msgs = [{"message.role": "user", "message.contents": [{"message_content.type": "text", "message_content.text": "Where is A-1?"},
                                                          {"message_content.type": "image"}]},
            {"message.role": "assistant", "message.content": None,
             "message.tool_calls": [{"tool_call.id": "c1", "tool_call.function.name": "get_order",
                                     "tool_call.function.arguments": '{"id": "A-1"}'}]},
            {"message.role": "tool", "message.content": '{"status": "shipped"}'}]
    row = {"context.span_id": "s1", "span_kind": "LLM", "start_time": 1793697262512, "end_time": 1793697263423,
           "status_code": "OK", "attributes.llm.model_name": "gpt-4o-mini", "attributes.llm.input_messages": msgs,
           "attributes.llm.output_messages": [{"message.role": "assistant", "message.content": None, "message.tool_calls": [
               {"tool_call.function.name": "notify", "tool_call.function.arguments": '{"to": "user"}'}]}],
           "annotation.correctness.label": "correct"}
    f = tmp_path / "spans.jsonl"
    f.write_text(json.dumps(row) + "\n")
    assert ingest(project, [str(f)]).kept == 1
    rec = stored(project)[0][0]
    assert [m["content"] for m in rec["messages"]] == ["Where is A-1?\n[image]", '[tool_call get_order {"id": "A-1"}]', '{"status": "shipped"}']
    assert rec["output"] == '[tool_call notify {"to": "user"}]' and rec["meta"]["annotation.correctness.label"] == "correct"


def test_phoenix_raw_response_output_failed_spans_and_app_metadata(project, tmp_path):
    base = {"span_kind": "LLM", "start_time": "2026-11-01T12:00:00+00:00", "end_time": "2026-11-01T12:00:01+00:00", "status_code": "OK"}
    resp = {"id": "c1", "choices": [{"message": {"role": "assistant", "content": "from the raw response"}}]}
    rows = [
        {**base, "context": {"span_id": "a"}, "attributes": {"input": {"value": json.dumps({"messages": [{"role": "user", "content": "raw q"}]})},
                                                             "output": {"value": json.dumps(resp), "mime_type": "application/json"},
                                                             "metadata": json.dumps({"locale": "fr-FR"})}},
        {**base, "context": {"span_id": "b"}, "attributes": {"input": {"value": "json mode q"}, "output": {"value": '{"intent": "refund"}'}}},
        {**base, "context": {"span_id": "c"}, "status_code": "ERROR", "status_message": "RateLimitError: 429",
         "attributes": {"input": {"value": "failed q"}}},
    ]
    f = tmp_path / "spans.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (2, 1)
    recs, quar = stored(project)
    raw = _by_user(recs, "raw q")
    assert raw["output"] == "from the raw response" and raw["meta"]["locale"] == "fr-FR" and "metadata" not in raw["meta"]
    assert _by_user(recs, "json mode")["output"] == '{"intent": "refund"}'  # a JSON answer as written
    assert quar[0]["reason"] == "the call failed: RateLimitError: 429"


def test_langsmith_runs(project, fixtures):
    s = ingest(project, [str(fixtures / "langsmith-runs.jsonl")])
    assert (s.kept, s.skipped) == (2, 1)
    recs, _ = stored(project)
    r = _by_user(recs, "Vegan lasagne")
    assert [m["role"] for m in r["messages"]] == ["system", "user"]
    assert r["output"].endswith('[tool_call search_recipes {"q":"vegan lasagne"}]')
    assert (r["model"], r["tokens_in"], r["cost_usd"], r["feedback"]["thumb"]) == ("gpt-4o-mini", 31, 0.00005, "up")
    assert _by_user(recs, "2+2?")["output"] == "4"


def test_braintrust_logs(project, fixtures):
    s = ingest(project, [str(fixtures / "braintrust-logs.jsonl")])
    assert s.formats[str(fixtures / "braintrust-logs.jsonl")] == "jsonl:braintrust"
    assert (s.kept, s.skipped, s.quarantined) == (3, 2, 1)  # the task and tool spans are no model call
    recs, quar = stored(project)
    first, second, responses = recs
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert first["output"] == '[tool_call get_order {"order_id":"NW-3319"}]'
    assert (first["model"], first["tokens_in"], first["tokens_out"], first["latency_ms"]) == ("gpt-4o-mini", 75, 18, 900.0)
    assert first["meta"]["temperature"] == 0.2 and first["meta"]["trace_id"] == "sp-1" and first["meta"]["span_name"] == "Chat Completion"
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "tool"]
    assert second["output"] == "Yes: it shipped on Monday."
    assert second["labels"] == {"expected": "Yes, it shipped on Monday."} and second["meta"]["scores"] == {"user_thumb": 1}
    assert str(second["ts"]) == "2026-11-03 09:00:04"
    assert [(m["role"], m["content"]) for m in responses["messages"]] == [("system", "Answer briefly."), ("user", "Opening hours in Lyon?")]
    assert (responses["output"], responses["model"]) == ("9:00 to 18:00, Monday to Saturday.", "gpt-4.1-mini")
    assert [(q["line"], q["reason"]) for q in quar] == [(6, "the model call failed: RateLimitError: 429 Too Many Requests")]


def test_weave_calls(project, fixtures):
    s = ingest(project, [str(fixtures / "weave-calls.jsonl")])
    assert s.formats[str(fixtures / "weave-calls.jsonl")] == "jsonl:weave"
    assert (s.kept, s.skipped, s.quarantined) == (2, 2, 1)  # the app's own op and the tool op are no model call
    recs, quar = stored(project)
    chat, claude = recs
    assert [(m["role"], m["content"]) for m in chat["messages"]][1] == ("user", "Where is NW-4410?")
    assert (chat["output"], chat["model"], chat["tokens_in"], chat["latency_ms"]) == ("It is out for delivery.", "gpt-4o-mini-2024-07-18", 41, 750.0)
    assert str(chat["ts"]) == "2026-11-04 14:00:02"  # started_at, not the completion's created
    assert (chat["meta"]["op"], chat["meta"]["trace_id"], chat["meta"]["source_id"]) == ("openai.chat.completions.create", "0193-trace-1", "0193-call-2")
    assert "self" not in chat["meta"] and chat["meta"]["params"] == {"temperature": 0}
    assert [(m["role"], m["content"]) for m in claude["messages"]] == [("system", "Be brief."), ("user", "Do you sell helmets for kids?")]
    assert (claude["output"], claude["model"], claude["tokens_out"]) == ("Yes, from size XS.", "claude-haiku-4-5-20251001", 8)
    assert [(q["line"], q["reason"]) for q in quar] == [(5, "the model call failed: openai.APITimeoutError: Request timed out.")]


def test_helicone_requests(project, fixtures):
    s = ingest(project, [str(fixtures / "helicone-requests.jsonl")])
    assert s.formats[str(fixtures / "helicone-requests.jsonl")] == "jsonl:helicone"
    assert (s.kept, s.quarantined) == (2, 2)
    recs, quar = stored(project)
    chat, claude = recs
    assert (chat["messages"][0]["content"], chat["output"], chat["model"]) == ("Has NW-8812 shipped?", "Yes, on Tuesday.", "gpt-4o-mini-2024-07-18")
    assert (chat["latency_ms"], chat["tokens_in"], chat["cost_usd"], chat["feedback"]["thumb"]) == (870.0, 52, 0.0000144, "up")
    assert (chat["meta"]["Environment"], chat["meta"]["Feature"], chat["meta"]["source_id"]) == ("production", "order-status", "hc-1")
    assert str(chat["ts"]) == "2026-11-05 08:00:01"
    assert [(m["role"], m["content"]) for m in claude["messages"]] == [("system", "Be brief."), ("user", "Do you rent e-bikes?")]
    assert (claude["output"], claude["model"], claude["tokens_out"]) == ("Not yet.", "claude-haiku-4-5-20251001", 4)
    assert [(q["line"], q["reason"]) for q in quar] == [
        (3, "the request failed with HTTP 429: Rate limit reached for gpt-4o-mini"),
        (4, "no request_body: the export holds no prompts; export again with --include-body"),
    ]


@pytest.mark.parametrize("name", ["generic-array.json", "generic.jsonl.gz", "generic.jsonl.zst"])
def test_containers_give_the_same_records(project, fixtures, name):
    s = ingest(project, [str(fixtures / name)])
    assert s.kept == 6
    recs, _ = stored(project)
    assert {r["model"] for r in recs} == {"m-small", "m-large"} and recs[0]["meta"]["feature"] == "faq"


def test_same_rows_in_different_containers_are_duplicates(project, fixtures):
    ingest(project, [str(fixtures / "generic-array.json")])
    again = ingest(project, [str(fixtures / "generic.jsonl.gz")])
    assert (again.kept, again.duplicates) == (0, 6)


def test_csv_and_tsv(project, fixtures):
    s = ingest(project, [str(fixtures / "generic.csv"), str(fixtures / "generic.tsv")])
    assert (s.kept, s.quarantined) == (4, 2)
    recs, quar = stored(project)
    de = _by_user(recs, "Rechnung")
    assert de["messages"][0]["role"] == "system" and de["meta"]["locale"] == "de-DE"
    assert _by_user(recs, "pay by invoice")["feedback"]["thumb"] == "up"
    assert [(q["line"], q["reason"].split(":")[0]) for q in quar] == [(4, "missing required field"), (5, "latency_ms")]


def test_mapping_on_parquet(project, fixtures):
    s = ingest(project, [str(fixtures / "custom.parquet")], mapping="input=request.messages,output=response.text,ts=started_at,model=engine")
    assert s.kept == 5
    recs, _ = stored(project)
    assert recs[0]["output"].startswith("parquet answer") and recs[0]["model"] == "m-pq" and recs[0]["meta"] == {"env": "prod"}


def test_mapping_errors_are_clear(project, fixtures):
    with pytest.raises(InputError, match="not a record field"):
        ingest(project, [str(fixtures / "custom.parquet")], mapping="question=request.messages")
    s = ingest(project, [str(fixtures / "custom.parquet")], mapping="input=request.nope")
    assert s.quarantined == 5


def test_format_can_be_forced_and_unknown_names_are_explained(project, fixtures):
    s = ingest(project, [str(fixtures / "openai.jsonl")], format="jsonl:generic")
    assert s.kept == 1  # only the flat row has top-level messages
    with pytest.raises(InputError, match="unknown log shape"):
        ingest(project, [str(fixtures / "openai.jsonl")], format="jsonl:nope")
    with pytest.raises(InputError, match="unknown --format 'xml'"):
        ingest(project, [str(fixtures / "openai.jsonl")], format="xml")
    with pytest.raises(InputError, match="unknown file format 'xml'"):
        ingest(project, [str(fixtures / "openai.jsonl")], format="xml:openai")


def test_ambiguous_rows_ask_for_format(project, tmp_path):
    f = tmp_path / "weird.jsonl"
    f.write_text('{"run_type": "llm", "inputs": {}, "span_kind": "LLM"}\n')
    with pytest.raises(InputError, match="more than one log shape") as exc:
        ingest(project, [str(f)])
    assert "weird.jsonl:1" in str(exc.value) and "--format" in str(exc.value)


def test_detect_format_by_content(tmp_path, fixtures):
    (tmp_path / "a.log").write_text('{"messages": "hi"}\n{"messages": "yo"}\n')
    (tmp_path / "b.log").write_text('[{"messages": "hi"}]')
    (tmp_path / "c.log").write_text("input,output\nhi,yo\n")
    assert [detect_format(tmp_path / n) for n in ("a.log", "b.log", "c.log")] == ["jsonl", "json", "csv"]
    assert detect_format(fixtures / "otel-export.json") == "json"
    (tmp_path / "d.bin").write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="cannot tell the file format"):
        detect_format(tmp_path / "d.bin")
    # JSON Lines whose first line is broken (a log cut at its start) is told by the lines after it;
    # a pretty-printed document, some of whose lines are whole objects, is not taken for it
    rows = "".join(json.dumps({"messages": f"q{i}"}) + "\n" for i in range(5))
    (tmp_path / "e.log").write_text('{"messages": "cut o\n' + rows)
    pretty = {"messages": [{"role": "user", "content": "hi"}], "output": "yo", "meta": {"a": 1}, "tags": [{"k": "v"}]}
    (tmp_path / "f.log").write_text(json.dumps(pretty, indent=2).replace('{\n      "role": "user",\n      "content": "hi"\n    }',
                                                                          '{"role": "user", "content": "hi"}'))
    assert '{"role": "user", "content": "hi"}\n' in (tmp_path / "f.log").read_text()
    assert [detect_format(tmp_path / n) for n in ("e.log", "f.log")] == ["jsonl", "json"]


def test_a_one_line_export_wrapper_is_read_as_its_rows(project, tmp_path):
    """``json.dump({"data": rows}, f)`` writes one line: its rows are the wrapper's items,
    not one row with a ``data`` field. A JSONL file whose rows hold lists stays JSONL."""
    rows = [{"messages": [{"role": "user", "content": f"q{i}"}], "output": "a"} for i in range(4)]
    (tmp_path / "export.json").write_text(json.dumps({"data": rows, "meta": {"page": 1}}))
    (tmp_path / "noext").write_text(json.dumps({"items": rows}) + "\n")
    (tmp_path / "rows.json").write_text("".join(json.dumps({**r, "spans": [1]}) + "\n" for r in rows))
    (tmp_path / "one.json").write_text(json.dumps(rows[0]))
    assert [detect_format(tmp_path / n) for n in ("export.json", "noext", "rows.json", "one.json")] == ["json", "json", "jsonl", "jsonl"]
    s = ingest(project, [str(tmp_path / "export.json"), str(tmp_path / "noext")])
    assert (s.kept, s.duplicates, s.quarantined) == (4, 4, 0)
    s = ingest(project, [str(tmp_path / "export.json")], force=True)
    assert (s.kept, s.duplicates, s.quarantined) == (0, 4, 0)


def test_parquet_rows_are_json_safe_with_or_without_the_cleaning_walk(tmp_path):
    """Plain Arrow types skip the walk that makes values JSON-safe; others still get it."""
    import datetime as dt
    import decimal

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from assay.ingest._formats import _arrow_plain, read_parquet, to_plain

    plain = [{"s": "a", "i": 1, "f": 0.5, "b": True, "n": None, "ts": dt.datetime(2026, 11, 1, 10, tzinfo=dt.timezone.utc),
              "nested": {"msgs": [{"role": "user", "content": "hi"}], "k": [1, 2]}},
             {"s": None, "i": None, "f": None, "b": None, "n": None, "ts": None, "nested": None}]
    table = pa.Table.from_pylist(plain)
    assert all(_arrow_plain(f.type) for f in table.schema)
    pq.write_table(table, tmp_path / "plain.parquet")
    rows = [r for _, r in read_parquet(tmp_path / "plain.parquet")]
    assert rows == [to_plain(r) for r in table.to_pylist()] == plain

    odd = pa.table({
        "d": pa.array([decimal.Decimal("1.50")], pa.decimal128(5, 2)),
        "raw": pa.array([b"\x00\x01"], pa.binary()),
        "day": pa.array([dt.date(2026, 11, 1)], pa.date32()),
        "m": pa.array([[("a", 1)]], pa.map_(pa.string(), pa.int64())),
        "deep": pa.array([{"x": [decimal.Decimal("2")]}], pa.struct([("x", pa.list_(pa.decimal128(3, 0)))])),
    })
    assert not any(_arrow_plain(f.type) for f in odd.schema)
    pq.write_table(odd, tmp_path / "odd.parquet")
    (row,) = [r for _, r in read_parquet(tmp_path / "odd.parquet")]
    assert row == {"d": 1.5, "raw": "[binary 2 bytes]", "day": "2026-11-01", "m": [["a", 1]], "deep": {"x": [2.0]}}


def test_a_json_array_with_an_integer_beyond_64_bits_is_read_whole(project, tmp_path):
    items = [{"messages": [{"role": "user", "content": f"q{i}"}], "output": "a", "id_num": 2**70 if i == 3 else i}
             for i in range(6)]
    f = tmp_path / "big.json"
    f.write_text(json.dumps(items))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (6, 0)
    recs, _ = stored(project)
    assert sorted(r["meta"]["id_num"] for r in recs) == [0, 1, 2, 4, 5, float(2**70)]  # as orjson reads it in JSONL
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(items)[:-40])  # and still broken after the big integer: the break is quarantined
    s2 = ingest(project, [str(broken)])
    assert s2.quarantined == 1 and s2.kept + s2.duplicates == 5


@pytest.mark.parametrize("big_at", [(), (0,), (5,), (9,), (0, 1, 9), (2, 3, 4, 7)])
def test_parquet_rows_over_the_limit_become_bad_rows_in_place(monkeypatch, big_at):
    """Each row whose Arrow data is over the limit is a bad row at its own place, with its
    size and the start of its JSON text; every other row comes through as it is."""
    pa = pytest.importorskip("pyarrow")
    from assay.ingest import _formats

    monkeypatch.setattr(_formats, "MAX_ROW_BYTES", 1000)
    rows = [{"i": i, "text": ("x" * 2000 if i in big_at else f"row {i}"), "m": [{"role": "user", "content": "hi"}]} for i in range(10)]
    out = _formats._batch_rows(pa.RecordBatch.from_pylist(rows), clean=False)
    assert len(out) == 10
    for i, row in enumerate(out):
        if i in big_at:
            assert isinstance(row, _formats._BadRow) and "over the" in row.reason and row.raw.startswith(f'{{"i":{i},"text":"xxx')
        else:
            assert row == rows[i]


@pytest.mark.parametrize("name,indent,workers", [
    ("rows.jsonl", 2, 0), ("rows.jsonl", 2, 2), ("rows.json", 4, 0), ("rows.json", None, 2), ("rows.jsonl.gz", 2, 0), ("rows", 2, 0),
])
def test_a_stream_of_json_objects_as_jq_writes_it_is_read_object_by_object(tmp_path, name, indent, workers):
    """``jq '.[]' export.json > rows.jsonl`` writes each object over several lines (or, with
    no indent, one after the other): each object is a row, as in JSON Lines, and a broken
    last object is one quarantined item with the rows before it kept."""
    import gzip

    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    rows = [{"messages": [{"role": "user", "content": f"where is order {i}?"}], "output": "ok", "metadata": {"n": i}} for i in range(30)]
    text = "".join(json.dumps(r, indent=indent) + ("\n" if indent else "") for r in rows) + '{"messages": "cut off'
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    s = ingest(project, [str(path)], workers=workers)
    assert s.formats[str(path)] == "json:generic"
    assert (s.kept, s.quarantined) == (30, 1)
    recs, quar = stored(project)
    assert sorted(r["meta"]["n"] for r in recs) == list(range(30))
    assert quar[0]["line"] == 31 and "breaks off after value 30" in quar[0]["reason"]


def test_json_lines_and_one_pretty_object_are_not_taken_for_a_stream(tmp_path):
    from assay.ingest._formats import _object_stream, detect_format

    one = json.dumps({"messages": "hi", "output": "x"})
    (tmp_path / "a.jsonl").write_text(one + "\n" + one + "\n")
    (tmp_path / "b.jsonl").write_text("{broken\n" + one + "\n")  # a bad first line is not a pretty object
    (tmp_path / "c.json").write_text(json.dumps({"messages": "hi"}, indent=2))
    assert [detect_format(tmp_path / n) for n in ("a.jsonl", "b.jsonl", "c.json")] == ["jsonl", "jsonl", "json"]
    assert not _object_stream((tmp_path / "c.json").read_bytes())  # one object: not a stream
    assert _object_stream((tmp_path / "c.json").read_bytes() * 2)


def test_openai_responses_api_logs(project, fixtures):
    """The Responses API: instructions become the system message, input items the
    conversation (content parts, earlier tool calls and their outputs; reasoning left
    out), output items the answer; usage's input/output tokens and created_at are read."""
    path = fixtures / "openai-responses.jsonl"
    s = ingest(project, [str(path)])
    assert s.formats[str(path)] == "jsonl:responses"
    assert (s.kept, s.quarantined) == (2, 1)
    recs, quar = stored(project)
    stored_resp = _by_user(recs, "when will it arrive")
    assert [m["role"] for m in stored_resp["messages"]] == ["system", "user", "assistant", "tool", "user"]
    assert stored_resp["messages"][1]["content"].startswith("Where is order A-48213? I'm <EMAIL_")
    assert stored_resp["messages"][1]["content"].endswith("\n[image]")
    assert stored_resp["messages"][2]["content"] == '[tool_call get_order {"order_id": "A-48213"}]'
    assert stored_resp["output"] == "It arrives on 3 November."  # the reasoning item is not the answer
    assert (stored_resp["tokens_in"], stored_resp["tokens_out"], stored_resp["model"]) == (311, 42, "gpt-4.1-2025-04-14")
    assert stored_resp["ts"].isoformat().startswith("2026-11-01") and stored_resp["feedback"]["thumb"] == "up"
    assert stored_resp["meta"]["locale"] == "en-GB" and stored_resp["meta"]["source_id"] == "resp_01"
    assert stored_resp["meta"]["params"] == {"temperature": 0.3, "max_output_tokens": 400}
    pair = _by_user(recs, "Rechnung")
    assert pair["output"] == "[web_search_call]\n[tool_call get_order {}]" and pair["latency_ms"] == 612
    assert pair["meta"]["finish_reason"] == "max_output_tokens" and pair["meta"]["reasoning"] == {"effort": "low"}
    assert pair["meta"]["tools"][0]["function"]["name"] == "get_order"
    assert quar[0]["line"] == 3 and "missing required field: input" in quar[0]["reason"]


def test_a_message_output_item_is_its_text_in_any_shape():
    """Even read as the generic shape, a Responses API output item of type message is its
    text, not a [message] placeholder."""
    from assay.ingest._normalise import content_text

    item = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hi."}]}
    assert content_text([item], "output") == "Hi."


def test_a_litellm_proxy_log_is_read_as_openai_with_its_times_and_cost(project, tmp_path):
    """LiteLLM's logging payload: messages + a chat-completions response, with startTime /
    endTime (epoch seconds) and response_cost, read as ts, latency and cost."""
    row = {"id": "chatcmpl-9", "call_type": "acompletion", "response_cost": 0.00012, "startTime": 1793520000.25,
           "endTime": 1793520001.5, "model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}],
           "response": {"id": "chatcmpl-9", "choices": [{"message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 20, "completion_tokens": 10}},
           "metadata": {"user_api_key_alias": "team-a"}}
    path = tmp_path / "litellm.jsonl"
    path.write_text(json.dumps(row) + "\n")
    s = ingest(project, [str(path)])
    assert s.formats[str(path)] == "jsonl:openai" and s.kept == 1
    (r,), _ = stored(project)
    assert (r["output"], r["tokens_in"], r["cost_usd"], r["latency_ms"]) == ("hello", 20, 0.00012, 1250.0)
    assert r["ts"].isoformat().startswith("2026-11-01T08:00:00.25") and r["meta"]["user_api_key_alias"] == "team-a"


def test_litellm_spend_logs_exported_from_the_proxys_database(project, tmp_path):
    """The LiteLLM proxy's ``LiteLLM_SpendLogs`` table as CSV (``\\copy ... to 'spend.csv' csv header``):
    messages and response are JSON text cells, ``spend`` is the cost, failed calls have status failure."""
    import csv

    cols = ["request_id", "call_type", "spend", "total_tokens", "prompt_tokens", "completion_tokens", "startTime", "endTime",
            "model", "custom_llm_provider", "user", "metadata", "cache_hit", "request_tags", "end_user", "messages", "response",
            "session_id", "status"]
    ok = {"request_id": "chatcmpl-1", "call_type": "acompletion", "spend": 0.000123, "total_tokens": 30, "prompt_tokens": 20,
          "completion_tokens": 10, "startTime": "2026-11-10 09:00:00.123", "endTime": "2026-11-10 09:00:01.456", "model": "gpt-4o-mini",
          "custom_llm_provider": "openai", "user": "u-1", "metadata": json.dumps({"user_api_key_alias": "support"}),
          "cache_hit": "False", "request_tags": json.dumps(["support"]), "end_user": "cust-9",
          "messages": json.dumps([{"role": "user", "content": "Where is my parcel?"}]),
          "response": json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "usage": {"prompt_tokens": 20, "completion_tokens": 10},
                                  "choices": [{"index": 0, "message": {"role": "assistant", "content": "On its way."}, "finish_reason": "stop"}]}),
          "session_id": "s-1", "status": "success"}
    failed = {**ok, "request_id": "x2", "response": "{}", "status": "failure"}
    path = tmp_path / "spend.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows([ok, failed])
    s = ingest(project, [str(path)])
    assert s.formats[str(path)] == "csv:openai" and (s.kept, s.quarantined) == (1, 1)
    (r,), quar = stored(project)
    assert (r["output"], r["tokens_in"], r["tokens_out"], r["cost_usd"], r["latency_ms"]) == ("On its way.", 20, 10, 0.000123, 1333.0)
    assert r["meta"]["user_api_key_alias"] == "support" and r["meta"]["request_tags"] == ["support"] and r["meta"]["end_user"] == "cust-9"
    assert quar[0]["line"] == 3 and quar[0]["reason"] == "the call failed: status failure"


def test_gemini_generate_content_logs(project, fixtures):
    """Gemini: the system instruction, contents with parts (media as placeholders, function
    calls and responses), the first candidate's parts without thoughts, usage metadata."""
    path = fixtures / "gemini.jsonl"
    s = ingest(project, [str(path)])
    assert s.formats[str(path)] == "jsonl:gemini"
    assert (s.kept, s.quarantined) == (2, 1)
    recs, quar = stored(project)
    r = _by_user(recs, "jacket")
    assert [m["role"] for m in r["messages"]] == ["system", "user", "assistant", "tool"]
    assert r["messages"][1]["content"].startswith("Is this jacket damaged? Mail me at <EMAIL_")
    assert r["messages"][1]["content"].endswith("\n[image]")
    assert r["messages"][2]["content"] == '[tool_call get_order {"order_id":"A-48213"}]'
    assert r["messages"][3]["content"] == '{"status":"shipped"}'
    assert r["output"] == "The seam is torn; I started a return."  # the thought is left out
    assert (r["model"], r["tokens_in"], r["tokens_out"], r["latency_ms"]) == ("gemini-2.5-flash", 410, 18, 1320)
    assert r["ts"].isoformat().startswith("2026-11-01T09:00:00.123456") and r["labels"] == {"team": "returns"}
    assert r["meta"]["params"] == {"temperature": 0.4, "maxOutputTokens": 256} and r["meta"]["finish_reason"] == "STOP"
    flat = _by_user(recs, "factura")
    assert flat["output"] == "Sí." and flat["meta"]["locale"] == "es-ES" and flat["model"] == "gemini-2.5-flash-lite"
    assert quar[0]["line"] == 3 and "unknown role 'narrator'" in quar[0]["reason"]


def test_a_csv_written_by_pandas_has_its_python_literal_cells_read(project, tmp_path):
    """``DataFrame.to_csv`` writes lists and dicts as Python literals (single quotes, None):
    messages and metadata cells are read as such, not stored as one user message holding
    the literal's text (or the row quarantined for its metadata). A user's own text that
    only looks like a literal stays text."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "messages": [[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "what's up?"}],
                     "[{'a': 1}] is what my parser prints, why?", "[{'a': 1}]"],
        "output": ["ok", "a list", "a literal"],
        "metadata": [{"locale": "en-US", "beta": True, "tier": None}, None, None],
    })
    path = tmp_path / "pandas.csv"
    df.to_csv(path, index=False)
    assert "'role': 'system'" in path.read_text()  # the cells are Python literals, not JSON
    s = ingest(project, [str(path)])
    assert (s.kept, s.quarantined) == (3, 0)
    recs, _ = stored(project)
    first = _by_user(recs, "what's up")
    assert first["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "what's up?"}]
    assert first["meta"] == {"locale": "en-US", "beta": True, "tier": None}
    assert _by_user(recs, "my parser")["messages"] == [{"role": "user", "content": "[{'a': 1}] is what my parser prints, why?"}]
    assert any(r["messages"] == [{"role": "user", "content": "[{'a': 1}]"}] for r in recs)  # a literal, but no messages


def test_decode_cell_runs_nothing():
    from assay.ingest._normalise import decode_cell

    assert decode_cell("{'a': (1, 2), 'b': {1, 2}}") == {"a": [1, 2], "b": "{1, 2}"}
    for text in ("__import__('os').system('true')", "{'a': print('x')}", "[x for x in ()]", "{'a': 1"):
        assert decode_cell(text) == text


@pytest.mark.parametrize("row,hint", [
    ({"userQuestion": "q?", "botAnswer": "a", "createdAt": "2026-11-01", "n": 1}, "--map input=userQuestion,output=botAnswer,ts=createdAt"),
    ({"q": "hello", "a": "hi", "when": 1793520000}, "--map input=q,output=a,ts=when"),
    ({"req": {"question": "q?", "lang": "en"}, "res": {"reply": "a"}}, "--map input=req.question,output=res.reply"),
    ({"payload": {"x": 1}, "n": 2}, "--map input=<field>"),
    # a CSV export: every cell is text
    ({"question": "q?", "answer": "a", "created": "2026-11-01 10:00", "model_name": "gpt-4o", "latency": "412",
      "rating": "5", "thumbs_up": "true", "customer email": "x@y.z"},
     "--map input=question,output=answer,ts=created,model=model_name,latency_ms=latency,feedback.rating=rating,feedback.thumb=thumbs_up"),
    # counts, ids and flags are no text, even when their names say prompt or completion (Azure API Management's log)
    ({"TimeGenerated": "2026-11-03T09:14:22Z", "CorrelationId": "9d1f", "PromptTokens": "61", "CompletionTokens": "24",
      "IsStreamCompletion": "false", "RequestMessages": "[]", "ResponseMessages": "ok"},
     "--map input=RequestMessages,output=ResponseMessages,ts=TimeGenerated"),
])
def test_mapping_hint_guesses_fields_from_their_names(row, hint):
    from assay.ingest._shapes import mapping_hint

    assert hint in mapping_hint(row)


def test_mapping_hint_takes_only_values_that_fit():
    from assay.ingest._shapes import mapping_hint

    assert mapping_hint({"prompt_text": "q", "reply": "a", "rating": "great", "model": 3}).endswith("--map input=prompt_text,output=reply")


def test_no_mapping_hint_for_rows_a_shape_reads():
    from assay.ingest._shapes import mapping_hint

    assert mapping_hint({"messages": [], "x": 1}) is None and mapping_hint({"input": "hi"}) is None and mapping_hint([1]) is None


def test_ts_format_reads_day_first_dates_and_the_refusal_says_how(project, tmp_path):
    from assay.errors import InputError

    csv = tmp_path / "eu.csv"
    csv.write_text("date,question,answer\n01/11/2026 10:00,Can I pay by invoice?,Yes.\n"
                   "13/11/2026 09:30,Do you ship to Spain?,Yes.\n2026-11-14T08:00:00Z,Gift cards?,No.\n")
    s = ingest(project, [str(csv)], mapping="input=question,output=answer,ts=date")
    assert (s.kept, s.quarantined) == (1, 2)
    _, quar = stored(project)
    assert "'01/11/2026 10:00' is no ISO 8601 timestamp" in quar[0]["reason"] and "--ts-format '%d/%m/%Y %H:%M'" in quar[0]["reason"]
    s = ingest(project, [str(csv)], mapping="input=question,output=answer,ts=date", ts_format="%d/%m/%Y %H:%M")
    assert (s.kept, s.duplicates, s.quarantined, s.unchanged) == (2, 1, 0, [])  # the format is part of what was read
    recs, quar = stored(project)
    assert [str(r["ts"]) for r in recs] == ["2026-11-01 10:00:00", "2026-11-13 09:30:00", "2026-11-14 08:00:00"] and quar == []
    # text the format does not fit, and is no ISO 8601 either, names the format
    (tmp_path / "us.csv").write_text("date,question\n11/13/2026 09:30,Where is my parcel?\n")
    ingest(project, [str(tmp_path / "us.csv")], mapping="input=question,ts=date", ts_format="%d/%m/%Y %H:%M")
    _, quar = stored(project)
    assert quar[0]["reason"] == "ts: '11/13/2026 09:30' fits neither --ts-format '%d/%m/%Y %H:%M' nor ISO 8601"
    with pytest.raises(InputError, match="has no %-directive"):
        ingest(project, [str(csv)], ts_format="dd/mm/yyyy")


def test_ts_format_of_a_source_in_assay_yaml(tmp_path):
    from assay.project import load_project

    (tmp_path / "eu.jsonl").write_text(json.dumps({"messages": "Hallo?", "output": "Hallo!", "ts": "30.11.2026 21:45"}) + "\n")
    (tmp_path / "assay.yaml").write_text("project: t\nsources:\n  - name: de-bot\n    path: eu.jsonl\n    ts_format: '%d.%m.%Y %H:%M'\n")
    s = ingest(load_project(tmp_path))
    assert (s.kept, s.quarantined) == (1, 0)
    (rec,), _ = stored(load_project(tmp_path))
    assert str(rec["ts"]) == "2026-11-30 21:45:00" and rec["source"] == "de-bot"


def test_whole_conversation_logs_sharegpt_and_bare_lists(project, tmp_path):
    """A log of whole conversations has no output field: the last message, the assistant's,
    is production's answer. ShareGPT rows (``from``/``value``, a ``system`` key) and a line
    that is only the list of messages are read the same way."""
    rows = [
        {"id": "c1", "messages": [{"role": "user", "content": "where is my order?"}, {"role": "assistant", "content": "Which one?"},
                                  {"role": "user", "content": "A-123"}, {"role": "assistant", "content": "It ships tomorrow."}]},
        {"messages": [{"role": "user", "content": "explicit"}, {"role": "assistant", "content": "turn"}], "output": "the answer"},
        {"messages": [{"role": "user", "content": "waiting for a reply"}]},
        {"messages": [{"role": "system", "content": "be brief"}, {"role": "assistant", "content": "hello, how can I help?"},
                      {"role": "user", "content": "last word is the user's"}]},
        {"conversations": [{"from": "human", "value": "sharegpt q"}, {"from": "gpt", "value": "sharegpt a"}],
         "system": "You are Acme's bot.", "lang": "en"},
        [{"role": "user", "content": "bare list"}, {"role": "assistant", "content": "bare answer"}],
    ]
    f = tmp_path / "conversations.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (6, 0)
    recs, _ = stored(project)
    conv = _by_user(recs, "A-123")
    assert conv["output"] == "It ships tomorrow." and [m["role"] for m in conv["messages"]] == ["user", "assistant", "user"]
    assert _by_user(recs, "explicit")["output"] == "the answer" and len(_by_user(recs, "explicit")["messages"]) == 2
    assert _by_user(recs, "waiting")["output"] is None
    assert _by_user(recs, "last word")["output"] is None and len(_by_user(recs, "last word")["messages"]) == 3
    share = _by_user(recs, "sharegpt q")
    assert share["messages"] == [{"role": "system", "content": "You are Acme's bot."}, {"role": "user", "content": "sharegpt q"}]
    assert share["output"] == "sharegpt a" and share["meta"] == {"lang": "en"}
    assert _by_user(recs, "bare list")["output"] == "bare answer"

    mapped = tmp_path / "mapped.jsonl"
    mapped.write_text(json.dumps({"turns": [{"role": "user", "content": "mapped q"}, {"role": "assistant", "content": "mapped a"}]}) + "\n")
    ingest(project, [str(mapped)], mapping="input=turns")
    recs, _ = stored(project)
    assert _by_user(recs, "mapped q")["output"] == "mapped a"


def test_request_and_response_bodies_saved_as_json_text(project, tmp_path):
    """HTTP proxies and database columns keep bodies as text: a request or response that
    is JSON text is read as the object (in JSONL and in CSV cells)."""
    import csv

    req = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "body as text"}]}
    resp = {"id": "c1", "created": 1793520000, "model": "gpt-4o-mini", "usage": {"prompt_tokens": 3, "completion_tokens": 1},
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
    (tmp_path / "bodies.jsonl").write_text(json.dumps({"request": json.dumps(req), "response": json.dumps(resp), "status": 200}) + "\n")
    with open(tmp_path / "bodies.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["request", "response", "user"])
        w.writerow([json.dumps({**req, "messages": [{"role": "user", "content": "from a csv"}]}), json.dumps(resp), "u1"])
    s = ingest(project, [str(tmp_path / "bodies.jsonl"), str(tmp_path / "bodies.csv")])
    assert (s.kept, s.quarantined) == (2, 0) and set(s.formats.values()) == {"jsonl:openai", "csv:openai"}
    recs, _ = stored(project)
    assert {(_r["messages"][0]["content"], _r["output"], _r["tokens_in"]) for _r in recs} == {("body as text", "ok", 3), ("from a csv", "ok", 3)}
    assert _by_user(recs, "body as text")["meta"]["status"] == 200 and "response" not in _by_user(recs, "from a csv")["meta"]


def test_vertex_ai_request_response_logging_rows(project, tmp_path):
    """Vertex AI logs Gemini calls to BigQuery as full_request / full_response JSON columns
    with a logging_time; a metadata column that is JSON text is read as the object."""
    req = {"contents": [{"role": "user", "parts": [{"text": "Wie spät ist es in Tokio?"}]}], "generationConfig": {"temperature": 0.2}}
    resp = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Dort ist es 18 Uhr."}]}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 6}, "modelVersion": "gemini-2.5-flash"}
    row = {"endpoint": "projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-flash", "request_id": "123",
           "logging_time": "2026-11-01 10:00:00.123456 UTC", "full_request": json.dumps(req), "full_response": resp,
           "metadata": json.dumps({"request_latency": 812})}
    f = tmp_path / "vertex.jsonl"
    f.write_text(json.dumps(row) + "\n" + json.dumps({**row, "request_id": "124", "metadata": "not json"}) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (2, 0) and s.formats[str(f)] == "jsonl:gemini"
    recs, _ = stored(project)
    r = next(r for r in recs if r["meta"]["request_id"] == "123")
    assert (r["output"], r["model"], r["tokens_in"], r["ts"].isoformat()[:26]) == ("Dort ist es 18 Uhr.", "gemini-2.5-flash", 9, "2026-11-01T10:00:00.123456")
    assert r["meta"]["request_latency"] == 812 and "full_request" not in r["meta"]
    assert next(r for r in recs if r["meta"]["request_id"] == "124")["meta"]["metadata"] == "not json"  # kept, not dropped


def test_logfire_openai_and_anthropic_spans(project, tmp_path):
    """Pydantic Logfire's instrument_openai/instrument_anthropic spans in an OTLP export: the
    call's arguments as request_data, the answer as response_data ({message, usage})."""
    def attr(k, v):
        return {"key": k, "value": {"stringValue": v if isinstance(v, str) else json.dumps(v)}}

    t0 = 1793520000000000000
    spans = [
        {"traceId": "a" * 32, "spanId": "1" * 16, "name": "Chat Completion with 'gpt-4o'", "startTimeUnixNano": str(t0),
         "endTimeUnixNano": str(t0 + 900_000_000),
         "attributes": [attr("request_data", {"model": "gpt-4o", "temperature": 0.1, "messages": [
             {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Logfire question"}]}),
             attr("response_data", {"message": {"role": "assistant", "content": "Logfire answer"},
                                    "usage": {"prompt_tokens": 12, "completion_tokens": 3}}),
             attr("async", "false"), attr("logfire.msg", "Chat Completion with 'gpt-4o'")]},
        {"traceId": "a" * 32, "spanId": "2" * 16, "name": "Message with 'claude-sonnet-4-5'", "startTimeUnixNano": str(t0),
         "endTimeUnixNano": str(t0 + 10**9),
         "attributes": [attr("request_data", {"model": "claude-sonnet-4-5", "system": "Be kind.", "max_tokens": 100,
                                              "messages": [{"role": "user", "content": "Anthropic via Logfire"}]}),
                        attr("response_data", {"message": {"role": "assistant", "tool_calls": [
                            {"id": "t1", "function": {"arguments": '{"input": {"id": 1}}', "name": "get_order"}}]},
                            "usage": {"input_tokens": 20, "output_tokens": 7}})]},
        {"traceId": "a" * 32, "spanId": "3" * 16, "name": "GET /", "attributes": [attr("http.method", "GET")]},
    ]
    f = tmp_path / "logfire.json"
    f.write_text(json.dumps({"resourceSpans": [{"resource": {"attributes": [attr("service.name", "app")]},
                                                "scopeSpans": [{"scope": {"name": "logfire.openai"}, "spans": spans}]}]}))
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (2, 1, 0) and s.formats[str(f)] == "json:otel"
    recs, _ = stored(project)
    oa = _by_user(recs, "Logfire question")
    assert (oa["output"], oa["model"], oa["tokens_in"], oa["tokens_out"], oa["latency_ms"]) == ("Logfire answer", "gpt-4o", 12, 3, 900.0)
    assert oa["messages"][0] == {"role": "system", "content": "Be brief."} and oa["meta"]["temperature"] == 0.1
    assert "request_data" not in oa["meta"] and "response_data" not in oa["meta"]
    an = _by_user(recs, "Anthropic via Logfire")
    assert an["messages"][0] == {"role": "system", "content": "Be kind."} and an["output"].startswith("[tool_call get_order")
    assert (an["model"], an["tokens_in"], an["tokens_out"]) == ("claude-sonnet-4-5", 20, 7)


def test_litellm_failure_rows_are_quarantined_with_their_error(project, tmp_path):
    ok = {"id": "c1", "call_type": "acompletion", "status": "success", "model": "gpt-4o-mini",
          "messages": [{"role": "user", "content": "hi"}], "startTime": 1793520000.1, "endTime": 1793520000.9, "response_cost": 0.00001,
          "response": {"id": "c1", "choices": [{"message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 3, "completion_tokens": 1}}}
    failed = {"id": "c2", "call_type": "acompletion", "status": "failure", "model": "gpt-4o-mini",
              "messages": [{"role": "user", "content": "boom"}], "response": None, "startTime": 1793520001.0, "endTime": 1793520001.2,
              "error_str": "litellm.RateLimitError: 429 Too Many Requests\nTraceback ...",
              "error_information": {"error_code": "429", "error_class": "RateLimitError"}}
    f = tmp_path / "litellm.jsonl"
    f.write_text(json.dumps(ok) + "\n" + json.dumps(failed) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (1, 1) and s.formats[str(f)] == "jsonl:openai"
    recs, quar = stored(project)
    assert recs[0]["output"] == "hello" and recs[0]["latency_ms"] == pytest.approx(800.0) and recs[0]["cost_usd"] == 0.00001
    assert quar[0]["reason"] == "the call failed: litellm.RateLimitError: 429 Too Many Requests"


def test_generic_answer_as_a_message_object_and_failed_calls(project, tmp_path):
    """The answer logged as the assistant's message (with its tool calls, camelCase too),
    and a call logged with its error and no answer, which is quarantined with the error."""
    rows = [
        {"input": [{"role": "user", "content": "Ship to Norway?"}], "output": {"role": "assistant", "content": "Yes."}},
        {"input": [{"role": "user", "content": "Where is A-1?"}, {"role": "assistant", "content": None,
                    "toolCalls": [{"function": {"name": "get_order", "arguments": '{"id": "A-1"}'}}]},
                   {"role": "tool", "content": "shipped"}],
         "output": {"role": "assistant", "content": None, "toolCalls": [{"function": {"name": "notify", "arguments": "{}"}}]}},
        {"input": "q", "output": None, "status": "error", "error": {"message": "429 Rate limit reached\nstack..."}},
        {"input": "q2", "output": None, "status": "failed"},
        {"input": "q3", "output": "fine", "error": "a warning logged beside the answer"},
    ]
    f = tmp_path / "runs.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (3, 2)
    recs, quar = stored(project)
    outputs = sorted(r["output"] for r in recs)
    assert outputs == ["Yes.", "[tool_call notify {}]", "fine"]
    msgs = next(r["messages"] for r in recs if r["output"] == "[tool_call notify {}]")
    assert msgs[1]["content"] == '[tool_call get_order {"id": "A-1"}]'
    assert sorted(q["reason"] for q in quar) == ["the call failed: 429 Rate limit reached", "the call failed: failed"]


def test_portkey_logs_export_cost_in_cents_and_response_time(project, tmp_path):
    """Portkey's logs export: the provider's request and response, ``cost`` in cents of a
    dollar, ``response_time`` in milliseconds, ``response_status_code``."""
    call = {"request": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Ship to Norway?"}]},
            "response": {"object": "chat.completion", "created": 1793697262, "model": "gpt-4o-mini-2024-07-18",
                         "choices": [{"message": {"role": "assistant", "content": "Yes."}, "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 61, "completion_tokens": 24}},
            "created_at": "2026-11-03T09:14:22.512Z", "ai_org": "openai", "ai_model": "gpt-4o-mini", "req_units": 61,
            "res_units": 24, "cost": 0.2355, "cost_currency": "USD", "response_time": 1842, "response_status_code": 200,
            "metadata": {"_user": "user-1042"}}
    failed = {**call, "response": {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}},
              "response_status_code": 429, "cost": 0}
    f = tmp_path / "portkey.jsonl"
    f.write_text(json.dumps(call) + "\n" + json.dumps(failed) + "\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (1, 1) and s.formats[str(f)] == "jsonl:openai"
    rec = stored(project)[0][0]
    assert (rec["latency_ms"], rec["cost_usd"], rec["meta"]["_user"]) == (1842.0, pytest.approx(0.002355), "user-1042")


def test_datadog_llm_observability_export(project, tmp_path):
    """The Export API's response (``{data: [{id, type: span, attributes}], meta}``): llm
    spans are records, other spans skipped, a span with status error quarantined; times in
    nanoseconds, cost in nano-dollars, tags as metadata."""
    def span(i, kind, **attrs):
        return {"id": str(i), "type": "span", "attributes": {
            "span_id": str(i), "trace_id": "t1", "parent_id": "undefined", "span_kind": kind, "ml_app": "support-bot",
            "name": "openai.request", "start_ns": 1793697262662000000, "duration": 1842000000, "status": "ok",
            "tags": ["service:support-bot", "env:prod", "error:0", "session_id:sess-9f2a", "user_id:user-1042"], **attrs}}
    llm = span(2, "llm", model_name="gpt-4o-mini", model_provider="openai", metadata={"temperature": 0.3},
               input={"value": "q", "messages": [{"role": "user", "content": "Where is A-1?"},
                                                 {"role": "assistant", "content": "", "tool_calls": [
                                                     {"name": "get_order", "arguments": {"id": "A-1"}, "tool_id": "c1"}]},
                                                 {"role": "tool", "content": "", "tool_results": [{"result": "shipped", "tool_id": "c1"}]}]},
               output={"value": "It shipped.", "messages": [{"role": "assistant", "content": "It shipped."}]},
               metrics={"input_tokens": 61, "output_tokens": 24, "estimated_total_cost": 23550},
               tool_definitions=[{"name": "get_order", "description": "Look up an order", "schema": {"type": "object"}}])
    doc = {"data": [span(1, "agent", input={"value": "q"}, output={"value": "a"}), llm,
                    span(3, "llm", model_name="gpt-4o-mini", status="error", input={"value": "q2"}, output={},
                         tags=["error_type:openai.RateLimitError"])],
           "meta": {"status": "done"}}
    f = tmp_path / "llmobs.json"
    f.write_text(json.dumps(doc))
    s = ingest(project, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (1, 1, 1) and s.formats[str(f)] == "json:datadog"
    recs, quar = stored(project)
    r = recs[0]
    assert [m["content"] for m in r["messages"]] == ["Where is A-1?", '[tool_call get_order {"id":"A-1"}]', "shipped"]
    assert (r["output"], r["model"], r["latency_ms"], r["tokens_in"], r["tokens_out"]) == ("It shipped.", "gpt-4o-mini", 1842.0, 61, 24)
    assert r["cost_usd"] == pytest.approx(0.00002355) and r["ts"].isoformat().startswith("2026-11-03T09:14:22.662")
    assert (r["meta"]["session_id"], r["meta"]["user_id"], r["meta"]["params"]) == ("sess-9f2a", "user-1042", {"temperature": 0.3})
    assert "error" not in r["meta"] and quar[0]["reason"] == "the call failed: openai.RateLimitError"


@pytest.mark.parametrize("text, fmt", [
    ("11/3/2026, 9:14:22.512 AM", "%m/%d/%Y, %I:%M:%S.%f %p"),  # Azure portal's CSV
    ("03/11/2026 21:14", "%d/%m/%Y %H:%M"),
    ("11/3/2026 9:14 pm", "%m/%d/%Y %I:%M %p"),
    ("03.11.2026 21:14:22", "%d.%m.%Y %H:%M:%S"),
])
def test_the_ts_format_suggested_for_an_ambiguous_date_reads_it(text, fmt):
    from datetime import datetime

    from assay.errors import InputError
    from assay.ingest._normalise import RowError, parse_ts

    with pytest.raises((RowError, InputError)) as err:
        parse_ts(text)
    assert f"'{fmt}'" in str(err.value)
    assert datetime.strptime(text, fmt).day == 3


def test_map_quarantines_failed_calls(project, tmp_path):
    """With --map, a row with no answer and an error (its own ``error`` or ``status``, or
    the field ``error=`` names) is a failed call: quarantined, not a prompt-only record."""
    rows = [{"q": "one", "a": "yes"},
            {"q": "two", "a": None, "error": {"message": "429 Rate limit reached"}},
            {"q": "three", "a": "", "status": "failed"},
            {"q": "four", "a": None, "detail": {"err": "timeout after 30 s"}},
            {"q": "five", "a": None}]
    f = tmp_path / "calls.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)], mapping="input=q,output=a,error=detail.err")
    assert (s.kept, s.quarantined) == (2, 3)
    _, quar = stored(project)
    assert [q["reason"] for q in sorted(quar, key=lambda q: q["line"])] == [
        "the call failed: 429 Rate limit reached", "the call failed: failed", "the call failed: timeout after 30 s"]
